"""Interface labels: every key and vocabulary code has both languages."""

from __future__ import annotations

import re

import pytest

from rasd import vocab
from rasd.views import i18n
from rasd.views.i18n import LANGS, direction, is_rtl, label, labels, t

ARABIC = re.compile("[\u0600-\u06ff]")

# Keys the pages rely on; a missing one would show up as the raw key.
REQUIRED_KEYS = [
    "page.map", "page.timeline", "page.events", "page.places", "page.sources",
    "filter.start", "filter.end", "filter.weapon", "filter.target", "filter.outcome", "filter.governorate",
    "filter.place", "filter.claimant", "filter.outlet", "filter.q",
    "preset.all", "preset.last30", "preset.year",
    "button.reset", "button.copy_link", "download.csv", "download.geojson", "download.citation",
    "map.legend", "event.date_precision", "event.geo_precision", "empty.no_events", "notices.header",
]


@pytest.mark.parametrize("key", REQUIRED_KEYS)
def test_required_keys_exist(key):
    assert i18n.has_key(key)
    assert t(key, "en") != key and t(key, "ar") != key


@pytest.mark.parametrize("key", i18n.keys())
def test_every_key_has_both_languages(key):
    en, ar = t(key, "en"), t(key, "ar")
    assert en.strip() and ar.strip()
    assert not ARABIC.search(en), key
    assert ARABIC.search(ar) or ar == en, key
    assert re.findall(r"\{(\w+)\}", en) == re.findall(r"\{(\w+)\}", ar), key


@pytest.mark.parametrize(
    ("key", "lang", "expected"),
    [
        ("page.map", "en", "Map"),
        ("page.map", "ar", "الخريطة"),
        ("page.timeline", "en", "Timeline"),
        ("button.reset", "en", "Reset filters"),
        ("no.such.key", "en", "no.such.key"),
        ("no.such.key", "ar", "no.such.key"),
        ("page.map", "fr", "Map"),
    ],
)
def test_t(key, lang, expected):
    assert t(key, lang) == expected


def test_t_formats_values():
    assert t("count.shown", "en", shown=3, total=10) == "Showing 3 of 10"
    assert t("count.shown", "ar", shown=3, total=10) == "عرض 3 من 10"


@pytest.mark.parametrize(("kind", "codes"), list(i18n.VOCAB_KINDS.items()))
def test_every_vocabulary_code_has_labels(kind, codes):
    assert tuple(labels(kind, "en")) == tuple(codes)
    for code in codes:
        en, ar = label(kind, code, "en"), label(kind, code, "ar")
        assert en and en != code
        assert ARABIC.search(ar), (kind, code)


@pytest.mark.parametrize(
    ("kind", "code", "lang", "expected"),
    [
        ("weapon", "drone", "ar", "طائرة مسيّرة"),
        ("weapon", "rocket", "ar", "صاروخ"),
        ("weapon", "mortar", "ar", "هاون"),
        ("weapon", "ied", "ar", "عبوة ناسفة"),
        ("weapon", "gunfire", "ar", "إطلاق نار"),
        ("weapon", "unknown", "ar", "غير معروف"),
        ("weapon", "ied", "en", "IED"),
        ("target", "embassy", "en", "Embassy"),
        ("outcome", "fell_nearby", "en", "Fell nearby"),
        ("date_precision", "approximate", "en", "Approximate"),
        ("geo_precision", "site", "ar", "موقع محدد"),
        ("weapon", "tank", "en", "tank"),
        ("nosuchkind", "x", "ar", "x"),
    ],
)
def test_label(kind, code, lang, expected):
    assert label(kind, code, lang) == expected


@pytest.mark.parametrize(("kind", "codes"), [("weapon_attack", vocab.WEAPONS), ("target_one", vocab.TARGETS),
                                             ("target_many", vocab.TARGETS), ("outcome_phrase", vocab.OUTCOMES),
                                             ("month", tuple(str(m) for m in range(1, 13)))])
def test_sentence_tables_cover_the_vocabularies(kind, codes):
    assert tuple(labels(kind, "en")) == codes and tuple(labels(kind, "ar")) == codes


def test_rtl():
    assert LANGS == ("en", "ar")
    assert is_rtl("ar") and not is_rtl("en")
    assert direction("ar") == "rtl" and direction("en") == "ltr"
