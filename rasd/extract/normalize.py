"""Arabic text normalisation: the one place that decides when two Arabic spellings are the same."""

from __future__ import annotations

import re
import unicodedata

# Harakat, tanween, shadda, sukun, superscript alef, Quranic marks.
_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_TRANSLATE = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ى": "ي", "ئ": "ي", "ؤ": "و",
        "ة": "ه",
        "ک": "ك", "ی": "ي", "ھ": "ه", "ۀ": "ه",
        "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
        "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
        "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4",
        "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
        "\u060c": ",",  # Arabic comma
        "\u061b": ";",  # Arabic semicolon
        "\u061f": "?",  # Arabic question mark
        "\u066b": ".",  # Arabic decimal separator
        "\u066c": ",",  # Arabic thousands separator
        "\u200c": None, "\u200d": None, "\u200e": None, "\u200f": None,
        "\u202a": None, "\u202b": None, "\u202c": None, "\u202d": None, "\u202e": None,
        "\u00a0": " ",
        "“": '"', "”": '"', "«": '"', "»": '"', "„": '"', "‘": "'", "’": "'",
    }
)
_SPACES = re.compile(r"\s+")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")


def normalize_digits(text: str) -> str:
    """Replace Eastern Arabic and Persian digits with ASCII digits, nothing else."""
    return text.translate(_DIGITS)


def normalize_arabic(text: str) -> str:
    """Fold an Arabic string to its comparison form.

    Strips diacritics and tatweel, unifies alef/hamza forms, alef maqsura and yeh,
    taa marbuta and heh, Eastern Arabic digits and punctuation, lower-cases Latin
    letters and collapses white space.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    text = text.translate(_TRANSLATE).lower()
    return _SPACES.sub(" ", text).strip()


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """Normalise character by character, keeping each output character's offset in the input.

    Unlike normalize_arabic this neither collapses spaces nor applies NFKC, so that
    a span found in the normalised text maps back onto the original text.
    """
    lowered = text.lower()
    if len(lowered) != len(text):
        # A few letters lower-case to two characters; keep offsets exact for them the slow way.
        return _with_offsets_per_char(text)
    out: list[str] = []
    offsets: list[int] = []
    pos = 0
    # Most characters map to themselves: copy the runs between characters that change in one go.
    for m in _CHANGING.finditer(lowered):
        i = m.start()
        if i > pos:
            out.append(lowered[pos:i])
            offsets.extend(range(pos, i))
        replacement = _CHAR_MAP[lowered[i]]
        out.append(replacement)
        offsets.extend([i] * len(replacement))
        pos = i + 1
    if pos < len(lowered):
        out.append(lowered[pos:])
        offsets.extend(range(pos, len(lowered)))
    return "".join(out), offsets


class FoldedText:
    """A text folded once, so any stretch of it can be read in folded form by original offsets."""

    __slots__ = ("text", "_index")

    def __init__(self, original: str) -> None:
        self.text, offsets = normalize_with_offsets(original)
        # _index[i]: where original position i starts in the folded text (its first folded character).
        index = [len(self.text)] * (len(original) + 1)
        for j in range(len(offsets) - 1, -1, -1):
            index[offsets[j]] = j
        for i in range(len(original) - 1, -1, -1):
            if index[i] > index[i + 1]:
                index[i] = index[i + 1]
        self._index = index

    def slice(self, start: int, end: int) -> str:
        """The folded form of original[start:end]."""
        return self.text[self._index[start]:self._index[end]]


def _with_offsets_per_char(text: str) -> tuple[str, list[int]]:
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        if ch == _TATWEEL or _DIACRITICS.match(ch):
            continue
        for m in ch.translate(_TRANSLATE).lower():
            out.append(m)
            offsets.append(i)
    return "".join(out), offsets


def _char_map() -> dict[str, str]:
    table = {chr(k): (v if isinstance(v, str) else "" if v is None else chr(v)) for k, v in _TRANSLATE.items()}
    table[_TATWEEL] = ""
    for code in [*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670, *range(0x06D6, 0x06EE)]:
        table[chr(code)] = ""
    return table


_CHAR_MAP = _char_map()
_CHANGING = re.compile("[" + re.escape("".join(_CHAR_MAP)) + "]")
