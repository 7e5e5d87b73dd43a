"""Downloads: ACLED-style CSV, GeoJSON, and a citation paragraph for a brief."""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

import pandas as pd

ACLED_COLUMNS = (
    "event_date", "time_precision", "event_type", "sub_event_type", "actor1", "admin1", "location",
    "latitude", "longitude", "geo_precision", "source", "notes", "fatalities",
)
REMOTE_VIOLENCE = "Explosions/Remote violence"
BATTLES = "Battles"
UNIDENTIFIED_ACTOR = "Unidentified Armed Group (Iraq)"

# ACLED's codebook: the event type and sub-event type each weapon's attacks fall under.
ACLED_TYPES: dict[str, tuple[str, str]] = {
    "drone": (REMOTE_VIOLENCE, "Air/drone strike"),
    "rocket": (REMOTE_VIOLENCE, "Shelling/artillery/missile attack"),
    "mortar": (REMOTE_VIOLENCE, "Shelling/artillery/missile attack"),
    "ied": (REMOTE_VIOLENCE, "Remote explosive/landmine/IED"),
    "gunfire": (BATTLES, "Armed clash"),
    # No weapon reported: remote violence is what such reports describe, the sub-type is unknown.
    "unknown": (REMOTE_VIOLENCE, ""),
}
# ACLED time precision: 1 the day is known, 2 within about a week, 3 a month or less precise.
TIME_PRECISION = {"day": 1, "approximate": 2, "month": 3, "year": 3, "unknown": 3}
# ACLED geo precision: 1 the town or site, 2 near it or its district, 3 only the province is known.
GEO_PRECISION = {"site": 1, "town": 1, "road": 2, "district": 2, "governorate": 3}

_WEAPON_WORDS = {
    "drone": "Drone attack", "rocket": "Rocket attack", "mortar": "Mortar attack", "ied": "IED attack",
    "gunfire": "Gunfire attack", "unknown": "Attack",
}
_TARGET_WORDS = {
    "base": "a base", "airport": "an airport", "embassy": "an embassy", "convoy": "a convoy",
    "other": "a coalition target",
}
_OUTCOME_WORDS = {
    "casualties": "casualties reported", "hit": "target hit", "intercepted": "intercepted",
    "fell_nearby": "fell nearby", "no_casualties": "no casualties", "unknown": "",
}
# OWASP (CSV injection): a cell starting with = + - @, a tab or a carriage return is read as a formula by
# spreadsheets; so are the full-width forms of the four signs, and a line feed starts one in some of them.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value)


def _count(value: Any) -> int | None:
    return None if _missing(value) else int(value)


def _names(value: Any) -> list[str]:
    if _missing(value):
        return []
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, Iterable):
        return [str(v) for v in value if not _missing(v) and str(v)]
    return [str(value)]


