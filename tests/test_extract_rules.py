"""Extraction rules on short news-style texts that are not among the seeds."""

from __future__ import annotations

from datetime import date

import pytest

from rasd.extract.extraction import extract_article, extract_events
from rasd.models import Article
from rasd.extract.segment import clauses, sentences


def _events(text: str, *, published: date | None = date(2023, 11, 20)):
    return extract_article(Article(file="t.txt", text=text, published=published))


# text, place, weapon, target, outcome, date (or None)
ATTACKS = [
    ("أعلنت خلية الإعلام الأمني سقوط ثلاثة صواريخ كاتيوشا داخل قاعدة بلد الجوية التي تضم متعاقدين أمريكيين أمس.",
     "balad-air-base", "rocket", "base", None, date(2023, 11, 19)),
    ("استهدفت طائرة مسيرة مفخخة قاعدة حرير الجوية التي تضم قوات التحالف في أربيل فجر اليوم الاثنين، "
     "وتمكنت الدفاعات الجوية من إسقاطها.",
     "harir-air-base", "drone", "base", "intercepted", date(2023, 11, 20)),
    ("انفجرت عبوة ناسفة برتل تابع للتحالف الدولي على الطريق السريع في الديوانية يوم السبت الماضي، "
     "من دون وقوع خسائر.",
     "diwaniyah", "ied", "convoy", "no_casualties", date(2023, 11, 18)),
    ("سقطت قذيفتا هاون قرب السفارة الأميركية في المنطقة الخضراء وسط بغداد مساء أمس.",
     "us-embassy-baghdad", "mortar", "embassy", "fell_nearby", date(2023, 11, 19)),
    ("أعلن البنتاغون إصابة 4 جنود أمريكيين في هجوم صاروخي على قاعدة عين الأسد في 21 تشرين الثاني 2023.",
     "ain-al-asad", "rocket", "base", "casualties", date(2023, 11, 21)),
]


@pytest.mark.parametrize("text,place,weapon,target,outcome,day", ATTACKS, ids=[a[1] for a in ATTACKS])
def test_attack_statement(text, place, weapon, target, outcome, day):
    events = _events(text, published=date(2023, 11, 21) if "21 تشرين" in text else date(2023, 11, 20))
    assert [(e.place, e.weapon, e.target) for e in events] == [(place, weapon, target)]
    if outcome:
        assert events[0].outcome == outcome
    assert events[0].date == day
    assert events[0].sources[0].evidence in text


NOT_ATTACKS = [
    ("us_strike", "قتل قاسم سليماني بغارة أميركية قرب مطار بغداد الدولي في 3 يناير 2020."),
    ("arrest", "أعلنت القوات الأمنية القاء القبض على المتورطين بالهجوم على قاعدة عين الأسد الأمريكية."),
    ("anticipation", "كثفت القوات انتشارها قرب قاعدة حرير تحسبا لهجمات بطائرات مسيرة على القوات الأمريكية."),
    ("habitual", "صواريخ الكاتيوشا تتساقط بشكل شبه يومي على السفارة الأميركية وسط بغداد."),
    ("threat", "هددت الفصائل باستهداف القواعد الأمريكية في الأنبار إذا لم تنسحب القوات."),
    ("no_place", "استهدفت فصائل مسلحة القوات الأمريكية في العراق بهجمات عديدة."),
    ("not_coalition", "انفجرت عبوة ناسفة في سوق شعبي في الحلة أمس."),
    ("denial", "نفى جهاز مكافحة الإرهاب في إقليم كردستان تعرض قاعدة حرير لأي هجوم أمس."),
    ("isis_on_iraqi_troops", "قتل جنديان عراقيان بهجوم لداعش قرب قاعدة عين الأسد أمس."),
    ("sirens", "أطلقت السفارة الأمريكية في المنطقة الخضراء صافرات الإنذار مساء أمس كإجراء تجريبي."),
    ("air_strike", "قال مسؤول إن القوات الأمريكية في العراق نفذت ضربة جوية ضد مسلحين في محافظة بابل أمس."),
    ("pmf_sites", "ارتكب العدو الأمريكي جريمة أخرى بقصفه مقرات للحشد في جرف النصر والقائم أمس."),
    ("foiled", "أعلنت قيادة العمليات إحباط 3 محاولات لاستهداف مطار بغداد الدولي أمس."),
    ("seized", "استولت قوات الشرطة على 10 صواريخ كاتيوشا كانت معدة لاستهداف مطار بغداد الدولي أمس."),
    ("defused", "فككت القوات الأمنية عبوة ناسفة على طريق رتل للتحالف الدولي في الديوانية أمس."),
    ("possible",
     "عنوان\nدوت صفارات الإنذار في المنطقة الخضراء للتحذير من هجوم محتمل بطائرة مسيرة على السفارة الأمريكية أمس."),
    ("going_on",
     "عنوان\nتحدثت الصحيفة عن إغلاق السفارة الأمريكية في بغداد جراء استمرار تعرضها لقصف صاروخي."),
    ("air_bombardment",
     "عنوان\nتعرضت قاعدة بلد إلى قصف جوي مكثف خلال حرب العراق عام 2003."),
    ("us_strike_victims",
     "عنوان\nأعلن التلفزيون الرسمي اليوم مقتل أبو مهدي المهندس وقاسم سليماني في الهجوم على مطار بغداد."),
    ("several_times",
     "عنوان\nوقالت القيادة إن الأشخاص الذين سبق وأن استهدفوا المنطقة الخضراء ومطار بغداد الدولي مرات عدة اعتقلوا."),
    ("rising_pace",
     "عنوان\nوفي الأشهر القليلة المنصرمة تصاعدت وتيرة استهداف المنطقة الخضراء التي تضم السفارة الأمريكية بالصواريخ."),
    ("us_bombardment",
     "عنوان\nوأوضحت المصادر أن القصف الأمريكي استهدف أمس مخازن للأسلحة قرب مطار بغداد."),
    ("affiliated_pmf_sites",
     "عنوان\nوأوضحت المصادر أن صواريخ استهدفت أمس مقرات تابعة للحشد الشعبي قرب مطار بغداد."),
    ("us_aircraft",
     "عنوان\nاستهدفت مقاتلات أمريكية أمس مواقع قرب مطار بغداد الدولي."),
    ("turkish_drone",
     "عنوان\nقصفت طائرة مسيرة تركية أمس موقعا قرب مطار أربيل الذي يضم قوات التحالف."),
    ("turkish_base",
     "عنوان\nسقطت صواريخ أمس على القاعدة التركية في زليكان قرب الموصل التي تضم قوات أجنبية."),
    ("israeli_strike",
     "عنوان\nاستهدفت غارة إسرائيلية أمس مخزنا للأسلحة قرب قاعدة بلد الجوية التي تضم متعاقدين أمريكيين."),
    ("depot_blast",
     "عنوان\nنشرت هيئة الإذاعة البريطانية مشاهد من داخل معسكر في منطقة الدورة جنوبي بغداد شهد انفجار كدس للعتاد أمس."),
    ("agency_name",
     "عنوان\nوقالت وكالة الصحافة الفرنسية إن صاروخا سقط أمس على مقر للشرطة في الدورة جنوبي بغداد."),
    ("air_aggression",
     "عنوان\nوجاء ذلك بعد مقتل ثمانية في إثر اعتداء جوي أميركي استهدف أمس موقعا في جرف النصر جنوبي بغداد."),
    ("faction_hq_quoted",
     "عنوان\nتصاعد التوتر مع القوات الأمريكية بعد الهجوم الذي استهدف أمس مقر “حركة النجباء” في بغداد."),
    ("embassy_fire",
     "عنوان\nتعرضت أحياء قريبة من المنطقة الخضراء أمس للرشقات التي أطلقتها السفارة الأمريكية."),
    ("defence_test",
     "عنوان\nأطلقت منظومة سي رام في السفارة الأمريكية رشقات نارية أمس خلال اختبار المنظومة الجديدة."),
]


