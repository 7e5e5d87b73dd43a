"""Filters: URL round trips, bad values, the pandas mask, the SQL clause and the plain-language sentence."""

from __future__ import annotations

import itertools
import sqlite3
from datetime import date

import pandas as pd
import pytest

from rasd import vocab
from rasd.errors import FilterError
from rasd.views.filters import (
    MAX_LIST_ITEMS,
    MAX_VALUE_CHARS,
    PARAMS,
    Filters,
    KnownIds,
    date_span,
    preset_of,
    preset_range,
)
from rasd.slug import slugify
from rasd.store.search import folded_lines

# One hand-built row per situation the filters must tell apart.
ROWS = [
    dict(id="e1", review="verified", date=date(2022, 1, 1), weapon="drone", target="base", outcome="intercepted",
         governorate_id="anbar", place="ain-al-asad", place_name="Ain al-Asad Air Base",
         place_name_ar="قاعدة عين الأسد الجوية", claimed_by="", claimant_id="",
         outlet_names=["Al-Araby Al-Jadeed"], evidence="إحباط هجوم بطائرتين مسيّرتين على قاعدة عين الأسد"),
    dict(id="e2", review="edited", date=date(2022, 1, 31), weapon="rocket", target="embassy", outcome="hit",
         governorate_id="baghdad", place="us-embassy-baghdad", place_name="US Embassy Baghdad",
         place_name_ar="السفارة الأمريكية في بغداد", claimed_by="Kataib Hezbollah", claimant_id="kataib-hezbollah",
         outlet_names=["Al Jazeera", "Al-Araby Al-Jadeed"], evidence="سقطت صواريخ قرب السفارة الأمريكية"),
    dict(id="e3", review="unreviewed", date=date(2022, 2, 1), weapon="ied", target="convoy", outcome="no_casualties",
         governorate_id="baghdad", place="baghdad", place_name="Baghdad", place_name_ar="بغداد",
         claimed_by="", claimant_id="", outlet_names=["Shafaq News"],
         evidence="انفجرت عبوة ناسفة برتل للدعم اللوجستي تابع للتحالف"),
    dict(id="e4", review="unreviewed", date=None, weapon="mortar", target="base", outcome="unknown",
         governorate_id="salah-al-din", place="balad-air-base", place_name="Balad Air Base",
         place_name_ar="قاعدة بلد الجوية", claimed_by="", claimant_id="", outlet_names=[],
         evidence="سقطت قذائف هاون على قاعدة بلد"),
    dict(id="e5", review="verified", date=date(2021, 12, 31), weapon="drone", target="airport", outcome="fell_nearby",
         governorate_id="erbil", place="erbil-airport", place_name="Erbil International Airport",
         place_name_ar="مطار أربيل الدولي", claimed_by="Saraya Awliya al-Dam", claimant_id="saraya-awliya-al-dam",
         outlet_names=["Rudaw"], evidence="استهدفت طائرة مسيرة مطار اربيل الدولي"),
    dict(id="e6", review="unreviewed", date=date(2022, 1, 15), weapon="gunfire", target="other", outcome="casualties",
         governorate_id="anbar", place="al-qaim", place_name="Al-Qaim", place_name_ar="القائم",
         claimed_by="Kataib Hezbollah", claimant_id="kataib-hezbollah", outlet_names=["Al Jazeera"],
         evidence="أسفر الهُجُوم عن إصابة جنديين"),
    dict(id="e7", review="edited", date=date(2022, 3, 10), weapon="unknown", target="base", outcome="unknown",
         governorate_id="anbar", place="ain-al-asad", place_name="Ain al-Asad Air Base",
         place_name_ar="قاعدة عين الأسد الجوية", claimed_by="", claimant_id="", outlet_names=["Shafaq News"],
         evidence="دوي انفجار قرب القاعدة"),
]
ALL_IDS = {r["id"] for r in ROWS}


def _frame() -> pd.DataFrame:
    rows = [dict(r, outlets=[slugify(n) for n in r["outlet_names"]]) for r in ROWS]
    frame = pd.DataFrame(rows)
    frame["date"] = pd.Series([r["date"] for r in ROWS], dtype=object)
    return frame


@pytest.fixture(scope="module")
def events() -> pd.DataFrame:
    return _frame()


def _search_text(r: dict) -> str:
    return folded_lines([r["place_name"], r["place_name_ar"], r["evidence"], r["claimed_by"], r["outlet_names"]])


