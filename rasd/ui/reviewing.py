"""The review page's parts: the queue, each event's card (its evidence in its articles, the decisions an editor
can make, its audit trail) and the orphaned decisions.

Every write happens in a button callback through rasd.newsroom.review.Review, which confirms the editor. An
edit is sent with the version the form was loaded at, so a change someone else saved in between is refused
(ConflictError) instead of overwritten; the form keeps what was typed until the editor reloads it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st

from rasd import vocab
from rasd.errors import AuthError, ConflictError, ReviewError
from rasd.views.i18n import is_rtl, label, t
from rasd.models import Event
from rasd.newsroom.review import MAX_COUNT, Decision
from rasd.newsroom.users import Editor
from rasd.ui import data, layout
from rasd.ui.layout import Flash
from rasd.ui.panels import article_choice
from rasd.ui.tables import date_cell, when
from rasd.ui.text import (
    Markup, block, div, field, highlighted, isolated, isolated_runs, link, show, spans_of, strong,
)

PAGE_SIZE = 10
K_STATUS = "review.status"
K_PAGE = "review.page"
K_FLASH = "review.flash"
# How many events the merge picker suggests (those closest in date); any other id can be typed in.
MERGE_SUGGESTIONS = 30
PLACE_MATCHES = 20
FIRST_DAY = date(2000, 1, 1)
# The edit form's fields, as its widgets hold them (keys rv.<id>.e.<field>).
FORM_FIELDS = ("date", "date_precision", "place_q", "place", "lat", "lon", "geo_precision", "weapon",
               "projectiles", "target", "outcome", "killed", "wounded", "claimed_by", "comment")
# Fields sent as they are when they differ from the loaded values.
_PLAIN = ("date_precision", "geo_precision", "weapon", "target", "outcome", "projectiles", "killed", "wounded")


def _key(event_id: str, name: str) -> str:
    return f"rv.{event_id}.{name}"


def _form_key(event_id: str, name: str) -> str:
    return f"rv.{event_id}.e.{name}"


# The queue.

def status_picker(lang: str) -> str:
    """Which review status to list (unreviewed first)."""
    return st.selectbox(t("review.status", lang), vocab.REVIEW_STATUSES, key=K_STATUS,
                        format_func=lambda s: label("review", s, lang)) or vocab.REVIEW_STATUSES[0]


def with_days(events: pd.DataFrame) -> pd.DataFrame:
    """The events with `_day`: the ordinal of their latest known day (NaN when undated), for sorting and merging."""
    days = [next((d for d in (day, latest, earliest) if isinstance(d, date)), None)
            for day, latest, earliest in zip(events["date"], events["date_latest"], events["date_earliest"])]
    return events.assign(_day=[float(d.toordinal()) if d else math.nan for d in days])


def queue(events: pd.DataFrame, status: str) -> pd.DataFrame:
    """The events (with_days) of one review status, newest first, then by id; undated last."""
    rows = events.loc[events["review"] == status]
    return rows.assign(_newest=-rows["_day"]).sort_values(["_newest", "id"], kind="stable", na_position="last").drop(
        columns="_newest")


def page_of(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows of the page picked (PAGE_SIZE a page; the picker only when there is more than one)."""
    total = len(rows)
    pages = max(1, math.ceil(total / PAGE_SIZE))
    show(t("count.events", lang, n=total), kind="summary", lang=lang)
    # The picker's slot is there even without a picker: the cards keep their places when a decision leaves one page.
    slot = st.container()
    if pages == 1:
        return rows
    numbers = list(range(1, pages + 1))
    if st.session_state.get(K_PAGE) not in numbers:
        st.session_state[K_PAGE] = 1
    page = slot.selectbox(t("review.page", lang), numbers, key=K_PAGE,
                        format_func=lambda p: f"{(p - 1) * PAGE_SIZE + 1}\u2013{min(p * PAGE_SIZE, total)} / {total}")
    return rows.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]


def flash(lang: str) -> None:
    """The messages the last decision left, once."""
    layout.show_said(K_FLASH, lang=lang)


# One event.

def event_card(row: pd.Series, editor: Editor, lang: str, events: pd.DataFrame) -> None:
    """One event: what it says, its evidence in each article, Verify/Reject, Edit, Merge/Split, its history."""
    event_id = str(row["id"])
    event = data.review_event(event_id)
    # Keyed by the event: the browser keeps an open Edit or Merge box with its event, not at its position, so
    # a message or a card that goes away above it (after a decision) cannot close it or open another card's.
    with st.container(border=True, key=_key(event_id, "card")):
        _summary(row, lang)
        if event is not None:
            _evidence(event, lang)
        _decide(event_id, editor, lang)
        if event is not None:
            with st.expander(t("review.edit", lang)):
                edit_form(event, editor, lang)
            with st.expander(t("review.merge_split", lang)):
                merge_form(row, events, editor, lang)
                split_form(event, editor, lang)
        history(event_id, lang)