@pytest.mark.parametrize("name,text", NOT_ATTACKS, ids=[n for n, _ in NOT_ATTACKS])
def test_not_an_attack_on_coalition(name, text):
    assert _events(text) == []


def test_projectiles_and_claimant():
    text = ("أعلنت المقاومة الإسلامية في العراق تبنيها استهداف قاعدة عين الأسد الأمريكية بخمسة صواريخ "
            "يوم الخميس الماضي.")
    (event,) = _events(text)
    assert event.projectiles == 5
    assert event.claimed_by == "Islamic Resistance in Iraq"


def test_two_attacks_in_one_sentence_are_two_events():
    text = ("انفجرت عبوة ناسفة برتل للتحالف الدولي في الديوانية أمس، وقبله تعرض رتل آخر تابع للتحالف "
            "لاستهداف بعبوة في محافظة ذي قار أول من أمس.")
    events = _events(text)
    assert sorted(e.weapon for e in events) == ["ied", "ied"]
    assert len({e.place for e in events}) == 2


def test_same_attack_twice_in_one_article_is_one_event():
    text = ("استهدفت طائرة مسيرة قاعدة عين الأسد الأمريكية فجر أمس. "
            "وقال مصدر أمني إن الهجوم على قاعدة عين الأسد لم يسفر عن خسائر.")
    events = _events(text)
    assert len(events) == 1
    assert events[0].outcome == "no_casualties"


def test_sentences_and_clauses_keep_offsets():
    text = "قال مصدر: سقط صاروخ، وقبله انفجرت عبوة. ثم هدأ الوضع!"
    spans = sentences(text)
    assert [s.text(text) for s in spans] == ["قال مصدر: سقط صاروخ، وقبله انفجرت عبوة", "ثم هدأ الوضع"]
    parts = [c.text(text) for c in clauses(text, spans[0])]
    assert parts == ["قال مصدر", "سقط صاروخ", "وقبله انفجرت عبوة"]


def test_claim_elsewhere_in_the_article_covers_its_recent_attack():
    text = ("استهدفت طائرة مسيرة قاعدة حرير التي تضم قوات أمريكية فجر اليوم.\n"
            "وفي وقت لاحق تبنت كتائب حزب الله العملية في بيان.\n"
            "وكانت قاعدة عين الأسد قد تعرضت لهجوم صاروخي في 3 آذار 2021.")
    events = {e.place: e for e in _events(text)}
    assert events["harir-air-base"].claimed_by == "Kata'ib Hezbollah"
    assert events["ain-al-asad"].claimed_by == ""


def test_two_claiming_groups_are_not_guessed_between():
    text = ("استهدفت طائرة مسيرة قاعدة حرير التي تضم قوات أمريكية فجر اليوم.\n"
            "وتبنت كتائب حزب الله هجوما سابقا، فيما تبنت حركة النجباء هجوما آخر.")
    (event,) = _events(text)
    assert event.claimed_by == ""


def test_convoy_between_two_towns_is_one_event_at_the_first():
    text = "انفجرت عبوة ناسفة برتل تابع للتحالف الدولي على الطريق السريع بين الديوانية والسماوة أمس."
    events = _events(text)
    assert [(e.place, e.target, e.weapon) for e in events] == [("diwaniyah", "convoy", "ied")]


def test_launch_site_is_not_the_target():
    text = "انطلقت الصواريخ من قضاء هيت وسقطت داخل قاعدة عين الأسد التي تضم قوات أمريكية أمس."
    assert [e.place for e in _events(text)] == ["ain-al-asad"]


def test_reprints_of_an_undated_report_are_one_event():
    text = "وفي النجف جرى استهداف المعهد الأميركي، بحسب مصدر أمني."
    articles = [Article(file=f"{i}.txt", text=text) for i in range(3)]
    events = extract_events(articles)
    assert len(events) == 1
    assert events[0].date_precision == "unknown"
    assert sorted(events[0].articles) == ["0.txt", "1.txt", "2.txt"]