@pytest.fixture(scope="module")
def conn() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute(
        "CREATE TABLE events (id TEXT PRIMARY KEY, date TEXT, weapon TEXT, target TEXT, outcome TEXT,"
        " governorate_id TEXT, place TEXT, claimant_id TEXT, place_name TEXT, place_name_ar TEXT,"
        " claimed_by TEXT, evidence TEXT, review TEXT, search_text TEXT)"
    )
    db.execute("CREATE TABLE event_outlets (event_id TEXT, outlet_id TEXT)")
    for r in ROWS:
        db.execute(
            "INSERT INTO events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["id"], r["date"].isoformat() if r["date"] else None, r["weapon"], r["target"], r["outcome"],
             r["governorate_id"], r["place"], r["claimant_id"], r["place_name"], r["place_name_ar"],
             r["claimed_by"], r["evidence"], r["review"], _search_text(r)),
        )
        for name in dict.fromkeys(slugify(n) for n in r["outlet_names"]):
            db.execute("INSERT INTO event_outlets VALUES (?, ?)", (r["id"], name))
    return db


def _sql_ids(db: sqlite3.Connection, filters: Filters) -> set[str]:
    clause, params = filters.sql()
    return {row[0] for row in db.execute(f"SELECT id FROM events WHERE {clause}", params)}


def _mask_ids(frame: pd.DataFrame, filters: Filters) -> set[str]:
    return set(frame.loc[filters.mask(frame), "id"])


# ---------------------------------------------------------------- round trips

ROUND_TRIPS = [
    # (query in, canonical query out)
    ({}, {}),
    ({"start": "2022-01-01"}, {"start": "2022-01-01"}),
    ({"end": "2022-01-31"}, {"end": "2022-01-31"}),
    ({"start": "2022-01-01", "end": "2022-01-31"}, {"start": "2022-01-01", "end": "2022-01-31"}),
    ({"start": "2022-01-05", "end": "2022-01-05"}, {"start": "2022-01-05", "end": "2022-01-05"}),
    ({"weapon": "rocket,drone"}, {"weapon": "drone,rocket"}),
    ({"weapon": ["rocket", "drone"]}, {"weapon": "drone,rocket"}),
    ({"weapon": ["rocket,mortar", "drone"]}, {"weapon": "drone,rocket,mortar"}),
    ({"weapon": " Drone , IED ,drone"}, {"weapon": "drone,ied"}),
    ({"weapon": ",".join(reversed(vocab.WEAPONS))}, {"weapon": ",".join(vocab.WEAPONS)}),
    ({"target": "convoy,base"}, {"target": "base,convoy"}),
    ({"outcome": "no casualties,HIT"}, {"outcome": "hit,no_casualties"}),
    ({"outcome": "fell-nearby"}, {"outcome": "fell_nearby"}),
    ({"review": "verified"}, {"review": "verified"}),
    ({"review": "edited,verified,unreviewed"}, {"review": "unreviewed,verified,edited"}),
    ({"review": ["Edited", " verified "]}, {"review": "verified,edited"}),
    ({"governorate": "baghdad,anbar"}, {"governorate": "anbar,baghdad"}),
    ({"governorate": ["Baghdad", "anbar", "baghdad"]}, {"governorate": "anbar,baghdad"}),
    ({"place": "camp-victory,ain-al-asad"}, {"place": "ain-al-asad,camp-victory"}),
    ({"claimant": "kataib-hezbollah"}, {"claimant": "kataib-hezbollah"}),
    ({"outlet": "rudaw,al-araby-al-jadeed"}, {"outlet": "al-araby-al-jadeed,rudaw"}),
    ({"place": "عين-الأسد"}, {"place": "عين-الأسد"}),
    ({"q": "  عين   الأسد "}, {"q": "عين الأسد"}),
    ({"q": 'rocket "Victory base"'}, {"q": 'rocket "Victory base"'}),
    ({"q": ["old", "new"]}, {"q": "new"}),
    ({"start": ["2021-01-01", "2022-01-01"]}, {"start": "2022-01-01"}),
    ({"weapon": "", "target": " ", "q": ""}, {}),
    ({"unrelated": "x", "lat": "33.3"}, {}),
    (
        {"q": "x", "outlet": "b", "claimant": "c", "place": "p", "governorate": "g", "review": "verified",
         "outcome": "hit", "target": "base", "weapon": "drone", "end": "2022-12-31", "start": "2022-01-01"},
        {"start": "2022-01-01", "end": "2022-12-31", "weapon": "drone", "target": "base", "outcome": "hit",
         "review": "verified", "governorate": "g", "place": "p", "claimant": "c", "outlet": "b", "q": "x"},
    ),
]