def safe_cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet will not run: text starting with = + - @, tab or CR gets a leading apostrophe.

    Numbers stay numbers (a negative coordinate is not a formula); any other value is written as its text.
    """
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, (int, float)):
        return value
    text = value if isinstance(value, str) else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def write_csv(header: Iterable[str], rows: Iterable[Iterable[Any]]) -> str:
    """CSV text with every cell made safe to open in a spreadsheet (safe_cell): the one writer of every CSV export.

    Rows end with a line feed. A cell holding a carriage return or a line feed is quoted, so no value can start
    a row of its own (Python's writer quotes only the characters of its line terminator: it is written with
    CR LF, which is then replaced by LF at the end of each row).
    """
    out = io.StringIO()
    row_buffer = io.StringIO()
    writer = csv.writer(row_buffer, lineterminator="\r\n")
    for cells in itertools.chain([header], rows):
        row_buffer.seek(0)
        row_buffer.truncate()
        writer.writerow([safe_cell(v) for v in cells])
        out.write(row_buffer.getvalue()[:-2] + "\n")
    return out.getvalue()


def _notes(row: dict[str, Any]) -> str:
    weapon = _text(row.get("weapon")) or "unknown"
    parts = [f"{_WEAPON_WORDS.get(weapon, 'Attack')} on {_TARGET_WORDS.get(_text(row.get('target')), 'a target')}"]
    place = _text(row.get("place_name"))
    if place:
        parts[0] += f" at {place}"
    projectiles = _count(row.get("projectiles"))
    if projectiles:
        parts.append(f"{projectiles} projectile{'s' if projectiles != 1 else ''}")
    outcome = _OUTCOME_WORDS.get(_text(row.get("outcome")), "")
    if outcome:
        parts.append(outcome)
    wounded = _count(row.get("wounded"))
    if wounded:
        parts.append(f"{wounded} wounded")
    claimed = _text(row.get("claimed_by"))
    if claimed:
        parts.append(f"claimed by {claimed}")
    ids = f"Rasd event {_text(row.get('id'))}"
    articles = _names(row.get("articles"))
    if articles:
        ids += f"; articles: {', '.join(articles)}"
    return "; ".join(parts) + f". {ids}."


def _event_date(row: dict[str, Any]) -> str:
    for key in ("date", "date_earliest", "date_latest"):
        value = row.get(key)
        if isinstance(value, date):
            return value.isoformat()
    return ""


def acled_row(row: dict[str, Any]) -> list[Any]:
    """One event (a row of the events frame as a dict) in ACLED_COLUMNS order, not yet made CSV-safe."""
    weapon = _text(row.get("weapon")) or "unknown"
    event_type, sub_event_type = ACLED_TYPES.get(weapon, ACLED_TYPES["unknown"])
    lat, lon = row.get("lat"), row.get("lon")
    return [
        _event_date(row),
        TIME_PRECISION.get(_text(row.get("date_precision")), 3),
        event_type,
        sub_event_type,
        _text(row.get("claimed_by")) or UNIDENTIFIED_ACTOR,
        _text(row.get("governorate")),
        _text(row.get("place_name")),
        "" if _missing(lat) else round(float(lat), 5),
        "" if _missing(lon) else round(float(lon), 5),
        GEO_PRECISION.get(_text(row.get("geo_precision")), 3),
        "; ".join(_names(row.get("outlet_names"))),
        _notes(row),
        _count(row.get("killed")) or 0,
    ]


def acled_csv(events: pd.DataFrame) -> str:
    """The events as CSV text with ACLED's column names and codes, safe to open in a spreadsheet."""
    return write_csv(ACLED_COLUMNS, (acled_row(row) for row in events.to_dict("records")))


def _json_value(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if hasattr(value, "tolist") and not isinstance(value, str):
        return _json_value(value.tolist())
    if _missing(value):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def events_geojson(events: pd.DataFrame) -> str:
    """The events as a GeoJSON FeatureCollection of points; events without coordinates have no geometry."""
    features = []
    for row in events.to_dict("records"):
        lat, lon = row.get("lat"), row.get("lon")
        geometry = None
        if not _missing(lat) and not _missing(lon):
            geometry = {"type": "Point", "coordinates": [round(float(lon), 6), round(float(lat), 6)]}
        properties = {k: _json_value(v) for k, v in row.items() if k not in ("lat", "lon")}
        features.append({"type": "Feature", "id": _text(row.get("id")), "geometry": geometry, "properties": properties})
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


def citation(*, description: str, count: int, sources: list[str], url: str, generated: date) -> str:
    """A plain-text paragraph citing the current view: what it shows, how many events, from which outlets, link."""
    outlets = [s for s in dict.fromkeys(s.strip() for s in sources) if s]
    if not outlets:
        reported = "from Arabic news reports"
    elif len(outlets) == 1:
        reported = f"from reports by {outlets[0]}"
    else:
        reported = f"from reports by {', '.join(outlets[:-1])} and {outlets[-1]}"
    noun = "event" if count == 1 else "events"
    summary = description.strip().rstrip(".")
    return (
        f"Rasd (رصد), attacks on US and coalition forces in Iraq: {summary}. "
        f"{count:,} {noun}, compiled {reported}. "
        f"Generated {generated.day} {generated:%B %Y}. {url}"
    )
