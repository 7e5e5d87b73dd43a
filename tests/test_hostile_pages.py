"""Every hostile value through every door, on every page in both languages, under AppTest.

For each link of the corpus (tests/hostile.py, tests/data/hostile/) and for the hostile articles, the element
tree must show:
- no element that renders Markdown (markdown, captions, alerts, titles, widget labels and help) holding a
  hostile value: such text goes only through rasd.ui.text.show() (st.html of escaped text);
- in the st.html elements, no tag but the helper's own (div, p, h3, span, bdi, strong, mark, the article's
  own http(s) link), no attribute built from a value, and each value quoted verbatim in a `rasd-literal`
  element with no markup inside (bdi direction isolates at most);
- the page itself (its title), no exception or error box, and a URL written back with known parameters only.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from rasd.articles import load_articles, outlet_id
from rasd.views.i18n import t
from rasd.store import Store
from rasd.views.viewstate import URL_PARAMS

import hostile
from hostile import LANGS, LIST_DOORS, PAGES, Link, Node, parse_html

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TIMEOUT = 60
# Generated links in the broad run: each names a page, and is tried on it in both languages.
GENERATED = 400
# The tags the helper's HTML may hold; `style` is the page style, which quotes no data.
HELPER_TAGS = frozenset({"#root", "div", "p", "h3", "span", "bdi", "strong", "mark", "a", "style"})
# Emphasis, headings and links the helper draws carry its classes (Markdown makes none).
HELPER_CLASSES = {"strong": {"rasd-label"}, "h3": {"rasd-heading"}, "p": {"rasd-summary"}, "a": {"rasd-url"},
                  "span": {"rasd-literal"}}
# Markup-making characters: a hostile string without any of them cannot render as markup anywhere.
_ACTIVE = re.compile(r"[*_\[\]()!<>:$~#`@&|=\\{}]|www\.|https?:", re.IGNORECASE)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds plus one article per hostile value (outlet, title, URL, note and text carry it)."""
    root = tmp_path_factory.mktemp("hostile")
    hostile.write_hostile_articles(root / "articles")
    loaded = load_articles([root / "articles"])
    assert not loaded.errors, loaded.errors
    path = root / "rasd.sqlite"
    store = Store.build_from_folder(path, seeds_dir)
    store.ingest(loaded.articles)
    return path


@pytest.fixture(scope="module")
def hostile_events(hostile_db: Path) -> pd.DataFrame:
    """The events frame of the hostile database."""
    return Store(hostile_db, create=False).events_frame()


