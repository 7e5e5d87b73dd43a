"""Downloads: the ACLED-style CSV, GeoJSON round trip, formula-injection guard and the citation."""

from __future__ import annotations

import csv
import io
import json
from datetime import date

import pandas as pd
import pytest

from rasd.views.exports import ACLED_COLUMNS, FORMULA_STARTS, acled_csv, citation, events_geojson, safe_cell, write_csv
from rasd.store.synthetic import fake_events_frame

from hostile import values as hostile_values


@pytest.fixture(scope="module")
def events():
    """120 synthetic events."""
    return fake_events_frame(120, seed=5)


def one(events: pd.DataFrame, **changes) -> pd.DataFrame:
    """The first event with some columns changed."""
    frame = events.head(1).copy()
    for column, value in changes.items():
        frame[column] = pd.Series([value], index=frame.index, dtype=object)
    return frame


def parse(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_acled_columns_and_one_row_per_event(events):
    text = acled_csv(events)
    assert text.splitlines()[0] == ",".join(ACLED_COLUMNS)
    rows = parse(text)
    assert len(rows) == len(events)
    for row, (_, event) in zip(rows, events.iterrows()):
        assert float(row["latitude"]) == pytest.approx(event["lat"])
        assert float(row["longitude"]) == pytest.approx(event["lon"])
        assert row["admin1"] == event["governorate"]
        assert row["location"] == event["place_name"]
        assert row["source"] == "; ".join(event["outlet_names"])
        assert event["id"] in row["notes"]
        for article in event["articles"]:
            assert article in row["notes"]


@pytest.mark.parametrize(
    ("weapon", "event_type", "sub_event_type"),
    [
        ("drone", "Explosions/Remote violence", "Air/drone strike"),
        ("rocket", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("mortar", "Explosions/Remote violence", "Shelling/artillery/missile attack"),
        ("ied", "Explosions/Remote violence", "Remote explosive/landmine/IED"),
        ("gunfire", "Battles", "Armed clash"),
        ("unknown", "Explosions/Remote violence", ""),
    ],
)
def test_event_types_by_weapon(events, weapon, event_type, sub_event_type):
    (row,) = parse(acled_csv(one(events, weapon=weapon)))
    assert (row["event_type"], row["sub_event_type"]) == (event_type, sub_event_type)


@pytest.mark.parametrize(
    ("precision", "code"), [("day", "1"), ("approximate", "2"), ("month", "3"), ("year", "3"), ("unknown", "3")]
)
def test_time_precision(events, precision, code):
    (row,) = parse(acled_csv(one(events, date_precision=precision)))
    assert row["time_precision"] == code


@pytest.mark.parametrize(
    ("precision", "code"), [("site", "1"), ("town", "1"), ("district", "2"), ("governorate", "3")]
)
def test_geo_precision(events, precision, code):
    (row,) = parse(acled_csv(one(events, geo_precision=precision)))
    assert row["geo_precision"] == code


@pytest.mark.parametrize(
    ("changes", "event_date"),
    [
        ({"date": date(2022, 1, 4)}, "2022-01-04"),
        ({"date": None, "date_earliest": date(2022, 1, 3)}, "2022-01-03"),
        ({"date": None, "date_earliest": None, "date_latest": None}, ""),
    ],
)
def test_event_date(events, changes, event_date):
    (row,) = parse(acled_csv(one(events, **changes)))
    assert row["event_date"] == event_date


@pytest.mark.parametrize(("killed", "fatalities"), [(3, "3"), (0, "0"), (None, "0"), (pd.NA, "0")])
def test_fatalities_are_killed_or_zero(events, killed, fatalities):
    frame = events.head(1).copy()
    frame["killed"] = pd.array([killed], dtype="Int64")
    (row,) = parse(acled_csv(frame))
    assert row["fatalities"] == fatalities


@pytest.mark.parametrize(
    ("claimed_by", "actor1"),
    [("Kataib Hezbollah", "Kataib Hezbollah"), ("", "Unidentified Armed Group (Iraq)")],
)
def test_actor_is_the_claimant_or_unidentified(events, claimed_by, actor1):
    (row,) = parse(acled_csv(one(events, claimed_by=claimed_by)))
    assert row["actor1"] == actor1


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("Ain al-Asad", "Ain al-Asad"),
        ("عين الأسد", "عين الأسد"),
        (33.5, 33.5),
        (-1, -1),
    ],
)
def test_safe_cell(value, cell):
    assert safe_cell(value) == cell


