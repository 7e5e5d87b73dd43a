"""Command line: `rasd geocode | ingest | extract | export | fetch | watch | user | review | db`."""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rasd.errors import RasdError
from rasd.models import Article, Event

PROGRESS_EVERY = 100
GEOCODE_KEYS = ("query", "id", "name_en", "name_ar", "kind", "governorate", "lat", "lon", "source")
# The id, then every scalar Event field in the dataclass's order; sources and articles follow as lists.
EVENT_KEYS = ("id", *(f.name for f in dataclasses.fields(Event)
                      if f.name not in ("id", "sources", "review", "version")))
CSV_KEYS = (*EVENT_KEYS, "articles", "outlets", "n_sources", "evidence")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 some input failed, 2 usage)."""
    args = _parser().parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        return args.run(args)
    except RasdError as e:
        _error(str(e))
        return 1
    except BrokenPipeError:
        # The reader (head, less) went away: point stdout at /dev/null so the final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rasd", description="Attacks on US and coalition forces in Iraq, "
                                     "from Arabic news reports.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    geocode = commands.add_parser("geocode", help="look place names up in the gazetteer")
    geocode.add_argument("names", nargs="+", metavar="NAME", help="Arabic or English place name")
    geocode.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    geocode.set_defaults(run=_geocode)

    ingest = commands.add_parser("ingest", help="add article folders or files to the database")
    ingest.add_argument("paths", nargs="+", metavar="PATH", help="article folder or .txt file")
    ingest.add_argument("--db", help="SQLite file or postgresql:// URL (default: $RASD_DB or data/rasd.sqlite)")
    ingest.add_argument("--reextract", action="store_true",
                        help="extract again from articles already stored unchanged (after the extractor changed)")
    ingest.set_defaults(run=_ingest)

    extract = commands.add_parser("extract", help="print the events found in articles, storing nothing")
    extract.add_argument("paths", nargs="+", metavar="PATH", help="article folder or .txt file")
    extract.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    extract.set_defaults(run=_extract)

    export = commands.add_parser("export", help="write the stored events as CSV or GeoJSON, or the review audit trail")
    export.add_argument("--format", choices=("csv", "geojson", "audit"), default="csv",
                        help="audit: CSV of every review decision (who, when, event, action, before, after, comment)")
    export.add_argument("--all", action="store_true",
                        help="include rejected events (by default the export is what the public pages show)")
    export.add_argument("--db", help="SQLite file or postgresql:// URL (default: $RASD_DB or data/rasd.sqlite)")
    export.add_argument("--output", "-o", type=Path, help="file to write (default: standard output)")
    export.set_defaults(run=_export)

    from rasd.newsroom.cli_fetch import add_commands as add_fetch_commands

    add_fetch_commands(commands)  # fetch, watch

    from rasd.newsroom.cli_review import add_commands as add_review_commands

    add_review_commands(commands)  # user, review

    db = commands.add_parser("db", help="the store's schema: upgrade a store an older Rasd wrote")
    db_actions = db.add_subparsers(dest="db_action", required=True, metavar="ACTION")
    upgrade = db_actions.add_parser("upgrade", help="apply pending migrations in place, keeping every row and "
                                    "editor decision (back the store up first)")
    upgrade.add_argument("--db", help="SQLite file or postgresql:// URL (default: $RASD_DB or data/rasd.sqlite)")
    upgrade.set_defaults(run=_db_upgrade)
    return parser


def _error(message: str) -> None:
    print(f"rasd: {message}", file=sys.stderr)


def _db_path(args: argparse.Namespace) -> str | Path:
    from rasd.store import default_db_path

    return args.db if args.db is not None else default_db_path()


def _geocode(args: argparse.Namespace) -> int:
    from geo.gazetteer import GazetteerGeocoder

    geocoder = GazetteerGeocoder()
    records = []
    for name in args.names:
        location = geocoder.geocode(name, exactly_one=True)
        raw = dict(location.raw) if location is not None else {}
        records.append({"query": name, **{k: raw.get(k) for k in GEOCODE_KEYS[1:]}})
    _write_records(records, GEOCODE_KEYS, args.format)
    unknown = [r["query"] for r in records if r["id"] is None]
    for name in unknown:
        _error(f"{name}: not in the gazetteer")
    return 1 if unknown else 0


def _load(paths: Iterable[str]) -> tuple[list[Article], int]:
    from rasd.articles import load_articles

    loaded = load_articles(paths)
    for error in loaded.errors:
        _error(str(error))
    return loaded.articles, len(loaded.errors)


def _ingest(args: argparse.Namespace) -> int:
    from rasd.store import Store

    articles, failed = _load(args.paths)
    if not articles:
        _error("no articles to ingest")
        return 1
    store = Store(_db_path(args))

    def progress(done: int, total: int) -> None:
        if total > PROGRESS_EVERY and (done % PROGRESS_EVERY == 0 or done == total):
            print(f"rasd: {done}/{total} articles", file=sys.stderr, flush=True)

    report = store.ingest(articles, progress=progress, reextract=args.reextract)
    print(
        f"{len(articles)} articles: {report.added} added, {report.updated} updated, {report.unchanged} unchanged; "
        f"{report.events} events in {store.label}"
        + (f"; {failed} input errors" if failed else "")
    )
    return 1 if failed else 0


def _extract(args: argparse.Namespace) -> int:
    from rasd.extract.extraction import extract_events

    articles, failed = _load(args.paths)
    events = extract_events(articles) if articles else []
    records = [event_record(e) for e in events]
    if args.format == "csv":
        _write_records([_flat(r) for r in records], CSV_KEYS, "csv")
    else:
        _write_records(records, (), "jsonl")
    if not articles:
        _error("no articles to extract from")
    return 1 if failed or not articles else 0


def _export(args: argparse.Namespace) -> int:
    from rasd.store import Store

    store = Store(_db_path(args), create=False)
    if args.format == "audit":
        from rasd.newsroom.cli_review import audit_csv

        text = audit_csv(store)
    elif args.format == "geojson":
        from rasd.views.exports import events_geojson

        # The same GeoJSON as the app's download: properties are the events frame's columns.
        text = events_geojson(store.events_frame(include_rejected=args.all)) + "\n"
    else:
        text = _csv_text([_flat(event_record(e)) for e in store.events(include_rejected=args.all)], CSV_KEYS)
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as e:
        _error(f"{args.output}: cannot write ({e.strerror or e})")
        return 1
    print(f"{'audit trail' if args.format == 'audit' else 'events'} written to {args.output}", file=sys.stderr)
    return 0


def _db_upgrade(args: argparse.Namespace) -> int:
    from rasd.store import default_db_path, target_of, upgrade_store

    report = upgrade_store(target_of(args.db) if args.db else default_db_path(), create=False)
    if report.before == report.after:
        print(f"{report.target}: schema version {report.after}, already up to date")
    else:
        print(f"{report.target}: upgraded from schema version {report.before} to {report.after}")
    return 0


def event_record(event: Event) -> dict[str, Any]:
    """An event as JSON-ready fields: every Event field (ISO dates), its articles and its sources."""
    record: dict[str, Any] = {}
    for key in EVENT_KEYS:
        value = getattr(event, key)
        record[key] = value.isoformat() if hasattr(value, "isoformat") else value
    record["articles"] = event.articles
    record["sources"] = [
        {"article": s.article, "outlet": s.outlet, "url": s.url, "evidence": s.evidence} for s in event.sources
    ]
    return record


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    sources = record["sources"]
    outlets = dict.fromkeys(s["outlet"] for s in sources if s["outlet"])
    return {
        **{k: record[k] for k in EVENT_KEYS},
        "articles": ";".join(record["articles"]),
        "outlets": ";".join(outlets),
        "n_sources": len(sources),
        "evidence": sources[0]["evidence"] if sources else "",
    }


def _csv_text(records: list[dict[str, Any]], keys: Sequence[str]) -> str:
    # The app's writer: no cell a spreadsheet would run as a formula (rasd.views.exports.safe_cell).
    from rasd.views.exports import write_csv

    return write_csv(keys, ([record.get(k, "") for k in keys] for record in records))


def _write_records(records: list[dict[str, Any]], keys: Sequence[str], fmt: str) -> None:
    if fmt == "csv":
        sys.stdout.write(_csv_text(records, keys))
    else:
        sys.stdout.writelines(json.dumps(record, ensure_ascii=False) + "\n" for record in records)
    sys.stdout.flush()