@pytest.mark.parametrize(("query", "expected"), ROUND_TRIPS)
def test_round_trip(query, expected):
    filters, notices = Filters.from_query(query)
    assert notices == []
    out = filters.to_query()
    assert out == expected
    assert list(out) == [p for p in PARAMS if p in out]
    again, notices = Filters.from_query(out)
    assert again == filters and notices == []
    assert again.to_query() == out


def test_round_trip_every_code_combination():
    for kind, codes in (("weapon", vocab.WEAPONS), ("target", vocab.TARGETS), ("outcome", vocab.OUTCOMES)):
        for size in range(1, 4):
            for combo in itertools.permutations(codes, size):
                filters, notices = Filters.from_query({kind: ",".join(combo)})
                assert notices == []
                assert filters.to_query()[kind] == ",".join(c for c in codes if c in combo)
                assert Filters.from_query(filters.to_query())[0] == filters


def test_to_query_is_empty_only_for_defaults():
    assert Filters().to_query() == {} and Filters().is_default()
    assert not Filters(q="x").is_default()
    assert not Filters(start=date(2022, 1, 1)).is_default()


def test_direct_construction_is_canonical():
    f = Filters(weapons=("rocket", "Drone", "drone"), places=("b", "a"))
    assert f.weapons == ("drone", "rocket") and f.places == ("a", "b")
    assert f == Filters(weapons=("drone", "rocket"), places=("a", "b"))


@pytest.mark.parametrize(
    "kwargs",
    [
        dict(weapons=("tank",)),
        dict(targets=("house",)),
        dict(outcomes=("win",)),
        dict(reviews=("rejected",)),
        dict(reviews=("approved",)),
        dict(places=("a'; drop table events; --",)),
        dict(outlets=("<script>",)),
        dict(start=date(2022, 2, 1), end=date(2022, 1, 1)),
        dict(start="2022-01-01"),
        dict(weapons=(1,)),
        dict(q=5),
    ],
)
def test_direct_construction_rejects_bad_values(kwargs):
    with pytest.raises(FilterError):
        Filters(**kwargs)


# ---------------------------------------------------------------- bad values

LONG = "x" * (MAX_VALUE_CHARS + 1)
BAD_VALUES = [
    # (query, param named by the notice, what is kept)
    ({"start": "2022-02-30"}, "start", {}),
    ({"start": "2022-13-01"}, "start", {}),
    ({"start": "yesterday"}, "start", {}),
    ({"start": "2022-1-5"}, "start", {}),
    ({"start": "0001-01-01"}, "start", {}),
    ({"end": "20220105"}, "end", {}),
    ({"end": "2022-01-01T10:00"}, "end", {}),
    ({"end": "2022-01-01' OR '1'='1"}, "end", {}),
    ({"start": LONG}, "start", {}),
    ({"start": "2022-03-01", "end": "2022-01-01"}, "end", {"start": "2022-03-01"}),
    ({"weapon": "tank"}, "weapon", {}),
    ({"weapon": "drone,tank"}, "weapon", {"weapon": "drone"}),
    ({"weapon": ["drone", "<script>alert(1)</script>"]}, "weapon", {"weapon": "drone"}),
    ({"weapon": "drone' OR 1=1 --"}, "weapon", {}),
    ({"weapon": LONG}, "weapon", {}),
    ({"target": "hospital"}, "target", {}),
    ({"outcome": "victory"}, "outcome", {}),
    ({"review": "rejected"}, "review", {}),  # rejected events are never public
    ({"review": "verified,approved"}, "review", {"review": "verified"}),
    ({"review": "verified' OR 1=1 --"}, "review", {}),
    ({"governorate": "anbar,<script>"}, "governorate", {"governorate": "anbar"}),
    ({"place": "ain-al-asad'); DROP TABLE events;--"}, "place", {}),
    ({"place": 'a"b'}, "place", {}),
    ({"place": "a b"}, "place", {}),
    ({"claimant": "kh\x00"}, "claimant", {}),
    ({"claimant": "kh\u202e"}, "claimant", {}),
    ({"outlet": LONG}, "outlet", {}),
    ({"outlet": "rudaw,../../etc/passwd"}, "outlet", {"outlet": "rudaw"}),
    ({"q": "rocket\x00\x1b[31m attack"}, "q", {"q": "rocket [31m attack"}),
    ({"q": "x" * 500}, "q", {"q": "x" * MAX_VALUE_CHARS}),
]


