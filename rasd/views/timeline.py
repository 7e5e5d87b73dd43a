"""The timeline: attacks per day, week or month stacked by weapon, with milestones and a selectable span."""

from __future__ import annotations

import csv
import importlib.resources
import io
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import altair as alt
import pandas as pd

from rasd.views.i18n import label, t
from rasd.views.palette import WEAPON_COLORS
from rasd.vocab import WEAPONS

SELECTION = "span"
DAY_LIMIT = 90
WEEK_LIMIT = 731
_TIME_UNITS = {"day": "utcyearmonthdate", "week": "utcyearweek", "month": "utcyearmonth"}
_AXIS_FORMATS = {"day": "%d %b %Y", "week": "%d %b %Y", "month": "%b %Y"}
_TITLES = {"day": "timeline.by_day", "week": "timeline.by_week", "month": "timeline.by_month"}
# Height of the plot itself: the legend and the axis come on top of it (autosize fit-x, not fit).
CHART_HEIGHT_PX = 320
# Label layout assumes a plot at least this wide (Streamlit's main column at about 1024 px with the sidebar
# open); a wider chart only adds room between the labels.
CHART_WIDTH_PX = 640
_FONT_PX = 11
_CHAR_PX = 6.2
_LABEL_LEVELS = 5
_LABEL_TOP = 9
_LABEL_ROW = 16


# rank is the row's position in milestones.csv, which lists milestones by importance: when labels would
# overlap, the less important ones are drawn as rules without text (the text stays in their tooltip).
@dataclass(frozen=True, slots=True)
class Milestone:
    """A dated event that helps read the timeline (a strike, a vote, the start of a war)."""

    date: date
    label_en: str
    label_ar: str
    rank: int = 0

    def label(self, lang: str) -> str:
        """The label in lang (English unless lang is Arabic)."""
        return self.label_ar if lang == "ar" and self.label_ar else self.label_en