def test_a_claim_about_attacks_in_general_is_not_a_claim_of_this_one():
    text = ("استهدفت طائرة مسيرة قاعدة حرير التي تضم قوات أمريكية فجر اليوم.\n"
            "ومنذ أشهر تبنت غالبية هذه الهجمات المقاومة الإسلامية في العراق.")
    (event,) = _events(text)
    assert event.claimed_by == ""


# Inflected forms of the attack words: duals, plurals agreeing with non-human nouns, passives, possessives.
INFLECTED = [
    ("dual_verb", "وقال مصدر أمني إن التفجيرين استهدفا رتلاً للتحالف الدولي في الديوانية مساء أمس.",
     "diwaniyah", "ied"),
    ("plural_agreement", "وأفادت مصادر بأن صاروخين سقطوا قرب معسكر التاجي الذي يضم مستشارين أمريكيين أمس.",
     "camp-taji", "rocket"),
    ("possessive_noun", "احترق مخزن في قاعدة حرير الجوية التي تضم قوات أمريكية إثر قصفه بمسيّرة فجر أمس.",
     "harir-air-base", "drone"),
    ("possessive_noun_fem", "وتضررت قاعدة عين الأسد الأمريكية بعد استهدافها بطائرتين مسيرتين فجر أمس.",
     "ain-al-asad", "drone"),
    ("passive", "استُهدفت قاعدة فيكتوريا الأمريكية قرب مطار بغداد بطائرة مسيّرة فجر أمس.",
     "camp-victory", "drone"),
    ("tamma", "وتم استهداف رتل ينقل معدات للتحالف الدولي بعبوة ناسفة في السماوة أمس.", "samawah", "ied"),
]


@pytest.mark.parametrize("name,text,place,weapon", INFLECTED, ids=[i[0] for i in INFLECTED])
def test_inflected_attack_words(name, text, place, weapon):
    events = _events(text)
    assert [(e.place, e.weapon) for e in events] == [(place, weapon)]
    assert events[0].date == date(2023, 11, 19)


# Places that describe a road, a destination or a landmark: one event, not one per place named.
ROADS = [
    ("road_with_dash", "انفجرت عبوة ناسفة برتل ينقل معدات للتحالف الدولي على طريق كربلاء – النجف مساء أمس.",
     "karbala", "road"),
    ("destination", "استهدفت عبوة ناسفة رتلاً للدعم اللوجستي تابعاً للتحالف في الناصرية عند الطريق المؤدي إلى البصرة أمس.",
     "nasiriyah", "town"),
    ("landmark_across_a_line", "تعرض رتل تابع للتحالف الدولي لهجوم بعبوة ناسفة في محافظة واسط جنوب شرقي بغداد أمس.",
     "wasit-governorate", "governorate"),
    ("landmark_alone", "انفجرت عبوة ناسفة برتل تابع للتحالف الدولي جنوبي بغداد أمس.", "baghdad", "district"),
]


@pytest.mark.parametrize("name,text,place,precision", ROADS, ids=[r[0] for r in ROADS])
def test_one_event_per_road_destination_or_landmark(name, text, place, precision):
    events = _events(text)
    assert [(e.place, e.geo_precision) for e in events] == [(place, precision)]


def test_a_summary_of_other_attacks_is_split_off_and_dropped():
    text = ("وأعلنت المقاومة الإسلامية في العراق استهداف قاعدة عين الأسد الأمريكية بطائرة مسيرة أمس "
            "وعدد من الاستهدافات في واسط وميسان.")
    assert [e.place for e in _events(text)] == ["ain-al-asad"]


def test_a_date_in_a_descriptive_clause_does_not_date_the_attack():
    text = ("استُهدف مخزن في قاعدة عين الأسد الأمريكية بطائرة مسيرة مساء اليوم، "
            "وهي القاعدة التي سُلّمت للجيش العراقي في 3-5-2022.")
    (event,) = _events(text)
    assert event.date == date(2023, 11, 20)


def test_an_undated_follow_up_takes_the_date_of_the_attack_it_continues():
    text = ("وكانت قاعدة عين الأسد الأمريكية قد تعرضت لهجوم بطائرة مسيرة في 2 تشرين الثاني 2023. "
            "كما استهدفت طائرة مسيرة أخرى قاعدة حرير الأمريكية في أربيل.")
    events = {e.place: e for e in _events(text)}
    assert events["ain-al-asad"].date == date(2023, 11, 2)
    harir = events["harir-air-base"]
    assert harir.date_earliest <= date(2023, 11, 2) <= harir.date_latest
    assert harir.date_latest < date(2023, 11, 19)


def test_a_claim_retelling_the_attack_merges_into_it_and_keeps_the_claimant():
    text = ("تعرضت قاعدة حرير الجوية في أربيل لهجوم بطائرة مسيرة فجر اليوم.\n"
            "وأعلنت المقاومة الإسلامية في العراق في بيان استهداف قاعدة الاحتلال الأمريكي في حرير بطائرة مسيرة.")
    (event,) = _events(text)
    assert (event.place, event.claimed_by) == ("harir-air-base", "Islamic Resistance in Iraq")


def test_a_claim_naming_the_town_of_the_attacked_airport_is_the_same_attack():
    text = ("أفاد مصدر أمني بسقوط صاروخين قرب مطار أربيل الدولي مساء اليوم.\n"
            "وأعلنت المقاومة الإسلامية في العراق استهداف قاعدة الاحتلال في أربيل بالصواريخ.")
    (event,) = _events(text)
    assert (event.place, event.claimed_by) == ("erbil-airport", "Islamic Resistance in Iraq")


def test_between_two_districts_named_with_the_dual_prefix_is_one_event_at_the_first():
    text = ("تعرض رتل ينقل معدات التحالف الدولي لانفجار عبوة ناسفة ما بين قضاءي بلد والدجيل "
            "في محافظة صلاح الدين أمس.")
    assert [e.place for e in _events(text)] == ["balad"]


def test_one_attack_told_by_its_night_and_by_the_day_it_was_announced_is_one_event():
    text = ("سقطت صواريخ على قاعدة عين الأسد الأمريكية مساء أمس.\n"
            "وأعلن البنتاغون اليوم أن الهجوم الصاروخي على قاعدة عين الأسد لم يسفر عن إصابات.")
    (event,) = _events(text)
    assert event.date == date(2023, 11, 19)


