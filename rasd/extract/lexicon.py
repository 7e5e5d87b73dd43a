"""Word lists the extractor reads Arabic news with, compiled once into folded regular expressions.

Every list is written in ordinary Arabic spelling and folded with rasd.extract.normalize at compile time,
so hamza, taa marbuta and alef variants in the news all match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from rasd.extract.normalize import normalize_arabic

# Proclitics that attach to a word in news prose: wa-, fa-, bi-, li-, ka-, the article, and their stacks.
_PREFIX = r"(?:و|ف)?(?:ب|ل|ك)?(?:ال|لل)?"
_LEFT = r"(?:(?<=^)|(?<=[^\w]))"
_RIGHT = r"(?=$|[^\w])"


_GAP = r'(?:\s+"?\s*|"\s*)'


def _alternation(words: tuple[str, ...]) -> str:
    folded = {normalize_arabic(w) for w in words}
    # "li-" fuses with the article: التحالف -> للتحالف.
    folded |= {"لل" + w[2:] for w in folded if w.startswith("ال") and len(w) > 4}
    folded = sorted(folded, key=len, reverse=True)
    # Words of a phrase may stand apart by a quotation mark too ('مقر "حركه النجباء"' after folding).
    return "|".join(re.escape(w).replace(r"\ ", _GAP) for w in folded)


def inflected(stems: tuple[str, ...], suffixes: tuple[str, ...]) -> tuple[str, ...]:
    """Every stem with every suffix; a stem ending in taa marbuta takes suffixes on a taa (هجمة -> هجمتها)."""
    out = []
    for stem in stems:
        folded = normalize_arabic(stem)
        base = folded[:-1] + "ت" if folded.endswith("ه") and not folded.endswith(" ه") else folded
        out += [base + suffix if suffix else folded for suffix in suffixes]
    return tuple(dict.fromkeys(out))


def compile_words(words: tuple[str, ...], *, prefixes: bool = True, suffix: str = "") -> re.Pattern[str]:
    """One regex matching any of the words as whole words of folded text, with optional proclitics."""
    pre = _PREFIX if prefixes else ""
    return re.compile(f"{_LEFT}{pre}(?:{_alternation(words)}){suffix}{_RIGHT}")


# Attack words are written as stems and inflected by pattern (see `inflected`), not listed form by form:
# the press writes duals, plurals agreeing with non-human nouns, passives and possessives
# (استهدفا، سقطوا، استُهدفت، قصفه، استهدافها), and a list of forms always misses one.
# Past-tense verbs of one attack: stem + subject / object suffixes (passives fold to the same letters).
STRONG_VERB_STEMS = (
    "استهدف", "هاجم", "قصف", "سقط", "انفجر", "أطلق", "تعرض", "اعترض", "أسقط", "أحبط", "دمر", "احترق",
    "استهدفت",  # "استهدفت" + dual/plural object: استهدفتها، استهدفتهم
)
# Verbal nouns of one attack: stem + possessive or dual suffix (plurals are WEAK_NOUN_STEMS).
STRONG_NOUN_STEMS = (
    "هجوم", "هجمة", "استهداف", "قصف", "اعتداء", "انفجار", "تفجير", "إسقاط", "اعتراض", "سقوط", "تعرض",
    "إحباط", "تدمير", "احتراق",
)
# Fixed phrases and irregular forms no stem pattern yields.
STRONG_TRIGGERS = (
    "هجوما", "تم استهداف", "جرى استهداف", "إطلاق صواريخ", "إطلاق صاروخ", "إطلاق قذائف", "إطلاق مسيرة",
    "إطلاق طائرة", "دوي انفجار", "دوي انفجارات", "ألقت متفجرات", "ألقت قنبلة", "ألقت قنابل", "إلقاء متفجرات",
    "إلقاء قنبلة", "ألقت عبوة", "ألقت عبوات",
    # active participles of the attack verb: "أطلق عشرات الصواريخ، مستهدفاً القواعد"
    "مستهدفة", "مستهدفا", "مستهدفاً", "مستهدفين", "مستهدفتين", "مستهدفتان", "تصدت", "تصدى", "تصدتا", "تصدوا", "أصابت", "أصاب",
)
# "ضرب" is also what armies do to factions: an attack word only with a weapon as its subject or object
# ("ضرب صاروخان أراضي المطار", "ضربت عبوة ناسفة رتلا", "بضرب شاحنة لرتل").
STRIKE_SUBJECTS = ("صاروخ", "صاروخان", "صاروخين", "صواريخ", "هجوم", "هجوم صاروخي", "عبوة", "عبوتان", "قذيفة",
                   "قذيفتان", "قذائف", "طائرة مسيرة", "مسيرة", "مسيرتان", "طائرتان مسيرتان", "رتل", "رتلا",
                   "شاحنة", "شاحنات")
STRIKE_TRIGGERS = tuple(f"{verb} {noun}" for verb in ("ضرب", "ضربت", "بضرب", "ضربا", "ضربتا")
                        for noun in STRIKE_SUBJECTS)
# Plural or habitual mentions: they group clauses but never make an event on their own.
WEAK_NOUN_STEMS = ("هجمات", "استهدافات", "اعتداءات", "تفجيرات", "عمليات قصف", "ضربات", "عمليات استهداف")
WEAK_TRIGGERS = (
    "يستهدف", "تستهدف", "يستهدفون", "تتعرض", "يتعرض", "تتساقط", "يتساقط",
    "تشن", "يشن", "تقصف", "يقصف", "يهاجم", "تهاجم", "يهاجمون",
)
# Counts of attacks ("21 هجوما", "خمسين هجوماً", "منها 9 هجمات", "عشرات الهجمات"): a tally, never one attack.
COUNT_WORDS = (
    "ثلاث", "ثلاثة", "أربع", "أربعة", "خمس", "خمسة", "ست", "ستة", "سبع", "سبعة", "ثماني", "ثمانية", "تسع", "تسعة",
    "عشر", "عشرة", "عشرين", "ثلاثين", "أربعين", "خمسين", "ستين", "سبعين", "ثمانين", "تسعين", "مئة", "مائة",
    "عشرات", "مئات", "عدة", "سلسلة",
)
COUNTED_NOUNS = ("هجوم", "هجوما", "هجمة", "هجمات", "استهداف", "استهدافات", "اعتداء", "اعتداءات", "عملية",
                 "عمليات", "ضربة", "ضربات")
# Subject and object suffixes of a past verb, longest first: هاجموها، استهدفتاه، سقطوا، قصفته.
VERB_SUFFIXES = ("", "ت", "تا", "ا", "وا", "و", "ن", "نا", "تم", "ه", "ها", "هما", "هم", "ته", "تها", "تهما",
                 "تهم", "وه", "وها", "وهم", "اه", "اها", "تاه", "تاها")
# Possessive and dual suffixes of a singular noun (taa marbuta becomes taa before a suffix): هجومه،
# استهدافها، هجومين، هجمتها، الهجومان.
NOUN_SUFFIXES = ("", "ه", "ها", "هما", "هم", "ين", "ان", "يه", "يها", "ي")
# Sentences that report something other than an attack on US or coalition forces.
NEGATIVE = (
    # arrests and investigations
    "القاء القبض", "القبض على", "اعتقال", "اعتقلت", "اعتقل", "ضبط", "ضبطت",
    # weapons seized before use ("استولت على 10 صواريخ كانت معدة لاستهداف المطار")
    "استولت على", "استولى على", "الاستيلاء على", "معدة لاستهداف", "معدة للإطلاق", "معدة للاطلاق",
    # US or coalition as the attacker
    "غارة أمريكية", "غارة أميركية", "غارة جوية أمريكية", "غارة جوية أميركية",
    "ضربة أمريكية", "ضربة أميركية", "ضربة جوية أمريكية", "ضربة جوية أميركية",
    "ضربات التحالف", "غارات التحالف", "اغتيال", "مقتل سليماني", "مقتل قاسم سليماني", "مقتل أبو مهدي المهندس",
    "مقتل أبي مهدي المهندس", "قامت القوات الأمريكية",
    "قامت القوات الأميركية", "طائرة أمريكية", "طائرة أميركية",
    "فيلق القدس", "استهداف واشنطن", "استهداف الولايات المتحدة",
    "ضربات أمريكية", "ضربات أميركية", "ضربات جوية أمريكية", "ضربات جوية أميركية", "الضربات الأمريكية",
    "الضربات الأميركية", "غارات أمريكية", "غارات أميركية", "مسيرة أمريكية", "مسيرة أميركية",
    "نفذت القوات الأمريكية", "نفذت القوات الأميركية", "شنت القوات الأمريكية", "شنت القوات الأميركية",
    "القصف الأمريكي", "القصف الأميركي", "قصف أمريكي", "قصف أميركي", "الغارات الأمريكية", "الغارات الأميركية",
    "شنها الجيش الأمريكي", "شنها الجيش الأميركي", "الطيران الأمريكي", "الطيران الأميركي", "مقاتلات أمريكية",
    "مقاتلات أميركية", "طائرات أمريكية", "طائرات أميركية",
    # other states' forces as the attacker, or Turkish bases as the target
    "قصف تركي", "القصف التركي", "غارة تركية", "غارات تركية", "الطيران التركي", "مسيرة تركية", "طائرة تركية",
    "طائرات تركية", "الجيش التركي", "القوات التركية", "قاعدة تركية", "القاعدة التركية", "المدفعية التركية",
    "قصف إسرائيلي", "القصف الإسرائيلي", "غارة إسرائيلية", "غارات إسرائيلية", "الطيران الإسرائيلي",
    "مسيرة إسرائيلية", "طائرة إسرائيلية", "القصف الإيراني", "قصف إيراني", "المدفعية الإيرانية",
    # air strikes are what armies fly, not what factions launch at bases ("نفذت ضربة جوية ضد")
    "ضربة جوية", "ضربات جوية", "غارة جوية", "غارات جوية", "قصف جوي",
    # ... and what the factions' own media call them ("في إثر اعتداء جوي أميركي")
    "اعتداء جوي", "الاعتداء الجوي", "اعتداءات جوية", "الاعتداءات الجوية", "عدوان جوي", "العدوان الجوي",
    # the PMF's or a faction's own sites as the target ("بقصفه مقرات للحشد")
    "مقرات للحشد", "مقرات الحشد", "مقر للحشد", "مقرا للحشد", "مواقع للحشد", "مواقع الحشد",
    "مقرات لكتائب", "مقرات كتائب", "مقرات للفصائل", "مقرات الفصائل", "مقرات تابعة للحشد", "مواقع تابعة للحشد",
    "مقر حركة", "مقر لحركة", "مقرا لحركة", "مقرات حركة", "مقر كتائب", "مقر لكتائب", "مقرا لكتائب", "مقر فصيل",
    "مقر لفصيل", "مقرا لفصيل", "مقر الفصيل",
    # denials that an attack happened ("نفى تعرض القاعدة لأي هجوم"); "نفى وقوع إصابات" denies only losses
    "لأي هجوم", "لأي استهداف", "أي هجوم", "أي استهداف", "لم تتعرض", "لم يتعرض", "عدم تعرض", "نفى تعرض",
    "نفت تعرض", "ينفي تعرض", "تنفي تعرض", "نفى وقوع هجوم", "نفت وقوع هجوم", "نفى استهداف", "نفت استهداف",
    "لا صحة",
    # fire from the embassy's own defences ("تعرضت للرشقات التي أطلقتها السفارة"), and their tests
    "أطلقتها السفارة", "أطلقها السفارة", "أطلقته السفارة", "إقدام السفارة", "أطلقتها القوات الأمريكية",
    "أطلقتها القوات الأميركية", "اختبار منظومة", "اختبار المنظومة", "تجربة منظومة", "تجربة المنظومة",
    # an ammunition depot that blew up ("انفجار كدس للعتاد")
    "انفجار كدس", "انفجار أكداس", "انفجار مخزن للعتاد", "انفجار مخازن للعتاد", "انفجار مخزن عتاد",
    "انفجار مخازن عتاد", "انفجار مخزن للذخيرة", "انفجار مخازن للذخيرة", "انفجار مستودع للذخيرة",
    # anticipation, threats, conditions, refusal, condemnation
    "تحسبا", "تحسب", "خشية", "تخشى", "لمنع", "منع", "تهديد", "تهدد", "هددت", "توعد", "توعدت",
    "في حال", "إذا", "لو", "احتمال", "هجوم محتمل", "هجمات محتملة", "هجوم وشيك", "يمكن أن", "السماح", "رفضه", "رفض", "يرفض", "ترفض",
    "سيتم", "ستستمر", "ستبدأ", "لن",
)
# Condemnations: a statement of its own only when it tells the attack with a verb ("أدانت الرئاسة هجوماً
# استهدف أمس معسكر التاجي"); "ودانت السفارة الهجوم" only refers to an attack told elsewhere.
CONDEMN = ("تدين", "أدان", "أدانت", "دان", "دانت", "ندد", "نددت", "يدين", "شجب", "شجبت", "استنكر", "استنكرت",
           "إدانة", "ادانتها", "استنكاره", "استنكارها")
# Habitual or plural reports ("rockets fall almost daily"): vague unless anchored to a latest instance.
VAGUE = (
    "بشكل شبه يومي", "شبه يومي", "بوتيرة يومية", "يوميا", "يكاد لا يمر", "كثيرا ما", "غالبا ما", "عادة ما",
    "على غرار", "مرات سابقة", "عدة مرات", "مرات عدة", "عدة قواعد", "عدة مناسبات", "مثل", "في الأشهر الأخيرة",
    "الأشهر القليلة الماضية", "الأشهر القليلة المنصرمة", "خلال الأشهر الماضية", "تصاعدت وتيرة", "تصاعد وتيرة",
    "بين الحين والآخر", "متكررة", "المتكررة", "ما يجري", "ما تزال تتعرض", "لا تزال تتعرض",
    # "جراء استمرار تعرضها لقصف صاروخي": attacks going on, none in particular.
    "استمرار تعرض", "استمرار تعرضها", "استمرار تعرضه", "استمرار الهجمات", "استمرار القصف", "استمرار استهداف",
    # "منذ أشهر تتعرض المنطقة الخضراء": for months, again and again.
    "منذ أشهر", "منذ شهور", "منذ أسابيع", "منذ سنوات", "منذ أعوام", "منذ فترة", "على مدى أشهر", "طوال أشهر",
)
ANCHORS = ("آخرها", "أحدثها", "آخر حادثة", "أحدث هجوم", "آخر هجوم", "في أحدث")
# Words saying the target is US or coalition.
US_CONTEXT = (
    "أمريكي", "أميركي", "أمريكية", "أميركية", "الأمريكي", "الأميركي", "الأمريكية", "الأميركية",
    "الأمريكيين", "الأميركيين", "الأمريكان", "أمريكان", "امريكان", "التحالف", "الاحتلال", "الأجنبية",
    "أجنبية", "البنتاغون", "دبلوماسي", "دبلوماسية", "الدبلوماسية", "السفارة", "القنصلية", "سفارة",
    "قنصلية", "المستشارين", "الناتو", "واشنطن", "البريطانية", "الفرنسية", "الأسترالية",
)
# Other occupiers, in the words of the press that calls US forces "the occupation", and the media whose names
# carry a Western word ("وكالة الصحافة الفرنسية", "هيئة الإذاعة البريطانية", "واشنطن بوست"): not US context.
OTHER_OCCUPIERS = ("الاحتلال التركي", "الاحتلال الإسرائيلي", "الاحتلال الاسرائيلي", "الاحتلال الصهيوني",
                   "دولة الاحتلال", "كيان الاحتلال", "جيش الاحتلال التركي",
                   "وكالة الصحافة الفرنسية", "الصحافة الفرنسية", "وكالة الأنباء الفرنسية", "هيئة الإذاعة البريطانية",
                   "الإذاعة البريطانية", "هيئة الاذاعة البريطانية", "الاذاعة البريطانية", "واشنطن بوست", "معهد واشنطن")
# "هذا الهجوم", "تلك الهجمات": an attack already told, named again.
DEMONSTRATIVES = ("هذا", "هذه", "ذلك", "تلك", "هذان", "هاتان")
# Sites where US or coalition forces or diplomats were based in 2019-2024: an attack on one is an
# attack on them even when the sentence does not say so.
COALITION_SITES = frozenset({
    "ain-al-asad", "harir-air-base", "camp-victory", "baghdad-diplomatic-support-center", "baghdad-airport",
    "union-iii", "us-embassy-baghdad", "green-zone", "us-consulate-erbil", "us-consulate-basra", "erbil-airport",
    "k1-air-base", "balad-air-base", "camp-taji", "al-taqaddum", "qayyarah-airfield-west", "besmaya",
})
# Anaphora: "the base", "the camp" refer to the last site named before.
ANAPHORA = ("القاعدة", "القاعدة العسكرية", "المعسكر", "السفارة", "القنصلية", "المطار")
# Launch sites are not targets: "the rockets were launched from ...".
LAUNCH = ("انطلقت", "انطلق", "أطلقت من", "أطلق من", "انطلاقا")


@dataclass(frozen=True, slots=True)
class Cue:
    """A code with the words that signal it."""

    code: str
    words: tuple[str, ...]


WEAPON_CUES = (
    Cue("drone", ("طائرة مسيرة", "طائرتين مسيرتين", "طائرتان مسيرتان", "طائرات مسيرة", "مسيرة", "مسيرتين",
                  "مسيرتان", "مسيرات", "طائرة بدون طيار", "طائرات بدون طيار", "درون", "الطائرات المسيرة",
                  "بطائرتين", "طائرتين", "طائرتان", "بطائرة", "الطيران المسير", "بالطيران المسير", "طيران مسير")),
    Cue("mortar", ("هاون", "قذائف هاون", "قذيفة هاون", "قذيفتي هاون", "الهاون")),
    Cue("rocket", ("صاروخ", "صواريخ", "صاروخين", "صاروخان", "صاروخي", "صاروخية", "كاتيوشا", "الكاتيوشا",
                   "غراد", "كراد", "قذيفة صاروخية", "قذائف صاروخية", "صاروخاً",
                   "باليستي", "باليستية", "باليستياً", "آر بي جي", "ار بي جي", "آر.بي.جي", "rpg", "قاذفة",
                   "قذيفة آر بي جي", "صواريخ الكاتيوشا")),
    Cue("ied", ("عبوة", "عبوات", "عبوتين", "عبوتان", "ناسفة", "ناسفتين", "لاصقة", "مفخخة", "مفخخ", "سيارة مفخخة")),
    Cue("gunfire", ("إطلاق نار", "إطلاق النار", "رصاص", "أسلحة خفيفة", "أسلحة متوسطة", "قنص", "اشتباك",
                    "نيران أسلحة", "الأسلحة الخفيفة", "الأسلحة المتوسطة", "نيران الأسلحة", "أعيرة نارية",
                    "الأعيرة النارية", "رشقات نارية")),
)
# A bombing with no weapon named is a planted bomb: the press names rockets and drones when they are used.
FALLBACK_WEAPON = Cue("ied", ("تفجير", "تفجيرين", "تفجيران", "التفجير", "تفجيرات"))
TARGET_CUES = (
    Cue("convoy", ("رتل", "أرتال", "رتلا", "الرتل", "قافلة", "شاحنات", "شاحنة", "صهاريج", "عجلات")),
    Cue("embassy", ("سفارة", "السفارة", "قنصلية", "القنصلية", "مركز دبلوماسي", "بعثة دبلوماسية",
                    "البعثات الدبلوماسية")),
    Cue("base", ("قاعدة", "قواعد", "معسكر", "القاعدة", "المعسكر", "قاعدتي", "ثكنة", "مقر")),
    Cue("airport", ("مطار", "المطار")),
)
OUTCOME_CUES = (
    Cue("casualties", ("مقتل", "قتلى", "قتيل", "مصرع", "جرحى", "جريح", "إصابة جنود", "إصابة جندي", "أصيب",
                       "أصيبوا", "إصابة متعاقد", "إصابة متعاقدين", "إصابة عدد", "إصابات", "بجروح", "إصابة عسكريين",
                       "إصابة أفراد", "قتل", "قتلوا", "جرح")),
    Cue("hit", ("إصابة الهدف", "أصابت", "أضرار", "اضرارا", "احتراق", "حريق", "سقطت على",
                "سقط على", "سقطت داخل", "سقط داخل", "أصاب")),
    Cue("intercepted", ("إحباط", "أحبطت", "أحبط", "إسقاط", "إسقاطها", "إسقاطهما", "أسقطت", "اعتراض", "اعترضت",
                        "التصدي", "تصدت", "الدفاعات الجوية", "المضادات الجوية", "منظومة سي رام", "سي رام",
                        "تدمير طائرتين", "بتدمير")),
    Cue("fell_nearby", ("قرب القاعدة", "قرب", "بالقرب", "محيط", "بمحيط", "في محيط", "خارج")),
    Cue("no_casualties", ("دون خسائر", "دون وقوع", "دون أن", "من دون", "لم تسفر", "لم يسفر", "أي خسائر",
                          "دون إصابات", "لا خسائر", "لم تسجل")),
)
# Number words up to twelve, masculine and feminine, with the attached bi- the press uses ("بستة صواريخ").
NUMBER_WORDS = {
    "واحد": 1, "واحدة": 1, "اثنان": 2, "اثنين": 2, "اثنتين": 2, "ثلاث": 3, "ثلاثة": 3, "أربع": 4, "أربعة": 4,
    "خمس": 5, "خمسة": 5, "ست": 6, "ستة": 6, "سبع": 7, "سبعة": 7, "ثماني": 8, "ثمانية": 8, "ثمان": 8,
    "تسع": 9, "تسعة": 9, "عشر": 10, "عشرة": 10, "أحد عشر": 11, "اثنا عشر": 12, "اثني عشر": 12,
}
# Dual weapon nouns count two.
DUAL_WEAPONS = ("صاروخين", "صاروخان", "طائرتين", "طائرتان", "مسيرتين", "مسيرتان", "عبوتين", "عبوتان",
                "قذيفتين", "قذيفتان", "قذيفتي")
PROJECTILE_NOUNS = ("صاروخ", "صواريخ", "طائرة", "طائرات", "مسيرة", "مسيرات", "قذيفة", "قذائف", "عبوة", "عبوات")
CASUALTY_NOUNS = ("جنود", "جندي", "عسكريين", "عسكري", "أشخاص", "شخص", "متعاقدين", "متعاقد", "عناصر", "أفراد",
                  "مدنيين", "موظفين")
# Words that make a sentence a claim of responsibility wherever it stands in the article.
STRICT_CLAIM_VERBS = ("تبنى", "تبنت", "تبناه", "تبنته", "تبنيها", "تبني", "أعلن مسؤوليته", "أعلنت مسؤوليتها",
                      "أعلنت مسؤوليته", "مسؤوليتها عن", "مسؤوليته عن", "يتبنى", "تتبنى")
CLAIM_VERBS = ("تبنى", "تبنت", "تبناه", "تبنته", "تبنيها", "تبني", "أعلن مسؤوليته", "أعلنت مسؤوليتها",
               "أعلنت مسؤوليته", "مسؤوليتها عن", "مسؤوليته عن", "أعلن", "أعلنت", "بيان", "بيانه", "بيانها",
               "هاجمت", "هاجم", "استهدفت", "استهدف", "نفذت", "نفذ")


@dataclass(frozen=True, slots=True)
class Claimant:
    """An armed group that claims attacks, with its spellings."""

    id: str
    name_en: str
    names_ar: tuple[str, ...]


CLAIMANTS = (
    Claimant("islamic-resistance-in-iraq", "Islamic Resistance in Iraq",
             ("المقاومة الإسلامية في العراق", "المقاومة الاسلامية في العراق")),
    Claimant("international-resistance-faction", "International Resistance Faction (Islamic Resistance)",
             ("فصيل المقاومة الدولية", "المقاومة الإسلامية فصيل المقاومة الدولية")),
    Claimant("kataib-hezbollah", "Kata'ib Hezbollah", ("كتائب حزب الله",)),
    Claimant("harakat-al-nujaba", "Harakat al-Nujaba", ("حركة النجباء", "النجباء")),
    Claimant("kataib-sayyid-al-shuhada", "Kata'ib Sayyid al-Shuhada", ("كتائب سيد الشهداء",)),
    Claimant("asaib-ahl-al-haq", "Asa'ib Ahl al-Haq", ("عصائب أهل الحق",)),
    Claimant("ashab-al-kahf", "Ashab al-Kahf", ("أصحاب الكهف", "سرايا أصحاب الكهف")),
    Claimant("qasim-al-jabbarin", "Qasim al-Jabbarin", ("قاصم الجبارين", "سرايا قاصم الجبارين")),
    Claimant("rab-allah", "Rab'allah", ("ربع الله",)),
    Claimant("awliya-al-dam", "Saraya Awliya al-Dam", ("سرايا أولياء الدم", "أولياء الدم")),
    Claimant("thar-al-muhandis", "Thar al-Muhandis Brigade", ("ثأر المهندس", "لواء ثأر المهندس")),
    Claimant("islamic-state", "Islamic State", ("داعش", "تنظيم الدولة")),
)


@dataclass(frozen=True, slots=True)
class Lexicon:
    """The compiled patterns the extractor uses."""

    strong: re.Pattern[str]
    strong_verbs: re.Pattern[str]
    condemn: re.Pattern[str]
    weak: re.Pattern[str]
    negative: re.Pattern[str]
    vague: re.Pattern[str]
    anchors: re.Pattern[str]
    us_context: re.Pattern[str]
    other_occupiers: re.Pattern[str]
    demonstrative: re.Pattern[str]
    anaphora: re.Pattern[str]
    launch: re.Pattern[str]
    weapons: tuple[tuple[str, re.Pattern[str]], ...]
    fallback_weapon: tuple[tuple[str, re.Pattern[str]], ...]
    targets: tuple[tuple[str, re.Pattern[str]], ...]
    outcomes: tuple[tuple[str, re.Pattern[str]], ...]
    claim_verbs: re.Pattern[str]
    strict_claim_verbs: re.Pattern[str]
    claimants: tuple[tuple[Claimant, re.Pattern[str]], ...]
    duals: re.Pattern[str]
    counted: re.Pattern[str]
    count: re.Pattern[str]
    killed: re.Pattern[str]
    wounded: re.Pattern[str]
    number_words: dict[str, int]


def _cues(cues: tuple[Cue, ...], *, suffix: str = "") -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((c.code, compile_words(c.words, suffix=suffix)) for c in cues)


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled lexicon (built on first use, not at import)."""
    numbers = {normalize_arabic(k): v for k, v in NUMBER_WORDS.items()}
    num_alt = _alternation(tuple(NUMBER_WORDS))
    number = rf"(?:\d+|(?:ب)?(?:{num_alt}))"
    projectile = _alternation(PROJECTILE_NOUNS)
    people = _alternation(CASUALTY_NOUNS)
    killed_words = _alternation(("مقتل", "قتل", "مصرع", "استشهاد", "وفاة"))
    wounded_words = _alternation(("إصابة", "اصابة", "جرح", "أصيب", "إصابات"))
    return Lexicon(
        strong=compile_words(
            STRONG_TRIGGERS + STRIKE_TRIGGERS + inflected(STRONG_VERB_STEMS, VERB_SUFFIXES)
            + inflected(STRONG_NOUN_STEMS, NOUN_SUFFIXES)
        ),
        strong_verbs=compile_words(inflected(STRONG_VERB_STEMS, VERB_SUFFIXES)),
        condemn=compile_words(CONDEMN),
        weak=compile_words(WEAK_TRIGGERS + inflected(WEAK_NOUN_STEMS, NOUN_SUFFIXES[:5])),
        negative=compile_words(NEGATIVE),
        vague=compile_words(VAGUE),
        anchors=compile_words(ANCHORS),
        us_context=compile_words(US_CONTEXT, suffix="(?:ه|ين|ون|ة)?"),
        other_occupiers=compile_words(OTHER_OCCUPIERS),
        demonstrative=compile_words(DEMONSTRATIVES, prefixes=False),
        anaphora=compile_words(ANAPHORA, prefixes=False),
        launch=compile_words(LAUNCH),
        weapons=_cues(WEAPON_CUES),
        fallback_weapon=_cues((FALLBACK_WEAPON,)),
        # The accusative's alif: "سلّم معسكرا", "استهدفت مطارا".
        targets=_cues(TARGET_CUES, suffix="ا?"),
        outcomes=_cues(OUTCOME_CUES),
        claim_verbs=compile_words(CLAIM_VERBS),
        strict_claim_verbs=compile_words(STRICT_CLAIM_VERBS),
        claimants=tuple((c, compile_words(c.names_ar)) for c in CLAIMANTS),
        duals=compile_words(DUAL_WEAPONS),
        # Digits from 3 up or a count word, then an attack noun: "21 هجوما", "عشرات الهجمات".
        counted=re.compile(
            rf"{_LEFT}(?:و)?(?:(?:[3-9]|\d\d+)|(?:ب)?(?:{_alternation(COUNT_WORDS)}))\s*"
            rf"(?:من\s+)?(?:ال)?(?:{_alternation(COUNTED_NOUNS)}){_RIGHT}"
        ),
        count=re.compile(rf"{_LEFT}(?:ب\s*)?({number})\s*(?:{projectile})"),
        killed=re.compile(rf"(?:{killed_words})\s+({number})\s*(?:من\s+)?(?:ال)?(?:{people})?"),
        wounded=re.compile(rf"(?:{wounded_words})\s+({number})\s*(?:من\s+)?(?:ال)?(?:{people})?"),
        number_words=numbers,
    )
