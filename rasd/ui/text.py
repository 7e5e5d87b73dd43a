"""Safe HTML and Markdown from article-derived text: everything from the data is escaped before it is shown."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from rasd.i18n import direction

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$&:])")
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


def md(text: object) -> str:
    """Text made literal for st.markdown: every Markdown and HTML special character is backslash-escaped."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def isolate(text: object) -> str:
    """Text wrapped in FSI ... PDI: laid out in its own direction, without reordering what surrounds it."""
    value = str(text)
    return f"{FSI}{value}{PDI}" if value else value


def isolate_runs(text: object, *, rtl: bool = False) -> str:
    """Text with its runs of the other direction isolated: Arabic in LTR text, Latin words and numbers in RTL."""
    value = str(text)
    if rtl:
        return _LTR_RUN.sub(lambda m: f"{LRI}{m.group(0)}{PDI}", value)
    return _RTL_RUN.sub(lambda m: f"{RLI}{m.group(0)}{PDI}", value)


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
    """The page style: a compact header, article text with its line breaks; with rtl, pages run right to left."""
    rules = [
        ".rasd-text { unicode-bidi: plaintext; }",
        ".rasd-text[dir=rtl] { direction: rtl; text-align: right; }",
        ".rasd-article { white-space: pre-wrap; line-height: 1.8; }",
        ".rasd-article mark { background: #ffe58f; padding: 0 2px; }",
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
    return "<style>\n" + "\n".join(rules) + "\n</style>"
