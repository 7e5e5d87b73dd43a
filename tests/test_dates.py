"""Arabic date expressions: the word table, every form the press uses, references and the seed articles."""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import dateparser
import pytest

from rasd.extract.dates import (
    DateMention,
    Reference,
    article_reference,
    date_words,
    find_dates,
    parse_date_words,
    resolve_text,
)
from rasd.errors import RasdError
from rasd.models import Article, DateRange
from rasd.vocab import DATE_PRECISIONS

D = date.fromisoformat
# 2022-01-05 is a Wednesday, 2024-08-08 a Thursday.
CAT_2022 = Reference(D("2022-01-05"), "catalogue")
CAT_2024 = Reference(D("2024-08-08"), "catalogue")
TEXT_2024 = Reference(D("2024-08-08"), "text")
TEXT_2022 = Reference(D("2022-05-30"), "text")
NONE = Reference(None, "none")


def only(text: str, reference: Reference) -> DateMention:
    """The single mention in a text (fails when there are none or several)."""
    mentions = find_dates(text, reference=reference)
    assert len(mentions) == 1, [(m.text, m.range) for m in mentions]
    return mentions[0]


def rng(d: str | None, earliest: str | None, latest: str | None, precision: str) -> DateRange:
    """A DateRange from ISO strings."""
    return DateRange(*(D(x) if x else None for x in (d, earliest, latest)), precision)


def load_seed_articles(seeds_dir: Path) -> dict[str, Article]:
    """The seed articles keyed by their number (000 …), built from the catalogue and the text files."""
    with open(seeds_dir / "articles.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {
        r["file"][:3]: Article(
            file=r["file"],
            text=(seeds_dir / r["file"]).read_text(encoding="utf-8"),
            title=r["title"],
            outlet=r["outlet"],
            url=r["url"],
            published=D(r["published"]) if r["published"] else None,
            published_note=r["published_note"],
        )
        for r in rows
    }



SYRIAC = ["كانون الثاني", "شباط", "آذار", "نيسان", "أيار", "حزيران", "تموز", "آب", "أيلول", "تشرين الأول",
          "تشرين الثاني", "كانون الأول"]
EGYPTIAN = [["يناير"], ["فبراير"], ["مارس"], ["أبريل", "إبريل"], ["مايو"], ["يونيو", "يونيه"], ["يوليو", "يوليه"],
            ["أغسطس", "اغسطس"], ["سبتمبر"], ["أكتوبر"], ["نوفمبر"], ["ديسمبر"]]


@pytest.mark.parametrize("month", range(1, 13))
def test_every_month_has_its_syriac_and_egyptian_names(month):
    words = date_words()
    assert words.number("month", SYRIAC[month - 1]) == month
    for name in EGYPTIAN[month - 1]:
        assert words.number("month", name) == month


@pytest.mark.parametrize(
    ("spelling", "month"),
    [("أبريل", 4), ("ابريل", 4), ("إبريل", 4), ("آذار", 3), ("اذار", 3), ("أيار", 5), ("ايار", 5), ("أيلول", 9),
     ("تشرين الاول", 10), ("تشرين أول", 10), ("كانون ثاني", 1), ("كانونُ الثاني", 1), ("يونيه", 6)],
)
def test_month_spelling_variants_compare_through_normalisation(spelling, month):
    assert date_words().number("month", spelling) == month


def test_weekdays_ordinals_and_parts_are_complete():
    words = date_words()
    assert sorted({int(v) for v in words.values("weekday").values()}) == list(range(7))
    assert words.number("weekday", "الإثنين") == words.number("weekday", "الاثنين") == 0
    assert sorted(int(v) for v in words.values("ordinal").values()) == list(range(1, 32))
    assert words.number("ordinal", "الحادي والثلاثين") == 31
    assert set(words.values("part").values()) == {"early", "mid", "late"}
    assert set(words.values("marker").values()) == {"past", "before_last", "current", "future"}
    assert words.number("relday", "أول من أمس") == words.number("relday", "أول أمس") == -2


@pytest.mark.parametrize(
    "csv_text",
    ["kind,word,value\nmonth,يناير,1\nmonth,يناير,2\n", "kind,word,value\nplanet,المريخ,4\n",
     "kind,word,value\nmonth,,1\n"],
)
def test_a_malformed_word_table_is_refused(csv_text):
    with pytest.raises(RasdError):
        parse_date_words(csv_text)