def test_an_announcement_of_the_attack_dates_the_announcement_not_the_attack():
    # Written for this test: a spokesman announces on Tuesday a death in "the" attack of Monday night.
    text = ("16 فبراير 2021أعلن متحدث باسم وزارة الدفاع الأميركية، الثلاثاء، أن متعاقدا قتل في الهجوم الصاروخي "
            "على مطار أربيل.\n"
            "وذكرت الوزارة في بيان، الاثنين، أنه في الساعة التاسعة من مساء اليوم، سقطت صواريخ على مطار أربيل.")
    events = _events(text, published=date(2021, 2, 16))
    assert [(e.place, e.date, e.date_precision) for e in events] == [("erbil-airport", date(2021, 2, 15), "day")]
    alone = _events(text.split("\n")[0], published=date(2021, 2, 16))
    assert [(alone[0].date, alone[0].date_earliest, alone[0].date_latest)] == [
        (date(2021, 2, 16), date(2021, 2, 13), date(2021, 2, 16))]


def test_an_undated_headline_is_the_lead_story_of_the_body_at_the_same_place():
    # Written for this test: the headline says rockets, the body (dated) says mortar bombs, one place.
    text = ("هجوم صاروخي يستهدف المنطقة الخضراء في بغداد\n"
            "أعلنت خلية الإعلام الأمني، اليوم الثلاثاء، سقوط 3 قنابل هاون داخل المنطقة الخضراء.")
    (event,) = _events(text, published=date(2020, 9, 22))
    assert (event.place, event.weapon, event.date) == ("green-zone", "mortar", date(2020, 9, 22))
    # A headline about another place than every body report stays its own event.
    other = ("هجوم بطائرة مسيرة يستهدف مطار أربيل\n"
             "وجاء الهجوم بعد أقل من 24 ساعة من استهداف قاعدة عين الأسد بطائرة مسيرة مساء السبت.")
    assert {e.place for e in _events(other, published=date(2023, 12, 31))} == {"erbil-airport", "ain-al-asad"}


def test_a_dateline_with_the_country_and_the_outlet_is_not_a_place():
    # Written for this test, in the CNN Arabic dateline style.
    text = ("عنوان\n"
            "بغداد، العراق (CNN)-- أعلنت قوات الأمن العراقية، الثلاثاء، عن سقوط صاروخين من نوع كاتيوشا على قاعدة "
            "عين الأسد الجوية التي تضم قوات أمريكية.")
    assert {e.place for e in _events(text, published=date(2021, 5, 4))} == {"ain-al-asad"}


def test_tallies_and_attacks_named_again_make_no_event():
    # Written for this test: a tally of attacks and a demonstrative re-mention are summaries.
    text = ("عنوان\n"
            "ومنذ مطلع العام، استهدف نحو خمسين هجوماً المصالح الأميركية في العراق، لا سيما السفارة الأميركية في بغداد.\n"
            "ويأتي هذا الهجوم قبل ثلاثة أيام من حوار استراتيجي بين بغداد وواشنطن.")
    assert _events(text, published=date(2021, 7, 8)) == []


def test_an_undated_report_joins_the_one_dated_attack_at_its_place():
    # Written for this test: a page with no date beside a dated report of the same attack.
    dated = Article(file="a.txt", published=date(2019, 6, 18),
                    text="عنوان\nاستهدف هجوم صاروخي، اليوم الثلاثاء، قاعدة عسكرية في الموصل تستضيف قوات أمريكية.")
    undated = Article(file="b.txt", published=None,
                      text="عنوان\nسقوط صاروخين قرب قاعدة عراقية تستضيف جنودا أمريكيين في الموصل.")
    (event,) = extract_events([dated, undated])
    assert (event.place, event.date, sorted(event.articles)) == ("mosul", date(2019, 6, 18), ["a.txt", "b.txt"])
    # Beside two dated attacks at that place it could be either: it stays apart.
    other = Article(file="c.txt", published=date(2019, 7, 30),
                    text="عنوان\nاستهدف هجوم صاروخي، اليوم الثلاثاء، قاعدة عسكرية في الموصل تستضيف قوات أمريكية.")
    assert len(extract_events([dated, undated, other])) == 3


def test_the_same_day_and_the_place_of_the_attack_a_statement_is_timed_by():
    # Written for this test: "before the airport was hit that same day, a convoy was hit near Diwaniyah".
    text = ("عنوان\n"
            "وأمس الجمعة سقطت 3 صواريخ كاتيوشا في محيط مطار بغداد الدولي.\n"
            "وقبل استهداف مطار بغداد من نفس اليوم، تعرض رتل تابع لشركة متعاقدة مع التحالف الدولي لهجوم بعبوة "
            "ناسفة قرب جسر الديوانية.")
    events = {e.place: e for e in _events(text, published=date(2020, 8, 15))}
    assert set(events) == {"baghdad-airport", "diwaniyah"}
    assert events["diwaniyah"].date == events["baghdad-airport"].date == date(2020, 8, 14)


def test_strike_with_a_weapon_is_an_attack_and_a_follow_up_names_its_weapon():
    # Written for this test: "ضرب" only with a weapon; the next paragraph says how it was made.
    text = ("عنوان\n"
            "أعلنت سرية قاصم الجبارين في بيان مساء الأحد أنها قامت بضرب شاحنة تابعة لرتل دعم لوجستي للقوات الأميركية "
            "على الطريق الدولي في الناصرية.\n"
            "وكشف مصدر أمني أن الاستهداف جرى من خلال تفجير عبوة ناسفة أدت إلى أضرار مادية.")
    (event,) = _events(text, published=date(2020, 12, 20))
    assert (event.place, event.weapon, event.target) == ("nasiriyah", "ied", "convoy")
    # An army striking a faction is not this kind of "ضرب".
    assert _events("عنوان\nضربت القوات العراقية مواقع للتنظيم في الأنبار.", published=date(2020, 12, 20)) == []


