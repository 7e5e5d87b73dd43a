"""Editors: accounts with Argon2 password hashes, rate-limited sign-ins and expiring sessions, in one JSON file.

The file (`$RASD_USERS`, else `data/users.json`) holds, per editor, only an Argon2id hash; sessions are kept as
SHA-256 hashes of their random tokens; failed sign-ins are kept per hashed name (never the name typed, which may
be a password typed in the wrong box) and overall. Every change is written to a temporary file and renamed into
place under an exclusive lock, so a reader never sees half a file and two writers never lose each other's change.

Sign-in failures say the same thing whether or not the name exists, and cost one Argon2 verification either way.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from rasd.errors import AuthError, RateLimitedError, UserError

try:
    import fcntl
except ImportError:  # Windows: the in-process lock still serialises the app's threads.
    fcntl = None  # type: ignore[assignment]

DEFAULT_USERS = Path("data") / "users.json"
FILE_VERSION = 1
NAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._-]{0,63}")
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
SESSION_TTL = timedelta(hours=12)
LOCKOUT_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_OVERALL = 50

SIGN_IN_FAILED = "sign-in failed: wrong editor name or password"
NOT_SIGNED_IN = "not signed in, or the session has expired: sign in again"

Clock = Callable[[], datetime]

# Only this module makes Editors: every review write requires one (rasd.newsroom.review).
_SEAL = object()
_THREAD_LOCK = threading.Lock()


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


def default_users_path() -> Path:
    """`$RASD_USERS`, else `data/users.json` under the working directory."""
    return Path(os.environ.get("RASD_USERS") or DEFAULT_USERS)


def normalize_name(name: str) -> str:
    """An editor name as stored: trimmed and lower case."""
    return name.strip().lower() if isinstance(name, str) else ""


@dataclass(frozen=True, slots=True)
class Session:
    """A signed-in editor: the token to keep (in a cookie or session state), whose it is, and when it ends."""

    token: str = field(repr=False)
    name: str
    expires: datetime


@dataclass(frozen=True, slots=True)
class Editor:
    """A verified identity, made only by UserStore (sign-in session or the command line); review writes need one."""

    name: str
    users: UserStore = field(repr=False, compare=False)
    token: str = field(default="", repr=False)
    seal: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.seal is not _SEAL:
            raise AuthError("an editor identity comes only from UserStore (sign_in, editor or local_editor)")

    @property
    def via(self) -> str:
        """How the identity was established: 'session' (signed in) or 'local' (the command line)."""
        return "session" if self.token else "local"

    def confirm(self) -> None:
        """Check again, against the users file, that this editor may still write; AuthError if not."""
        if self.token:
            current = self.users.session(self.token)
            if current is None or current.name != self.name:
                raise AuthError(NOT_SIGNED_IN)
        elif not self.users.exists(self.name):
            raise AuthError(f"editor {self.name!r} no longer exists")


class UserStore:
    """The editors file: accounts, sign-in rate limits and sessions."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        clock: Clock | None = None,
        hasher: PasswordHasher | None = None,
        session_ttl: timedelta = SESSION_TTL,
        lockout_window: timedelta = LOCKOUT_WINDOW,
        max_failures_per_name: int = MAX_FAILURES_PER_NAME,
        max_failures_overall: int = MAX_FAILURES_OVERALL,
    ) -> None:
        self.path = Path(path) if path is not None else default_users_path()
        if self.path.is_dir():
            raise UserError(f"{self.path}: is a folder, not a users file")
        self._clock = clock or _utcnow
        self._hasher = hasher or PasswordHasher()
        self._session_ttl = session_ttl
        self._window = lockout_window
        self._per_name = max_failures_per_name
        self._overall = max_failures_overall
        self._dummy_hash: str | None = None

    # Accounts

    def add(self, name: str, password: str) -> None:
        """Add an editor; UserError for a bad name, a weak password or a name already taken."""
        key = _valid_name(name)
        _check_password(password)
        hashed = self._hasher.hash(password)
        with self._locked() as data:
            if key in data["users"]:
                raise UserError(f"editor {key!r} already exists")
            data["users"][key] = {"hash": hashed, "created": self._now().isoformat(timespec="seconds")}

    def set_password(self, name: str, password: str) -> None:
        """Replace an editor's password and end their sessions."""
        key = _valid_name(name)
        _check_password(password)
        hashed = self._hasher.hash(password)
        with self._locked() as data:
            if key not in data["users"]:
                raise UserError(f"no editor named {key!r}")
            data["users"][key]["hash"] = hashed
            data["sessions"] = {h: s for h, s in data["sessions"].items() if s["name"] != key}

    def remove(self, name: str) -> None:
        """Remove an editor and end their sessions; UserError for an unknown name."""
        key = normalize_name(name)
        with self._locked() as data:
            if key not in data["users"]:
                raise UserError(f"no editor named {key!r}")
            del data["users"][key]
            data["sessions"] = {h: s for h, s in data["sessions"].items() if s["name"] != key}

    def names(self) -> list[str]:
        """Every editor's name, sorted."""
        return sorted(self._read()["users"])

    def exists(self, name: str) -> bool:
        """True when an editor of this name exists."""
        return normalize_name(name) in self._read()["users"]

    # Signing in

    def verify(self, name: str, password: str) -> bool:
        """True for the right password; one Argon2 check either way; RateLimitedError while locked out."""
        key = normalize_name(name)
        # Made before the look-up, so even the first unknown name costs no more than a known one.
        dummy = self._dummy()
        with self._locked() as data:
            now = self._now()
            self._prune(data, now)
            self._raise_if_locked(data, _name_key(key), now)
            record = data["users"].get(key)
            stored = record["hash"] if record else dummy
            ok = self._check(stored, password) and record is not None
            if ok:
                data["failures"]["names"].pop(_name_key(key), None)
                if self._hasher.check_needs_rehash(stored):
                    record["hash"] = self._hasher.hash(password)
            else:
                stamp = now.isoformat()
                data["failures"]["names"].setdefault(_name_key(key), []).append(stamp)
                data["failures"]["all"].append(stamp)
            return ok

    def sign_in(self, name: str, password: str) -> Session:
        """A new session for the right name and password; AuthError (the same for any failure) otherwise."""
        if not self.verify(name, password):
            raise AuthError(SIGN_IN_FAILED)
        token = secrets.token_urlsafe(32)
        key = normalize_name(name)
        with self._locked() as data:
            now = self._now()
            self._prune(data, now)
            expires = now + self._session_ttl
            data["sessions"][_token_hash(token)] = {"name": key, "expires": expires.isoformat()}
        return Session(token=token, name=key, expires=expires)

    def session(self, token: str) -> Session | None:
        """The live session of a token, or None (unknown, expired, or its editor removed)."""
        if not isinstance(token, str) or not token:
            return None
        data = self._read()
        entry = data["sessions"].get(_token_hash(token))
        if entry is None or entry["name"] not in data["users"]:
            return None
        expires = datetime.fromisoformat(entry["expires"])
        if expires <= self._now():
            return None
        return Session(token=token, name=entry["name"], expires=expires)

    def sign_out(self, token: str) -> None:
        """End a session (nothing happens for an unknown token)."""
        with self._locked() as data:
            data["sessions"].pop(_token_hash(token), None)

    def editor(self, token: str) -> Editor:
        """The Editor of a live session token, for review writes; AuthError when it is not live."""
        current = self.session(token)
        if current is None:
            raise AuthError(NOT_SIGNED_IN)
        return Editor(name=current.name, users=self, token=token, seal=_SEAL)

    def local_editor(self, name: str) -> Editor:
        """The Editor named on the command line (whoever runs it owns the files); UserError for an unknown name."""
        key = normalize_name(name)
        if not self.exists(key):
            raise UserError(f"no editor named {key!r}: add one with 'rasd user add {key or 'NAME'} --password-stdin'")
        return Editor(name=key, users=self, seal=_SEAL)

    # Internals

    def _now(self) -> datetime:
        now = self._clock()
        return now if now.tzinfo else now.replace(tzinfo=timezone.utc)

    def _dummy(self) -> str:
        if self._dummy_hash is None:
            self._dummy_hash = self._hasher.hash(secrets.token_urlsafe(16))
        return self._dummy_hash

    def _check(self, stored: str, password: str) -> bool:
        if not isinstance(password, str) or not password or len(password) > MAX_PASSWORD:
            # Still spend the time of one verification, so a refused shape is not told apart.
            password = "\0"
        try:
            return self._hasher.verify(stored, password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            return False

    def _raise_if_locked(self, data: dict[str, Any], name_key: str, now: datetime) -> None:
        overall = [datetime.fromisoformat(s) for s in data["failures"]["all"]]
        mine = [datetime.fromisoformat(s) for s in data["failures"]["names"].get(name_key, [])]
        waits = []
        if len(overall) >= self._overall:
            waits.append(overall[-self._overall] + self._window - now)
        if len(mine) >= self._per_name:
            waits.append(mine[-self._per_name] + self._window - now)
        if waits:
            seconds = max(1, int(max(waits).total_seconds() + 0.999))
            minutes = max(1, (seconds + 59) // 60)
            raise RateLimitedError(
                f"too many failed sign-ins: try again in {minutes} minute{'s' if minutes != 1 else ''}",
                retry_after=seconds,
            )

    def _prune(self, data: dict[str, Any], now: datetime) -> None:
        cutoff = now - self._window
        failures = data["failures"]
        failures["all"] = [s for s in failures["all"] if datetime.fromisoformat(s) > cutoff]
        names = {}
        for key, stamps in failures["names"].items():
            kept = [s for s in stamps if datetime.fromisoformat(s) > cutoff]
            if kept:
                names[key] = kept
        failures["names"] = names
        data["sessions"] = {
            h: s for h, s in data["sessions"].items() if datetime.fromisoformat(s["expires"]) > now
        }

    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return _empty()
        except OSError as e:
            raise UserError(f"{self.path}: cannot read the users file ({e.strerror or e})") from e
        try:
            data = json.loads(text)
        except ValueError as e:
            raise UserError(f"{self.path}: not a Rasd users file ({e})") from e
        if not isinstance(data, dict) or data.get("version") != FILE_VERSION:
            raise UserError(f"{self.path}: not a Rasd users file of version {FILE_VERSION}")
        base = _empty()
        for key in ("users", "sessions"):
            if not isinstance(data.get(key, {}), dict):
                raise UserError(f"{self.path}: malformed {key}")
            base[key] = data.get(key, {})
        failures = data.get("failures", {})
        if isinstance(failures, dict):
            base["failures"]["names"] = dict(failures.get("names", {}))
            base["failures"]["all"] = list(failures.get("all", []))
        return base

    @contextmanager
    def _locked(self) -> Iterator[dict[str, Any]]:
        """The file's contents to change under an exclusive lock; written back atomically unless an error escapes."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock_path = self.path.with_name(self.path.name + ".lock")
        with _THREAD_LOCK, open(lock_path, "a+b") as lock:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            try:
                data = self._read()
                before = json.dumps(data, sort_keys=True)
                yield data
                if json.dumps(data, sort_keys=True) != before:
                    _write_atomic(self.path, data)
            finally:
                if fcntl is not None:
                    fcntl.flock(lock.fileno(), fcntl.LOCK_UN)


def _empty() -> dict[str, Any]:
    return {"version": FILE_VERSION, "users": {}, "sessions": {}, "failures": {"names": {}, "all": []}}


def _valid_name(name: str) -> str:
    key = normalize_name(name)
    if not NAME_PATTERN.fullmatch(key):
        raise UserError("an editor name is 1 to 64 of a-z, 0-9, '.', '_' and '-', starting with a letter or digit")
    return key


def _check_password(password: str) -> None:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise UserError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"a password has at most {MAX_PASSWORD} characters")


def _name_key(name: str) -> str:
    # Failures are counted per name without storing what was typed (it may be a password in the wrong box).
    return hashlib.sha256(("rasd-name:" + name).encode("utf-8")).hexdigest()[:24]


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _write_atomic(path: Path, data: dict[str, Any]) -> None:
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