EXPLICIT = [
    # text, span, date, earliest, latest, precision
    ("05 يناير 2022", "05 يناير 2022", "2022-01-05", "2022-01-05", "2022-01-05", "day"),
    ("بتأريخ ٣٠ / ٥ / ٢٠٢٢ في تمام الساعة 2225", "٣٠ / ٥ / ٢٠٢٢", "2022-05-30", "2022-05-30", "2022-05-30", "day"),
    ("في 30/5/2022", "30/5/2022", "2022-05-30", "2022-05-30", "2022-05-30", "day"),
    ("بتاريخ 2022-05-30", "2022-05-30", "2022-05-30", "2022-05-30", "2022-05-30", "day"),
    ("في 8 آب 2024", "8 آب 2024", "2024-08-08", "2024-08-08", "2024-08-08", "day"),
    ("اعلنت يوم الخميس 8 آب 2024، عن", "يوم الخميس 8 آب 2024", "2024-08-08", "2024-08-08", "2024-08-08", "day"),
    ("يوم الخميس الموافق 8 آب 2024", "يوم الخميس الموافق 8 آب 2024", "2024-08-08", "2024-08-08", "2024-08-08",
     "day"),
    ("في 3 يناير/ كانون الثاني 2020، بغارة", "3 يناير/ كانون الثاني 2020", "2020-01-03", "2020-01-03", "2020-01-03",
     "day"),
    ("(31 كانون الأول/ ديسمبر 2021)", "31 كانون الأول/ ديسمبر 2021", "2021-12-31", "2021-12-31", "2021-12-31", "day"),
    ("في 7 تشرين الاول 2023 استهدفت", "7 تشرين الاول 2023", "2023-10-07", "2023-10-07", "2023-10-07", "day"),
    ("في 5 يونيه 2020", "5 يونيه 2020", "2020-06-05", "2020-06-05", "2020-06-05", "day"),
    ("3 من يناير من عام 2020", "3 من يناير من عام 2020", "2020-01-03", "2020-01-03", "2020-01-03", "day"),
    ("في الثالث من يناير 2020", "الثالث من يناير 2020", "2020-01-03", "2020-01-03", "2020-01-03", "day"),
    ("الحادي والثلاثين من كانون الأول 2021", "الحادي والثلاثين من كانون الأول 2021", "2021-12-31", "2021-12-31",
     "2021-12-31", "day"),
    ("نُشرت في الاثنين 1 يناير 2024 12:00 ص", "الاثنين 1 يناير 2024", "2024-01-01", "2024-01-01", "2024-01-01",
     "day"),
    ("في يناير 2020.", "يناير 2020", "2020-01-16", "2020-01-01", "2020-01-31", "month"),
    ("كانون الثاني/ يناير 2020", "كانون الثاني/ يناير 2020", "2020-01-16", "2020-01-01", "2020-01-31", "month"),
    ("منذ أيلول عام 2014", "أيلول عام 2014", "2014-09-16", "2014-09-01", "2014-09-30", "month"),
    ("إبريل 2019", "إبريل 2019", "2019-04-16", "2019-04-01", "2019-04-30", "month"),
    ("في شباط 2024", "شباط 2024", "2024-02-15", "2024-02-01", "2024-02-29", "month"),
    ("دخلت في عام 2014 بعد", "عام 2014", "2014-07-02", "2014-01-01", "2014-12-31", "year"),
    ("خلال العام 2021", "العام 2021", "2021-07-02", "2021-01-01", "2021-12-31", "year"),
    ("بحلول نهاية عام 2021، وفق", "نهاية عام 2021", "2021-11-16", "2021-10-01", "2021-12-31", "approximate"),
    ("مطلع 2022", "مطلع 2022", "2022-02-15", "2022-01-01", "2022-03-31", "approximate"),
    ("منتصف عام 2020", "منتصف عام 2020", "2020-07-01", "2020-04-01", "2020-09-30", "approximate"),
    ("أواخر آب 2024", "أواخر آب 2024", "2024-08-26", "2024-08-21", "2024-08-31", "approximate"),
]


@pytest.mark.parametrize(("text", "span", "d", "earliest", "latest", "precision"), EXPLICIT)
@pytest.mark.parametrize("reference", [CAT_2022, TEXT_2024, NONE], ids=["catalogue", "text", "none"])
def test_explicit_dates_need_no_reference(text, span, d, earliest, latest, precision, reference):
    m = only(text, reference)
    assert (m.text, m.kind, m.future) == (span, "explicit", False)
    assert text[m.start : m.end] == span
    assert m.range == rng(d, earliest, latest, precision)


