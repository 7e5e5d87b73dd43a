"""Editors: Argon2 hashes only, the same answer for unknown names and wrong passwords, rate limits, sessions."""

from __future__ import annotations

import json
import stat
import threading
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher

from rasd.errors import AuthError, RateLimitedError, UserError
from rasd.newsroom import users as users_module
from rasd.newsroom.users import (
    MAX_FAILURES_PER_NAME,
    SESSION_TTL,
    Editor,
    UserStore,
    default_users_path,
)

PASSWORD = "correct horse battery staple"
START = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


class CountingHasher(PasswordHasher):
    """A cheap Argon2 hasher that counts verifications."""

    def __init__(self) -> None:
        super().__init__(time_cost=1, memory_cost=64, parallelism=1)
        self.verifications = 0

    def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
        self.verifications += 1
        return super().verify(hash, password)


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def hasher() -> CountingHasher:
    return CountingHasher()


@pytest.fixture()
def users(tmp_path, clock, hasher) -> UserStore:
    store = UserStore(tmp_path / "data" / "users.json", clock=clock, hasher=hasher)
    store.add("Alice", PASSWORD)
    return store


def test_the_file_holds_an_argon2_hash_never_the_password(users):
    text = users.path.read_text(encoding="utf-8")
    data = json.loads(text)

    assert PASSWORD not in text
    assert data["users"]["alice"]["hash"].startswith("$argon2id$")
    assert stat.S_IMODE(users.path.stat().st_mode) == 0o600
    assert users.verify("alice", PASSWORD) and users.verify("  ALICE ", PASSWORD)
    assert not users.verify("alice", PASSWORD + "!")
    assert PASSWORD not in users.path.read_text(encoding="utf-8")


def test_unknown_name_and_wrong_password_look_the_same(users, hasher):
    messages = []
    for name, password in (("alice", "wrong password here"), ("mallory", PASSWORD), ("", PASSWORD),
                           ("alice", ""), ("x" * 500, "y" * 5000)):
        before = hasher.verifications
        with pytest.raises(AuthError) as caught:
            users.sign_in(name, password)
        assert not isinstance(caught.value, RateLimitedError)
        # One Argon2 verification whether or not the editor exists.
        assert hasher.verifications - before == 1
        messages.append(str(caught.value))
    assert len(set(messages)) == 1
    assert "alice" not in messages[0] and "mallory" not in messages[0] and "exist" not in messages[0]


def test_failures_lock_a_name_out_for_the_window_then_let_it_in(users, clock):
    for _ in range(MAX_FAILURES_PER_NAME):
        assert not users.verify("alice", "wrong password here")

    with pytest.raises(RateLimitedError) as locked:
        users.sign_in("alice", PASSWORD)  # even the right password
    assert locked.value.retry_after > 0 and "15 minutes" in str(locked.value)
    # The lockout is kept in the file: another process (a new UserStore) sees it too.
    again = UserStore(users.path, clock=clock, hasher=CountingHasher())
    with pytest.raises(RateLimitedError):
        again.verify("alice", PASSWORD)

    clock.advance(minutes=14)
    with pytest.raises(RateLimitedError) as still:
        users.verify("alice", PASSWORD)
    assert str(still.value) == "too many failed sign-ins: try again in 1 minute"
    clock.advance(minutes=1, seconds=1)
    assert users.sign_in("alice", PASSWORD).name == "alice"


def test_an_unknown_name_is_locked_out_exactly_like_a_known_one(users):
    for name in ("alice", "nobody"):
        for _ in range(MAX_FAILURES_PER_NAME):
            users.verify(name, "wrong password here")
    messages = []
    for name in ("alice", "nobody"):
        with pytest.raises(RateLimitedError) as caught:
            users.sign_in(name, PASSWORD)
        messages.append(str(caught.value))
    assert messages[0] == messages[1]
    # Names typed are never stored, only their hashes (a password typed in the name box stays secret).
    assert "nobody" not in users.path.read_text(encoding="utf-8")


def test_a_success_clears_the_name_failures(users):
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        users.verify("alice", "wrong password here")
    assert users.verify("alice", PASSWORD)
    for _ in range(MAX_FAILURES_PER_NAME - 1):
        users.verify("alice", "wrong password here")
    assert users.verify("alice", PASSWORD)


