"""The `rasd fetch` and `rasd watch` commands (registered by rasd.cli)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rasd.store import Store

DEFAULT_EVERY = 30.0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add `fetch` and `watch` to the command line's sub-commands."""
    fetch = commands.add_parser("fetch", help="fetch web pages and ingest their articles")
    fetch.add_argument("urls", nargs="+", metavar="URL", help="http(s) address of a news article page")
    fetch.add_argument("--db", help="SQLite file or postgresql:// URL (default: $RASD_DB or data/rasd.sqlite)")
    fetch.set_defaults(run=run_fetch)

    watch = commands.add_parser("watch", help="poll RSS or Atom feeds and ingest each new article once")
    watch.add_argument("feeds", nargs="+", metavar="FEED", help="http(s) address of an RSS or Atom feed")
    watch.add_argument("--every", type=_minutes, default=DEFAULT_EVERY, metavar="MINUTES",
                       help=f"minutes between polls (default {DEFAULT_EVERY:g})")
    watch.add_argument("--once", action="store_true", help="poll once and exit")
    watch.add_argument("--db", help="SQLite file or postgresql:// URL (default: $RASD_DB or data/rasd.sqlite)")
    watch.set_defaults(run=run_watch)


def _minutes(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of minutes") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("minutes between polls must be more than 0")
    return value


def _quiet_log() -> None:
    # The progress lines already name each failing URL; without a handler logging would print them twice.
    logging.getLogger("rasd.newsroom").addHandler(logging.NullHandler())


def _progress(message: str) -> None:
    print(f"rasd: {message}", file=sys.stderr, flush=True)


def _store(args: argparse.Namespace) -> Store:
    from rasd.store import Store, default_db_path

    return Store(args.db if args.db is not None else default_db_path())


def run_fetch(args: argparse.Namespace) -> int:
    """Fetch the pages, ingest them, print a summary; 1 when any page failed."""
    from rasd.newsroom.pages import fetch_pages

    _quiet_log()
    store = _store(args)
    report = fetch_pages(args.urls, store=store, progress=_progress)
    print(f"{report.summary()} in {store.label}", flush=True)
    return 0 if report.ok else 1


def run_watch(args: argparse.Namespace) -> int:
    """Poll the feeds (once, or every --every minutes until interrupted); 1 when the last poll had a failure."""
    from rasd.newsroom.feeds import PollReport, watch

    _quiet_log()
    store = _store(args)

    def summary(report: PollReport) -> None:
        print(f"{report.summary()} in {store.label}", flush=True)

    report = watch(args.feeds, store=store, every_minutes=args.every, once=args.once, progress=_progress,
                   on_poll=summary)
    return 0 if report.ok else 1