ORDINALS = [
    "الأول", "الثاني", "الثالث", "الرابع", "الخامس", "السادس", "السابع", "الثامن", "التاسع", "العاشر",
    "الحادي عشر", "الثاني عشر", "الثالث عشر", "الرابع عشر", "الخامس عشر", "السادس عشر", "السابع عشر",
    "الثامن عشر", "التاسع عشر", "العشرين", "الحادي والعشرين", "الثاني والعشرين", "الثالث والعشرين",
    "الرابع والعشرين", "الخامس والعشرين", "السادس والعشرين", "السابع والعشرين", "الثامن والعشرين",
    "التاسع والعشرين", "الثلاثين", "الحادي والثلاثين",
]


@pytest.mark.parametrize(("day", "ordinal"), list(enumerate(ORDINALS, start=1)))
def test_every_ordinal_day_word(day, ordinal):
    m = only(f"وقع الهجوم في {ordinal} من كانون الأول 2021 قرب القاعدة", NONE)
    assert m.text == f"{ordinal} من كانون الأول 2021"
    assert m.range == DateRange.day(date(2021, 12, day))
    assert only(f"في {ordinal} من آذار", CAT_2022).range == DateRange.day(date(2021, 3, day))


@pytest.mark.parametrize(("month", "names"), list(enumerate(zip(SYRIAC, EGYPTIAN), start=1)))
def test_every_month_name_parses_in_text(month, names):
    syriac, egyptian = names
    for name in (syriac, *egyptian):
        assert only(f"في 9 {name} 2021،", NONE).range == DateRange.day(date(2021, month, 9))
    dual = only(f"في 9 {egyptian[0]}/ {syriac} 2021", NONE)
    assert dual.text == f"9 {egyptian[0]}/ {syriac} 2021"
    assert dual.range == DateRange.day(date(2021, month, 9))


@pytest.mark.parametrize("text", ["05 يناير 2022", "8 آب 2024", "٣٠ / ٥ / ٢٠٢٢", "2022-05-30", "30/5/2022"])
def test_explicit_days_agree_with_dateparser_where_it_parses_them(text):
    theirs = dateparser.parse(text, locales=["ar-IQ"], settings={"RELATIVE_BASE": dateparser.parse("2000-01-01")})
    assert theirs is not None
    assert only(text, NONE).range == DateRange.day(theirs.date())



