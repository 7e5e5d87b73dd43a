#!/usr/bin/env python3
"""Load and faults on the newsroom cluster (issue 8 §4): readers, writers and editors at once, then a killed
replica and a PostgreSQL restart under the same load.

`make bench-cluster` (or `.venv/bin/python bench/bench_cluster.py`) starts scripts/run_cluster.py as a
subprocess (its own PostgreSQL in a temporary --data folder, 2 replicas, nginx on a free loopback port) and runs
three bounded phases of `--seconds` each:

- load: `--readers` reader sessions through nginx, each its own cookie, each opening shared links and changing
  a filter through the URL; meanwhile 4 `rasd ingest` loops on overlapping subsets of tests/data/realworld/
  write to the same PostgreSQL, and 2 editors loop `rasd review verify` / `reject` on events from
  `rasd review list`. `--browser-readers` of the sessions (default 4) are headless Chromium contexts (from two
  browser processes; a filter change is history.pushState + popstate, as push_url does); the others are
  protocol sessions (bench/stream_reader.py): the page's GET through nginx, then the WebSocket and the
  `rerun_script` messages the Streamlit frontend sends for the same link and the same filter change, read until
  `script_finished`. Each is a real server session; it only skips laying out and painting the page. On 2
  cores, 20 Chromium tabs cost the machine several times the CPU of both replicas (measured: 80 % of the
  bench's CPU against 7 % for the replicas), so an all-Chromium run measures Chromium. Both kinds are reported
  apart;
- kill-replica: the same, and a third of the way in one replica is killed with SIGKILL: the other replica's
  sessions must go on answering, the killed one's readers reload through nginx (sent to the live replica) and
  run_cluster.py must start the replica again;
- restart-postgres: the same, and a third of the way in `pg_ctl restart -m fast`: a page may show an error box
  while the server is away but never a traceback, and every session answers again afterwards; ingests and
  decisions that failed meanwhile are retried by their loops.

Each page answer is timed from the navigation to its title settled (a Chromium tab), or from the GET or the rerun
message to `script_finished` (a protocol session). An error is a page without its title (an h1 in the main
area), with a `.rasd-error` box or a traceback, or a failed CLI exit — outside the fault's window, where a
failure is counted as "hit by the fault" instead (a traceback never is). Afterwards the store is checked: every
article stored once, as many events as one ingest of the same files into a fresh database, every decision that
returned 0 in the audit trail and each decided event in the state of its last decision. Exit 0 only with no error and every check passed.
Loopback only; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "scripts"))

from e2e_support import (  # noqa: E402
    CHROMIUM, CHROMIUM_ARGS, NOT_LOCAL, PUSH_URL, SETTLE_MS, SETTLED, TITLED, free_port,
)
from playwright.async_api import Browser, Page, async_playwright  # noqa: E402
from playwright.async_api import Error as PlaywrightError  # noqa: E402
from websockets.exceptions import WebSocketException  # noqa: E402

import run_cluster  # noqa: E402  (scripts/run_cluster.py: its helpers and constants)
from stream_reader import ProtocolError, StreamSession  # noqa: E402

SCRIPT = ROOT / "scripts" / "run_cluster.py"
REALWORLD = ROOT / "tests" / "data" / "realworld"
SEEDS = ROOT / "seeds"
REPLICAS = 2
BROWSERS = 2  # Chromium processes the browser readers' contexts are spread over
# Of the --readers sessions, this many are headless Chromium tabs (the browser path: the frontend, the map's
# iframe, the WebSocket as the browser opens it); the others speak Streamlit's protocol (bench/stream_reader.py).
BROWSER_READERS = 4
KINDS = ("browser", "protocol")
WRITERS = 4
EDITORS = ("editor-one", "editor-two")
EDITOR_PASSWORD = "bench-cluster-password-1"  # a throwaway editors file in the temporary folder
PHASES = ("load", "kill-replica", "restart-postgres")
LINKS = ("/map?weapon=rocket", "/timeline?start=2020-01-01&end=2021-12-31", "/events?governorate=baghdad",
         "/sources")
# The filter each link changes to through the URL, in the same session.
FILTERS = {"/map?weapon=rocket": "/map?weapon=drone", "/timeline?start=2020-01-01&end=2021-12-31":
           "/timeline?start=2022-01-01&end=2023-12-31", "/events?governorate=baghdad": "/events?governorate=anbar",
           "/sources": "/sources?weapon=rocket"}
PAGE_TIMEOUT_S = 60.0
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 30.0
CLI_TIMEOUT_S = 120.0
# A session that has not answered since the fault ended goes on this long after the phase, to show it does.
AFTER_FAULT_S = 90.0
# nginx's fail_timeout: how long after a replica is back nginx may still send its readers elsewhere.
NGINX_FAIL_TIMEOUT_S = 5.0
FAULT_GRACE_S = 5.0
RETRY_PAUSE_S = 1.0
# Between two successful runs of a writer or an editor: load, not a CPU hog that starves the replicas.
WRITE_PAUSE_S = 3.0
DECIDE_PAUSE_S = 1.0
# `rasd review verify` refusing an id a concurrent ingest just rebuilt away: nothing changed, the editor lists again.
STALE = "rasd: no event '"
WRITE_RETRIES_AFTER = 10  # attempts a writer loop still makes after its phase to end on a success
VIEWPORT = {"width": 1280, "height": 800}
PROBE = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const text = document.body ? document.body.innerText : "";
    const h1 = main ? main.querySelector("h1") : null;
    return {title: h1 ? h1.textContent.trim() : "", error: !!document.querySelector(".rasd-error"),
            traceback: /Traceback/.test(text) || !!document.querySelector('[data-testid="stException"]')};
}"""


