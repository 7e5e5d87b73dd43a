"""`make run-cluster` (scripts/run_cluster.py): nginx in front of two Streamlit replicas, sticky sessions, WebSocket.

The real script runs as a subprocess on free ports with its own temporary data folder; the tests read what nginx
says (the X-Rasd-Replica header and its JSON access log) to see which replica served each request. The local
PostgreSQL's start, connect and stop are tested on their own. Nothing is skipped: a missing nginx or PostgreSQL
fails with the command that installs it.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import pytest
from playwright.sync_api import Browser, Response

from e2e_support import ROOT, OfflineGuard, free_port, open_settled
from rasd.views.i18n import t

SCRIPT = ROOT / "scripts" / "run_cluster.py"
# The database the cluster's replicas read: "postgres", the script's own PostgreSQL (started, and checked to stop,
# by these tests); "sqlite" runs the same checks of the proxy and the replicas on a file.
CLUSTER_DB = "postgres"
REPLICAS = 2
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
KEYS = [f"reader-{n}" for n in range(32)]


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("run_cluster", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_cluster"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


run_cluster = _load_script()


def _require(path: Path, install: str) -> None:
    if not path.exists():
        pytest.fail(f"{path} is missing: run `{install}`", pytrace=False)


@pytest.fixture(scope="module")
def data_dir() -> Iterator[Path]:
    """A data folder the postgres system user can reach (pytest's own tmp folders are mode 700)."""
    folder = Path(tempfile.mkdtemp(prefix="rasd-cluster-"))
    folder.chmod(0o755)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster_db(data_dir: Path) -> list[str]:
    """The script's database arguments: a SQLite file (loaded with the seeds by the script), or none at all,
    which makes it start PostgreSQL in DATA/pg."""
    if CLUSTER_DB == "postgres":
        _require(run_cluster.PG_BIN / "initdb", "make postgres")
        return ["--pg-port", str(free_port())]
    return ["--db", str(data_dir / "rasd.sqlite")]


@dataclass
class Running:
    """The script's process and what it wrote to DATA/cluster/cluster.json."""

    process: subprocess.Popen[str]
    data: Path
    state: dict
    stderr: Path

    @property
    def url(self) -> str:
        return self.state["url"]

    @property
    def replicas(self) -> set[str]:
        return {f"127.0.0.1:{r['port']}" for r in self.state["replicas"]}

    def output(self) -> str:
        return self.stderr.read_text(encoding="utf-8", errors="replace")[-4000:]

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            self.process.wait(timeout=STOP_TIMEOUT_S)
        return self.process.returncode


@pytest.fixture(scope="module")
def cluster(data_dir: Path, cluster_db: list[str]) -> Iterator[Running]:
    _require(run_cluster.NGINX, "make nginx")
    port = free_port()
    command = [sys.executable, str(SCRIPT), "--data", str(data_dir), "--port", str(port), "--replicas",
               str(REPLICAS), "--replica-port", str(run_cluster.consecutive_free_ports(REPLICAS)),
               "--users", str(data_dir / "users.json"), *cluster_db]
    stderr = data_dir / "run-cluster.err"
    # The database is the fixture's alone: a $RASD_DB in the caller's environment must not replace it.
    env = {k: v for k, v in os.environ.items() if k not in ("RASD_DB", "RASD_USERS")}
    with stderr.open("w") as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True,
                                   start_new_session=True)
    state_file = data_dir / "cluster" / run_cluster.STATE_FILE
    deadline = time.monotonic() + START_TIMEOUT_S
    running: Running | None = None
    try:
        while running is None:
            if process.poll() is not None:
                pytest.fail(f"run_cluster.py exited with {process.returncode}:\n{stderr.read_text()}", pytrace=False)
            if time.monotonic() > deadline:
                pytest.fail(f"run_cluster.py not up after {START_TIMEOUT_S:.0f} s:\n{stderr.read_text()}",
                            pytrace=False)
            if state_file.exists():
                running = Running(process, data_dir, json.loads(state_file.read_text()), stderr)
            time.sleep(0.2)
        assert process.stdout is not None
        assert process.stdout.readline().strip() == f"Rasd is running: open {running.url}  (Ctrl-C stops it)"
        yield running
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


@dataclass
class Answer:
    status: int
    replica: str
    sticky_cookies: list[str]  # the values of the Set-Cookie headers for the sticky cookie
    body: bytes


def _get(url: str, *, cookie: str | None = None) -> Answer:
    request = urllib.request.Request(url, headers={"Cookie": f"{run_cluster.STICKY_COOKIE}={cookie}"} if cookie else {})
    with urllib.request.urlopen(request, timeout=10) as response:
        prefix = f"{run_cluster.STICKY_COOKIE}="
        sticky = [c[len(prefix):].split(";")[0] for c in response.headers.get_all("Set-Cookie", [])
                  if c.startswith(prefix)]
        return Answer(response.status, response.headers.get(run_cluster.REPLICA_HEADER, ""), sticky, response.read())


