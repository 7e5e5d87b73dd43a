"""The hostile corpus in tests/data/hostile/: values, odd paths, links built from them and hostile articles.

Everything a shared link or an article controls reaches the page through one door or another: a URL
parameter (each public one, unknown ones and their names), the path, an article's catalogue row (title,
outlet, URL, note, file name) and its text. The tests run every value through every door, on every page
in both languages, under AppTest and in Chromium. Add a value to values.json and every door gets it.

What a value looks like once shown is spelled out here, not borrowed from the app: a value quoted in a
notice is the value itself when it has at most SHOWN_CHARS characters and no control character, else it
is shortened with an ellipsis and its control characters are written '?'; free text (q) has its control
characters and runs of spaces turned into one space and is cut at MAX_Q_CHARS.
"""

from __future__ import annotations

import csv
import json
import random
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "hostile"
PAGES = ("map", "timeline", "events", "places", "sources")
LANGS = ("en", "ar")

# URL parameters whose values are comma-separated lists, and the single-valued ones (README "Shared links").
LIST_DOORS = ("weapon", "target", "outcome", "governorate", "place", "claimant", "outlet")
SCALAR_DOORS = ("start", "end", "event", "lat", "lon", "zoom", "lang", "q")
PUBLIC_PARAMS = frozenset(LIST_DOORS + SCALAR_DOORS)
SHOWN_CHARS = 60
MAX_VALUE_CHARS = 200
MAX_Q_CHARS = 200
# The prefix of the unknown parameter names the generated links add.
UNKNOWN_PREFIX = "x_"
# A harmless word in the place of a hostile value: the benign twin of a link, whose page is the baseline.
BENIGN = "zzbenign"
# How many unknown parameter names the one notice about them lists.
UNKNOWN_LISTED = 10
# Hosts no request may reach and no link or image may point to.
EVIL_HOSTS = ("evil.example",)
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True)
class Hostile:
    """One crafted value and the Markdown, HTML or spreadsheet vector it tries."""

    vector: str
    value: str


def values() -> list[Hostile]:
    """The hostile values of tests/data/hostile/values.json, in file order."""
    rows = json.loads((CORPUS / "values.json").read_text(encoding="utf-8"))
    return [Hostile(r["vector"], r["value"]) for r in rows]


@dataclass(frozen=True)
class OddPath:
    """A path (with its query) a reader may paste, and what the app must then show."""

    path: str
    page: str
    why: str
    notice: str = ""
    weapons: tuple[str, ...] = ()


def odd_paths() -> list[OddPath]:
    """The odd paths of tests/data/hostile/paths.json."""
    rows = json.loads((CORPUS / "paths.json").read_text(encoding="utf-8"))
    return [OddPath(r["path"], r["page"], r["why"], r.get("notice", ""), tuple(r.get("weapons", ()))) for r in rows]


def is_control(ch: str) -> bool:
    """A control or bidirectional formatting character."""
    return unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS


def quoted_form(value: str) -> str | None:
    """How a notice quotes a value: itself when short and clean, else shortened; None when too long to quote."""
    if len(value) > MAX_VALUE_CHARS:
        return None
    cleaned = "".join("?" if is_control(ch) else ch for ch in value)
    return cleaned if len(cleaned) <= SHOWN_CHARS else cleaned[: SHOWN_CHARS - 1] + "\u2026"


def q_form(value: str) -> str:
    """Free text as the summary sentence quotes it."""
    text = " ".join("".join(" " if is_control(ch) else ch for ch in value[: MAX_Q_CHARS * 4]).split())
    return text[:MAX_Q_CHARS].rstrip()


def list_items(value: str) -> list[str]:
    """The items of a list parameter's value (comma-separated, trimmed, empty ones dropped)."""
    return [item.strip() for item in value.split(",") if item.strip()]


@dataclass
class Link:
    """A shared link: path, parameters in order, and the texts its page must show verbatim."""

    path: str
    params: list[tuple[str, str]]
    lang: str = "en"
    expect: list[str] = field(default_factory=list)
    # Values that must never reach an element that renders Markdown.
    hostile: list[str] = field(default_factory=list)

    @property
    def page(self) -> str:
        """The page the path names."""
        return self.path.strip("/") or "map"

    def url(self) -> str:
        """The path and its percent-encoded query."""
        query = urlencode(self.params, quote_via=quote, safe="")
        return f"{self.path}?{query}" if query else self.path

    def query(self) -> dict[str, list[str]]:
        """The parameters as Streamlit hands them to the app: every value of each name, in order."""
        out: dict[str, list[str]] = {}
        for key, value in self.params:
            out.setdefault(key, []).append(value)
        return out

    def benign(self) -> "Link":
        """The same link with every hostile value replaced by a harmless word (the baseline page)."""
        params = [(k if k in PUBLIC_PARAMS else f"{UNKNOWN_PREFIX}{i}", v if k == "lang" and v in LANGS else BENIGN)
                  for i, (k, v) in enumerate(self.params)]
        return Link(self.path, params, self.lang)