RELATIVE = [
    # text, reference, span, date, earliest, latest, precision
    ("وشهد فجر أمس، الثلاثاء، إحباط هجوم", CAT_2022, "فجر أمس، الثلاثاء", "2022-01-04", "2022-01-04", "2022-01-04",
     "day"),
    ("حاولت طائرتان، فجر أول من أمس الإثنين، وتمكنت", CAT_2022, "فجر أول من أمس الإثنين", "2022-01-03", "2022-01-03",
     "2022-01-03", "day"),
    ("في محافظة المثنى، أول من أمس، من دون", CAT_2022, "أول من أمس", "2022-01-03", "2022-01-03", "2022-01-03", "day"),
    ("أول أمس", CAT_2022, "أول أمس", "2022-01-03", "2022-01-03", "2022-01-03", "day"),
    ("امس", CAT_2022, "امس", "2022-01-04", "2022-01-04", "2022-01-04", "day"),
    ("بالأمس", CAT_2022, "بالأمس", "2022-01-04", "2022-01-04", "2022-01-04", "day"),
    ("يوم أمس الثلاثاء", CAT_2022, "يوم أمس الثلاثاء", "2022-01-04", "2022-01-04", "2022-01-04", "day"),
    ("ليلة أمس", CAT_2022, "ليلة أمس", "2022-01-04", "2022-01-04", "2022-01-04", "day"),
    ("مساء أمس", CAT_2022, "مساء أمس", "2022-01-04", "2022-01-04", "2022-01-04", "day"),
    ("وفي وقت سابق اليوم، قالت", CAT_2022, "اليوم", "2022-01-05", "2022-01-05", "2022-01-05", "day"),
    ("صباح اليوم", CAT_2022, "صباح اليوم", "2022-01-05", "2022-01-05", "2022-01-05", "day"),
    ("فجر اليوم الأربعاء", CAT_2022, "فجر اليوم الأربعاء", "2022-01-05", "2022-01-05", "2022-01-05", "day"),
    ("ظهر الاثنين", CAT_2022, "ظهر الاثنين", "2022-01-03", "2022-01-03", "2022-01-03", "day"),
    # A weekday: the most recent such day on or before the reference; الماضي: strictly before.
    ("أعلنت الحكومة،الثلاثاء، إحباط", CAT_2022, "الثلاثاء", "2022-01-04", "2022-01-04", "2022-01-04", "day"),
    ("الأربعاء", CAT_2022, "الأربعاء", "2022-01-05", "2022-01-05", "2022-01-05", "day"),
    ("الأربعاء الماضي", CAT_2022, "الأربعاء الماضي", "2021-12-29", "2021-12-29", "2021-12-29", "day"),
    ("منذ يوم الجمعة الماضي", CAT_2022, "يوم الجمعة الماضي", "2021-12-31", "2021-12-31", "2021-12-31", "day"),
    ("والأحد", CAT_2022, "الأحد", "2022-01-02", "2022-01-02", "2022-01-02", "day"),
    ("السبت", CAT_2022, "السبت", "2022-01-01", "2022-01-01", "2022-01-01", "day"),
    ("الخميس قبل الماضي", CAT_2022, "الخميس قبل الماضي", "2021-12-23", "2021-12-23", "2021-12-23", "day"),
    # أمس and a weekday that disagree: lower the precision, cover both days; an earlier weekday wins (the
    # page is dated after the text was written), a later one is a slip and أمس stays.
    ("أمس، الأربعاء", CAT_2022, "أمس، الأربعاء", "2022-01-04", "2022-01-04", "2022-01-05", "approximate"),
    ("أمس الإثنين", CAT_2022, "أمس الإثنين", "2022-01-03", "2022-01-03", "2022-01-04", "approximate"),
    ("اليوم الخميس", CAT_2022, "اليوم الخميس", "2022-01-05", "2022-01-05", "2022-01-06", "approximate"),
    # The night between two days: both covered, the second (after midnight) its best day.
    ("ليل السبت الأحد", CAT_2022, "ليل السبت الأحد", "2022-01-02", "2022-01-01", "2022-01-02", "approximate"),
    # Part of a month.
    ("مطلع الشهر", CAT_2022, "مطلع الشهر", "2022-01-03", "2022-01-01", "2022-01-05", "approximate"),
    ("بداية الشهر الماضي", CAT_2022, "بداية الشهر الماضي", "2021-12-06", "2021-12-01", "2021-12-10", "approximate"),
    ("أوائل الشهر الجاري", CAT_2024, "أوائل الشهر الجاري", "2024-08-05", "2024-08-01", "2024-08-08", "approximate"),
    ("مطلع آب الحالي", CAT_2024, "مطلع آب الحالي", "2024-08-05", "2024-08-01", "2024-08-08", "approximate"),
    ("مطلع آب", Reference(D("2024-08-20"), "catalogue"), "مطلع آب", "2024-08-06", "2024-08-01", "2024-08-10",
     "approximate"),
    ("مطلع آب", Reference(D("2024-03-01"), "catalogue"), "مطلع آب", "2023-08-06", "2023-08-01", "2023-08-10",
     "approximate"),
    ("منتصف الشهر الماضي", CAT_2022, "منتصف الشهر الماضي", "2021-12-16", "2021-12-11", "2021-12-20", "approximate"),
    ("أواسط تموز الماضي", CAT_2024, "أواسط تموز الماضي", "2024-07-16", "2024-07-11", "2024-07-20", "approximate"),
    ("أواخر الشهر الماضي", CAT_2022, "أواخر الشهر الماضي", "2021-12-26", "2021-12-21", "2021-12-31", "approximate"),
    ("في نهاية يوليو/ تموز الماضي", CAT_2022, "نهاية يوليو/ تموز الماضي", "2021-07-26", "2021-07-21", "2021-07-31",
     "approximate"),
    ("أواخر شباط الماضي", Reference(D("2024-03-10"), "catalogue"), "أواخر شباط الماضي", "2024-02-25", "2024-02-21",
     "2024-02-29", "approximate"),
    # Whole months and years.
    ("الشهر الماضي", CAT_2022, "الشهر الماضي", "2021-12-16", "2021-12-01", "2021-12-31", "month"),
    ("الشهر الجاري", CAT_2024, "الشهر الجاري", "2024-08-16", "2024-08-01", "2024-08-31", "month"),
    ("خلال الشهر الحالي", CAT_2024, "الشهر الحالي", "2024-08-16", "2024-08-01", "2024-08-31", "month"),
    ("آب الجاري", CAT_2024, "آب الجاري", "2024-08-16", "2024-08-01", "2024-08-31", "month"),
    ("هجوم جرى في تموز الماضي", CAT_2024, "تموز الماضي", "2024-07-16", "2024-07-01", "2024-07-31", "month"),
    ("آب الحالي", CAT_2024, "آب الحالي", "2024-08-16", "2024-08-01", "2024-08-31", "month"),
    ("آب الماضي", CAT_2024, "آب الماضي", "2023-08-16", "2023-08-01", "2023-08-31", "month"),
    ("وفي كانون الأول الماضي، أعلنت", TEXT_2022, "كانون الأول الماضي", "2021-12-16", "2021-12-01", "2021-12-31",
     "month"),
    ("بحادثة المطار في كانون الثاني/ يناير الماضي", Reference(D("2020-09-15"), "catalogue"),
     "كانون الثاني/ يناير الماضي", "2020-01-16", "2020-01-01", "2020-01-31", "month"),
    ("في واشنطن خلال نيسان", CAT_2024, "نيسان", "2024-04-16", "2024-04-01", "2024-04-30", "month"),
    ("في مارس", CAT_2022, "مارس", "2021-03-16", "2021-03-01", "2021-03-31", "month"),
    ("العام الماضي", CAT_2022, "العام الماضي", "2021-07-02", "2021-01-01", "2021-12-31", "year"),
    ("السنة الماضية", CAT_2022, "السنة الماضية", "2021-07-02", "2021-01-01", "2021-12-31", "year"),
    ("هذا العام", CAT_2022, "هذا العام", "2022-07-02", "2022-01-01", "2022-12-31", "year"),
    ("في نهاية العام الماضي", CAT_2022, "نهاية العام الماضي", "2021-11-16", "2021-10-01", "2021-12-31", "approximate"),
    # Weeks, recent, ago.
    ("الأسبوع الماضي", CAT_2022, "الأسبوع الماضي", "2021-12-26", "2021-12-23", "2021-12-29", "approximate"),
    ("ومؤخراً، تزايدت", CAT_2022, "مؤخراً", None, None, None, "unknown"),
    ("مؤخرًا", CAT_2022, "مؤخرًا", None, None, None, "unknown"),
    ("مؤخرا", CAT_2022, "مؤخرا", None, None, None, "unknown"),
    ("في الآونة الأخيرة", CAT_2022, "في الآونة الأخيرة", None, None, None, "unknown"),
    ("خلال الأيام الماضية", CAT_2022, "الأيام الماضية", "2022-01-02", "2021-12-29", "2022-01-05", "approximate"),
    ("قبل ثلاثة أيام", CAT_2022, "قبل ثلاثة أيام", "2022-01-02", "2022-01-01", "2022-01-03", "approximate"),
    ("منذ يومين", CAT_2022, "منذ يومين", "2022-01-03", "2022-01-02", "2022-01-04", "approximate"),
    ("قبل أسبوعين", CAT_2022, "قبل أسبوعين", "2021-12-22", "2021-12-19", "2021-12-25", "approximate"),
    ("قبل أيام قليلة", CAT_2022, "قبل أيام", "2022-01-01", "2021-12-29", "2022-01-03", "approximate"),
    # Day and month without a year: the most recent such day (strictly before with الماضي).
    ("آخر حادثة تعود إلى 30 نيسان الماضي عندما", TEXT_2022, "30 نيسان الماضي", "2022-04-30", "2022-04-30",
     "2022-04-30", "day"),
    ("30 نيسان", Reference(D("2022-04-30"), "catalogue"), "30 نيسان", "2022-04-30", "2022-04-30", "2022-04-30", "day"),
    ("30 نيسان الماضي", Reference(D("2022-04-30"), "catalogue"), "30 نيسان الماضي", "2021-04-30", "2021-04-30",
     "2021-04-30", "day"),
    ("في 19 آب/ أغسطس الماضي.", Reference(D("2020-09-15"), "catalogue"), "19 آب/ أغسطس الماضي", "2020-08-19",
     "2020-08-19", "2020-08-19", "day"),
    # A stated weekday picks the year: 28 January fell on a Sunday in 2024, not in 2023.
    ("فجر الأحد 28 كانون الثاني/يناير", Reference(D("2024-01-10"), "catalogue"), "فجر الأحد 28 كانون الثاني/يناير",
     "2024-01-28", "2024-01-28", "2024-01-28", "day"),
    ("السبت 28 كانون الثاني", Reference(D("2024-01-10"), "catalogue"), "السبت 28 كانون الثاني", "2023-01-28",
     "2023-01-28", "2023-01-28", "day"),
    ("في الثالث من يناير.", CAT_2022, "الثالث من يناير", "2022-01-03", "2022-01-03", "2022-01-03", "day"),
    ("29 شباط الماضي", Reference(D("2023-03-01"), "catalogue"), "29 شباط الماضي", "2020-02-29", "2020-02-29",
     "2020-02-29", "day"),
    ("في العاشر من الشهر الماضي", CAT_2022, "العاشر من الشهر الماضي", "2021-12-10", "2021-12-10", "2021-12-10",
     "day"),
]