def log(message: str) -> None:
    print(f"bench-cluster: {message}", file=sys.stderr, flush=True)




# ------------------------------------------------------------------------------------------- the cluster


@dataclass
class Cluster:
    """scripts/run_cluster.py running as a subprocess on free ports in `data`."""

    data: Path
    process: subprocess.Popen[str]
    url: str
    db: str

    @property
    def state(self) -> dict:
        return json.loads((self.data / "cluster" / run_cluster.STATE_FILE).read_text())

    @property
    def postgres(self):  # noqa: ANN201 - run_cluster.LocalPostgres
        port = int(self.db.rsplit(":", 1)[1].split("/")[0])
        return run_cluster.LocalPostgres(self.data / "pg", port=port)

    def output(self) -> str:
        return run_cluster.tail(self.data / "run-cluster.err", 4000)

    def stop(self) -> int | None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT_S)
        return self.process.returncode


def start_cluster(data: Path, users: Path) -> Cluster:
    command = [sys.executable, str(SCRIPT), "--data", str(data), "--port", str(free_port()), "--replicas",
               str(REPLICAS), "--replica-port", str(run_cluster.consecutive_free_ports(REPLICAS)),
               "--pg-port", str(free_port()), "--users", str(users)]
    env = {k: v for k, v in os.environ.items() if k not in ("RASD_DB", "RASD_USERS")}
    with (data / "run-cluster.err").open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True,
                                   start_new_session=True)
    state_file = data / "cluster" / run_cluster.STATE_FILE
    deadline = time.monotonic() + START_TIMEOUT_S
    while not state_file.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill() if process.poll() is None else None
            raise RuntimeError(f"run_cluster.py did not start:\n{run_cluster.tail(data / 'run-cluster.err')}")
        time.sleep(0.2)
    assert process.stdout is not None
    line = process.stdout.readline().strip()
    url = json.loads(state_file.read_text())["url"]
    if url not in line:
        raise RuntimeError(f"run_cluster.py printed {line!r}")
    # run_cluster.py records the URL of its database (with the role's password) in DATA/pg/rasd.url, mode 600.
    db = (data / "pg" / "rasd.url").read_text().strip()
    return Cluster(data, process, url, db)


def psql(db: str, sql: str) -> str:
    result = subprocess.run([str(run_cluster.PSQL), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql],
                            env={**os.environ, **run_cluster.libpq_env(db)}, capture_output=True, text=True,
                            timeout=60, check=True)
    return result.stdout.strip()


def rasd(args: list[str], *, db: str | None, users: Path | None = None, stdin: str | None = None
         ) -> subprocess.CompletedProcess[str]:
    """The command line, with the database in $RASD_DB (never on the command line) and the editors file."""
    env = {**os.environ, "RASD_DB": db} if db else dict(os.environ)
    if users is not None:
        args = [*args, "--users", str(users)]
    try:
        return subprocess.run([sys.executable, "-m", "rasd", *args], cwd=ROOT, env=env, input=stdin, text=True,
                              capture_output=True, timeout=CLI_TIMEOUT_S)
    except subprocess.TimeoutExpired as e:
        return subprocess.CompletedProcess(e.cmd, 124, "", f"timed out after {CLI_TIMEOUT_S:.0f} s")


# ------------------------------------------------------------------------------------------------ phases