def _door_expect(door: str, value: str) -> tuple[list[str], list[str]]:
    """What a page shows verbatim for one value put through one door, and the values to keep out of Markdown."""
    if door in LIST_DOORS:
        items = list_items(value)
        return [s for s in map(quoted_form, items) if s], items
    if door == "q":
        text = q_form(value)
        return ([text] if text else []), ([text] if text else [])
    stripped = value if door in ("event", "lang") else value.strip()
    if not stripped.strip():
        return [], []
    shown = quoted_form(stripped)
    return ([shown] if shown else []), [stripped]


def link_for(page: str, lang: str, doors: list[tuple[str, str]], *, unknown: list[str] = ()) -> Link:
    """A link to page in lang carrying each (door, value), plus unknown parameter names (each with value 1)."""
    params: list[tuple[str, str]] = []
    expect: list[str] = []
    hostile: list[str] = []
    for door, value in doors:
        params.append((door, value))
        shown, keep_out = _door_expect(door, value)
        expect += shown
        hostile += keep_out
    for name in unknown:
        params.append((name, "1"))
        hostile.append(name)
        if len(unknown) <= UNKNOWN_LISTED and quoted_form(name):
            expect.append(quoted_form(name))
    if lang != "en":
        params.append(("lang", lang))
    return Link(f"/{page}", params, lang, expect, hostile)


# Doors of the core links: every public parameter but lang (which picks the language of the run).
CORE_DOORS = ("weapon", "target", "outcome", "governorate", "place", "claimant", "outlet",
              "start", "end", "event", "lat", "lon", "zoom", "q")


def core_links(page: str, lang: str) -> list[Link]:
    """One link per hostile value; link i puts value i+k*7 through door k and value i+3 in an unknown name.

    Over the links every value goes through every door once (a Latin square), on this page in this language.
    English links also put value i+5 through lang (an unknown language is reported, and the page is English).
    """
    corpus = [h.value for h in values()]
    n = len(corpus)
    links = []
    for i in range(n):
        doors = [(door, corpus[(i + k * 7) % n]) for k, door in enumerate(CORE_DOORS)]
        if lang == "en":
            doors.append(("lang", corpus[(i + 5) % n]))
        links.append(link_for(page, lang, doors, unknown=[corpus[(i + 3) % n]]))
    return links


def packed_links(page: str, lang: str, *, rotation: int = 0, per_link: int = 24) -> list[Link]:
    """Few links carrying the whole corpus: list doors repeated (weapon=a&weapon=b...), for the browser.

    Every value goes through one list door and, over the links, several values through q, the dates and
    the other single-valued doors (which take one value each).
    """
    corpus = [h.value for h in values()]
    links = []
    for start in range(0, len(corpus), per_link):
        chunk = corpus[start:start + per_link]
        doors: list[tuple[str, str]] = []
        for j, value in enumerate(chunk):
            doors.append((LIST_DOORS[(j + rotation) % len(LIST_DOORS)], value))
        k = start // per_link + rotation
        for d, door in enumerate(("start", "end", "event", "lat", "lon", "zoom", "q")):
            doors.append((door, corpus[(k * 7 + d * 13 + 1) % len(corpus)]))
        links.append(link_for(page, lang, doors, unknown=[corpus[(k * 11 + 2) % len(corpus)]]))
    return links


# The generated links: fragments of the corpus glued together, percent-encoding slips, repeated, unknown and
# misspelt parameters, Arabic words, many values in one list.
_ARABIC_WORDS = ("هجوم", "قاعدة", "عين الأسد", "صواريخ", "طائرة مسيرة", "بغداد", "عاجل")
_GLUE = ("", " ", ",", ", ", "\u00a0", "\t", "/", "|", "\u060c ")
_VALID = {"weapon": "drone", "target": "base", "outcome": "hit", "governorate": "anbar", "start": "2022-01-01",
          "end": "2024-12-31", "zoom": "7", "lat": "33.3", "lon": "44.4"}


def _fragment(rng: random.Random, corpus: list[str]) -> str:
    value = rng.choice(corpus)
    roll = rng.random()
    if roll < 0.25 and len(value) > 4:
        a, b = sorted(rng.sample(range(len(value) + 1), 2))
        value = value[a:b] or value
    elif roll < 0.35:
        value = value.upper()
    elif roll < 0.45:
        value = rng.choice(_ARABIC_WORDS) + " " + value
    return value


def generated_value(rng: random.Random, corpus: list[str]) -> str:
    """One to four fragments of hostile values joined by spaces, commas, tabs or Arabic commas."""
    parts = [_fragment(rng, corpus) for _ in range(rng.randint(1, 4))]
    glue = rng.choice(_GLUE)
    return glue.join(parts)