@pytest.mark.parametrize("column", ["place_name", "governorate", "claimed_by"])
def test_formula_injection_is_guarded_in_every_text_column(events, column):
    (row,) = parse(acled_csv(one(events, **{column: "=cmd|' /C calc'!A0"})))
    assert "'=cmd|' /C calc'!A0" in row.values()
    assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())


def test_outlet_names_with_formulas_are_guarded(events):
    (row,) = parse(acled_csv(one(events, outlet_names=["@evil", "Rudaw"])))
    assert row["source"] == "'@evil; Rudaw"


def test_geojson_round_trip(events):
    frame = events.copy()
    frame.loc[frame.index[0], "lat"] = float("nan")
    data = json.loads(events_geojson(frame), parse_constant=lambda c: pytest.fail(f"non-JSON constant {c}"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(frame)
    assert data["features"][0]["geometry"] is None
    for feature, (_, event) in list(zip(data["features"], frame.iterrows()))[1:]:
        assert feature["type"] == "Feature" and feature["id"] == event["id"]
        assert feature["geometry"]["type"] == "Point"
        assert feature["geometry"]["coordinates"] == [pytest.approx(event["lon"]), pytest.approx(event["lat"])]
        props = feature["properties"]
        assert "lat" not in props and "lon" not in props
        assert props["id"] == event["id"]
        assert props["date"] == (event["date"].isoformat() if event["date"] else None)
        assert props["outlets"] == list(event["outlets"]) and props["articles"] == list(event["articles"])
        assert props["killed"] == (None if pd.isna(event["killed"]) else int(event["killed"]))
        assert props["place_name_ar"] == event["place_name_ar"]


def test_empty_exports():
    empty = fake_events_frame(0)
    assert acled_csv(empty).splitlines() == [",".join(ACLED_COLUMNS)]
    assert json.loads(events_geojson(empty)) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(
    ("count", "sources", "phrase"),
    [
        (12, ["Shafaq News", "Rudaw", "Shafaq News", "Alsumaria"],
         "12 events, compiled from reports by Shafaq News, Rudaw and Alsumaria."),
        (1, ["Rudaw"], "1 event, compiled from reports by Rudaw."),
        (1500, [], "1,500 events, compiled from Arabic news reports."),
    ],
)
def test_citation(count, sources, phrase):
    url = "http://localhost:8501/?weapon=drone&start=2022-01-01"
    text = citation(
        description="Drone attacks on bases in Anbar, 1 January 2022 to 31 March 2022.",
        count=count, sources=sources, url=url, generated=date(2024, 5, 2),
    )
    assert "Drone attacks on bases in Anbar, 1 January 2022 to 31 March 2022." in text
    assert phrase in text
    assert "Generated 2 May 2024." in text
    assert text.endswith(url)
    assert "\n" not in text


# Every hostile value of tests/data/hostile/ in every text column: no cell a spreadsheet would run.

@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_neutralised(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"
    rows = list(csv.reader(io.StringIO(write_csv(["h"], [[f"{start}1+1"]]), newline="")))
    assert rows == [["h"], [f"'{start}1+1"]]


@pytest.mark.parametrize("hostile", hostile_values(), ids=lambda h: h.vector)
def test_no_hostile_value_becomes_a_live_formula(events, hostile):
    frame = one(events, place_name=hostile.value, governorate=hostile.value, claimed_by=hostile.value,
                outlet_names=[hostile.value, "Rudaw"])
    text = acled_csv(frame)
    cells = [c for row in csv.reader(io.StringIO(text)) for c in row]
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    value = hostile.value
    shown = "'" + value if value.startswith(FORMULA_STARTS) else value
    assert shown in cells  # place_name is the location column, as it is (an apostrophe before a formula)


def test_write_csv_keeps_numbers_and_empty_cells():
    rows = list(csv.reader(io.StringIO(write_csv(["a", "b", "c"], [[-33.5, None, "-x"]]))))
    assert rows[1] == ["-33.5", "", "'-x"]


@pytest.mark.parametrize("value", ["x\r=HYPERLINK(\"http://evil.example\")", "x\n@SUM(A1)", "x\r\n+1", "a,b\r-1"])
def test_a_line_break_in_a_cell_cannot_start_a_row(value):
    rows = list(csv.reader(io.StringIO(write_csv(["a", "b"], [[value, "z"]]), newline="")))
    assert rows == [["a", "b"], [value, "z"]]
    assert write_csv(["a"], [["1"]]) == "a\n1\n"
