"""Rules alone against rules plus a trained filter: a classifier over character n-grams and rule features.

    python bench/bench_classifier.py            # needs: pip install scikit-learn (bench only)

The extractor proposes events; a logistic regression over character n-grams of each event's evidence
sentence plus the rules' own features (weapon, target, place kind, how precise the date and place
are, whether a claimant or casualties were read, whether the sentence is the title) says how likely
the proposal is a real attack, and proposals under a threshold are dropped before articles are merged.

Trained on the real-world corpus's dev split and the red-team corpus (tests/data/redteam); the
threshold is chosen by cross-validation on the dev split only (folds keep the reports of one attack
together). The held-back split is scored once, with the model trained on everything else: it says
whether the filter generalises. A proposal is labelled an attack when it matches a required row that
names its article (place, weapon and date as tests/scoring.py checks them); proposals matching only an
optional row are left out of training.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import numpy as np  # noqa: E402
from scipy.sparse import hstack  # noqa: E402
from sklearn.feature_extraction import DictVectorizer  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402

from geo.gazetteer import default_gazetteer  # noqa: E402
from rasd.articles import load_articles  # noqa: E402
from rasd.extract.extraction import extract_article  # noqa: E402
from rasd.extract.merging import merge_events  # noqa: E402
from rasd.extract.normalize import normalize_arabic  # noqa: E402
from rasd.models import Article, Event  # noqa: E402
from scoring import corpus_rows, prefix, score, splits  # noqa: E402

REALWORLD = ROOT / "tests" / "data" / "realworld"
REDTEAM = ROOT / "tests" / "data" / "redteam"
THRESHOLDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6)
FOLDS = 5


def _features(e: Event, article: Article) -> dict[str, object]:
    """The rules' view of a proposal, as named features."""
    gaz = default_gazetteer()
    kind = gaz.get(e.place).kind if e.place in {p.id for p in gaz.places} else "?"
    title_end = len(article.text.split("\n", 1)[0])
    return {
        "weapon=" + e.weapon: 1, "target=" + e.target: 1, "kind=" + kind: 1,
        "date=" + e.date_precision: 1, "geo=" + e.geo_precision: 1, "outcome=" + e.outcome: 1,
        "claimed": float(bool(e.claimed_by)), "casualties": float(e.killed is not None or e.wounded is not None),
        "projectiles": float(e.projectiles is not None), "title": float(e.sources[0].start < title_end),
        "reports": float(len(e.sources)),
    }


class Proposal:
    """One per-article event with its article, group, label and features."""

    def __init__(self, event: Event, article: Article, group: str, label: int | None):
        self.event, self.article, self.group, self.label = event, article, group, label
        self.text = normalize_arabic(" ".join(s.evidence for s in event.sources))
        self.rules = _features(event, article)


def _proposals(folder: Path, *, tag: str) -> tuple[list[Proposal], dict[str, str], list]:
    loaded = load_articles([folder])
    rows = corpus_rows(folder)
    split_by = splits(rows, [a.file for a in loaded.articles])
    out = []
    for article in loaded.articles:
        p = prefix(article.file)
        mine = [r for r in rows if p in r.articles]
        for e in extract_article(article):
            if any(r.required and r.matches(e) for r in mine):
                label = 1
            elif any(r.matches(e) for r in mine):
                label = None
            else:
                label = 0
            out.append(Proposal(e, article, f"{tag}:{split_by[p]}:{_group(p, rows)}", label))
    return out, {f"{tag}:{k}": v for k, v in split_by.items()}, rows


def _group(p: str, rows) -> str:
    """The lowest article number among the articles reported together with this one."""
    linked = {p}
    for r in rows:
        if linked & r.articles:
            linked |= r.articles
    return min(linked)


class Filter:
    """TF-IDF character n-grams plus rule features into a balanced logistic regression."""

    def fit(self, proposals: list[Proposal]) -> "Filter":
        train = [p for p in proposals if p.label is not None]
        self.chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=2, sublinear_tf=True)
        self.rules = DictVectorizer()
        x = hstack([self.chars.fit_transform([p.text for p in train]), self.rules.fit_transform([p.rules for p in train])])
        self.model = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
        self.model.fit(x, [p.label for p in train])
        return self

    def prob(self, proposals: list[Proposal]) -> np.ndarray:
        x = hstack([self.chars.transform([p.text for p in proposals]), self.rules.transform([p.rules for p in proposals])])
        return self.model.predict_proba(x)[:, 1]


def _score(proposals: list[Proposal], probs, threshold: float, rows) -> tuple[float, float, float, int, int]:
    kept = [p.event for p, q in zip(proposals, probs) if q >= threshold]
    s = score(merge_events(kept), rows)
    return s.precision, s.recall, s.f1, s.found, s.extra


def _rows_of(proposals: list[Proposal], rows) -> list:
    kept = {prefix(p.article.file) for p in proposals}
    return [r for r in rows if min(r.articles) in kept]


def main() -> None:
    """Print rules-alone and rules-plus-filter scores: dev by cross-validation, then the held-back split."""
    started = time.perf_counter()
    real, _, rows = _proposals(REALWORLD, tag="real")
    red, _, _ = _proposals(REDTEAM, tag="red")
    dev = [p for p in real if ":dev:" in p.group]
    holdout = [p for p in real if ":holdout:" in p.group]
    print(f"proposals: dev {len(dev)} ({sum(p.label == 1 for p in dev)} attacks), red-team {len(red)}, "
          f"held back {len(holdout)}; built in {time.perf_counter() - started:.1f}s")

    # Out-of-fold probabilities on dev: folds by attack group, the red-team corpus always in training.
    groups = sorted({p.group for p in dev})
    fold_of = {g: i % FOLDS for i, g in enumerate(groups)}
    oof = np.zeros(len(dev))
    for k in range(FOLDS):
        train = [p for p in dev if fold_of[p.group] != k] + red
        test_idx = [i for i, p in enumerate(dev) if fold_of[p.group] == k]
        if not test_idx:
            continue
        model = Filter().fit(train)
        oof[test_idx] = model.prob([dev[i] for i in test_idx])
    dev_rows = _rows_of(dev, rows)
    print(f"\n{'dev (cross-validated)':<24} | {'threshold':>9} | {'P':>5} | {'R':>5} | {'F1':>5} | found | extra")
    best = (0.0, -1.0)
    for t in THRESHOLDS:
        p, r, f1, found, extra = _score(dev, oof, t, dev_rows)
        label = "rules alone" if t == 0 else "rules + filter"
        print(f"{label:<24} | {t:>9.1f} | {p:>5.2f} | {r:>5.2f} | {f1:>5.2f} | {found:>5} | {extra:>5}")
        if f1 > best[1] + 1e-9:
            best = (t, f1)
    threshold = best[0]

    model = Filter().fit(dev + red)
    probs = model.prob(holdout)
    hold_rows = _rows_of(holdout, rows)
    print(f"\n{'held back':<24} | {'threshold':>9} | {'P':>5} | {'R':>5} | {'F1':>5} | found | extra")
    for label, t in (("rules alone", 0.0), ("rules + filter", threshold)):
        p, r, f1, found, extra = _score(holdout, probs, t, hold_rows)
        print(f"{label:<24} | {t:>9.1f} | {p:>5.2f} | {r:>5.2f} | {f1:>5.2f} | {found:>5} | {extra:>5}")
    print(f"\nthreshold chosen on dev: {threshold:.1f}; total {time.perf_counter() - started:.1f}s")


if __name__ == "__main__":
    main()