@pytest.mark.parametrize(("query", "param", "kept"), BAD_VALUES)
def test_bad_values_are_dropped_with_a_notice(query, param, kept):
    filters, notices = Filters.from_query(query)
    assert filters.to_query() == kept
    assert param in {n.param for n in notices}
    for notice in notices:
        assert notice.message.endswith(".") and notice.param in notice.message
        assert len(notice.value) <= 60
        assert not any(ord(ch) < 32 for ch in notice.value + notice.message)


def test_unknown_weapon_notice_lists_the_vocabulary():
    _, notices = Filters.from_query({"weapon": "Tank"})
    assert notices[0].message == "Ignored weapon 'Tank': not one of drone, rocket, mortar, ied, gunfire, unknown."


def test_list_is_capped():
    many = ",".join(f"id-{i}" for i in range(MAX_LIST_ITEMS + 10))
    filters, notices = Filters.from_query({"place": many})
    assert len(filters.places) == MAX_LIST_ITEMS
    assert [n.param for n in notices] == ["place"]


def test_huge_input_is_cheap_and_bounded():
    filters, notices = Filters.from_query({"place": "a," * 1_000_000, "q": "ب" * 1_000_000,
                                           "weapon": ["drone"] * 10_000})
    assert filters.places == ("a",) and filters.weapons == ("drone",)
    assert len(filters.q) == MAX_VALUE_CHARS
    assert {n.param for n in notices} == {"q"}


def test_known_ids_drop_unknown_ones():
    known = KnownIds(governorates=frozenset({"anbar"}), places=frozenset({"ain-al-asad"}))
    filters, notices = Filters.from_query(
        {"governorate": "anbar,narnia", "place": "ain-al-asad,atlantis", "claimant": "anyone"}, known=known
    )
    assert filters.governorates == ("anbar",) and filters.places == ("ain-al-asad",)
    assert filters.claimants == ("anyone",)  # claimants not checked: KnownIds.claimants is None
    assert sorted(n.param for n in notices) == ["governorate", "place"]
    assert "narnia" in " ".join(n.message for n in notices)


def test_known_ids_from_frame(events):
    known = KnownIds.from_frame(events)
    assert known.governorates == frozenset(events["governorate_id"])
    assert "kataib-hezbollah" in known.claimants and "" not in known.claimants
    assert known.outlets == frozenset({"al-araby-al-jadeed", "al-jazeera", "shafaq-news", "rudaw"})
    filters, notices = Filters.from_query({"outlet": "rudaw,bbc"}, known=known)
    assert filters.outlets == ("rudaw",) and [n.param for n in notices] == ["outlet"]


def test_quotes_and_markup_in_q_are_kept_as_text():
    filters, notices = Filters.from_query({"q": "<script>alert('x')</script>"})
    assert filters.q == "<script>alert('x')</script>" and notices == []


# ---------------------------------------------------------------- mask and SQL

