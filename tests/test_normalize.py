"""Arabic normalisation: every spelling variant the press uses folds to one form."""

from __future__ import annotations

import pytest

from rasd.extract.normalize import (
    FoldedText,
    _with_offsets_per_char,
    normalize_arabic,
    normalize_digits,
    normalize_with_offsets,
)

FOLDS = [
    # diacritics and shadda
    ("عيّن الأسد", "عين الاسد"),
    ("مسيَّرة", "مسيره"),
    ("فجرَ أمسِ", "فجر امس"),
    # tatweel
    ("الـمسيرة", "المسيره"),
    ("بـ 6 صواريخ", "ب 6 صواريخ"),
    # alef forms and hamza seats
    ("إحباط", "احباط"),
    ("آب", "اب"),
    ("ٱلأنبار", "الانبار"),
    ("مسؤول", "مسوول"),
    ("طائرة", "طايره"),
    # alef maqsura, taa marbuta
    ("مستشفى", "مستشفي"),
    ("قاعدة", "قاعده"),
    # Persian letters in Arabic text
    ("کركوك", "كركوك"),
    ("فی", "في"),
    # Eastern Arabic and Persian digits, Arabic punctuation
    ("٣٠ / ٥ / ٢٠٢٢", "30 / 5 / 2022"),
    ("۲۰۲۴", "2024"),
    ("بغداد، الأنبار؛ أربيل؟", "بغداد, الانبار; اربيل?"),
    # bidi marks, no-break spaces, white space, Latin case
    ("\u200fعين\u00a0الأسد\u200e", "عين الاسد"),
    ("  Ain   al-Asad ", "ain al-asad"),
    # quotation marks
    ("“عين الأسد”", '"عين الاسد"'),
]


@pytest.mark.parametrize("raw,folded", FOLDS)
def test_fold(raw, folded):
    assert normalize_arabic(raw) == folded


@pytest.mark.parametrize("raw,folded", FOLDS)
def test_offsets_point_back_into_the_original(raw, folded):
    text, offsets = normalize_with_offsets(raw)
    assert len(text) == len(offsets)
    assert all(0 <= o < len(raw) for o in offsets)
    assert offsets == sorted(offsets)
    # Folding is the same whichever function does it (bar the space collapsing and NFKC).
    assert normalize_arabic(text) == folded


@pytest.mark.parametrize("raw", ["", "İstanbul عين الأسد", "abc", "ـــ", "عيّن"])
def test_fast_path_equals_per_character_path(raw):
    assert normalize_with_offsets(raw) == _with_offsets_per_char(raw)


def test_fast_path_equals_per_character_path_on_the_seeds(seeds_dir):
    for path in sorted(seeds_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        assert normalize_with_offsets(text) == _with_offsets_per_char(text), path.name


@pytest.mark.parametrize("raw,ascii_digits", [("٣٠/٥", "30/5"), ("۱۲ أيار", "12 أيار"), ("عيّن", "عيّن")])
def test_normalize_digits_changes_digits_only(raw, ascii_digits):
    assert normalize_digits(raw) == ascii_digits


@pytest.mark.parametrize("raw", ["عيّن الأسد، بـ 6 صواريخ", "İstanbul عين", "", "ـ", "أمس الثلاثاء\n\nفجرَ"])
def test_folded_text_slices_equal_folding_the_slice(raw):
    folded = FoldedText(raw)
    for start in range(len(raw) + 1):
        for end in range(start, len(raw) + 1):
            assert folded.slice(start, end) == normalize_with_offsets(raw[start:end])[0]
