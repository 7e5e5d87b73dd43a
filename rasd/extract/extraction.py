"""Articles to attack events: find the statements of attacks on US or coalition targets, then date,
place and describe each one."""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Callable, Iterable

from rasd.extract.dates import Reference, article_reference, best_range, date_words, find_dates
from rasd.extract.merging import absorb, distance_km, merge_events, precision_key, same_place, same_weapon
from rasd.extract.lexicon import COALITION_SITES, Lexicon, lexicon
from rasd.models import Article, DateRange, Event, Place, PlaceMention, Source
from rasd.extract.normalize import FoldedText, normalize_arabic
from rasd.extract.places import (
    BETWEEN_SECOND, FROM, GOVERNORATES_OF, LAUNCHED_FROM, described_bases, is_byline, place_role,
)
from rasd.extract.segment import Span, clauses, sentences
from rasd.vocab import OUTCOMES, SITE_KINDS

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer

GEO_PRECISION_BY_KIND = {
    "airbase": "site", "camp": "site", "airport": "site", "embassy": "site", "zone": "site",
    "city": "town", "district": "district", "subdistrict": "district",
    "governorate": "governorate", "region": "governorate",
}
_GEO_RANK = {"site": 0, "town": 1, "district": 2, "governorate": 3}
_ANAPHOR_KINDS = {
    "القاعده": ("airbase", "camp"), "القاعده العسكريه": ("airbase", "camp"), "المعسكر": ("camp", "airbase"),
    "السفاره": ("embassy",), "القنصليه": ("embassy",), "المطار": ("airport",),
}
# Words that may stand beside a date in a clause that only dates its neighbour ("، وذلك مساء أمس،").
_DATE_FILLERS = frozenset(normalize_arabic(w) for w in (
    "في", "يوم", "من", "منذ", "مساء", "صباح", "فجر", "ليل", "ليلة", "ظهر", "عصر", "الساعة", "الساعه", "نحو",
    "قرابة", "حوالي", "وذلك", "ذلك", "عند", "بتوقيت", "المحلي", "بغداد", "و", "أمس", "اليوم", "الماضي",
    "الجاري", "الحالي", "تاريخ", "بتاريخ", "أيضا", "أيضاً", "مساءً", "صباحاً", "فجراً", "قبل", "بعد",
))
# "ولكن تم إخلاؤه بتاريخ ...": a clause set against the attack tells another action.
_CONTRAST = re.compile(r"\s*(?:و)?(?:لكن|لكنه|لكنها|الا ان|غير ان|علما ان|علما بان)(?:\s|$)")
# Reporting verbs: a date beside one dates the announcement, and the attack came on or before it.
_REPORTING = re.compile(
    r"(?:و|ف)?(?:اعلن|اعلنت|افاد|افادت|قال|قالت|ذكر|ذكرت|اكد|اكدت|كشف|كشفت|اوضح|اوضحت|اضاف|اضافت|نقل|نقلت|"
    r"صرح|صرحت|اعترف|اعترفت|نشر|نشرت|البنتاغون|كان|قد|كانت)"
)
_REPORT_LAG_DAYS = 3
# The complementiser of a reported statement ("أعلن ... أن ..."), folded.
_THAT = re.compile(r"(?:^|\s)(?:ان|بان|انه|انها|بانه|بانها)(?:\s|$)")
_LETTERS = re.compile(r"[^\W\d_]+")
# A definite attack word ("الهجوم", "بالقصف", "للاستهداف"): an attack the reader already knows of.
_DEFINITE = re.compile(r"(?:[وفبل]?ال|لل)")
# "بشأن واقعة إطلاق الصواريخ", "في حادثة استهداف المطار": the incident of an attack, one already known.
_INCIDENT_OF = re.compile(r"(?:^|\s)[وفبل]?(?:ال)?(?:واقعه|حادثه|حادث)\s*$")
# "بعد نحو شهرين من هجوم", "بعد ساعات من استهدافين": an earlier attack, told by the time since it.
_AFTER_SPAN = re.compile(
    r"(?:^|\s)بعد\s+(?:نحو\s+|قرابه\s+|حوالي\s+|اكثر\s+من\s+|اقل\s+من\s+)?"
    r"(?:(?P<hours>ساعات|ساعه|ساعتين|ساعتان|سويعات)|(?:(?P<n>\d+|ثلاثه|اربعه|خمسه|سته|سبعه|ثمانيه|تسعه|عشره)\s+)?"
    r"(?P<unit>يوم|يومين|ايام|اسبوع|اسبوعين|اسابيع|شهر|شهرين|اشهر|شهور|عام|عامين|سنه|سنتين|سنوات))"
    r"(?:\s+\S+){0,2}?\s+(?:من|علي)\s+(?:ال)?(?:هجوم|استهداف|قصف|تفجير|انفجار|اعتداء|هجمه)"
)
# A clause opened by a relative pronoun or an apposition describes a place or a party, not the attack.
_DESCRIPTIVE = re.compile(r"(?:^|\s)(?:و|ف)?(?:التي|الذي|الذين|اللتي|اللذين|وهي|وهو|هي|هو|حيث|والتي|والذي)(?:\s|$)")
_FALL_NEAR = re.compile(r"سقط\w*(?:\s+\S+){0,4}?\s+(?:قرب|بالقرب|محيط|بمحيط|في محيط|خارج)")
# Articles that mention US or coalition forces this often are about them: a bare base name is theirs.
_ARTICLE_US_MENTIONS = 2
_RECENT_DAYS = 2
_TEXT_BASIS_SLACK = 7
MAX_PLACES_PER_STATEMENT = 3
_CLAIM_WINDOW_DAYS = 7
# "a similar attack", "a second bomb", "another convoy": the same kind of target as the article's attack.
# "هذا الاستهداف هو الثالث خلال أيام": an ordinal counts attacks like it.
# "وتلاه هجوم ثان على قاعدة بلد": another attack like the one just told, by the same means unless it says.
_ANOTHER = re.compile(r"(?:^|\s)(?:هجوم|هجوما|هجمه|استهداف|قصف)\s+(?:ثان|ثانيا|اخر|مماثل|مماثلا|ثالث|ثالثا)(?:\s|$)")
_SIMILAR = re.compile(
    r"(?:^|\s)(?:مماثل|مماثله|مماثلا|مشابه|ثانيه|ثان|اخري|الثالث|الثالثه|الرابع|الرابعه|الخامس|الخامسه)(?:\s|$)"
)
# "the first attack since the war began on 7 October": that date starts a period, it does not date the attack.
_SINCE = re.compile(r"(?:^|\s)منذ(?:\s+[^\s,;،.]+){0,8}\s*$")
# An undated attack told right after a dated one in the same sentence happened within about a day of it.
_SAME_SENTENCE_DAYS = 1
_SAME_DAY = re.compile(r"(?:^|\s)(?:(?:في|من|ب)?\s*(?:نفس|ذات)\s+اليوم|(?:في|من)?\s*اليوم\s+(?:نفسه|ذاته))(?:\s|$|[,.،])")
# A follow-up with no place tells more of the attack just told only within the next paragraph or so.
_FOLLOW_UP_LINES = 3
# Only an attack this close to the article's date is the lead story undated attacks are dated by.
_LEAD_DAYS = 7
# How far from its landmark an unnamed base can be ("قاعدة جوية غرب بغداد" is Ain al-Asad, 180 km away) ...
_LANDMARK_KM = 250.0
# ... and, when either is undated, from a landmark that is a site itself ("قاعدة أمريكية قرب مطار أربيل" is not
# the Harir base an undated sentence of the same article names, 60 km away).
_SITE_LANDMARK_KM = 20.0
# "قتل جنديان عراقيان بهجوم لداعش قرب قاعدة عين الأسد": an attack on Iraqi troops by the Islamic State
# beside a base that hosts coalition forces is not an attack on them.
_ON_IRAQI_FORCES = re.compile(
    r"(?=.*(?:داعش|تنظيم الدوله))(?=.*(?:عراقي|عراقيين|عراقيان|العراقي|العراقيين|الجيش|الحشد|الشرطه))"
)
# The cue is what "ردا على" answers ("ردا على اغتيال"), not the act done in answer ("ردا على ذلك، نفذت ...").
_MOTIVE = re.compile(r"(?:ردا|رد|انتقاما|ثارا)\s+(?:علي\s+|ل)(?!ذلك|هذا|هذه|تلك)[^,،.;]*$")
# "هجوم على القاعدة الأمريكية في سوريا": "the base" is one abroad, not the last base named in Iraq.
_ABROAD = re.compile(r"(?:\s+\S+){0,2}?\s+(?:في\s+|ب)?(?:سوريا|سوريه|السوريه|الاردن|الاردنيه)(?:\s|$|[,.،])")
# "ننفي هذا الخبر", "نفت صحة هذه الأنباء", "لا صحة لهذه المعلومات": a denial of the report just told.
_DENIES_THAT = re.compile(
    r'(?:^|[\s"«(])[وف]?(?:نفت|نفي|ننفي|ينفي|تنفي|نفوا)\s+(?:\S+\s+){0,2}?(?:هذا|هذه|تلك|ذلك)\s+(?:ال)?'
    r"(?:خبر|انباء|معلومات|روايه|تقارير)|(?:^|\s)لا\s+صحه\s+(?:ل|الي\s+)(?:هذا|هذه|تلك|ذلك|ما)"
)
# "لم يتضح ما إذا كانت هناك خسائر": "whether", not the "if" of a condition or a threat.
_IF = re.compile(r"[وف]?اذا")
_WHETHER = re.compile(r"(?:^|\s)ما\s+$")
# "أطلق" and its forms: an attack word only when a weapon is launched (_launch_of_no_weapon).
_LAUNCH_VERB = re.compile(r"[وف]?اطلق")
_FOILED = re.compile(
    r"(?:^|\s)[وب]?(?:احباط|احبطت|احبط|يحبط|تحبط)\s+(?:\S+\s+)?محاول|(?:^|\s)[وب]?(?:تفكيك|ابطال|فككت|فكك|ابطلت)\s+"
    r"(?:\S+\s+)?(?:ال)?عبو|(?:^|\s)[وب]?(?:ضبط|ضبطت|العثور علي|عثرت علي|عثر علي)\s+(?:\S+\s+)?(?:ال)?منص"
)
# ... unless something was shot down, intercepted, fell or went off.
_HAPPENED = re.compile(r"اسقاط|اسقطت|اسقط|اعتراض|اعترضت|سقط|سقوط|انفجر|انفجار|اصاب")
_NIGHT_BETWEEN = re.compile(r"(?:^|\s)(?:في\s+)?(?:الليله|ليله|ليل)\s+(?:الفاصله|الفاصلي|الواقعه)?\s*بين(?:\s|$)")
_BLAST = re.compile(r"(?:^|\s)[وف]?(?:ال)?انفجار|(?:^|\s)[وف]?انفجر")
# The targets that are named sites, so an unnamed one can be folded into one.
_LANDMARKED_TARGETS = frozenset({"base", "airport"})