def generated_links(n: int, *, seed: int = 9) -> list[Link]:
    """n links, each to a page and language, carrying one to six hostile values through random doors.

    Some also carry a valid value, repeat a parameter, misspell one or add unknown parameters.
    """
    rng = random.Random(seed)
    corpus = [h.value for h in values()]
    links = []
    for i in range(n):
        page = PAGES[i % len(PAGES)]
        lang = LANGS[(i // len(PAGES)) % len(LANGS)]
        doors: list[tuple[str, str]] = []
        for _ in range(rng.randint(1, 6)):
            door = rng.choice(CORE_DOORS)
            doors.append((door, generated_value(rng, corpus)))
        if rng.random() < 0.3:
            door = rng.choice(sorted(_VALID))
            doors.append((door, _VALID[door]))
        unknown = [generated_value(rng, corpus).replace("\t", " ") for _ in range(rng.choice((0, 0, 1, 3)))]
        link = link_for(page, lang, doors, unknown=unknown)
        # Only the last value of a single-valued parameter counts: earlier ones are never reported.
        link.expect = _expect_of(link)
        links.append(link)
    return links


def _expect_of(link: Link) -> list[str]:
    last: dict[str, str] = {}
    for key, value in link.params:
        if key in SCALAR_DOORS:
            last[key] = value
    expect: list[str] = []
    for key, value in link.params:
        if key in LIST_DOORS:
            expect += [s for s in map(quoted_form, list_items(value)) if s and s not in _VALID.values()]
    for key, value in last.items():
        if key in ("lang",) or _VALID.get(key) == value:
            continue
        expect += _door_expect(key, value)[0]
    # lat and lon are reported together when only one is valid: the valid one is quoted then, not expected.
    return expect


# Hostile articles: every value as the outlet, title, URL and note of one article, and inside its text.
ARTICLE_PLACES = (
    ("قاعدة حرير", "أربيل"), ("قاعدة عين الأسد", "الأنبار"), ("مطار بغداد الدولي", "بغداد"),
    ("قاعدة فكتوريا", "بغداد"), ("مطار أربيل الدولي", "أربيل"),
)
FIRST_DAY = date(2023, 1, 2)


@dataclass(frozen=True)
class HostileArticle:
    """An article written by the tests: its file and catalogue fields, each carrying a hostile value."""

    file: str
    title: str
    outlet: str
    url: str
    published: date
    note: str
    value: str
    text: str


def hostile_articles() -> list[HostileArticle]:
    """One article per hostile value, each reporting a drone attack on its own day (so each is its own event)."""
    articles = []
    for i, h in enumerate(values()):
        place, governorate = ARTICLE_PLACES[i % len(ARTICLE_PLACES)]
        day = FIRST_DAY + timedelta(days=3 * i)
        sentence = (f"استهدفت طائرة مسيرة {place} التي تضم قوات أمريكية فجر اليوم في محافظة {governorate} "
                    f"{h.value} بحسب مصادر أمنية عراقية")
        text = (f"{h.value} هجوم جديد على القوات الأمريكية\n\n{sentence}، وتحدثت المصادر للصحفيين عن الهجوم "
                f"الجديد على القوات الأمريكية في العراق.\n")
        name = f"h{i:03d}.txt" if i % 10 else f"h{i:03d} {_file_safe(h.value)}.txt"
        articles.append(HostileArticle(
            file=name, title=f"{h.value} عنوان", outlet=h.value, url=h.value, published=day,
            note=f"note {h.value}", value=h.value, text=text,
        ))
    return articles


def _file_safe(value: str) -> str:
    """A value usable in a file name (no slash, NUL or control character), to put markup in file names too."""
    cleaned = "".join("_" if ch in "/\\\0" or is_control(ch) else ch for ch in value)
    return cleaned[:60].strip() or "x"


def write_hostile_articles(folder: Path) -> list[HostileArticle]:
    """Write the hostile articles and their articles.csv into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    articles = hostile_articles()
    for a in articles:
        (folder / a.file).write_text(a.text, encoding="utf-8")
    with (folder / "articles.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "outlet", "url", "published", "published_note"])
        for a in articles:
            writer.writerow([a.file, a.title, a.outlet, a.url, a.published.isoformat(), a.note])
    return articles


# Reading the HTML an st.html element holds (AppTest gives its body as a string).
@dataclass
class Node:
    """An HTML element: tag, attributes, children (elements and text strings)."""

    tag: str
    attrs: dict[str, str]
    children: list["Node | str"] = field(default_factory=list)

    def text(self) -> str:
        """The text content, as a browser's textContent."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def walk(self):
        """This element and every element below it."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.walk()

    def classes(self) -> set[str]:
        """The element's classes."""
        return set(self.attrs.get("class", "").split())


_VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                   "wbr"})


def parse_html(body: str) -> Node:
    """The element tree of an HTML fragment (a root element holds it)."""
    from html.parser import HTMLParser

    root = Node("#root", {})
    stack = [root]

    class _Builder(HTMLParser):
        def handle_starttag(self, tag, attrs):
            node = Node(tag, {k: v or "" for k, v in attrs})
            stack[-1].children.append(node)
            if tag not in _VOID:
                stack.append(node)

        def handle_startendtag(self, tag, attrs):
            stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

        def handle_endtag(self, tag):
            for i in range(len(stack) - 1, 0, -1):
                if stack[i].tag == tag:
                    del stack[i:]
                    return

        def handle_data(self, data):
            stack[-1].children.append(data)

    builder = _Builder(convert_charrefs=True)
    builder.feed(body)
    builder.close()
    return root
