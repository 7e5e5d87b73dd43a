"""Safe HTML and Markdown from article-derived text: everything from the data is escaped before it is shown."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from rasd.i18n import direction

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")
_SAFE_SCHEMES = frozenset({"http", "https"})


def md(text: object) -> str:
    """Text made literal for st.markdown: every Markdown and HTML special character is backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def esc(text: object) -> str:
    """Text made literal inside HTML."""
    return html.escape(str(text), quote=True)


def safe_url(url: object) -> str:
    """The URL when it is an absolute http(s) link, else '' (no javascript:, data: or relative links from data)."""
    value = str(url or "").strip()
    if not value or any(ch.isspace() or ord(ch) < 32 for ch in value):
        return ""
    try:
        parts = urlsplit(value)
    except ValueError:
        return ""
    return value if parts.scheme.lower() in _SAFE_SCHEMES and parts.netloc else ""


def link(url: object, label: object) -> str:
    """An HTML link opening in a new tab, or the escaped label alone when the URL is not a safe http(s) link."""
    target = safe_url(url)
    if not target:
        return esc(label)
    return f'<a href="{esc(target)}" target="_blank" rel="noopener noreferrer">{esc(label)}</a>'


def block(text: object, *, lang: str = "ar", extra_class: str = "") -> str:
    """A paragraph of escaped text with the direction of its language (Arabic is right-to-left)."""
    classes = " ".join(c for c in ("rasd-text", extra_class) if c)
    return f'<div class="{classes}" dir="{direction(lang)}" lang="{esc(lang)}">{esc(text)}</div>'


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


def highlighted(text: str, spans: Iterable[tuple[int, int]], *, lang: str = "ar") -> str:
    """The whole text escaped, with each span wrapped in <mark>, in a block of the language's direction."""
    parts: list[str] = []
    at = 0
    for start, end in _merge(list(spans)):
        if start < at or end > len(text):
            continue
        parts.append(esc(text[at:start]))
        parts.append(f"<mark>{esc(text[start:end])}</mark>")
        at = end
    parts.append(esc(text[at:]))
    body = "".join(parts)
    return f'<div class="rasd-text rasd-article" dir="{direction(lang)}" lang="{esc(lang)}">{body}</div>'


def rtl_css(*, rtl: bool) -> str:
    """The page style: article text keeps its line breaks; with rtl the main block and sidebar run right to left."""
    rules = [
        ".rasd-text { unicode-bidi: plaintext; }",
        ".rasd-text[dir=rtl] { direction: rtl; text-align: right; }",
        ".rasd-article { white-space: pre-wrap; line-height: 1.8; }",
        ".rasd-article mark { background: #ffe58f; padding: 0 2px; }",
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
    return "<style>\n" + "\n".join(rules) + "\n</style>"
