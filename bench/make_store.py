"""Write N synthetic events (with their articles, mentions and sources) into a new Rasd store, fast.

    python bench/make_store.py --events 1000000 --db bench/out/stores/rasd-1000000.sqlite [--seed 0] [--force]
    python bench/make_store.py --events 100000 --db postgresql://rasd@127.0.0.1:5433/bench

--db is a SQLite file or a PostgreSQL URL; a PostgreSQL database must be empty (createdb it; --force is for
files only), and gets its rows through COPY.

The events are rasd.store.synthetic.fake_events_frame(N, seed=SEED), placed at gazetteer sites, towns and
governorates; each source is a short synthetic article that says it is synthetic. Rows go straight into the
tables with executemany in one transaction (Store.bulk_load), generated in a child process while SQLite
writes: no extraction, no merging. The store's `meta` table gets `synthetic` (JSON: events, seed, generator,
its version, made) so the app can tell a synthetic store from a real one. The file is built beside --db and
renamed into place, so a stopped run leaves no half store.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasd.errors import StoreError  # noqa: E402
from rasd.store import SYNTHETIC_KEY, BulkRows, Store, is_url, target_of  # noqa: E402
from rasd.store.synthetic import synthetic_store_rows  # noqa: E402

GENERATOR = "rasd.store.synthetic.synthetic_store_rows"
# Where the benchmarks keep the stores they make (git-ignored), one per size and seed.
STORES = ROOT / "bench" / "out" / "stores"


def _produce(n: int, seed: int, out: multiprocessing.Queue) -> None:
    """The child process: every batch of synthetic_store_rows into `out`, then None (or the error's text)."""
    try:
        for batch in synthetic_store_rows(n, seed=seed):
            out.put(batch)
    except Exception as exc:  # reported to the parent, which raises it
        out.put(f"{type(exc).__name__}: {exc}")
        return
    out.put(None)


def rows_from_child(n: int, seed: int, *, depth: int = 2) -> Iterator[BulkRows]:
    """synthetic_store_rows(n, seed=seed) made in a child process, up to `depth` batches ahead of SQLite."""
    # A thread would share the interpreter lock with the sqlite3 module's parameter binding: a process runs
    # the generator on the other core (the batches cross over pickled, a tenth of the time they take to make).
    out: multiprocessing.Queue = multiprocessing.Queue(maxsize=depth)
    child = multiprocessing.Process(target=_produce, args=(n, seed, out), name="synthetic-rows", daemon=True)
    child.start()
    try:
        while True:
            item = out.get()
            if item is None:
                break
            if isinstance(item, str):
                raise StoreError(f"making the synthetic rows failed: {item}")
            yield item
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


def generator_version() -> str:
    """A hash of rasd/store/synthetic.py: a store made by another version of the generator is made again."""
    return hashlib.sha256((ROOT / "rasd" / "store" / "synthetic.py").read_bytes()).hexdigest()[:12]


def synthetic_meta(n: int, seed: int) -> str:
    """The value of the store's `synthetic` meta row."""
    made = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return json.dumps({"events": n, "seed": seed, "generator": GENERATOR, "version": generator_version(),
                       "made": made}, sort_keys=True)


def _remove(path: Path) -> None:
    for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)


def make_store(db: str | Path, n: int, *, seed: int = 0, force: bool = False) -> Store:
    """A new store at db holding n synthetic events; StoreError if db exists and force is not set (a PostgreSQL
    database: if it holds anything)."""
    if is_url(db):
        store = Store(target_of(db))
        store.bulk_load(rows_from_child(n, seed), meta={SYNTHETIC_KEY: synthetic_meta(n, seed)})
        return store
    db = Path(db)
    if db.exists() and not force:
        raise StoreError(f"{db}: exists already (use --force to replace it)")
    db.parent.mkdir(parents=True, exist_ok=True)
    partial = db.with_name(f"{db.name}.building-{os.getpid()}")
    _remove(partial)
    try:
        store = Store(partial)
        store.bulk_load(rows_from_child(n, seed), meta={SYNTHETIC_KEY: synthetic_meta(n, seed)})
    except BaseException:
        _remove(partial)
        raise
    # Every connection is closed: SQLite checkpointed the WAL into the file, which can move now.
    _remove(db)
    os.replace(partial, db)
    return Store(db, create=False)


def cached_store(n: int, *, seed: int = 0, folder: Path = STORES) -> Path:
    """folder/rasd-N-seedS.sqlite, made unless one from the same generator, size and seed is there already."""
    db = Path(folder) / f"rasd-{n}-seed{seed}.sqlite"
    if db.is_file():
        try:
            note = json.loads(Store(db, create=False).meta().get(SYNTHETIC_KEY, "{}"))
        except (StoreError, ValueError):
            note = {}
        if (note.get("events"), note.get("seed"), note.get("version")) == (n, seed, generator_version()):
            return db
    print(f"making a store of {n:,} synthetic events at {db} ...", file=sys.stderr, flush=True)
    make_store(db, n, seed=seed, force=True)
    return db


def main(argv: list[str] | None = None) -> int:
    """Make the store, print what it holds and how long it took."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, required=True, help="number of synthetic events")
    parser.add_argument("--db", required=True, help="the store file to write, or an empty PostgreSQL database's URL")
    parser.add_argument("--seed", type=int, default=0, help="random seed of rasd.store.synthetic (default 0)")
    parser.add_argument("--force", action="store_true", help="replace --db if it exists")
    args = parser.parse_args(argv)
    if args.events < 0:
        parser.error("--events must be 0 or more")
    start = time.perf_counter()
    try:
        store = make_store(args.db, args.events, seed=args.seed, force=args.force)
    except StoreError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    seconds = time.perf_counter() - start
    counts = store.counts()
    size = "" if is_url(args.db) else f"; {Path(args.db).stat().st_size / 1e6:,.0f} MB"
    print(f"{store.label}: {counts.events:,} synthetic events, {counts.articles:,} articles, {counts.sources:,} "
          f"sources, {counts.first_date} to {counts.last_date}{size} in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
