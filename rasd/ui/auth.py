"""Signing editors in and out: the session token lives in st.session_state, the accounts in $RASD_USERS."""

from __future__ import annotations

import logging

import streamlit as st

from rasd.errors import AuthError, RateLimitedError, UserError
from rasd.views.i18n import t
from rasd.newsroom.users import Editor
from rasd.ui import data, layout
from rasd.ui.text import isolated, show, strong

log = logging.getLogger(__name__)

K_TOKEN = "auth.token"
K_FORM = "auth.form"
K_NAME = "auth.name"
K_PASSWORD = "auth.password"
K_SUBMIT = "auth.submit"
K_SIGN_OUT = "auth.sign_out"
# What the last sign-in attempt said (a message key and, for a lock-out, the core's message), shown once.
K_FAILED = "auth.failed"


def signed_in_editor(lang: str) -> Editor | None:
    """The signed-in editor (with 'signed in as' and a sign-out button), or None after drawing the sign-in form."""
    token = st.session_state.get(K_TOKEN)
    if token:
        try:
            editor = data.users().editor(token)
        except AuthError:
            st.session_state.pop(K_TOKEN, None)
            show(t("auth.expired", lang), kind="notice", lang=lang)
        except UserError as e:
            # The file's path and state are for the log, not for whoever opened the page.
            log.warning("users file: %s", e)
            show(t("auth.users_error", lang), kind="error", lang=lang)
            return None
        else:
            _signed_in(editor, lang)
            return editor
    _sign_in_form(lang)
    return None


def _signed_in(editor: Editor, lang: str) -> None:
    sb = st.sidebar
    show(t("auth.signed_in_as", lang), " ", strong(isolated(editor.name)), lang=lang, where=sb)
    sb.button(t("auth.sign_out", lang), key=K_SIGN_OUT, on_click=_sign_out)


def _sign_in_form(lang: str) -> None:
    show(t("auth.intro", lang), kind="info", lang=lang)
    failed = st.session_state.pop(K_FAILED, None)
    if failed is not None:
        key, detail, values = failed
        # The core's own sentence in English (a lock-out says how long); the table's in Arabic.
        show(detail if detail and lang == "en" else t(key, lang, **values), kind="error", lang=lang)
    # Cleared on submit: a password never stays in the widget state once it has been sent.
    with st.form(K_FORM, clear_on_submit=True):
        st.text_input(t("auth.name", lang), key=K_NAME, autocomplete="username")
        st.text_input(t("auth.password", lang), key=K_PASSWORD, type="password", autocomplete="current-password")
        st.form_submit_button(t("auth.submit", lang), key=K_SUBMIT, on_click=_sign_in)


@layout.safe_callback
def _sign_in() -> None:
    name = str(st.session_state.get(K_NAME) or "")
    password = str(st.session_state.get(K_PASSWORD) or "")
    st.session_state[K_PASSWORD] = ""
    try:
        session = data.users().sign_in(name, password)
    except RateLimitedError as e:
        st.session_state[K_FAILED] = ("auth.locked", str(e), {"minutes": max(1, (e.retry_after + 59) // 60)})
        return
    except AuthError:
        # One message for a wrong password, an unknown name or an empty form: it never says which.
        st.session_state[K_FAILED] = ("auth.failed", "", {})
        return
    except UserError as e:
        log.warning("users file: %s", e)
        st.session_state[K_FAILED] = ("auth.users_error", "", {})
        return
    st.session_state[K_TOKEN] = session.token


@layout.safe_callback
def _sign_out() -> None:
    token = st.session_state.pop(K_TOKEN, None)
    if token:
        try:
            data.users().sign_out(token)
        except UserError as e:
            log.warning("sign-out: %s", e)