def test_for_months_is_habitual_not_an_attack():
    text = ("عنوان\n"
            "يشار إلى أنه منذ أشهر تتعرض المنطقة الخضراء التي تضم السفارة الأميركية في بغداد إلى قصف صاروخي.")
    assert _events(text, published=date(2020, 12, 20)) == []


def test_two_undated_reports_of_one_large_salvo_are_one_attack():
    # Written for this test: neither page has a date; both count the same eight projectiles at one base, one as
    # Katyushas, one as mortar bombs (outlets confuse them). A salvo of two at one base is too common to tell.
    first = Article(file="a.txt", text="عنوان\nسقطت 8 صواريخ كاتيوشا على قاعدة بلد الجوية التي تضم قوات أمريكية.")
    second = Article(file="b.txt", text="عنوان\nسقطت 8 قذائف هاون على قاعدة بلد الجوية التي تضم متعاقدين أمريكيين.")
    (event,) = extract_events([first, second])
    assert (event.place, event.weapon, event.projectiles, sorted(event.articles)) == (
        "balad-air-base", "rocket", 8, ["a.txt", "b.txt"])
    pair = [Article(file=f"{i}.txt", text=f"عنوان\nسقط صاروخان على قاعدة بلد الجوية التي تضم قوات أمريكية{tail}.")
            for i, tail in enumerate(("", " مساء"))]
    assert len(extract_events(pair)) == 2


@pytest.mark.parametrize("authority", [
    "أفاد جهاز مكافحة الإرهاب في إقليم كردستان العراق",
    "وأكدت السلطات الأمنية بإقليم كردستان",
    "وقالت حكومة إقليم كردستان",
])
def test_the_place_of_the_authority_telling_an_attack_is_not_where_it_fell(authority):
    # Written for this test: the Kurdistan Region is whose service speaks; the drone fell in Erbil.
    text = f"عنوان\n{authority}، اليوم الثلاثاء، بتعرض قاعدة للتحالف الدولي في مدينة أربيل لهجوم بطائرة مسيرة."
    assert [e.place for e in _events(text)] == ["erbil"]


def test_a_dateline_with_its_day_before_the_agency_is_not_a_target():
    # Written for this test: "بغداد 2 يناير 2024 (شينخوا)" says where the agency wrote, not where drones struck.
    text = ("عنوان\nبغداد 2 يناير 2024 (شينخوا) هاجمت فصائل عراقية بطائرة مسيرة قاعدة للتحالف الدولي قرب مطار "
            "أربيل اليوم.")
    assert [e.place for e in _events(text, published=date(2024, 1, 2))] == ["erbil-airport"]


def test_a_year_after_since_and_a_clause_starts_a_period_and_dates_nothing():
    # Written for this test: "the most violent attack since Iraqi forces retook it in 2016" dates no attack, nor the
    # undated sentence after it.
    text = ("عنوان\nأفادت مصادر أمنية السبت بسقوط صواريخ قرب قاعدة القيارة التي تضم جنودا أمريكيين.\n"
            "وهذا أعنف هجوم تشهده القيارة منذ أن استعادت القوات العراقية السيطرة عليها عام 2016.\n"
            "وذكرت مصادر أمنية أن عدد الصواريخ الذي أطلق صوب القاعدة كان أقل مما ذكره الجيش.")
    events = _events(text, published=date(2019, 11, 9))
    assert events and all(e.date == date(2019, 11, 9) for e in events), [(e.place, e.date) for e in events]


def test_an_ordinal_opens_the_next_attack_of_several_so_its_place_is_a_target():
    # Written for these tests, as the ones above.
    text = ("وكان تفجيران بعبوتين ناسفتين قد استهدفا أمس رتلين للتحالف الدولي، الأول قرب محافظة الديوانية، "
            "والثاني قرب مدينة السماوة جنوب العراق.")
    assert sorted(e.place for e in _events(text)) == ["qadisiyah-governorate", "samawah"]


def test_each_place_takes_the_weapon_its_own_clause_names():
    text = ("استهدفت طائرة مسيرة قاعدة عين الأسد التي تضم قوات أمريكية فجر اليوم، بالتزامن مع هجوم صاروخي "
            "استهدف قاعدة بلد الجوية التي تضم متعاقدين أمريكيين.")
    assert {(e.place, e.weapon) for e in _events(text)} == {("ain-al-asad", "drone"), ("balad-air-base", "rocket")}


def test_a_headline_placed_by_a_landmark_heads_the_body_report_of_the_camp_it_means():
    text = ("هجوم بطائرة مسيرة على معسكر يضم قوات أميركية غربي بغداد\n"
            "أفاد مسؤول أمني اليوم الاثنين بأن طائرة مسيرة استهدفت فجر اليوم معسكر فيكتوريا قرب مطار بغداد الدولي.")
    events = _events(text)
    assert [(e.place, e.weapon) for e in events] == [("camp-victory", "drone")]
    assert events[0].date == date(2023, 11, 20)


def test_an_unnamed_base_placed_by_a_landmark_is_the_named_base_of_the_same_weapon():
    text = ("أعلنت وزارة الدفاع الأمريكية أنه تم استهداف قواتها في قاعدة جوية غرب بغداد بصاروخ باليستي.\n"
            "وقال مسؤولان أمريكيان إن قاعدة عين الأسد الجوية تعرضت لهجوم بصاروخ باليستي قريب المدى أمس.")
    assert [(e.place, e.weapon) for e in _events(text)] == [("ain-al-asad", "rocket")]
    # Named bases of their own stay apart.
    two = ("سقط صاروخ على قاعدة عين الأسد الجوية التي تضم قوات أمريكية أمس.\n"
           "وسقط صاروخ آخر على قاعدة بلد الجوية التي تضم متعاقدين أمريكيين أمس.")
    assert {e.place for e in _events(two)} == {"ain-al-asad", "balad-air-base"}