@dataclass(slots=True)
class Statement:
    """Clause segments of one sentence that together state one attack."""

    sentence: int = 0
    spans: list[Span] = field(default_factory=list)
    strong: bool = False
    weak: bool = False
    has_place: bool = False
    # Clauses that only summarise other attacks ("وعدد من الاستهدافات في واسط"): their places are not this attack's.
    aggregates: list[Span] = field(default_factory=list)
    # Clauses with an attack word of their own: the dates that govern the attack stand in them.
    triggered: list[Span] = field(default_factory=list)

    @property
    def start(self) -> int:
        """Offset of the statement's first character."""
        return self.spans[0].start

    @property
    def end(self) -> int:
        """Offset just past the statement's last character."""
        return self.spans[-1].end


class _Mentions:
    """The article's place mentions in text order, looked up by offset in logarithmic time."""

    def __init__(self, mentions: Iterable[PlaceMention]):
        self.all = tuple(sorted(mentions, key=lambda m: m.start))
        self._starts = [m.start for m in self.all]
        self._by_kinds: dict[tuple[str, ...], tuple[list[int], list[PlaceMention]]] = {}

    def within(self, start: int, end: int) -> tuple[PlaceMention, ...]:
        """The mentions starting in [start, end)."""
        return self.all[bisect.bisect_left(self._starts, start):bisect.bisect_left(self._starts, end)]

    def any_within(self, start: int, end: int) -> bool:
        """True when a mention starts in [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        return i < len(self._starts) and self._starts[i] < end

    def last_before(self, start: int, kinds: tuple[str, ...]) -> PlaceMention | None:
        """The last mention of a place of one of these kinds starting before an offset."""
        if kinds not in self._by_kinds:
            chosen = [m for m in self.all if m.place.kind in kinds]
            self._by_kinds[kinds] = ([m.start for m in chosen], chosen)
        starts, chosen = self._by_kinds[kinds]
        i = bisect.bisect_left(starts, start)
        return chosen[i - 1] if i else None


@dataclass(frozen=True, slots=True)
class _Context:
    """What the extractor knows about the whole article while reading one statement."""

    article: Article
    reference: Reference
    folded: FoldedText
    sentences: tuple[Span, ...]
    # Where each sentence starts, for finding the one after a statement's.
    sentence_starts: tuple[int, ...]
    mentions: _Mentions
    us_mentions: int
    governorate_of: Callable[[str], Place | None]


def _statements(text: str, ctx: _Context, lex: Lexicon) -> list[Statement]:
    """Group each sentence's clauses into attack statements.

    A clause with an attack word and a place of its own starts a new statement when the current one
    already has both; otherwise clauses join, so "the base, west of Iraq, was hit by two
    rockets, wounding five" stays one statement while "..., and before it a convoy was hit in
    Muthanna" becomes a second.
    """
    out: list[Statement] = []
    for sentence in ctx.sentences:
        current = Statement(sentence.start)
        folded_sentence = ctx.folded.slice(sentence.start, sentence.end)
        for span in clauses(text, sentence):
            folded = ctx.folded.slice(span.start, span.end)
            # "نفذت الجماعات 21 هجوما", "استهدف نحو خمسين هجوما المصالح": a clause tallying attacks
            # summarises them, whatever verb it has.
            tally = bool(lex.counted.search(folded))
            words = [] if tally else list(lex.strong.finditer(folded))
            strong = (bool(words) and not _names_again(folded, words, lex)
                      and not _launch_of_no_weapon(words, folded_sentence, lex))
            weak = strong or tally or bool(lex.weak.search(folded))
            place = any(
                place_role(ctx.folded.slice(max(span.start, m.start - 30), m.start)) not in ("referenced", "agent")
                for m in ctx.mentions.within(span.start, span.end)
            ) or bool(lex.anaphora.search(folded))
            if weak and place and current.weak and current.has_place:
                out.append(current)
                current = Statement(sentence.start)
            current.spans.append(span)
            if strong:
                current.triggered.append(span)
            elif weak:
                current.aggregates.append(span)
            current.strong |= strong
            current.weak |= weak
            current.has_place |= place
        if current.spans:
            out.append(current)
    return [s for s in out if s.strong]


def _us_context(folded: str, lex: Lexicon) -> int:
    """How many words say US or coalition, "الاحتلال التركي" and the like aside."""
    if lex.other_occupiers.search(folded):
        folded = lex.other_occupiers.sub(" ", folded)
    return len(lex.us_context.findall(folded))


def _launch_of_no_weapon(words: list[re.Match[str]], folded_sentence: str, lex: Lexicon) -> bool:
    """True when a clause's only attack word (its matches of lex.strong) is "أطلق" and its sentence launches no weapon.

    "أطلقت السفارة صافرات الإنذار", "أطلق سراح": launching sirens, prisoners or a campaign is no attack;
    "وأطلقت إيران، الأربعاء، صواريخ" names its weapon in a later clause.
    """
    return (bool(words) and all(_LAUNCH_VERB.match(w.group()) for w in words)
            and _first_cue(folded_sentence, lex.weapons) is None)


def _names_again(folded: str, words: list[re.Match[str]], lex: Lexicon) -> bool:
    """True when every attack word of a clause (its matches of lex.strong) is one already told: "ويأتي هذا الهجوم"."""
    # A demonstrative points at a definite noun ("هذا الهجوم"); "بما في ذلك هجوم" (including an attack)
    # introduces a new one.
    return bool(words) and all(
        _DEFINITE.match(folded, w.start()) and lex.demonstrative.search(folded, max(0, w.start() - 6), w.start())
        for w in words
    )


def _is_launch_site(folded_before: str, wider: str, folded_statement: str, lex: Lexicon) -> bool:
    """True for "launched from X": the place the attack came from, not its target.

    "من X" right before the place in a statement that says launched, or a launch phrase earlier in the
    same clause ("الصاروخ أطلق من ساحة خالية في منطقة معسكر الرشيد جنوب بغداد").
    """
    if FROM.search(folded_before) and lex.launch.search(folded_statement):
        return True
    clause = re.split(r"[،,؛;:]", wider)[-1]
    launched = [m for m in LAUNCHED_FROM.finditer(clause)]
    # "انطلقت الصواريخ من هيت وسقطت داخل القاعدة": an attack word after the launch phrase starts the target.
    return bool(launched) and not lex.strong.search(clause[launched[-1].end():])


# A base named by a word of its own ("قاعدة خراب الجير"), not described ("قاعدة عسكرية", "القاعدة التي").
_OTHER_BASE = re.compile(
    r"(?:^|\s)[وبل]?قاعده\s+(?!(?:عسكريه|جويه|امريكيه|اميركيه|الامريكيه|الاميركيه|للاحتلال|الاحتلال|التحالف|للتحالف|تضم|"
    r"التي|في|قرب|اخري|ثانيه|اجنبيه|دوليه|كبيره|مهمه|رئيسيه)(?:\s|$))[^\W\d_]{3,}"
)


# "أعلنت مسؤوليتها عن الهجوم": responsibility for the attack already told (definite), not a new one.
_CLAIMED_TOLD = re.compile(r"مس(?:وو|ؤو)ليت(?:ها|ه|هم)\s+عن\s+(?:هذا\s+|هذه\s+|ذلك\s+|تلك\s+)?ال")


def _claims_the_attack_told(folded: str) -> bool:
    """True for a claim of "the attack" ("أعلنت مسؤوليتها عن الهجوم على القاعدة"): the attack just told, so "the base"
    in it is that attack's place, not the last base the article named."""
    return bool(_CLAIMED_TOLD.search(folded))


