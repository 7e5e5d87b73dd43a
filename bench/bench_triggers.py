"""Attack-word matching compared: surface forms, stems with affixes, and two offline Arabic stemmers.

    python bench/bench_triggers.py            # needs: pip install nltk tashaphyne (bench only)

Each matcher replaces the extractor's strong attack-word pattern and the whole extractor is scored on the
real-world corpus (tests/data/realworld), dev and held-back splits, so the numbers are end to end:
- surface: the exact-form list the extractor used before stems (kept here verbatim as the baseline);
- stems: rasd.extract.lexicon's stems with subject, object and possessive suffixes (what ships);
- isri: NLTK's ISRI root stemmer (Apache-2.0): a word is an attack word when its root is one of the
  roots of the stems;
- tashaphyne: Tashaphyne's light stemmer (GPL, so measured here and never shipped): a word is an attack
  word when its light stem is one of the stems' light stems.
Also prints how many of the gold evidence sentences each matcher fires on, and the words per second.
"""

from __future__ import annotations

import dataclasses
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import rasd.extract.extraction as extraction  # noqa: E402
from rasd.extract import lexicon as lexmod  # noqa: E402
from rasd.extract.normalize import normalize_arabic  # noqa: E402
from scoring import corpus_rows, score_folder  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "realworld"
# The exact-form list of the extractor before stems, as it stood (the baseline).
SURFACE = (
    "هجوم", "هجوما", "هجومين", "هجومان", "هجمة", "الهجومين",
    "استهداف", "استهدف", "استهدفت", "استهدفه", "استهدفها", "استهدفتها", "استهدفوا", "استهدفته",
    "هاجم", "هاجمت", "هاجموا", "قصف", "قصفت", "قصفوا", "القصف",
    "إسقاط طائرة", "إسقاط طائرتين", "إسقاط طائرات", "تدمير طائرة", "تدمير طائرتين", "اعتراض صاروخ",
    "اعتراض صواريخ", "اعتراض طائرة", "اعتراض طائرتين", "أسقطت طائرة", "أسقطت طائرتين", "اعتداء", "الاعتداء",
    "انفجار عبوة", "انفجار عبوتين", "انفجرت عبوة", "انفجرت عبوتان", "تفجير عبوة", "انفجار",
    "إحباط هجوم", "أحبطت", "أحبط", "سقط صاروخ", "سقط صاروخان", "سقطت", "سقطا", "سقطتا", "سقوط", "سقوط صاروخ",
    "انفجرتا", "استهدفتا", "تصدت", "تصدى", "اعترضت", "اعترض", "سقوط صواريخ", "سقوط قذائف", "سقط",
    "أطلقت", "أطلق", "إطلاق صواريخ", "إطلاق صاروخ", "إطلاق قذائف", "تعرض", "تعرضت", "تعرضها", "تعرضه",
    "دوي انفجار", "دوي انفجارات", "أسقطت", "أسقط", "انفجرت", "انفجر",
)
_WORD = re.compile(r"\w+")


class TokenMatcher:
    """A pattern-like object: .search(text) is truthy when a token's key is an attack key; .finditer yields each."""

    def __init__(self, key, keys: set[str]):
        self.key, self.keys, self.cache = key, keys, {}

    def search(self, text: str, *_):
        return next(self.finditer(text), None)

    def finditer(self, text: str, *_):
        """Every token whose key is an attack key, as matches (the extractor looks at each attack word)."""
        for m in _WORD.finditer(text):
            word = m.group()
            if word not in self.cache:
                self.cache[word] = self.key(word)
            if self.cache[word] in self.keys:
                yield m


def _stem_words() -> list[str]:
    return [normalize_arabic(w) for w in lexmod.STRONG_VERB_STEMS + lexmod.STRONG_NOUN_STEMS]


def matchers() -> dict[str, object]:
    """The strong-trigger matchers to compare, by name (stemmers only when installed)."""
    out: dict[str, object] = {
        "surface": lexmod.compile_words(SURFACE),
        "stems": lexmod.lexicon().strong,
    }
    try:
        from nltk.stem.isri import ISRIStemmer

        isri = ISRIStemmer()
        out["isri"] = TokenMatcher(isri.stem, {isri.stem(w) for w in _stem_words()})
    except ImportError:
        print("nltk not installed: isri skipped")
    try:
        from tashaphyne.stemming import ArabicLightStemmer

        light = ArabicLightStemmer()
        out["tashaphyne"] = TokenMatcher(light.light_stem, {light.light_stem(w) for w in _stem_words()})
    except ImportError:
        print("tashaphyne not installed: tashaphyne skipped")
    return out


def main() -> None:
    """Print the comparison table."""
    base = lexmod.lexicon()
    evidence = [normalize_arabic(r.evidence) for r in corpus_rows(CORPUS) if r.required]
    words = [w for e in evidence for w in _WORD.findall(e)] * 20
    print(f"{'matcher':<11} | {'evidence hit':>12} | {'words/s':>9} | " + " | ".join(
        f"{s} P / R / F1" for s in ("dev", "holdout", "all")))
    for name, pattern in matchers().items():
        hits = sum(bool(pattern.search(e)) for e in evidence)
        start = time.perf_counter()
        for w in words:
            pattern.search(w)
        speed = len(words) / (time.perf_counter() - start)
        lex = dataclasses.replace(base, strong=pattern)
        extraction.lexicon = lambda lex=lex: lex
        cells = []
        for split in ("dev", "holdout", "all"):
            result, _ = score_folder(CORPUS, split=split)
            cells.append(f"{result.precision:.2f} / {result.recall:.2f} / {result.f1:.2f}")
        print(f"{name:<11} | {hits:>5}/{len(evidence):<6} | {speed:>9.0f} | " + " | ".join(cells), flush=True)
    extraction.lexicon = lexmod.lexicon


if __name__ == "__main__":
    main()
