"""Build geo/admin_seats.csv: every district (qada) seat and sub-district (nahiya) centre of Iraq.

Run from the repository root: `.venv/bin/python -m geo.build_admin_seats`. The script only reads
files vendored in geo/ (nothing is downloaded) and rewrites geo/admin_seats.csv; the gazetteer
reads that CSV at run time and never runs this script. The hand-made decisions (which names are
ordinary words and so match only after ناحية/قضاء, the merges into places the gazetteer already
has, the extra spellings the press uses) are the tables below; geo/SOURCES.md explains them.

Inputs:
- geo/admin_units.csv: the OCHA COD-AB hierarchy (18 governorates, 101 districts, 294
  sub-districts, Arabic and English names, P-codes) with one coordinate per unit, transcribed
  from open-admin-data/iraq-administrative-divisions (CC BY 4.0).
- geo/geonames_iq.csv: GeoNames populated places of Iraq (CC BY 4.0) that can stand for a seat.
- the gazetteer without seats (places.csv plus the GeoNames towns loaded at run time), so that a
  seat that is already a place is merged into it and keeps its id.
"""

from __future__ import annotations

import csv
import io
import math
from importlib import resources
from pathlib import Path

from geo.gazetteer import SEAT_COLUMNS, Gazetteer, name_key, read_governorates
from rasd.slug import slugify

GEO = Path(__file__).resolve().parent
OAD = "open-admin-data/iraq-administrative-divisions@4faca15 (CC BY 4.0)"

GOVERNORATE_OF_PCODE = {
    "IQG01": "anbar", "IQG02": "basra", "IQG03": "muthanna", "IQG04": "najaf", "IQG05": "qadisiyah",
    "IQG06": "sulaymaniyah", "IQG07": "babil", "IQG08": "baghdad", "IQG09": "duhok", "IQG10": "diyala",
    "IQG11": "erbil", "IQG12": "karbala", "IQG13": "kirkuk", "IQG14": "maysan", "IQG15": "nineveh",
    "IQG16": "salah-al-din", "IQG17": "dhi-qar", "IQG18": "wasit",
}
GEONAMES_ADMIN1_OF = {
    "anbar": "01", "basra": "02", "muthanna": "03", "qadisiyah": "04", "sulaymaniyah": "05", "babil": "06",
    "baghdad": "07", "duhok": "08", "dhi-qar": "09", "diyala": "10", "erbil": "11", "karbala": "12",
    "kirkuk": "13", "maysan": "14", "nineveh": "15", "wasit": "16", "najaf": "17", "salah-al-din": "18",
}
# A GeoNames town or gazetteer place stands for a seat only this close to the unit's point
# (the unit point is an area point, far from the town in large desert districts).
MATCH_KM = 60.0

