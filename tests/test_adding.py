"""rasd.newsroom.adding without Streamlit: articles from pasted text, files and pages; stored only for an editor."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from newsroom_support import article_page, seed_paragraphs
from rasd.errors import ArticleError, AuthError, PageError
from rasd.models import Article
from rasd.newsroom import adding
from rasd.newsroom.state import INGESTED, NewsroomState
from rasd.newsroom.users import UserStore
from rasd.store import Store

ATTACK = "استهدفت طائرة مسيرة قاعدة حرير التي تضم قوات أمريكية فجر اليوم في محافظة أربيل، بحسب مصادر أمنية عراقية"
TEXT = f"هجوم بطائرة مسيرة على قاعدة حرير\n\n{ATTACK}.\n"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "rasd.sqlite")


@pytest.fixture
def users(tmp_path: Path) -> UserStore:
    users = UserStore(tmp_path / "users.json", hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    users.add("alice", "correct horse battery")
    return users


def test_pasted_text_becomes_an_article_named_by_its_content() -> None:
    article = adding.pasted_article(TEXT.replace("\n", "\r\n"), outlet="  Test   Outlet ",
                                    url="HTTPS://Example.org/a?utm_source=x", published=date(2023, 5, 5))
    assert article.text == TEXT and article.title == "هجوم بطائرة مسيرة على قاعدة حرير"
    assert article.file.startswith("paste_") and article.file == adding.pasted_article(TEXT).file
    assert (article.outlet, article.url) == ("Test Outlet", "https://example.org/a")
    assert article.published == date(2023, 5, 5)


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"text": ""}, "empty"),
        ({"text": "An English report, long enough to be text but not Arabic at all, about a base."}, "not Arabic"),
        ({"text": TEXT, "url": "javascript:alert(1)"}, "http://"),
        ({"text": TEXT, "title": "ع" * 501}, "at most 500"),
        ({"text": "هجوم " * 250_000}, "too large"),
    ],
)
def test_bad_pasted_input_is_an_article_error(kwargs: dict, reason: str) -> None:
    with pytest.raises(ArticleError, match=reason):
        adding.pasted_article(**kwargs)


def test_uploaded_files_read_like_article_files_and_pages() -> None:
    text = adding.uploaded_article("../../etc/My Report (1).TXT", TEXT.encode("utf-8-sig"))
    assert text.file == "My_Report_1.txt" and text.text == TEXT and text.title.startswith("هجوم")
    page = adding.uploaded_article("page.html", article_page("عنوان الخبر", seed_paragraphs(
        "000_d15af71adb9f6744.txt", 3)).encode("utf-8"))
    assert page.file == "page.txt" and page.title == "عنوان الخبر" and page.url == ""
    with pytest.raises(ArticleError, match="binary"):
        adding.uploaded_article("a.txt", b"\x00abc")
    with pytest.raises(ArticleError, match="not a txt or html or htm file"):
        adding.uploaded_article("a.pdf", b"%PDF")
    with pytest.raises(PageError):
        adding.uploaded_article("menu.html", b"<html><body><p>menu</p></body></html>")


def test_preview_stores_nothing(store: Store) -> None:
    article = adding.pasted_article(TEXT, published=date(2023, 5, 5))
    (event,) = adding.preview(article)
    assert (event.place, event.weapon, event.target) == ("harir-air-base", "drone", "base")
    assert event.date == date(2023, 5, 5)
    assert store.articles() == []


def test_only_a_confirmed_editor_adds_articles(store: Store, users: UserStore) -> None:
    article = adding.pasted_article(TEXT, url="https://example.org/harir")
    with pytest.raises(AuthError):
        adding.add_articles(store, [article], by=None)  # type: ignore[arg-type]
    report = adding.add_articles(store, [article], by=users.local_editor("alice"))
    assert (report.added, report.unchanged) == (1, 0)
    assert {e.review for e in store.events()} == {"unreviewed"}
    assert NewsroomState(store.path).status("https://example.org/harir") == INGESTED
    session = users.sign_in("alice", "correct horse battery")
    editor = users.editor(session.token)
    users.sign_out(session.token)
    with pytest.raises(AuthError):
        adding.add_articles(store, [adding.pasted_article(TEXT + "\nسطر آخر.")], by=editor)


def test_a_stored_text_is_never_replaced_or_added_twice(store: Store, users: UserStore) -> None:
    alice = users.local_editor("alice")
    adding.add_articles(store, [Article(file="harir.txt", text=TEXT)], by=alice)
    other = TEXT + "\nتفاصيل إضافية عن الهجوم على القاعدة.\n"
    with pytest.raises(ArticleError, match="already stored with other text"):
        adding.add_articles(store, [Article(file="harir.txt", text=other)], by=alice)
    again = adding.pasted_article(TEXT)
    assert adding.stored_copy(store, again) == "harir.txt"
    report = adding.add_articles(store, [again], by=alice)
    assert (report.added, report.unchanged) == (0, 1)
    assert [a.file for a in store.articles()] == ["harir.txt"]


def test_the_same_page_fetched_again_may_update_its_article(store: Store, users: UserStore) -> None:
    alice = users.local_editor("alice")
    url = "https://example.org/news/harir"
    adding.add_articles(store, [Article(file="web_example.org_x.txt", text=TEXT, url=url)], by=alice)
    updated = Article(file="web_example.org_x.txt", text=TEXT + "\nتحديث: لا إصابات.\n", url=url)
    report = adding.add_articles(store, [updated], by=alice)
    assert report.updated == 1 and store.article(updated.file).text == updated.text
