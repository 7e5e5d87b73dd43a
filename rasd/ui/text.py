"""The one way text from data reaches a page: shown as text, never as Markdown or HTML.

Text a link or an article controls (URL values, article titles, outlets, notes, evidence, error messages) can
hold Markdown (`![x](http://...)`, `**bold**`), Streamlit's own syntax (`:red[...]`, `:material/home:`,
`:smile:`, `$maths$`), autolink triggers (`http://`, `www.`, `user@host`) and HTML. Backslash escapes cannot
make Markdown literal in Streamlit: autolinks, emoji and icon shortcodes are found in the text after the
escapes are read, and `:material/` is rewritten before parsing. So that text never goes to an element that
renders Markdown. `show()` is the door: it HTML-escapes every part that is not `Markup` (so `<`, `>`, `&` and
quotes are characters, not tags), wraps it in a `rasd-literal` span, and puts the result on the page with
st.html, which renders no Markdown, no shortcode and no maths (Streamlit also passes it through DOMPurify).
The value appears verbatim, character for character.

`Markup` is HTML this module built, with every piece of data in it escaped: strong labels, safe links,
paragraphs in the text's direction, article text with its evidence marked.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import streamlit as st

from rasd.views.i18n import direction

_SAFE_SCHEMES = frozenset({"http", "https"})

# Unicode directional isolates: the text between an isolate and PDI is laid out on its own, so an Arabic phrase
# inside English (or a number or Latin name inside Arabic) keeps its order and does not reorder its neighbours.
FSI, LRI, RLI, PDI = "\u2068", "\u2066", "\u2067", "\u2069"
_RTL_LETTER = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc"
_LTR_LETTER = "A-Za-z\u00c0-\u024f"
_INNER = "\\d\\s.,:;/\\-\u2013\u060c\u061b\u061f\\'\"«»()"
# An Arabic run: optionally a number just before it (05 يناير 2022), then Arabic letters with the digits, spaces
# and punctuation between them, ending on a letter or digit (so a trailing comma stays with the English).
_RTL_RUN = re.compile(rf"(?:\d[\d/.\-]*\s)?[{_RTL_LETTER}](?:[{_RTL_LETTER}{_INNER}]*[{_RTL_LETTER}\d])?")
# A Latin or numeric run (a name, a coordinate pair, 1–10) inside Arabic.
_LTR_RUN = re.compile(rf"[{_LTR_LETTER}\d](?:[{_LTR_LETTER}{_INNER}]*[{_LTR_LETTER}\d])?")

# The boxes show() draws: kind -> (tag, class, ARIA role, inline style). Inline, so a box drawn before the page
# style (an error while the app starts) looks the same.
_BOX = "padding: 0.75rem 1rem; border-radius: 0.5rem; margin: 0; line-height: 1.6; overflow-wrap: anywhere;"
KINDS: dict[str, tuple[str, str, str, str]] = {
    "text": ("div", "rasd-line", "", "overflow-wrap: anywhere;"),
    "summary": ("p", "rasd-summary", "status", "margin: 0; font-size: 1rem; overflow-wrap: anywhere;"),
    "caption": ("div", "rasd-caption", "", "font-size: 0.875rem; color: rgba(49, 51, 63, 0.6); "
                "overflow-wrap: anywhere;"),
    "heading": ("h3", "rasd-heading", "", "margin: 0; padding: 0.5rem 0 0; overflow-wrap: anywhere;"),
    "notice": ("div", "rasd-notice", "alert",
               f"{_BOX} background: rgba(255, 189, 69, 0.16); color: rgb(146, 108, 5);"),
    "info": ("div", "rasd-info", "status", f"{_BOX} background: rgba(28, 131, 225, 0.1); color: rgb(0, 66, 128);"),
    "success": ("div", "rasd-success", "status",
                f"{_BOX} background: rgba(33, 195, 84, 0.1); color: rgb(23, 114, 51);"),
    "error": ("div", "rasd-error", "alert",
              f"{_BOX} background: rgba(255, 43, 43, 0.09); color: rgb(125, 53, 59);"),
}


class Markup(str):
    """HTML built in this module, every piece of data in it escaped: kept as it is by show()."""

    __slots__ = ()


def esc(value: object) -> Markup:
    """A value as HTML text: & < > " ' become entities (Markup is kept as it is)."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def literal(value: object) -> Markup:
    """A value as literal text: escaped, in a `rasd-literal` span (Markup is kept as it is)."""
    if isinstance(value, Markup):
        return value
    return Markup(f'<span class="rasd-literal">{esc(value)}</span>')


def isolated(value: object) -> Markup:
    """A value as literal text laid out in its own direction (<bdi>): an Arabic name in English, or the reverse."""
    return Markup(f'<bdi class="rasd-literal">{esc(value)}</bdi>')


