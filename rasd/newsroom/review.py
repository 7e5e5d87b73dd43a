"""Review decisions: editors verify, reject, edit, merge and split events, and the store re-applies them.

A decision is stored apart from the machine output (the `decisions` and `decision_anchors` tables of
rasd.store), keyed to what it is about: the mentions it concerns, each by its article's content hash
(Article.sha256) and its evidence span (offsets, seq and sentence). Every rebuild of the events (ingest,
`--reextract`, a new extractor) runs the machine merge, then replays every decision in the order they were
made (Ledger); a decision none of whose mentions exists any more is kept and listed as orphaned.

Writes go through Review, whose every write takes an Editor (rasd.newsroom.users) and confirms it against
the users file first. Each event carries a version, raised by every decision applied to it; an edit made on
an older version raises ConflictError and leaves the first change in place.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import TYPE_CHECKING, Any

import pandas as pd

from rasd import vocab
from rasd.errors import AuthError, ConflictError, GazetteerError, ReviewError
from rasd.extract.normalize import normalize_digits
from rasd.models import Event

if TYPE_CHECKING:
    from geo.gazetteer import Gazetteer
    from rasd.newsroom.users import Editor
    from rasd.store import Store

KINDS = ("verify", "reject", "edit", "merge", "split")
STATES = ("applied", "orphaned")
# Fields an edit may set (Event field names); `claimant` is read as claimed_by.
EDITABLE = (
    "date", "date_earliest", "date_latest", "date_precision", "place", "lat", "lon", "geo_precision",
    "weapon", "projectiles", "target", "outcome", "killed", "wounded", "claimed_by",
)
ALIASES = {"claimant": "claimed_by", "precision": "date_precision"}
DATE_KEYS = ("date", "date_earliest", "date_latest")
COUNT_KEYS = ("projectiles", "killed", "wounded")
MAX_COUNT = 100_000
MAX_TEXT = 200
MAX_COMMENT = 2000
# Roles of a decision's anchors: the event decided on, the other event of a merge, the article split out.
ROLES = ("event", "other", "split")
AUDIT_COLUMNS = ("decision", "when", "who", "action", "event", "other_event", "article", "before", "after",
                 "comment", "state")

_CODES = {"weapon": vocab.WEAPONS, "target": vocab.TARGETS, "outcome": vocab.OUTCOMES,
          "date_precision": vocab.DATE_PRECISIONS, "geo_precision": vocab.GEO_PRECISIONS}


@dataclass(frozen=True, slots=True)
class MentionRef:
    """A stored mention as decisions see it: its article's content hash and its first evidence span."""

    id: int
    article: str
    sha256: str
    seq: int
    start: int
    end: int
    evidence: str


@dataclass(frozen=True, slots=True)
class Anchor:
    """What a decision is about: one mention, by content hash and evidence span, in a role."""

    role: str
    sha256: str
    article: str
    seq: int
    start: int
    end: int
    evidence: str

    @classmethod
    def of(cls, role: str, ref: MentionRef) -> "Anchor":
        """The anchor of a stored mention."""
        return cls(role, ref.sha256, ref.article, ref.seq, ref.start, ref.end, ref.evidence)


@dataclass(frozen=True, slots=True)
class Decision:
    """One editor's decision, with what it changed; `state` and `events` say where it applies now."""

    id: int
    kind: str
    editor: str
    at: str
    event_id: str
    other_id: str = ""
    article: str = ""
    comment: str = ""
    changes: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)
    after: dict[str, Any] = field(default_factory=dict)
    anchors: tuple[Anchor, ...] = ()
    state: str = "applied"
    events: tuple[str, ...] = ()

    @property
    def orphaned(self) -> bool:
        """True when none of the mentions it is about exists any more."""
        return self.state == "orphaned"

    def audit_row(self) -> list[Any]:
        """The decision in AUDIT_COLUMNS order (before/after as JSON text)."""
        return [self.id, self.at, self.editor, self.kind, self.event_id, self.other_id, self.article,
                _json(self.before), _json(self.after), self.comment, self.state]