MASK_CASES = [
    ({}, ALL_IDS),
    ({"start": "2022-01-01"}, {"e1", "e2", "e3", "e6", "e7"}),
    ({"end": "2022-01-01"}, {"e1", "e5"}),
    ({"start": "2022-01-01", "end": "2022-01-31"}, {"e1", "e2", "e6"}),
    ({"start": "2022-01-31", "end": "2022-01-31"}, {"e2"}),
    ({"start": "2022-01-02", "end": "2022-01-14"}, set()),
    ({"start": "2000-01-01", "end": "2100-12-31"}, ALL_IDS - {"e4"}),
    ({"weapon": "drone"}, {"e1", "e5"}),
    ({"weapon": "drone,rocket"}, {"e1", "e2", "e5"}),
    ({"weapon": "unknown"}, {"e7"}),
    ({"target": "base"}, {"e1", "e4", "e7"}),
    ({"outcome": "unknown,hit"}, {"e2", "e4", "e7"}),
    ({"review": "verified"}, {"e1", "e5"}),
    ({"review": "edited"}, {"e2", "e7"}),
    ({"review": "unreviewed"}, {"e3", "e4", "e6"}),
    ({"review": "verified,edited"}, {"e1", "e2", "e5", "e7"}),
    ({"review": "unreviewed,verified,edited"}, ALL_IDS),
    ({"review": "verified", "weapon": "drone", "governorate": "erbil"}, {"e5"}),
    ({"governorate": "anbar"}, {"e1", "e6", "e7"}),
    ({"governorate": "anbar,erbil"}, {"e1", "e5", "e6", "e7"}),
    ({"place": "ain-al-asad"}, {"e1", "e7"}),
    ({"claimant": "kataib-hezbollah"}, {"e2", "e6"}),
    ({"outlet": "al-araby-al-jadeed"}, {"e1", "e2"}),
    ({"outlet": "shafaq-news,rudaw"}, {"e3", "e5", "e7"}),
    ({"q": "عين الأسد"}, {"e1", "e7"}),
    ({"q": "عين الاسد"}, {"e1", "e7"}),  # no hamza in the query
    ({"q": "أربيل"}, {"e5"}),  # hamza in the query, none in the evidence, both in place_name_ar
    ({"q": "مسيّر"}, {"e1", "e5"}),  # shadda in the query, absent in e5's evidence
    ({"q": "مسيرتين"}, {"e1"}),  # no shadda in the query, present in the text
    ({"q": "الهجوم"}, {"e6"}),  # damma-laden text, plain query
    ({"q": "ٱلسفارة"}, {"e2"}),  # alef wasla
    ({"q": "AIN AL-ASAD"}, {"e1", "e7"}),
    ({"q": "kataib"}, {"e2", "e6"}),  # claimed_by
    ({"q": "jazeera"}, {"e2", "e6"}),  # outlet names
    ({"q": "baghdad embassy"}, {"e2"}),  # every word, in any field
    ({"q": '"embassy baghdad"'}, {"e2"}),  # a phrase
    ({"q": '"baghdad embassy"'}, set()),
    ({"q": "zzz"}, set()),
    ({"q": "'; DROP TABLE events; --"}, set()),
    ({"q": "%"}, set()),
    ({"q": "_"}, set()),
    ({"weapon": "drone", "governorate": "anbar"}, {"e1"}),
    ({"target": "base", "start": "2022-01-01", "end": "2022-02-28"}, {"e1"}),
    ({"claimant": "kataib-hezbollah", "outlet": "al-jazeera", "weapon": "gunfire"}, {"e6"}),
    ({"governorate": "baghdad", "q": "بغداد", "outcome": "no_casualties"}, {"e3"}),
    ({"place": "ain-al-asad", "outcome": "intercepted", "q": "طائرتين"}, {"e1"}),
    ({"weapon": "mortar", "start": "2000-01-01"}, set()),  # e4 has no date
]


@pytest.mark.parametrize(("query", "expected"), MASK_CASES)
def test_mask_and_sql_agree_with_hand_results(events, conn, query, expected):
    filters, notices = Filters.from_query(query)
    assert notices == []
    mask = filters.mask(events)
    assert mask.dtype == bool and mask.index.equals(events.index)
    assert _mask_ids(events, filters) == expected
    assert set(filters.apply(events)["id"]) == expected
    assert _sql_ids(conn, filters) == expected


def test_sql_agrees_with_mask_on_every_pair_of_filters(events, conn):
    singles = [q for q, _ in MASK_CASES if len(q) == 1]
    for a, b in itertools.combinations(singles, 2):
        if set(a) & set(b):
            continue
        filters = Filters.from_query({**a, **b})[0]
        assert _sql_ids(conn, filters) == _mask_ids(events, filters), (a, b)


def test_mask_handles_other_date_types_and_empty_frames(events):
    frame = events.copy()
    days = [r["date"] for r in ROWS]
    frame["date"] = [pd.Timestamp(d) if d else pd.NaT for d in days]
    f = Filters(start=date(2022, 1, 1), end=date(2022, 1, 31))
    assert _mask_ids(frame, f) == {"e1", "e2", "e6"}
    frame["date"] = [d.isoformat() if d else None for d in days]
    assert _mask_ids(frame, f) == {"e1", "e2", "e6"}
    empty = events.iloc[0:0]
    assert f.mask(empty).empty and Filters(q="x", weapons=("drone",)).apply(empty).empty


