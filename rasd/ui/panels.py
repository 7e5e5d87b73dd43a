"""Detail panels: one event with its sources, one article with its text and evidence highlighted."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import pandas as pd
import streamlit as st

from rasd.filters import date_span
from rasd.i18n import is_rtl, label, t
from rasd.models import Article, Event
from rasd.ui import data, interact
from rasd.ui.layout import PageContext
from rasd.ui.tables import events_table, show, when
from rasd.ui.text import block, esc, highlighted, isolate, isolate_runs, link, md, spans_of


def _line(name: str, value: object, lang: str) -> str:
    return f"**{md(name)}:** {md(isolate_runs(value, rtl=is_rtl(lang)))}"


def _field(name: str, value: object, lang: str) -> None:
    st.markdown(_line(name, value, lang))


def _lines(pairs: list[tuple[str, object]], lang: str) -> None:
    st.markdown("  \n".join(_line(name, value, lang) for name, value in pairs))


def article_choice(title: str | None, file: str) -> str:
    """An article in a picker: 'title — file', each isolated so an Arabic title does not reorder the file name."""
    return f"{isolate(title)} \u2014 {isolate(file)}" if title else isolate(file)


def _number(value: object, lang: str) -> str:
    return t("event.unknown", lang) if value is None or pd.isna(value) else str(int(value))


def event_details(row: pd.Series, event: Event | None, *, lang: str) -> None:
    """Everything known about one event: when, where, what, outcome, claim, and each source with its evidence."""
    unknown = t("event.unknown", lang)
    st.subheader(t("event.details", lang))
    _lines([
        (t("event.date", lang), when(row["date"], row["date_earliest"], row["date_latest"], row["date_precision"],
                                     lang=lang)),
        (t("event.date_precision", lang), label("date_precision", row["date_precision"], lang)),
        (t("event.place", lang), row["place_name"] or unknown),
    ], lang)
    if row["place_name_ar"]:
        st.html(block(row["place_name_ar"], lang="ar"))
    weapon = label("weapon", row["weapon"], lang)
    if row["projectiles"] is not None and not pd.isna(row["projectiles"]):
        weapon += f" × {int(row['projectiles'])}"
    _lines([
        (t("event.governorate", lang), row["governorate"] or unknown),
        (t("event.coordinates", lang),
         f"{row['lat']:.4f}, {row['lon']:.4f} ({label('geo_precision', row['geo_precision'], lang)})"),
        (t("event.weapon", lang), weapon),
        (t("event.target", lang), label("target", row["target"], lang)),
        (t("event.outcome", lang), label("outcome", row["outcome"], lang)),
        (t("event.killed", lang), _number(row["killed"], lang)),
        (t("event.wounded", lang), _number(row["wounded"], lang)),
        (t("event.claimed_by", lang), row["claimed_by"] or t("event.unclaimed", lang)),
    ], lang)
    st.markdown(f"**{md(t('event.sources', lang))}** ({len(event.sources) if event else row['n_sources']})")
    for source in event.sources if event else ():
        article = data.article(source.article)
        title = (article.title if article else "") or source.article
        outlet = source.outlet or (article.outlet if article else "") or t("event.unknown", lang)
        url = source.url or (article.url if article else "")
        st.html(f"<div><strong>{link(url, outlet)}</strong></div>{block(title, lang='ar')}")
        if source.evidence:
            st.html(block(source.evidence, lang="ar", extra_class="rasd-evidence"))


def article_details(article: Article, flags: list[str], events: list[Event], frame: pd.DataFrame, *,
                    lang: str, governorates: Mapping[str, str] | None = None) -> None:
    """One article: its metadata, data-quality flags, the events found in it, and its text with evidence marked."""
    st.html(f'<h3 class="rasd-text" dir="rtl" lang="ar">{esc(article.title or article.file)}</h3>')
    _field(t("event.outlet", lang), article.outlet or t("event.unknown", lang), lang)
    if article.url:
        st.html(f"<div><strong>{esc(t('sources.url', lang))}:</strong> {link(article.url, article.url)}</div>")
    _field(t("event.published", lang),
           date_span(article.published, article.published, lang=lang) if isinstance(article.published, date)
           else t("event.unknown", lang), lang)
    # Notes and flags are English sentences quoting the Arabic text: isolated whole, with the quotes isolated inside.
    if article.published_note:
        st.caption(md(isolate(isolate_runs(article.published_note))))
    for flag in flags:
        st.warning(md(isolate(isolate_runs(flag))), icon="⚠️")
    ids = [e.id for e in events]
    st.markdown(f"**{md(t('sources.events', lang))}** ({len(ids)})")
    if ids:
        rows = frame.loc[frame["id"].isin(ids)]
        show(events_table(rows, lang=lang, governorates=governorates))
    evidence = [s for e in events for s in e.sources if s.article == article.file]
    spans = spans_of(article.text, [s.evidence for s in evidence], [(s.start, s.end) for s in evidence])
    st.html(highlighted(article.text, spans, lang="ar"))


def selection(ctx: PageContext) -> None:
    """The selected event's record with a Close button, or a hint to click a marker."""
    view, lang = ctx.view, ctx.lang
    if not view.event:
        st.info(t("map.click_hint", lang))
        return
    rows = ctx.events.loc[ctx.events["id"] == view.event]
    if rows.empty:
        st.info(t("event.not_found", lang))
        return
    event_details(rows.iloc[0], data.event(view.event), lang=lang)
    st.button(t("button.close", lang), key="map.close", on_click=interact.close_event, args=(view,))