def _anaphor(folded: str, start: int, ctx: _Context, lex: Lexicon) -> Place | None:
    """The site that "the base" or "the embassy" refers to: the last such site named before."""
    m = lex.anaphora.search(folded)
    if not m or _ABROAD.match(folded, m.end()):
        return None
    kinds = _ANAPHOR_KINDS.get(re.sub(r"\s+", " ", m.group().strip()), ("airbase", "camp"))
    earlier = ctx.mentions.last_before(start, kinds)
    if earlier is None:
        return None
    if "airbase" in kinds and _OTHER_BASE.search(ctx.folded.slice(earlier.end, start)):
        # "استهداف قاعدة خراب الجير الأمريكية في سوريا ... قصفت القاعدة": the base named last, one the gazetteer
        # does not know, is the one meant.
        return None
    return earlier.place


def _cluster(place: Place) -> str:
    return place.parent or place.id


def _choose_places(text: str, statement: Statement, ctx: _Context, lex: Lexicon) -> list[tuple[Place, str, int]]:
    """The places a statement says were attacked, each with its geographic precision and where it is named."""
    folded_statement = ctx.folded.slice(statement.start, statement.end)
    found: list[tuple[Place, str, int, str]] = []
    for m in ctx.mentions.within(statement.start, statement.end):
        if any(a.start <= m.start < a.end for a in statement.aggregates) or is_byline(text, m):
            continue
        before = ctx.folded.slice(max(statement.start, m.start - 30), m.start)
        wider = ctx.folded.slice(max(statement.start, m.start - 120), m.start)
        if _is_launch_site(before, wider, folded_statement, lex) or BETWEEN_SECOND.search(before):
            continue
        place = m.place
        if GOVERNORATES_OF.search(before) and place.kind != "governorate":
            # "in the governorates of Diwaniyah and Baghdad" names provinces, not their capitals.
            place = ctx.governorate_of(place.governorate) or place
        role = place_role(before, wider=wider)
        if role == "agent":
            # The place of the authority telling the attack: never the attack's.
            continue
        if role == "near":
            # "near Y" after a target locates it; opening the statement's places, Y is where it fell.
            role = "locator" if any(f[3] == "target" for f in found) else "target"
        precision = GEO_PRECISION_BY_KIND.get(place.kind, "town")
        if precision == "town" and role == "locator":
            precision = "district"
        if role == "landmark":
            # An unnamed base near the place: around it, whatever the place is.
            role = "locator" if any(f[3] == "target" for f in found) else "target"
            precision = "district"
        if role == "road_end" and found and found[-1][3] == "target" and found[-1][0].kind not in SITE_KINDS:
            # The road's first named town stands for the road.
            first = found[-1]
            found[-1] = (first[0], "road", first[2], first[3])
        found.append((place, precision, m.start, role))
    if not any(p.kind in SITE_KINDS for p, _, _, _ in found) and not _claims_the_attack_told(folded_statement):
        site = _anaphor(folded_statement, statement.start, ctx, lex)
        if site is not None:
            found.insert(0, (site, "site", statement.start, "target"))
    # Road ends, destinations and landmarks only say where a target is: they are places of their own only
    # when the statement names nothing else ("جنوبي بغداد").
    targets = [f for f in found if f[3] == "target"]
    # The place of another attack this one is timed by ("بعد يوم على قصف قاعدة التاجي") is never this
    # one's; named alone, it is that earlier attack's, dated back from this one (see _elapsed).
    found = targets or [f for f in found if f[3] != "referenced"][:1] or found[:1]
    if not found:
        return []
    sites = [(p, g, start) for p, g, start, _ in found if p.kind in SITE_KINDS]
    if sites:
        chosen: dict[str, tuple[Place, str, int]] = {}
        for p, g, start in sites:
            chosen.setdefault(_cluster(p), (p, g, start))
        # "the Ain al-Asad and Erbil bases": a town joined on in another governorate is a target of its own.
        site_governorates = {p.governorate for p, _, _ in sites}
        for p, g, start, _ in found:
            joined = text[max(statement.start, start - 2):start].strip().endswith("و")
            if g == "town" and joined and p.governorate not in site_governorates:
                chosen.setdefault(p.id, (p, g, start))
        return list(chosen.values())[:MAX_PLACES_PER_STATEMENT]
    # One place per governorate: "in Yusufiyah, south of Baghdad, in Baghdad governorate" is Yusufiyah.
    # Governorate-level mentions only locate the more specific place.
    per_governorate: dict[str, tuple[Place, str, int]] = {}
    for p, g, start, _ in sorted(found, key=lambda f: (f[1] == "governorate", f[2])):
        per_governorate.setdefault(p.governorate or p.id, (p, g, start))
    return list(per_governorate.values())[:MAX_PLACES_PER_STATEMENT]


