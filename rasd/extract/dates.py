"""Arabic date expressions in news text, resolved to DateRange against the article's reference date."""

from __future__ import annotations

import bisect
import calendar
import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources

from rasd.errors import RasdError
from rasd.models import Article, DateRange
from rasd.extract.normalize import normalize_arabic, normalize_digits, normalize_with_offsets

# Part-of-period words: day bounds inside a month, month bounds inside a year.
_MONTH_PARTS = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_YEAR_PARTS = {"early": (1, 3), "mid": (4, 9), "late": (10, 12)}
_PRECISION_RANK = {"day": 0, "approximate": 1, "month": 2, "year": 3, "unknown": 4}
_STEPS = {"past": -1, "before_last": -2, "current": 0, "future": 1, None: 0}
# With a reference taken from the text the publication day is only known to within about a week.
_TEXT_REFERENCE_SLACK = timedelta(days=7)
_KINDS = frozenset(
    {
        "month", "weekday", "relday", "time", "part", "marker", "period", "this", "recent", "ago",
        "unit", "units", "dual", "number", "ordinal", "glue", "context", "block_after", "block_before",
    }
)
_YEAR_LIKE = re.compile(r"(?:19|20)\d\d")


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a text: its span in the original text and the dates it denotes."""

    start: int
    end: int
    text: str
    range: DateRange
    kind: str
    future: bool = False


@dataclass(frozen=True, slots=True)
class Reference:
    """The date relative expressions resolve against, where it comes from, and data-quality flags."""

    date: date | None
    # "catalogue", "url" (a date in the article's address), "dateline" (a date line atop the text),
    # "text" (the latest day it states), "none"
    basis: str
    flags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DateWords:
    """The date vocabulary of rasd/extract/data/date_words.csv: normalised word -> value, by kind."""

    by_kind: dict[str, dict[str, str]] = field(default_factory=dict)

    def values(self, kind: str) -> dict[str, str]:
        """Every normalised word of one kind with its value."""
        return self.by_kind.get(kind, {})

    def words(self, kind: str, value: str | None = None) -> list[str]:
        """Normalised words of one kind, optionally only those with the given value."""
        return [w for w, v in self.values(kind).items() if value is None or v == value]

    def number(self, kind: str, word: str) -> int:
        """The integer value of a word of the given kind, looked up through normalisation."""
        return int(self.values(kind)[normalize_arabic(word)])


@cache
def date_words() -> DateWords:
    """The packaged date vocabulary table, rasd/extract/data/date_words.csv (cached)."""
    return parse_date_words(resources.files("rasd.extract").joinpath("data/date_words.csv").read_text(encoding="utf-8"))


def parse_date_words(text: str) -> DateWords:
    """Read a date vocabulary CSV (kind,word,value); raise RasdError on an unknown kind or a conflict."""
    by_kind: dict[str, dict[str, str]] = {}
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        kind, word = (row.get("kind") or "").strip(), normalize_arabic(row.get("word") or "")
        value = normalize_arabic(row.get("value") or "")
        if kind not in _KINDS or not word:
            raise RasdError(f"date_words.csv line {line}: bad kind or empty word: {row}")
        known = by_kind.setdefault(kind, {})
        if known.get(word, value) != value:
            raise RasdError(f"date_words.csv line {line}: {word!r} is both {known[word]} and {value}")
        known[word] = value
    return DateWords(by_kind)


@dataclass(frozen=True, slots=True)
class _Hit:
    """A parsed expression before resolution: span in the normalised text and how to resolve it."""

    start: int
    end: int
    kind: str
    resolve: Callable[[date | None], DateRange]
    future: bool = False
    widen: bool = False


@dataclass(frozen=True, slots=True)
class _Rule:
    """One pattern of the grammar, the anchor word it cannot match without, and its parser."""

    anchor: str
    pattern: re.Pattern[str]
    parse: Callable[[re.Match[str], str], _Hit | None]




def _mid(a: date, b: date) -> date:
    """The middle day of an interval (the later one of two middles)."""
    return a + timedelta(days=((b - a).days + 1) // 2)


def _approx(a: date, b: date) -> DateRange:
    """An approximate interval dated at its middle."""
    return DateRange(_mid(a, b), a, b, "approximate")


def _last_day(year: int, month: int) -> int:
    """Number of days in a month."""
    return calendar.monthrange(year, month)[1]


def _month_range(year: int, month: int) -> DateRange:
    """A whole month."""
    a, b = date(year, month, 1), date(year, month, _last_day(year, month))
    return DateRange(_mid(a, b), a, b, "month")


def _year_range(year: int) -> DateRange:
    """A whole year."""
    a, b = date(year, 1, 1), date(year, 12, 31)
    return DateRange(_mid(a, b), a, b, "year")


def _month_part(year: int, month: int, part: str) -> DateRange:
    """The early, middle or late days of a month."""
    lo, hi = _MONTH_PARTS[part]
    return _approx(date(year, month, lo), date(year, month, min(hi, _last_day(year, month))))


def _year_part(year: int, part: str) -> DateRange:
    """The early, middle or late months of a year."""
    lo, hi = _YEAR_PARTS[part]
    return _approx(date(year, lo, 1), date(year, hi, _last_day(year, hi)))


def _shift_month(year: int, month: int, steps: int) -> tuple[int, int]:
    """(year, month) a number of months away."""
    n = year * 12 + month - 1 + steps
    return n // 12, n % 12 + 1


def _clip(r: DateRange, ref: date) -> DateRange:
    """A past part-of-period range that runs on past the reference ends at the reference."""
    if r.precision == "approximate" and r.earliest and r.latest and r.earliest <= ref < r.latest:
        return _approx(r.earliest, ref)
    return r


def _weekday_date(wd: int, mark: str | None, ref: date) -> date:
    """The weekday on or before the reference; strictly before with الماضي, after with المقبل."""
    if mark == "future":
        return ref + timedelta(days=(wd - ref.weekday() - 1) % 7 + 1)
    if mark in ("past", "before_last"):
        d = ref - timedelta(days=(ref.weekday() - wd - 1) % 7 + 1)
        return d - timedelta(days=7) if mark == "before_last" else d
    return ref - timedelta(days=(ref.weekday() - wd) % 7)


def _month_year(month: int, mark: str | None, ref: date) -> int:
    """Year of a named month without a year: the most recent one (strictly before with الماضي)."""
    if mark == "current":
        return ref.year
    if mark == "future":
        return ref.year if month > ref.month else ref.year + 1
    strict = mark in ("past", "before_last")
    year = ref.year if (month < ref.month if strict else month <= ref.month) else ref.year - 1
    return year - 1 if mark == "before_last" else year


def _day_month_date(day: int, month: int, mark: str | None, ref: date) -> date | None:
    """The day+month without year nearest the reference in the direction the marker says."""
    if mark == "current":
        return date(ref.year, month, day) if day <= _last_day(ref.year, month) else None
    step = 1 if mark == "future" else -1
    skip = 1 if mark == "before_last" else 0
    for k in range(9):
        year = ref.year + step * k
        if day > _last_day(year, month):
            continue
        d = date(year, month, day)
        if (mark == "future" and d > ref) or (mark in ("past", "before_last") and d < ref) or (
            mark is None and d <= ref
        ):
            if skip:
                skip -= 1
                continue
            return d
    return None




def _alt(words: list[str] | dict[str, str]) -> str:
    """A regex alternation of table words, longest first, any run of spaces between their parts."""
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


def _word(m: re.Match[str], group: str) -> str | None:
    """A matched group collapsed to the table's normalised spelling."""
    value = m.group(group)
    return " ".join(value.split()) if value else None


