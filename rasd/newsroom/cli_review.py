"""Command line for editors and review: `rasd user add|remove|list`, `rasd review list|verify|reject|edit|...`."""

from __future__ import annotations

import argparse
import getpass
import json
import math
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rasd.errors import ReviewError, UserError

LIST_KEYS = ("id", "status", "version", "date", "date_precision", "place", "place_name", "governorate", "weapon",
             "projectiles", "target", "outcome", "killed", "wounded", "claimed_by", "articles", "n_sources",
             "evidence")
DECISION_KEYS = ("decision", "when", "who", "action", "event", "other_event", "article", "before", "after",
                 "comment", "state")


def add_commands(commands: Any) -> None:
    """Add the `user` and `review` subcommands to the main parser's subparsers."""
    users_help = "editors file (default: $RASD_USERS or data/users.json)"
    db_help = "SQLite file or postgresql:// URL (default: $RASD_DB or data/rasd.sqlite)"

    user = commands.add_parser("user", help="add or remove the editors who review events")
    user_commands = user.add_subparsers(dest="user_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add an editor; the password is read from standard input")
    add.add_argument("name", metavar="NAME")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from the first line of standard input (never give it as an argument)")
    add.add_argument("--users", type=Path, help=users_help)
    add.set_defaults(run=_user_add)
    remove = user_commands.add_parser("remove", help="remove an editor and end their sessions")
    remove.add_argument("name", metavar="NAME")
    remove.add_argument("--users", type=Path, help=users_help)
    remove.set_defaults(run=_user_remove)
    listing = user_commands.add_parser("list", help="print the editors' names")
    listing.add_argument("--users", type=Path, help=users_help)
    listing.set_defaults(run=_user_list)

    review = commands.add_parser("review", help="list events for review and record editors' decisions")
    actions = review.add_subparsers(dest="review_command", required=True, metavar="ACTION")

    def with_db(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--db", help=db_help)
        return parser

    def with_editor(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        with_db(parser)
        parser.add_argument("--by", required=True, metavar="NAME", help="the editor deciding (must exist)")
        parser.add_argument("--comment", default="", metavar="TEXT", help="why, for the audit trail")
        parser.add_argument("--users", type=Path, help=users_help)
        return parser

    listed = with_db(actions.add_parser("list", help="one line per event with its review status"))
    listed.add_argument("--status", action="append", metavar="STATUS",
                        help="unreviewed, verified, edited or rejected (repeat or comma-separate; default: all)")
    listed.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    listed.set_defaults(run=_review_list)

    orphaned = with_db(actions.add_parser("orphaned", help="decisions whose reports no longer exist"))
    orphaned.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    orphaned.set_defaults(run=_review_orphaned)

    verify = with_editor(actions.add_parser("verify", help="mark events as checked and right"))
    verify.add_argument("ids", nargs="+", metavar="ID")
    verify.set_defaults(run=_review_status, kind="verify")

    reject = with_editor(actions.add_parser("reject", help="mark events as wrong: they leave every public view"))
    reject.add_argument("ids", nargs="+", metavar="ID")
    reject.set_defaults(run=_review_status, kind="reject")

    edit = with_editor(actions.add_parser("edit", help="correct fields of an event"))
    edit.add_argument("id", metavar="ID")
    edit.add_argument("--set", dest="changes", action="append", required=True, metavar="FIELD=VALUE",
                      help="date, date_earliest, date_latest, date_precision, place (gazetteer id), lat, lon, "
                           "geo_precision, weapon, projectiles, target, outcome, killed, wounded, claimant")
    edit.add_argument("--expected-version", type=int, metavar="N",
                      help="the version you reviewed; the edit is refused if the event changed since")
    edit.set_defaults(run=_review_edit)

    merge = with_editor(actions.add_parser("merge", help="make two or more events one attack (the first keeps its id)"))
    merge.add_argument("ids", nargs="+", metavar="ID", help="the event that stays, then the events merged into it")
    merge.set_defaults(run=_review_merge)

    split = with_editor(actions.add_parser("split", help="take one article's report out of an event"))
    split.add_argument("id", metavar="ID")
    split.add_argument("--article", required=True, metavar="FILE", help="the article's file name")
    split.set_defaults(run=_review_split)


def audit_csv(store: Any) -> str:
    """The audit trail as CSV text (rasd.views.exports.write_csv): one row per decision, oldest first."""
    from rasd.views.exports import write_csv

    return write_csv(DECISION_KEYS, (d.audit_row() for d in store.decisions()))


def _users(args: argparse.Namespace) -> Any:
    from rasd.newsroom.users import UserStore

    return UserStore(args.users)


def _store(args: argparse.Namespace) -> Any:
    from rasd.store import Store, default_db_path

    return Store(args.db if args.db is not None else default_db_path(), create=False)


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        return line[:-1] if line.endswith("\n") else line
    if sys.stdin.isatty():
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Again: "):
            raise UserError("the two passwords differ")
        return first
    raise UserError("give the password on standard input with --password-stdin (never as an argument)")


def _user_add(args: argparse.Namespace) -> int:
    users = _users(args)
    password = _read_password(args)
    users.add(args.name, password)
    print(f"editor {args.name.strip().lower()} added to {users.path}", file=sys.stderr)
    return 0


def _user_remove(args: argparse.Namespace) -> int:
    users = _users(args)
    users.remove(args.name)
    print(f"editor {args.name.strip().lower()} removed from {users.path}", file=sys.stderr)
    return 0


def _user_list(args: argparse.Namespace) -> int:
    sys.stdout.writelines(name + "\n" for name in _users(args).names())
    return 0


def _review_list(args: argparse.Namespace) -> int:
    from rasd.newsroom.review import Review

    frame = Review(_store(args)).review_list(args.status)
    records = [{key: _plain(row.get("review" if key == "status" else key)) for key in LIST_KEYS}
               for row in frame.to_dict("records")]
    _write(records, LIST_KEYS, args.format)
    return 0


def _review_orphaned(args: argparse.Namespace) -> int:
    from rasd.newsroom.review import Review

    decisions = Review(_store(args)).orphaned_decisions()
    if args.format == "csv":
        _write([dict(zip(DECISION_KEYS, d.audit_row())) for d in decisions], DECISION_KEYS, "csv")
    else:
        _write([_decision_record(d) for d in decisions], (), "jsonl")
    return 0


def _editor(args: argparse.Namespace) -> Any:
    return _users(args).local_editor(args.by)


def _review_status(args: argparse.Namespace) -> int:
    from rasd.newsroom.review import Review

    editor = _editor(args)
    review = Review(_store(args))
    decide = review.verify if args.kind == "verify" else review.reject
    decisions = decide(args.ids, by=editor, comment=args.comment)
    _write([_decision_record(d) for d in decisions], (), "jsonl")
    return 0


def _review_edit(args: argparse.Namespace) -> int:
    from rasd.newsroom.review import Review

    editor = _editor(args)
    changes: dict[str, str] = {}
    for item in args.changes:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ReviewError(f"--set takes FIELD=VALUE, not {item[:60]!r}")
        changes[key.strip()] = value
    review = Review(_store(args))
    expected = args.expected_version
    if expected is None:
        current = review.event(args.id)
        if current is None:
            raise ReviewError(f"no event {args.id[:40]!r}")
        expected = current.version
    decision = review.edit(args.id, by=editor, changes=changes, comment=args.comment, expected_version=expected)
    _write([_decision_record(decision)], (), "jsonl")
    return 0


def _review_merge(args: argparse.Namespace) -> int:
    from rasd.newsroom.review import Review

    if len(args.ids) < 2:
        raise ReviewError("merge needs at least two event ids: the one that stays, then those merged into it")
    editor = _editor(args)
    review = Review(_store(args))
    # Every id is checked before the first merge, so a typo in the last one leaves nothing half done.
    for event_id in args.ids:
        if review.event(event_id) is None:
            raise ReviewError(f"no event {event_id[:40]!r}")
    # One decision per event folded in, each checked and recorded on its own, in the order given.
    decisions = [review.merge(args.ids[0], other, by=editor, comment=args.comment) for other in args.ids[1:]]
    _write([_decision_record(d) for d in decisions], (), "jsonl")
    return 0


def _review_split(args: argparse.Namespace) -> int:
    from rasd.newsroom.review import Review

    editor = _editor(args)
    decision = Review(_store(args)).split(args.id, Path(args.article).name, by=editor, comment=args.comment)
    _write([_decision_record(decision)], (), "jsonl")
    return 0


def _plain(value: Any) -> Any:
    """A frame cell as JSON: ISO dates, None for missing numbers, lists as lists."""
    import pandas as pd

    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        return value.item()
    return value


def _decision_record(decision: Any) -> dict[str, Any]:
    return {"decision": decision.id, "when": decision.at, "who": decision.editor, "action": decision.kind,
            "event": decision.event_id, "other_event": decision.other_id, "article": decision.article,
            "before": decision.before, "after": decision.after, "comment": decision.comment,
            "state": decision.state, "applies_to": list(decision.events)}


def _write(records: list[dict[str, Any]], keys: Sequence[str], fmt: str) -> None:
    if fmt == "csv":
        from rasd.views.exports import write_csv

        def cell(value: Any) -> Any:
            if isinstance(value, list):
                return ";".join(str(v) for v in value)
            return "" if value is None else value

        sys.stdout.write(write_csv(keys, ([cell(r.get(k)) for k in keys] for r in records)))
    else:
        sys.stdout.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    sys.stdout.flush()