def _clause_weapon(statement: Statement, named_at: int, ctx: _Context, lex: Lexicon) -> str:
    """The weapon at one of a statement's places: the one the clause naming it names, else the statement's.

    "استهدفت ثلاث طائرات مسيّرة المعسكر، بالتزامن مع هجوم صاروخي استهدف قاعدة بلد": rockets at Balad.
    """
    span = next((s for s in statement.spans if s.start <= named_at < s.end), None)
    own = _first_cue(ctx.folded.slice(span.start, span.end), lex.weapons) if span else None
    folded = ctx.folded.slice(statement.start, statement.end)
    return own or _first_cue(folded, lex.weapons) or _first_cue(folded, lex.fallback_weapon) or "unknown"


def _first_cue(folded: str, cues: tuple[tuple[str, re.Pattern[str]], ...]) -> str | None:
    best: tuple[int, str] | None = None
    for code, pattern in cues:
        m = pattern.search(folded)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), code)
    return best[1] if best else None


def _number(token: str, lex: Lexicon) -> int | None:
    token = token.strip()
    if token.isdigit():
        return int(token)
    if token.startswith("ب") and token[1:] in lex.number_words:
        return lex.number_words[token[1:]]
    return lex.number_words.get(token)


def _projectiles(folded: str, lex: Lexicon) -> int | None:
    m = lex.count.search(folded)
    if m:
        n = _number(m.group(1), lex)
        if n is not None and 0 < n < 200:
            return n
    if lex.duals.search(folded):
        return 2
    return None