@dataclass
class Answer:
    """One page answer: a load of a link, or a filter change through the URL in the same session."""

    session: int
    path: str
    how: str  # "open" or "filter"
    started: float
    seconds: float
    outcome: str  # "ok", "error box", "traceback", "no title", "failed: ..."
    replica: str
    kind: str = "browser"  # "browser" (a Chromium tab) or "protocol" (a StreamSession)


@dataclass
class Phase:
    """What one phase measured; times are time.monotonic()."""

    name: str
    sessions: int
    browser_sessions: int = 0  # sessions 0 .. browser_sessions - 1 are Chromium tabs
    began: float = 0.0
    ended: float = 0.0  # the writer and editor loops all done
    answers: list[Answer] = field(default_factory=list)
    writes_ok: int = 0
    writes_failed: list[tuple[float, str]] = field(default_factory=list)
    writers_unfinished: int = 0  # writer loops whose last attempt failed
    decisions: list[dict] = field(default_factory=list)  # every decision a verify/reject returned with exit 0
    decide_failed: list[tuple[float, str]] = field(default_factory=list)
    decide_unknown: int = 0  # timed out and killed: the decision may have been committed or not
    decide_stale: int = 0  # refused: the listed event was rebuilt away by a concurrent ingest
    files: set[str] = field(default_factory=set)
    fault_start: float | None = None
    fault_end: float | None = None
    fault_note: str = ""
    back: float | None = None  # the killed replica healthy again
    victim: str = ""  # the killed replica's address
    problems: list[str] = field(default_factory=list)

    def in_fault(self, started: float, seconds: float) -> bool:
        """Whether [started, started + seconds] overlaps the fault's window."""
        if self.fault_start is None:
            return False
        end = self.fault_end if self.fault_end is not None else float("inf")
        return started <= end + FAULT_GRACE_S and started + seconds >= self.fault_start

    def tolerated(self, answer: Answer, victims: set[int]) -> bool:
        """A failure the fault explains: during the window, on the killed replica's sessions (kill) or any
        session (PostgreSQL), and never a traceback."""
        if answer.outcome == "traceback" or not self.in_fault(answer.started, answer.seconds):
            return False
        return self.name != "kill-replica" or answer.session in victims

    def victims(self) -> set[int]:
        """The sessions the killed replica served before the kill."""
        last: dict[int, str] = {}
        for a in sorted(self.answers, key=lambda a: a.started):
            if self.fault_start is None or a.started < self.fault_start:
                last[a.session] = a.replica
        return {s for s, r in last.items() if self.victim and self.victim in r}


async def settle(page: Page, timeout_ms: float) -> None:
    await page.wait_for_function(TITLED, timeout=timeout_ms)
    await page.wait_for_timeout(SETTLE_MS)
    await page.wait_for_function(TITLED, timeout=timeout_ms)


async def timed(page: Page, session: int, path: str, how: str, base: str, replica: list[str]) -> Answer:
    """Open path (or push it as a filter change) and wait for its title settled; classify what the page shows."""
    began = time.monotonic()
    outcome = "ok"
    try:
        if how == "open":
            response = await page.goto(base.rstrip("/") + path, wait_until="domcontentloaded",
                                       timeout=PAGE_TIMEOUT_S * 1000)
            if response is not None:
                replica[0] = response.headers.get(run_cluster.REPLICA_HEADER.lower(), "")
            await settle(page, PAGE_TIMEOUT_S * 1000)
        else:
            await page.evaluate(PUSH_URL, path)
            await page.wait_for_function(f"() => window.__rasdRan && ({SETTLED})()", timeout=PAGE_TIMEOUT_S * 1000)
            await settle(page, PAGE_TIMEOUT_S * 1000)
    except PlaywrightError as e:
        outcome = f"failed: {str(e).splitlines()[0][:100]}"
    seconds = time.monotonic() - began
    try:
        shown = await page.evaluate(PROBE)
        if shown["traceback"]:
            outcome = "traceback"
        elif shown["error"]:
            outcome = "error box"
        elif not shown["title"] and outcome == "ok":
            outcome = "no title"
    except PlaywrightError as e:
        if outcome == "ok":
            outcome = f"failed: {str(e).splitlines()[0][:100]}"
    return Answer(session, path, how, began, seconds, outcome, replica[0], "browser")