@pytest.mark.parametrize(("text", "reference", "span", "d", "earliest", "latest", "precision"), RELATIVE)
def test_relative_expressions_resolve_against_a_catalogue_reference(text, reference, span, d, earliest, latest,
                                                                    precision):
    m = only(text, reference)
    assert (m.text, m.kind, m.future) == (span, "relative", False)
    assert text[m.start : m.end] == span
    assert m.range == rng(d, earliest, latest, precision)


@pytest.mark.parametrize(("text", "reference", "span", "d", "earliest", "latest", "precision"), RELATIVE)
def test_relative_expressions_are_unknown_without_a_reference(text, reference, span, d, earliest, latest, precision):
    m = only(text, NONE)
    assert (m.text, m.kind) == (span, "relative")
    assert m.range == DateRange.unknown()


FUTURE = [
    ("الخميس المقبل", CAT_2022, "2022-01-06", "day"),
    ("الأسبوع المقبل", CAT_2022, "2022-01-12", "approximate"),
    ("الشهر القادم", CAT_2022, "2022-02-15", "month"),
    ("العام المقبل", CAT_2022, "2023-07-02", "year"),
    ("أيلول المقبل", CAT_2024, "2024-09-16", "month"),
    ("مطلع شهر ايلول المقبل 2024", CAT_2022, "2024-09-06", "approximate"),
    ("غداً", CAT_2022, "2022-01-06", "day"),
]