def strong(value: object) -> Markup:
    """A label in bold (the value escaped)."""
    return Markup(f'<strong class="rasd-label">{literal(value)}</strong>')


def join(parts: Iterable[object]) -> Markup:
    """Parts side by side, each escaped (in a literal span) unless it is Markup."""
    return Markup("".join(literal(p) for p in parts))


def div(*parts: object, dir: str | None = None, lang: str | None = None) -> Markup:
    """A <div> of parts (each escaped unless it is Markup), with a direction and language when given."""
    attrs = (f' dir="{esc(dir)}"' if dir else "") + (f' lang="{esc(lang)}"' if lang else "")
    return Markup(f"<div{attrs}>{join(parts)}</div>")


def field(name: object, value: object, *, rtl: bool = False) -> Markup:
    """'name: value' with the name in bold and the value literal, its runs of the other direction isolated."""
    return join((strong(f"{name}:"), " ", isolated_runs(value, rtl=rtl)))


def show(*parts: object, kind: str = "text", lang: str | None = None, where: Any = None) -> None:
    """Put text on the page as text: the only door for text from a link, an article or an error message.

    Every part that is not Markup is HTML-escaped and wrapped in a `rasd-literal` span; the box (see KINDS) goes
    to the page through st.html, which renders no Markdown: no link, image, emphasis, icon, emoji, formula or
    tag can come out of a value. lang sets the box's direction; where is a container (default: st).
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}: not one of {', '.join(KINDS)}")
    (where if where is not None else st).html(box(*parts, kind=kind, lang=lang))


def box(*parts: object, kind: str = "text", lang: str | None = None) -> Markup:
    """The HTML show() puts on the page."""
    tag, cls, role, style = KINDS[kind]
    attrs = f' class="{cls}" style="{style}"'
    if role:
        attrs += f' role="{role}"'
    if lang:
        attrs += f' dir="{direction(lang)}" lang="{esc(lang)}"'
    return Markup(f"<{tag}{attrs}>{join(parts)}</{tag}>")


def isolate(text: object) -> str:
    """Text wrapped in FSI ... PDI: laid out in its own direction, without reordering what surrounds it.

    For plain-text cells (tables, pickers), where no HTML can isolate; in HTML use isolated().
    """
    value = str(text)
    return f"{FSI}{value}{PDI}" if value else value


def isolate_runs(text: object, *, rtl: bool = False) -> str:
    """Text with its runs of the other direction isolated: Arabic in LTR text, Latin words and numbers in RTL.

    For plain-text cells (tables), where no HTML can isolate; in HTML use isolated_runs().
    """
    value = str(text)
    if rtl:
        return _LTR_RUN.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", value)
    return _RTL_RUN.sub(lambda m: f"{RLI}{m.group(0)}{PDI}", value)


def isolated_runs(text: object, *, rtl: bool = False) -> Markup:
    """Text as literal HTML with its runs of the other direction in <bdi> (see isolate_runs), in one literal span."""
    value = str(text)
    pattern = _LTR_RUN if rtl else _RTL_RUN
    parts, at = [], 0
    for match in pattern.finditer(value):
        parts.append(esc(value[at:match.start()]))
        parts.append(Markup(f'<bdi dir="{"ltr" if rtl else "rtl"}">{esc(match.group(0))}</bdi>'))
        at = match.end()
    parts.append(esc(value[at:]))
    return Markup(f'<bdi class="rasd-literal">{"".join(parts)}</bdi>')


def safe_url(url: object) -> str:
    """The URL when it is an absolute http(s) link, else '' (no javascript:, data: or relative links from data)."""
    value = str(url or "").strip()
    if not value or any(ch.isspace() or ord(ch) < 32 or ch in "<>\"'`\\" for ch in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if parts.scheme.lower() in _SAFE_SCHEMES and parts.hostname else ""


def link(url: object, label: object) -> Markup:
    """A link opening in a new tab, or the escaped label alone when the URL is not a safe http(s) link.

    Only an article's own URL is ever linked; the link sends no referrer.
    """
    target = safe_url(url)
    if not target:
        return literal(label)
    return Markup(f'<a class="rasd-url" href="{esc(target)}" target="_blank" rel="noopener noreferrer nofollow" '
                  f'referrerpolicy="no-referrer">{literal(label)}</a>')


def block(text: object, *, lang: str = "ar", extra_class: str = "") -> Markup:
    """A paragraph of escaped text with the direction of its language (Arabic is right-to-left)."""
    classes = " ".join(c for c in ("rasd-text", extra_class) if c)
    return Markup(f'<div class="{classes}" dir="{direction(lang)}" lang="{esc(lang)}">{literal(text)}</div>')


def spans_of(text: str, evidence: Iterable[str], offsets: Iterable[tuple[int, int]] = ()) -> list[tuple[int, int]]:
    """Character spans to highlight: the given offsets when they lie in the text, else where each sentence occurs."""
    spans = [(s, e) for s, e in offsets if 0 <= s < e <= len(text)]
    found = {text[s:e] for s, e in spans}
    for sentence in evidence:
        sentence = (sentence or "").strip()
        if not sentence or sentence in found:
            continue
        at = text.find(sentence)
        if at >= 0:
            spans.append((at, at + len(sentence)))
            found.add(sentence)
    return _merge(spans)


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlighted(text: str, spans: Iterable[tuple[int, int]], *, lang: str = "ar") -> Markup:
    """The whole text as literal text, with each span in <mark>, in a block of the language's direction."""
    parts: list[str] = []
    at = 0
    for start, end in _merge(list(spans)):
        if start < at or end > len(text):
            continue
        if start > at:
            parts.append(literal(text[at:start]))
        parts.append(f"<mark>{literal(text[start:end])}</mark>")
        at = end
    if at < len(text):
        parts.append(literal(text[at:]))
    body = "".join(parts)
    return Markup(f'<div class="rasd-text rasd-article" dir="{direction(lang)}" lang="{esc(lang)}">{body}</div>')