def _replica(url: str, *, cookie: str | None = None) -> str:
    return _get(url, cookie=cookie).replica


def test_health_passes_through_nginx(cluster: Running) -> None:
    answer = _get(cluster.url + "_stcore/health")
    assert (answer.status, answer.body.strip()) == (200, b"ok")
    assert answer.replica in cluster.replicas


def test_seeds_were_loaded(cluster: Running) -> None:
    """The script loaded the seed articles into the empty database it was given (or started)."""
    if CLUSTER_DB == "postgres":
        db = (cluster.data / "pg" / "rasd.url").read_text().strip()
    else:
        db = str(cluster.data / "rasd.sqlite")
    assert run_cluster.article_count(db) == len(list((ROOT / "seeds").glob("*.txt")))


def test_page_renders_through_nginx_over_one_replica(cluster: Running, browser: Browser) -> None:
    """The map page renders its title in Chromium: its script ran over the WebSocket through nginx; every
    request of the tab, the WebSocket included, went to one replica."""
    context = browser.new_context()
    page = context.new_page()
    OfflineGuard().install(page)
    served: dict[str, str] = {}

    def record(response: Response) -> None:
        served[response.url] = response.headers.get(run_cluster.REPLICA_HEADER.lower(), "")

    page.on("response", record)
    try:
        open_settled(page, cluster.url)
        title = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
        cookie = next(c["value"] for c in context.cookies() if c["name"] == run_cluster.STICKY_COOKIE)
    finally:
        context.close()
    assert title == t("page.map", "en")
    assert set(served.values()) <= cluster.replicas and len(set(served.values())) == 1, served
    # nginx logs a WebSocket when it closes: the tab is closed now.
    access_log = cluster.data / "cluster" / "logs" / "access.log"
    deadline = time.monotonic() + 10
    while True:
        entries = [json.loads(line) for line in access_log.read_text().splitlines()]
        streams = [e for e in entries if e["request"].startswith("GET /_stcore/stream") and e["sticky"] == cookie]
        if streams or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert streams and all(e["status"] == 101 for e in streams), entries[-20:]
    assert {e["upstream"] for e in streams} == set(served.values())


def test_sticky_key_keeps_its_replica_and_keys_spread(cluster: Running) -> None:
    health = cluster.url + "_stcore/health"
    for key in KEYS[:4]:
        assert len({_replica(health, cookie=key) for _ in range(5)}) == 1, key
    assert {_replica(health, cookie=key) for key in KEYS} == cluster.replicas
    # A browser without the cookie is given one, keeps the replica that answered first, and is not given another.
    first = _get(cluster.url)
    assert len(first.sticky_cookies) == 1 and first.replica in cluster.replicas
    key = first.sticky_cookies[0]
    assert {_replica(cluster.url, cookie=key) for _ in range(3)} == {first.replica}
    assert _get(health, cookie=key).sticky_cookies == []