@pytest.fixture
def use_hostile_db(hostile_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RASD_DB", str(hostile_db))
    return hostile_db


class Session:
    """One AppTest session kept on one page: each link is a rerun with that link's query."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
        self.at.run()
        if page != "map":
            self.at.switch_page(f"pages/{page}.py")

    def open(self, params: dict[str, str]) -> AppTest:
        """Rerun the page with these URL parameters, as a pasted link."""
        self.at.query_params.clear()
        self.at.query_params.update(params)
        return self.at.run()


def apptest_params(link: Link) -> dict[str, str]:
    """The link's query as AppTest takes it: one value per name (list parameters comma-joined, else the last)."""
    out: dict[str, str] = {}
    for key, values in link.query().items():
        out[key] = ",".join(values) if key in LIST_DOORS else values[-1]
    return out


def _active(strings: list[str]) -> list[str]:
    return [s for s in dict.fromkeys(strings) if len(s) >= 3 and _ACTIVE.search(s)]


def markdown_strings(at: AppTest) -> list[tuple[str, str]]:
    """(element type, text) of everything that Streamlit renders as Markdown: bodies, labels, help, placeholders."""
    found: list[tuple[str, str]] = []
    markdown_types = {"markdown", "caption", "warning", "error", "info", "success", "toast", "title", "header",
                      "subheader", "latex", "exception", "alert"}

    def visit(node) -> None:
        kind = getattr(node, "type", "")
        if kind in markdown_types:
            value = getattr(node, "value", None)
            if isinstance(value, str):
                found.append((kind, value))
        for attr in ("label", "help", "placeholder"):
            value = getattr(node, attr, None)
            if isinstance(value, str) and value:
                found.append((f"{kind}.{attr}", value))
        children = getattr(node, "children", None)
        for child in (children.values() if isinstance(children, dict) else children or []):
            visit(child)

    visit(at.main)
    visit(at.sidebar)
    return found


def literal_texts(trees: list[Node]) -> list[str]:
    """The text of every rasd-literal element that holds no markup (bdi isolates at most)."""
    out = []
    for tree in trees:
        for node in tree.walk():
            if "rasd-literal" in node.classes() and all(n.tag == "bdi" for n in node.walk() if n is not node):
                out.append(node.text())
    return out


def _article_urls() -> frozenset[str]:
    from rasd.ui.text import safe_url

    return frozenset(a.url for a in hostile.hostile_articles() if safe_url(a.url))


# The hostile articles' own URLs that are absolute http(s) links: the only links a page may hold.
ARTICLE_URLS = _article_urls()


def check_page(at: AppTest, *, page: str, lang: str, expect: list[str], hostile_values: list[str],
               urls: frozenset[str] = ARTICLE_URLS) -> None:
    """The checks of the module docstring on one rendered page."""
    assert not at.exception, [e.value for e in at.exception]
    assert [h.value for h in at.title] == [t(f"page.{page}", lang)], "the page did not render"
    active = _active(hostile_values)
    for kind, text in markdown_strings(at):
        leaked = [v for v in active if v in text]
        assert not leaked, f"{kind} renders Markdown from data: {leaked!r} in {text[:200]!r}"
    trees = [parse_html(h.value) for h in at.html]
    for tree in trees:
        for node in tree.walk():
            assert node.tag in HELPER_TAGS, f"<{node.tag}> in {tree.text()[:120]!r}"
            if node.tag in HELPER_CLASSES:
                assert HELPER_CLASSES[node.tag] & node.classes(), f"<{node.tag}> without the helper's class"
            assert "rasd-error" not in node.classes(), tree.text()[:300]
            if node.tag == "a":
                href = node.attrs.get("href", "")
                # Only an article's own http(s) URL is a link (its text the URL or the outlet's name).
                assert "rasd-url" in node.classes() and href in urls, node.attrs
                assert "noopener" in node.attrs.get("rel", "") and "noreferrer" in node.attrs.get("rel", "")
            for name, value in node.attrs.items():
                if node.tag == "a" and name == "href":
                    continue
                built = [v for v in active if v in value]
                assert not built, f"attribute {name}={value[:80]!r} built from {built!r}"
            if node.tag == "style":
                assert not [v for v in active if v in node.text()]
    shown = literal_texts(trees)
    missing = [e for e in expect if not any(e in s for s in shown)]
    assert not missing, f"not shown verbatim as text: {missing!r}"
    assert set(at.query_params) <= set(URL_PARAMS), sorted(set(at.query_params) - set(URL_PARAMS))
    unknown = [s for s in shown if re.match(r"Ignored [\d,]+ unknown parameter", s)]
    assert len(unknown) <= 1, unknown


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_core_links_render_no_markup(use_hostile_db: Path, page: str, lang: str) -> None:
    """Each hostile value through each public parameter, an unknown name and (English) lang."""
    session = Session(page)
    links = hostile.core_links(page, lang)
    assert len(links) == len(hostile.values())
    for link in links:
        at = session.open(apptest_params(link))
        try:
            check_page(at, page=page, lang=lang, expect=link.expect, hostile_values=link.hostile)
        except AssertionError as e:
            raise AssertionError(f"{link.url()[:300]}\n{e}") from None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_generated_links_render_no_markup(use_hostile_db: Path, page: str, lang: str) -> None:
    """The broad run: the generated links to this page (fragments glued, repeated, misspelt and unknown
    parameters), each in this language."""
    session = Session(page)
    links = [link for link in hostile.generated_links(GENERATED) if link.page == page]
    assert len(links) == GENERATED // len(PAGES)
    for link in links:
        params = {k: v for k, v in apptest_params(link).items() if k != "lang"}
        if lang != "en":
            params["lang"] = lang
        at = session.open(params)
        try:
            check_page(at, page=page, lang=lang, expect=link.expect, hostile_values=link.hostile)
        except AssertionError as e:
            raise AssertionError(f"{link.url()[:300]}\n{e}") from None


def _event_of(events: pd.DataFrame, file: str) -> pd.Series:
    rows = events[events["articles"].map(lambda files: file in files)]
    assert len(rows) >= 1, f"{file} yielded no event: its metadata would not be shown"
    return rows.iloc[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", ("map", "sources"))
def test_hostile_articles_render_no_markup(use_hostile_db: Path, hostile_events: pd.DataFrame, page: str,
                                           lang: str) -> None:
    """Each hostile article's event selected (the map's event panel, the Sources page): its fields stay text."""
    session = Session(page)
    articles = hostile.hostile_articles()
    for article in articles:
        event = _event_of(hostile_events, article.file)
        at = session.open({"event": event["id"], "lang": lang})
        if page == "sources":
            assert at.selectbox(key="sources.article").value == article.file, "the event's report is not opened"
            assert any(article.title in o for o in at.selectbox(key="sources.article").options)
            expect = [article.title, article.outlet, article.note, article.value]
            if not hostile_safe_url(article.url):
                expect.append(article.url)
        else:
            expect = [article.title, article.outlet, article.value]
        try:
            check_page(at, page=page, lang=lang, expect=expect,
                       hostile_values=[article.value, article.title, article.note, article.file])
        except AssertionError as e:
            raise AssertionError(f"{article.file} ({article.value!r})\n{e}") from None


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("page", PAGES)
def test_hostile_outlets_in_the_filter_render_no_markup(use_hostile_db: Path, page: str, lang: str) -> None:
    """Links filtering on the hostile outlets (40 at a time): their names in the sentence stay text."""
    session = Session(page)
    by_slug: dict[str, list[str]] = {}
    for article in hostile.hostile_articles():
        if outlet_id(article.outlet):
            by_slug.setdefault(outlet_id(article.outlet), []).append(article.outlet)
    slugs = sorted(by_slug)
    assert len(slugs) > 40
    for start in range(0, len(slugs), 40):
        chunk = slugs[start:start + 40]
        at = session.open({"outlet": ",".join(chunk), "lang": lang})
        names = [n for slug in chunk for n in by_slug[slug]]
        unique = [by_slug[slug][0] for slug in chunk if len(by_slug[slug]) == 1]
        check_page(at, page=page, lang=lang, expect=unique, hostile_values=names)
        (sentence,) = [box.text() for h in at.html for box in parse_html(h.value).walk()
                       if "rasd-summary" in box.classes()]
        # Outlets whose names have one slug: the sentence names one of them.
        assert all(any(n in sentence for n in by_slug[slug]) for slug in chunk), sentence[:300]


def hostile_safe_url(url: str) -> bool:
    """Whether the article's URL is an absolute http(s) link (shown as a link to itself)."""
    from rasd.ui.text import safe_url

    return bool(safe_url(url))


def test_every_hostile_article_yields_an_event(hostile_events: pd.DataFrame) -> None:
    files = {f for row in hostile_events["articles"] for f in row}
    missing = [a.file for a in hostile.hostile_articles() if a.file not in files]
    assert not missing, missing


# The checks themselves: they fail on a page that bypasses the helper, and pass on one that uses it.

_PAGE_SCRIPT = """
import streamlit as st
from rasd.views.i18n import t
from rasd.ui.text import show
st.title(t("page.map", "en"))
{body}
"""


@pytest.mark.parametrize(
    "body",
    [
        "st.warning(\"Ignored weapon '**bold**': no.\")",
        "st.markdown('matching \"http://evil.example/x\"')",
        "st.caption('note :material/home:')",
        "st.html('<span class=\"rasd-literal\">**bold**</span><img src=\"http://evil.example/p.png\">')",
        "st.html('<em class=\"rasd-literal\">**bold**</em>')",
        "st.button('**bold**')",
        "show('bold')",
    ],
)
def test_the_checks_catch_a_page_that_renders_data_as_markup(body: str) -> None:
    at = AppTest.from_string(_PAGE_SCRIPT.format(body=body), default_timeout=TIMEOUT).run()
    with pytest.raises(AssertionError):
        check_page(at, page="map", lang="en", expect=["**bold**"], hostile_values=["**bold**",
                                                                                    "http://evil.example/x",
                                                                                    ":material/home:"])


def test_the_checks_pass_a_page_that_shows_data_as_text() -> None:
    body = "show(\"Ignored weapon '\", '**bold**', \"'\", kind='notice')\nshow('x :material/home: y')"
    at = AppTest.from_string(_PAGE_SCRIPT.format(body=body), default_timeout=TIMEOUT).run()
    check_page(at, page="map", lang="en", expect=["**bold**", ":material/home:"],
               hostile_values=["**bold**", ":material/home:"])


def test_the_csv_download_holds_no_live_formula(use_hostile_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The Events page's CSV download of the hostile database: formulas from outlets are text."""
    import csv
    import io

    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    files: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def recording(self, path_or_data, mimetype, kind, filename=None):
        if isinstance(path_or_data, bytes) and filename:
            files[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", recording)
    at = Session("events").open({})
    assert not at.exception
    rows = list(csv.reader(io.StringIO(files["rasd-events.csv"].decode("utf-8"), newline="")))
    assert len(rows) > 90
    cells = [c for row in rows for c in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    sources = [row[rows[0].index("source")] for row in rows[1:]]
    for formula in ('=HYPERLINK("http://evil.example/?x","click")', "+1+2", "-2+3", "@SUM(A1)"):
        assert any(s.startswith("'" + formula) for s in sources), formula