def test_including_an_attack_is_a_new_attack_and_a_quoted_today_is_the_day_the_speaker_spoke():
    text = ("عنوان\n"
            "قالت وزارة الدفاع إن الجيش نفذ ضربات أمس الاثنين بعد هجوم أسفر عن إصابة 3 جنود أميركيين.\n"
            "وأوضح الوزير أن \"هذه الضربات رد على سلسلة هجمات، بما في ذلك هجوم شنته جماعات مسلحة على قاعدة "
            "عين الأسد الجوية في وقت سابق من اليوم\".")
    events = _events(text, published=date(2023, 12, 26))
    assert [(e.place, e.date) for e in events] == [("ain-al-asad", date(2023, 12, 25))]
    # Outside a quotation the article's today stands.
    plain = "عنوان\nوقال مصدر أمني إن هجوما استهدف قاعدة عين الأسد الجوية التي تضم قوات أمريكية اليوم."
    assert [e.date for e in _events(plain, published=date(2023, 12, 26))] == [date(2023, 12, 26)]


def test_a_follow_up_places_the_coalition_convoy_told_with_no_place_and_keeps_its_weapon():
    text = ("عنوان\n"
            "استهدف انفجار بعبوة ناسفة، الإثنين، رتلاً للتحالف الدولي الى الجنوب من العراق.\n\n"
            "وذكر مصدر أمني أن الانفجار استهدف الرتل على طريق الناصرية السريع، من دون إصابات بشرية.")
    assert [(e.place, e.weapon, e.target) for e in _events(text)] == [("nasiriyah", "ied", "convoy")]
    # With no coalition convoy told before, a convoy hit on the road is nobody's in particular.
    alone = "عنوان\nوذكر مصدر أمني أن انفجارا استهدف رتلا على طريق الناصرية السريع، من دون إصابات بشرية."
    assert _events(alone) == []


def test_a_blast_that_hit_a_coalition_convoy_is_a_roadside_bomb():
    text = "عنوان\nأفاد مصدر أمني بأن انفجارا استهدف رتلا للتحالف الدولي على الطريق السريع في الديوانية أمس."
    assert [(e.place, e.weapon, e.target) for e in _events(text)] == [("diwaniyah", "ied", "convoy")]


def test_an_unnamed_base_near_a_landmark_is_around_it_and_heads_the_named_base():
    text = ("المقاومة الإسلامية تعلن استهداف قاعدة قرب مطار أربيل بطائرة مسيرة\n"
            "أعلنت المقاومة الإسلامية في العراق، مساء الجمعة 5 يناير 2024، استهداف قاعدة حرير الأمريكية بطائرة مسيرة.")
    assert [e.place for e in _events(text, published=date(2024, 1, 5))] == ["harir-air-base"]
    (alone,) = _events("عنوان\nاستهدفت طائرة مسيرة قاعدة قرب مطار أربيل تضم قوات أمريكية أمس.")
    assert (alone.place, alone.geo_precision) == ("erbil-airport", "district")


def test_an_undated_base_by_a_site_is_not_a_named_base_far_from_it():
    text = ("عنوان\nأعلنت المقاومة الإسلامية استهداف قاعدة أمريكية قرب مطار أربيل بطائرة مسيرة.\n"
            "وجاء ذلك بعد ساعات من إعلانها استهداف قاعدة حرير الأمريكية بطائرة مسيرة.")
    assert sorted(e.place for e in _events(text, published=None)) == ["erbil-airport", "harir-air-base"]


def test_a_described_base_next_to_a_landmark_is_the_named_base_the_article_reports():
    text = ("عنوان\n"
            "أعلنت فصائل مسلحة مساء الأحد استهداف قاعدة حرير التي تضم جنودا أمريكيين في أربيل بطائرة مسيرة.\n"
            "وقالت الفصائل في بيان إنها \"استهدفت قاعدة الاحتلال الأمريكي المجاورة لمطار أربيل بطائرة مسيرة\".")
    assert [e.place for e in _events(text)] == ["harir-air-base"]
    (alone,) = _events("عنوان\nوقالت الفصائل إنها استهدفت أمس قاعدة الاحتلال الأمريكي المجاورة لمطار أربيل بطائرة مسيرة.")
    assert (alone.place, alone.geo_precision) == ("erbil-airport", "district")


def test_a_base_named_after_words_describing_it_and_measured_from_a_landmark():
    text = ("عنوان\n"
            "وقالت المقاومة الإسلامية في بيان إن قواتها استهدفت، فجر اليوم، قاعدة الاحتلال الأميركي \"حرير\" شمالي "
            "البلاد، والتي تبعد 45 كم عن مطار أربيل الدولي، بطائرة مسيرة.")
    assert [(e.place, e.weapon) for e in _events(text)] == [("harir-air-base", "drone")]
    # The bare word, silk, names nothing.
    assert _events("عنوان\nاستهدفت طائرة مسيرة مصنع حرير في أربيل أمس.") == []


def test_denying_losses_is_not_denying_the_attack():
    text = "عنوان\nسقط صاروخان على قاعدة عين الأسد التي تضم قوات أمريكية أمس، ونفى المصدر وقوع إصابات."
    assert [e.place for e in _events(text)] == ["ain-al-asad"]


def test_an_attack_counted_as_the_third_in_days_is_like_the_one_reported():
    text = ("عنوان\n"
            "أفاد مصدر أمني اليوم عن استهداف رتل تابع للتحالف الدولي بعبوة ناسفة في محافظة الديوانية.\n"
            "وهذا الاستهداف هو الثالث خلال أيام، بعد استهداف وقع أمس الأحد في محافظة بابل جنوب بغداد.")
    events = _events(text, published=date(2020, 12, 28))
    assert sorted((e.place, e.date) for e in events) == [
        ("babil-governorate", date(2020, 12, 27)), ("qadisiyah-governorate", date(2020, 12, 28))]


def test_a_cue_in_the_attacks_motive_does_not_negate_it():
    text = ("عنوان\nوأطلقت إيران، الأربعاء الماضي، صواريخ على قواعد عراقية تستضيف قوات أمريكية في محافظتي الأنبار "
            "وأربيل، ردا على اغتيال قائد فيلق القدس.")
    assert {e.place for e in _events(text, published=date(2020, 1, 14))} == {"anbar-governorate", "erbil-governorate"}
    assert _events("عنوان\nاتهمت الفصائل واشنطن باغتيال قائد فيلق القدس قرب مطار بغداد أمس.") == []


