"""What a place named in an attack statement is to it: target, road end, destination, landmark, launch site, outlet.

Each pattern reads the folded text just before (or the raw text around) one place mention.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from rasd.models import PlaceMention
from rasd.vocab import SITE_KINDS

# "south of Baghdad": a compass word right before a place widens it to its surroundings.
COMPASS = re.compile(r"(?:شمال|جنوب|شرق|غرب)(?:ي|ى)?\s*(?:شرق|غرب)?(?:ي|ى)?\s*$")
# "on the road between Diwaniyah and Samawah": the second town only bounds the first.
BETWEEN_SECOND = re.compile(r"(?:^|\s)بين\s+\S+(?:\s+\S+){0,2}\s+و\s*$")
LAUNCHED_FROM = re.compile(r"(?:اطلق|انطلق)\w*\s+(?:\S+\s+)?من\s|مصدرها|مصدره|منصه\s+(?:الاطلاق|اطلاق)")
# "قاعدة حرير قرب مطار أربيل": a second place near the first only says where it is ("وقرب" adds a target).
NEAR = re.compile(r"(?:^|\s)(?:قرب|بالقرب من|القريبه من|القريب من|قريبا من|بمحاذاه|المحاذيه ل|المجاوره ل)\s*$")
# "طريق كربلاء – النجف", "طريق بغداد/كركوك": the town after the dash is the road's other end.
ROAD_SECOND = re.compile(r"طريق\S*\s+(?:\S+\s+){0,3}?\S+\s*[-–—/]\s*$")
# "الطريق المؤدي إلى البصرة", "رتل متجه نحو الناصرية": where the road or the convoy goes, not where it was hit.
TOWARD = re.compile(
    r"(?:المودي|الموديه|المتجه|المتجهه|متجه|متجها|متجهه|باتجاه|نحو|الواصل|القادم|القادمه|قادما)\s+"
    r"(?:(?:الي|من)\s+)?(?:(?:مدينه|محافظه|قضاء|ناحيه)\s+)?$"
    # "أرتال تحمل مواد لوجستية من الكويت إلى قاعدة عين الأسد": the end of a journey the convoy was on.
    r"|(?:^|\s)من\s+\S+\s+(?:الي|حتي)\s+(?:(?:مدينه|محافظه|قضاء|ناحيه)\s+)?$"
)
# A place opening a line and followed by a dash or slash is the dateline of the report: "بغداد - ", "أربيل – نورث برس".
# "بغداد، العراق (CNN)--": the country may follow the town before the outlet and the dash; "بغداد 2 يناير 2024
# (شينخوا)": a day may come between the town and the agency's name.
DATELINE_MARK = re.compile(
    r"[ \t]*(?:[،,]\s*العراق\s*)?"
    r"(?:[-–—/|:]|\(\s*[^)]{0,30}\)\s*[-–—/:]|\d{1,2}\s+\S+\s+\d{4}\s*\(\s*[^)]{0,30}\))"
)
# "(بغداد اليوم)", "لـ«بغداد اليوم»", "وكالة بغداد اليوم": the outlet Baghdad Today and its kind.
OUTLET_AFTER = re.compile(r"\s+(?:اليوم|نيوز|الإخبارية|الاخبارية|24|الآن|الان)\s*[)\"”»]")
OUTLET_BEFORE = re.compile(r"(?:[(\"“«]|وكالة|لوكالة|موقع|لموقع|قناة|لقناة|صحيفة|لصحيفة|شبكة|لشبكة|تلقته|تلقت|لـ)\s*$")
# "وقبل استهداف مطار بغداد", "بعد ساعات من قصف قاعدة": a place of another attack the statement is timed by.
REFERENCED = re.compile(
    r"(?:^|\s)و?(?:قبل|بعد)\s+(?:\S+\s+){0,2}?(?:من\s+)?(?:ال)?(?:استهداف|هجوم|قصف|اعتداء|تفجير)\S*\s+"
    # The place right after the noun: with a verb between ("بعد قصف استهدف قاعدة") it is the statement's own.
    r"(?:(?:علي|ل)\s*)?$"
)
# "جهاز مكافحة الإرهاب في إقليم كردستان", "حكومة إقليم كردستان", "قيادة عمليات بغداد": the place names an
# authority's seat or reach (it speaks, it counts), not where the attack fell.
AGENT = re.compile(
    r"(?:^|\s)[وبل]?(?:ال)?(?:جهاز|حكومه|وزاره|سلطات|رئاسه|برلمان|مجلس|قياده|مديريه|اسايش|محافظ|داخليه|شرطه)"
    r"(?:\s+(?:[وبل]?ال\S+|عمليات|امن|شرطه|مكافحه)){0,2}\s+(?:في\s+|ب)?(?:[بف]?اقليم\s+)?$"
)
# "قبيل الساعة التاسعة مساء بتوقيت بغداد": a clock, not a place (taken as an agent's: never the attack's).
TIME_OF = re.compile(r"(?:^|\s)[وب]?(?:ال)?توقيت\s+$")
# "في اتصال مع مراسلة سانا في بغداد": where the reporter sits.
REPORTER_AT = re.compile(r"(?:^|\s)[ولب]?(?:ال)?مراسل(?:ه|ها|نا|و|ي|ين)?(?:\s+\S+){0,2}?\s+(?:في\s+|ب)$")
# "استهداف قاعدة قرب مطار أربيل": an unnamed base near a landmark is somewhere around it, not at it.
UNNAMED_NEAR = re.compile(
    r"(?:^|\s)[وب]?(?:قاعده|قاعدتين|معسكر|معسكرا|موقع|موقعا)\s+"
    r"(?:(?:عسكري|عسكريه|جويه|امريكي|امريكيه|اميركي|اميركيه|الاحتلال|للاحتلال|الامريكي|الاميركي)\s+){0,2}"
    r"(?:قرب|بالقرب من|القريب من|القريبه من|قريبه من|قريب من|(?:المجاوره|المجاور|المحاذيه|المحاذي|الملاصقه|الملاصق)\s+ل?)\s*$"
)
# "والتي تبعد 45 كم عن مطار أربيل", "على بعد 30 كيلومترا من بغداد": a place measured from locates another.
DISTANCE_FROM = re.compile(
    r"(?:تبعد|يبعد|بعد|مسافه)\s+(?:(?:نحو|حوالي|قرابه|زهاء|اكثر من|اقل من)\s+)?\S+\s+"
    r"(?:كم|كلم|كيلو|كيلومتر|كيلومترا|كيلومترات|ميل|اميال)\s+(?:\S+\s+)?(?:عن|من)\s*$"
)
# "استهدافين، الأول قرب الديوانية، والثاني قرب السماوة": an ordinal opens the next of several attacks, so the
# place after it is that attack's target, not a landmark locating the one before.
ENUMERATED = re.compile(
    r"(?:^|\s)و?(?:ال)?(?:اول|اولي|ثاني|ثانيه|ثالث|ثالثه|رابع|رابعه|اخر|اخري)\s+(?:(?:كان|وقع|وقعت|جاء)\s+)?"
    r"(?:(?:قرب|بالقرب من|في|ب|علي|عند)\s*)?(?:(?:مدينه|محافظه|قضاء|ناحيه|منطقه)\s+)?$"
)
GOVERNORATES_OF = re.compile(r"محافظت(?:ي|ين)\s+(?:\S+\s+)?و?\s*$")
FROM = re.compile(r"(?:^|\s)من\s*(?:\S+\s*)?$")


# "قاعدة الاحتلال الأميركي «حرير»", "قاعدة القوات الأمريكية في حرير": a base's name after words describing it,
# where a bare name ("حرير", silk) means nothing alone.
_DESCRIBED_BASE = re.compile(
    r"(?<!\w)(قاعدة|معسكر)\s+(?:(?:لل|ال)?(?:احتلال|قوات|تحالف|دولي|أمريكي|أميركي|امريكي|اميركي|أمريكية|أميركية"
    r"|امريكية|اميركية|جوية|عسكرية)\s+){1,4}(?:في\s+)?[\"«“]?\s*([^\W\d_]+(?:\s[^\W\d_]+)?)"
)


# "قاعدتي “بلد” و”فيكتوريا”": two bases named after one dual noun.
_DUAL_BASES = re.compile(
    r"(?<!\w)(?:قاعدتي|قاعدتا|معسكري|معسكرا)\s+[\"«»“”]?\s*([^\W\d_]+)[\"«»“”]?\s+و\s*[\"«»“”]?\s*"
    r"([^\W\d_]+(?:\s[^\W\d_]+)?)"
)


def described_bases(text: str, find: Callable[[str], list[PlaceMention]]) -> list[PlaceMention]:
    """Bases named after words that describe them, or after a dual, found by looking their names up as "قاعدة <name>"."""
    out = []
    for m in _DESCRIBED_BASE.finditer(text):
        if (found := _base_named(m.group(1), m.group(2), m.start(2), find)) is not None:
            out.append(found)
    for m in _DUAL_BASES.finditer(text):
        for group in (1, 2):
            if (found := _base_named("قاعدة", m.group(group), m.start(group), find)) is not None:
                out.append(found)
    return out


def _base_named(noun: str, words: str, start: int, find: Callable[[str], list[PlaceMention]]) -> PlaceMention | None:
    """The base "<noun> <name>" names, for the longest of the words' first one or two that is a base's name."""
    split = words.split()
    for n in (len(split), 1)[:len(split)]:
        name = " ".join(split[:n])
        found = find(f"{noun} {name}")
        named = found[0].end - len(noun) - 1 if found and found[0].start == 0 else 0
        if named > 0:
            return PlaceMention(found[0].place, start, start + named, name[:named])
    return None


# "أميد خوشناو، محافظ أربيل": a name followed by its bearer's office is a person's, whatever place it spells.
TITLE_AFTER = re.compile(r"\s*[،,]\s*(?:محافظ|قائممقام|قائمقام|مدير ناحية|قائد شرطة|رئيس مجلس محافظة)\s+[^\W\d_]")
_GIVEN_NAME = re.compile(r"(?:^|\s)(?!(?:في|من|الى|إلى|على|عن|قرب|نحو|حول|داخل|قاعدة|مطار|معسكر|ناحية|قضاء|مدينة|محافظة|منطقة|"
                         r"قرية|بلدة|شمال|جنوب|شرق|غرب)\s*$)[^\W\d_]{3,}\s+$")


def is_byline(text: str, m: PlaceMention) -> bool:
    """True for a place name that is an outlet's ("تلقته (بغداد اليوم)"), a dateline ("بغداد - ") or a person's
    ("أميد خوشناو، محافظ أربيل")."""
    line_start = text.rfind("\n", max(0, m.start - 200), m.start) + 1
    if not text[max(line_start, m.start - 200):m.start].strip(" \t\"'«“(") and DATELINE_MARK.match(text, m.end):
        return True
    if (m.place.kind not in SITE_KINDS and TITLE_AFTER.match(text, m.end)
            and _GIVEN_NAME.search(text, max(0, m.start - 20), m.start)):
        return True
    return bool(OUTLET_AFTER.match(text, m.end)) and bool(OUTLET_BEFORE.search(text, max(0, m.start - 25), m.start))


# "دوت صفارات الإنذار في السفارة الأمريكية": where sirens sounded, not where anything fell.
ALARM = re.compile(
    r"(?:صفارات|صافرات|صفاره|صافره)\s+(?:ال)?(?:انذار|انذارات)\s+(?:\S+\s+){0,2}?(?:(?:في|داخل|قرب|عند)\s+|ب)$"
)


def place_role(before: str, *, wider: str | None = None) -> str:
    """What a place mention is to the statement, read from the words just before it.

    "target" unless it is where sirens sounded ("alarm": the attack's place only when nothing else is named),
    the far end of a road ("طريق كربلاء – النجف"), a destination ("الطريق المؤدي
    إلى البصرة"), a landmark that only locates another place ("جنوب شرقي بغداد", "قاعدة قرب مطار أربيل"), the place of another
    attack the statement is timed by ("وقبل استهداف مطار بغداد"), or an authority's ("حكومة إقليم كردستان").
    """
    if ENUMERATED.search(before):
        return "target"
    if ROAD_SECOND.search(before):
        return "road_end"
    if TOWARD.search(before):
        return "destination"
    if COMPASS.search(before):
        return "locator"
    # The base before "near" can be long-winded ("قاعدة الاحتلال الأميركي المجاورة لمطار أربيل"): read further back.
    if UNNAMED_NEAR.search(wider or before) or DISTANCE_FROM.search(before):
        return "landmark"
    if ALARM.search(before):
        return "alarm"
    if NEAR.search(before):
        return "near"
    if REFERENCED.search(before):
        return "referenced"
    if AGENT.search(before) or TIME_OF.search(before) or REPORTER_AT.search(before):
        return "agent"
    return "target"
