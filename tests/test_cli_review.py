"""`rasd user` and `rasd review`, and `rasd export --format audit`, run as `python -m rasd` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from rasd.articles import load_articles
from rasd.store import Store

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"
LIST_KEYS = {"id", "status", "version", "date", "place", "weapon", "articles"}


def rasd(*args: str | Path, db: Path, users: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m rasd` with $RASD_DB and $RASD_USERS in the test's tmp folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8", "RASD_DB": str(db),
           "RASD_USERS": str(users)}
    return subprocess.run(
        [sys.executable, "-m", "rasd", *map(str, args)], input=stdin if stdin is not None else "",
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=db.parent, timeout=300,
    )


def _one_line_error(proc: subprocess.CompletedProcess[str], *, contains: str) -> None:
    assert proc.returncode == 1, (proc.stdout, proc.stderr)
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("rasd: ") and contains in lines[0], proc.stderr


@pytest.fixture(scope="module")
def seeded_file(tmp_path_factory, seeds_dir) -> Path:
    path = tmp_path_factory.mktemp("cli-seeded") / "rasd.sqlite"
    Store(path).ingest(load_articles([seeds_dir]).articles)
    return path


@pytest.fixture()
def env(tmp_path, seeded_file) -> tuple[Path, Path]:
    """A copy of the seeded database and a users file with editor alice."""
    db = tmp_path / "rasd.sqlite"
    with sqlite3.connect(seeded_file) as source, sqlite3.connect(db) as target:
        source.backup(target)
    users = tmp_path / "users.json"
    proc = rasd("user", "add", "Alice", "--password-stdin", db=db, users=users, stdin=PASSWORD + "\n")
    assert proc.returncode == 0, proc.stderr
    return db, users


def _list(db: Path, users: Path, *args: str) -> list[dict]:
    proc = rasd("review", "list", "--format", "jsonl", *args, db=db, users=users)
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def test_user_add_and_remove(env):
    db, users = env
    text = users.read_text(encoding="utf-8")
    assert PASSWORD not in text and "$argon2id$" in text

    assert rasd("user", "list", db=db, users=users).stdout == "alice\n"
    _one_line_error(rasd("user", "add", "alice", "--password-stdin", db=db, users=users, stdin=PASSWORD),
                    contains="already exists")
    _one_line_error(rasd("user", "add", "bob", "--password-stdin", db=db, users=users, stdin="short\n"),
                    contains="at least")
    _one_line_error(rasd("user", "add", "bob", db=db, users=users), contains="--password-stdin")
    assert rasd("user", "remove", "alice", db=db, users=users).returncode == 0
    assert rasd("user", "list", db=db, users=users).stdout == ""
    _one_line_error(rasd("user", "remove", "alice", db=db, users=users), contains="no editor named 'alice'")


def test_review_list_has_one_line_per_event(env):
    db, users = env
    lines = _list(db, users)
    assert len(lines) == len(Store(db).events()) > 0
    assert all(LIST_KEYS <= set(line) and line["status"] == "unreviewed" for line in lines)
    table = rasd("review", "list", "--format", "csv", "--status", "unreviewed", "--db", db, db=db, users=users)
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [r["id"] for r in rows] == [line["id"] for line in lines]
    assert _list(db, users, "--status", "verified") == []
    _one_line_error(rasd("review", "list", "--status", "approved", db=db, users=users), contains="approved")


def test_verify_reject_and_the_public_export(env):
    db, users = env
    first, second = (line["id"] for line in _list(db, users)[:2])

    _one_line_error(rasd("review", "verify", first, "--by", "mallory", db=db, users=users),
                    contains="no editor named 'mallory'")
    proc = rasd("review", "verify", first, "--by", "alice", "--comment", "checked", db=db, users=users)
    assert proc.returncode == 0, proc.stderr
    [decision] = [json.loads(line) for line in proc.stdout.splitlines()]
    assert (decision["action"], decision["who"], decision["event"]) == ("verify", "alice", first)
    assert rasd("review", "reject", second, "--by", "alice", db=db, users=users).returncode == 0

    assert [line["id"] for line in _list(db, users, "--status", "verified")] == [first]
    assert [line["id"] for line in _list(db, users, "--status", "rejected")] == [second]
    exported = rasd("export", "--format", "csv", db=db, users=users)
    ids = [r["id"] for r in csv.DictReader(io.StringIO(exported.stdout))]
    assert first in ids and second not in ids
    # --all writes the rejected events too, for an archive or a second look.
    everything = rasd("export", "--format", "csv", "--all", db=db, users=users)
    assert {first, second} <= {r["id"] for r in csv.DictReader(io.StringIO(everything.stdout))}
    geojson = json.loads(rasd("export", "--format", "geojson", "--all", db=db, users=users).stdout)
    assert second in {f["properties"]["id"] for f in geojson["features"]}
    _one_line_error(rasd("review", "verify", "ffffffffffff", "--by", "alice", db=db, users=users),
                    contains="no event 'ffffffffffff'")


def test_edit_with_set_and_a_stale_version(env):
    db, users = env
    event = _list(db, users)[0]

    proc = rasd("review", "edit", event["id"], "--by", "alice", "--set", "weapon=rocket", "--set", "killed=2",
                "--set", "claimant=Kataib Hezbollah", "--comment", "ministry", db=db, users=users)
    assert proc.returncode == 0, proc.stderr
    after = next(line for line in _list(db, users) if line["id"] == event["id"])
    assert (after["status"], after["version"], after["weapon"], after["killed"]) == ("edited", 2, "rocket", 2)
    assert after["claimed_by"] == "Kataib Hezbollah"

    _one_line_error(rasd("review", "edit", event["id"], "--by", "alice", "--set", "killed=5",
                         "--expected-version", "1", db=db, users=users), contains="changed since you loaded it")
    _one_line_error(rasd("review", "edit", event["id"], "--by", "alice", "--set", "colour=red", db=db, users=users),
                    contains="cannot edit 'colour'")
    _one_line_error(rasd("review", "edit", event["id"], "--by", "alice", "--set", "killed", db=db, users=users),
                    contains="FIELD=VALUE")


def test_merge_split_and_the_audit_export(env):
    db, users = env
    store = Store(db)
    multi = next(e for e in store.events() if len(set(e.articles)) >= 2)
    a, b = [e.id for e in store.events() if e.id != multi.id][:2]

    merged = rasd("review", "merge", a, b, "--by", "alice", "--comment", "=1+1", db=db, users=users)
    assert merged.returncode == 0, merged.stderr
    split = rasd("review", "split", multi.id, "--article", f"seeds/{multi.articles[-1]}", "--by", "alice",
                 db=db, users=users)
    assert split.returncode == 0, split.stderr
    new_id = json.loads(split.stdout)["after"]["new_event"]
    ids = {line["id"] for line in _list(db, users)}
    assert b not in ids and {a, multi.id, new_id} <= ids
    _one_line_error(rasd("review", "merge", a, a, "--by", "alice", db=db, users=users), contains="itself")
    # Several at once: every id is checked first, so an unknown last id merges nothing.
    c, d = [i for i in ids if i not in {a, multi.id, new_id}][:2]
    _one_line_error(rasd("review", "merge", a, c, "ffffffffffff", "--by", "alice", db=db, users=users),
                    contains="no event 'ffffffffffff'")
    assert c in {line["id"] for line in _list(db, users)}
    three = rasd("review", "merge", a, c, d, "--by", "alice", db=db, users=users)
    assert three.returncode == 0, three.stderr
    assert [(d["action"], d["event"]) for d in map(json.loads, three.stdout.splitlines())] == [("merge", a)] * 2
    left = {line["id"] for line in _list(db, users)}
    assert a in left and not {c, d} & left

    out = db.parent / "audit.csv"
    proc = rasd("export", "--format", "audit", "--output", out, db=db, users=users)
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert list(rows[0]) == ["decision", "when", "who", "action", "event", "other_event", "article", "before",
                             "after", "comment", "state"]
    assert [(r["who"], r["action"], r["event"]) for r in rows] == [
        ("alice", "merge", a), ("alice", "split", multi.id), ("alice", "merge", a), ("alice", "merge", a)]
    assert rows[0]["other_event"] == b and rows[0]["comment"] == "'=1+1"
    assert json.loads(rows[1]["after"])["new_event"] == new_id
    assert rasd("review", "orphaned", db=db, users=users).stdout == ""