@pytest.mark.parametrize(("text", "reference", "d", "precision"), FUTURE)
def test_future_markers_set_future(text, reference, d, precision):
    m = only(text, reference)
    assert m.future is True
    assert (m.range.date, m.range.precision) == (D(d), precision)
    assert m.range.earliest is not None and m.range.earliest > reference.date


NOT_DATES = [
    "وتعود آخر حادثة من هذا النوع",
    "في اليوم التالي للهجوم",
    "في ذلك اليوم",
    "حتى اليوم لم تعلن أي جهة",
    "اليوم الأول من المفاوضات",
    "كلا الاثنين",
    "الأحد عشر جنديا",
    "مارس ضغوطا كبيرة على الحكومة",
    "في باب الشيخ",
    "2500 جندي أميركي",
    "6 صواريخ نوع غراد 122 ملم",
    "قبل يوم الانتخابات",
    "منذ شهر رمضان",
    "قبل يومين من الهجوم",
    "منذ سنوات",
    "قال الأمين العام الحالي للحلف",
    "خلال العام",
    "بين العامين الماضي والحالي",
    "أمسى على نحو متصاعد",
    "© 2025 الجبال",
]


@pytest.mark.parametrize("text", NOT_DATES)
def test_words_that_are_not_dates_are_left_alone(text):
    assert find_dates(text, reference=CAT_2022) == []


def test_an_impossible_day_falls_back_to_its_month():
    m = only("في 31 نيسان 2022", CAT_2022)
    assert (m.text, m.kind) == ("نيسان 2022", "explicit")
    assert m.range == rng("2022-04-16", "2022-04-01", "2022-04-30", "month")


def test_several_mentions_come_in_text_order_with_original_spans():
    text = "وشهد فجرَ أمسِ، الثلاثاء، هجوماً، وقبله هجومٌ مؤخراً في 3 يناير/ كانون الثاني 2020."
    mentions = find_dates(text, reference=CAT_2022)
    assert [m.text for m in mentions] == ["فجرَ أمسِ، الثلاثاء", "مؤخراً", "3 يناير/ كانون الثاني 2020"]
    assert all(text[m.start : m.end] == m.text for m in mentions)
    assert [m.kind for m in mentions] == ["relative", "relative", "explicit"]



WIDENED = [
    # text, span, resolved day, earliest, latest
    ("أمس", "أمس", "2024-08-07", "2024-07-31", "2024-08-14"),
    ("اليوم", "اليوم", "2024-08-08", "2024-08-01", "2024-08-15"),
    ("الثلاثاء", "الثلاثاء", "2024-08-06", "2024-07-30", "2024-08-13"),
]