def test_mask_missing_column_raises(events):
    with pytest.raises(FilterError):
        Filters(weapons=("drone",)).mask(events.drop(columns=["weapon"]))


def test_values_never_reach_the_sql_text():
    evil = "x'); DROP TABLE events; --"
    filters = Filters(
        start=date(2022, 1, 1), end=date(2022, 1, 31), weapons=("drone",), targets=("base",), outcomes=("hit",),
        governorates=("anbar",), places=("ain-al-asad",), claimants=("kataib-hezbollah",),
        outlets=("al-araby-al-jadeed",), q=f'عين "{evil}" <script>',
    )
    clause, params = filters.sql()
    for value in ("2022-01-01", "2022-01-31", "drone", "base", "hit", "anbar", "ain-al-asad", "kataib-hezbollah",
                  "al-araby-al-jadeed", "DROP", "script", "عين"):
        assert value not in clause
        assert any(value.lower() in str(p) for p in params)
    assert clause.count("?") == len(params)


def test_sql_for_no_filter_is_true(conn):
    clause, params = Filters().sql()
    assert params == [] and _sql_ids(conn, Filters()) == ALL_IDS


def test_sql_never_returns_rejected_events(conn):
    conn.execute("UPDATE events SET review = 'rejected' WHERE id = 'e1'")
    try:
        assert _sql_ids(conn, Filters()) == ALL_IDS - {"e1"}
        assert _sql_ids(conn, Filters(places=("ain-al-asad",))) == {"e7"}
        assert _sql_ids(conn, Filters(reviews=("verified",))) == {"e5"}
    finally:
        conn.execute("UPDATE events SET review = 'verified' WHERE id = 'e1'")


def test_sql_matches_the_real_store(tmp_path):
    """The clause runs against rasd.store's schema and agrees with Store.events_frame()."""
    from rasd.store import Store

    store = Store(tmp_path / "rasd.sqlite")
    db = sqlite3.connect(tmp_path / "rasd.sqlite")
    # Only dated rows: Store.events_frame() cannot yet read a NULL date (reported to the store's owner).
    rows = [r for r in ROWS if r["date"]]
    for pos, r in enumerate(rows, 1):
        db.execute(
            "INSERT INTO events (id, date, date_earliest, date_latest, date_precision, place, place_name,"
            " place_name_ar, lat, lon, geo_precision, governorate, governorate_id, weapon, target, outcome,"
            " claimed_by, claimant_id, n_sources, evidence, review, search_text, pos)"
            " VALUES (?, ?, ?, ?, 'day', ?, ?, ?, 33.0, 43.0, 'site', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (r["id"], *([r["date"].isoformat() if r["date"] else None] * 3), r["place"], r["place_name"],
             r["place_name_ar"], r["governorate_id"].title(), r["governorate_id"], r["weapon"], r["target"],
             r["outcome"], r["claimed_by"], r["claimant_id"], len(r["outlet_names"]), r["evidence"], r["review"],
             _search_text(r), pos),
        )
        for name in dict.fromkeys(slugify(n) for n in r["outlet_names"]):
            db.execute("INSERT INTO event_outlets (event_id, outlet_id) VALUES (?, ?)", (r["id"], name))
        for seq, name in enumerate(r["outlet_names"]):
            db.execute(
                "INSERT INTO event_sources (event_id, seq, article, evidence, outlet, url, start_offset, end_offset)"
                " VALUES (?, ?, ?, ?, ?, '', -1, -1)",
                (r["id"], seq, f"{r['id']}-{seq}.txt", r["evidence"], name),
            )
    db.commit()
    frame = store.events_frame()
    stored = {r["id"] for r in rows}
    assert set(frame["id"]) == stored
    for query, expected in MASK_CASES:
        filters = Filters.from_query(query)[0]
        assert _mask_ids(frame, filters) == expected & stored, query
        assert _sql_ids(db, filters) == expected & stored, query
    db.close()


# ---------------------------------------------------------------- describe

NAMES_EN = {"anbar": "Anbar", "baghdad": "Baghdad", "ain-al-asad": "Ain al-Asad Air Base",
            "kataib-hezbollah": "Kataib Hezbollah", "al-araby-al-jadeed": "Al-Araby Al-Jadeed"}
NAMES_AR = {"anbar": "الأنبار", "baghdad": "بغداد", "ain-al-asad": "قاعدة عين الأسد",
            "kataib-hezbollah": "كتائب حزب الله", "al-araby-al-jadeed": "العربي الجديد"}