def _summary(row: pd.Series, lang: str) -> None:
    rtl = is_rtl(lang)
    unknown = t("event.unknown", lang)
    place = (row["place_name_ar"] or row["place_name"]) if lang == "ar" else (row["place_name"] or row["place_name_ar"])
    day = when(row["date"], row["date_earliest"], row["date_latest"], row["date_precision"], lang=lang)
    show(isolated(day), " \u00b7 ", isolated(place or unknown), kind="heading", lang=lang)
    weapon = label("weapon", row["weapon"], lang)
    if _present(row["projectiles"]):
        weapon += f" \u00d7 {int(row['projectiles'])}"
    pairs: list[tuple[str, object]] = [
        (t("event.review", lang), label("review", row["review"], lang)),
        (t("review.event_id", lang), row["id"]),
        (t("event.version", lang), int(row["version"])),
        (t("event.coordinates", lang),
         f"{row['lat']:.4f}, {row['lon']:.4f} ({label('geo_precision', row['geo_precision'], lang)})"),
        (t("event.weapon", lang), weapon),
        (t("event.target", lang), label("target", row["target"], lang)),
        (t("event.outcome", lang), label("outcome", row["outcome"], lang)),
        (t("event.killed", lang), _count_text(row["killed"], lang)),
        (t("event.wounded", lang), _count_text(row["wounded"], lang)),
        (t("event.claimed_by", lang), row["claimed_by"] or t("event.unclaimed", lang)),
        (t("event.n_sources", lang), int(row["n_sources"] or 0)),
    ]
    show(*(div(field(name, value, rtl=rtl)) for name, value in pairs), lang=lang)


def _evidence(event: Event, lang: str) -> None:
    """Each report: its outlet and title, its evidence sentence, and the whole article with the sentence marked."""
    for number, source in enumerate(event.sources, start=1):
        article = data.article(source.article)
        title = (article.title if article else "") or source.article
        outlet = source.outlet or (article.outlet if article else "") or t("event.unknown", lang)
        url = source.url or (article.url if article else "")
        show(div(strong(link(url, isolated(outlet))), " \u2014 ", isolated(source.article)), block(title, lang="ar"))
        if source.evidence:
            show(block(source.evidence, lang="ar", extra_class="rasd-evidence"))
        if article is not None:
            with st.expander(t("review.article_text", lang) + f" {number:d}"):
                spans = spans_of(article.text, [source.evidence], [(source.start, source.end)])
                show(highlighted(article.text, spans, lang="ar"))


def _decide(event_id: str, editor: Editor, lang: str) -> None:
    st.text_input(t("review.comment", lang), key=_key(event_id, "comment"))
    row = st.container(horizontal=True)
    row.button(t("review.verify", lang), key=_key(event_id, "verify"), type="primary", on_click=_verify,
               args=(editor, event_id))
    row.button(t("review.reject", lang), key=_key(event_id, "reject"), on_click=_reject, args=(editor, event_id))


