"""The newsroom's pages under AppTest: signing in, adding articles (paste, upload, URL), reviewing events.

Each test has its own copy of a database built from seeds/ ($RASD_DB) and its own users file ($RASD_USERS)
with one editor, alice; bob is a second editor who changes things behind alice's back.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from e2e_support import copy_db
from hostile import Node, parse_html
from newsroom_support import NewsServer, Response, article_page, seed_paragraphs, slow
from rasd.errors import AuthError
from rasd.views.i18n import label, t
from rasd.models import Article
from rasd.newsroom.fetch import ALLOW_PRIVATE_ENV
from rasd.newsroom.review import Review
from rasd.newsroom.users import UserStore
from rasd.store import Store
from rasd.ui import adding as adding_ui
from rasd.ui import routes

ROOT = Path(__file__).resolve().parent.parent
APP = ROOT / "app.py"
TIMEOUT = 60
PASSWORD = "correct horse battery staple"
BOB_PASSWORD = "another long password"
# Hashes made cheaply for the test's accounts; the app checks them with its own (default) hasher.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)

HOSTILE_IMG = "<img src=x onerror=alert(1)>"
HOSTILE_LINK = "[رابط](http://evil.example/x)"
HOSTILE_SHORTCODE = ":red[x]"
ATTACK = "استهدفت طائرة مسيرة قاعدة حرير التي تضم قوات أمريكية فجر اليوم في محافظة أربيل، بحسب مصادر أمنية عراقية"
ARTICLE_TEXT = f"هجوم بطائرة مسيرة على قاعدة حرير\n\n{ATTACK}.\n"
HOSTILE_TEXT = (f"هجوم بطائرة مسيرة على قاعدة حرير\n\n{ATTACK} {HOSTILE_IMG} {HOSTILE_LINK} {HOSTILE_SHORTCODE} "
                "**عريض**.\n")
HOSTILE_TITLE = "<script>alert('title')</script> هجوم على حرير"
# An HTML tag that was not escaped.
RAW_TAG = re.compile(r"(?<!\\)<\s*(script|img)\b", re.IGNORECASE)
WIDGET_LISTS = ("text_area", "selectbox", "multiselect", "file_uploader", "date_input", "number_input", "checkbox",
                "toggle", "radio", "button_group", "slider", "select_slider", "color_picker", "time_input",
                "dataframe", "expander", "tabs", "chat_input")


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seeds, ingested once; each test works on a copy."""
    path = tmp_path_factory.mktemp("newsroom-seed") / "rasd.sqlite"
    Store.build_from_folder(path, seeds_dir)
    return path