def _descendants(pids: set[int]) -> set[int]:
    """pids and every process below them (nginx's workers, Streamlit's helpers)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        parents[int(stat.parent.name)] = int(fields[1])
    found = set(pids)
    while True:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        if not more:
            return found
        found |= more


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has exited; only its parent's bookkeeping is left


def _mentioning(text: str) -> set[int]:
    """Processes whose command line or environment holds text (every child of the script holds the data dir)."""
    found = set()
    for proc in Path("/proc").glob("[0-9]*"):
        for name in ("cmdline", "environ"):
            try:
                if text.encode() in (proc / name).read_bytes() and int(proc.name) != os.getpid():
                    found.add(int(proc.name))
            except OSError:
                continue
    return {pid for pid in found if _alive(pid)}


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _last_hop(replica_header: str) -> str:
    """The replica that answered: nginx lists every upstream it tried ("127.0.0.1:A, 127.0.0.1:B")."""
    return replica_header.rsplit(",", 1)[-1].strip()


def test_killed_replica_comes_back(cluster: Running, browser: Browser) -> None:
    """SIGKILL one replica: nginx sends its readers to another at once, the script starts it again on its port
    (the other replica, nginx and PostgreSQL go on), and the page renders through nginx on it again."""
    health = cluster.url + "_stcore/health"
    victim = cluster.state["replicas"][0]
    address = f"127.0.0.1:{victim['port']}"
    key = next(k for k in KEYS if _replica(health, cookie=k) == address)
    os.kill(victim["pid"], signal.SIGKILL)
    deadline = time.monotonic() + 10
    while _alive(victim["pid"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    down = _get(health, cookie=key)
    assert down.status == 200 and _last_hop(down.replica) in cluster.replicas - {address}, down
    state_file = cluster.data / "cluster" / run_cluster.STATE_FILE
    deadline = time.monotonic() + START_TIMEOUT_S
    while True:
        state = json.loads(state_file.read_text())
        again = next(r for r in state["replicas"] if r["port"] == victim["port"])
        if again["pid"] != victim["pid"] or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert again["pid"] != victim["pid"] and again["restarts"] == 1 and _alive(again["pid"]), cluster.output()
    assert cluster.process.poll() is None and "is back" in cluster.output()
    cluster.state = state
    # nginx tries the replica again after fail_timeout (5 s): the same cookie reaches it once more.
    deadline = time.monotonic() + 20
    while _last_hop(_get(health, cookie=key).replica) != address and time.monotonic() < deadline:
        time.sleep(0.5)
    context = browser.new_context()
    context.add_cookies([{"name": run_cluster.STICKY_COOKIE, "value": key, "url": cluster.url}])
    page = context.new_page()
    OfflineGuard().install(page)
    try:
        response = page.goto(cluster.url, wait_until="commit")
        assert response is not None
        served = _last_hop(response.headers.get(run_cluster.REPLICA_HEADER.lower(), ""))
        open_settled(page, cluster.url)
        title = page.locator('[data-testid="stMain"] h1').first.inner_text().strip()
    finally:
        context.close()
    assert (served, title) == (address, t("page.map", "en"))


def test_stopping_leaves_no_process_behind(cluster: Running) -> None:
    """Runs last in this module: SIGTERM stops nginx (and its workers), the replicas and PostgreSQL."""
    cluster.state = json.loads((cluster.data / "cluster" / run_cluster.STATE_FILE).read_text())  # restarted pids
    started = {cluster.state["nginx_pid"], *(r["pid"] for r in cluster.state["replicas"])}
    if cluster.state["postgres_pid"]:
        started.add(cluster.state["postgres_pid"])
    everything = _descendants(started) - {cluster.process.pid}
    assert len(everything) > len(started), "nginx's workers were not found"
    began = time.monotonic()
    assert cluster.stop() == 0, cluster.output()
    stop_s = time.monotonic() - began
    assert not {pid for pid in everything if _alive(pid)}, cluster.output()
    assert not _mentioning(str(cluster.data)), cluster.output()
    ports = [int(cluster.url.rstrip("/").rsplit(":", 1)[1]), *(r["port"] for r in cluster.state["replicas"])]
    assert not [port for port in ports if _listening(port)]
    assert not (cluster.data / "cluster" / run_cluster.STATE_FILE).exists()
    assert stop_s < STOP_TIMEOUT_S


def test_local_postgres_starts_serves_and_stops(data_dir: Path) -> None:
    """initdb in a fresh folder, start, the `rasd` role signs in over loopback TCP with the generated password,
    the URL file is private, stop leaves no server."""
    _require(run_cluster.PG_BIN / "initdb", "make postgres")
    _require(run_cluster.PSQL, "make postgres")
    postgres = run_cluster.LocalPostgres(data_dir / "pg-test", port=free_port())
    postgres.init()
    postgres.start()
    try:
        url = postgres.ensure_database()
        assert postgres.ensure_database() == url  # a second start keeps the password
        assert url.startswith("postgresql://rasd:") and url.endswith(f"@127.0.0.1:{postgres.port}/rasd")
        assert postgres.url_file.stat().st_mode & 0o077 == 0
        assert postgres.url_file.read_text().strip() == url
        sql = "SELECT current_user, current_database()"
        query = subprocess.run([str(run_cluster.PSQL), "-X", "-A", "-t", "-c", sql],
                               env={**os.environ, **run_cluster.libpq_env(url)}, capture_output=True, text=True,
                               timeout=30)
        assert query.stdout.strip() == "rasd|rasd", query.stderr
        assert run_cluster.article_count(url) == 0  # no store tables yet: the script would load the seeds
        pid = postgres.postmaster_pid()
        assert pid is not None and _alive(pid)
        server = _descendants({pid})
    finally:
        postgres.stop()
    assert not postgres.running()
    assert not {p for p in server if _alive(p)}
    assert not _listening(postgres.port)


def test_masked_urls_and_libpq_env() -> None:
    url = "postgresql://rasd:s%40cret@db.example:5432/news?sslmode=require"
    assert run_cluster.masked(url) == "postgresql://rasd:***@db.example:5432/news?sslmode=require"
    assert run_cluster.libpq_env(url) == {"PGHOST": "db.example", "PGPORT": "5432", "PGUSER": "rasd",
                                          "PGPASSWORD": "s@cret", "PGDATABASE": "news", "PGSSLMODE": "require"}
    assert run_cluster.masked("postgresql://rasd@/news?host=/run/postgresql") == \
        "postgresql://rasd@/news?host=/run/postgresql"
