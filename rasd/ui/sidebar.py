"""The filter panel every page shows in the sidebar: seeded from the View, every change written to the URL."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import streamlit as st

from rasd import vocab
from rasd.errors import FilterError
from rasd.views.filters import PRESETS, Filters, preset_of, preset_range
from rasd.views.i18n import LANGS, label, t
from rasd.ui import state
from rasd.ui.data import Choices
from rasd.views.viewstate import View

K_LANG = "sb.lang"
K_DATES = "sb.dates"
K_PRESET = "sb.preset"
K_Q = "sb.q"
K_RESET = "sb.reset"
# Filters attribute -> widget key, for the multiselects.
K_LISTS = {
    "weapons": "sb.weapon",
    "targets": "sb.target",
    "outcomes": "sb.outcome",
    "reviews": "sb.review",
    "governorates": "sb.governorate",
    "places": "sb.place",
    "claimants": "sb.claimant",
    "outlets": "sb.outlet",
}
_VOCAB = {"weapons": ("weapon", vocab.WEAPONS), "targets": ("target", vocab.TARGETS),
          "outcomes": ("outcome", vocab.OUTCOMES), "reviews": ("review", vocab.PUBLIC_REVIEW_STATUSES)}
_LABEL_KEYS = {"weapons": "filter.weapon", "targets": "filter.target", "outcomes": "filter.outcome",
               "governorates": "filter.governorate", "places": "filter.place", "claimants": "filter.claimant",
               "outlets": "filter.outlet", "reviews": "filter.review"}


@dataclass(frozen=True, slots=True)
class DataSpan:
    """The first and last event day in the data (None when no event is dated)."""

    first: date | None
    last: date | None


def render(view: View, *, choices: Choices, span: DataSpan) -> None:
    """Draw the language switch, the free-text search and reset button, then the filters, all in the sidebar."""
    lang = view.lang
    _seed(view, span)
    sb = st.sidebar
    sb.segmented_control(
        t("app.language", lang), list(LANGS), key=K_LANG, format_func=lambda c: label("lang", c, lang),
        on_change=_lang_changed, args=(view,),
    )
    sb.text_input(
        t("filter.q", lang), key=K_Q, placeholder=t("filter.q_placeholder", lang),
        on_change=_changed, args=(view, span),
    )
    sb.button(t("button.reset", lang), key=K_RESET, on_click=_reset, args=(view,))
    sb.subheader(t("filters.title", lang))
    lo, hi = _bounds(view.filters, span)
    sb.date_input(
        t("filter.dates", lang), key=K_DATES, min_value=lo, max_value=hi, format="YYYY-MM-DD",
        on_change=_changed, args=(view, span),
    )
    sb.segmented_control(
        t("filter.presets", lang), list(PRESETS), key=K_PRESET, format_func=lambda p: label("preset", p, lang),
        on_change=_preset_changed, args=(view, span),
    )
    for attr, key in K_LISTS.items():
        options = _options(attr, view.filters, choices)
        names = _names(attr, choices, lang)
        sb.multiselect(
            t(_LABEL_KEYS[attr], lang), options, key=key, format_func=lambda c, names=names: names.get(c, c),
            placeholder=t("filter.none_selected", lang), on_change=_changed, args=(view, span),
        )


def _seed(view: View, span: DataSpan) -> None:
    """Put the view's values into the widgets' session state before they are drawn."""
    ss = st.session_state
    f = view.filters
    ss[K_LANG] = view.lang
    dates = ss.get(K_DATES)
    # A range being picked (one day chosen so far) is left alone until the second day arrives.
    if not (isinstance(dates, tuple) and len(dates) == 1):
        first, last = f.start or span.first, f.end or span.last
        ss[K_DATES] = (first, last) if first and last else ()
    ss[K_PRESET] = preset_of(f.start, f.end, data_min=span.first, data_max=span.last)
    for attr, key in K_LISTS.items():
        ss[key] = list(getattr(f, attr))
    ss[K_Q] = f.q


def _bounds(f: Filters, span: DataSpan) -> tuple[date | None, date | None]:
    lows = [d for d in (span.first, f.start, f.end) if d]
    highs = [d for d in (span.last, f.end, f.start) if d]
    return (min(lows) if lows else None), (max(highs) if highs else None)


def _options(attr: str, f: Filters, choices: Choices) -> list[str]:
    if attr in _VOCAB:
        return list(_VOCAB[attr][1])
    known = list(getattr(choices, attr))
    return known + [v for v in getattr(f, attr) if v not in getattr(choices, attr)]


def _names(attr: str, choices: Choices, lang: str) -> dict[str, str]:
    if attr in _VOCAB:
        kind, codes = _VOCAB[attr]
        return {c: label(kind, c, lang) for c in codes}
    if attr == "places":
        return {**choices.gazetteer_places, **choices.places}
    return dict(getattr(choices, attr))


def _dates(value: object, f: Filters, span: DataSpan) -> tuple[date | None, date | None]:
    """The date filter a date_input value means: the whole span of the data is no date filter at all."""
    if not isinstance(value, (tuple, list)) or len(value) == 1:
        return f.start, f.end
    if len(value) == 0:
        return None, None
    start, end = value
    if (start, end) == (f.start or span.first, f.end or span.last):
        return f.start, f.end
    if span.first and start and start <= span.first:
        start = None
    if span.last and end and end >= span.last:
        end = None
    return start, end


def filters_from_widgets(view: View, span: DataSpan) -> Filters:
    """The Filters the sidebar widgets currently hold."""
    ss = st.session_state
    start, end = _dates(ss.get(K_DATES), view.filters, span)
    lists = {attr: tuple(ss.get(key) or ()) for attr, key in K_LISTS.items()}
    return Filters(start=start, end=end, q=str(ss.get(K_Q) or ""), **lists)


def _changed(view: View, span: DataSpan) -> None:
    try:
        filters = filters_from_widgets(view, span)
    except FilterError:
        return
    state.write_view(view.with_filters(filters))


def _preset_changed(view: View, span: DataSpan) -> None:
    name = st.session_state.get(K_PRESET)
    if name not in PRESETS:
        return
    start, end = preset_range(name, data_min=span.first, data_max=span.last)
    state.write_view(view.with_filters(replace(view.filters, start=start, end=end)))


def _lang_changed(view: View) -> None:
    lang = st.session_state.get(K_LANG)
    if lang in LANGS:
        state.write_view(view.with_lang(lang))


def _reset(view: View) -> None:
    state.write_view(view.reset())