JAN = dict(start=date(2022, 1, 1), end=date(2022, 1, 31))

DESCRIBE_EN = [
    (Filters(), 42, None, "All 42 attacks"),
    (Filters(), 1, None, "1 attack"),
    (Filters(), 0, None, "No attacks"),
    (Filters(), 12345, None, "All 12,345 attacks"),
    (Filters(weapons=("drone",), targets=("base",), governorates=("anbar",), **JAN), 7, NAMES_EN,
     "7 drone attacks on bases in Anbar, 1–31 Jan 2022"),
    (Filters(weapons=("drone",), targets=("base",), governorates=("anbar",), **JAN), 7, None,
     "7 drone attacks on bases in anbar, 1–31 Jan 2022"),
    (Filters(weapons=("drone",)), 1, None, "1 drone attack"),
    (Filters(weapons=("drone",), targets=("base",)), 1, None, "1 drone attack on a base"),
    (Filters(weapons=("drone",)), 0, None, "No drone attacks"),
    (Filters(weapons=("rocket", "drone")), 3, None, "3 drone and rocket attacks"),
    (Filters(weapons=("drone", "rocket", "mortar")), 3, None, "3 drone, rocket, and mortar attacks"),
    (Filters(weapons=("ied",), targets=("convoy",)), 2, None, "2 IED attacks on convoys"),
    (Filters(governorates=("baghdad", "anbar")), 5, NAMES_EN, "5 attacks in Anbar or Baghdad"),
    (Filters(places=("ain-al-asad",), governorates=("anbar",)), 4, NAMES_EN,
     "4 attacks at Ain al-Asad Air Base in Anbar"),
    (Filters(claimants=("kataib-hezbollah",)), 2, NAMES_EN, "2 attacks claimed by Kataib Hezbollah"),
    (Filters(outlets=("al-araby-al-jadeed",)), 2, NAMES_EN, "2 attacks reported by Al-Araby Al-Jadeed"),
    (Filters(q="عين الأسد"), 3, None, '3 attacks matching "عين الأسد"'),
    (Filters(outcomes=("intercepted", "hit")), 6, None, "6 attacks, outcome: hit or intercepted"),
    (Filters(reviews=("edited", "verified")), 4, None, "4 attacks, review: verified or edited"),
    (Filters(weapons=("drone",), reviews=("unreviewed",)), 1, None, "1 drone attack, review: unreviewed"),
    (Filters(start=date(2022, 1, 3), end=date(2022, 2, 5)), 9, None, "9 attacks, 3 Jan – 5 Feb 2022"),
    (Filters(start=date(2021, 12, 3), end=date(2022, 2, 5)), 9, None, "9 attacks, 3 Dec 2021 – 5 Feb 2022"),
    (Filters(start=date(2022, 1, 4), end=date(2022, 1, 4)), 2, None, "2 attacks, 4 Jan 2022"),
    (Filters(start=date(2024, 3, 1)), 11, None, "11 attacks, since 1 Mar 2024"),
    (Filters(end=date(2024, 3, 1)), 11, None, "11 attacks, until 1 Mar 2024"),
]


@pytest.mark.parametrize(("filters", "count", "names", "expected"), DESCRIBE_EN)
def test_describe_en(filters, count, names, expected):
    assert filters.describe(count, names=names) == expected