@dataclass(slots=True)
class Working:
    """An event while decisions are replayed: its mentions, its machine values, the edits over them."""

    id: str
    members: list[int]
    base: Event
    edits: dict[str, Any] = field(default_factory=dict)
    review: str = "unreviewed"
    version: int = 1
    edited: bool = False

    def effective(self) -> Event:
        """The event as the public sees it: machine values with the edits applied."""
        event = dataclasses.replace(self.base, sources=list(self.base.sources))
        apply_edits(event, self.edits)
        event.id, event.review, event.version = self.id, self.review, self.version
        return event


@dataclass(frozen=True, slots=True)
class Outcome:
    """Where a replayed decision applied (event ids), or that it is orphaned."""

    state: str
    events: tuple[str, ...] = ()


class Ledger:
    """Events with their mentions, to which decisions are applied in the order they were made."""

    def __init__(
        self,
        events: Iterable[Working],
        mentions: Mapping[int, tuple[MentionRef, Event]],
        *,
        taken: Callable[[str], bool] | None = None,
    ) -> None:
        self.events: dict[str, Working] = {w.id: w for w in events}
        self.mentions = dict(mentions)
        self.owner = {m: w.id for w in self.events.values() for m in w.members}
        self.changed: set[str] = set()
        self.removed: set[str] = set()
        self._taken = taken or (lambda _id: False)
        self._exact: dict[tuple[str, int, int], list[int]] = defaultdict(list)
        self._by_sha: dict[str, list[MentionRef]] = defaultdict(list)
        for ref, _ in self.mentions.values():
            self._by_sha[ref.sha256].append(ref)
            if ref.start >= 0:
                self._exact[(ref.sha256, ref.start, ref.end)].append(ref.id)

    def resolve(self, anchors: Iterable[Anchor]) -> list[str]:
        """The events holding the anchored mentions, the one holding most first."""
        counts: Counter[str] = Counter()
        for anchor in anchors:
            for mention in self._match(anchor):
                owner = self.owner.get(mention)
                if owner is not None:
                    counts[owner] += 1
        return [e for e, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def _match(self, anchor: Anchor) -> list[int]:
        if anchor.start >= 0:
            exact = self._exact.get((anchor.sha256, anchor.start, anchor.end))
            if exact:
                return exact
        same = self._by_sha.get(anchor.sha256, [])
        by_seq = [r.id for r in same if r.seq == anchor.seq and r.evidence == anchor.evidence]
        if by_seq or anchor.start < 0:
            return by_seq
        # A new extractor may cut the sentence a little differently: the mention overlapping it most.
        overlaps = {r.id: min(r.end, anchor.end) - max(r.start, anchor.start) for r in same if r.start >= 0}
        best = max(overlaps.values(), default=0)
        return [m for m, o in overlaps.items() if o == best] if best > 0 else []

    def apply(self, decision: Decision) -> Outcome:
        """Apply one decision to the events it is about now."""
        anchors = {role: [a for a in decision.anchors if a.role == role] for role in ROLES}
        if decision.kind in ("verify", "reject", "edit"):
            targets = self.resolve(anchors["event"])
            for event_id in targets:
                self._decide(self.events[event_id], decision)
            return Outcome("applied", tuple(targets)) if targets else Outcome("orphaned")
        if decision.kind == "merge":
            into, other = self.resolve(anchors["event"]), self.resolve(anchors["other"])
            if not into or not other:
                return Outcome("orphaned")
            if into[0] == other[0]:
                return Outcome("applied", (into[0],))
            return Outcome("applied", (self._merge(self.events[into[0]], self.events[other[0]]),))
        if decision.kind == "split":
            found = self.resolve(anchors["split"])
            if not found:
                return Outcome("orphaned")
            shas = {a.sha256 for a in anchors["split"]}
            return Outcome("applied", self._split(self.events[found[0]], shas, decision.id))
        raise ReviewError(f"unknown decision kind {decision.kind!r}")

    def _decide(self, w: Working, decision: Decision) -> None:
        if decision.kind == "verify":
            w.review = "edited" if w.edited else "verified"
        elif decision.kind == "reject":
            w.review = "rejected"
        else:
            w.edits.update(decision.changes)
            w.edited = True
            w.review = "rejected" if w.review == "rejected" else "edited"
        w.version += 1
        self.changed.add(w.id)

    def _combine(self, members: list[int]) -> Event:
        from rasd.extract.merging import combine

        return combine([self.mentions[m][1] for m in members])

    def _ordered(self, members: Iterable[int]) -> list[int]:
        # The machine merge reads mentions by article then seq: the same order keeps combine() its equal.
        return sorted(set(members), key=lambda m: (self.mentions[m][0].article, self.mentions[m][0].seq, m))

    def _merge(self, a: Working, b: Working) -> str:
        members = self._ordered(a.members + b.members)
        a.members, a.base = members, self._combine(members)
        a.edits = {**b.edits, **a.edits}
        a.review = "rejected" if a.review == b.review == "rejected" else "edited"
        a.version = max(a.version, b.version) + 1
        a.edited = True
        for m in b.members:
            self.owner[m] = a.id
        del self.events[b.id]
        self.changed.discard(b.id)
        self.removed.add(b.id)
        self.changed.add(a.id)
        return a.id

    def _split(self, w: Working, shas: set[str], decision_id: int) -> tuple[str, ...]:
        out = [m for m in w.members if self.mentions[m][0].sha256 in shas]
        rest = [m for m in w.members if self.mentions[m][0].sha256 not in shas]
        if not out or not rest:
            return (w.id,)
        w.members, w.base = rest, self._combine(rest)
        w.version += 1
        w.edited = True
        if w.review != "rejected":
            w.review = "edited"
        new_id = self._new_id(decision_id)
        self.events[new_id] = Working(new_id, out, self._combine(out))
        for m in out:
            self.owner[m] = new_id
        self.removed.discard(new_id)
        self.changed.update((w.id, new_id))
        return (w.id, new_id)

    def _new_id(self, decision_id: int) -> str:
        base = candidate = hashlib.sha1(f"split|{decision_id}".encode("utf-8")).hexdigest()[:12]
        n = 0
        while candidate in self.events or (candidate not in self.removed and self._taken(candidate)):
            n += 1
            candidate = f"{base[:9]}{n:03x}"
        return candidate


# Edits: validation and application.

def apply_edits(event: Event, edits: Mapping[str, Any]) -> None:
    """Set an event's fields from validated edit values (JSON form: ISO dates)."""
    for key, value in edits.items():
        if key in DATE_KEYS:
            setattr(event, key, date.fromisoformat(value) if value else None)
        else:
            setattr(event, key, value)


def validate_changes(changes: Mapping[str, Any], current: Event, *, gazetteer: Gazetteer) -> dict[str, Any]:
    """The edit values to store (JSON form, place and dates expanded), only those that change something."""
    if not isinstance(changes, Mapping) or not changes:
        raise ReviewError("an edit needs at least one field=value")
    given: dict[str, Any] = {}
    for raw_key, value in changes.items():
        key = ALIASES.get(_key(raw_key), _key(raw_key))
        if key not in EDITABLE:
            raise ReviewError(f"cannot edit {str(raw_key)[:40]!r}: the fields are {', '.join(EDITABLE)}, claimant")
        given[key] = value
    out: dict[str, Any] = {}
    for key in ("weapon", "target", "outcome", "date_precision", "geo_precision"):
        if key in given:
            out[key] = _code(key, given[key])
    for key in COUNT_KEYS:
        if key in given:
            out[key] = _count(key, given[key])
    if "claimed_by" in given:
        out["claimed_by"] = _text("claimed_by", given["claimed_by"])
    if "place" in given:
        out.update(_place(given["place"], gazetteer, precision=out.get("geo_precision")))
    if "lat" in given or "lon" in given:
        if "lat" not in given or "lon" not in given:
            raise ReviewError("lat and lon go together")
        out["lat"] = _coordinate("lat", given["lat"], (-90.0, 90.0))
        out["lon"] = _coordinate("lon", given["lon"], (-180.0, 180.0))
        out.setdefault("geo_precision", "site")
    for key in DATE_KEYS:
        if key in given:
            out[key] = _day(key, given[key])
    if "date" in out:
        day = out["date"]
        out.setdefault("date_earliest", day)
        out.setdefault("date_latest", day)
        if "date_precision" not in out:
            if day is None:
                out["date_precision"] = "unknown"
            elif out["date_earliest"] == out["date_latest"]:
                out["date_precision"] = "day"
            else:
                out["date_precision"] = current.date_precision if current.date_precision != "unknown" else "approximate"
    _check_dates(current, out)
    now = event_values(current)
    changed = {k: v for k, v in out.items() if now.get(k) != v}
    if not changed:
        raise ReviewError("nothing to change: the event already has these values")
    return changed


def event_values(event: Event) -> dict[str, Any]:
    """An event's editable fields in JSON form (plus place_name and governorate)."""
    values: dict[str, Any] = {}
    for key in (*EDITABLE, "place_name", "governorate"):
        value = getattr(event, key)
        values[key] = value.isoformat() if isinstance(value, date) else value
    return values


def _key(raw: object) -> str:
    return re.sub(r"[\s-]+", "_", str(raw).strip().lower())


def _code(key: str, value: object) -> str:
    code = re.sub(r"[\s-]+", "_", str(value).strip().lower())
    if code not in _CODES[key]:
        raise ReviewError(f"{key} {str(value)[:40]!r} is not one of {', '.join(_CODES[key])}")
    return code


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in ("", "none", "null"))