def test_overall_failures_lock_every_name(tmp_path, clock):
    store = UserStore(tmp_path / "users.json", clock=clock, hasher=CountingHasher(), max_failures_overall=6)
    store.add("alice", PASSWORD)
    for i in range(6):
        store.verify(f"guess{i}", "wrong password here")

    with pytest.raises(RateLimitedError):
        store.sign_in("alice", PASSWORD)
    clock.advance(minutes=16)
    assert store.sign_in("alice", PASSWORD)


def test_sessions_expire_and_their_tokens_are_stored_hashed(users, clock):
    session = users.sign_in("alice", PASSWORD)

    assert session.name == "alice" and session.expires == START + SESSION_TTL
    assert len(session.token) >= 40 and session.token not in users.path.read_text(encoding="utf-8")
    assert users.session(session.token) == session
    assert users.session("not-a-token") is None and users.session("") is None
    editor = users.editor(session.token)
    assert isinstance(editor, Editor) and editor.name == "alice" and editor.via == "session"
    editor.confirm()

    clock.advance(hours=11, minutes=59)
    assert users.session(session.token) is not None
    clock.advance(minutes=1)
    assert users.session(session.token) is None
    with pytest.raises(AuthError):
        users.editor(session.token)
    with pytest.raises(AuthError):
        editor.confirm()


def test_sign_out_and_removal_end_sessions(users):
    first, second = users.sign_in("alice", PASSWORD), users.sign_in("alice", PASSWORD)
    assert first.token != second.token

    users.sign_out(first.token)
    assert users.session(first.token) is None and users.session(second.token) is not None
    users.remove("alice")
    assert users.session(second.token) is None
    assert not users.exists("alice") and users.names() == []
    with pytest.raises(AuthError):
        users.sign_in("alice", PASSWORD)


def test_changing_the_password_ends_sessions(users):
    session = users.sign_in("alice", PASSWORD)
    users.set_password("alice", "a brand new passphrase")

    assert users.session(session.token) is None
    assert users.verify("alice", "a brand new passphrase") and not users.verify("alice", PASSWORD)


def test_local_editor_is_only_for_existing_names(users):
    editor = users.local_editor(" Alice ")
    assert editor.name == "alice" and editor.via == "local"
    editor.confirm()
    with pytest.raises(UserError, match="no editor named 'bob'"):
        users.local_editor("bob")
    users.remove("alice")
    with pytest.raises(AuthError):
        editor.confirm()


def test_an_editor_cannot_be_made_by_hand(users):
    with pytest.raises(AuthError):
        Editor(name="alice", users=users)
    with pytest.raises(AuthError):
        Editor(name="alice", users=users, seal=object())


@pytest.mark.parametrize(
    ("name", "password", "message"),
    [
        ("", PASSWORD, "editor name"),
        ("-alice", PASSWORD, "editor name"),
        ("al ice", PASSWORD, "editor name"),
        ("a" * 65, PASSWORD, "editor name"),
        ("bob", "short", "at least"),
        ("bob", "x" * 2000, "at most"),
        ("alice", PASSWORD, "already exists"),
        ("ALICE", PASSWORD, "already exists"),
    ],
)
def test_bad_accounts_are_refused(users, name, password, message):
    with pytest.raises(UserError, match=message):
        users.add(name, password)
    assert users.names() == ["alice"]


def test_removing_an_unknown_editor_is_an_error(users):
    with pytest.raises(UserError, match="no editor"):
        users.remove("bob")


def test_concurrent_writers_lose_nothing(tmp_path):
    path = tmp_path / "users.json"
    errors: list[BaseException] = []

    def add(i: int) -> None:
        try:
            UserStore(path, hasher=CountingHasher()).add(f"editor{i}", PASSWORD)
        except BaseException as e:  # collected and asserted below
            errors.append(e)

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert UserStore(path).names() == sorted(f"editor{i}" for i in range(8))
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".tmp"] == []


@pytest.mark.parametrize("content", ["not json", "[]", '{"version": 99}', '{"version": 1, "users": []}'])
def test_a_broken_users_file_is_a_user_error(tmp_path, content):
    path = tmp_path / "users.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(UserError):
        UserStore(path).names()


def test_default_path_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("RASD_USERS", str(tmp_path / "elsewhere.json"))
    assert default_users_path() == tmp_path / "elsewhere.json"
    assert UserStore().path == tmp_path / "elsewhere.json"
    monkeypatch.delenv("RASD_USERS")
    assert default_users_path() == users_module.DEFAULT_USERS