def show_style(*, rtl: bool) -> None:
    """Put the page style (rtl_css) on the page."""
    st.html(rtl_css(rtl=rtl))


def rtl_css(*, rtl: bool) -> Markup:
    """The page style: a compact header, article text with its line breaks; with rtl, pages run right to left."""
    rules = [
        ".rasd-text { unicode-bidi: plaintext; }",
        # A value keeps its spaces and tabs, as typed.
        ".rasd-literal { white-space: pre-wrap; }",
        ".rasd-notice div + div { margin-top: 0.25rem; }",
        ".rasd-text[dir=rtl] { direction: rtl; text-align: right; }",
        ".rasd-article { white-space: pre-wrap; line-height: 1.8; }",
        ".rasd-article mark { background: #ffe58f; padding: 0 2px; }",
        # A pasted article runs in its own direction in the editors' text box (Arabic from the right).
        '[data-testid="stTextArea"] textarea { unicode-bidi: plaintext; text-align: start; }',
        # The title starts just under the top navigation bar (3.75rem) instead of 8rem down the page.
        '[data-testid="stMainBlockContainer"] { padding-top: 4.75rem; }',
        '[data-testid="stMain"] h1 { font-size: 1.9rem; padding-top: 0; padding-bottom: 0.25rem; }',
        '[data-testid="stSidebarHeader"] { height: 2.5rem; margin-bottom: 0; }',
        # Period presets fill each row of the sidebar, however their labels wrap.
        '[data-testid="stSidebar"] [data-testid="stButtonGroup"] [role="radiogroup"] { flex-wrap: wrap; }',
        '[data-testid="stSidebar"] [data-testid="stButtonGroup"] button { flex: 1 1 auto; }',
    ]
    if rtl:
        rules.append(
            '[data-testid="stMain"], [data-testid="stMainBlockContainer"], [data-testid="stSidebar"], '
            '[data-testid="stSidebarContent"] { direction: rtl; text-align: right; }'
        )
        rules.append(
            '[data-testid="stMain"] [data-testid="stElementContainer"], '
            '[data-testid="stMain"] [data-testid="stMarkdownContainer"] { text-align: right; }'
        )
        # Each ISO date reads left to right; the range itself still starts on the right.
        rules.append('[data-testid="stDateInput"] [role="group"] { direction: ltr; }')
        # Code blocks hold links and the English citation; charts lay out their own text (Arabic labels included).
        rules.append('[data-testid="stCode"], [data-testid="stVegaLiteChart"] { direction: ltr; text-align: left; }')
        # Segmented controls join their buttons as in a left-to-right row: mirror the joins.
        segment = '[data-testid="stButtonGroup"] button[data-variant="segmented_control"]'
        rules += [
            f'{segment} {{ margin-right: 0; margin-left: -1px; }}',
            f'{segment}[aria-checked="false"] {{ border-color: rgb(215, 211, 207) !important; }}',
            f'{segment}:first-child {{ border-radius: 0 0.5rem 0.5rem 0; }}',
            f'{segment}:last-child {{ border-radius: 0.5rem 0 0 0.5rem; margin-left: 0; }}',
            f'{segment}:only-child {{ border-radius: 0.5rem; }}',
        ]
    return Markup("<style>\n" + "\n".join(rules) + "\n</style>")