def _count(key: str, value: object) -> int | None:
    if _blank(value):
        return None
    if isinstance(value, bool):
        raise ReviewError(f"{key} must be a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = normalize_digits(str(value).strip())
        if not text.isdigit():
            raise ReviewError(f"{key} must be a whole number, not {str(value)[:40]!r}")
        number = int(text)
    if not 0 <= number <= MAX_COUNT:
        raise ReviewError(f"{key} must be between 0 and {MAX_COUNT:,}")
    return number


def _text(key: str, value: object) -> str:
    if _blank(value):
        return ""
    text = "".join(" " if unicodedata.category(ch)[0] == "C" else ch for ch in str(value))
    text = " ".join(text.split())
    if len(text) > MAX_TEXT:
        raise ReviewError(f"{key} has at most {MAX_TEXT} characters")
    return text


def _coordinate(key: str, value: object, bounds: tuple[float, float]) -> float:
    try:
        number = float(normalize_digits(str(value).strip()))
    except ValueError:
        raise ReviewError(f"{key} must be a number, not {str(value)[:40]!r}") from None
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        raise ReviewError(f"{key} must be between {bounds[0]:g} and {bounds[1]:g}")
    return round(number, 6)


def _day(key: str, value: object) -> str | None:
    if _blank(value):
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = normalize_digits(str(value).strip())
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    raise ReviewError(f"{key} must be a date like 2024-01-31, not {str(value)[:40]!r}")


def _check_dates(current: Event, out: dict[str, Any]) -> None:
    def pick(key: str) -> str | None:
        if key in out:
            return out[key]
        value = getattr(current, key)
        return value.isoformat() if value else None

    best, low, high = pick("date"), pick("date_earliest"), pick("date_latest")
    if low and high and low > high:
        raise ReviewError(f"date_earliest {low} is after date_latest {high}")
    if best and ((low and best < low) or (high and best > high)):
        raise ReviewError(f"date {best} is outside {low or '…'} – {high or '…'}")


def _place(value: object, gazetteer: Gazetteer, *, precision: str | None) -> dict[str, Any]:
    from rasd.extract.extraction import GEO_PRECISION_BY_KIND

    place_id = str(value).strip().lower()
    try:
        place = gazetteer.get(place_id)
    except GazetteerError:
        raise ReviewError(f"no place {place_id[:60]!r} in the gazetteer") from None
    return {"place": place.id, "place_name": place.name_en, "lat": place.lat, "lon": place.lon,
            "governorate": place.governorate,
            "geo_precision": precision or GEO_PRECISION_BY_KIND.get(place.kind, "town")}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _comment(comment: str) -> str:
    if not isinstance(comment, str):
        raise ReviewError("a comment is text")
    text = "".join(ch for ch in comment if ch in "\n\t" or unicodedata.category(ch)[0] != "C").strip()
    if len(text) > MAX_COMMENT:
        raise ReviewError(f"a comment has at most {MAX_COMMENT} characters")
    return text


def _confirmed(by: object) -> Editor:
    from rasd.newsroom.users import Editor

    if not isinstance(by, Editor):
        raise AuthError("review decisions need a signed-in editor (an Editor from UserStore)")
    by.confirm()
    return by


def _wanted_statuses(status: str | Iterable[str] | None) -> tuple[str, ...]:
    if status is None:
        return vocab.REVIEW_STATUSES
    wanted = [status] if isinstance(status, str) else list(status)
    codes = {str(s).strip().lower() for w in wanted for s in str(w).split(",") if str(s).strip()}
    unknown = sorted(codes - set(vocab.REVIEW_STATUSES))
    if unknown:
        raise ReviewError(f"unknown review status {unknown[0]!r}: not one of {', '.join(vocab.REVIEW_STATUSES)}")
    return tuple(s for s in vocab.REVIEW_STATUSES if s in codes) or vocab.REVIEW_STATUSES


class Review:
    """The newsroom's review of one store: lists, decisions and the audit trail."""

    def __init__(self, store: Store) -> None:
        self.store = store

    # Reading

    def review_list(self, status: str | Iterable[str] | None = None) -> pd.DataFrame:
        """Every event (rejected ones too) with its review status and version, optionally of some statuses."""
        frame = self.store.events_frame(include_rejected=True)
        wanted = _wanted_statuses(status)
        if wanted == vocab.REVIEW_STATUSES:
            return frame
        return frame.loc[frame["review"].isin(wanted)].reset_index(drop=True)

    def event(self, event_id: str) -> Event | None:
        """One event, rejected or not, with its review status and version."""
        return self.store.event(event_id, include_rejected=True)

    def decisions(self) -> list[Decision]:
        """Every decision, oldest first."""
        return self.store.decisions()

    def audit(self, event_id: str | None = None) -> list[Decision]:
        """The decisions about one event (or all), oldest first."""
        return self.store.decisions(event_id=event_id)

    def orphaned_decisions(self) -> list[Decision]:
        """Decisions whose mentions no longer exist (their article changed or left): kept, never applied."""
        return [d for d in self.store.decisions() if d.orphaned]

    # Writing

    def verify(self, ids: str | Iterable[str], *, by: Editor, comment: str = "") -> list[Decision]:
        """Mark events as checked and right; one decision each."""
        return self._statuses("verify", ids, by=by, comment=comment)

    def reject(self, ids: str | Iterable[str], *, by: Editor, comment: str = "") -> list[Decision]:
        """Mark events as not attacks (or not reported as such): they leave every public read."""
        return self._statuses("reject", ids, by=by, comment=comment)

    def edit(self, event_id: str, *, by: Editor, changes: Mapping[str, Any], comment: str = "",
             expected_version: int) -> Decision:
        """Correct fields of an event (see EDITABLE); ConflictError when it changed since expected_version."""
        editor = _confirmed(by)
        note = _comment(comment)
        with self.store._transaction() as conn:
            w = self._one(conn, event_id, expected_version)
            current = w.effective()
            values = validate_changes(changes, current, gazetteer=self.store.gazetteer)
            now = event_values(current)
            before = {k: now.get(k) for k in values}
            decision = Decision(0, "edit", editor.name, _now(), w.id, comment=note, changes=values,
                                before=before, after=dict(values), anchors=self._anchors(conn, "event", w))
            return self._commit(conn, decision, lambda ledger: dict(values))

    def merge(self, a: str, b: str, *, by: Editor, comment: str = "",
              expected_versions: tuple[int, int] | None = None) -> Decision:
        """Make two events one attack: `a` keeps its id and edits, `b`'s reports join it."""
        editor = _confirmed(by)
        note = _comment(comment)
        if _id(a) == _id(b):
            raise ReviewError("cannot merge an event with itself")
        versions = expected_versions or (None, None)
        with self.store._transaction() as conn:
            wa, wb = self._one(conn, a, versions[0]), self._one(conn, b, versions[1])
            before = {"events": [wa.id, wb.id], "versions": [wa.version, wb.version],
                      "articles": [wa.effective().articles, wb.effective().articles]}
            anchors = self._anchors(conn, "event", wa) + self._anchors(conn, "other", wb)
            decision = Decision(0, "merge", editor.name, _now(), wa.id, other_id=wb.id, comment=note,
                                before=before, anchors=anchors)

            def after(ledger: Ledger) -> dict[str, Any]:
                merged = ledger.events[wa.id].effective()
                return {"event": merged.id, "version": merged.version, "articles": merged.articles}

            return self._commit(conn, decision, after)

    def split(self, event_id: str, article: str, *, by: Editor, comment: str = "",
              expected_version: int | None = None) -> Decision:
        """Take one article's report out of an event: it becomes an event of its own (unreviewed)."""
        editor = _confirmed(by)
        note = _comment(comment)
        with self.store._transaction() as conn:
            w = self._one(conn, event_id, expected_version)
            refs = self.store._mention_refs(conn, members=w.members)
            name = str(article).strip()
            mine = [m for m in w.members if refs[m][0].article == name]
            if not mine:
                raise ReviewError(f"event {w.id} has no report from article {name[:80]!r}")
            if len({refs[m][0].sha256 for m in w.members}) < 2:
                raise ReviewError(f"article {name[:80]!r} is the only report of event {w.id}: nothing to split")
            sha = refs[mine[0]][0].sha256
            anchors = tuple(Anchor.of("split" if refs[m][0].sha256 == sha else "event", refs[m][0])
                            for m in w.members)
            before = {"event": w.id, "version": w.version, "articles": w.effective().articles}
            decision = Decision(0, "split", editor.name, _now(), w.id, article=name, comment=note,
                                before=before, anchors=anchors)

            def after(ledger: Ledger) -> dict[str, Any]:
                rest = ledger.events[w.id].effective()
                new = next(e for e in ledger.changed if e != w.id)
                return {"event": rest.id, "version": rest.version, "articles": rest.articles,
                        "new_event": new, "new_articles": ledger.events[new].effective().articles}

            return self._commit(conn, decision, after)

    # Internals

    def _statuses(self, kind: str, ids: str | Iterable[str], *, by: Editor, comment: str) -> list[Decision]:
        _confirmed(by)
        wanted = _ids(ids)
        missing = [i for i in wanted if self.store.event(i, include_rejected=True) is None]
        if missing:
            raise ReviewError(f"no event {missing[0][:40]!r}; nothing was changed")
        return [self._status(kind, event_id, by=by, comment=comment) for event_id in wanted]

    def _status(self, kind: str, event_id: str, *, by: Editor, comment: str) -> Decision:
        editor = _confirmed(by)
        note = _comment(comment)
        with self.store._transaction() as conn:
            w = self._one(conn, event_id, None)
            decision = Decision(0, kind, editor.name, _now(), w.id, comment=note,
                                before={"review": w.review, "version": w.version},
                                anchors=self._anchors(conn, "event", w))

            def after(ledger: Ledger) -> dict[str, Any]:
                now = ledger.events[w.id]
                return {"review": now.review, "version": now.version}

            return self._commit(conn, decision, after)

    def _one(self, conn: Any, event_id: str, expected_version: int | None) -> Working:
        found = self.store._working(conn, [_id(event_id)])
        if not found:
            raise ReviewError(f"no event {str(event_id)[:40]!r}")
        w = found[0]
        if expected_version is not None and expected_version != w.version:
            last = self.store._load_decisions(conn, event_id=w.id)
            who = f", last changed by {last[-1].editor} at {last[-1].at}" if last else ""
            raise ConflictError(
                f"event {w.id} changed since you loaded it (your version {expected_version}, now {w.version}{who}); "
                "reload it and make your change again"
            )
        return w

    def _anchors(self, conn: Any, role: str, w: Working) -> tuple[Anchor, ...]:
        refs = self.store._mention_refs(conn, members=w.members)
        return tuple(Anchor.of(role, refs[m][0]) for m in w.members if m in refs)

    def _commit(self, conn: Any, decision: Decision, after: Callable[[Ledger], dict[str, Any]]) -> Decision:
        if not decision.anchors:
            raise ReviewError(f"event {decision.event_id} has no stored mentions to anchor a decision to; "
                              "ingest the articles again")
        decision = dataclasses.replace(decision, id=self.store._insert_decision(conn, decision))
        ledger = self.store._ledger_for(conn, decision.anchors)
        outcome = ledger.apply(decision)
        decision = dataclasses.replace(decision, after=after(ledger), state=outcome.state, events=outcome.events)
        self.store._save_ledger(conn, ledger)
        self.store._update_decision(conn, decision)
        return decision


def _id(event_id: object) -> str:
    return str(event_id).strip().lower()


def _ids(ids: str | Iterable[str]) -> list[str]:
    listed = [ids] if isinstance(ids, str) else list(ids)
    if not listed:
        raise ReviewError("name at least one event")
    return list(dict.fromkeys(_id(i) for i in listed))