@pytest.mark.parametrize(("text", "span", "d", "earliest", "latest"), WIDENED)
def test_day_relative_expressions_widen_by_a_week_with_a_text_reference(text, span, d, earliest, latest):
    m = only(text, TEXT_2024)
    assert m.text == span
    assert m.range == rng(d, earliest, latest, "approximate")


@pytest.mark.parametrize(
    ("text", "d", "earliest", "latest", "precision"),
    [
        # Whatever the publication day within a week, these resolve the same: no widening.
        ("تموز الماضي", "2024-07-16", "2024-07-01", "2024-07-31", "month"),
        ("شباط الماضي", "2024-02-15", "2024-02-01", "2024-02-29", "month"),
        ("آب الحالي", "2024-08-16", "2024-08-01", "2024-08-31", "month"),
        # Day and month with an inferred year keep their day.
        ("30 نيسان الماضي", "2024-04-30", "2024-04-30", "2024-04-30", "day"),
    ],
)
def test_month_level_expressions_keep_their_precision_with_a_text_reference(text, d, earliest, latest, precision):
    assert only(text, TEXT_2024).range == rng(d, earliest, latest, precision)


def test_early_current_month_with_a_text_reference_stays_in_the_first_ten_days():
    r = only("تعرضت مطلع آب الحالي لهجوم", TEXT_2024).range
    assert r.precision == "approximate"
    assert D("2024-08-01") <= r.earliest <= r.date <= r.latest <= D("2024-08-10")




@pytest.mark.parametrize(
    ("text", "reference", "expected"),
    [
        ("وشهد فجر أمس، الثلاثاء، إحباط هجوم", CAT_2022, rng("2022-01-04", "2022-01-04", "2022-01-04", "day")),
        ("هجوم مؤخراً، وآخر يوم الثلاثاء", CAT_2022, rng("2022-01-04", "2022-01-04", "2022-01-04", "day")),
        ("في تموز الماضي، ثم مطلع آب الحالي", CAT_2024, rng("2024-08-05", "2024-08-01", "2024-08-08", "approximate")),
        ("اجتماع الخميس المقبل بعد هجوم العام الماضي", CAT_2022,
         rng("2021-07-02", "2021-01-01", "2021-12-31", "year")),
        ("ليس في هذه الجملة تاريخ", CAT_2022, DateRange.unknown()),
        ("اجتماع الخميس المقبل", CAT_2022, DateRange.unknown()),
        ("هجوم أمس", NONE, DateRange.unknown()),
    ],
)
def test_resolve_text_picks_the_most_precise_past_mention(text, reference, expected):
    assert resolve_text(text, reference=reference) == expected




@pytest.fixture(scope="module")
def seeds(seeds_dir) -> dict[str, Article]:
    return load_seed_articles(seeds_dir)


@pytest.mark.parametrize(
    ("seed", "expected"),
    [
        ("000", Reference(D("2022-01-05"), "catalogue")),
        # No catalogue date and no stated day: "بحلول نهاية عام 2021" (a deadline) cannot stand for the day of writing.
        ("001", Reference(None, "none")),
        # Only relative dates in the text and no catalogue date.
        ("002", Reference(None, "none")),
        ("003", Reference(D("2024-08-08"), "text", (
            "stated publication date 2024-01-01 is before 2024-08-08, a date the text reports",))),
        ("004", Reference(D("2022-05-30"), "text")),
    ],
)
def test_article_reference_of_the_seed_articles(seeds, seed, expected):
    assert article_reference(seeds[seed]) == expected


def test_a_background_month_is_not_the_day_of_writing():
    # Written for this test: with no catalogue date, the visit "late December 2018" told as background would make
    # "Tuesday" a Tuesday of that month; only a stated day can stand for the day of writing.
    text = ("عنوان\nأعلنت خلية الإعلام الأمني، الثلاثاء، سقوط صواريخ في قاعدة عين الأسد.\n"
            "وكان الرئيس الأميركي قد زار القاعدة أواخر ديسمبر 2018.")
    assert article_reference(Article(file="x.txt", text=text)) == Reference(None, "none")
    stated = text + "\nوفي 3 كانون الأول 2019 أعلنت الخلية سقوط خمسة صواريخ."
    assert article_reference(Article(file="x.txt", text=stated)) == Reference(D("2019-12-03"), "text")