def load_milestones() -> list[Milestone]:
    """The milestones of rasd/views/data/milestones.csv, oldest first."""
    text = importlib.resources.files("rasd.views").joinpath("data/milestones.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(io.StringIO(text))
    milestones = [
        Milestone(date.fromisoformat(r["date"].strip()), r["label_en"].strip(), r["label_ar"].strip(), rank)
        for rank, r in enumerate(rows)
    ]
    return sorted(milestones, key=lambda m: (m.date, m.rank))


def granularity(start: date, end: date) -> str:
    """'day' for spans up to 90 days, 'week' up to two years, else 'month'."""
    days = abs((end - start).days)
    if days <= DAY_LIMIT:
        return "day"
    if days <= WEEK_LIMIT:
        return "week"
    return "month"


def bin_start(day: date, unit: str) -> date:
    """The first day of the bin holding day: itself, its week (weeks start on Sunday, as in Vega-Lite) or month."""
    if unit == "week":
        return day - timedelta(days=(day.weekday() + 1) % 7)
    if unit == "month":
        return day.replace(day=1)
    return day


def _bin_end(day: date, unit: str) -> date:
    start = bin_start(day, unit)
    if unit == "week":
        return start + timedelta(days=7)
    if unit == "month":
        return date(start.year + (start.month == 12), start.month % 12 + 1, 1)
    return start + timedelta(days=1)


def _datetime(day: date) -> alt.DateTime:
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def day_counts_of(events: pd.DataFrame) -> pd.DataFrame:
    """Events per (day, weapon) of an events frame, dated ones only: what rasd.views.queries.day_counts asks SQL for."""
    columns = ["date", "weapon", "n"]
    if events.empty:
        return pd.DataFrame(columns=columns)
    frame = pd.DataFrame(
        {"date": events["date"].to_numpy(dtype=object), "weapon": events["weapon"].to_numpy(dtype=object)}
    )
    frame = frame[[isinstance(d, date) for d in frame["date"]]]
    return frame.groupby(["date", "weapon"]).size().reset_index(name="n")[columns]


def _counts(per_day: pd.DataFrame, unit: str, start: date, end: date, lang: str) -> pd.DataFrame:
    columns = ["period", "weapon", "label", "order", "count"]
    per_day = per_day[(per_day["date"] >= start) & (per_day["date"] <= end)] if len(per_day) else per_day
    if per_day.empty:
        return pd.DataFrame(columns=columns)
    weapons = per_day["weapon"].where(per_day["weapon"].isin(list(WEAPONS)), "unknown")
    periods = [bin_start(d, unit).isoformat() for d in per_day["date"]]
    counts = (pd.DataFrame({"period": periods, "weapon": weapons.to_numpy(), "count": per_day["n"].to_numpy()})
              .groupby(["period", "weapon"], sort=True)["count"].sum().reset_index())
    order = {w: i for i, w in enumerate(WEAPONS)}
    counts["order"] = counts["weapon"].map(order).astype(int)
    counts["label"] = [label("weapon", w, lang) for w in counts["weapon"]]
    return counts[columns]


def timeline_chart(
    per_day: pd.DataFrame,
    *,
    milestones: Sequence[Milestone],
    lang: str = "en",
    start: date | None = None,
    end: date | None = None,
) -> alt.LayerChart:
    """Stacked bars of events per period by weapon, milestone rules, and an x interval selection named 'span'.

    per_day holds events per (date, weapon, n): rasd.views.queries.day_counts, or day_counts_of(events frame).
    """
    dated = [d for d in per_day["date"].tolist() if isinstance(d, date)] if len(per_day) else []
    fallback = [m.date for m in milestones] or [date.today()]
    start = start or min(dated or fallback)
    end = end or max(dated or fallback)
    if end < start:
        start, end = end, start
    unit = granularity(start, end)
    time_unit = _TIME_UNITS[unit]
    domain = [_datetime(bin_start(start, unit)), _datetime(_bin_end(end, unit))]
    x_title = t(_TITLES[unit], lang)
    labels = [label("weapon", w, lang) for w in WEAPONS]
    colors = [WEAPON_COLORS[w] for w in WEAPONS]

    counts = _counts(per_day, unit, start, end, lang)
    tallest = int(counts.groupby("period")["count"].sum().max()) if len(counts) else 1
    # The top of the plot is left to the milestone labels.
    headroom = math.ceil(tallest * CHART_HEIGHT_PX / (CHART_HEIGHT_PX - _LABEL_TOP - _LABEL_ROW * _LABEL_LEVELS - 8))
    bars = (
        alt.Chart(counts)
        .mark_bar()
        .encode(
            x=alt.X("period:T", timeUnit=time_unit, title=x_title, scale=alt.Scale(domain=domain),
                    axis=alt.Axis(format=_AXIS_FORMATS[unit], labelOverlap=True)),
            y=alt.Y("sum(count):Q", stack="zero", title=t("timeline.count", lang),
                    scale=alt.Scale(domain=[0, headroom], nice=False)),
            color=alt.Color(
                "label:N", title=t("event.weapon", lang),
                scale=alt.Scale(domain=labels, range=colors),
                legend=alt.Legend(orient="top", symbolType="square"),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("period:T", timeUnit=time_unit, title=t("event.date", lang), format=_AXIS_FORMATS[unit]),
                alt.Tooltip("label:N", title=t("event.weapon", lang)),
                alt.Tooltip("sum(count):Q", title=t("timeline.count", lang)),
            ],
        )
        .add_params(alt.selection_interval(name=SELECTION, encodings=["x"]))
    )

    shown = [m for m in milestones if start <= m.date <= end]
    placed = _place_labels(shown, bin_start(start, unit), _bin_end(end, unit), lang)
    marks = pd.DataFrame(
        {
            "date": [m.date.isoformat() for m in shown],
            "text": [m.label(lang) for m in shown],
            "level": [placed[m].level if m in placed else -1 for m in shown],
            "side": [placed[m].side if m in placed else "" for m in shown],
        },
        columns=["date", "text", "level", "side"],
    )
    milestone_x = alt.X("date:T", timeUnit="utcyearmonthdate")
    rules = alt.Chart(marks).mark_rule(color="#444444", strokeDash=[4, 3], strokeWidth=1).encode(
        x=milestone_x,
        tooltip=[alt.Tooltip("date:T", timeUnit="utcyearmonthdate", title=t("event.date", lang)),
                 alt.Tooltip("text:N", title=t("timeline.milestones", lang))],
    )
    lowest = _LABEL_TOP + _LABEL_ROW * (_LABEL_LEVELS - 1)
    levels = alt.Y("level:Q", axis=None, scale=alt.Scale(domain=[0, _LABEL_LEVELS - 1], range=[_LABEL_TOP, lowest]))
    # Each label is drawn twice: a white outline first, so the text stays readable across rules and bars.
    texts = [
        alt.Chart(marks)
        .transform_filter(alt.datum.side == side)
        .mark_text(align=side, dx=4 if side == "left" else -4, baseline="middle", fontSize=_FONT_PX,
                   color="#222222", **halo)
        .encode(x=milestone_x, y=levels, text="text:N")
        for halo in ({"stroke": "#ffffff", "strokeWidth": 3, "strokeOpacity": 0.9}, {})
        for side in ("left", "right")
    ]
    return (
        alt.layer(bars, rules, *texts)
        .resolve_scale(y="independent")
        .properties(height=CHART_HEIGHT_PX, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    )


@dataclass(frozen=True, slots=True)
class _Placement:
    level: int
    side: str


def _place_labels(milestones: Sequence[Milestone], lo: date, hi: date, lang: str) -> dict[Milestone, _Placement]:
    """Greedy rows for the labels, most important first; a label that fits no row is left out."""
    px_per_day = CHART_WIDTH_PX / max((hi - lo).days, 1)
    rows: list[list[tuple[float, float]]] = [[] for _ in range(_LABEL_LEVELS)]
    placed: dict[Milestone, _Placement] = {}
    for m in sorted(milestones, key=lambda m: m.rank):
        x = (m.date - lo).days * px_per_day
        width = len(m.label(lang)) * _CHAR_PX + 10
        side = "left" if x + width <= CHART_WIDTH_PX else "right"
        a, b = (x, x + width) if side == "left" else (x - width, x)
        for level, row in enumerate(rows):
            if all(b <= s or a >= e for s, e in row):
                row.append((a, b))
                placed[m] = _Placement(level, side)
                break
    return placed


def _as_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).date() if value.tzinfo else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value / 1000, tz=timezone.utc).date()
    if isinstance(value, str):
        try:
            return _as_date(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return None
    return None


def span_from_selection(selection_state: Mapping[str, Any] | None) -> tuple[date, date] | None:
    """The (first, last) day brushed on the chart, from what st.altair_chart(..., on_select="rerun") returns."""
    if not selection_state:
        return None
    selection = selection_state.get("selection", selection_state)
    span = selection.get(SELECTION) if isinstance(selection, Mapping) else None
    if not isinstance(span, Mapping):
        return None
    for value in span.values():
        if isinstance(value, Sequence) and not isinstance(value, str) and len(value) == 2:
            first, last = _as_date(value[0]), _as_date(value[1])
            if first is not None and last is not None:
                return (first, last) if first <= last else (last, first)
    return None