async def timed_stream(client: StreamSession, session: int, path: str, how: str) -> Answer:
    """The same answer at the protocol level: from the GET (open) or the rerun (filter) to script_finished, and
    what the run put on the page (stream_reader.Shown)."""
    began = time.monotonic()
    outcome, shown = "ok", None
    try:
        shown = await (client.open if how == "open" else client.filter)(path, PAGE_TIMEOUT_S)
    except asyncio.TimeoutError:
        outcome = f"failed: no script_finished in {PAGE_TIMEOUT_S:.0f} s"
    except (OSError, WebSocketException, ProtocolError) as e:
        outcome = f"failed: {type(e).__name__}: {str(e).splitlines()[0][:100] if str(e) else ''}"
    seconds = time.monotonic() - began
    if shown is not None:
        if shown.traceback:
            outcome = "traceback"
        elif shown.error:
            outcome = "error box"
        elif not shown.title:
            outcome = "no title"
    return Answer(session, path, how, began, seconds, outcome, client.replica, "protocol")


async def reader(session: int, browser: Browser | None, base: str, phase: Phase, deadline: float) -> None:
    """One reader: its own cookie (a Chromium context, or a StreamSession when browser is None), opening links
    and changing their filter until the deadline, then on until it has answered once after the fault (if any)
    ended."""
    if browser is not None:
        context = await browser.new_context(viewport=VIEWPORT)
        page = await context.new_page()
        await page.route(NOT_LOCAL, lambda route: route.abort())  # loopback only
        replica = [""]

        def answer(path: str, how: str):  # noqa: ANN202
            return timed(page, session, path, how, base, replica)

        close = context.close
    else:
        client = StreamSession(base)

        def answer(path: str, how: str):  # noqa: ANN202
            return timed_stream(client, session, path, how)

        close = client.close
    step = session
    try:
        while True:
            now = time.monotonic()
            fault_over = phase.fault_end is not None and any(
                a.session == session and a.outcome == "ok" and a.started > phase.fault_end + FAULT_GRACE_S
                for a in phase.answers)
            if now >= deadline and (phase.fault_start is None or fault_over or now >= deadline + AFTER_FAULT_S):
                return
            link = LINKS[step % len(LINKS)]
            step += 1
            opened = await answer(link, "open")
            phase.answers.append(opened)
            if opened.outcome == "ok" and time.monotonic() < deadline:
                phase.answers.append(await answer(FILTERS[link], "filter"))
            elif opened.outcome != "ok":
                await asyncio.sleep(RETRY_PAUSE_S)  # then reload: through nginx, to a live replica
    finally:
        await close()


def overlapping_subsets(files: list[Path], writers: int) -> list[list[Path]]:
    """`writers` subsets of files, each file in two of them: writer w takes chunks w and w + 1."""
    chunks = [files[n::writers] for n in range(writers)]
    return [sorted(chunks[w] + chunks[(w + 1) % writers]) for w in range(writers)]


def writer_loop(phase: Phase, files: list[Path], db: str, stop: threading.Event, lock: threading.Lock) -> None:
    """`rasd ingest` of files again and again until stop; a failed run is retried, and the loop ends on a success
    (up to WRITE_RETRIES_AFTER more attempts after stop)."""
    after = 0
    while True:
        result = rasd(["ingest", *map(str, files)], db=None if not db else db)
        with lock:
            if result.returncode == 0:
                phase.writes_ok += 1
            else:
                phase.writes_failed.append((time.monotonic(), (result.stderr or result.stdout).strip()[-300:]))
        if stop.is_set():
            if result.returncode == 0:
                return
            after += 1
            if after > WRITE_RETRIES_AFTER:
                with lock:
                    phase.writers_unfinished += 1
                return
        if not stop.is_set():
            time.sleep(RETRY_PAUSE_S if result.returncode != 0 else WRITE_PAUSE_S)


def editor_loop(phase: Phase, editor: str, db: str, users: Path, stop: threading.Event, lock: threading.Lock,
                rng: random.Random) -> None:
    """`rasd review list`, then verify or reject one of its events, until stop; a failed decision is retried
    (the same command) until it returns 0 or the phase is over."""
    pending: tuple[str, str] | None = None
    while not stop.is_set():
        if pending is None:
            listed = rasd(["review", "list", "--format", "jsonl"], db=db)
            if listed.returncode != 0:
                with lock:
                    phase.decide_failed.append((time.monotonic(), listed.stderr.strip()[-300:]))
                time.sleep(RETRY_PAUSE_S)
                continue
            ids = [json.loads(line)["id"] for line in listed.stdout.splitlines() if line.strip()]
            if not ids:
                time.sleep(RETRY_PAUSE_S)
                continue
            pending = (rng.choice(("verify", "reject")), rng.choice(ids))
        action, event = pending
        result = rasd(["review", action, event, "--by", editor, "--comment", f"bench {phase.name}"], db=db,
                      users=users)
        with lock:
            if result.returncode == 0:
                phase.decisions.extend(json.loads(line) for line in result.stdout.splitlines() if line.strip())
                pending = None
            elif result.returncode == 124:
                phase.decide_unknown += 1
                phase.decide_failed.append((time.monotonic(), result.stderr.strip()[-300:]))
                pending = None  # never retried: it may have been kept
            elif STALE in result.stderr:
                phase.decide_stale += 1
                pending = None
            else:
                phase.decide_failed.append((time.monotonic(), result.stderr.strip()[-300:]))
        time.sleep(RETRY_PAUSE_S if result.returncode != 0 else DECIDE_PAUSE_S)