def test_a_stated_date_one_day_before_the_text_is_not_a_contradiction():
    article = Article(file="x.txt", text="هجوم وقع في 6 يناير 2022 على القاعدة", published=D("2022-01-05"))
    assert article_reference(article) == Reference(D("2022-01-05"), "catalogue")


def test_an_announced_future_date_is_not_a_contradiction():
    article = Article(file="x.txt", text="الانسحاب مطلع شهر ايلول المقبل 2024", published=D("2024-01-01"))
    assert article_reference(article) == Reference(D("2024-01-01"), "catalogue")


def test_no_dates_at_all_gives_no_reference():
    assert article_reference(Article(file="x.txt", text="هجوم أمس على القاعدة")) == Reference(None, "none")


SEED_SENTENCES = [
    # seed, sentence, expected best date
    ("000", "وشهد فجر أمس، الثلاثاء، إحباط هجوم بطائرتين مسيّرتين",
     rng("2022-01-04", "2022-01-04", "2022-01-04", "day")),
    ("000", "والذي توجد فيه قوات أميركية، فجر أول من أمس الإثنين، وتمكنت المضادات الجوية من إسقاطهما",
     rng("2022-01-03", "2022-01-03", "2022-01-03", "day")),
    ("003", "تعرضت مطلع آب الحالي لعجوم بصاروخين", None),
    ("003", "فيما كان هجوم سابق ضد القاعدة بـ4 صواريخ جرى في تموز الماضي",
     rng("2024-07-16", "2024-07-01", "2024-07-31", "month")),
    ("004", "بـ 6 صواريخ نوع غراد 122 ملم بتأريخ ٣٠ / ٥ / ٢٠٢٢ في تمام الساعة 2225",
     rng("2022-05-30", "2022-05-30", "2022-05-30", "day")),
    ("004", "وتعود آخر حادثة من هذا النوع إلى 30 نيسان الماضي عندما سقط صاروخان",
     rng("2022-04-30", "2022-04-30", "2022-04-30", "day")),
]


@pytest.mark.parametrize(("seed", "sentence", "expected"), SEED_SENTENCES)
def test_seed_sentences_against_their_article_reference(seeds, seed, sentence, expected):
    assert sentence in seeds[seed].text
    got = resolve_text(sentence, reference=article_reference(seeds[seed]))
    if expected is None:
        assert got.precision == "approximate"
        assert D("2024-08-01") <= got.earliest <= got.date <= got.latest <= D("2024-08-10")
    else:
        assert got == expected


@pytest.mark.parametrize("seed", ["000", "001", "002", "003", "004"])
def test_every_seed_mention_is_a_consistent_range(seeds, seed):
    article = seeds[seed]
    for m in find_dates(article.text, reference=article_reference(article)):
        assert article.text[m.start : m.end] == m.text
        assert m.kind in ("explicit", "relative")
        r = m.range
        assert r.precision in DATE_PRECISIONS
        if r.precision == "unknown":
            assert (r.date, r.earliest, r.latest) == (None, None, None)
        else:
            assert r.earliest <= r.date <= r.latest
            if r.precision == "day":
                assert r.earliest == r.latest
            if r.precision == "month":
                assert r.earliest.day == 1 and (r.latest + timedelta(days=1)).day == 1
                assert (r.earliest.year, r.earliest.month) == (r.latest.year, r.latest.month)
            if r.precision == "year":
                assert (r.earliest, r.latest) == (date(r.date.year, 1, 1), date(r.date.year, 12, 31))


DATELINES = [
    # text, expected reference date, basis
    ("عنوان الخبر\n\n05 يناير 2022\nاستهدف هجوم أمس قاعدة عين الأسد.", "2022-01-05", "dateline"),
    ("عنوان\nالخميس 8 آب 2024 - 10:30\nنص الخبر.", "2024-08-08", "dateline"),
    # a date inside a sentence is not a dateline: the latest date the text reports, widened
    ("عنوان\nقال المتحدث إن الهجوم وقع في 05 يناير 2022 على القاعدة وأدى إلى أضرار.", "2022-01-05", "text"),
    # a dateline older than what the text reports is not the publication date
    ("عنوان\n05 يناير 2022\nوفي 20 شباط 2022 تعرضت القاعدة لهجوم.", "2022-02-20", "text"),
]


@pytest.mark.parametrize(("text", "expected", "basis"), DATELINES)
def test_dateline_is_the_reference_when_there_is_no_catalogue_date(text, expected, basis):
    ref = article_reference(Article(file="x.txt", text=text))
    assert (ref.date, ref.basis) == (date.fromisoformat(expected), basis)