# Names that are ordinary words, given names or surnames, other places (a river, a country, a
# governorate) or a religious or historical term: the seat is matched in text only after ناحية,
# قضاء, مركز ناحية or مركز قضاء, and an exact lookup of the bare name ranks it after any other place.
PREFIX_ONLY = {
    "IQG01Q01N01": "العامرية is also a Baghdad neighbourhood",
    "IQG01Q02N02": "العبيدي: surname",
    "IQG01Q02N03": "الرمانة: pomegranate",
    "IQG01Q04N02": "الوليد: given name",
    "IQG01Q07N02": "الفرات: the Euphrates",
    "IQG02Q03N01": "البحار: the seas",
    "IQG02Q04N03": "طلحة: given name",
    "IQG02Q05N01": "الدير: the monastery",
    "IQG02Q05N02": "الثغر: the frontier",
    "IQG02Q07": "شط العرب: the waterway",
    "IQG02Q07N01": "النشوة: ecstasy",
    "IQG02Q07N03": "عتبة: threshold; given name",
    "IQG03Q01": "الخضر: al-Khidr",
    "IQG03Q02N01": "الهلال: crescent",
    "IQG03Q02N02": "المجد: glory",
    "IQG03Q02N03": "النجمي: surname",
    "IQG03Q02N04": "الوركاء: Uruk; a university",
    "IQG03Q03": "السلمان: surname",
    "IQG04Q01N01": "الحرية: freedom",
    "IQG04Q02": "المناذرة: the Lakhmid dynasty",
    "IQG04Q02N01": "الحيرة: confusion; the Lakhmid capital",
    "IQG04Q03N01": "الحيدرية: common place and shrine name",
    "IQG04Q03N02": "الشبكة: the network",
    "IQG05Q01N01": "البدير: surname",
    "IQG05Q01N02": "الفوار: bubbling",
    "IQG05Q01N04": "سومر: Sumer",
    "IQG05Q02N02": "السنية: Sunni (fem.)",
    "IQG05Q02N03": "الشافعية: the Shafii school",
    "IQG05Q03N01": "السدير: Sudair in Saudi Arabia",
    "IQG06Q02N03": "قادر كرم: a person's name",
    "IQG06Q08N01": "هيرو: given name",
    "IQG07Q01": "الهاشمية: Hashemite",
    "IQG07Q01N02": "الشوملي: surname",
    "IQG07Q03N02": "الامام: the imam",
    "IQG07Q03N03": "المشروع: the project",
    "IQG08Q02N03": "ذات السلاسل: a battle",
    "IQG08Q02N05": "التاجي: in the press mostly Camp Taji",
    "IQG08Q03N01": "المأمون: a caliph",
    "IQG08Q03N03": "المنصور: a caliph; given name",
    "IQG08Q04N02": "الجسر: the bridge",
    "IQG08Q04N03": "الوحدة: unity; the unit",
    "IQG08Q05N02": "الرشيد: given name; a street",
    "IQG08Q07": "الثورة: the revolution",
    "IQG09Q02N01": "الدوسكي: surname",
    "IQG09Q03N02": "فايدة: folds to فائدة, benefit",
    "IQG09Q03N04": "سندي: given name",
    "IQG10Q01N01": "العظيم: the great",
    "IQG10Q01N02": "المنصورية: common place name",
    "IQG10Q04N02": "بني سعد: a tribe",
    "IQG10Q04N03": "كنعان: Canaan; given name",
    "IQG10Q05N01": "السعدية: common adjective",
    "IQG10Q05N03": "ميدان: square",
    "IQG10Q06N01": "جبارة: tribe; given name",
    "IQG11Q01N01": "بارزان: given name",
    "IQG11Q03N02": "سورش: given name (شورش)",
    "IQG11Q05N03": "بالك: 'your mind' in speech",
    "IQG11Q06N02": "صلاح الدين: the governorate",
    "IQG12Q03N02": "الحسينية: a Shia hall",
    "IQG13Q01N02": "الزاب: the Zab river",
    "IQG13Q01N03": "الرياض: Riyadh",
    "IQG13Q01N04": "العباسية: Abbasid",
    "IQG13Q02N01": "الرشاد: guidance",
    "IQG13Q03": "دبس: date syrup",
    "IQG13Q04N03": "الملتقى: the meeting",
    "IQG13Q04N05": "شوان: given name",
    "IQG14Q01N02": "الطيب: the good; given name",
    "IQG14Q02N02": "علي الشرقي: a person's name",
    "IQG14Q03N01": "بني هاشم: the Hashemite clan",
    "IQG14Q04": "الميمونة: blessed (fem.)",
    "IQG14Q04N01": "السلام: peace",
    "IQG14Q05N01": "العزير: Ezra's shrine",
    "IQG14Q05N02": "العدل: justice",
    "IQG15Q02N02": "القحطانية: Qahtani (fem.); also in Syria",
    "IQG15Q03N01": "نمرود: Nimrod",
    "IQG15Q04": "الحضر: settled people",
    "IQG15Q06": "الشيخان: the two sheikhs",
    "IQG15Q07N01": "القيروان: Kairouan",
    "IQG15Q07N02": "الشمال: the north",
    "IQG15Q08N04": "ربيعة: given name; tribe",
    "IQG15Q09N03": "وانة: folds to وإنه, 'and indeed he'",
    "IQG16Q01": "الدور: the role",
    "IQG16Q01N02": "ابو دلف: a historical person",
    "IQG16Q03N02": "الصينية: Chinese (fem.)",
    "IQG16Q03N03": "مكحول: given name",
    "IQG16Q04N01": "يثرب: old name of Medina",
    "IQG16Q05N01": "المعتصم: a caliph; given name",
    "IQG16Q05N02": "الثرثار: the lake",
    "IQG16Q05N04": "دجلة: the Tigris",
    "IQG16Q06N01": "ام القرى: Mecca",
    "IQG17Q01N01": "الفهود: the leopards",
    "IQG17Q01N02": "الحمار: the donkey",
    "IQG17Q02": "الرفاعي: surname",
    "IQG17Q02N01": "الفجر: dawn",
    "IQG17Q02N02": "النصر: victory",
    "IQG17Q04N01": "البطحاء: the plain; in Saudi Arabia",
    "IQG17Q04N03": "سيد خليل / سيد دخيل: a person's name",
    "IQG17Q04N04": "الاصلاح: reform",
    "IQG17Q05N02": "الطار: tambourine",
    "IQG18Q01N01": "البشائر: good news",
    "IQG18Q02N01": "واسط: the governorate",
    "IQG18Q02N02": "شيخ سعد: a person's name",
    "IQG18Q03N01": "الاحرار: the free",
    "IQG18Q04N01": "الزبيدية: tribal adjective",
    "IQG18Q04N04": "الحفرية: fossil (fem.)",
}