def kill_replica(cluster: Cluster, phase: Phase) -> None:
    """SIGKILL replica 1; the fault lasts until run_cluster.py started it again and nginx tries it again."""
    victim = cluster.state["replicas"][0]
    phase.victim = f"127.0.0.1:{victim['port']}"
    phase.fault_start = time.monotonic()
    os.kill(victim["pid"], signal.SIGKILL)
    log(f"killed replica 1 (pid {victim['pid']}, {phase.victim})")
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            again = next(r for r in cluster.state["replicas"] if r["port"] == victim["port"])
        except (OSError, ValueError):
            again = victim
        if again["pid"] != victim["pid"]:
            back = phase.back = time.monotonic()
            phase.fault_end = back + NGINX_FAIL_TIMEOUT_S
            phase.fault_note = (f"replica 1 restarted by run_cluster.py in {back - phase.fault_start:.1f} s "
                                f"(pid {again['pid']}, restarts {again.get('restarts')})")
            log(phase.fault_note)
            return
        time.sleep(0.25)
    phase.fault_end = time.monotonic()
    phase.problems.append(f"replica 1 was not started again in {START_TIMEOUT_S:.0f} s")


def restart_postgres(cluster: Cluster, phase: Phase) -> None:
    """`pg_ctl restart -m fast`, as run_cluster.py runs pg_ctl (as the postgres user when root)."""
    postgres = cluster.postgres
    command = [*postgres.as_server_user, str(postgres.bin_dir / "pg_ctl"), "-D", str(postgres.pgdata), "-l",
               str(postgres.log_file), "-m", "fast", "-w", "-t", "60", "restart"]
    phase.fault_start = time.monotonic()
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    phase.fault_end = time.monotonic()
    phase.fault_note = f"pg_ctl restart -m fast took {phase.fault_end - phase.fault_start:.1f} s"
    log(phase.fault_note)
    if result.returncode != 0:
        phase.problems.append(f"pg_ctl restart failed: {(result.stderr or result.stdout).strip()[-300:]}")


async def run_phase(name: str, browsers: list[Browser], cluster: Cluster, users: Path, files: list[Path],
                    args: argparse.Namespace, rng: random.Random) -> Phase:
    phase = Phase(name, sessions=args.readers, browser_sessions=args.browser_readers, files={f.name for f in files})
    log(f"phase {name}: {args.readers} readers ({args.browser_readers} Chromium tabs, "
        f"{args.readers - args.browser_readers} protocol sessions), {WRITERS} writers on {len(files)} files, "
        f"{len(EDITORS)} editors, {args.seconds:.0f} s")
    began = phase.began = time.monotonic()
    deadline = began + args.seconds
    stop, lock = threading.Event(), threading.Lock()
    threads = [threading.Thread(target=writer_loop, args=(phase, subset, cluster.db, stop, lock), daemon=True)
               for subset in overlapping_subsets(files, WRITERS)]
    threads += [threading.Thread(target=editor_loop, args=(phase, editor, cluster.db, users, stop, lock,
                                                           random.Random(rng.random())), daemon=True)
                for editor in EDITORS]
    for thread in threads:
        thread.start()
    # Sessions 0 .. browser_readers - 1 are the Chromium tabs (they start on different links: step = session).
    readers = [asyncio.create_task(reader(n, browsers[n % len(browsers)] if n < args.browser_readers else None,
                                          cluster.url, phase, deadline))
               for n in range(args.readers)]
    fault = {"kill-replica": kill_replica, "restart-postgres": restart_postgres}.get(name)
    if fault is not None:
        await asyncio.sleep(args.seconds / 3)
        await asyncio.to_thread(fault, cluster, phase)
    await asyncio.sleep(max(0.0, deadline - time.monotonic()))
    stop.set()
    await asyncio.gather(*readers)
    for thread in threads:
        await asyncio.to_thread(thread.join, CLI_TIMEOUT_S * (WRITE_RETRIES_AFTER + 2))
    phase.ended = time.monotonic()
    if cluster.process.poll() is not None:
        phase.problems.append(f"run_cluster.py exited with {cluster.process.returncode}")
    return phase


