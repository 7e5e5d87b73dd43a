"""Synthetic events frames (the columns of Store.events_frame()) for tests and benchmarks."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from rasd.slug import slugify
from rasd.store import EVENTS_FRAME_COLUMNS
from rasd.vocab import OUTCOMES, TARGETS


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A place synthetic events are put at: its precision, names, coordinate and governorate."""

    precision: str
    name_en: str
    name_ar: str
    lat: float
    lon: float
    governorate: str


_GOVERNORATE_AR = {
    "Anbar": "الأنبار", "Baghdad": "بغداد", "Erbil": "أربيل", "Salah al-Din": "صلاح الدين",
    "Kirkuk": "كركوك", "Basra": "البصرة", "Nineveh": "نينوى", "Najaf": "النجف", "Karbala": "كربلاء",
    "Babil": "بابل", "Diyala": "ديالى", "Wasit": "واسط", "Maysan": "ميسان", "Dhi Qar": "ذي قار",
    "Muthanna": "المثنى", "Qadisiyah": "القادسية", "Dohuk": "دهوك", "Sulaymaniyah": "السليمانية",
}

# Approximate coordinates: good enough to spread points over the country like real reports do.
_SITES = (
    _Anchor("site", "Ain al-Asad Air Base", "قاعدة عين الأسد", 33.7856, 42.4412, "Anbar"),
    _Anchor("site", "Baghdad International Airport", "مطار بغداد الدولي", 33.2625, 44.2346, "Baghdad"),
    _Anchor("site", "US Embassy, Baghdad", "السفارة الأمريكية في بغداد", 33.2990, 44.3950, "Baghdad"),
    _Anchor("site", "Erbil International Airport", "مطار أربيل الدولي", 36.2376, 43.9632, "Erbil"),
    _Anchor("site", "Harir Air Base", "قاعدة حرير", 36.5375, 44.3517, "Erbil"),
    _Anchor("site", "Balad Air Base", "قاعدة بلد الجوية", 33.9402, 44.3616, "Salah al-Din"),
    _Anchor("site", "Camp Taji", "معسكر التاجي", 33.5240, 44.2560, "Baghdad"),
    _Anchor("site", "K-1 Air Base", "قاعدة كي وان", 35.5130, 44.2850, "Kirkuk"),
    _Anchor("site", "Basra International Airport", "مطار البصرة الدولي", 30.5491, 47.6621, "Basra"),
)
_TOWNS = (
    _Anchor("town", "Baghdad", "بغداد", 33.3152, 44.3661, "Baghdad"),
    _Anchor("town", "Mosul", "الموصل", 36.3350, 43.1189, "Nineveh"),
    _Anchor("town", "Basra", "البصرة", 30.5085, 47.7804, "Basra"),
    _Anchor("town", "Kirkuk", "كركوك", 35.4681, 44.3922, "Kirkuk"),
    _Anchor("town", "Erbil", "أربيل", 36.1911, 44.0092, "Erbil"),
    _Anchor("town", "Fallujah", "الفلوجة", 33.3500, 43.7833, "Anbar"),
    _Anchor("town", "Ramadi", "الرمادي", 33.4258, 43.2994, "Anbar"),
    _Anchor("town", "Hit", "هيت", 33.6417, 42.8250, "Anbar"),
    _Anchor("town", "Al-Qaim", "القائم", 34.3683, 41.0950, "Anbar"),
    _Anchor("town", "Tikrit", "تكريت", 34.6071, 43.6782, "Salah al-Din"),
    _Anchor("town", "Samarra", "سامراء", 34.1959, 43.8857, "Salah al-Din"),
    _Anchor("town", "Baqubah", "بعقوبة", 33.7466, 44.6437, "Diyala"),
    _Anchor("town", "Nasiriyah", "الناصرية", 31.0439, 46.2576, "Dhi Qar"),
    _Anchor("town", "Samawah", "السماوة", 31.3099, 45.2803, "Muthanna"),
    _Anchor("town", "Diwaniyah", "الديوانية", 31.9929, 44.9255, "Qadisiyah"),
    _Anchor("town", "Hillah", "الحلة", 32.4637, 44.4196, "Babil"),
    _Anchor("town", "Karbala", "كربلاء", 32.6160, 44.0249, "Karbala"),
    _Anchor("town", "Najaf", "النجف", 32.0259, 44.3462, "Najaf"),
    _Anchor("town", "Kut", "الكوت", 32.5128, 45.8182, "Wasit"),
    _Anchor("town", "Amarah", "العمارة", 31.8356, 47.1442, "Maysan"),
    _Anchor("town", "Dohuk", "دهوك", 36.8669, 42.9503, "Dohuk"),
    _Anchor("town", "Sulaymaniyah", "السليمانية", 35.5613, 45.4305, "Sulaymaniyah"),
    _Anchor("town", "Abu Ghraib", "أبو غريب", 33.2922, 44.0656, "Baghdad"),
    _Anchor("town", "Mahmudiyah", "المحمودية", 33.0611, 44.3619, "Baghdad"),
)
_GOVERNORATES = tuple(
    _Anchor("governorate", f"{name} governorate", f"محافظة {_GOVERNORATE_AR[name]}", lat, lon, name)
    for name, lat, lon in (
        ("Anbar", 33.3, 42.2), ("Baghdad", 33.3, 44.4), ("Erbil", 36.2, 44.2), ("Salah al-Din", 34.5, 43.6),
        ("Kirkuk", 35.4, 44.1), ("Basra", 30.5, 47.4), ("Nineveh", 36.0, 42.6), ("Najaf", 31.2, 43.9),
        ("Karbala", 32.5, 43.6), ("Babil", 32.5, 44.5), ("Diyala", 34.0, 45.0), ("Wasit", 32.6, 45.6),
        ("Maysan", 31.8, 46.9), ("Dhi Qar", 31.1, 46.3), ("Muthanna", 30.4, 45.4), ("Qadisiyah", 31.9, 45.0),
        ("Dohuk", 36.9, 43.2), ("Sulaymaniyah", 35.6, 45.5),
    )
)

