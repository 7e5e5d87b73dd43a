"""Text from links and articles reaches the page only through rasd.ui.text.show(); the URL's other doors.

The AST walk reads every Streamlit call in app.py, pages/ and rasd/ui/: a call that renders Markdown (st.markdown,
st.warning, st.caption, widget labels and help, ...) may receive only interface text (string constants and
i18n.t() of a constant key, numbers); st.html is called only inside rasd/ui/text.py; Markup is built only there.
Anything else (a URL value, an article field, an exception message) has to go through show().
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rasd.views.filters import Notice
from rasd.ui import routes
from rasd.ui import text as ui_text
from rasd.views.viewstate import UNKNOWN_LISTED, URL_PARAMS, View

from hostile import Node, parse_html, values

ROOT = Path(__file__).resolve().parent.parent
SCANNED = [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "rasd" / "ui").glob("*.py"))]
HELPER = ROOT / "rasd" / "ui" / "text.py"

# Streamlit calls that render their text arguments as Markdown: every text argument must be interface text.
MARKDOWN_CALLS = frozenset({
    "markdown", "write", "caption", "info", "warning", "error", "success", "toast", "title", "header",
    "subheader", "latex", "badge", "exception", "write_stream", "help", "echo",
})
# Widgets and containers whose label (first argument) and label-like keywords render Markdown. Their options,
# values and format_func results are shown as plain text.
LABELLED_CALLS = frozenset({
    "button", "download_button", "link_button", "page_link", "toggle", "checkbox", "radio", "text_input",
    "text_area", "number_input", "selectbox", "multiselect", "segmented_control", "pills", "date_input",
    "time_input", "slider", "select_slider", "color_picker", "file_uploader", "camera_input", "feedback",
    "expander", "popover", "tabs", "status", "spinner", "progress", "metric", "form_submit_button", "Page",
    "chat_input", "audio_input",
})
# Column settings of st.dataframe: their label and help render Markdown (the cells are plain text).
COLUMN_CALLS = frozenset({"Column", "TextColumn", "NumberColumn", "DateColumn", "ListColumn", "LinkColumn",
                          "CheckboxColumn", "SelectboxColumn", "ProgressColumn"})
LABEL_KEYWORDS = frozenset({"label", "help", "placeholder", "text", "caption", "body", "title", "value_label"})
# Calls whose text is shown literally (code blocks, tables' cells, charts, file contents) or that draw no text.
LITERAL_CALLS = frozenset({"code", "text", "dataframe", "json", "altair_chart", "vega_lite_chart"})
NO_TEXT_CALLS = frozenset({
    "columns", "container", "empty", "sidebar", "set_page_config", "navigation", "rerun", "stop", "switch_page",
    "cache_data", "cache_resource", "fragment", "form", "run", "clear", "from_dict", "get_all", "keys", "get",
    "update", "pop", "query_params", "session_state", "context", "App",
})
# What returns a container (whose methods draw elements); other Streamlit calls return values.
CONTAINER_FACTORIES = frozenset({"sidebar", "columns", "container", "empty", "expander", "tabs", "popover", "form",
                                 "progress", "status", "spinner", "chat_message"})
HTML_CALLS = frozenset({"html"})
KNOWN_CALLS = MARKDOWN_CALLS | LABELLED_CALLS | COLUMN_CALLS | LITERAL_CALLS | NO_TEXT_CALLS | HTML_CALLS
# Calls whose result is interface text or a number, whatever their (non-keyword) arguments.
NUMBER_CALLS = frozenset({"len", "int", "float", "round"})


def _root(node: ast.AST) -> str | None:
    while isinstance(node, (ast.Attribute, ast.Call, ast.Subscript)):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


def _names(target: ast.AST) -> list[str]:
    if isinstance(target, ast.Name):
        return [target.id]
    if isinstance(target, (ast.Tuple, ast.List)):
        return [n for elt in target.elts for n in _names(elt)]
    return []


def _streamlit_names(tree: ast.Module) -> set[str]:
    """'st' and every name bound to something taken from it (st.sidebar, st.columns(...), st.progress(...))."""
    names = {"st"}
    changed = True
    while changed:
        changed = False
        for node in ast.walk(tree):
            value = None
            targets: list[ast.AST] = []
            if isinstance(node, ast.Assign):
                value, targets = node.value, node.targets
            elif isinstance(node, ast.AnnAssign) and node.value is not None:
                value, targets = node.value, [node.target]
            elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                value, targets = node.context_expr, [node.optional_vars]
            if value is not None and _makes_container(value, names):
                for name in (n for t in targets for n in _names(t)):
                    if name not in names:
                        names.add(name)
                        changed = True
    return names


def _makes_container(value: ast.AST, names: set[str]) -> bool:
    """st.sidebar, st.columns(...), sb.container() and the like: something whose methods draw elements."""
    func = value.func if isinstance(value, ast.Call) else value
    if isinstance(func, ast.Name):
        return func.id in names
    return isinstance(func, ast.Attribute) and func.attr in CONTAINER_FACTORIES and _root(func) in names


def _trusted(node: ast.AST | None) -> bool:
    """Interface text: constants, t() of a constant or f-string key, numbers, and joins of these."""
    if node is None or isinstance(node, ast.Constant):
        return True
    if isinstance(node, ast.JoinedStr):
        return all(_trusted_part(v) for v in node.values)
    if isinstance(node, ast.BinOp):
        return _trusted(node.left) and _trusted(node.right)
    if isinstance(node, ast.IfExp):
        return _trusted(node.body) and _trusted(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        name = node.func.id
        if name == "t" and node.args:
            # t() returns the table's text for a key (the key itself when it is not in the table): the key has to
            # come from the code: a constant, an f-string of names, or an entry of a module-level table.
            key = node.args[0]
            key_ok = (
                isinstance(key, ast.Constant)
                or (isinstance(key, ast.JoinedStr) and all(
                    isinstance(v, ast.Constant) or (isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name))
                    for v in key.values))
                or (isinstance(key, ast.Subscript) and isinstance(key.value, ast.Name)
                    and key.value.id.lstrip("_").isupper())
            )
            return key_ok and all(_trusted(k.value) for k in node.keywords)
        if name in NUMBER_CALLS:
            return True
        if name == "str" and node.args and isinstance(node.args[0], ast.Call) and _root(node.args[0]) in NUMBER_CALLS:
            return True
    return False


def _trusted_part(part: ast.AST) -> bool:
    if not isinstance(part, ast.FormattedValue):
        return True
    # A whole-number format ({n:d}, {n:,d}) fails on anything but a number.
    spec = part.format_spec
    if (isinstance(spec, ast.JoinedStr) and len(spec.values) == 1 and isinstance(spec.values[0], ast.Constant)
            and re.fullmatch(r"[,_]?d", str(spec.values[0].value))):
        return True
    return _trusted(part.value)


def _arguments_to_check(call: ast.Call, name: str) -> list[ast.AST]:
    if name == "Page":
        # st.Page(script path, title=..., icon=...): the path is not shown.
        return [k.value for k in call.keywords if k.arg == "title"]
    if name == "progress":
        # st.progress(value, text=...): the value is a number.
        return [k.value for k in call.keywords if k.arg == "text"]
    if name in COLUMN_CALLS:
        return [*call.args[:1], *(k.value for k in call.keywords if k.arg in ("label", "help"))]
    if name in MARKDOWN_CALLS:
        skipped = ("key", "icon", "width", "unsafe_allow_html")
        return [*call.args, *(k.value for k in call.keywords if k.arg not in skipped)]
    if name in LABELLED_CALLS:
        return [*call.args[:1], *(k.value for k in call.keywords if k.arg in LABEL_KEYWORDS)]
    return []


def bypasses(source: str, *, path: str = "<source>", helper: bool = False) -> list[str]:
    """Every Streamlit call in source that could put text from data on the page without show()."""
    tree = ast.parse(source)
    st_names = _streamlit_names(tree)
    problems: list[str] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        if isinstance(node.func, ast.Name) and node.func.id == "Markup" and not helper:
            problems.append(f"{path}:{node.lineno}: Markup built outside rasd/ui/text.py")
            continue
        if not isinstance(node.func, ast.Attribute) or _root(node.func) not in st_names:
            continue
        name = node.func.attr
        where = f"{path}:{node.lineno}: {ast.unparse(node)[:120]}"
        if name not in KNOWN_CALLS:
            problems.append(f"{where}: unclassified Streamlit call {name!r} (classify it in this test)")
        elif name in HTML_CALLS and not helper:
            problems.append(f"{where}: st.html outside rasd/ui/text.py (use show())")
        elif any(not _trusted(arg) for arg in _arguments_to_check(node, name)):
            problems.append(f"{where}: renders Markdown from a value that is not interface text (use show())")
    return problems


def _calls(source: str) -> int:
    tree = ast.parse(source)
    st_names = _streamlit_names(tree)
    return sum(isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and _root(n.func) in st_names
               for n in ast.walk(tree))


def test_every_streamlit_call_puts_data_on_the_page_through_show() -> None:
    problems = []
    calls = 0
    for path in SCANNED:
        source = path.read_text(encoding="utf-8")
        calls += _calls(source)
        problems += bypasses(source, path=str(path.relative_to(ROOT)), helper=path == HELPER)
    assert calls > 60, "the walk found too few Streamlit calls: is it reading the pages?"
    assert problems == []


def test_only_the_helper_module_calls_st_html() -> None:
    users = [p for p in SCANNED if ".html(" in p.read_text(encoding="utf-8")]
    assert users == [HELPER]


@pytest.mark.parametrize(
    "source",
    [
        "import streamlit as st\nst.warning(notice.message)",
        "import streamlit as st\nst.markdown(f'**{name}:** {value}')",
        "import streamlit as st\nst.markdown(md(ctx.describe()))",
        "import streamlit as st\nst.html(f'<b>{x}</b>')",
        "import streamlit as st\nsb = st.sidebar\nsb.caption(article.outlet)",
        "import streamlit as st\nleft, right = st.columns(2)\nleft.info(t('x', lang) + title)",
        "import streamlit as st\nst.error(f\"{t('error.title', lang)}: {e}\")",
        "import streamlit as st\nst.button(article.title, key='b')",
        "import streamlit as st\nst.toggle('x', help=row['evidence'])",
        "import streamlit as st\nst.caption(t(key_from_data))",
        "import streamlit as st\nst.caption(t('count', lang, name=outlet))",
        "import streamlit as st\nst.caption(f'{t(\"a\", lang)} {count:s}')",
        "import streamlit as st\nbar = st.progress(0)\nbar.progress(1, text=name)",
        "import streamlit as st\nst.column_config.TextColumn(help=article.title)",
        "import streamlit as st\nst.Page('pages/x.py', title=article.title)",
        "import streamlit as st\nst.expander(title)",
        "import streamlit as st\nst.table(frame)",
        "import streamlit as st\nwith st.sidebar as sb:\n    sb.write(value)",
        "from rasd.ui.text import Markup\nx = Markup(value)",
    ],
)
def test_the_walk_catches_each_kind_of_bypass(source: str) -> None:
    assert bypasses(source), source


@pytest.mark.parametrize(
    "source",
    [
        "import streamlit as st\nst.info(t('map.click_hint', lang))",
        "import streamlit as st\nst.title(t(f'page.{page}', lang))",
        "import streamlit as st\nst.caption(t('count.shown', lang, shown=len(places), total=len(g)))",
        "import streamlit as st\nst.selectbox(t('a', lang), files, format_func=lambda f: titles[f])",
        "import streamlit as st\nst.code(citation_text, language=None)",
        "import streamlit as st\nshow(article.outlet, kind='notice')",
        "import streamlit as st\nst.caption(f'{t(\"a\", lang)} {done:d}/{total:,d}')",
        "import streamlit as st\nst.sidebar.multiselect(t(_LABEL_KEYS[attr], lang), options, format_func=f)",
        "import streamlit as st\nquery = st.text_input(t('a', lang))\nquery.strip()",
    ],
)
def test_the_walk_accepts_interface_text_and_literal_elements(source: str) -> None:
    assert bypasses(source) == []


# The helper itself, on every value of the corpus.


@pytest.mark.parametrize("hostile", values(), ids=lambda h: h.vector)
@pytest.mark.parametrize("kind", sorted(ui_text.KINDS))
def test_show_keeps_every_hostile_value_literal(hostile, kind: str) -> None:
    html = ui_text.box("before ", hostile.value, ui_text.strong(hostile.value), kind=kind, lang="ar")
    tree = parse_html(html)
    (outer,) = [c for c in tree.children if isinstance(c, Node)]
    tags = {n.tag for n in outer.walk()}
    assert tags <= {outer.tag, "span", "strong"}, tags
    literals = [n for n in outer.walk() if "rasd-literal" in n.classes()]
    assert [n.text() for n in literals] == ["before ", hostile.value, hostile.value]
    assert all(not any(isinstance(c, Node) for c in n.children) for n in literals)
    for node in outer.walk():
        assert all(hostile.value not in v for v in node.attrs.values()), node.attrs


@pytest.mark.parametrize("hostile", values(), ids=lambda h: h.vector)
def test_builders_escape_every_hostile_value(hostile) -> None:
    for markup in (ui_text.isolated(hostile.value), ui_text.isolated_runs(hostile.value),
                   ui_text.isolated_runs(hostile.value, rtl=True), ui_text.field(hostile.value, hostile.value),
                   ui_text.block(hostile.value), ui_text.highlighted(hostile.value, [(0, 3)]),
                   ui_text.div(hostile.value, dir="ltr"), ui_text.link(hostile.value, hostile.value)):
        tree = parse_html(markup)
        assert {n.tag for n in tree.walk()} <= {"#root", "span", "bdi", "strong", "div", "mark", "a"}
        assert hostile.value in tree.text()
        links = [n for n in tree.walk() if n.tag == "a"]
        for a in links:
            # Only an absolute http(s) URL is linked, to exactly itself.
            assert a.attrs["href"] == hostile.value == a.text() and hostile.value.lower().startswith("http")
            assert "noopener" in a.attrs["rel"] and "noreferrer" in a.attrs["rel"]


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "//evil.example/x", "/relative",
                                 "http://evil.example/a b", "http://evil.example/\"onmouseover=x", "mailto:a@b.c",
                                 "http:/evil.example", "ftp://evil.example/f", ""])
def test_only_absolute_http_urls_become_links(url: str) -> None:
    assert ui_text.safe_url(url) == ""
    assert "<a" not in ui_text.link(url, url)


# Notices quote values as literal text.


def test_a_notice_isolates_the_value_it_quotes() -> None:
    from rasd.ui.layout import notice_text

    notice = Notice.ignored("weapon", "![x](http://evil.example/px.png)", "not a weapon")
    tree = parse_html(notice_text(notice))
    assert tree.text() == notice.message
    (quoted,) = [n for n in tree.walk() if n.tag == "bdi"]
    assert quoted.text() == "![x](http://evil.example/px.png)"


# Unknown and misspelt parameters.


def test_unknown_parameters_are_dropped_with_one_notice() -> None:
    query = {f"p{i}": "1" for i in range(2000)} | {"weapon": "drone"}
    view, notices = View.from_query(query, page="map")
    assert view.to_query() == {"weapon": "drone"}
    (notice,) = notices
    assert "2,000 unknown parameters" in notice.message and f"and {2000 - UNKNOWN_LISTED:,} more" in notice.message
    assert notice.quoted == tuple(f"p{i}" for i in range(UNKNOWN_LISTED))


@pytest.mark.parametrize("key", ["?weapon", "amp;weapon", "Weapon", " weapon ", "weapon[]", "??weapon", "&weapon"])
def test_a_misspelt_parameter_is_read_with_a_notice(key: str) -> None:
    view, notices = View.from_query({key: "drone"}, page="map")
    assert view.filters.weapons == ("drone",)
    (notice,) = notices
    assert notice.param == "parameters" and "as weapon" in notice.message


def test_the_exact_name_wins_over_a_misspelt_one_for_a_single_value() -> None:
    view, _ = View.from_query({"q": "exact", "?q": "misspelt", "weapon": "drone", "?weapon": "rocket"}, page="map")
    assert view.filters.q == "exact" and view.filters.weapons == ("drone", "rocket")


def test_every_shared_link_parameter_is_known() -> None:
    # README's table: these names are a public interface.
    assert set(URL_PARAMS) == {"start", "end", "weapon", "target", "outcome", "review", "governorate", "place",
                               "claimant", "outlet", "q", "event", "lat", "lon", "zoom", "lang"}


def test_the_unknown_path_marker_is_a_notice_on_the_map_only() -> None:
    view, notices = View.from_query({"unknown_path": "/map/extra", "weapon": "drone"}, page="map")
    assert view.to_query() == {"weapon": "drone"}
    assert [n.quoted for n in notices] == [("/map/extra",)]
    _, notices = View.from_query({"unknown_path": "/x"}, page="events")
    assert [n.param for n in notices] == ["parameters"]


# The server's redirects.


@pytest.mark.parametrize(
    ("raw", "query", "target"),
    [
        (b"/", b"", None),
        (b"/map", b"weapon=drone", None),
        (b"/timeline/", b"", None),
        (b"/home", b"", None),
        (b"/_stcore/health", b"", None),
        (b"/_stcore/stream", b"", None),
        (b"/static/js/index.js", b"", None),
        (b"/app/static/vendor/leaflet/leaflet.js", b"", None),
        (b"/favicon.png", b"", None),
        (b"/MAP", b"weapon=drone", "/map?weapon=drone"),
        (b"/Timeline", b"", "/timeline"),
        (b"/map/extra", b"weapon=drone", "/map?weapon=drone&unknown_path=/map/extra"),
        (b"/pages/map.py", b"weapon=drone", "/map?weapon=drone&unknown_path=/pages/map.py"),
        (b"/events%00", b"weapon=drone", "/map?weapon=drone&unknown_path=/events%2500"),
        (b"/%E0%A4%A", b"weapon=drone", "/map?weapon=drone&unknown_path=/%25E0%25A4%25A"),
        (b"/%C0%AF", b"", "/map?unknown_path=/%25C0%25AF"),
        (b"//evil.example", b"", "/map?unknown_path=//evil.example"),
        (b"/events%0d%0aSet-Cookie:%20x=1", b"", "/map?unknown_path=/events%250d%250aSet-Cookie%3A%2520x%3D1"),
        (b"/nosuch", b"q=a b\"<", "/map?q=a%20b%22%3C&unknown_path=/nosuch"),
    ],
)
def test_unknown_and_malformed_paths_go_to_the_map(raw: bytes, query: bytes, target: str | None) -> None:
    assert routes.redirect_for(raw, query) == target


def test_redirects_stay_under_the_base_path() -> None:
    assert routes.redirect_for(b"/rasd/map/x", b"", base="/rasd/") == "/rasd/map?unknown_path=/map/x"
    assert routes.redirect_for(b"/rasd/events", b"", base="rasd") is None
    assert routes.redirect_for(b"/other", b"", base="rasd") is None


@pytest.mark.parametrize("raw", [b"//evil.example/x", b"/\\evil.example", b"/%2F%2Fevil.example",
                                 b"/http://evil.example"])
def test_a_redirect_never_leaves_the_server(raw: bytes) -> None:
    target = routes.redirect_for(raw, b"")
    assert target is not None and target.startswith("/map?") and "//" not in target.split("?")[0]


def test_a_query_too_long_for_streamlit_is_cut_to_its_link_parameters() -> None:
    from urllib.parse import parse_qs, urlsplit

    query = ("&".join(f"u{i}=1" for i in range(2000)) + "&weapon=drone&?q=x").encode()
    target = routes.redirect_for(b"/events", query)
    assert target is not None and target.startswith("/events?")
    params = parse_qs(urlsplit(target).query, keep_blank_values=True)
    assert len(params) < 20
    view, notices = View.from_query(params, page="events")
    assert view.to_query() == {"weapon": "drone", "q": "x"}
    assert [n.message.split(":")[0] for n in notices if "unknown" in n.message] == ["Ignored 2,000 unknown parameters"]
    assert routes.redirect_for(b"/events", ("&".join(f"u{i}=1" for i in range(999))).encode()) is None


# The shell's boundaries (README): Streamlit only in app.py, pages/ and rasd/ui/; the URL only in rasd/ui/state.py.

def _python_files() -> list[Path]:
    return [ROOT / "app.py", *sorted((ROOT / "pages").glob("*.py")), *sorted((ROOT / "rasd").rglob("*.py")),
            *sorted((ROOT / "geo").rglob("*.py"))]


def test_only_the_shell_imports_streamlit() -> None:
    shell = {ROOT / "app.py", *(ROOT / "pages").glob("*.py"), *(ROOT / "rasd" / "ui").glob("*.py")}
    importers = []
    for path in _python_files():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            if any(n == "streamlit" or n.startswith("streamlit.") for n in names) and path not in shell:
                importers.append(str(path.relative_to(ROOT)))
    assert importers == []


def test_only_the_state_module_touches_query_params() -> None:
    users = {str(path.relative_to(ROOT)) for path in _python_files()
             for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
             if isinstance(node, ast.Attribute) and node.attr == "query_params"}
    assert users == {"rasd/ui/state.py"}


def test_the_unknown_parameters_notice_isolates_each_name() -> None:
    from rasd.ui.layout import notice_text

    _, (notice,) = View.from_query({"**a**": "1", ":material/home:": "1", "عنوان": "1"}, page="map")
    tree = parse_html(notice_text(notice))
    assert tree.text() == notice.message
    assert [n.text() for n in tree.walk() if n.tag == "bdi"] == ["**a**", ":material/home:", "عنوان"]
