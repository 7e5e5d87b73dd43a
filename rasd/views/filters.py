"""Filter state as one value object: parsed from a URL, applied to the events frame or SQL, described in words.

URL parameters (public, never renamed): start, end (ISO dates), weapon, target, outcome, review (vocabulary
codes; review takes the public statuses unreviewed, verified, edited), governorate, place, claimant, outlet
(ids), lists comma-separated or repeated, and q (free text).

Bad values never raise from `Filters.from_query`: each is dropped with a `Notice`. When start is after
end, start is kept and end dropped (the earlier bound is usually the one a reader typed on purpose).
`q` is free text: it keeps quotes and angle brackets as literal text (it only ever reaches parameterised
SQL and string matching), minus control characters, capped at MAX_VALUE_CHARS.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

from rasd import vocab
from rasd.errors import FilterError
from rasd.views.i18n import label, t
from rasd.extract.normalize import normalize_digits
from rasd.store.search import fold, folded_lines, present

MAX_VALUE_CHARS = 200
MAX_LIST_ITEMS = 50
MIN_YEAR = 1900
MAX_YEAR = 2100
PRESETS = ("all", "last30", "year")

# The SQL schema sql() targets (rasd/store/core.py): the `events` table with `search_text` (its TEXT_COLUMNS
# folded by rasd.store.search, filled by the store on every write), and `event_outlets`, one row per (event, outlet id). Plain
# SQL both engines run: no functions registered on a connection, no engine-specific operators.
SQL_SEARCH_COLUMN = "search_text"
SQL_OUTLETS_TABLE = "event_outlets"
SQL_TEXT_COLUMNS = ("place_name", "place_name_ar", "evidence", "claimed_by")
# Every clause sql() makes keeps rejected events out: a link only ever reaches public events.
SQL_PUBLIC = "review != 'rejected'"
# Columns of the events frame searched by q; outlet_names holds a list of names per row.
TEXT_COLUMNS = (*SQL_TEXT_COLUMNS, "outlet_names")

Names = Mapping[str, str]

_CODE_PARAMS = {"weapon": ("weapons", vocab.WEAPONS), "target": ("targets", vocab.TARGETS),
                "outcome": ("outcomes", vocab.OUTCOMES), "review": ("reviews", vocab.PUBLIC_REVIEW_STATUSES)}
# (events column, Filters attribute) for the filters that compare one column against a list.
_SCALAR_COLUMNS = (("weapon", "weapons"), ("target", "targets"), ("outcome", "outcomes"), ("review", "reviews"),
                   ("governorate_id", "governorates"), ("place", "places"), ("claimant_id", "claimants"))
_ID_PARAMS = {"governorate": "governorates", "place": "places", "claimant": "claimants", "outlet": "outlets"}
# URL parameter order of to_query().
PARAMS = ("start", "end", "weapon", "target", "outcome", "review", "governorate", "place", "claimant", "outlet",
          "q")

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ID_PUNCT = frozenset("-_.")
_TERM = re.compile(r'"([^"]*)"|(\S+)')


@dataclass(frozen=True, slots=True)
class Notice:
    """A URL value that was ignored or changed, with a plain English sentence saying why."""

    param: str
    value: str
    message: str
    # The values the message quotes ('like this'), in order: a page shows each as literal text.
    quoted: tuple[str, ...] = ()

    @classmethod
    def ignored(cls, param: str, value: str, reason: str) -> "Notice":
        """The notice for a dropped value: "Ignored weapon 'tank': not one of drone, rocket, …"."""
        shown = display_value(value)
        if len(value) > MAX_VALUE_CHARS:
            return cls(param, shown, f"Ignored {param}: {reason}.")
        return cls(param, shown, f"Ignored {param} '{shown}': {reason}.", (shown,))


@dataclass(frozen=True, slots=True)
class KnownIds:
    """Ids that exist in the data; None for a kind means its ids are not checked."""

    governorates: frozenset[str] | None = None
    places: frozenset[str] | None = None
    claimants: frozenset[str] | None = None
    outlets: frozenset[str] | None = None

    @classmethod
    def from_frame(cls, events: pd.DataFrame) -> "KnownIds":
        """The ids present in an events frame."""
        def ids_in(column: str) -> frozenset[str] | None:
            if column not in events.columns:
                return None
            return frozenset(str(v) for v in events[column] if present(v))

        outlets = None
        if "outlets" in events.columns:
            outlets = frozenset(o for row in events["outlets"] for o in _as_list(row))
        return cls(ids_in("governorate_id"), ids_in("place"), ids_in("claimant_id"), outlets)


@dataclass(frozen=True, slots=True)
class Filters:
    """Which events to show. Lists are ORed within a kind and ANDed across kinds; tuples are kept canonical."""

    start: date | None = None
    end: date | None = None
    weapons: tuple[str, ...] = ()
    targets: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    reviews: tuple[str, ...] = ()
    governorates: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    claimants: tuple[str, ...] = ()
    outlets: tuple[str, ...] = ()
    q: str = ""

    def __post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            if isinstance(value, datetime):
                object.__setattr__(self, name, value.date())
            elif value is not None and not isinstance(value, date):
                raise FilterError(f"{name} must be a date, not {type(value).__name__}")
        if self.start and self.end and self.start > self.end:
            raise FilterError(f"start {self.start} is after end {self.end}")
        for param, (attr, allowed) in _CODE_PARAMS.items():
            codes = [_code(c) for c in _as_tuple(getattr(self, attr), attr)]
            unknown = [c for c in codes if c not in allowed]
            if unknown:
                raise FilterError(f"unknown {param} {unknown[0]!r}: not one of {', '.join(allowed)}")
            object.__setattr__(self, attr, tuple(c for c in allowed if c in codes))
        for param, attr in _ID_PARAMS.items():
            ids = {i.strip().lower() for i in _as_tuple(getattr(self, attr), attr)}
            bad = [i for i in ids if not _valid_id(i)]
            if bad:
                raise FilterError(f"invalid {param} id {bad[0][:60]!r}")
            object.__setattr__(self, attr, tuple(sorted(ids)))
        if not isinstance(self.q, str):
            raise FilterError(f"q must be a string, not {type(self.q).__name__}")
        object.__setattr__(self, "q", _clean_text(self.q)[:MAX_VALUE_CHARS].rstrip())

    @classmethod
    def from_query(
        cls, params: Mapping[str, str | Sequence[str]], *, known: KnownIds | None = None
    ) -> tuple["Filters", list[Notice]]:
        """Parse URL parameters; every bad value is dropped with a notice, never raised."""
        notices: list[Notice] = []
        start = _parse_date("start", last_value(params.get("start")), notices)
        end = _parse_date("end", last_value(params.get("end")), notices)
        if start and end and start > end:
            notices.append(Notice.ignored("end", end.isoformat(), f"it is before start '{start.isoformat()}'"))
            end = None
        values: dict[str, object] = {"start": start, "end": end}
        for param, (attr, allowed) in _CODE_PARAMS.items():
            values[attr] = _parse_codes(param, params.get(param), allowed, notices)
        for param, attr in _ID_PARAMS.items():
            allowed_ids = getattr(known, attr) if known is not None else None
            values[attr] = _parse_ids(param, params.get(param), allowed_ids, notices)
        values["q"] = _parse_q(last_value(params.get("q")), notices)
        return cls(**values), notices

    def to_query(self) -> dict[str, str]:
        """URL parameters for the non-default values, in canonical order; lists comma-joined."""
        out: dict[str, str] = {}
        if self.start:
            out["start"] = self.start.isoformat()
        if self.end:
            out["end"] = self.end.isoformat()
        for param, (attr, _) in _CODE_PARAMS.items():
            if getattr(self, attr):
                out[param] = ",".join(getattr(self, attr))
        for param, attr in _ID_PARAMS.items():
            if getattr(self, attr):
                out[param] = ",".join(getattr(self, attr))
        if self.q:
            out["q"] = self.q
        return out

    def is_default(self) -> bool:
        """True when nothing is filtered."""
        return self == Filters()

    def terms(self) -> list[str]:
        """The folded search terms of q; a double-quoted part is one term."""
        folded = fold(self.q)
        return [phrase or word for phrase, word in _TERM.findall(folded) if (phrase or word).strip()]

    def mask(self, events: pd.DataFrame) -> pd.Series:
        """A boolean Series over events: True for the rows these filters keep."""
        keep = pd.Series(True, index=events.index, dtype=bool)
        if self.start or self.end:
            days = pd.to_datetime(_column(events, "date").map(_as_date), errors="coerce")
            keep &= days.notna()
            if self.start:
                keep &= days >= pd.Timestamp(self.start)
            if self.end:
                keep &= days <= pd.Timestamp(self.end)
        for column, attr in _SCALAR_COLUMNS:
            wanted = getattr(self, attr)
            if wanted:
                keep &= _column(events, column).isin(wanted).fillna(False).astype(bool)
        if self.outlets:
            wanted_outlets = set(self.outlets)
            rows = _column(events, "outlets")
            keep &= rows.map(lambda row: not wanted_outlets.isdisjoint(_as_list(row))).astype(bool)
        terms = self.terms()
        if terms and keep.any():
            # Fold only the rows the cheaper filters kept.
            rows = np.flatnonzero(keep.to_numpy())
            haystacks = _haystacks(events.iloc[rows])
            found = np.array([all(term in text for term in terms) for text in haystacks], dtype=bool)
            values = np.zeros(len(events), dtype=bool)
            values[rows] = found
            keep = pd.Series(values, index=events.index, dtype=bool)
        return keep

    def apply(self, events: pd.DataFrame) -> pd.DataFrame:
        """The rows of events these filters keep."""
        return events.loc[self.mask(events)]

    def sql(self) -> tuple[str, list]:
        """A parameterised WHERE clause for the `events` table and its parameters.

        Text search reads `search_text`, outlets `event_outlets` (see SQL_SEARCH_COLUMN). It always leaves rejected
        events out (SQL_PUBLIC), as the store's public reads do.
        """
        clauses: list[str] = [SQL_PUBLIC]
        params: list = []
        if self.start or self.end:
            clauses.append("date IS NOT NULL")
        if self.start:
            clauses.append("date >= ?")
            params.append(self.start.isoformat())
        if self.end:
            clauses.append("date <= ?")
            params.append(self.end.isoformat())
        for column, attr in _SCALAR_COLUMNS:
            wanted = getattr(self, attr)
            if wanted:
                clauses.append(f"{column} IN ({_marks(wanted)})")
                params.extend(wanted)
        if self.outlets:
            clauses.append(f"EXISTS (SELECT 1 FROM {SQL_OUTLETS_TABLE} o WHERE o.event_id = events.id"
                           f" AND o.outlet_id IN ({_marks(self.outlets)}))")
            params.extend(self.outlets)
        for term in self.terms():
            clauses.append(f"{SQL_SEARCH_COLUMN} LIKE ? ESCAPE '!'")
            params.append(f"%{_like_escaped(term)}%")
        return " AND ".join(f"({c})" for c in clauses), params

    def describe(self, count: int, *, lang: str = "en", names: Names | None = None) -> str:
        """One plain-language sentence saying what is shown, with the count."""
        if lang == "ar":
            return _describe_ar(self, count, names or {})
        return _describe_en(self, count, names or {})


def preset_range(name: str, *, data_min: date | None, data_max: date | None) -> tuple[date | None, date | None]:
    """The (start, end) of a date preset: 'last30' days of data, the last calendar 'year' of data, or 'all'.

    The ranges are not clipped to data_min, so a preset reads as a plain period ('1 Jan – 31 Dec 2024').
    With no data (either bound None) every preset is the whole range (None, None).
    """
    if name not in PRESETS:
        raise FilterError(f"unknown date preset {name!r}: not one of {', '.join(PRESETS)}")
    if data_min and data_max and data_min > data_max:
        raise FilterError(f"data_min {data_min} is after data_max {data_max}")
    if name == "all" or data_min is None or data_max is None:
        return None, None
    if name == "last30":
        return data_max - timedelta(days=29), data_max
    return date(data_max.year, 1, 1), date(data_max.year, 12, 31)


def preset_of(start: date | None, end: date | None, *, data_min: date | None, data_max: date | None) -> str | None:
    """The preset whose range is exactly (start, end), or None for a custom range."""
    for name in PRESETS:
        if preset_range(name, data_min=data_min, data_max=data_max) == (start, end):
            return name
    return None


# Parsing helpers.

def _values(raw: str | Sequence[str] | None) -> list[str]:
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    return [v for v in raw if isinstance(v, str)]


def last_value(raw: str | Sequence[str] | None) -> str:
    """The last string of a URL parameter value (a str, or a list of them as Streamlit gives)."""
    values = _values(raw)
    return values[-1] if values else ""


def display_value(value: str) -> str:
    """A URL value made safe to quote in a notice: control characters replaced, at most 60 characters."""
    cleaned = "".join(ch if not _is_control(ch) else "?" for ch in value)
    return cleaned if len(cleaned) <= 60 else cleaned[:59] + "…"


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) == "Cc" or ch in _BIDI_CONTROLS


def _clean_text(text: str) -> str:
    no_controls = "".join(" " if _is_control(ch) else ch for ch in text)
    return " ".join(no_controls.split())


def _parse_date(param: str, raw: str, notices: list[Notice]) -> date | None:
    value = raw.strip()
    if not value:
        return None
    if len(value) > MAX_VALUE_CHARS:
        notices.append(Notice.ignored(param, value, f"longer than {MAX_VALUE_CHARS} characters"))
        return None
    iso = normalize_digits(value)
    if not _ISO_DATE.fullmatch(iso):
        notices.append(Notice.ignored(param, value, "not a date like 2022-01-31"))
        return None
    try:
        parsed = date.fromisoformat(iso)
    except ValueError:
        notices.append(Notice.ignored(param, value, "no such day"))
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        notices.append(Notice.ignored(param, value, f"the year is outside {MIN_YEAR}–{MAX_YEAR}"))
        return None
    return parsed


def _split_list(param: str, raw: str | Sequence[str] | None, notices: list[Notice]) -> list[str]:
    items: dict[str, None] = {}
    budget = MAX_LIST_ITEMS * (MAX_VALUE_CHARS + 1) * 2
    for value in _values(raw):
        for item in value[:budget].split(","):
            item = item.strip()
            if item:
                items.setdefault(item)
            if len(items) > MAX_LIST_ITEMS:
                notices.append(Notice(param, display_value(item),
                                      f"Ignored {param} values beyond the first {MAX_LIST_ITEMS}."))
                return list(items)[:MAX_LIST_ITEMS]
    return list(items)


def _code(value: str) -> str:
    return re.sub(r"[\s-]+", "_", value.strip().lower())


def _parse_codes(param: str, raw: str | Sequence[str] | None, allowed: tuple[str, ...],
                 notices: list[Notice]) -> tuple[str, ...]:
    kept: set[str] = set()
    for item in _split_list(param, raw, notices):
        code = _code(item)
        if len(item) > MAX_VALUE_CHARS:
            notices.append(Notice.ignored(param, item, f"longer than {MAX_VALUE_CHARS} characters"))
        elif code not in allowed:
            notices.append(Notice.ignored(param, item, f"not one of {', '.join(allowed)}"))
        else:
            kept.add(code)
    return tuple(c for c in allowed if c in kept)


def _valid_id(value: str) -> bool:
    if not value or len(value) > MAX_VALUE_CHARS:
        return False
    return all(ch in _ID_PUNCT or unicodedata.category(ch)[0] in "LNM" for ch in value)


def _parse_ids(param: str, raw: str | Sequence[str] | None, allowed: frozenset[str] | None,
               notices: list[Notice]) -> tuple[str, ...]:
    kept: set[str] = set()
    for item in _split_list(param, raw, notices):
        value = item.lower()
        if len(value) > MAX_VALUE_CHARS:
            notices.append(Notice.ignored(param, item, f"longer than {MAX_VALUE_CHARS} characters"))
        elif not _valid_id(value):
            notices.append(Notice.ignored(param, item, "an id has only letters, digits and hyphens"))
        elif allowed is not None and value not in allowed:
            notices.append(Notice.ignored(param, item, f"no such {param} in the data"))
        else:
            kept.add(value)
    return tuple(sorted(kept))


def _parse_q(raw: str, notices: list[Notice]) -> str:
    # Cleaning more than the cap could keep is wasted work on a hostile URL.
    head = raw[: MAX_VALUE_CHARS * 4]
    if any(_is_control(ch) for ch in head):
        notices.append(Notice("q", display_value(head), "Removed control characters from q."))
    text = _clean_text(head)
    if len(text) > MAX_VALUE_CHARS:
        notices.append(Notice("q", display_value(text), f"Shortened q to its first {MAX_VALUE_CHARS} characters."))
        text = text[:MAX_VALUE_CHARS].rstrip()
    return text


def _as_tuple(value: object, attr: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, Iterable):
        raise FilterError(f"{attr} must be a sequence of strings")
    items = tuple(value)
    if not all(isinstance(v, str) for v in items):
        raise FilterError(f"{attr} must be a sequence of strings")
    return items


# Frame helpers.

def _as_list(value: object) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, Iterable):
        return [str(v) for v in value if present(v)]
    return []


def _as_date(value: object) -> date | None:
    if not present(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()[:10]):
        try:
            return date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _column(events: pd.DataFrame, name: str) -> pd.Series:
    if name not in events.columns:
        raise FilterError(f"the events frame has no {name!r} column")
    return events[name]


def _haystacks(events: pd.DataFrame) -> list[str]:
    columns = [c for c in TEXT_COLUMNS if c in events.columns]
    if not columns:
        raise FilterError(f"the events frame has none of the text columns {', '.join(TEXT_COLUMNS)}")
    # The text the store's search_text holds for each row (rasd.store.search), so the mask and sql() agree.
    return [folded_lines(row) for row in zip(*(events[c].tolist() for c in columns))]


def _like_escaped(term: str) -> str:
    # "!" escapes LIKE's wildcards, so "%" and "_" in q are letters, not patterns.
    return term.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" for _ in values)


# describe() helpers.

def _join(items: Sequence[str], word: str) -> str:
    if len(items) <= 2:
        return f" {word} ".join(items)
    return ", ".join(items[:-1]) + f", {word} {items[-1]}"


def _named(ids: Sequence[str], names: Names) -> list[str]:
    return [names.get(i) or i for i in ids]


def _format_day(d: date, lang: str, *, year: bool = True, month: bool = True) -> str:
    parts = [str(d.day)]
    if month:
        parts.append(label("month", str(d.month), lang))
    if year:
        parts.append(str(d.year))
    return " ".join(parts)


def date_span(start: date | None, end: date | None, *, lang: str = "en") -> str:
    """A compact date range: '1–31 Jan 2022', '3 Jan – 5 Feb 2022', 'since 1 Mar 2024', 'until …'."""
    if start and end:
        if start == end:
            return _format_day(start, lang)
        if (start.year, start.month) == (end.year, end.month):
            return f"{start.day}–{_format_day(end, lang)}"
        if start.year == end.year:
            return f"{_format_day(start, lang, year=False)} – {_format_day(end, lang)}"
        return f"{_format_day(start, lang)} – {_format_day(end, lang)}"
    if start:
        return t("date.since", lang, date=_format_day(start, lang))
    if end:
        return t("date.until", lang, date=_format_day(end, lang))
    return ""


def _describe_en(f: Filters, count: int, names: Names) -> str:
    n = f"{count:,}"
    noun = "attack" if count == 1 else "attacks"
    if f.is_default():
        if count == 0:
            return "No attacks"
        return f"{n} attack" if count == 1 else f"All {n} attacks"
    weapons = _join([label("weapon_attack", w, "en") for w in f.weapons], "and")
    head = "No" if count == 0 else n
    parts = [" ".join(p for p in (head, weapons, noun) if p)]
    if f.targets:
        kind = "target_one" if count == 1 else "target_many"
        parts.append("on " + _join([label(kind, code, "en") for code in f.targets], "and"))
    if f.places:
        parts.append("at " + _join(_named(f.places, names), "or"))
    if f.governorates:
        parts.append("in " + _join(_named(f.governorates, names), "or"))
    if f.claimants:
        parts.append("claimed by " + _join(_named(f.claimants, names), "or"))
    if f.outlets:
        parts.append("reported by " + _join(_named(f.outlets, names), "or"))
    if f.q:
        parts.append(f'matching "{f.q}"')
    sentence = " ".join(parts)
    if f.outcomes:
        sentence += ", outcome: " + _join([label("outcome_phrase", o, "en") for o in f.outcomes], "or")
    if f.reviews:
        sentence += ", review: " + _join([label("review", r, "en").lower() for r in f.reviews], "or")
    span = date_span(f.start, f.end, lang="en")
    if span:
        sentence += ", " + span
    return sentence


def _ar_count(count: int) -> str:
    if count == 0:
        return "لا هجمات"
    if count == 1:
        return "هجوم واحد"
    if count == 2:
        return "هجومان"
    n = f"{count:,}"
    rest = count % 100
    if 3 <= rest <= 10:
        return f"{n} هجمات"
    if 11 <= rest <= 99:
        return f"{n} هجومًا"
    return f"{n} هجوم"


def _join_ar(items: Sequence[str]) -> str:
    return " أو ".join(items)


def _describe_ar(f: Filters, count: int, names: Names) -> str:
    if f.is_default():
        if count <= 1:
            return _ar_count(count)
        return f"جميع الهجمات، وعددها {count:,}"
    parts = [_ar_count(count)]
    if f.weapons:
        parts.append("ب" + _join_ar([label("weapon_attack", w, "ar") for w in f.weapons]))
    if f.targets:
        kind = "target_one" if count == 1 else "target_many"
        parts.append("على " + _join_ar([label(kind, code, "ar") for code in f.targets]))
    if f.places:
        parts.append("في " + _join_ar(_named(f.places, names)))
    if f.governorates:
        parts.append("في " + _join_ar(_named(f.governorates, names)))
    sentence = " ".join(parts)
    if f.outlets:
        sentence += " بحسب " + _join_ar(_named(f.outlets, names))
    if f.claimants:
        sentence += "، الجهة المتبنية: " + _join_ar(_named(f.claimants, names))
    if f.outcomes:
        sentence += "، النتيجة: " + _join_ar([label("outcome_phrase", o, "ar") for o in f.outcomes])
    if f.reviews:
        sentence += "، المراجعة: " + _join_ar([label("review", r, "ar") for r in f.reviews])
    if f.q:
        sentence += f"، بحث: «{f.q}»"
    span = date_span(f.start, f.end, lang="ar")
    if span:
        sentence += "، " + span
    return sentence

