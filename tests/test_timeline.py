"""The timeline chart: granularity, stacked weapon bars, milestones and the `span` selection."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import pytest

from rasd.views.i18n import label
from rasd.views.palette import WEAPON_COLORS
from rasd.store.synthetic import fake_events_frame
from rasd.views.timeline import (
    CHART_WIDTH_PX,
    SELECTION,
    day_counts_of,
    Milestone,
    bin_start,
    granularity,
    load_milestones,
    span_from_selection,
    timeline_chart,
)
from rasd.vocab import WEAPONS

REQUIRED_MILESTONES = {date(2020, 1, 3), date(2021, 12, 31), date(2023, 10, 7)}


@pytest.fixture(scope="module")
def events():
    """2,000 synthetic events over 2019-2024."""
    return fake_events_frame(2000, seed=3)


@pytest.fixture(scope="module")
def milestones():
    """The shipped milestones."""
    return load_milestones()


def layers(spec: dict) -> dict[str, dict]:
    """The chart's layers by mark type (the text layers under 'text-left' / 'text-right')."""
    out = {}
    for layer in spec["layer"]:
        kind = layer["mark"]["type"]
        if kind == "text":
            kind = f"text-{layer['mark']['align']}"
        out[kind] = layer
    return out


def dataset(spec: dict, layer: dict) -> list[dict]:
    return spec["datasets"][layer["data"]["name"]]


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2022, 1, 1), date(2022, 1, 1), "day"),
        (date(2022, 1, 1), date(2022, 3, 31), "day"),  # 89 days
        (date(2022, 1, 1), date(2022, 4, 1), "day"),  # 90 days
        (date(2022, 1, 1), date(2022, 4, 2), "week"),  # 91 days
        (date(2022, 1, 1), date(2023, 12, 31), "week"),
        (date(2022, 1, 1), date(2024, 1, 1), "week"),  # 730 days
        (date(2022, 1, 1), date(2024, 1, 2), "week"),  # 731 days: two years with a leap day
        (date(2022, 1, 1), date(2024, 1, 3), "month"),
        (date(2019, 1, 1), date(2024, 12, 31), "month"),
        (date(2022, 4, 1), date(2022, 1, 1), "day"),  # reversed
    ],
)
def test_granularity(start, end, expected):
    assert granularity(start, end) == expected


@pytest.mark.parametrize(
    ("day", "unit", "expected"),
    [
        (date(2023, 10, 7), "day", date(2023, 10, 7)),
        (date(2023, 10, 7), "week", date(2023, 10, 1)),  # a Saturday: its week began on Sunday the 1st
        (date(2023, 10, 8), "week", date(2023, 10, 8)),  # a Sunday
        (date(2023, 10, 7), "month", date(2023, 10, 1)),
        (date(2024, 2, 29), "month", date(2024, 2, 1)),
    ],
)
def test_bin_start(day, unit, expected):
    assert bin_start(day, unit) == expected


def test_milestones_file(milestones):
    assert REQUIRED_MILESTONES <= {m.date for m in milestones}
    assert len(milestones) >= 6
    assert [m.date for m in milestones] == sorted(m.date for m in milestones)
    assert len({m.rank for m in milestones}) == len(milestones)
    for m in milestones:
        assert m.label_en and m.label_ar and m.label_en != m.label_ar
        assert any("\u0600" <= c <= "\u06ff" for c in m.label_ar)
        assert m.label("en") == m.label_en and m.label("ar") == m.label_ar
    soleimani = next(m for m in milestones if m.date == date(2020, 1, 3))
    assert "Soleimani" in soleimani.label_en and "Muhandis" in soleimani.label_en


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_chart_spec_has_stacked_weapon_bars_milestones_and_span(events, milestones, lang):
    spec = timeline_chart(day_counts_of(events), milestones=milestones, lang=lang).to_dict()
    by_mark = layers(spec)
    bars = by_mark["bar"]
    assert bars["encoding"]["y"]["stack"] == "zero"
    assert bars["encoding"]["color"]["field"] == "label"
    scale = bars["encoding"]["color"]["scale"]
    assert scale["domain"] == [label("weapon", w, lang) for w in WEAPONS]
    assert scale["range"] == [WEAPON_COLORS[w] for w in WEAPONS]
    assert bars["encoding"]["x"]["timeUnit"] == "utcyearmonth"

    rows = dataset(spec, bars)
    assert sum(r["count"] for r in rows) == sum(isinstance(d, date) for d in events["date"])
    per_weapon = {w: sum(r["count"] for r in rows if r["weapon"] == w) for w in WEAPONS}
    assert per_weapon == {w: int(((events["weapon"] == w) & events["date"].notna()).sum()) for w in WEAPONS}

    rules = dataset(spec, by_mark["rule"])
    assert REQUIRED_MILESTONES <= {date.fromisoformat(r["date"]) for r in rules}
    texts = {r["date"]: r["text"] for r in rules}
    for m in milestones:
        assert texts[m.date.isoformat()] == m.label(lang)

    params = spec.get("params", []) + [p for layer in spec["layer"] for p in layer.get("params", [])]
    span = [p for p in params if p["name"] == SELECTION]
    assert len(span) == 1
    assert span[0]["select"]["type"] == "interval" and span[0]["select"]["encodings"] == ["x"]