# Spellings of the transcribed dataset that need a fix or a second form (the dataset's district
# IQG10Q03 is named مندلي although its centre is مركز بلدروز; COD-AB calls it Baladrooz).
NAME_AR = {"IQG10Q03": "بلدروز", "IQG17Q04N03": "سيد دخيل", "IQG15Q06N03": "أتروش", "IQG06Q02N01": "آغجلر"}
# Dataset spellings that are wrong, not variants: they are not kept as aliases.
WRONG_AR = {"IQG10Q03"}
# The English name (and so the id) of a new place, where the dataset's spelling is odd or is also an
# English given name (Ana, Rania); the dataset's spelling stays an alias.
NAME_EN = {
    "IQG10Q03": "Baladruz",
    "IQG01Q05": "Anah",
    "IQG06Q09": "Ranya",
    "IQG08Q04": "Al-Madain",
    "IQG10Q01N05": "Qalat Ansab",
    "IQG17Q04N01": "Al-Batha",
    "IQG17Q04N03": "Sayyid Dakhil",
    "IQG18Q02N02": "Sheikh Saad",
    "IQG01Q04N01": "Al-Nukhayb",
    "IQG15Q05N01": "Al-Qayyarah",
    "IQG16Q03N02": "Al-Siniyah",
    "IQG16Q04N03": "Al-Dhuluiya",
    "IQG16Q07N01": "Amerli",
    "IQG16Q07N03": "Sulaiman Bek",
    "IQG14Q02N02": "Ali al-Sharqi",
    "IQG14Q03N01": "Bani Hashim",
    "IQG10Q04N02": "Bani Saad",
    "IQG15Q02N02": "Al-Qahtaniya",
    "IQG15Q06N03": "Atrush",
    "IQG13Q03N03": "Altun Kupri",
    "IQG01Q03N01": "Al-Habbaniyah",
    "IQG01Q07": "Hit",
    "IQG16Q03": "Baiji",
    "IQG16Q04N02": "Ishaqi",
}
# Other spellings the press uses for a seat (Arabic or English); the dataset's own spellings are
# always kept as well.
ALIASES = {
    "IQG01Q01N02": "الكرمه|Karmah|Garma|Al-Karmah",
    "IQG01Q02N01": "Karabila|Al-Karabilah",
    "IQG01Q02N03": "Rumana",
    "IQG01Q04N01": "Nukhayb|Nukhaib",
    "IQG01Q05N02": "راوة|Rawah",
    "IQG01Q06N02": "بروانة|Barwanah",
    "IQG01Q07N03": "Kubaysah",
    "IQG02Q01": "ابو الخصيب|أبو الخصيب|Abu al-Khasib",
    "IQG02Q06N02": "سفوان",
    "IQG05Q03": "Al Hamzah",
    "IQG05Q02N01": "Daghara|Al-Daghghara",
    "IQG06Q02N01": "اغجلر|Aghjalar",
    "IQG07Q02N02": "ابو غرق|أبو غرق",
    "IQG07Q04N01": "جرف النصر|Jurf al-Nasr|Jurf al-Sakhr",
    "IQG08Q02N02": "ابو غريب|أبو غريب",
    "IQG08Q05N03": "Latifiyah",
    "IQG10Q01N05": "قلعة أنصاب",
    "IQG10Q05N04": "جلولا|Jalula|Jalawla'",
    "IQG11Q05N05": "ميركه سور|ميرگه سور",
    "IQG11Q05N07": "حاج عمران|Haj Omaran",
    "IQG13Q01N01": "Hawija|Hawijah",
    "IQG13Q03N03": "آلتون كوبري|التون كوبرى|Altun Kupri",
    "IQG15Q06N03": "اتروش",
    "IQG15Q05N02": "Hammam al-Alil",
    "IQG15Q05N03": "Bashiqa|Bashika",
    "IQG15Q08": "تل عفر|Tal Afar|Tal Afar district",
    "IQG16Q01": "Ad Dawr|Dour",
    "IQG16Q04N03": "Dhuluiya|Duluiyah",
    "IQG16Q07N01": "امرلي|Amirli",
    "IQG17Q03N02": "الغراف|Gharraf",
    "IQG17Q04N01": "Batha",
    "IQG17Q05": "Suq al-Shuyukh",
    "IQG18Q05": "Badrah",
}
# Seats that the gazetteer already has under another name or spelling (the name match finds
# the others): the seat's names are added to that place, whose id and coordinate stay.
MERGE = {
    "IQG02Q06N02": "safwan", "IQG16Q04N04": "ad-dujayl", "IQG17Q01N01": "al-fuhud", "IQG17Q02N04": "qalat-sukkar",
    "IQG11Q06N02": "pirmam", "IQG08Q07": "sadr-city", "IQG11Q06N03": "harir",
}
# Not a merge although a name matches: a different unit.
NO_MERGE = {"IQG10Q03"}
# Sub-district centres missing from the dataset, from GeoNames: (geonameid, district P-code, en, ar, aliases).
EXTRA = [
    ("98524", "IQG01Q01", "Saqlawiyah", "الصقلاوية", "Saqlawiya|As Saqlawiyah|Al-Saqlawiyah"),
]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