@pytest.fixture
def db(seed_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the seed database as the app's $RASD_DB."""
    path = copy_db(seed_db, tmp_path / "rasd.sqlite")
    monkeypatch.setenv("RASD_DB", str(path))
    monkeypatch.delenv(ALLOW_PRIVATE_ENV, raising=False)
    return path


@pytest.fixture
def users(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> UserStore:
    """A users file holding alice and bob, as the app's $RASD_USERS."""
    path = tmp_path / "users.json"
    store = UserStore(path, hasher=FAST_HASHER)
    store.add("alice", PASSWORD)
    store.add("bob", BOB_PASSWORD)
    monkeypatch.setenv("RASD_USERS", str(path))
    return UserStore(path)


@pytest.fixture
def store(db: Path) -> Store:
    """The test database, as the core reads it."""
    return Store(db, create=False)


def open_page(page: str, params: dict[str, str] | None = None) -> AppTest:
    """Run the app, then open a page (with URL parameters), as following a link does."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.run()
    at.query_params.clear()
    at.query_params.update(params or {})
    return at.switch_page(f"pages/{page}.py").run()


def sign_in(at: AppTest, name: str = "alice", password: str = PASSWORD) -> AppTest:
    """Fill in and send the sign-in form."""
    at.text_input(key="auth.name").input(name)
    at.text_input(key="auth.password").input(password)
    return at.button(key="auth.submit").click().run()


def signed_in(page: str, params: dict[str, str] | None = None) -> AppTest:
    """A page opened by alice, signed in."""
    at = sign_in(open_page(page, params))
    assert_clean(at)
    assert "auth.token" in at.session_state
    return at


def boxes(at: AppTest, cls: str) -> list[Node]:
    """The boxes of one class (rasd-error, rasd-success, rasd-article, ...) that text.show() drew."""
    return [node for element in at.html for node in parse_html(element.value).walk() if cls in node.classes()]


def box_texts(at: AppTest, cls: str) -> list[str]:
    return [b.text() for b in boxes(at, cls)]


def page_text(at: AppTest) -> str:
    """Every text show() put on the page."""
    return "\n".join(parse_html(h.value).text() for h in at.html)


def assert_clean(at: AppTest) -> None:
    """No exception, no Streamlit error, no error box."""
    assert not at.exception, [e.value for e in at.exception]
    assert not at.error, [e.value for e in at.error]
    assert not boxes(at, "rasd-error"), box_texts(at, "rasd-error")


def assert_escaped(at: AppTest) -> None:
    """No tag from data in any st.html element, no link to the hostile host, nothing hostile in Markdown."""
    for element in at.html:
        assert not RAW_TAG.search(element.value), element.value[:500]
        assert 'href="http://evil.example' not in element.value
    for markdown in at.markdown:
        assert HOSTILE_IMG not in markdown.value and "evil.example" not in markdown.value


def widget_keys(at: AppTest, kind: str) -> list[str]:
    return [w.key for w in getattr(at, kind)]


def first_card(at: AppTest) -> str:
    """The id of the first event card on the review page."""
    keys = [b.key for b in at.button if b.key and b.key.endswith(".verify")]
    assert keys, "no event card on the review page"
    return keys[0].split(".")[1]


# Signing in.


@pytest.mark.parametrize("page", ["add", "review"])
def test_a_reader_sees_only_the_sign_in_form(db: Path, users: UserStore, store: Store, page: str) -> None:
    at = open_page(page)
    assert_clean(at)
    assert [h.value for h in at.title] == [t(f"page.{page}", "en")]
    assert widget_keys(at, "text_input") == ["auth.name", "auth.password"]
    assert widget_keys(at, "button") == ["auth.submit"]
    for kind in WIDGET_LISTS:
        assert len(getattr(at, kind)) == 0, kind
    assert not boxes(at, "rasd-article") and not boxes(at, "rasd-evidence")
    text = page_text(at)
    for article in store.articles():
        assert article.title not in text
        assert article.text[:60] not in text
    for row in store.events_frame().itertuples():
        assert row.evidence not in text and row.id not in text
    assert t("auth.intro", "en") in box_texts(at, "rasd-info")


def test_the_sign_in_form_speaks_arabic(db: Path, users: UserStore) -> None:
    at = open_page("review", {"lang": "ar"})
    assert_clean(at)
    assert [w.label for w in at.text_input] == [t("auth.name", "ar"), t("auth.password", "ar")]
    assert [b.label for b in at.button] == [t("auth.submit", "ar")]
    assert any("direction: rtl" in h.value for h in at.html)
    assert at.query_params["lang"] == "ar"


def test_a_wrong_password_and_an_unknown_editor_get_the_same_message(db: Path, users: UserStore) -> None:
    messages = []
    for name, password in (("alice", "wrong password here"), ("nobody", PASSWORD), ("", "")):
        at = sign_in(open_page("review"), name, password)
        assert not at.exception
        assert "auth.token" not in at.session_state
        messages.append(box_texts(at, "rasd-error"))
        assert widget_keys(at, "text_input") == ["auth.name", "auth.password"], "the form is shown again"
        assert at.text_input(key="auth.password").value == "", "the password does not stay in the form"
    assert messages == [[t("auth.failed", "en")]] * 3


def test_too_many_failures_lock_the_name_with_the_core_message(db: Path, users: UserStore) -> None:
    at = open_page("review")
    for _ in range(5):
        sign_in(at, "alice", "wrong password here")
    sign_in(at, "alice", PASSWORD)
    (message,) = box_texts(at, "rasd-error")
    assert message.startswith("too many failed sign-ins: try again in ")
    assert "auth.token" not in at.session_state


def test_signing_in_shows_the_editor_and_signing_out_ends_the_session(db: Path, users: UserStore) -> None:
    at = signed_in("review")
    token = at.session_state["auth.token"]
    assert users.session(token) is not None
    sidebar = "\n".join(parse_html(h.value).text() for h in at.sidebar.get("html"))
    assert f"{t('auth.signed_in_as', 'en')} alice" in sidebar
    assert at.selectbox(key="review.status").value == "unreviewed"
    at.button(key="auth.sign_out").click().run()
    assert_clean(at)
    assert users.session(token) is None
    assert widget_keys(at, "text_input") == ["auth.name", "auth.password"]
    assert len(at.selectbox) == 0


def test_a_removed_editor_is_signed_out_on_the_next_run(db: Path, users: UserStore) -> None:
    at = signed_in("review")
    users.remove("alice")
    at.run()
    assert not at.exception
    assert t("auth.expired", "en") in box_texts(at, "rasd-notice")
    assert widget_keys(at, "text_input") == ["auth.name", "auth.password"]


# Adding articles.


def paste(at: AppTest, text: str, *, title: str = "", outlet: str = "", url: str = "",
          published: date | None = None) -> AppTest:
    """Fill in the paste form and ask for the preview."""
    at.text_area(key="add.text").input(text)
    at.text_input(key="add.title").input(title)
    at.text_input(key="add.outlet").input(outlet)
    at.text_input(key="add.url").input(url)
    at.date_input(key="add.published").set_value(published)
    return at.button(key="add.paste_preview").click().run()


def test_paste_preview_then_save_puts_the_events_in_the_review_queue(db: Path, users: UserStore,
                                                                    store: Store) -> None:
    at = paste(signed_in("add"), ARTICLE_TEXT, outlet="Test Outlet", url="https://example.org/news/1",
               published=date(2023, 5, 5))
    assert_clean(at)
    (article,) = at.session_state["add.pending"]
    assert store.article(article.article.file) is None, "the preview stores nothing"
    assert len(at.expander) == len(article.events) >= 1
    bodies = boxes(at, "rasd-article")
    assert len(bodies) == len(article.events)
    marked = [n.text() for b in bodies for n in b.walk() if n.tag == "mark"]
    assert ATTACK in marked
    text = page_text(at)
    assert "Harir Air Base" in text and label("weapon", "drone", "en") in text and label("target", "base", "en") in text
    assert "5 May 2023" in text

    at.button(key="add.save").click().run()
    assert_clean(at)
    (saved,) = box_texts(at, "rasd-success")
    assert saved.startswith("Saved: 1 new")
    assert "add.pending" not in at.session_state and not boxes(at, "rasd-article")
    stored = store.article(article.article.file)
    assert stored is not None and stored.text == ARTICLE_TEXT and stored.outlet == "Test Outlet"
    assert stored.published == date(2023, 5, 5) and stored.url == "https://example.org/news/1"
    frame = Review(store).review_list()
    mine = frame[frame["articles"].map(lambda files: stored.file in files)]
    assert len(mine) >= 1 and set(mine["review"]) == {"unreviewed"}

    queue = signed_in("review")
    assert mine.iloc[0]["id"] in {b.key.split(".")[1] for b in queue.button if b.key and b.key.endswith(".verify")}


def test_discard_stores_nothing(db: Path, users: UserStore, store: Store) -> None:
    at = paste(signed_in("add"), ARTICLE_TEXT)
    file = at.session_state["add.pending"][0].article.file
    at.button(key="add.discard").click().run()
    assert_clean(at)
    assert box_texts(at, "rasd-info") == [t("add.discarded", "en")]
    assert store.article(file) is None and "add.pending" not in at.session_state


def test_hostile_article_text_is_shown_escaped(db: Path, users: UserStore, store: Store) -> None:
    at = paste(signed_in("add"), HOSTILE_TEXT, title=HOSTILE_TITLE, outlet="<b>Evil</b> News",
               url="https://example.org/hostile")
    assert_clean(at)
    assert_escaped(at)
    (body, *_) = boxes(at, "rasd-article")
    assert body.text() == HOSTILE_TEXT
    for value in (HOSTILE_IMG, HOSTILE_LINK, HOSTILE_SHORTCODE, "**عريض**"):
        assert value in body.text()
    article_html = next(h.value for h in at.html if "rasd-article" in h.value)
    assert "&lt;img src=x onerror=alert(1)&gt;" in article_html
    assert {n.tag for n in parse_html(article_html).walk()} <= {"#root", "div", "span", "mark"}
    assert HOSTILE_TITLE in box_texts(at, "rasd-heading")
    assert "<b>Evil</b> News" in page_text(at)
    at.button(key="add.save").click().run()
    assert_clean(at)
    # The queue shows the same text, as text.
    queue = signed_in("review")
    assert_escaped(queue)
    assert any(HOSTILE_IMG in b.text() for b in boxes(queue, "rasd-article"))


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("", "rasd-notice", t("add.need_text", "en")),
        ("   \n  ", "rasd-notice", t("add.need_text", "en")),
        ("An English report about an attack on a base in Iraq, long enough to count as text.", "rasd-error",
         "not Arabic text"),
        ("هجوم " * 250_000, "rasd-error", "too large"),
    ],
)
def test_bad_pasted_text_gets_a_clear_message(db: Path, users: UserStore, text: str, kind: str,
                                              expected: str) -> None:
    at = paste(signed_in("add"), text)
    assert not at.exception
    messages = box_texts(at, kind)
    assert len(messages) == 1 and expected in messages[0], messages
    assert "Traceback" not in page_text(at)
    assert "add.pending" not in at.session_state


def test_a_bad_pasted_url_gets_a_clear_message(db: Path, users: UserStore) -> None:
    at = paste(signed_in("add"), ARTICLE_TEXT, url="javascript:alert(1)")
    (message,) = box_texts(at, "rasd-error")
    assert message.startswith(t("add.bad_article", "en")) and "http://" in message
    assert "add.pending" not in at.session_state


def test_upload_txt_and_html_files(db: Path, users: UserStore, store: Store) -> None:
    at = signed_in("add")
    at.button_group(key="add.how").set_value("upload").run()
    assert_clean(at)
    page = article_page("هجوم على قاعدة عين الأسد", seed_paragraphs("000_d15af71adb9f6744.txt", 3))
    at.file_uploader(key="add.files").set_value([
        ("harir report.txt", ARTICLE_TEXT.encode("utf-8"), "text/plain"),
        ("saved-page.html", page.encode("utf-8"), "text/html"),
        ("broken.txt", b"\x00\x01binary", "text/plain"),
    ])
    at.button(key="add.upload_preview").click().run()
    assert not at.exception
    (error,) = box_texts(at, "rasd-error")
    assert error.startswith(t("add.bad_file", "en")) and "broken.txt" in error and "binary" in error
    pending = at.session_state["add.pending"]
    assert [p.article.file for p in pending] == ["harir_report.txt", "saved-page.txt"]
    assert pending[0].article.title == "هجوم بطائرة مسيرة على قاعدة حرير"
    assert pending[1].article.title == "هجوم على قاعدة عين الأسد"
    at.button(key="add.save").click().run()
    assert_clean(at)
    assert store.article("harir_report.txt") is not None and store.article("saved-page.txt") is not None


def test_an_upload_never_replaces_another_stored_text(db: Path, users: UserStore, store: Store) -> None:
    seed = store.articles()[0]
    at = signed_in("add")
    at.button_group(key="add.how").set_value("upload").run()
    at.file_uploader(key="add.files").set_value((seed.file, ARTICLE_TEXT.encode("utf-8"), "text/plain"))
    at.button(key="add.upload_preview").click().run()
    assert not at.exception
    (error,) = box_texts(at, "rasd-error")
    assert seed.file in error and "already stored with other text" in error
    assert store.article(seed.file).text == seed.text


def test_a_text_already_stored_is_flagged_and_not_added_twice(db: Path, users: UserStore, store: Store) -> None:
    seed = store.articles()[0]
    at = paste(signed_in("add"), seed.text)
    assert_clean(at)
    (notice,) = box_texts(at, "rasd-notice")
    assert notice.startswith(t("add.duplicate", "en")) and seed.file in notice
    before = len(store.articles())
    at.button(key="add.save").click().run()
    assert_clean(at)
    assert len(store.articles()) == before


@pytest.fixture
def news_server():
    """A local news server."""
    server = NewsServer().start()
    yield server
    server.stop()


def fetch_url(at: AppTest, url: str) -> AppTest:
    at.button_group(key="add.how").set_value("url").run()
    at.text_input(key="add.page_url").input(url)
    return at.button(key="add.url_preview").click().run()


def test_add_by_url_fetches_previews_and_saves(db: Path, users: UserStore, store: Store, news_server: NewsServer,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
    news_server.routes["/news/harir.html"] = Response(article_page("هجوم على قاعدة حرير", [ATTACK + "."] * 2,
                                                                   published="2023-05-05T08:00:00+03:00"))
    at = fetch_url(signed_in("add"), news_server.url("/news/harir.html"))
    assert_clean(at)
    (item,) = at.session_state["add.pending"]
    assert item.article.url == news_server.url("/news/harir.html") and item.article.published == date(2023, 5, 5)
    assert item.events and any(ATTACK in n.text() for b in boxes(at, "rasd-article") for n in b.walk()
                               if n.tag == "mark")
    at.button(key="add.save").click().run()
    assert_clean(at)
    assert store.article(item.article.file) is not None


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        (None, "add.fetch_blocked"),
        (Response("لا توجد صفحة", status=404), "add.fetch_status"),
        (Response("<html><body><p>menu</p></body></html>"), "add.fetch_no_article"),
        (slow(3.0), "add.fetch_timeout"),
    ],
)
def test_add_by_url_explains_why_a_page_was_not_fetched(db: Path, users: UserStore, news_server: NewsServer,
                                                        monkeypatch: pytest.MonkeyPatch, route, expected: str
                                                        ) -> None:
    if route is not None:
        monkeypatch.setenv(ALLOW_PRIVATE_ENV, "1")
        news_server.routes["/page.html"] = route
    monkeypatch.setattr(adding_ui, "FETCH_TIMEOUT", 1.0)
    at = fetch_url(signed_in("add"), news_server.url("/page.html"))
    assert not at.exception
    (message,) = box_texts(at, "rasd-error")
    assert message.startswith(t(expected, "en")), message
    assert "Traceback" not in message and "add.pending" not in at.session_state


def test_an_address_that_is_not_http_is_refused(db: Path, users: UserStore) -> None:
    at = fetch_url(signed_in("add"), "file:///etc/passwd")
    (message,) = box_texts(at, "rasd-error")
    assert message.startswith(t("add.fetch_blocked", "en")) and "only http and https" in message


# Reviewing events.


def test_verify_and_reject_change_the_status_and_write_audit_rows(db: Path, users: UserStore, store: Store) -> None:
    at = signed_in("review")
    first = first_card(at)
    at.text_input(key=f"rv.{first}.comment").input("checked against <b>two</b> reports")
    at.button(key=f"rv.{first}.verify").click().run()
    assert_clean(at)
    assert box_texts(at, "rasd-success") == [t("review.done_verify", "en", id=first)]
    second = first_card(at)
    assert second != first
    at.button(key=f"rv.{second}.reject").click().run()
    assert_clean(at)

    assert store.event(first).review == "verified"
    assert store.event(second) is None, "a rejected event leaves every public read"
    assert store.event(second, include_rejected=True).review == "rejected"
    audit = {d.event_id: d for d in Review(store).audit()}
    assert (audit[first].kind, audit[first].editor, audit[first].comment) == (
        "verify", "alice", "checked against <b>two</b> reports")
    assert (audit[second].kind, audit[second].editor) == ("reject", "alice")
    assert audit[first].before["review"] == "unreviewed" and audit[first].after["review"] == "verified"

    # The verified list shows the event with its history: who, what changed, why.
    at.selectbox(key="review.status").set_value("verified").run()
    assert_clean(at)
    assert first_card(at) == first
    history = " ".join(box_texts(at, "rasd-caption"))
    assert "Verified · alice" in history and "review: unreviewed → verified" in history
    assert "Comment: checked against <b>two</b> reports" in history
    assert_escaped(at)
    at.selectbox(key="review.status").set_value("rejected").run()
    assert first_card(at) == second


def test_an_edit_saves_the_changed_fields_and_shows_before_and_after(db: Path, users: UserStore,
                                                                     store: Store) -> None:
    at = signed_in("review")
    event_id = first_card(at)
    before = store.event(event_id)
    weapon = "mortar" if before.weapon != "mortar" else "rocket"
    at.selectbox(key=f"rv.{event_id}.e.weapon").set_value(weapon)
    at.number_input(key=f"rv.{event_id}.e.killed").set_value(2)
    at.text_input(key=f"rv.{event_id}.e.place_q").input("حرير").run()
    at.selectbox(key=f"rv.{event_id}.e.place").set_value("harir-air-base")
    at.text_input(key=f"rv.{event_id}.e.comment").input("the report names Harir")
    at.button(key=f"rv.{event_id}.save").click().run()
    assert_clean(at)
    assert box_texts(at, "rasd-success") == [t("review.done_edit", "en", id=event_id)]
    after = store.event(event_id)
    assert (after.weapon, after.killed, after.place, after.review) == (weapon, 2, "harir-air-base", "edited")
    assert (after.date, after.target) == (before.date, before.target), "fields left alone are not sent"
    (decision,) = Review(store).audit(event_id)
    assert decision.changes["weapon"] == weapon and decision.before["weapon"] == before.weapon
    assert "date" not in decision.changes and decision.comment == "the report names Harir"
    at.selectbox(key="review.status").set_value("edited").run()
    history = " ".join(box_texts(at, "rasd-caption"))
    assert f"weapon: {before.weapon} → {weapon}" in history and "place: " in history


def test_a_stale_edit_gives_the_conflict_message(db: Path, users: UserStore, store: Store) -> None:
    at = signed_in("review")
    event_id = first_card(at)
    version = store.event(event_id).version
    at.selectbox(key=f"rv.{event_id}.e.target").set_value("convoy")
    # bob saves a change after alice loaded the form, before she saves hers.
    Review(store).edit(event_id, by=users.local_editor("bob"), changes={"killed": 7}, expected_version=version)
    at.button(key=f"rv.{event_id}.save").click().run()
    assert not at.exception
    (message,) = box_texts(at, "rasd-error")
    assert message.startswith(t("review.conflict", "en", id=event_id))
    now = store.event(event_id)
    assert now.killed == 7 and now.target != "convoy", "the first change stays, the stale one is refused"
    assert [d.editor for d in Review(store).audit(event_id)] == ["bob"]


def test_a_form_loaded_before_another_change_says_so_and_reloads(db: Path, users: UserStore,
                                                                 store: Store) -> None:
    bob = users.local_editor("bob")
    event_id = store.events()[0].id
    Review(store).verify(event_id, by=bob)
    at = signed_in("review")
    at.selectbox(key="review.status").set_value("verified").run()
    assert first_card(at) == event_id
    assert t("review.form_stale", "en") not in box_texts(at, "rasd-notice")
    # bob verifies again while alice's form is open: it stays in the verified list, one version on.
    Review(store).verify(event_id, by=bob, comment="checked again")
    at.run()
    assert t("review.form_stale", "en") in box_texts(at, "rasd-notice")
    at.button(key=f"rv.{event_id}.reload").click().run()
    assert t("review.form_stale", "en") not in box_texts(at, "rasd-notice")
    at.number_input(key=f"rv.{event_id}.e.wounded").set_value(4)
    at.button(key=f"rv.{event_id}.save").click().run()
    assert_clean(at)
    assert store.event(event_id).wounded == 4


def test_merge_then_split(db: Path, users: UserStore, store: Store) -> None:
    at = signed_in("review")
    cards = [b.key.split(".")[1] for b in at.button if b.key and b.key.endswith(".verify")]
    single = [e for e in cards if len(store.event(e).articles) == 1]
    a = single[0]
    # Two reports from two articles: a split takes one article's report out again.
    b = next(e for e in single if store.event(e).articles != store.event(a).articles)
    files = [*store.event(a).articles, *store.event(b).articles]
    at.selectbox(key=f"rv.{a}.merge").set_value(b)
    at.button(key=f"rv.{a}.merge_go").click().run()
    assert_clean(at)
    assert box_texts(at, "rasd-success") == [t("review.done_merge", "en", id=a, other=b)]
    assert sorted(store.event(a).articles) == sorted(files)
    assert store.event(b, include_rejected=True) is None
    at.selectbox(key="review.status").set_value("edited").run()
    at.selectbox(key=f"rv.{a}.split").set_value(files[1])
    at.button(key=f"rv.{a}.split_go").click().run()
    assert_clean(at)
    (message,) = box_texts(at, "rasd-success")
    assert message.startswith(f"Split from event {a}")
    assert store.event(a).articles == [files[0]]
    split = Review(store).audit(a)
    assert [d.kind for d in split] == ["merge", "split"]
    new = split[-1].after["new_event"]
    assert store.event(new).articles == [files[1]] and store.event(new).review == "unreviewed"


def test_orphaned_decisions_are_listed(db: Path, users: UserStore, store: Store) -> None:
    event = store.events()[0]
    file = event.articles[0]
    Review(store).verify(event.id, by=users.local_editor("bob"), comment="seen")
    original = store.article(file)
    # The article's text changes: the report the decision was about is gone.
    store.ingest([Article(file=file, text="خبر آخر لا علاقة له بأي هجوم على القوات الأمريكية في العراق اليوم.",
                          title=original.title, outlet=original.outlet, url=original.url,
                          published=original.published, published_note=original.published_note)])
    assert Review(store).orphaned_decisions()
    at = signed_in("review")
    assert_clean(at)
    (orphan,) = box_texts(at, "rasd-notice")
    assert "Verified · bob" in orphan and file in orphan and event.id in orphan


def test_the_review_page_speaks_arabic(db: Path, users: UserStore) -> None:
    at = signed_in("review", {"lang": "ar"})
    assert [h.value for h in at.title] == [t("page.review", "ar")]
    assert at.selectbox(key="review.status").label == t("review.status", "ar")
    event_id = first_card(at)
    assert at.button(key=f"rv.{event_id}.verify").label == t("review.verify", "ar")
    assert any("direction: rtl" in h.value for h in at.html)


def test_every_write_needs_a_signed_in_editor(db: Path, users: UserStore, store: Store) -> None:
    from rasd.newsroom.adding import add_articles, pasted_article

    article = pasted_article(ARTICLE_TEXT)
    with pytest.raises(AuthError):
        add_articles(store, [article], by="alice")  # type: ignore[arg-type]
    editor = users.editor(users.sign_in("alice", PASSWORD).token)
    users.remove("alice")
    with pytest.raises(AuthError):
        add_articles(store, [article], by=editor)
    assert store.article(article.file) is None


# The public pages.


def test_the_sidebar_keeps_the_review_filter_when_another_widget_changes(db: Path, users: UserStore) -> None:
    at = open_page("events", {"review": "verified,unreviewed,edited"})
    assert_clean(at)
    assert at.multiselect(key="sb.review").value == ["unreviewed", "verified", "edited"]
    at.multiselect(key="sb.review").unselect("unreviewed").unselect("edited").run()
    assert at.query_params["review"] == "verified"
    at.multiselect(key="sb.weapon").select("rocket").run()
    assert_clean(at)
    assert at.query_params == {"weapon": "rocket", "review": "verified"}
    assert at.multiselect(key="sb.review").value == ["verified"]
    assert "rejected" not in at.multiselect(key="sb.review").options


def test_the_details_panel_shows_the_review_status(db: Path, users: UserStore, store: Store) -> None:
    event = store.events()[0]
    Review(store).verify(event.id, by=users.local_editor("bob"))
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"event": event.id})
    at.run()
    assert_clean(at)
    assert f"{t('event.review', 'en')}: {label('review', 'verified', 'en')}" in page_text(at)


def test_a_rejected_event_never_appears_on_the_public_pages(db: Path, users: UserStore, store: Store) -> None:
    event = store.events()[0]
    Review(store).reject(event.id, by=users.local_editor("bob"))
    at = open_page("events")
    assert_clean(at)
    assert event.id not in set(at.dataframe[0].value["id"])
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    at.query_params.update({"event": event.id})
    at.run()
    assert t("event.not_found", "en") in [i.value for i in at.info]


@pytest.mark.parametrize(("path", "target"), [(b"/add", None), (b"/review", None), (b"/Review", "/review"),
                                               (b"/review/x", "/map?unknown_path=/review/x")])
def test_the_newsroom_paths_are_pages(path: bytes, target: str | None) -> None:
    assert routes.redirect_for(path, b"") == target