def edit_form(event: Event, editor: Editor, lang: str) -> None:
    """Date and its precision, place (gazetteer search or coordinates), weapon, counts, target, outcome, claimant."""
    event_id = event.id
    _load_form(event)
    loaded = st.session_state.get(_key(event_id, "loaded"))
    if loaded != event.version:
        show(t("review.form_stale", lang), kind="notice", lang=lang)

    def k(name: str) -> str:
        return _form_key(event_id, name)

    def codes(kind: str):  # the label of each code of a vocabulary, in the interface language
        return lambda code: label(kind, code, lang)

    # A date outside the widget's bounds is an error in Streamlit: the bounds always hold the event's own date.
    first, last = FIRST_DAY, date.today()
    if event.date:
        first, last = min(first, event.date), max(last, event.date)
    left, right = st.columns(2)
    left.date_input(t("event.date", lang), value=None, min_value=first, max_value=last, key=k("date"),
                    format="YYYY-MM-DD")
    right.selectbox(t("event.date_precision", lang), vocab.DATE_PRECISIONS, key=k("date_precision"),
                    format_func=codes("date_precision"))
    query = left.text_input(t("review.place_search", lang), key=k("place_q"), placeholder="عين الأسد · Ain al-Asad")
    gazetteer = data.gazetteer()
    matches = gazetteer.search(query, limit=PLACE_MATCHES) if str(query or "").strip() else []
    options = ["", *(p.id for p in matches)]
    if st.session_state.get(k("place")) not in options:
        st.session_state[k("place")] = ""
    names = {p.id: f"{p.name_ar if lang == 'ar' else p.name_en} \u2014 {p.governorate} ({p.id})" for p in matches}
    keep = t("review.keep_place", lang)
    right.selectbox(t("review.place_pick", lang), options, key=k("place"),
                    format_func=lambda i: names.get(i, i) if i else keep)
    left.number_input(t("review.lat", lang), min_value=-90.0, max_value=90.0, value=None, step=0.0001,
                      format="%.5f", key=k("lat"))
    right.number_input(t("review.lon", lang), min_value=-180.0, max_value=180.0, value=None, step=0.0001,
                       format="%.5f", key=k("lon"))
    left.selectbox(t("event.geo_precision", lang), vocab.GEO_PRECISIONS, key=k("geo_precision"),
                   format_func=codes("geo_precision"))
    right.selectbox(t("event.weapon", lang), vocab.WEAPONS, key=k("weapon"), format_func=codes("weapon"))
    left.number_input(t("event.projectiles", lang), min_value=0, max_value=MAX_COUNT, value=None, step=1,
                      key=k("projectiles"), help=t("review.blank_unknown", lang))
    right.selectbox(t("event.target", lang), vocab.TARGETS, key=k("target"), format_func=codes("target"))
    left.selectbox(t("event.outcome", lang), vocab.OUTCOMES, key=k("outcome"), format_func=codes("outcome"))
    right.number_input(t("event.killed", lang), min_value=0, max_value=MAX_COUNT, value=None, step=1,
                       key=k("killed"), help=t("review.blank_unknown", lang))
    left.number_input(t("event.wounded", lang), min_value=0, max_value=MAX_COUNT, value=None, step=1,
                      key=k("wounded"), help=t("review.blank_unknown", lang))
    right.text_input(t("event.claimed_by", lang), key=k("claimed_by"))
    st.text_input(t("review.why", lang), key=k("comment"))
    row = st.container(horizontal=True)
    row.button(t("review.save_edit", lang), key=_key(event_id, "save"), type="primary", on_click=_save_edit,
               args=(editor, event_id))
    row.button(t("review.reload", lang), key=_key(event_id, "reload"), on_click=_forget, args=(event_id,))


def form_values(event: Event) -> dict[str, Any]:
    """What the edit form holds for an event when it is loaded."""
    return {
        "date": event.date, "date_precision": event.date_precision, "place_q": "", "place": "",
        "lat": float(event.lat), "lon": float(event.lon), "geo_precision": event.geo_precision,
        "weapon": event.weapon, "projectiles": event.projectiles, "target": event.target, "outcome": event.outcome,
        "killed": event.killed, "wounded": event.wounded, "claimed_by": event.claimed_by, "comment": "",
    }


def form_changes(loaded: Mapping[str, Any], now: Mapping[str, Any]) -> dict[str, Any]:
    """The edit to send: the fields the editor changed from the loaded values (a place picked wins over lat/lon)."""
    changes: dict[str, Any] = {}
    for name in _PLAIN:
        value = now.get(name)
        if isinstance(value, float) and name in ("projectiles", "killed", "wounded"):
            value = int(value)
        if value != loaded.get(name):
            changes[name] = value
    if now.get("date") != loaded.get("date"):
        day = now.get("date")
        changes["date"] = day.isoformat() if isinstance(day, date) else None
    claimant = " ".join(str(now.get("claimed_by") or "").split())
    if claimant != (loaded.get("claimed_by") or ""):
        changes["claimant"] = claimant
    if now.get("place"):
        changes["place"] = now["place"]
    elif (now.get("lat"), now.get("lon")) != (loaded.get("lat"), loaded.get("lon")):
        if now.get("lat") is None or now.get("lon") is None:
            changes["lat"], changes["lon"] = now.get("lat"), now.get("lon")
        else:
            changes["lat"], changes["lon"] = round(float(now["lat"]), 6), round(float(now["lon"]), 6)
    return changes


def _load_form(event: Event) -> None:
    """Fill the form from the event the first time (or after a reload, or when Streamlit dropped its widgets)."""
    ss = st.session_state
    keys = [_form_key(event.id, name) for name in FORM_FIELDS]
    if _key(event.id, "loaded") in ss and all(key in ss for key in keys):
        return
    values = form_values(event)
    for name, value in values.items():
        ss[_form_key(event.id, name)] = value
    ss[_key(event.id, "snapshot")] = values
    ss[_key(event.id, "loaded")] = event.version


