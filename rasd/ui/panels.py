"""Detail panels: one event with its sources, one article with its text and evidence highlighted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import streamlit as st

from rasd.views.filters import date_span
from rasd.views.i18n import is_rtl, label, t
from rasd.models import Article, Event
from rasd.ui import data, interact
from rasd.ui.layout import PageContext
from rasd.ui.tables import events_table, when
from rasd.ui.tables import show as show_table
from rasd.ui.text import (
    block, div, field, highlighted, isolate, isolated, isolated_runs, link, show, spans_of, strong,
)


def _fields(pairs: list[tuple[str, object]], lang: str) -> None:
    """Lines of 'name: value' (names in bold, values as literal text in their own direction) in one block."""
    show(*(div(field(name, value, rtl=is_rtl(lang))) for name, value in pairs), lang=lang)


def article_choice(title: str | None, file: str) -> str:
    """An article in a picker: 'title — file', each isolated so an Arabic title does not reorder the file name."""
    return f"{isolate(title)} \u2014 {isolate(file)}" if title else isolate(file)


def _number(value: object, lang: str) -> str:
    return t("event.unknown", lang) if value is None or pd.isna(value) else str(int(value))


def event_details(row: pd.Series, event: Event | None, *, lang: str) -> None:
    """Everything known about one event: when, where, what, outcome, claim, and each source with its evidence."""
    unknown = t("event.unknown", lang)
    st.subheader(t("event.details", lang))
    _fields([
        (t("event.date", lang), when(row["date"], row["date_earliest"], row["date_latest"], row["date_precision"],
                                     lang=lang)),
        (t("event.date_precision", lang), label("date_precision", row["date_precision"], lang)),
        (t("event.place", lang), row["place_name"] or unknown),
    ], lang)
    if row["place_name_ar"]:
        show(block(row["place_name_ar"], lang="ar"))
    weapon = label("weapon", row["weapon"], lang)
    if row["projectiles"] is not None and not pd.isna(row["projectiles"]):
        weapon += f" × {int(row['projectiles'])}"
    _fields([
        (t("event.governorate", lang), row["governorate"] or unknown),
        (t("event.coordinates", lang),
         f"{row['lat']:.4f}, {row['lon']:.4f} ({label('geo_precision', row['geo_precision'], lang)})"),
        (t("event.weapon", lang), weapon),
        (t("event.target", lang), label("target", row["target"], lang)),
        (t("event.outcome", lang), label("outcome", row["outcome"], lang)),
        (t("event.killed", lang), _number(row["killed"], lang)),
        (t("event.wounded", lang), _number(row["wounded"], lang)),
        (t("event.claimed_by", lang), row["claimed_by"] or t("event.unclaimed", lang)),
        (t("event.review", lang), label("review", row["review"], lang)),
    ], lang)
    show(strong(t("event.sources", lang)), f" ({len(event.sources) if event else int(row['n_sources'] or 0)})",
         lang=lang)
    for source in event.sources if event else ():
        article = data.article(source.article)
        title = (article.title if article else "") or source.article
        outlet = source.outlet or (article.outlet if article else "") or t("event.unknown", lang)
        url = source.url or (article.url if article else "")
        show(div(strong(link(url, isolated(outlet)))), block(title, lang="ar"))
        if source.evidence:
            show(block(source.evidence, lang="ar", extra_class="rasd-evidence"))
    # The audit trail is public: readers see who checked or changed an event, when, and why.
    from rasd.ui.reviewing import history  # reviewing imports this module's article_choice

    with st.expander(t("review.history", lang), expanded=False):
        history(str(row["id"]), lang)


def article_details(article: Article, flags: list[str], events: list[Event], frame: pd.DataFrame, *,
                    lang: str, governorates: Mapping[str, str] | None = None) -> None:
    """One article: its metadata, data-quality flags, the events found in it, and its text with evidence marked."""
    show(isolated(article.title or article.file), kind="heading", lang="ar")
    _fields([(t("event.outlet", lang), article.outlet or t("event.unknown", lang))], lang)
    if article.url:
        show(strong(f"{t('sources.url', lang)}:"), " ", link(article.url, article.url), lang=lang)
    _fields([(t("event.published", lang),
              date_span(article.published, article.published, lang=lang) if isinstance(article.published, date)
              else t("event.unknown", lang))], lang)
    # Notes and flags are English sentences quoting the Arabic text: isolated whole, with the quotes isolated inside.
    if article.published_note:
        show(isolated_runs(article.published_note), kind="caption")
    if flags:
        show(*(div(isolated_runs(flag)) for flag in flags), kind="notice")
    ids = [e.id for e in events]
    show(strong(t("sources.events", lang)), f" ({len(ids)})", lang=lang)
    if ids:
        rows = frame.loc[frame["id"].isin(ids)]
        show_table(events_table(rows, lang=lang, governorates=governorates))
    evidence = [s for e in events for s in e.sources if s.article == article.file]
    spans = spans_of(article.text, [s.evidence for s in evidence], [(s.start, s.end) for s in evidence])
    show(highlighted(article.text, spans, lang="ar"))


def selection(ctx: PageContext) -> None:
    """The selected event's record with a Close button, or a hint to click a marker."""
    view, lang = ctx.view, ctx.lang
    if not view.event:
        st.info(t("map.click_hint", lang))
        return
    record = data.event_record(view.event)
    if record is None:
        st.info(t("event.not_found", lang))
        return
    event_details(record, data.event(view.event), lang=lang)
    st.button(t("button.close", lang), key="map.close", on_click=interact.close_event, args=(view,))