def test_an_unnamed_base_in_a_town_is_the_named_base_the_body_reports():
    text = ("المقاومة الإسلامية تشن هجوما جديدا على قاعدة عسكرية في أربيل\n"
            "قالت المقاومة الإسلامية في العراق أمس إنها نفذت هجوما على قاعدة تحوي قوات أميركية في أربيل، "
            "واستهدفت قاعدة حرير بطائرتين مسيرتين.")
    assert [(e.place, e.weapon) for e in _events(text)] == [("harir-air-base", "drone")]


def test_launching_rockets_in_a_later_clause_is_an_attack():
    text = "عنوان\nوأطلقت إيران، الأربعاء الماضي، صواريخ على قاعدة عين الأسد التي تضم قوات أمريكية."
    assert [e.place for e in _events(text)] == ["ain-al-asad"]


def test_an_attempt_the_air_defences_shot_down_is_an_attack():
    text = "عنوان\nأحبطت الدفاعات الجوية محاولة استهداف قاعدة عين الأسد وأسقطت طائرة مسيرة أمس."
    assert [(e.place, e.weapon) for e in _events(text)] == [("ain-al-asad", "drone")]


def test_two_bases_after_one_dual_noun_and_a_camp_in_the_accusative():
    text = "عنوان\nسقطت صواريخ على قاعدتي “بلد” و”فيكتوريا” اللتين تضمان قوات أمريكية أمس."
    assert {e.place for e in _events(text)} == {"balad-air-base", "camp-victory"}
    camp = ("عنوان\nسقطت أربعة صواريخ كاتيوشا على قاعدة بسماية أمس.\n"
            "وقال التحالف الدولي إنه سلم معسكرا جنوبي بغداد بعد تعرضه لقصف بصواريخ.")
    assert [e.place for e in _events(camp)] == ["besmaya"]


def test_the_whole_motive_phrase_is_the_motive_and_the_quds_force_is_a_us_strikes_target():
    text = ("عنوان\nأطلقت إيران صواريخ على قاعدة عين الأسد التي تضم قوات أمريكية أمس، ردا على اغتيال واشنطن "
            "قائد فيلق القدس.")
    assert [e.place for e in _events(text)] == ["ain-al-asad"]
    assert _events("عنوان\nوكانت إيران ردت على استهداف واشنطن لقائد فيلق القدس قرب مطار بغداد الدولي.") == []


def test_the_night_between_two_days_is_dated_by_the_second():
    text = ("عنوان\nسقط صاروخ في الليلة الفاصلة بين أمس الإثنين واليوم الثلاثاء 19 مايو 2020 في محيط السفارة "
            "الأمريكية وسط بغداد.")
    assert [e.date for e in _events(text, published=date(2020, 5, 19))] == [date(2020, 5, 19)]


def test_an_investigation_into_the_incident_is_dated_by_the_report_not_the_attack():
    text = ("عنوان\n"
            "قالت قيادة العمليات المشتركة، اليوم الاثنين (20 تشرين الثاني 2023)، إنها فتحت تحقيقاً بشأن واقعة إطلاق "
            "صواريخ الكاتيوشا على مطار بغداد.\n"
            "وأعلنت خلية الإعلام الأمني، الأحد (19 تشرين الثاني 2023)، سقوط ثلاثة صواريخ كاتيوشا على مطار بغداد الدولي.")
    events = _events(text)
    assert [(e.place, e.date) for e in events] == [("baghdad-airport", date(2023, 11, 19))]


def test_where_sirens_sounded_is_not_where_the_attack_struck():
    text = ("عنوان\n"
            "استهدفت طائرة مسيرة أمس قاعدة حرير الجوية التي تضم قوات أمريكية، بعدما دوت صفارات الإنذار في السفارة "
            "الأمريكية في بغداد.")
    assert [e.place for e in _events(text)] == ["harir-air-base"]
    # Named alone, the place of the sirens is where the attack was told.
    alone = "عنوان\nدوت صفارات الإنذار في السفارة الأمريكية في بغداد إثر سقوط صاروخين قرب مبناها أمس."
    assert [e.place for e in _events(alone)] == ["us-embassy-baghdad"]



def test_drone_aviation_is_a_drone():
    text = "عنوان\nأكدت المقاومة الإسلامية في العراق أمس استهداف قاعدة عين الأسد بالطيران المسير."
    assert [(e.place, e.weapon) for e in _events(text)] == [("ain-al-asad", "drone")]


def test_the_police_of_a_city_tell_the_attack_they_are_not_its_place():
    text = ("عنوان\n"
            "ونقلت الوكالة عن ضابط في شرطة البصرة أن \"عبوة ناسفة انفجرت أمس في رتل شاحنات تحمل معدات التحالف "
            "الدولي في منطقة الفاصلة بين محافظتي البصرة وذي قار\".")
    assert {e.place for e in _events(text)} <= {"basra-governorate", "dhi-qar-governorate"}
    assert _events(text)




def test_the_us_consulate_in_kurdistan_is_the_erbil_consulate():
    text = "عنوان\nهجوم بثلاث طائرات مسيرة مفخخة قرب القنصلية الأمريكية بكردستان العراق أمس."
    assert [e.place for e in _events(text)] == ["us-consulate-erbil"]


def test_a_name_followed_by_its_bearers_office_is_a_person_not_a_place():
    text = ("عنوان\n"
            "وكان أميد خوشناو، محافظ أربيل، أكد أمس إسقاط 3 طائرات مسيرة مفخخة استهدفت القوات الأمريكية في قرى "
            "شمالي المدينة.")
    assert _events(text) == []