def merge_form(row: pd.Series, events: pd.DataFrame, editor: Editor, lang: str) -> None:
    """Pick a second event (the closest in date are offered; any id can be typed): it joins this one."""
    event_id = str(row["id"])
    suggestions = merge_candidates(row, events)
    names = {r.id: f"{r.id} \u2014 {date_cell(r.date, r.date_earliest, r.date_latest, r.date_precision)} \u00b7 "
                   f"{(r.place_name_ar or r.place_name) if lang == 'ar' else (r.place_name or r.place_name_ar)} "
                   f"\u00b7 {label('weapon', r.weapon, lang)} \u00b7 {label('review', r.review, lang)}"
             for r in suggestions.itertuples(index=False)}
    st.selectbox(t("review.merge_with", lang), list(names), index=None, key=_key(event_id, "merge"),
                 format_func=lambda i: names.get(i, i), accept_new_options=True,
                 placeholder=t("review.merge_placeholder", lang))
    st.button(t("review.merge_button", lang), key=_key(event_id, "merge_go"), on_click=_merge,
              args=(editor, event_id, int(row["version"])))


def merge_candidates(row: pd.Series, events: pd.DataFrame) -> pd.DataFrame:
    """Other events (with_days) by closeness in date to this one (undated last), at most MERGE_SUGGESTIONS."""
    others = events.loc[events["id"] != row["id"]]
    distance = (others["_day"] - row["_day"]).abs().fillna(math.inf)
    return others.assign(_d=distance).sort_values(["_d", "id"], kind="stable").drop(columns="_d").head(
        MERGE_SUGGESTIONS)


def split_form(event: Event, editor: Editor, lang: str) -> None:
    """Pick one of the event's articles: its report becomes an event of its own."""
    files = list(dict.fromkeys(event.articles))
    if len(files) < 2:
        show(t("review.split_needs_two", lang), kind="caption", lang=lang)
        return
    titles = {f: (a.title if (a := data.article(f)) else "") for f in files}
    st.selectbox(t("review.split_article", lang), files, key=_key(event.id, "split"),
                 format_func=lambda f: article_choice(titles[f], f))
    st.button(t("review.split_button", lang), key=_key(event.id, "split_go"), on_click=_split,
              args=(editor, event.id, event.version))


def history(event_id: str, lang: str) -> None:
    """The decisions about one event, oldest first: who, when, what changed (before → after), why."""
    found = [d for d in data.decisions()
             if event_id in (d.event_id, d.other_id) or event_id in d.events]
    if not found:
        show(t("review.no_history", lang), kind="caption", lang=lang)
        return
    show(strong(t("review.history", lang)), f" ({len(found)})", lang=lang)
    for decision in found:
        show(*decision_lines(decision, lang), kind="caption", lang=lang)


def orphaned(lang: str) -> None:
    """Decisions whose reports are gone: kept and listed, never applied."""
    st.subheader(t("review.orphaned", lang))
    show(t("review.orphaned_help", lang), kind="caption", lang=lang)
    found = [d for d in data.decisions() if d.orphaned]
    if not found:
        show(t("review.no_orphaned", lang), lang=lang)
        return
    rtl = is_rtl(lang)
    for decision in found:
        articles = ", ".join(dict.fromkeys(a.article for a in decision.anchors)) or t("event.unknown", lang)
        show(*decision_lines(decision, lang),
             div(field(t("review.event_id", lang), decision.event_id, rtl=rtl)),
             div(field(t("sources.articles", lang), articles, rtl=rtl)), kind="notice", lang=lang)


def decision_lines(decision: Decision, lang: str) -> list[Markup]:
    """A decision as lines: what and who and when, each changed value before → after, the comment."""
    rtl = is_rtl(lang)
    head = [strong(label("decision", decision.kind, lang)), " \u00b7 ", isolated(decision.editor), " \u00b7 ",
            isolated(decision.at)]
    if decision.orphaned:
        head += [" \u00b7 ", label("decision_state", "orphaned", lang)]
    lines = [div(*head)]
    arrow = " \u2190 " if rtl else " \u2192 "
    for name, before, after in changed_values(decision):
        lines.append(div(isolated(name), ": ", isolated_runs(before, rtl=rtl), arrow, isolated_runs(after, rtl=rtl)))
    if decision.comment:
        lines.append(div(field(t("review.comment_label", lang), decision.comment, rtl=rtl)))
    return lines


