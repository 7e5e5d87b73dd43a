"""Review (editors only): the queue of events by status, each with its evidence, decisions and history."""

from rasd.views.i18n import t
from rasd.ui import auth, data, layout, reviewing
from rasd.ui.text import show


def main() -> None:
    """Draw the review page: the sign-in form for a reader, the queue and the orphaned decisions for an editor."""
    lang = layout.begin_newsroom("review")
    editor = auth.signed_in_editor(lang)
    if editor is None:
        return
    reviewing.flash(lang)
    events = reviewing.with_days(data.review_frame())
    status = reviewing.status_picker(lang)
    rows = reviewing.page_of(reviewing.queue(events, status), lang)
    if rows.empty:
        show(t("review.empty", lang), kind="info", lang=lang)
    for _, row in rows.iterrows():
        reviewing.event_card(row, editor, lang, events)
    reviewing.orphaned(lang)


layout.run(main)