@pytest.mark.parametrize(
    ("start", "end", "unit"),
    [
        (date(2022, 1, 1), date(2022, 2, 15), "utcyearmonthdate"),
        (date(2022, 1, 1), date(2023, 6, 30), "utcyearweek"),
        (date(2019, 1, 1), date(2024, 12, 31), "utcyearmonth"),
    ],
)
def test_time_unit_and_bins_follow_the_span(events, milestones, start, end, unit):
    spec = timeline_chart(day_counts_of(events), milestones=milestones, start=start, end=end).to_dict()
    bars = layers(spec)["bar"]
    assert bars["encoding"]["x"]["timeUnit"] == unit
    rows = dataset(spec, bars)
    in_span = [d for d in events["date"] if isinstance(d, date) and start <= d <= end]
    assert sum(r["count"] for r in rows) == len(in_span)
    grain = granularity(start, end)
    assert {r["period"] for r in rows} == {bin_start(d, grain).isoformat() for d in in_span}
    shown = {r["date"] for r in dataset(spec, layers(spec)["rule"])}
    assert shown == {m.date.isoformat() for m in milestones if start <= m.date <= end}


def test_crowded_milestone_labels_do_not_share_a_row(events, milestones):
    spec = timeline_chart(day_counts_of(events), milestones=milestones).to_dict()
    rules = dataset(spec, layers(spec)["rule"])
    placed = [r for r in rules if r["level"] >= 0]
    assert {date.fromisoformat(r["date"]) for r in placed} >= REQUIRED_MILESTONES
    rows_used = [r["level"] for r in placed if date.fromisoformat(r["date"]).year == 2020]
    assert len(rows_used) == len(set(rows_used))


def test_unlabelled_milestones_keep_their_rule(events):
    many = [Milestone(date(2021, 6, d), f"Milestone number {d}", f"حدث رقم {d}", d) for d in range(1, 21)]
    spec = timeline_chart(day_counts_of(events), milestones=many).to_dict()
    rules = dataset(spec, layers(spec)["rule"])
    assert len(rules) == 20
    assert 0 < sum(r["level"] >= 0 for r in rules) < 20


def test_empty_frame_gives_a_chart(milestones):
    empty = fake_events_frame(0)
    spec = timeline_chart(day_counts_of(empty), milestones=milestones).to_dict()
    assert dataset(spec, layers(spec)["bar"]) == []
    assert len(dataset(spec, layers(spec)["rule"])) == len(milestones)


def test_undated_events_and_unknown_weapons(milestones):
    frame = fake_events_frame(50, seed=9)
    frame["date"] = pd.Series([None] * 10 + list(frame["date"].iloc[10:]), index=frame.index, dtype=object)
    frame.loc[frame.index[10:15], "weapon"] = "catapult"
    spec = timeline_chart(day_counts_of(frame), milestones=milestones).to_dict()
    rows = dataset(spec, layers(spec)["bar"])
    dated = [d for d in frame["date"] if isinstance(d, date)]
    assert sum(r["count"] for r in rows) == len(dated)
    assert {r["weapon"] for r in rows} <= set(WEAPONS)


def _ms(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.utc).timestamp() * 1000)


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        # What st.altair_chart(..., on_select="rerun") returned in Chromium for a brush on the monthly chart.
        ({"selection": {"span": {"utcyearmonth_period": [1606621728215, 1662060274428]}}},
         (date(2020, 11, 29), date(2022, 9, 1))),
        ({"selection": {"span": {"utcyearweek_period": [_ms(date(2023, 9, 6)), _ms(date(2023, 5, 8))]}}},
         (date(2023, 5, 8), date(2023, 9, 6))),
        ({"selection": {"span": {"period": ["2022-01-03T00:00:00Z", "2022-01-20"]}}},
         (date(2022, 1, 3), date(2022, 1, 20))),
        ({"span": {"utcyearmonthdate_period": [_ms(date(2024, 2, 1)), _ms(date(2024, 2, 7))]}},
         (date(2024, 2, 1), date(2024, 2, 7))),
        ({"selection": {"span": {}}}, None),
        ({"selection": {}}, None),
        ({"selection": {"span": {"period": ["not a date", 5]}}}, None),
        ({}, None),
        (None, None),
    ],
)
def test_span_from_selection(state, expected):
    assert span_from_selection(state) == expected


def _x_domain(spec: dict) -> tuple[date, date]:
    lo, hi = layers(spec)["bar"]["encoding"]["x"]["scale"]["domain"]
    return date(lo["year"], lo["month"], lo["date"]), date(hi["year"], hi["month"], hi["date"])


@pytest.mark.parametrize("lang", ["en", "ar"])
@pytest.mark.parametrize(
    ("start", "end"),
    [(None, None), (date(2019, 6, 1), date(2020, 6, 1)), (date(2023, 9, 1), date(2024, 3, 1))],
)
def test_chart_is_tall_and_milestone_labels_never_overlap(events, milestones, lang, start, end):
    spec = timeline_chart(day_counts_of(events), milestones=milestones, lang=lang, start=start, end=end).to_dict()
    # The height is the plot's own: the legend and the axis are added around it, not taken from it.
    assert spec["height"] >= 300 and spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    texts = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    assert texts and all(layer["mark"]["fontSize"] >= 11 for layer in texts)
    char_px = max(layer["mark"]["fontSize"] for layer in texts) * 0.56
    lo, hi = _x_domain(spec)
    px_per_day = CHART_WIDTH_PX / (hi - lo).days
    boxes: dict[int, list[tuple[float, float]]] = {}
    for row in dataset(spec, layers(spec)["rule"]):
        if row["level"] < 0:
            continue
        x = (date.fromisoformat(row["date"]) - lo).days * px_per_day
        width = len(row["text"]) * char_px
        a, b = (x, x + width) if row["side"] == "left" else (x - width, x)
        assert 0 <= a and b <= CHART_WIDTH_PX, row
        for s, e in boxes.get(row["level"], []):
            assert b <= s or a >= e, (row, boxes[row["level"]])
        boxes.setdefault(row["level"], []).append((a, b))
    assert boxes, "no milestone label placed"