def changed_values(decision: Decision) -> list[tuple[str, str, str]]:
    """(field, before, after) for every value the decision changed, as text."""
    before, after = decision.before or {}, decision.after or {}
    names = list(dict.fromkeys([*decision.changes, *before, *after]))
    out = []
    for name in names:
        old, new = before.get(name), after.get(name, decision.changes.get(name))
        if old != new:
            out.append((name, _text(old), _text(new)))
    return out


# Callbacks: they run before the page script, so the next run already shows what they did.

@layout.safe_callback
def _verify(editor: Editor, event_id: str) -> None:
    _status("verify", editor, event_id)


@layout.safe_callback
def _reject(editor: Editor, event_id: str) -> None:
    _status("reject", editor, event_id)


def _status(kind: str, editor: Editor, event_id: str) -> None:
    comment = str(st.session_state.get(_key(event_id, "comment")) or "")
    review = data.review()
    if _attempt(event_id, lambda: (review.verify if kind == "verify" else review.reject)(
            event_id, by=editor, comment=comment)) is None:
        return
    st.session_state.pop(_key(event_id, "comment"), None)
    _forget(event_id)
    _say(Flash("success", f"review.done_{kind}", {"id": event_id}))


@layout.safe_callback
def _save_edit(editor: Editor, event_id: str) -> None:
    ss = st.session_state
    loaded, version = ss.get(_key(event_id, "snapshot")), ss.get(_key(event_id, "loaded"))
    if loaded is None or version is None:
        _say(Flash("notice", "review.form_stale"))
        return
    changes = form_changes(loaded, {name: ss.get(_form_key(event_id, name)) for name in FORM_FIELDS})
    if not changes:
        _say(Flash("notice", "review.nothing_changed", {"id": event_id}))
        return
    comment = str(ss.get(_form_key(event_id, "comment")) or "")
    # On a conflict the form keeps what was typed; Reload shows the saved values to start again from.
    if _attempt(event_id, lambda: data.review().edit(
            event_id, by=editor, changes=changes, comment=comment, expected_version=int(version))) is None:
        return
    _forget(event_id)
    _say(Flash("success", "review.done_edit", {"id": event_id}))


@layout.safe_callback
def _merge(editor: Editor, event_id: str, version: int) -> None:
    other = str(st.session_state.get(_key(event_id, "merge")) or "").strip().lower()
    if not other:
        _say(Flash("notice", "review.pick_event"))
        return
    frame = data.review_frame()
    theirs = frame.loc[frame["id"] == other, "version"]
    expected = (version, int(theirs.iloc[0])) if len(theirs) else None
    comment = str(st.session_state.get(_key(event_id, "comment")) or "")
    if _attempt(event_id, lambda: data.review().merge(
            event_id, other, by=editor, comment=comment, expected_versions=expected)) is None:
        return
    _forget(event_id)
    _forget(other)
    _say(Flash("success", "review.done_merge", {"id": event_id, "other": other}))


@layout.safe_callback
def _split(editor: Editor, event_id: str, version: int) -> None:
    article = str(st.session_state.get(_key(event_id, "split")) or "")
    comment = str(st.session_state.get(_key(event_id, "comment")) or "")
    decision = _attempt(event_id, lambda: data.review().split(
        event_id, article, by=editor, expected_version=version, comment=comment))
    if decision is None:
        return
    _forget(event_id)
    _say(Flash("success", "review.done_split", {"id": event_id, "new": str(decision.after.get("new_event", ""))}))


def _attempt(event_id: str, write: Callable[[], Decision]) -> Decision | None:
    """Run one review write; on a refusal say why (conflict, expired session, invalid) and return None."""
    try:
        return write()
    except ConflictError as e:
        _say(Flash("error", "review.conflict", {"id": event_id}, detail=str(e)))
    except AuthError:
        _say(Flash("error", "auth.expired"))
    except ReviewError as e:
        _say(Flash("error", "review.not_saved", detail=str(e)))
    return None


def _forget(event_id: str) -> None:
    """Drop an event's loaded form, so the next run fills it from the saved event."""
    ss = st.session_state
    for name in FORM_FIELDS:
        ss.pop(_form_key(event_id, name), None)
    ss.pop(_key(event_id, "snapshot"), None)
    ss.pop(_key(event_id, "loaded"), None)


def _say(note: Flash) -> None:
    layout.say(K_FLASH, note)


def _present(value: object) -> bool:
    return value is not None and not pd.isna(value)


def _count_text(value: object, lang: str) -> str:
    return str(int(value)) if _present(value) else t("event.unknown", lang)


def _text(value: object) -> str:
    if value is None or value == "":
        return "\u2014"
    if isinstance(value, Iterable) and not isinstance(value, str):
        return ", ".join(_text(v) for v in value)
    return str(value)
