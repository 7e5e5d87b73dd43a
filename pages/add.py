"""Add articles (editors only): paste, upload or fetch a report, preview the events found, then save or discard."""

from rasd.ui import adding, auth, layout

FORMS = {"paste": adding.paste_form, "upload": adding.upload_form, "url": adding.url_form}


def main() -> None:
    """Draw the add page: the sign-in form for a reader, the three ways in and the preview for an editor."""
    lang = layout.begin_newsroom("add")
    editor = auth.signed_in_editor(lang)
    if editor is None:
        return
    adding.flash(lang)
    FORMS[adding.ways(lang)](lang)
    adding.pending(editor, lang)


layout.run(main)