# -------------------------------------------------------------------------------------------- the checks


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered) + 0.5) - 1))]


def median(values: list[float]) -> float | None:
    return statistics.median(values) if values else None


def summarise(phase: Phase) -> dict:
    """The phase's row: answers and their seconds, errors, what the fault hit, writes and decisions."""
    victims = phase.victims()
    ok = [a for a in phase.answers if a.outcome == "ok"]
    failed = [a for a in phase.answers if a.outcome != "ok"]
    hit = [a for a in failed if phase.tolerated(a, victims)]
    errors = [a for a in failed if not phase.tolerated(a, victims)]
    in_window = (lambda at: phase.in_fault(at, 0.0)) if phase.name == "restart-postgres" else (lambda at: False)
    writes_retried = [f for f in phase.writes_failed if in_window(f[0])]
    write_errors = [f for f in phase.writes_failed if not in_window(f[0])]
    decide_retried = [f for f in phase.decide_failed if in_window(f[0])]
    decide_errors = [f for f in phase.decide_failed if not in_window(f[0])]
    seconds = [a.seconds for a in ok]
    error_ids, hit_ids = {id(a) for a in errors}, {id(a) for a in hit}
    by_kind = {}
    for kind in KINDS:
        mine = [a for a in phase.answers if a.kind == kind]
        took = [a.seconds for a in mine if a.outcome == "ok"]
        by_kind[kind] = {
            "sessions": phase.browser_sessions if kind == "browser" else phase.sessions - phase.browser_sessions,
            "answers": len(mine), "ok": len(took), "p50_s": median(took), "p95_s": percentile(took, 0.95),
            "max_s": max(took) if took else None,
            "open_p50_s": median([a.seconds for a in mine if a.outcome == "ok" and a.how == "open"]),
            "filter_p50_s": median([a.seconds for a in mine if a.outcome == "ok" and a.how == "filter"]),
            "errors": sum(id(a) in error_ids for a in mine), "hit_by_fault": sum(id(a) in hit_ids for a in mine),
        }
    minutes = max(phase.ended - phase.began, 1e-9) / 60
    problems = list(phase.problems)
    if phase.fault_end is not None:
        after = {a.session for a in ok if a.started > phase.fault_end + FAULT_GRACE_S}
        silent = sorted(set(range(phase.sessions)) - after)
        if silent:
            problems.append(f"{len(silent)} sessions never answered after the fault: {silent[:10]}")
    if phase.name == "kill-replica":
        others = {a.session for a in ok if a.session not in victims and phase.in_fault(a.started, a.seconds)}
        # Page loads only: a load's replica is the one that answered its GET, while a filter change keeps the
        # label of its page's load (a Chromium tab's frontend reconnects its WebSocket on its own, unseen).
        moved = Counter(a.replica.rsplit(",", 1)[-1].strip() for a in ok
                        if a.session in victims and a.how == "open" and phase.fault_start is not None
                        and phase.fault_start < a.started < (phase.back or 0))
        phase.fault_note += (f"; {len(victims)} sessions were on {phase.victim}; {len(others)} sessions of the "
                             f"other replica answered during the fault; while it was down the killed replica's "
                             f"sessions' page loads were answered by {dict(moved) or 'nobody'}")
        if not others:
            problems.append("no session of the live replica answered while the other was down")
    if phase.writers_unfinished:
        problems.append(f"{phase.writers_unfinished} writer loops ended on a failed ingest")
    return {
        "phase": phase.name, "sessions": phase.sessions, "answers": len(phase.answers), "ok": len(ok),
        "by_kind": by_kind, "write_seconds": phase.ended - phase.began,
        "writes_per_min": phase.writes_ok / minutes, "decisions_per_min": len(phase.decisions) / minutes,
        "p50_s": statistics.median(seconds) if seconds else None, "p95_s": percentile(seconds, 0.95),
        "max_s": max(seconds) if seconds else None,
        "errors": len(errors) + len(write_errors) + len(decide_errors),
        "page_errors": Counter(a.outcome for a in errors), "hit_by_fault": Counter(a.outcome for a in hit),
        "writes_ok": phase.writes_ok, "writes_failed_retried": len(writes_retried),
        "write_errors": [f[1] for f in write_errors][:3],
        "decisions_ok": len(phase.decisions), "decisions_failed_retried": len(decide_retried),
        "decisions_stale": phase.decide_stale,
        "decision_errors": [f[1] for f in decide_errors][:3],
        "fault": phase.fault_note, "problems": problems,
        "error_examples": [asdict(a) for a in errors[:3]],
    }