_PRECISION_WEIGHTS = (("site", 0.55), ("town", 0.25), ("district", 0.12), ("governorate", 0.08))
_WEAPON_WEIGHTS = {
    "drone": 0.30, "rocket": 0.34, "mortar": 0.06, "ied": 0.20, "gunfire": 0.03, "unknown": 0.07,
}
_DATE_PRECISION_WEIGHTS = {"day": 0.72, "approximate": 0.14, "month": 0.09, "year": 0.03, "unknown": 0.02}
_CLAIMANTS = (
    "", "", "", "Islamic Resistance in Iraq", "Kataib Hezbollah", "Ashab al-Kahf", "Saraya Awliya al-Dam",
)
_OUTLETS = ("Al-Araby Al-Jadeed", "Shafaq News", "Alsumaria", "Rudaw", "Asharq Al-Awsat", "Al Mayadeen")
_WEAPON_AR = {
    "drone": "بطائرة مسيّرة", "rocket": "بصواريخ", "mortar": "بقذائف هاون", "ied": "بعبوة ناسفة",
    "gunfire": "بإطلاق نار", "unknown": "",
}
_FIRST_DAY = date(2019, 1, 1)
_LAST_DAY = date(2024, 12, 31)


def _choice(rng: np.random.Generator, weights: dict[str, float], n: int) -> np.ndarray:
    keys = list(weights)
    p = np.array([weights[k] for k in keys], dtype=float)
    return np.array(keys, dtype=object)[rng.choice(len(keys), size=n, p=p / p.sum())]


def _month_end(d: date) -> date:
    following = date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return following - timedelta(days=1)


def _dates(day: date, precision: str) -> tuple[date | None, date | None, date | None]:
    if precision == "day":
        return day, day, day
    if precision == "approximate":
        return day, day - timedelta(days=1), day + timedelta(days=1)
    if precision == "month":
        first = day.replace(day=1)
        return first.replace(day=15), first, _month_end(first)
    if precision == "year":
        return date(day.year, 7, 1), date(day.year, 1, 1), date(day.year, 12, 31)
    return None, None, None