def test_another_attack_told_next_is_made_with_the_same_weapon_unless_it_says():
    text = ("عنوان\n"
            "واستهدف هجوم صاروخي قاعدة عين الأسد العسكرية أمس. وتلاه هجوم ثان في اليوم نفسه على قاعدة بلد الجوية "
            "شمال بغداد.")
    assert {(e.place, e.weapon) for e in _events(text)} == {("ain-al-asad", "rocket"), ("balad-air-base", "rocket")}
    own = ("عنوان\n"
           "واستهدف هجوم صاروخي قاعدة عين الأسد العسكرية أمس. وتلاه هجوم ثان بطائرة مسيرة على قاعدة بلد الجوية.")
    assert {(e.place, e.weapon) for e in _events(own)} == {("ain-al-asad", "rocket"), ("balad-air-base", "drone")}


def test_the_base_refers_to_the_base_named_last_even_one_the_gazetteer_lacks():
    text = ("عنوان\n"
            "استهدفت طائرة مسيرة قاعدة حرير الجوية التي تضم قوات أمريكية أمس. والجمعة أعلنت الفصائل استهداف قاعدة "
            "خراب الجير الأمريكية في سوريا. وقالت الفصائل إنها قصفت القاعدة برشقة صاروخية.")
    assert [(e.place, e.weapon) for e in _events(text)] == [("harir-air-base", "drone")]
    # Described, not named, a base between them leaves the base meant as it was.
    again = ("عنوان\n"
             "استهدفت طائرة مسيرة قاعدة حرير الجوية أمس، وهي قاعدة عسكرية تضم قوات أمريكية. "
             "وقالت الفصائل إنها قصفت القاعدة برشقة صاروخية فجر اليوم.")
    assert ("harir-air-base", "rocket") in {(e.place, e.weapon) for e in _events(again)}



def test_a_wire_dateline_dates_the_stories_today_on_a_page_of_the_next_day():
    text = ("عنوان\n"
            "بغداد 20 نوفمبر 2023 (شينخوا) أفاد مصدر أمني بأن الأمطار أغلقت الطرق.\n"
            "وأعلنت خلية الإعلام الأمني في وقت سابق اليوم عن سقوط صاروخي كاتيوشا على معسكر تتواجد فيه قوات أجنبية "
            "في منطقة بسماية جنوب شرقي بغداد.")
    assert [(e.place, e.date) for e in _events(text, published=date(2023, 11, 21))] == [("besmaya", date(2023, 11, 20))]
    # A date in the sentence, with a weekday in brackets, is not a dateline.
    told = ("عنوان\n"
            "ذكر تقرير في 20 نوفمبر 2023 (الاثنين) أن الهجمات تصاعدت.\n"
            "وسقط صاروخا كاتيوشا اليوم على معسكر تتواجد فيه قوات أجنبية في منطقة بسماية.")
    assert [e.date for e in _events(told, published=date(2023, 11, 21))] == [date(2023, 11, 21)]


def test_a_claim_of_the_attack_told_keeps_its_place_not_the_base_named_before():
    text = ("تعرف على قاعدة حرير\n"
            "تعرضت محافظة أربيل لهجوم صاروخي أمس استهدف محيط مطار أربيل الذي تتمركز فيه قوات التحالف.\n"
            "وكانت مجموعة مسلحة أعلنت مسؤوليتها عن الهجوم على القاعدة الأمريكية.")
    assert {e.place for e in _events(text)} == {"erbil-airport"}


def test_whether_there_were_losses_is_no_condition():
    text = "عنوان\nأفادت مصادر أن طائرة مسيرة استهدفت قاعدة حرير أمس، ولم يتضح ما إذا كانت هناك خسائر بشرية."
    assert [e.place for e in _events(text)] == ["harir-air-base"]
    threat = "عنوان\nهددت الفصائل باستهداف قاعدة حرير إذا لم تنسحب القوات الأمريكية."
    assert _events(threat) == []


def test_the_base_abroad_is_not_the_base_named_before():
    text = ("عنوان\nاستهدفت طائرة مسيرة قاعدة عين الأسد أمس.\n"
            "وقبلها، وردت تقارير عن هجوم صاروخي على القاعدة الأمريكية في سوريا.")
    assert [(e.place, e.weapon) for e in _events(text)] == [("ain-al-asad", "drone")]


def test_a_clock_is_not_a_place():
    text = ("عنوان\nأفادت مصادر أمنية بأن انفجارا استهدف مساء الاثنين قافلة تنقل معدات للقوات الأمريكية قرب الحدود.\n"
            "ولم يتضح ما إذا كان جنود أمريكيون في القافلة، وقد وقع التفجير قبيل التاسعة مساء الاثنين بتوقيت بغداد.")
    assert "baghdad" not in {e.place for e in _events(text)}


def test_a_report_the_next_sentence_denies_is_no_attack():
    text = ("عنوان\nوقالت الخلية إن وسائل إعلام تناقلت خبرا عن سقوط صاروخ كاتيوشا قرب صالة مطار بغداد الدولي أمس.\n"
            "وأضافت: \"ننفي هذا الخبر تماما\".")
    assert _events(text) == []
    # A denial of losses only leaves the attack standing.
    kept = "عنوان\nسقط صاروخ كاتيوشا قرب صالة مطار بغداد الدولي أمس. ونفى مصدر وقوع إصابات."
    assert [e.place for e in _events(kept)] == ["baghdad-airport"]


def test_the_end_of_a_convoys_journey_is_not_where_it_was_hit():
    text = ("عنوان\nقال مصدر إن أرتالا أمريكية تحمل مواد لوجستية من الكويت إلى قاعدة عين الأسد تعرضت أمس إلى هجوم "
            "بصواريخ كاتيوشا على الطريق العام قرب سفوان.")
    assert [(e.place, e.weapon, e.target) for e in _events(text)] == [("safwan", "rocket", "convoy")]


def test_where_the_reporter_sits_is_not_the_attacks_place():
    text = "عنوان\nأفاد مراسلنا في بغداد بسقوط صاروخ كاتيوشا قرب السفارة الأمريكية أمس."
    assert [e.place for e in _events(text)] == ["us-embassy-baghdad"]
    told = "عنوان\nوقال مصدر أمني لمراسلة الوكالة في بغداد إن صاروخا سقط أمس على قاعدة عين الأسد."
    assert [e.place for e in _events(told)] == ["ain-al-asad"]