def check_store(cluster: Cluster, phases: list[Phase], work: Path) -> list[dict]:
    """Every article once, every attack once, every decision kept."""
    checks = []
    ingested = {f.name for f in SEEDS.glob("*.txt")} | {name for p in phases for name in p.files}
    rows, distinct = map(int, psql(cluster.db, "SELECT count(*), count(DISTINCT file) FROM articles").split("|"))
    checks.append({"check": "every article stored once", "ok": rows == distinct == len(ingested),
                   "detail": f"{rows} rows, {distinct} distinct files, {len(ingested)} distinct files ingested"})
    reference = work / "reference.sqlite"
    paths = [SEEDS, *sorted(REALWORLD / name for name in ingested if (REALWORLD / name).is_file())]
    single = rasd(["ingest", *map(str, paths), "--db", str(reference)], db=None)
    import sqlite3

    with sqlite3.connect(reference) as conn:
        expected = conn.execute("SELECT count(*) FROM events").fetchone()[0]
    events = int(psql(cluster.db, "SELECT count(*) FROM events"))
    checks.append({"check": "every attack once", "ok": single.returncode == 0 and events == expected,
                   "detail": f"{events} events in the cluster's store, {expected} after one ingest of the same "
                             "files into a fresh database"})
    audit = rasd(["export", "--format", "audit"], db=cluster.db)
    audited = list(csv.DictReader(io.StringIO(audit.stdout))) if audit.returncode == 0 else []
    audit_ids = Counter(row["decision"] for row in audited)
    made = [d for p in phases for d in p.decisions]
    missing = [d["decision"] for d in made if str(d["decision"]) not in audit_ids]
    doubled = [k for k, n in audit_ids.items() if n > 1]
    extra = len(audited) - len(made)
    unknown = sum(p.decide_unknown for p in phases)  # killed after their timeout: kept or not
    checks.append({"check": "every decision kept", "ok": audit.returncode == 0 and not missing and not doubled
                   and 0 <= extra <= unknown,
                   "detail": f"{len(made)} decisions returned 0, {len(audited)} in the audit trail, "
                             f"{len(missing)} missing, {len(doubled)} twice, {extra} more than returned 0 "
                             f"(of {unknown} killed after timing out)"})
    listed = rasd(["review", "list", "--format", "jsonl"], db=cluster.db)
    status = {r["id"]: r["status"] for r in map(json.loads, listed.stdout.splitlines()) if r}
    last: dict[str, str] = {}
    for row in audited:  # oldest first
        if row["action"] in ("verify", "reject", "verified", "rejected"):
            last[row["event"]] = row["action"]
    want = {"verify": "verified", "reject": "rejected"}
    wrong = [e for e, action in last.items() if e in status and status[e] != want.get(action, action)]
    gone = [e for e in last if e not in status]
    checks.append({"check": "each decided event in its last decision's state",
                   "ok": listed.returncode == 0 and not wrong,
                   "detail": f"{len(last)} events decided, {len(wrong)} in another state, {len(gone)} no longer "
                             "listed (their decisions orphaned by a rebuild)"})
    return checks


def fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def table(lines: list[tuple[str, ...]]) -> None:
    widths = [max(len(line[i]) for line in lines) for i in range(len(lines[0]))]
    for line in lines:
        print("  ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(line, widths))))


def print_report(rows: list[dict], checks: list[dict]) -> None:
    header = ("phase", "sessions", "page answers", "p50 s", "p95 s", "max s", "errors", "hit by fault",
              "writes ok / failed+retried", "decisions ok / failed+retried")
    lines = [header]
    for r in rows:
        lines.append((r["phase"], str(r["sessions"]), str(r["answers"]), fmt(r["p50_s"]), fmt(r["p95_s"]),
                      fmt(r["max_s"]), str(r["errors"]), str(sum(r["hit_by_fault"].values())),
                      f"{r['writes_ok']} / {r['writes_failed_retried']}",
                      f"{r['decisions_ok']} / {r['decisions_failed_retried']}"))
    table(lines)
    print()
    # The two kinds of reader apart: a Chromium tab's answer includes the frontend's own work (loading its
    # scripts, laying out and painting the page), a protocol session's is the server's answer through nginx.
    lines = [("phase", "readers", "sessions", "page answers", "p50 s", "p95 s", "max s", "open p50 s",
              "filter p50 s", "errors", "hit by fault")]
    for r in rows:
        for kind, k in r["by_kind"].items():
            if k["sessions"]:
                lines.append((r["phase"], kind, str(k["sessions"]), str(k["answers"]), fmt(k["p50_s"]),
                              fmt(k["p95_s"]), fmt(k["max_s"]), fmt(k["open_p50_s"]), fmt(k["filter_p50_s"]),
                              str(k["errors"]), str(k["hit_by_fault"])))
    table(lines)
    print()
    for r in rows:
        print(f"{r['phase']}: writes: {r['writes_ok']} ingest runs ok in {r['write_seconds']:.0f} s "
              f"({r['writes_per_min']:.1f}/min over {WRITERS} loops), {r['decisions_ok']} decisions "
              f"({r['decisions_per_min']:.1f}/min over {len(EDITORS)} editors)")
    print()
    for r in rows:
        notes = [f"fault: {r['fault']}"] if r["fault"] else []
        if r["hit_by_fault"]:
            notes.append(f"hit by the fault: {dict(r['hit_by_fault'])}")
        if r["page_errors"]:
            notes.append(f"page errors: {dict(r['page_errors'])}")
        notes += [f"ingest error: {e}" for e in r["write_errors"]]
        notes += [f"decision error: {e}" for e in r["decision_errors"]]
        if r["decisions_stale"]:
            notes.append(f"{r['decisions_stale']} decisions refused (\"no event ...\", nothing changed): a "
                         "concurrent ingest rebuilt the listed event under a new id; the editor listed again")
        notes += [f"PROBLEM: {p}" for p in r["problems"]]
        for note in notes:
            print(f"{r['phase']}: {note}")
    print()
    for c in checks:
        print(f"{'ok  ' if c['ok'] else 'FAIL'} {c['check']}: {c['detail']}")


# ------------------------------------------------------------------------------------------------- main


async def bench(cluster: Cluster, users: Path, args: argparse.Namespace) -> list[Phase]:
    files = sorted(REALWORLD.glob("*.txt"))
    rng = random.Random(8)
    phases = []
    async with async_playwright() as playwright:
        browsers = [await playwright.chromium.launch(executable_path=str(CHROMIUM), args=list(CHROMIUM_ARGS))
                    for _ in range(min(BROWSERS, args.browser_readers))]
        try:
            for number, name in enumerate(PHASES):
                # Each phase writes its own third of the articles (and some again), so every phase has new writes.
                phases.append(await run_phase(name, browsers, cluster, users, files[number::len(PHASES)], args, rng))
                if cluster.process.poll() is not None:
                    break
        finally:
            for browser in browsers:
                await browser.close()
    return phases


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--readers", type=int, default=20, help="concurrent reader sessions (default 20)")
    parser.add_argument("--browser-readers", type=int, default=BROWSER_READERS,
                        help=f"how many of them are headless Chromium tabs; the others speak Streamlit's protocol "
                             f"(default {BROWSER_READERS})")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds per phase (default 30)")
    parser.add_argument("--json", type=Path, help="also write the results to this JSON file")
    args = parser.parse_args(argv)
    if not 0 <= args.browser_readers <= args.readers:
        parser.error("--browser-readers must be between 0 and --readers")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.browser_readers and not CHROMIUM.is_file():
        raise SystemExit(f"{CHROMIUM} is missing: run `make chromium`")
    work = Path(tempfile.mkdtemp(prefix="rasd-bench-cluster-"))
    work.chmod(0o755)  # the postgres system user must reach DATA/pg
    users = work / "users.json"
    cluster: Cluster | None = None
    try:
        for editor in EDITORS:
            added = rasd(["user", "add", editor, "--password-stdin"], db=None, users=users,
                         stdin=EDITOR_PASSWORD + "\n")
            if added.returncode != 0:
                raise SystemExit(f"rasd user add failed: {added.stderr}")
        log(f"starting the cluster in {work}")
        cluster = start_cluster(work, users)
        log(f"cluster up at {cluster.url}")
        phases = asyncio.run(bench(cluster, users, args))
        rows = [summarise(p) for p in phases]
        checks = check_store(cluster, phases, work) if cluster.process.poll() is None else [
            {"check": "the cluster kept running", "ok": False, "detail": cluster.output()}]
    finally:
        code = cluster.stop() if cluster is not None else None
        if code not in (0, None):
            log(f"run_cluster.py exited with {code}:\n{cluster.output() if cluster else ''}")
        shutil.rmtree(work, ignore_errors=True)
    print_report(rows, checks)
    if args.json:
        args.json.write_text(json.dumps({"readers": args.readers, "seconds": args.seconds, "phases": rows,
                                         "checks": checks}, indent=2, ensure_ascii=False, default=str) + "\n")
    passed = all(c["ok"] for c in checks) and not any(r["errors"] or r["problems"] for r in rows)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
