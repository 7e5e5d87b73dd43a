"""The command line, run as `python -m rasd` in a subprocess, on the seeds and on folders with bad files."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from rasd.articles import load_articles
from rasd.extract.extraction import extract_events

ROOT = Path(__file__).resolve().parent.parent
EVENT_KEYS = {
    "id", "date", "date_earliest", "date_latest", "date_precision", "place", "place_name", "lat", "lon",
    "geo_precision", "governorate", "weapon", "projectiles", "target", "outcome", "killed", "wounded",
    "claimed_by", "sources", "articles",
}
EVENT_SCALARS = EVENT_KEYS - {"sources", "articles", "lat", "lon"}
GEOCODE_KEYS = ["query", "id", "name_en", "name_ar", "kind", "governorate", "lat", "lon", "source"]


def rasd(*args: str | Path, db: Path | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run `python -m rasd` with $RASD_DB pointing into the test's tmp folder."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    env.pop("RASD_DB", None)
    if db is not None:
        env["RASD_DB"] = str(db)
    return subprocess.run(
        [sys.executable, "-m", "rasd", *map(str, args)],
        capture_output=True, text=True, encoding="utf-8", env=env, cwd=cwd, timeout=300,
    )


@pytest.fixture(scope="module")
def seed_jsonl(seeds_dir) -> list[dict]:
    """`rasd extract seeds --format jsonl`, parsed."""
    proc = rasd("extract", seeds_dir, "--format", "jsonl")
    assert proc.returncode == 0, proc.stderr
    return [json.loads(line) for line in proc.stdout.splitlines()]


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr, proc.stderr


@pytest.fixture()
def mixed_folder(tmp_path, seeds_dir) -> Path:
    """Two seed articles with their catalogue, plus an empty, a binary and an English file."""
    folder = tmp_path / "mixed"
    folder.mkdir()
    for path in sorted(seeds_dir.glob("*.txt"))[:2]:
        shutil.copy(path, folder / path.name)
    shutil.copy(seeds_dir / "articles.csv", folder / "articles.csv")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "english.txt").write_text("Rockets hit a base in western Iraq, officials said on Tuesday.\n")
    return folder


def test_geocode_known_and_unknown_names(seeds_dir):
    from geo.gazetteer import GazetteerGeocoder

    names = ["عين الأسد", "بغداد", "مكان لا وجود له إطلاقا"]
    proc = rasd("geocode", *names, "--format", "jsonl")

    _no_traceback(proc)
    assert proc.returncode == 1
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [line["query"] for line in lines] == names
    assert all(list(line) == GEOCODE_KEYS for line in lines)
    geocoder = GazetteerGeocoder()
    for line in lines[:2]:
        raw = geocoder.geocode(line["query"], exactly_one=True).raw
        assert {k: line[k] for k in GEOCODE_KEYS[1:]} == {k: raw[k] for k in GEOCODE_KEYS[1:]}
        assert isinstance(line["lat"], float) and isinstance(line["lon"], float)
    assert all(lines[2][k] is None for k in GEOCODE_KEYS[1:])
    assert names[2] in proc.stderr
    assert "\\u" not in proc.stdout  # Arabic is written as is, not escaped


def test_geocode_all_known_exits_zero():
    proc = rasd("geocode", "عين الأسد", "--format", "jsonl")

    assert proc.returncode == 0, proc.stderr
    assert len(proc.stdout.splitlines()) == 1


def test_ingest_twice_is_idempotent(tmp_path, seeds_dir):
    db = tmp_path / "rasd.sqlite"
    n_events = len(extract_events(load_articles([seeds_dir]).articles))

    first = rasd("ingest", seeds_dir, "--db", db)
    second = rasd("ingest", seeds_dir, "--db", db)

    assert first.returncode == 0, first.stderr
    assert second.returncode == 0, second.stderr
    assert "5 added, 0 updated, 0 unchanged" in first.stdout
    assert "0 added, 0 updated, 5 unchanged" in second.stdout
    assert f"{n_events} events" in first.stdout and f"{n_events} events" in second.stdout


def test_ingest_uses_rasd_db_by_default(tmp_path, seeds_dir):
    db = tmp_path / "env" / "rasd.sqlite"

    proc = rasd("ingest", seeds_dir, db=db, cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert db.is_file()
    assert not (tmp_path / "data").exists()


def test_ingest_reports_bad_files_and_keeps_the_good_ones(tmp_path, mixed_folder):
    db = tmp_path / "rasd.sqlite"

    proc = rasd("ingest", mixed_folder, tmp_path / "missing", "--db", db)

    _no_traceback(proc)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if line.startswith("rasd: ")]
    for name in ("empty.txt", "binary.txt", "english.txt", "missing"):
        assert sum(name in line for line in errors) == 1, proc.stderr
    assert "2 added" in proc.stdout
    export = rasd("export", "--format", "csv", "--db", db)
    articles = {a for row in csv.DictReader(io.StringIO(export.stdout)) for a in row["articles"].split(";")}
    assert articles <= {p.name for p in mixed_folder.glob("0*.txt")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("ingest", "{tmp}/nowhere"), "no such file"),
        (("ingest", "{seeds}", "--db", "{tmp}/text.sqlite"), "not a Rasd database"),
        (("export", "--db", "{tmp}/absent.sqlite"), "no database"),
        (("export", "--db", "{tmp}/text.sqlite"), "not a Rasd database"),
        (("extract", "{tmp}/nowhere"), "no such file"),
        (("export", "--db", "{tmp}/folder"), "folder"),
    ],
)
def test_bad_input_gives_a_one_line_error_and_exit_1(tmp_path, seeds_dir, args, message):
    (tmp_path / "text.sqlite").write_text("hello, I am not SQLite\n" * 40)
    (tmp_path / "folder").mkdir()
    args = [a.format(tmp=tmp_path, seeds=seeds_dir) for a in args]

    proc = rasd(*args)

    _no_traceback(proc)
    assert proc.returncode == 1
    assert message in proc.stderr
    assert all(line.startswith("rasd: ") for line in proc.stderr.splitlines())
    assert not (tmp_path / "absent.sqlite").exists()


def test_usage_error_exits_2():
    proc = rasd("export", "--format", "xml")

    assert proc.returncode == 2
    _no_traceback(proc)


def test_extract_jsonl_has_every_field_and_writes_nothing(tmp_path, seeds_dir, seed_jsonl):
    db = tmp_path / "rasd.sqlite"
    expected = extract_events(load_articles([seeds_dir]).articles)

    proc = rasd("extract", seeds_dir / "000_d15af71adb9f6744.txt", db=db, cwd=tmp_path)

    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip()
    assert not db.exists() and not (tmp_path / "data").exists()
    lines = seed_jsonl
    assert [line["id"] for line in lines] == [e.id for e in expected]
    for line, event in zip(lines, expected):
        assert set(line) == EVENT_KEYS
        for key in ("date", "date_earliest", "date_latest"):
            value = getattr(event, key)
            assert line[key] == (value.isoformat() if value else None)
            if line[key]:
                date.fromisoformat(line[key])
        assert (line["lat"], line["lon"], line["weapon"], line["killed"]) == (
            event.lat, event.lon, event.weapon, event.killed
        )
        assert line["articles"] == event.articles
        assert line["sources"] == [
            {"article": s.article, "outlet": s.outlet, "url": s.url, "evidence": s.evidence} for s in event.sources
        ]


def test_extract_csv_has_one_row_per_event(seeds_dir, seed_jsonl):
    table = rasd("extract", seeds_dir, "--format", "csv")

    assert table.returncode == 0, table.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert [r["id"] for r in rows] == [line["id"] for line in seed_jsonl]
    assert [r["articles"] for r in rows] == [";".join(line["articles"]) for line in seed_jsonl]
    assert [float(r["lat"]) for r in rows] == [line["lat"] for line in seed_jsonl]


def test_extract_with_bad_files_prints_events_of_the_good_ones(mixed_folder):
    proc = rasd("extract", mixed_folder, "--format", "jsonl")

    _no_traceback(proc)
    assert proc.returncode == 1
    lines = [json.loads(line) for line in proc.stdout.splitlines()]
    assert lines
    assert {a for line in lines for a in line["articles"]} <= {p.name for p in mixed_folder.glob("0*.txt")}
    assert sum("empty.txt" in line for line in proc.stderr.splitlines()) == 1


def test_export_csv_and_geojson_parse_back(tmp_path, seeds_dir, seed_jsonl):
    db = tmp_path / "rasd.sqlite"
    assert rasd("ingest", seeds_dir, "--db", db).returncode == 0

    table = rasd("export", "--format", "csv", "--db", db)
    geo = rasd("export", "--format", "geojson", "--db", db, "--output", tmp_path / "events.geojson")

    assert table.returncode == 0, table.stderr
    assert geo.returncode == 0, geo.stderr
    rows = list(csv.DictReader(io.StringIO(table.stdout)))
    assert sorted(r["id"] for r in rows) == sorted(e["id"] for e in seed_jsonl)
    collection = json.loads((tmp_path / "events.geojson").read_text(encoding="utf-8"))
    assert collection["type"] == "FeatureCollection"
    assert len(collection["features"]) == len(rows)
    by_id = {e["id"]: e for e in seed_jsonl}
    for feature in collection["features"]:
        props, event = feature["properties"], by_id[feature["id"]]
        assert feature["geometry"] == {"type": "Point", "coordinates": [event["lon"], event["lat"]]}
        assert {k: props[k] for k in EVENT_SCALARS} == {k: event[k] for k in EVENT_SCALARS}
        assert props["articles"] == event["articles"]
    for row in rows:
        event = by_id[row["id"]]
        assert row["articles"] == ";".join(event["articles"])
        assert (row["date"] or None, float(row["lat"])) == (event["date"], event["lat"])


# Formula injection: hostile outlets (=HYPERLINK(...), +1+2, -2+3, @SUM(A1)) reach the exported CSV as text.

SPREADSHEET_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile_export_db(tmp_path_factory, seeds_dir) -> Path:
    """The seeds and one article per hostile value of tests/data/hostile/, ingested by the command line."""
    from hostile import write_hostile_articles

    root = tmp_path_factory.mktemp("hostile-export")
    write_hostile_articles(root / "articles")
    db = root / "rasd.sqlite"
    proc = rasd("ingest", seeds_dir, root / "articles", "--db", db)
    assert proc.returncode == 0, proc.stderr
    return db


@pytest.mark.parametrize("to_file", [False, True])
def test_export_csv_holds_no_live_formula(tmp_path, hostile_export_db, to_file):
    out = tmp_path / "events.csv"
    proc = rasd("export", "--format", "csv", "--db", hostile_export_db, *(("--output", out) if to_file else ()))
    assert proc.returncode == 0, proc.stderr
    text = out.read_text(encoding="utf-8") if to_file else proc.stdout
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) > 90
    live = [cell for row in rows for cell in row if cell.startswith(SPREADSHEET_FORMULA_STARTS)]
    assert live == []
    outlets = [row[rows[0].index("outlets")] for row in rows[1:]]
    for formula in ('=HYPERLINK("http://evil.example/?x","click")', "+1+2", "-2+3", "@SUM(A1)"):
        assert any(cell.startswith("'" + formula) for cell in outlets), formula
    # Numbers stay numbers: coordinates are not quoted.
    lats = [row[rows[0].index("lat")] for row in rows[1:]]
    assert all(not v or float(v) > 0 for v in lats)