_EDGE_PUNCT = re.compile(r"^\W+|\W+$")


def _prev_token(norm: str, start: int) -> str:
    """The word before a position, without punctuation or a leading و/ف clitic."""
    tokens = norm[max(0, start - 24) : start].split()
    token = _EDGE_PUNCT.sub("", tokens[-1]) if tokens else ""
    return token[1:] if len(token) > 2 and token[0] in "وف" else token


def _next_token(norm: str, end: int) -> str:
    """The word after a position, without punctuation."""
    tokens = norm[end : end + 24].split()
    return _EDGE_PUNCT.sub("", tokens[0]) if tokens else ""


class _Grammar:
    """The compiled patterns and their parsers, built once from the word table."""

    def __init__(self, words: DateWords) -> None:
        self.w = words
        s, o, c = r"\s+", r"\s*", r"\s*,?\s*"
        lead, tail = r"(?<!\w)(?:[وف](?=\w))?", r"(?!\w)"
        month, wd = _alt(words.values("month")), _alt(words.values("weekday"))
        mark, part = _alt(words.values("marker")), _alt(words.values("part"))
        g = {role: _alt(words.words("glue", role)) for role in set(words.values("glue").values())}
        ordinal = _alt(words.values("ordinal"))
        year = r"(?P<y>(?:19|20)\d\d)(?!\d)"
        year_opt = rf"(?:{c}(?:{g['of']}{s})?(?:{g['year']}{s})?{year})?"
        months = rf"(?P<mon>{month})(?:{o}[/(\-]{o}(?P<mon2>{month}){o}\)?)?"
        mark_opt = rf"(?:{s}(?P<mark>{mark}))?"
        wd_pre = rf"(?:(?:{_alt(words.values('time'))}{s})?(?:{g['day']}{s})?(?P<wd>{wd}){c}(?:{g['equals']}{s})?)?"
        day = rf"(?:(?P<d>\d{{1,2}}){o}(?:[/\-]{o})?(?:{g['of']}{s})?|(?P<o>{ordinal}){s}{g['of']}{s})"
        tod = rf"(?:(?P<tod>{_alt(words.values('time'))}){s})?"
        this = _alt(words.values("this"))
        period = _alt(words.values("period"))
        units = _alt(words.values("units"))
        unit = _alt(words.values("unit"))
        # "قبل يومين من الهجوم" counts from another event, not from the reference.
        not_anchor = rf"(?!{s}(?:\d|{month}|{wd}|{_alt(words.values('relday'))}|{g['of']}(?!\w)|{g['to']}(?!\w)))"
        # A singular unit followed by a noun is a construct ("قبل يوم الانتخابات"), not a time ago.
        alone = r"(?=\s*(?:[^\w\s]|$))"
        anchor_kinds = ("month", "weekday", "relday", "period", "recent", "ago")
        self.anchors = re.compile(
            r"(?P<digit>\d)|(?<!\w)[وف]?(?:"
            + "|".join(f"(?P<{k}>{_alt(words.values(k))})" for k in anchor_kinds)
            + r")(?!\w)"
        )
        self.rules = [
            _Rule(
                "month",
                re.compile(rf"{lead}(?P<m>{wd_pre}{day}(?:{g['month']}{s})?{months}{mark_opt}{year_opt}){tail}"),
                self._day_month,
            ),
            _Rule(
                "period",
                re.compile(
                    rf"{lead}(?P<m>{day}(?:(?P<this>{this}){s})?(?P<per>{period}){mark_opt}){tail}"
                ),
                self._day_relative_month,
            ),
            _Rule(
                "month",
                re.compile(
                    rf"{lead}(?P<m>(?:(?P<part>{part}){s})?(?:(?P<shahr>{g['month']}){s})?{months}{mark_opt}"
                    rf"{year_opt}){tail}"
                ),
                self._month,
            ),
            _Rule(
                "digit",
                re.compile(rf"{lead}(?P<m>(?:(?P<part>{part}){s})?(?:(?P<yw>{g['year']}){s})?{year}){tail}"),
                self._year,
            ),
            _Rule(
                "digit",
                re.compile(
                    rf"(?<![\w/.\-])(?P<m>{wd_pre}(?P<a>\d{{1,4}}){o}(?P<sep>[/.\-]){o}(?P<b>\d{{1,2}}){o}"
                    rf"(?P=sep){o}(?P<c>\d{{1,4}}))(?!\w|[/.\-]\d)"
                ),
                self._numeric,
            ),
            _Rule(
                "relday",
                re.compile(
                    rf"{lead}(?P<m>{tod}(?:{g['day']}{s})?(?P<rel>{_alt(words.values('relday'))})"
                    rf"(?:{c}(?:{g['day']}{s})?(?P<wd>{wd}))?){tail}"
                ),
                self._relative_day,
            ),
            _Rule(
                "weekday",
                re.compile(rf"{lead}(?P<m>{tod}(?:{g['day']}{s})?(?P<wd>{wd}){mark_opt}){tail}"),
                self._weekday,
            ),
            _Rule(
                "weekday",
                re.compile(
                    rf"{lead}(?P<m>(?P<tod>{_alt(words.words('time', 'night'))}){s}(?:{g['day']}{s})?(?P<wd>{wd})"
                    rf"(?:{o}[/\-]{o}|{s}(?:{g['to']}{s}|و)?)(?P<wd2>{wd}){mark_opt}){tail}"
                ),
                self._night,
            ),
            _Rule(
                "period",
                re.compile(
                    rf"{lead}(?P<m>(?:(?P<part>{part}){s})?(?:(?P<this>{this}){s})?(?P<per>{period}){mark_opt}){tail}"
                ),
                self._period,
            ),
            _Rule(
                "recent", re.compile(rf"{lead}(?P<m>(?P<rec>{_alt(words.values('recent'))})){tail}"), self._recent),
            _Rule(
                "ago",
                re.compile(
                    rf"{lead}(?P<m>{_alt(words.values('ago'))}{s}(?:(?P<n>\d{{1,3}}|{_alt(words.values('number'))})"
                    rf"{s}(?P<units>{units}|{unit})|(?P<dual>{_alt(words.values('dual'))})|(?P<unit>{unit}){alone}"
                    rf"|(?P<few>{units}))){not_anchor}{tail}"
                ),
                self._ago,
            ),
        ]

    def _value(self, kind: str, m: re.Match[str], group: str) -> str | None:
        """The table value of the word a group matched, None when the group did not take part."""
        word = _word(m, group)
        return self.w.values(kind)[word] if word else None

    def _day(self, m: re.Match[str]) -> int:
        """The day of the month, written in digits or as an ordinal word."""
        return int(m.group("d")) if m.group("d") else int(self._value("ordinal", m, "o") or 0)

    def _blocked(self, norm: str, m: re.Match[str], target: str) -> bool:
        """True when a word before or after turns the target word into something other than a date."""
        before, after = _prev_token(norm, m.start()), _next_token(norm, m.end("m"))
        return (
            target in self.w.values("block_before").get(before, "").split("|")
            or target in self.w.values("block_after").get(after, "").split("|")
            or after in self.w.values("ordinal")
        )

    def _has_context(self, norm: str, start: int) -> bool:
        """True when a preposition before a bare month or year makes it a date."""
        return _prev_token(norm, start) in self.w.values("context")

    @staticmethod
    def _hit(m: re.Match[str], kind: str, resolve: Callable[[date | None], DateRange], **kw: bool) -> _Hit:
        """A hit spanning the match's mention group."""
        return _Hit(m.start("m"), m.end("m"), kind, resolve, **kw)

    # Each parser returns a hit, or None when the match turns out not to be a date.

    def _day_month(self, m: re.Match[str], norm: str) -> _Hit | None:
        day, month = self._day(m), int(self._value("month", m, "mon") or 0)
        mark = self._value("marker", m, "mark")
        if not 1 <= day <= 31:
            return None
        if m.group("y"):
            year = int(m.group("y"))
            if day > _last_day(year, month):
                return None
            found = DateRange.day(date(year, month, day))
            return self._hit(m, "explicit", lambda _ref: found, future=mark == "future")

        wd = int(self._value("weekday", m, "wd")) if m.group("wd") else None

        def resolve(ref: date | None) -> DateRange:
            d = _day_month_date(day, month, mark, ref) if ref else None
            if d is None:
                return DateRange.unknown()
            if wd is not None and d.weekday() != wd:
                # A stated weekday picks the year: the nearest neighbouring year where the day falls on it.
                named = [
                    date(y, month, day) for y in (d.year - 1, d.year + 1)
                    if day <= _last_day(y, month) and date(y, month, day).weekday() == wd
                ]
                d = min(named, key=lambda x: abs((x - ref).days), default=d)
            return DateRange.day(d)

        return self._hit(m, "relative", resolve, future=mark == "future")

    def _day_relative_month(self, m: re.Match[str], norm: str) -> _Hit | None:
        day = self._day(m)
        mark = self._value("marker", m, "mark") or ("current" if m.group("this") else None)
        if self._value("period", m, "per") != "month" or not 1 <= day <= 31:
            return None

        def resolve(ref: date | None) -> DateRange:
            assert ref is not None
            y, mo = _shift_month(ref.year, ref.month, _STEPS[mark])
            return DateRange.day(date(y, mo, day)) if day <= _last_day(y, mo) else DateRange.unknown()

        return self._hit(m, "relative", resolve, future=mark == "future", widen=True)

    def _month(self, m: re.Match[str], norm: str) -> _Hit | None:
        month = int(self._value("month", m, "mon") or 0)
        mark, part = self._value("marker", m, "mark"), self._value("part", m, "part")
        future = mark == "future"
        if m.group("y"):
            year = int(m.group("y"))
            found = _month_part(year, month, part) if part else _month_range(year, month)
            return self._hit(m, "explicit", lambda _ref: found, future=future)
        if not (mark or part or m.group("shahr") or self._has_context(norm, m.start("m"))):
            return None

        def resolve(ref: date | None) -> DateRange:
            assert ref is not None
            year = _month_year(month, mark, ref)
            if not part:
                return _month_range(year, month)
            r = _month_part(year, month, part)
            return r if future else _clip(r, ref)

        return self._hit(m, "relative", resolve, future=future, widen=True)

    def _year(self, m: re.Match[str], norm: str) -> _Hit | None:
        part = self._value("part", m, "part")
        if not (part or m.group("yw") or self._has_context(norm, m.start("m"))):
            return None
        year = int(m.group("y"))
        found = _year_part(year, part) if part else _year_range(year)
        return self._hit(m, "explicit", lambda _ref: found)

    def _numeric(self, m: re.Match[str], norm: str) -> _Hit | None:
        a, b, c = m.group("a"), int(m.group("b")), m.group("c")
        if len(a) == 4 and len(c) <= 2:
            year, month, day = int(a), b, int(c)
        elif len(c) == 4 and len(a) <= 2:
            year, month, day = int(c), b, int(a)
            if month > 12 >= day:
                month, day = day, month
        else:
            return None
        if not (1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= _last_day(year, month)):
            return None
        found = DateRange.day(date(year, month, day))
        return self._hit(m, "explicit", lambda _ref: found)

    def _relative_day(self, m: re.Match[str], norm: str) -> _Hit | None:
        rel = _word(m, "rel") or ""
        if not m.group("wd") and self._blocked(norm, m, rel):
            return None
        offset = int(self.w.values("relday")[rel])
        wd = int(self._value("weekday", m, "wd")) if m.group("wd") else None

        def resolve(ref: date | None) -> DateRange:
            assert ref is not None
            d = ref + timedelta(days=offset)
            if wd is None or d.weekday() == wd:
                return DateRange.day(d)
            # The weekday disagrees with the relative day. A page dated after the text was written (a story
            # kept overnight keeps its "أمس الجمعة") puts the weekday earlier: it is a calendar fact and the
            # relative day hangs on the page's date, so it wins. A later weekday is a slip: keep the day.
            named = d + timedelta(days=(wd - d.weekday() + 3) % 7 - 3)
            return DateRange(min(d, named), min(d, named), max(d, named), "approximate")

        return self._hit(m, "relative", resolve, future=offset > 0, widen=True)

    def _weekday(self, m: re.Match[str], norm: str) -> _Hit | None:
        wd_word = _word(m, "wd") or ""
        if self._blocked(norm, m, wd_word):
            return None
        wd, mark = int(self.w.values("weekday")[wd_word]), self._value("marker", m, "mark")
        return self._hit(
            m, "relative", lambda ref: DateRange.day(_weekday_date(wd, mark, ref)), future=mark == "future", widen=True
        )

    def _night(self, m: re.Match[str], norm: str) -> _Hit | None:
        wd, wd2 = int(self._value("weekday", m, "wd") or 0), int(self._value("weekday", m, "wd2") or 0)
        mark = self._value("marker", m, "mark")
        if wd2 != (wd + 1) % 7:
            return None

        def resolve(ref: date | None) -> DateRange:
            second = _weekday_date(wd2, mark, ref)
            # "ليل الأربعاء الخميس": both days, the second (after midnight, when such attacks mostly fall) best.
            return DateRange(second, second - timedelta(days=1), second, "approximate")

        return self._hit(m, "relative", resolve, future=mark == "future", widen=True)

    def _period(self, m: re.Match[str], norm: str) -> _Hit | None:
        per, part = self._value("period", m, "per"), self._value("part", m, "part")
        mark = self._value("marker", m, "mark") or ("current" if m.group("this") else None)
        if not (mark or part) or (not (part or m.group("this")) and self._blocked(norm, m, _word(m, "per") or "")):
            return None
        steps = _STEPS[mark]

        def resolve(ref: date | None) -> DateRange:
            assert ref is not None
            if per == "week":
                if steps > 0:
                    return _approx(ref + timedelta(days=1), ref + timedelta(days=13))
                if steps == 0:
                    return _approx(ref - timedelta(days=6), ref)
                return _approx(ref + timedelta(days=7 * steps - 6), ref + timedelta(days=7 * steps))
            if per == "month":
                y, mo = _shift_month(ref.year, ref.month, steps)
                r = _month_part(y, mo, part) if part else _month_range(y, mo)
            else:
                r = _year_part(ref.year + steps, part) if part else _year_range(ref.year + steps)
            return _clip(r, ref) if steps <= 0 else r

        return self._hit(m, "relative", resolve, future=steps > 0, widen=True)

    def _recent(self, m: re.Match[str], norm: str) -> _Hit | None:
        days = int(self._value("recent", m, "rec") or 0)
        if days == 0:
            # "Recently" in a feature can mean weeks or months: a time is stated but not known.
            return self._hit(m, "relative", lambda _ref: DateRange.unknown())
        return self._hit(m, "relative", lambda ref: _approx(ref - timedelta(days=days), ref), widen=True)

    def _ago(self, m: re.Match[str], norm: str) -> _Hit | None:
        if m.group("few"):
            size = int(self._value("units", m, "few") or 0)
            if size > 7:
                return None
            lo, hi = 7 * size, 2 * size
        else:
            if m.group("dual"):
                total = int(self._value("dual", m, "dual") or 0)
            elif m.group("unit"):
                total = int(self._value("unit", m, "unit") or 0)
            else:
                n = m.group("n")
                count = int(n) if n.isdigit() else int(self.w.values("number")[_word(m, "n") or ""])
                word = _word(m, "units") or ""
                total = count * int(self.w.values("units").get(word) or self.w.values("unit")[word])
            slack = max(1, total // 4)
            lo, hi = total + slack, total - slack
        return self._hit(
            m,
            "relative",
            lambda ref: _approx(ref - timedelta(days=lo), ref - timedelta(days=max(hi, 0))),
            widen=True,
        )

    def scan(self, norm: str) -> list[_Hit]:
        """All date expressions in a normalised text, longest first where they overlap, in text order."""
        # Most lines hold no date word at all: one pass finds which rules could match in which line.
        lines: dict[int, set[str | None]] = {}
        line_start = searched = 0
        for m in self.anchors.finditer(norm):
            # Only the stretch since the previous anchor is searched for a line break: linear in the text.
            newline = norm.rfind("\n", searched, m.start())
            if newline >= 0:
                line_start = newline + 1
            searched = m.start()
            lines.setdefault(line_start, set()).add(m.lastgroup)
        found: list[_Hit] = []
        for start, present in lines.items():
            end = norm.find("\n", start)
            end = len(norm) if end < 0 else end
            for rule in self.rules:
                if rule.anchor in present:
                    for m in rule.pattern.finditer(norm, start, end):
                        hit = rule.parse(m, norm)
                        if hit is not None:
                            found.append(hit)
        found.sort(key=lambda h: (h.start - h.end, h.start))
        # Chosen hits never overlap, so sorted by start their ends are sorted too: one bisection finds
        # the only neighbours a new hit could overlap (linear overall, not quadratic in the hits).
        starts: list[int] = []
        chosen: list[_Hit] = []
        for hit in found:
            i = bisect.bisect_left(starts, hit.start)
            if i < len(chosen) and chosen[i].start < hit.end:
                continue
            if i and chosen[i - 1].end > hit.start:
                continue
            starts.insert(i, hit.start)
            chosen.insert(i, hit)
        return chosen


@cache
def _grammar() -> _Grammar:
    return _Grammar(date_words())




def _resolve(hit: _Hit, reference: Reference) -> DateRange:
    if hit.kind == "explicit":
        return hit.resolve(None)
    ref = reference.date
    if ref is None or reference.basis == "none":
        return DateRange.unknown()
    r = hit.resolve(ref)
    if reference.basis != "text" or not hit.widen or r.precision == "unknown":
        return r
    ranges = (hit.resolve(ref - _TEXT_REFERENCE_SLACK), r, hit.resolve(ref + _TEXT_REFERENCE_SLACK))
    earliest = min(x.earliest for x in ranges if x.earliest)
    latest = max(x.latest for x in ranges if x.latest)
    if (earliest, latest) == (r.earliest, r.latest):
        return r
    return DateRange(r.date, earliest, latest, "approximate")


def _span_end(text: str, end: int) -> int:
    """Extend a span over the diacritics and tatweel that normalisation dropped after its last letter."""
    while end < len(text) and (text[end] == "\u0640" or unicodedata.category(text[end]) == "Mn"):
        end += 1
    return end


def find_dates(text: str, *, reference: Reference) -> list[DateMention]:
    """Every date expression in the text, in order, resolved against the reference."""
    norm, offsets = normalize_with_offsets(text)
    mentions = []
    for hit in _grammar().scan(norm):
        start, end = offsets[hit.start], _span_end(text, offsets[hit.end - 1] + 1)
        mentions.append(DateMention(start, end, text[start:end], _resolve(hit, reference), hit.kind, hit.future))
    return mentions


def resolve_text(text: str, *, reference: Reference) -> DateRange:
    """The best single date of a sentence: its narrowest, most precise non-future mention."""
    return best_range(find_dates(text, reference=reference))


def best_range(mentions: list[DateMention]) -> DateRange:
    """The narrowest, most precise non-future date among mentions (unknown when there is none)."""
    usable = [m for m in mentions if not m.future and m.range.precision != "unknown"]
    if not usable:
        return DateRange.unknown()

    def width(m: DateMention) -> int:
        assert m.range.earliest and m.range.latest
        return (m.range.latest - m.range.earliest).days

    best = min(usable, key=lambda m: (width(m), _PRECISION_RANK[m.range.precision], m.start))
    return best.range


def _explicit_past(text: str) -> list[DateMention]:
    """Explicit, non-future mentions; only paragraphs holding a year-like number can have one."""
    found = []
    for paragraph in text.split("\n"):
        if _YEAR_LIKE.search(normalize_digits(paragraph)):
            found += [
                m
                for m in find_dates(paragraph, reference=Reference(None, "none"))
                if m.kind == "explicit" and not m.future and m.range.latest
            ]
    return found


_DATELINE_CHARS = 600
_DATELINE_LINES = 6
_DATELINE_SLACK = 25


def article_reference(article: Article) -> Reference:
    """The date an article's relative expressions resolve against, with data-quality flags."""
    explicit = _explicit_past(article.text)
    # A bare year ("منذ عام 2014") says nothing of the day of writing: only finer dates can stand for it.
    latest = max((m.range.latest for m in explicit if m.range.latest and m.range.precision != "year"), default=None)
    if article.published is not None:
        limit = article.published + timedelta(days=1)
        later = [m.range.date for m in explicit if m.range.precision == "day" and m.range.date and m.range.date > limit]
        if later and latest is not None:
            flag = (
                f"stated publication date {article.published.isoformat()} is before "
                f"{max(later).isoformat()}, a date the text reports"
            )
            return Reference(latest, "text", (flag,))
        wire = _wire_dateline(article.text)
        if wire is not None and timedelta(days=1) <= article.published - wire <= timedelta(days=_WIRE_LAG_DAYS):
            # "بغداد 17 مارس 2020 (شينخوا)" on a page of the 18th: the wire story's "today" is the 17th.
            return Reference(wire, "dateline", (f"wire dateline {wire.isoformat()} before the page's date",))
        return Reference(article.published, "catalogue")
    from_url = url_date(article.url)
    if from_url is not None and (latest is None or from_url >= latest - timedelta(days=1)):
        return Reference(from_url, "url")
    dateline = _dateline(article.text)
    if dateline is not None and latest is not None and dateline >= latest - timedelta(days=1):
        return Reference(dateline, "dateline")
    # Only a day the text states can stand for the day of writing: "أواخر ديسمبر 2018" (the month of a visit told
    # as background in a report a year later) would make "Tuesday" a guess.
    days = [m.range.date for m in explicit if m.range.precision == "day" and m.range.date]
    if days:
        return Reference(max(days), "text")
    return Reference(None, "none")


# News sites put the publication day in the path: /2020/01/08/, /2021-02-16/, /20210216/.
_URL_DATE = re.compile(r"/((?:19|20)\d\d)([/-]?)(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(?=[/_.-]|$)")
# A year and month alone (/2020/01/) only bounds the day: too loose to resolve "yesterday" against.


def url_date(url: str) -> date | None:
    """The publication day a news URL states in its path, if it states one."""
    m = _URL_DATE.search(url or "")
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
    except ValueError:
        return None


# Print headers carry the Hijri date and the issue number beside the Gregorian one.
_HEADER_FURNITURE = re.compile(
    r"\d{1,2}\s+(?:محرم|صفر|ربيع الاول|ربيع الثاني|ربيع الاخر|جمادي الاولي|جمادي الاخره|جمادي الثانيه|رجب|شعبان"
    r"|رمضان|شوال|ذو القعده|ذي القعده|ذو الحجه|ذي الحجه)\s+\d{3,4}\s*ه?|رقم العدد\s*\[?\d+\]?|(?<!\w)مـ?(?!\w)"
)


# A wire story opens with its city, its date and its agency: "بغداد 17 مارس 2020 (شينخوا)", "بغداد - 5 يناير 2021 (كونا) --".
_WIRE_AGENCY = re.compile(r"\s*[-–—]?\s*[(（]\s*[^()（）\n]{2,25}\s*[)）]")
_WEEKDAY_WORD = re.compile(r"السبت|الأحد|الاحد|الاثنين|الإثنين|الثلاثاء|الأربعاء|الاربعاء|الخميس|الجمعة|الجمعه")
_WIRE_LAG_DAYS = 2


def _head_lines(text: str) -> list[str]:
    """The first non-blank lines of a text, where a date line stands."""
    return [line for line in text[:_DATELINE_CHARS].split("\n") if line.strip()][:_DATELINE_LINES]


def _wire_dateline(text: str) -> date | None:
    """The date of a wire dateline opening one of an article's first lines (city, full date, agency in brackets)."""
    for line in _head_lines(text):
        opening = line[:80]
        for m in find_dates(opening, reference=Reference(None, "none")):
            agency = _WIRE_AGENCY.match(opening, m.end)
            # The city and its dash before the date, and an agency (not a weekday) in the brackets after it.
            if (m.range.precision == "day" and agency and len(opening[:m.start].replace("-", " ").split()) <= 2
                    and not _WEEKDAY_WORD.search(agency.group())):
                return m.range.date
    return None


def _dateline(text: str) -> date | None:
    """A full date standing alone in an article's first lines: its publication date as printed."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head = [line.strip() for line in _head_lines(text)]
    # Statements and posts are signed with their date on the last line.
    for line in head + lines[-2:]:
        found = [m for m in find_dates(line, reference=Reference(None, "none")) if m.range.precision == "day"]
        rest = _HEADER_FURNITURE.sub("", normalize_arabic(line.replace(found[0].text, ""))) if len(found) == 1 else ""
        # The line is the date and little else (a dateline, not a sentence that mentions a date).
        if len(found) == 1 and len(rest) <= _DATELINE_SLACK:
            return found[0].range.date
    return None