DESCRIBE_AR = [
    (Filters(weapons=("drone",), targets=("base",), governorates=("anbar",), **JAN), 7, NAMES_AR,
     "7 هجمات بطائرات مسيّرة على قواعد في الأنبار، 1–31 يناير 2022"),
    (Filters(), 42, None, "جميع الهجمات، وعددها 42"),
    (Filters(), 1, None, "هجوم واحد"),
    (Filters(), 0, None, "لا هجمات"),
    (Filters(weapons=("rocket",)), 1, None, "هجوم واحد بصواريخ"),
    (Filters(weapons=("rocket",)), 2, None, "هجومان بصواريخ"),
    (Filters(weapons=("rocket",)), 10, None, "10 هجمات بصواريخ"),
    (Filters(weapons=("rocket",)), 11, None, "11 هجومًا بصواريخ"),
    (Filters(weapons=("rocket",)), 99, None, "99 هجومًا بصواريخ"),
    (Filters(weapons=("rocket",)), 100, None, "100 هجوم بصواريخ"),
    (Filters(weapons=("rocket",)), 105, None, "105 هجمات بصواريخ"),
    (Filters(weapons=("rocket",)), 0, None, "لا هجمات بصواريخ"),
    (Filters(targets=("base",)), 1, None, "هجوم واحد على قاعدة"),
    (Filters(weapons=("drone", "rocket"), targets=("base", "airport")), 4, None,
     "4 هجمات بطائرات مسيّرة أو صواريخ على قواعد أو مطارات"),
    (Filters(governorates=("anbar", "baghdad")), 3, NAMES_AR, "3 هجمات في الأنبار أو بغداد"),
    (Filters(claimants=("kataib-hezbollah",)), 3, NAMES_AR, "3 هجمات، الجهة المتبنية: كتائب حزب الله"),
    (Filters(outlets=("al-araby-al-jadeed",)), 3, NAMES_AR, "3 هجمات بحسب العربي الجديد"),
    (Filters(outcomes=("intercepted",)), 3, None, "3 هجمات، النتيجة: اعتراض"),
    (Filters(reviews=("verified",)), 3, None, "3 هجمات، المراجعة: موثَّق"),
    (Filters(reviews=("verified", "edited")), 3, None, "3 هجمات، المراجعة: موثَّق أو مُصحَّح"),
    (Filters(q="عين الأسد"), 3, None, "3 هجمات، بحث: «عين الأسد»"),
    (Filters(start=date(2022, 1, 3), end=date(2022, 2, 5)), 3, None, "3 هجمات، 3 يناير – 5 فبراير 2022"),
    (Filters(start=date(2024, 3, 1)), 3, None, "3 هجمات، منذ 1 مارس 2024"),
    (Filters(end=date(2024, 3, 1)), 3, None, "3 هجمات، حتى 1 مارس 2024"),
]


@pytest.mark.parametrize(("filters", "count", "names", "expected"), DESCRIBE_AR)
def test_describe_ar(filters, count, names, expected):
    assert filters.describe(count, lang="ar", names=names) == expected


@pytest.mark.parametrize(
    ("start", "end", "lang", "expected"),
    [
        (date(2022, 1, 1), date(2022, 1, 31), "en", "1–31 Jan 2022"),
        (date(2022, 1, 3), date(2022, 2, 5), "en", "3 Jan – 5 Feb 2022"),
        (date(2021, 12, 30), date(2022, 1, 2), "en", "30 Dec 2021 – 2 Jan 2022"),
        (date(2022, 1, 3), None, "en", "since 3 Jan 2022"),
        (None, date(2022, 1, 3), "en", "until 3 Jan 2022"),
        (None, None, "en", ""),
        (date(2022, 1, 1), date(2022, 1, 31), "ar", "1–31 يناير 2022"),
    ],
)
def test_date_span(start, end, lang, expected):
    assert date_span(start, end, lang=lang) == expected


# ---------------------------------------------------------------- presets

PRESET_CASES = [
    ("all", date(2021, 5, 1), date(2024, 8, 9), (None, None)),
    ("last30", date(2021, 5, 1), date(2024, 8, 9), (date(2024, 7, 11), date(2024, 8, 9))),
    ("year", date(2021, 5, 1), date(2024, 8, 9), (date(2024, 1, 1), date(2024, 12, 31))),
    ("last30", date(2024, 3, 1), date(2024, 3, 1), (date(2024, 2, 1), date(2024, 3, 1))),  # leap year
    ("year", None, None, (None, None)),
    ("last30", None, None, (None, None)),
]


@pytest.mark.parametrize(("name", "lo", "hi", "expected"), PRESET_CASES)
def test_preset_range(name, lo, hi, expected):
    got = preset_range(name, data_min=lo, data_max=hi)
    assert got == expected
    if got != (None, None):
        assert (got[1] - got[0]).days + 1 in (30, 365, 366)
        assert got[0] <= hi <= got[1]
        assert preset_of(*got, data_min=lo, data_max=hi) == name


def test_preset_errors_and_custom():
    with pytest.raises(FilterError):
        preset_range("decade", data_min=None, data_max=None)
    assert preset_of(date(2022, 1, 2), date(2022, 1, 3), data_min=date(2022, 1, 1), data_max=date(2022, 5, 1)) is None
    assert preset_of(None, None, data_min=None, data_max=None) == "all"