def fake_events_frame(n: int, *, seed: int = 0) -> pd.DataFrame:
    """n synthetic events over Iraq, 2019-2024, with the columns and dtypes of Store.events_frame()."""
    rng = np.random.default_rng(seed)
    precisions = rng.choice(len(_PRECISION_WEIGHTS), size=n, p=[w for _, w in _PRECISION_WEIGHTS]).tolist()
    weapons = _choice(rng, _WEAPON_WEIGHTS, n).tolist()
    date_precisions = _choice(rng, _DATE_PRECISION_WEIGHTS, n).tolist()
    days = rng.integers(0, (_LAST_DAY - _FIRST_DAY).days + 1, size=n).tolist()
    picks = rng.integers(0, 1 << 30, size=n).tolist()
    jitter = rng.uniform(-0.15, 0.15, size=(n, 2)).tolist()
    targets = rng.choice(len(TARGETS), size=n).tolist()
    outcomes = rng.choice(len(OUTCOMES), size=n).tolist()
    casualties = rng.random(size=n).tolist()
    counts = rng.integers(1, 4, size=n).tolist()
    claimants = rng.integers(0, len(_CLAIMANTS), size=n).tolist()
    n_outlets = rng.integers(1, 4, size=n).tolist()
    outlet_starts = rng.integers(0, len(_OUTLETS), size=n).tolist()

    slugs: dict[str, str] = {}

    def slug(text: str) -> str:
        if text not in slugs:
            slugs[text] = slugify(text)
        return slugs[text]

    records = []
    for i in range(n):
        precision = _PRECISION_WEIGHTS[precisions[i]][0]
        pool = _SITES if precision == "site" else _GOVERNORATES if precision == "governorate" else _TOWNS
        anchor = pool[picks[i] % len(pool)]
        lat, lon, name_en, name_ar = anchor.lat, anchor.lon, anchor.name_en, anchor.name_ar
        place = slug(anchor.governorate if precision == "governorate" else anchor.name_en)
        if precision == "district":
            # Spread per event: real reports repeat gazetteer coordinates, so these keep the benchmark
            # honest about payloads whose coordinates do not repeat.
            lat, lon = round(lat + jitter[i][0], 4), round(lon + jitter[i][1], 4)
            place, name_en, name_ar = f"{place}-district", f"{name_en} district", f"قضاء {name_ar}"
        weapon = weapons[i]
        best, earliest, latest = _dates(_FIRST_DAY + timedelta(days=int(days[i])), date_precisions[i])
        claimant = _CLAIMANTS[claimants[i]]
        names = [_OUTLETS[(outlet_starts[i] + k) % len(_OUTLETS)] for k in range(n_outlets[i])]
        articles = [f"synthetic-{i:06d}-{k}.txt" for k in range(len(names))]
        outcome = OUTCOMES[outcomes[i]]
        killed = int(casualties[i] * 4) if outcome == "casualties" else (0 if casualties[i] < 0.5 else None)
        records.append({
            "id": hashlib.sha1(f"{seed}:{i}".encode()).hexdigest()[:12],
            "date": best, "date_earliest": earliest, "date_latest": latest,
            "date_precision": date_precisions[i],
            "place": place, "place_name": name_en, "place_name_ar": name_ar, "lat": lat, "lon": lon,
            "geo_precision": precision, "governorate": anchor.governorate,
            "governorate_id": slug(anchor.governorate), "weapon": weapon,
            "projectiles": counts[i] if weapon in ("drone", "rocket", "mortar") else None,
            "target": "convoy" if weapon == "ied" else TARGETS[targets[i]], "outcome": outcome,
            "killed": killed, "wounded": None if killed is None else int(casualties[i] * 6),
            "claimed_by": claimant, "claimant_id": slug(claimant) if claimant else "",
            "outlets": [slug(x) for x in names], "outlet_names": names, "articles": articles,
            "n_sources": len(articles),
            "evidence": f"استهدف هجوم {_WEAPON_AR[weapon]} {name_ar}".replace("  ", " "),
        })
    frame = pd.DataFrame.from_records(records, columns=list(EVENTS_FRAME_COLUMNS))
    for column in ("date", "date_earliest", "date_latest"):
        frame[column] = pd.Series(list(frame[column]), index=frame.index, dtype=object)
    for column in ("projectiles", "killed", "wounded"):
        frame[column] = frame[column].astype("Int64")
    frame["lat"] = frame["lat"].astype("float64")
    frame["lon"] = frame["lon"].astype("float64")
    frame["n_sources"] = frame["n_sources"].astype("int64")
    return frame