def match_keys(name: str) -> set[str]:
    """The comparison forms of a seat name: without an administrative word, with and without ال."""
    key = name_key(name)
    for prefix in ("مركز ", "ناحيه ", "قضاء ", "قريه "):
        if key.startswith(prefix):
            key = key[len(prefix):]
    keys = {key}
    keys.add(key[2:] if key.startswith("ال") and len(key) > 4 else "ال" + key)
    if key.startswith("ابي "):
        keys.add("ابو " + key[4:])
    return keys


def _rows(filename: str) -> list[dict[str, str]]:
    text = resources.files("geo").joinpath(filename).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def build() -> list[dict[str, str]]:
    """The rows of geo/admin_seats.csv."""
    gaz = Gazetteer.load(seats=False)
    govs = {g.id: g for g in read_governorates()}
    units = _rows("admin_units.csv")
    geonames = _rows("geonames_iq.csv")
    towns = [p for p in gaz.places if p.kind in ("city", "district", "subdistrict")]
    taken = {p.id for p in gaz.places}
    out: list[dict[str, str]] = []

    def seat(pcode: str, kind: str, name_ar: str, name_en: str, lat: float, lon: float, gov_id: str,
             area: str, gid: str | None = None) -> None:
        gov = govs[gov_id]
        dataset_ar = name_ar
        name_ar = NAME_AR.get(pcode, name_ar)
        dataset_en = name_en.replace("Markaz ", "")
        name_en = NAME_EN.get(pcode, dataset_en)
        names_ar = [name_ar] + ([dataset_ar] if dataset_ar != name_ar and pcode not in WRONG_AR else []) + [
            n for n in ALIASES.get(pcode, "").split("|") if n and any("\u0600" <= c <= "\u06ff" for c in n)]
        names_en = [name_en, dataset_en] + [n for n in ALIASES.get(pcode, "").split("|") if n and not any("\u0600" <= c <= "\u06ff" for c in n)]
        keys = set().union(*(match_keys(n) for n in names_ar))
        bare = "no" if pcode in PREFIX_ONLY else "yes"
        target = MERGE.get(pcode)
        if target is None and pcode not in NO_MERGE:
            near = sorted((_km(lat, lon, p.lat, p.lon), p.id) for p in towns
                          if keys & {name_key(n) for n in p.names})
            near = [n for n in near if n[0] < MATCH_KM]
            target = near[0][1] if near else None
        if target is not None:
            place = gaz.get(target)
            extra = [n for n in (*names_ar, *names_en) if name_key(n) not in {name_key(x) for x in place.names}]
            out.append({"id": place.id, "pcode": pcode, "kind": kind, "name_en": name_en, "name_ar": name_ar,
                        "aliases": "|".join(dict.fromkeys(n for n in extra if n not in (name_en, name_ar))),
                        "bare": bare, "governorate": place.governorate, "iso": place.iso,
                        "lat": f"{place.lat}", "lon": f"{place.lon}", "precision": "point",
                        "source": f"merged into {place.id} ({place.source}); OCHA COD-AB {pcode} via {OAD}",
                        "merge_into": place.id})
            return
        point = None
        if gid is not None:
            point = next(r for r in geonames if r["geonameid"] == gid)
        else:
            admin1 = GEONAMES_ADMIN1_OF[gov_id]
            found = []
            for row in geonames:
                ar = [n for n in row["alternatenames_ar"].split("|") if n]
                if row["admin1_code"] == admin1 and ar and keys & set().union(*(match_keys(n) for n in ar)):
                    d = _km(lat, lon, float(row["latitude"]), float(row["longitude"]))
                    if d < MATCH_KM:
                        found.append((d, row["geonameid"], row))
            if found:
                point = sorted(found)[0][2]
        en_for_id = name_en
        if point is not None:
            plat, plon = float(point["latitude"]), float(point["longitude"])
            source = (f"GeoNames {point['geonameid']} '{point['name']}' ({plat}, {plon}) via {point['source']}; "
                      f"OCHA COD-AB {pcode or 'not listed'} via {OAD}")
            precision = "point"
            names_en.append(point["asciiname"] or point["name"])
        else:
            plat, plon = lat, lon
            source = f"approximate: {area} via {OAD}; no populated-place point"
            precision = "area"
        pid = slugify(en_for_id)
        if pid in taken:
            pid = f"{pid}-{gov.id}"
        taken.add(pid)
        ascii_names = []
        for n in names_en:
            for v in (n, n.replace("Al-", "Al ").replace("al-", "al ")):
                ascii_names.append(v)
        aliases = [n for n in dict.fromkeys([*names_ar[1:], *ascii_names]) if n not in (name_en, name_ar)]
        out.append({"id": pid, "pcode": pcode, "kind": kind, "name_en": name_en, "name_ar": name_ar,
                    "aliases": "|".join(aliases), "bare": bare, "governorate": gov.name_en, "iso": gov.iso,
                    "lat": f"{round(plat, 5)}", "lon": f"{round(plon, 5)}", "precision": precision,
                    "source": source, "merge_into": ""})

    for unit in units:
        pcode, gov_id = unit["pcode"], GOVERNORATE_OF_PCODE[unit["pcode"][:5]]
        lat, lon = float(unit["lat"]), float(unit["lon"])
        if unit["level"] == "district":
            # A district's seat is in its centre sub-district (مركز القضاء), where the dataset has one.
            centre = next((u for u in units if u["parent"] == pcode and u["name_en"].startswith("Markaz")), None)
            area = f"area point of the district {pcode}"
            if centre is not None:
                lat, lon = float(centre["lat"]), float(centre["lon"])
                area = f"area point of its centre sub-district {centre['pcode']} ({centre['name_en']})"
            seat(pcode, "district", unit["name_ar"], unit["name_en"], lat, lon, gov_id, area)
        elif not unit["name_en"].startswith("Markaz"):
            seat(pcode, "subdistrict", unit["name_ar"], unit["name_en"], lat, lon, gov_id,
                 f"area point of the sub-district {pcode}")
    for gid, district, name_en, name_ar, aliases in EXTRA:
        ALIASES[f"geonames-{gid}"] = aliases
        row = next(r for r in geonames if r["geonameid"] == gid)
        seat(f"geonames-{gid}", "subdistrict", name_ar, name_en, float(row["latitude"]), float(row["longitude"]),
             GOVERNORATE_OF_PCODE[district[:5]], "", gid)
        out[-1]["pcode"] = ""
        out[-1]["source"] = out[-1]["source"].replace("OCHA COD-AB not listed", f"not in COD-AB; a nahiya of {district}")
    return out


def main() -> None:
    rows = build()
    with open(GEO / "admin_seats.csv", "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=SEAT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"{len(rows)} seats: {sum(r['kind'] == 'district' for r in rows)} districts, "
          f"{sum(r['kind'] == 'subdistrict' for r in rows)} sub-districts; "
          f"{sum(bool(r['merge_into']) for r in rows)} merged, "
          f"{sum(r['precision'] == 'area' for r in rows)} at an area point")


if __name__ == "__main__":
    main()