def _casualties(folded: str, lex: Lexicon) -> tuple[int | None, int | None]:
    killed = wounded = None
    if m := lex.killed.search(folded):
        killed = _number(m.group(1), lex)
    if m := lex.wounded.search(folded):
        wounded = _number(m.group(1), lex)
    return killed, wounded


def _outcome(folded: str, lex: Lexicon, killed: int | None, wounded: int | None) -> str:
    present = {code for code, pattern in lex.outcomes if pattern.search(folded)}
    if killed or wounded:
        present.add("casualties")
    elif killed == 0 and wounded == 0:
        present.discard("casualties")
    if "fell_nearby" in present and not _FALL_NEAR.search(folded):
        present.discard("fell_nearby")
    for code in OUTCOMES:
        if code in present:
            return code
    return "unknown"


def _target(folded: str, lex: Lexicon, place: Place) -> str:
    cues = {code for code, pattern in lex.targets if pattern.search(folded)}
    if "convoy" in cues:
        return "convoy"
    # The Green Zone is attacked for the embassy inside it.
    if "embassy" in cues or place.kind in ("embassy", "zone"):
        return "embassy"
    if place.kind in ("airbase", "camp"):
        return "base"
    if "base" in cues:
        return "base"
    if place.kind == "airport" or "airport" in cues:
        return "airport"
    return "other"


def _claimant(folded: str, lex: Lexicon) -> str:
    if not lex.claim_verbs.search(folded):
        return ""
    for claimant, pattern in lex.claimants:
        if pattern.search(folded):
            return claimant.name_en
    return ""


def _quoted_today(text: str, statement: Statement, own: DateRange, reference: Reference, *, told: DateRange) -> bool:
    """True when a statement's date is the article's day only because a quoted speaker says "today",
    and the article told a day or two before as the day of the news (the day the speaker spoke)."""
    if own.precision != "day" or reference.date is None or own.date != reference.date:
        return False
    if told.precision != "day" or told.date is None or not 1 <= (reference.date - told.date).days <= 2:
        return False
    at = statement.triggered[-1].start if statement.triggered else statement.start
    opened = text[text.rfind("\n", 0, at) + 1:at]
    # Inside a quotation: more opening marks than closing ones, or an odd number of straight quotes.
    return (opened.count("“") + opened.count("«") > opened.count("”") + opened.count("»")
            or opened.count('"') % 2 == 1)


def _stated_date(statement: Statement, ctx: _Context) -> DateRange | None:
    """The date a statement's own time words give; None when it has no time word at all."""
    text = ctx.article.text[statement.start:statement.end]
    mentions = []
    for m in find_dates(text, reference=ctx.reference):
        if _SINCE.search(ctx.folded.slice(statement.start, statement.start + m.start)):
            continue
        role = _date_role(statement.start + m.start, statement.start + m.end, statement, ctx)
        if role == "report" and m.range.date and m.range.precision == "day":
            # "the Pentagon announced on the 8th that five were wounded in an attack": on or before that day.
            reported = m.range.date
            m = dataclasses.replace(m, range=DateRange(reported, reported - timedelta(days=_REPORT_LAG_DAYS),
                                                       reported, "approximate"))
        if role != "other":
            mentions.append((role, m))
    # The day an attack was announced bounds it only when nothing dates the attack itself.
    mentions = [m for role, m in mentions if role == "attack"] or [m for _, m in mentions]
    days = [m.range for m in mentions if not m.future and m.range.precision == "day" and m.range.date]
    if len(days) == 2 and _NIGHT_BETWEEN.search(ctx.folded.slice(statement.start, statement.end)):
        first, second = sorted(r.date for r in days)
        if (second - first).days == 1:
            # "في الليلة الفاصلة بين أمس الإثنين واليوم الثلاثاء": after midnight, on the second day (as "ليل
            # الأربعاء الخميس" is read).
            return max(days, key=lambda r: r.date)
    if len(days) > 1:
        # "announced today that ... last night": an attack is reported after it happens.
        return min(days, key=lambda r: r.date)
    found = best_range(mentions)
    if found.precision != "unknown" or any(not m.future for m in mentions):
        return found
    return None


def _date_role(start: int, end: int, statement: Statement, ctx: _Context) -> str:
    """What a date in a statement dates: "attack", "report" (the day it was announced) or "other".

    Each date belongs to the verb of its own clause. In the clause with the attack word it dates the
    attack; beside a reporting verb alone it dates the announcement; in a relative, descriptive or
    contrasting clause ("وهي القاعدة التي سُلّمت للجيش في 3-5-2022", "ولكن تم إخلاؤه بتاريخ ...") it
    dates something else; a clause that is the date and little else ("، الثلاثاء،") dates the attack.
    """
    span = next((s for s in statement.spans if s.start <= start < s.end), None)
    if span is None:
        return "attack"
    if _announces_known_attack(start, end, statement, ctx):
        return "report"
    if span in statement.triggered:
        return "attack"
    head = ctx.folded.slice(span.start, start)
    if _DESCRIPTIVE.search(head) or _CONTRAST.match(head):
        return "other"
    rest = (head + " " + ctx.folded.slice(end, span.end)).split()
    words = [w for w in rest if w not in _DATE_FILLERS and not w.isdigit()]
    if words and _REPORTING.fullmatch(words[0]) and not ctx.folded.slice(span.start, start).strip():
        # The clause opens with its date, then a reporting verb: "16 فبراير 2021 أعلن متحدث ...".
        return "report"
    if words and all(_REPORTING.fullmatch(w) for w in words):
        return "report"
    return "attack"


def _announces_known_attack(start: int, end: int, statement: Statement, ctx: _Context) -> bool:
    """True when a date dates a reporting verb whose "that" clause names an attack already known.

    "16 فبراير 2021 أعلن متحدث، الثلاثاء، أن متعاقدا قتل في الهجوم الصاروخي": the attack ("the"
    attack, definite) came before the announcement; a new one ("أن صاروخين سقطا") is dated by it.
    """
    before = ctx.folded.slice(statement.start, start)
    after = ctx.folded.slice(end, statement.end)
    lex = lexicon()
    if lex.strong.search(before):
        return False
    trigger = lex.strong.search(after)
    if trigger is None or not (_DEFINITE.match(after, trigger.start())
                               or _INCIDENT_OF.search(after, 0, trigger.start())):
        return False
    that = _THAT.search(after, 0, trigger.start())
    if that is None:
        return False
    # Letters only: a scraped date line is often glued to the verb ("2021أعلن").
    words = _LETTERS.findall(before) + _LETTERS.findall(after[:that.start()])
    return any(_REPORTING.fullmatch(w) for w in words)


def _elapsed(folded: str, words) -> tuple[int, int] | None:
    """Days between this attack and a later one the statement is told from, as (least, most).

    "ويأتي بعد نحو شهرين من هجوم صاروخي استهدف المطار": the earlier attack came about two months before.
    """
    m = _AFTER_SPAN.search(folded)
    if not m:
        return None
    if m.group("hours"):
        return 0, 1
    count = m.group("n")
    if count is None:
        days = int(words.values("dual").get(m.group("unit")) or words.values("unit").get(m.group("unit")) or 0)
    else:
        n = int(count) if count.isdigit() else int(words.values("number").get(count) or 0)
        days = n * int(words.values("units").get(m.group("unit")) or words.values("unit").get(m.group("unit")) or 0)
    if not days:
        return None
    slack = max(1, days // 4)
    return max(0, days - slack), days + slack


def _undated(ctx: _Context, *, told: DateRange | None) -> DateRange:
    """The date of a statement with no time word: near the attack told before it, else a recent one."""
    if told is not None:
        return told
    if ctx.reference.date is None:
        return DateRange.unknown()
    ref = ctx.reference.date
    slack = _TEXT_BASIS_SLACK if ctx.reference.basis == "text" else 0
    return DateRange(
        ref - timedelta(days=1),
        ref - timedelta(days=_RECENT_DAYS + slack),
        ref + timedelta(days=slack),
        "approximate",
    )


def _is_recent(told: DateRange, reference: Reference) -> bool:
    """True for the news of the day: within a week of the article's date (or any, when it has none)."""
    if reference.date is None or told.date is None:
        return True
    return abs((reference.date - told.date).days) <= _LEAD_DAYS


def _near(told: DateRange, *, days: int) -> DateRange:
    """Around a date told before: the same best date, an interval widened by some days, approximate."""
    if told.earliest is None or told.latest is None:
        return told
    pad = timedelta(days=days)
    return DateRange(told.date, told.earliest - pad, told.latest + pad, "approximate")


def _negated(folded: str, lex: Lexicon) -> bool:
    """True when a statement says no attack on the coalition happened (an arrest, a US strike, a threat...).

    A cue in the attack's motive does not count: "صواريخ على قواعد تستضيف قوات أمريكية، ردا على اغتيال
    سليماني" is an attack, whatever it answers.
    """
    if _FOILED.search(folded) and not _HAPPENED.search(folded):
        # "إحباط 3 محاولات لاستهداف المطار", "تفكيك عبوة ناسفة": a plot stopped before it struck.
        return True
    return any(not _MOTIVE.search(folded, max(0, m.start() - 60), m.start())
               and not (_IF.fullmatch(m.group(0)) and _WHETHER.search(folded, max(0, m.start() - 4), m.start()))
               for m in lex.negative.finditer(folded))


def _denied_next(statement: Statement, ctx: _Context) -> bool:
    """True when the next sentence denies what this one reports ("تناقلت وسائل إعلام خبراً عن سقوط صاروخ", then
    "ننفي هذا الخبر تماماً")."""
    # Statement.sentence is where its sentence starts.
    following = bisect.bisect_right(ctx.sentence_starts, statement.sentence)
    if following >= len(ctx.sentences):
        return False
    span = ctx.sentences[following]
    return bool(_DENIES_THAT.search(ctx.folded.slice(span.start, span.end)))


def _statement_events(
    text: str, statement: Statement, ctx: _Context, lex: Lexicon, *, date: DateRange
) -> list[tuple[Event, str]]:
    """The events a statement reports, each with how it shows a US/coalition target.

    "stated" when the statement names one (or a known coalition site), "similar" when it says the
    attack was like another ("a second bomb"), "" when it does not say.
    """
    raw = text[statement.start:statement.end]
    folded = ctx.folded.slice(statement.start, statement.end)
    if _negated(folded, lex) or _denied_next(statement, ctx):
        return []
    if lex.condemn.search(folded) and not lex.strong_verbs.search(folded):
        return []
    if lex.vague.search(folded) and not lex.anchors.search(folded) and date.precision != "day":
        return []
    places = _choose_places(text, statement, ctx, lex)
    if not places:
        return []
    us_here = _us_context(folded, lex) > 0
    killed, wounded = _casualties(folded, lex)
    outcome = _outcome(folded, lex, killed, wounded)
    if outcome == "no_casualties":
        killed, wounded = killed or 0, wounded or 0
    events = []
    for place, precision, named_at in places:
        weapon = _clause_weapon(statement, named_at, ctx, lex)
        target = _target(folded, lex, place)
        if weapon == "unknown" and target == "convoy" and _BLAST.search(folded):
            # A convoy hit by a blast with no weapon named was hit by a roadside bomb.
            weapon = "ied"
        coalition_site = place.id in COALITION_SITES or (
            place.kind in SITE_KINDS and ctx.us_mentions >= _ARTICLE_US_MENTIONS
        )
        events.append((
            Event(
                date=date.date, date_earliest=date.earliest, date_latest=date.latest,
                date_precision=date.precision,
                place=place.id, place_name=place.name_en, lat=place.lat, lon=place.lon,
                geo_precision=precision, governorate=place.governorate,
                weapon=weapon,
                projectiles=_projectiles(folded, lex),
                target=target,
                outcome=outcome, killed=killed, wounded=wounded,
                claimed_by=_claimant(folded, lex),
                sources=[Source(
                    article=ctx.article.file, evidence=raw.strip(), outlet=ctx.article.outlet,
                    url=ctx.article.url, start=statement.start, end=statement.end,
                )],
            ),
            "stated" if us_here or (coalition_site and not _ON_IRAQI_FORCES.search(folded)) else "similar" if _SIMILAR.search(folded) else "",
        ))
    return events


def _default_gazetteer():
    from geo.gazetteer import default_gazetteer

    return default_gazetteer()


def extract_article(article: Article, *, gazetteer=None, reference: Reference | None = None) -> list[Event]:
    """The attacks one article reports, merged within the article, with stable ids."""
    gaz = gazetteer or _default_gazetteer()
    lex = lexicon()
    text = article.text
    folded = FoldedText(text)
    ctx = _Context(
        article=article,
        reference=reference or article_reference(article),
        folded=folded,
        sentences=(spans := tuple(sentences(text))),
        sentence_starts=tuple(span.start for span in spans),
        mentions=_Mentions(_with_described_bases(gaz.find(text), described_bases(text, gaz.find))),
        us_mentions=_us_context(folded.text, lex),
        governorate_of=gaz.governorate,
    )
    found: list[tuple[Event, str]] = []
    told_last: list[tuple[Event, str]] = []
    # Coalition targets told with no place ("استهدف انفجار رتلاً للتحالف الدولي جنوب العراق"): where each
    # statement ends, its kind of target and its weapon.
    unplaced: list[tuple[int, str | None, str | None]] = []
    lead: DateRange | None = None
    previous: tuple[int, DateRange, int] | None = None
    for st in _statements(text, ctx, lex):
        if previous and _SAME_DAY.search(ctx.folded.slice(st.start, st.end)):
            # "من نفس اليوم", "في اليوم ذاته": the day of the attack just told, not the day of writing.
            own = previous[1]
        else:
            own = _stated_date(st, ctx)
            if own is not None and previous and _quoted_today(text, st, own, ctx.reference, told=previous[1]):
                # "وأوضح أن «هذه الضربات رد على هجوم ... في وقت سابق من اليوم»" after "نفذ ضربات أمس الاثنين":
                # the speaker's today is the day they spoke, told before the quote.
                own = previous[1]
        sentence = st.sentence
        gap = _elapsed(ctx.folded.slice(st.start, st.end), date_words())
        anchor = (previous[1] if previous else None) or lead or _undated(ctx, told=None)
        if own is None and gap is not None and anchor.date is not None:
            # Counted back from the attack the statement is told from (or from the article's day).
            own = DateRange(anchor.date - timedelta(days=(gap[0] + gap[1]) // 2),
                            (anchor.earliest or anchor.date) - timedelta(days=gap[1]),
                            (anchor.latest or anchor.date) - timedelta(days=gap[0]), "approximate")
        if own is None:
            if previous and previous[0] == sentence:
                told = _near(previous[1], days=_SAME_SENTENCE_DAYS)
            elif previous and "\n" not in text[previous[2]:st.start]:
                # A follow-up in the same paragraph continues the attack just told, whenever that was.
                told = _near(previous[1], days=_SAME_SENTENCE_DAYS)
            else:
                told = _near(lead, days=_RECENT_DAYS) if lead else previous and _near(previous[1], days=_RECENT_DAYS)
            date = _undated(ctx, told=told)
        else:
            date = own
        events = _statement_events(text, st, ctx, lex, date=date)
        found += events
        # "أعلن الحرس الثوري، فجر اليوم، إطلاق عشرات الصواريخ على القواعد الأمريكية": a dated attack with
        # no place of its own still dates the statements that go on to place it.
        folded_st = ctx.folded.slice(st.start, st.end)
        placeless = not events and not _negated(folded_st, lex)
        if (placeless and told_last and not ctx.mentions.any_within(st.start, st.end)
                and text.count("\n", told_last[0][0].sources[0].end, st.start) <= _FOLLOW_UP_LINES):
            # "وجرى من خلال تفجير عبوة ناسفة": a follow-up naming no place tells how the attack just told was made.
            _fill_weapon([e for e, _ in told_last], _first_cue(folded_st, lex.weapons))
        if placeless and _us_context(folded_st, lex) and not ctx.mentions.any_within(st.start, st.end):
            unplaced.append((st.end, _first_cue(folded_st, lex.targets), _first_cue(folded_st, lex.weapons)))
        if events and told_last and _ANOTHER.search(folded_st):
            _fill_weapon([e for e, _ in events], next((e.weapon for e, _ in told_last if e.weapon != "unknown"), None))
        if events:
            told_last = events
        if (events or placeless) and own is not None and own.precision != "unknown":
            previous = (sentence, own, st.end)
            if lead is None and _is_recent(own, ctx.reference):
                lead = own
    stated = [e for e, how in found if how == "stated"]
    # A statement naming no US or coalition target still counts when the article already reported an
    # attack on them at the same place ("the attack on the base caused no losses"), or says it was
    # another attack like the one reported ("a second bomb hit a similar convoy").
    confirmed = {e.place for e in stated}
    # "استهداف رتل للتحالف في ذي قار", then "عبوة انفجرت في مدينة الناصرية لدى مرور الرتل": a report placed
    # only by its governorate confirms the places inside it.
    confirmed_governorates = {e.governorate for e in stated if e.geo_precision == "governorate"}
    model = next((e for e in stated if e.weapon != "unknown"), None)
    kept = []
    for e, how in found:
        if how == "similar" and stated:
            if model is not None and e.weapon == "unknown":
                e.weapon = model.weapon
            if model is not None and e.target == "other":
                e.target = model.target
            kept.append(e)
        elif how == "stated" or e.place in confirmed or e.governorate in confirmed_governorates:
            kept.append(e)
        elif (told := _unplaced_told(e, unplaced, text)) is not None:
            if e.weapon == "unknown" and told[2]:
                e.weapon = told[2]
            kept.append(e)
    events = _fold_landmarks(_fold_headline(merge_events(kept, same_article=True), title_end=text.find("\n")),
                             gaz=gaz)
    _claim_recent_attacks(events, text, ctx, lex)
    return events


def _fill_weapon(events: list[Event], weapon: str | None) -> None:
    """Give the events that name no weapon this one, if any."""
    for e in events:
        if e.weapon == "unknown" and weapon:
            e.weapon = weapon


def _with_described_bases(mentions: list[PlaceMention], described: list[PlaceMention]) -> list[PlaceMention]:
    """The gazetteer's mentions, and the described bases no mention already covers."""
    taken = [(m.start, m.end) for m in mentions]
    return mentions + [d for d in described if not any(a < d.end and d.start < b for a, b in taken)]


def _fold_headline(events: list[Event], *, title_end: int) -> list[Event]:
    """A headline with no day of its own tells the lead story of the body: one event, not two.

    "هجوم صاروخي يستهدف المنطقة الخضراء" over a body telling mortar bombs on the Green Zone that day:
    the same place, so the same attack, and the dated report leads. A headline placed elsewhere than
    every body report stays its own event.
    """
    if title_end <= 0:
        return events
    heads = [e for e in events if e.date_precision != "day" and all(s.start < title_end for s in e.sources)]
    if not heads:
        return events
    body = [e for e in events if any(s.start >= title_end for s in e.sources)]
    out = [e for e in events if e not in heads]
    for head in heads:
        told = [b for b in body if b in out and _heads_place(head, b) and b.date_range.overlaps(head.date_range)]
        if not told:
            out.append(head)
            continue
        lead = min(told, key=lambda b: b.weapon != head.weapon)
        # As in merging, the more precise report leads; on a tie the headline, the editor's summary.
        if precision_key(head) <= precision_key(lead):
            absorb(head, lead)
            out[out.index(lead)] = head
        else:
            absorb(lead, head)
    return out


def _unplaced_told(
    e: Event, unplaced: list[tuple[int, str | None, str | None]], text: str
) -> tuple[int, str | None, str | None] | None:
    """The coalition target told with no place that a report naming none places, if any (its weapon is the report's).

    "استهدف انفجار بعبوة ناسفة رتلاً للتحالف الدولي جنوب العراق", then "أن الانفجار استهدف الرتل على طريق
    الناصرية السريع": the same kind of target, a paragraph or two on, is that convoy's place.
    """
    start = e.sources[0].start
    return next((told for told in unplaced if told[1] == e.target and told[0] <= start
                 and text.count("\n", told[0], start) <= _FOLLOW_UP_LINES), None)


def _fold_landmarks(events: list[Event], *, gaz: Gazetteer) -> list[Event]:
    """An unnamed base placed by a landmark or a town is the one base of that weapon the article names near it.

    "تم استهداف قواتها في قاعدة جوية غرب بغداد بصاروخ باليستي" beside "مهاجمة قاعدة عين الأسد بصاروخ
    باليستي": the landmark (Baghdad, across the governorate line) only says where the named base is; so
    does the town of "هجوم على قاعدة عسكرية في أربيل" over a body that names the base at Harir.
    """
    out = list(events)
    for e in events:
        if e.geo_precision == "site" or e.target not in _LANDMARKED_TARGETS:
            continue
        at_site = gaz.has(e.place) and gaz.get(e.place).kind in SITE_KINDS
        named = [b for b in out if b is not e and b.geo_precision == "site" and b.target == e.target
                 and same_weapon(b.weapon, e.weapon)
                 and (reach := _reach(b, e, at_site=at_site)) is not None and distance_km(b, e) <= reach]
        if len(named) == 1:
            absorb(named[0], e)
            out.remove(e)
    return out


def _reach(named: Event, unnamed: Event, *, at_site: bool) -> float | None:
    """How far the named base may be from where the unnamed one is placed (None when their dates differ)."""
    if "unknown" in (named.date_precision, unnamed.date_precision):
        # Undated, the two may be different attacks: only a base right by a site landmark is the one meant.
        return _SITE_LANDMARK_KM if at_site else _LANDMARK_KM
    return _LANDMARK_KM if named.date_range.overlaps(unnamed.date_range) else None


def _heads_place(head: Event, body: Event) -> bool:
    """True when a headline can be placed where a body report is.

    Beyond one place at two scales: a headline that locates its attack only by a landmark ("على معسكر
    يضم قوات أميركية غربي بغداد") heads the body's report of the camp it means, in that governorate.
    """
    if same_place(body, head, same_article=True):
        return True
    return head.geo_precision == "district" and head.governorate == body.governorate


def _claim_recent_attacks(events: list[Event], text: str, ctx: _Context, lex: Lexicon) -> None:
    """A claim of responsibility made elsewhere in the article covers its unclaimed recent attacks.

    Only when the article names exactly one claiming group, so two claims are never mixed up.
    """
    if ctx.reference.date is None or all(e.claimed_by for e in events):
        return
    claimed = {
        claimant.name_en
        for sentence in ctx.sentences
        # "تبنت ..." anywhere, or a group announcing the attack itself ("وأعلنت المقاومة استهداف القاعدة").
        if (lex.strict_claim_verbs.search(folded := ctx.folded.slice(sentence.start, sentence.end))
            or (lex.claim_verbs.search(folded) and lex.strong.search(folded)))
        # "most of these attacks were claimed by ..." speaks of attacks in general, not of this one.
        and not lex.weak.search(folded) and not lex.vague.search(folded)
        for claimant, pattern in lex.claimants
        if pattern.search(folded)
    }
    if len(claimed) != 1:
        return
    window = timedelta(days=_CLAIM_WINDOW_DAYS)
    for e in events:
        if not e.claimed_by and e.date and abs(e.date - ctx.reference.date) <= window:
            e.claimed_by = next(iter(claimed))


def extract_events(articles: Iterable[Article], *, gazetteer=None) -> list[Event]:
    """The attacks a set of articles reports, one event per attack however many articles report it."""
    gaz = gazetteer or _default_gazetteer()
    per_article: list[Event] = []
    for article in articles:
        per_article.extend(extract_article(article, gazetteer=gaz))
    return merge_events(per_article)
