#!/usr/bin/env python3
"""Run Rasd for a newsroom on one machine: PostgreSQL, several Streamlit replicas, nginx in front of them.

`make run-cluster` (or `.venv/bin/python scripts/run_cluster.py`) starts, in this order:

1. a local PostgreSQL 15 cluster in DATA/pg (initdb on the first run), unless `--db` / `$RASD_DB` names a
   database already (a `postgresql://` server, or a SQLite file);
2. the seed articles, when the database holds no article yet;
3. N Streamlit replicas of app.py on loopback ports, all on the same database and editors file;
4. nginx with a config generated into DATA/cluster, proxying to the replicas with sticky sessions.

It prints the one URL to open and, on Ctrl-C or SIGTERM, stops nginx, the replicas and PostgreSQL. A replica
that dies is started again on its port (up to REPLICA_RESTARTS times, after a short back-off; nginx meanwhile sends
its readers to the others); when the restarts are used up, or nginx dies, or PostgreSQL stays down for longer
than POSTGRES_DOWN_S (a `pg_ctl restart` is shorter), everything is stopped and the script exits 1.
PostgreSQL's own superuser is reachable only over the cluster's Unix socket (trust auth there: the socket
directory and socket are mode 700, so only the server's OS user and root can use it); the app's role `rasd`
signs in over loopback TCP with a random password kept in DATA/pg/rasd.url (mode 600).
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shlex
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from urllib.parse import parse_qsl, quote, unquote, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
NGINX = Path("/usr/sbin/nginx")
PSQL = Path("/usr/bin/psql")
PG_SUPERUSER = "postgres"
APP_ROLE = "rasd"
APP_DATABASE = "rasd"
STICKY_COOKIE = "rasd_replica"
REPLICA_HEADER = "X-Rasd-Replica"
STATE_FILE = "cluster.json"
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 15.0
# A replica that died is started again this many times in all (each its own count), after 1 s, 2 s, 4 s ...
REPLICA_RESTARTS = 5
RESTART_BACKOFF_S = 1.0
# PostgreSQL may be away this long (an operator's `pg_ctl restart`) before the whole set is stopped.
POSTGRES_DOWN_S = 30.0
# A Unix socket path is at most 107 bytes on Linux; PostgreSQL's is DIR/.s.PGSQL.PORT.
SOCKET_PATH_MAX = 107


class ClusterError(Exception):
    """Something the operator must fix; the message says what."""


class Shutdown(Exception):
    """SIGINT, SIGTERM or SIGHUP arrived: stop everything."""


# ---------------------------------------------------------------------------------------------- helpers


def log(message: str) -> None:
    """Progress on standard error, so standard output holds only the URL line."""
    print(f"run-cluster: {message}", file=sys.stderr, flush=True)


def is_postgres_url(db: str) -> bool:
    return db.startswith(("postgresql://", "postgres://"))


def masked(url: str) -> str:
    """The URL with its password replaced by ***, for printing."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.netloc.rsplit("@", 1)[1]
    return urlunsplit(parts._replace(netloc=f"{unquote(parts.username or '')}:***@{host}"))


def port_is_free(host: str, port: int) -> bool:
    """True when a server could listen on host:port now (SO_REUSEADDR, as nginx, PostgreSQL and Streamlit do)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return False
    return True


def consecutive_free_ports(count: int, host: str = "127.0.0.1") -> int:
    """The first of `count` consecutive free ports (for --replica-port in tests and benches)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
            sock.bind((host, 0))
            first = sock.getsockname()[1]
        if first + count < 65536 and all(port_is_free(host, first + n) for n in range(count)):
            return first
    raise ClusterError(f"no {count} consecutive free ports on {host}")


def check_ports_free(host: str, ports: Sequence[int], what: str) -> None:
    busy = [port for port in ports if not port_is_free(host, port)]
    if busy:
        raise ClusterError(f"{what} port(s) {', '.join(map(str, busy))} on {host} are in use: pick others")


def pid_alive(pid: int | None) -> bool:
    """Whether a process exists (root or the same user may signal it; PostgreSQL runs as postgres under root)."""
    if pid is None:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def tail(path: Path, chars: int = 3000) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")[-chars:]
    except OSError:
        return ""


def run(command: Sequence[str], *, env: Mapping[str, str] | None = None, input_text: str | None = None,
        timeout: float = 120.0, what: str) -> subprocess.CompletedProcess[str]:
    """Run a command to completion; a failure becomes a ClusterError carrying its output."""
    result = subprocess.run(list(command), env={**os.environ, **(env or {})}, input=input_text, text=True,
                            capture_output=True, timeout=timeout, cwd=ROOT,
                            # Its own session: a Ctrl-C in the terminal reaches this script only, which then
                            # stops everything in order.
                            start_new_session=True)
    if result.returncode != 0:
        raise ClusterError(f"{what} failed (exit {result.returncode}):\n{result.stdout}{result.stderr}".rstrip())
    return result


def ensure_packages(needed: Mapping[str, Path]) -> None:
    """apt-get install the Debian packages whose file is missing (with sudo unless root), like `make chromium`."""
    missing = sorted(package for package, path in needed.items() if not path.exists())
    if not missing:
        return
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    log(f"installing Debian packages: {' '.join(missing)}")
    env = {"DEBIAN_FRONTEND": "noninteractive"}
    run([*sudo, "apt-get", "update", "-qq"], env=env, timeout=600, what="apt-get update")
    run([*sudo, "apt-get", "install", "-y", "-qq", *missing], env=env, timeout=900, what="apt-get install")
    still = [package for package in missing if not needed[package].exists()]
    if still:
        raise ClusterError(f"{', '.join(still)} installed but {', '.join(str(needed[p]) for p in still)} missing")


def libpq_env(url: str) -> dict[str, str]:
    """libpq's environment variables for a postgresql:// URL, so no password ever shows on a command line."""
    parts = urlsplit(url)
    env = {"PGHOST": parts.hostname or "", "PGPORT": str(parts.port or ""), "PGUSER": unquote(parts.username or ""),
           "PGPASSWORD": unquote(parts.password or ""), "PGDATABASE": unquote(parts.path.lstrip("/"))}
    # Query parameters such as ?host=/run/postgresql or ?sslmode=require have a PG* variable each.
    env.update({f"PG{key.upper()}": value for key, value in parse_qsl(parts.query)})
    return {key: value for key, value in env.items() if value}


# ------------------------------------------------------------------------------------------- PostgreSQL


@dataclass
class LocalPostgres:
    """A PostgreSQL 15 cluster kept in `root` (DATA/pg): data in cluster/, socket in run/, log postgres.log."""

    root: Path
    port: int
    host: str = "127.0.0.1"
    bin_dir: Path = PG_BIN

    @property
    def pgdata(self) -> Path:
        return self.root / "cluster"

    @property
    def socket_dir(self) -> Path:
        return self.root / "run"

    @property
    def log_file(self) -> Path:
        return self.root / "postgres.log"

    @property
    def url_file(self) -> Path:
        return self.root / "rasd.url"

    @property
    def as_server_user(self) -> list[str]:
        """initdb refuses to run as root: as root the server runs as the postgres system user."""
        return ["runuser", "-u", PG_SUPERUSER, "--"] if os.geteuid() == 0 else []

    def _tool(self, name: str, *args: str, input_text: str | None = None,
              timeout: float = 120.0) -> subprocess.CompletedProcess[str]:
        return run([*self.as_server_user, str(self.bin_dir / name), *args], input_text=input_text,
                   timeout=timeout, what=name)

    def _prepare_dirs(self) -> None:
        for folder in (self.root, self.socket_dir):
            folder.mkdir(parents=True, exist_ok=True)
            folder.chmod(0o700)
        if os.geteuid() == 0:
            for folder in (self.root, self.socket_dir):
                shutil.chown(folder, PG_SUPERUSER, PG_SUPERUSER)
            if self.pgdata.exists():
                shutil.chown(self.pgdata, PG_SUPERUSER, PG_SUPERUSER)
            # The postgres user must reach data/pg through every parent folder.
            reach = subprocess.run([*self.as_server_user, "test", "-w", str(self.root)], check=False)
            if reach.returncode != 0:
                raise ClusterError(f"the postgres user cannot reach {self.root}: make its parent folders "
                                   "searchable (chmod o+x) or pass --data elsewhere")
        socket_path = self.socket_dir / f".s.PGSQL.{self.port}"
        if len(str(socket_path).encode()) > SOCKET_PATH_MAX:
            raise ClusterError(f"{socket_path} is too long for a Unix socket: pass a shorter --data")

    def init(self) -> None:
        """initdb once: UTF-8 (the articles are Arabic), trust on the socket only, scram-sha-256 over TCP."""
        self._prepare_dirs()
        if (self.pgdata / "PG_VERSION").exists():
            return
        log(f"initdb {self.pgdata}")
        self._tool("initdb", "-D", str(self.pgdata), "-U", PG_SUPERUSER, "-E", "UTF8", "--locale=C.UTF-8",
                   "--auth-local=trust", "--auth-host=scram-sha-256", "--no-instructions")

    def running(self) -> bool:
        if not (self.pgdata / "postmaster.pid").exists():
            return False
        status = subprocess.run([*self.as_server_user, str(self.bin_dir / "pg_ctl"), "-D", str(self.pgdata),
                                 "status"], capture_output=True, check=False)
        return status.returncode == 0

    def start(self) -> None:
        if self.running():
            # A run that was killed (SIGKILL, power cut of the terminal) left its server behind: restart it
            # so it listens where this run says.
            log("stopping the PostgreSQL left running by an earlier run")
            self.stop()
        check_ports_free(self.host, [self.port], "PostgreSQL")
        options = " ".join(shlex.quote(option) for option in (
            "-c", f"listen_addresses={self.host}", "-c", f"port={self.port}",
            "-c", f"unix_socket_directories={self.socket_dir}", "-c", "unix_socket_permissions=0700"))
        log(f"starting PostgreSQL on {self.host}:{self.port} (log {self.log_file})")
        self._tool("pg_ctl", "-D", str(self.pgdata), "-l", str(self.log_file), "-w", "-t", "60", "-o", options,
                   "start", timeout=90)

    def stop(self) -> None:
        """Fast shutdown: open sessions are rolled back and closed, nothing committed is lost."""
        if self.running():
            self._tool("pg_ctl", "-D", str(self.pgdata), "-m", "fast", "-w", "-t", "60", "stop", timeout=90)

    def postmaster_pid(self) -> int | None:
        try:
            return int((self.pgdata / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None

    def superuser_sql(self, sql: str) -> str:
        """Run SQL as the superuser over the Unix socket (stdin, so nothing shows in `ps`)."""
        result = self._tool("psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", str(self.socket_dir),
                            "-p", str(self.port), "-U", PG_SUPERUSER, "-d", "postgres", input_text=sql)
        return result.stdout.strip()

    def ensure_database(self) -> str:
        """The role and database `rasd` (made when missing) and the URL the replicas use."""
        password = self._password()
        # token_urlsafe makes [A-Za-z0-9_-] only: safe inside a SQL string literal.
        self.superuser_sql(
            f"SELECT 'CREATE ROLE {APP_ROLE} LOGIN' WHERE NOT EXISTS"
            f" (SELECT FROM pg_roles WHERE rolname = '{APP_ROLE}') \\gexec\n"
            f"ALTER ROLE {APP_ROLE} WITH LOGIN PASSWORD '{password}';\n"
            f"SELECT 'CREATE DATABASE {APP_DATABASE} OWNER {APP_ROLE}' WHERE NOT EXISTS"
            f" (SELECT FROM pg_database WHERE datname = '{APP_DATABASE}') \\gexec\n")
        url = f"postgresql://{APP_ROLE}:{quote(password, safe='')}@{self.host}:{self.port}/{APP_DATABASE}"
        self._write_private(self.url_file, url + "\n")
        return url

    def _password(self) -> str:
        """The role's password: the one kept in rasd.url, else a new random one."""
        try:
            kept = urlsplit(self.url_file.read_text().strip()).password
        except (OSError, ValueError):
            kept = None
        return unquote(kept) if kept else secrets.token_urlsafe(24)

    @staticmethod
    def _write_private(path: Path, text: str) -> None:
        """Write a file only its owner can read (created 600, never world-readable even for a moment)."""
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.fchmod(fd, 0o600)  # an older file of the same name may have had a looser mode
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)


# ------------------------------------------------------------------------------------------------ seeds


def article_count(db: str) -> int:
    """Articles in the database (0 when it or its table does not exist yet), read with plain SQL so this works
    whatever the store's Python API looks like."""
    if is_postgres_url(db):
        if _psql_value(db, "SELECT to_regclass('articles') IS NOT NULL") != "t":
            return 0
        return int(_psql_value(db, "SELECT count(*) FROM articles"))
    path = Path(db)
    if not path.is_file():
        return 0
    with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as conn:
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'articles'").fetchone() is None:
            return 0
        return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])


def _psql_value(url: str, sql: str) -> str:
    """One value from a query, by psql with the connection in libpq's environment variables."""
    command = [str(PSQL), "-X", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-c", sql]
    return run(command, env=libpq_env(url), what="psql (counting articles)").stdout.strip()


def load_seeds(db: str) -> None:
    """`rasd ingest seeds` when the database has no article yet (the URL goes in $RASD_DB, out of `ps`)."""
    if article_count(db) > 0:
        return
    log("the database has no articles: loading the seed articles")
    run([sys.executable, "-m", "rasd", "ingest", "seeds"], env={"RASD_DB": db}, timeout=600, what="rasd ingest seeds")


# --------------------------------------------------------------------------------------------- children


@dataclass
class Child:
    """A long-running child (a replica or nginx) in its own session, with its output in a log file."""

    name: str
    process: subprocess.Popen[bytes]
    log_file: Path

    def alive(self) -> bool:
        return self.process.poll() is None

    def send(self, signum: int) -> None:
        try:
            os.killpg(self.process.pid, signum)
        except ProcessLookupError:
            pass

    def wait(self, timeout: float) -> None:
        """Wait for the exit; SIGKILL the whole group after `timeout`."""
        try:
            self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log(f"{self.name} did not stop in {timeout:.0f} s: killing it")
            self.send(signal.SIGKILL)
            self.process.wait(timeout=timeout)


def spawn(name: str, command: Sequence[str], *, log_file: Path, env: Mapping[str, str]) -> Child:
    with log_file.open("ab") as out:
        process = subprocess.Popen(list(command), cwd=ROOT, env={**os.environ, **env}, stdout=out,
                                   stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    return Child(name, process, log_file)


def wait_healthy(child: Child, url: str, *, deadline: float) -> None:
    """Poll `url` until it answers `ok`; fail early, with the log's end, if the child died."""
    while time.monotonic() < deadline:
        if not child.alive():
            raise ClusterError(f"{child.name} exited with {child.process.returncode}:\n{tail(child.log_file)}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200 and response.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.2)
    raise ClusterError(f"{child.name} not healthy at {url} after {START_TIMEOUT_S:.0f} s:\n{tail(child.log_file)}")


def streamlit_command(port: int) -> list[str]:
    return [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
            "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
            # Nobody edits the code of a running newsroom server; watching it costs every replica CPU.
            "--server.fileWatcherType", "none"]


# ------------------------------------------------------------------------------------------------ nginx


def nginx_config(*, prefix: Path, listen: str, port: int, replica_ports: Sequence[int]) -> str:
    """nginx's whole config: foreground master, everything it writes under `prefix` (DATA/cluster)."""
    # A replica that refuses a connection is skipped for fail_timeout: its readers' requests go to the next one
    # on the hash ring (proxy_next_upstream below) until it is back.
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in replica_ports)
    temp = prefix / "temp"
    return f"""# Generated by scripts/run_cluster.py on every start: edits here are overwritten.
daemon off;  # run-cluster supervises the master process itself
pid {prefix / "nginx.pid"};
error_log {prefix / "logs" / "error.log"} warn;
worker_processes auto;

events {{
    worker_connections 1024;
}}

http {{
    # Every path nginx may write, here rather than in /var/lib/nginx, so it also runs without root.
    client_body_temp_path {temp / "client_body"};
    proxy_temp_path {temp / "proxy"};
    fastcgi_temp_path {temp / "fastcgi"};
    uwsgi_temp_path {temp / "uwsgi"};
    scgi_temp_path {temp / "scgi"};

    log_format rasd escape=json '{{"time":"$time_iso8601","request":"$request","status":$status,'
                                '"upstream":"$upstream_addr","sticky":"$rasd_sticky","seconds":$request_time}}';
    access_log {prefix / "logs" / "access.log"} rasd;

    # Sticky sessions. Streamlit keeps each reader's session (widget state, the signed-in editor, uploaded
    # files, files behind download buttons) in the memory of the replica that served the page, and talks to
    # it over one WebSocket (/_stcore/stream): every request of one browser must reach that same replica.
    # A cookie rather than `hash $remote_addr`: a newsroom behind one NAT or office proxy comes from one
    # address, which would put every reader on one replica. Open-source nginx has no `sticky` directive, so
    # it makes its own cookie: a browser without one is hashed on this request's fresh $request_id, and the
    # same id goes back as the cookie, so all its later requests hash to the same replica. `consistent`
    # (ketama) moves only the readers of a replica that is added or removed, not everybody's.
    map $cookie_{STICKY_COOKIE} $rasd_sticky {{
        ""      $request_id;
        default $cookie_{STICKY_COOKIE};
    }}
    map $cookie_{STICKY_COOKIE} $rasd_set_sticky {{
        ""      "{STICKY_COOKIE}=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";  # an empty add_header value sends no header
    }}
    # WebSocket upgrade for Streamlit's /_stcore/stream; plain requests close the upstream connection.
    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ""      close;
    }}

    upstream rasd_replicas {{
        hash $rasd_sticky consistent;
{servers}
    }}

    server {{
        listen {listen}:{port};
        server_name _;
        # Editors upload articles (an HTML page at most 5 MB, rasd.newsroom.adding): room for that.
        client_max_body_size 10m;

        add_header Set-Cookie $rasd_set_sticky always;
        # Which replica answered (tests and debugging); only loopback addresses.
        add_header {REPLICA_HEADER} $upstream_addr always;

        proxy_http_version 1.1;
        # $http_host keeps the port: Streamlit accepts the WebSocket when its Origin matches the Host.
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $connection_upgrade;
        # A dead or restarting replica: try the next one (a loopback connect is refused at once, or times out
        # quickly); nothing that reached a replica is sent twice (non-idempotent requests are never retried).
        proxy_next_upstream error timeout;
        proxy_next_upstream_tries 3;
        proxy_connect_timeout 2s;

        location / {{
            proxy_pass http://rasd_replicas;
        }}
        # One WebSocket per open tab, quiet while the reader reads: nginx's 60 s default would cut it.
        location /_stcore/stream {{
            proxy_pass http://rasd_replicas;
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
            proxy_buffering off;
        }}
        # Health checks pass through to a replica: `ok` means nginx and one Streamlit answer.
        location = /_stcore/health {{
            proxy_pass http://rasd_replicas;
        }}
    }}
}}
"""


# ---------------------------------------------------------------------------------------------- cluster


@dataclass
class Cluster:
    """Everything one run starts, and stops again in reverse order."""

    args: argparse.Namespace
    postgres: LocalPostgres | None = None
    replicas: list[Child] = field(default_factory=list)
    restarts: list[int] = field(default_factory=list)  # per replica, how often it was started again
    replica_env: dict[str, str] = field(default_factory=dict)
    nginx: Child | None = None
    db: str = ""

    @property
    def data(self) -> Path:
        return self.args.data

    @property
    def cluster_dir(self) -> Path:
        return self.data / "cluster"

    @property
    def url(self) -> str:
        host = socket.gethostname() if self.args.host in ("0.0.0.0", "") else self.args.host
        return f"http://{host}:{self.args.port}/"

    @property
    def replica_ports(self) -> list[int]:
        first = self.args.replica_port or self.args.port + 1
        return list(range(first, first + self.args.replicas))

    def start(self) -> None:
        ensure_packages({"nginx": NGINX})  # before anything starts: a failing apt-get leaves nothing to stop
        self._check_ports()
        self.db = self._database()
        if not self.args.no_seed:
            load_seeds(self.db)
        self._start_replicas()
        self._start_nginx()
        self._write_state()

    def _check_ports(self) -> None:
        check_ports_free(self.args.host, [self.args.port], "nginx")
        check_ports_free("127.0.0.1", self.replica_ports, "replica")

    def _database(self) -> str:
        """The database URL or file the replicas use; starts the local PostgreSQL unless one was given."""
        given: str = self.args.db or ""
        if given and not is_postgres_url(given):
            return str(Path(given).expanduser().resolve())  # a SQLite file: the replicas run in the repo root
        if given:
            ensure_packages({"postgresql-client": PSQL})
            return given
        ensure_packages({"postgresql": PG_BIN / "initdb"})
        self.postgres = LocalPostgres(self.data / "pg", port=self.args.pg_port)
        self.postgres.init()
        self.postgres.start()
        url = self.postgres.ensure_database()
        log(f"PostgreSQL ready: {masked(url)} (full URL in {self.postgres.url_file})")
        return url

    def _start_replicas(self) -> None:
        logs = self.cluster_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        self.replica_env = env = {
            "RASD_DB": self.db,
            "RASD_USERS": str(self.args.users),
            # One secret for every replica, new at each start and never written down: it signs Streamlit's own
            # cookies (its session middleware, st.login), so one a replica signed is valid on the others too.
            "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        }
        for number, port in enumerate(self.replica_ports, start=1):
            log_file = logs / f"replica-{number}.log"
            self.replicas.append(spawn(f"replica {number} (port {port})", streamlit_command(port),
                                       log_file=log_file, env=env))
            self.restarts.append(0)
        deadline = time.monotonic() + START_TIMEOUT_S
        for replica, port in zip(self.replicas, self.replica_ports):
            wait_healthy(replica, f"http://127.0.0.1:{port}/_stcore/health", deadline=deadline)
        log(f"{len(self.replicas)} replicas up on 127.0.0.1 ports {', '.join(map(str, self.replica_ports))}")

    def _start_nginx(self) -> None:
        for folder in ("logs", "temp"):
            (self.cluster_dir / folder).mkdir(parents=True, exist_ok=True)
        conf = self.cluster_dir / "nginx.conf"
        conf.write_text(nginx_config(prefix=self.cluster_dir, listen=self.args.host, port=self.args.port,
                                     replica_ports=self.replica_ports), encoding="utf-8")
        command = [str(NGINX), "-c", str(conf), "-p", str(self.cluster_dir)]
        run([*command, "-t", "-q"], what=f"nginx -t -c {conf}")
        self.nginx = spawn("nginx", command, log_file=self.cluster_dir / "logs" / "nginx.out", env={})
        wait_healthy(self.nginx, f"http://127.0.0.1:{self.args.port}/_stcore/health",
                     deadline=time.monotonic() + START_TIMEOUT_S)

    def _write_state(self) -> None:
        """What is running, for operators and tests (no secrets: the database URL is masked)."""
        state = {
            "url": self.url, "db": masked(self.db), "nginx_pid": self.nginx.process.pid if self.nginx else None,
            "replicas": [{"port": port, "pid": child.process.pid, "restarts": restarts}
                         for port, child, restarts in zip(self.replica_ports, self.replicas, self.restarts)],
            "postgres_pid": self.postgres.postmaster_pid() if self.postgres else None,
        }
        (self.cluster_dir / STATE_FILE).write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")

    def supervise(self) -> None:
        """Return never: start a dead replica again; raise ClusterError (then everything is stopped) when nginx
        died, a replica died once more than REPLICA_RESTARTS allows, or PostgreSQL stayed down POSTGRES_DOWN_S."""
        postgres_down_since: float | None = None
        while True:
            if self.nginx is not None and not self.nginx.alive():
                raise ClusterError(f"nginx exited with {self.nginx.process.returncode}:\n{tail(self.nginx.log_file)}")
            for number, child in enumerate(self.replicas):
                if not child.alive():
                    self._restart_replica(number)
            if self.postgres is not None and not pid_alive(self.postgres.postmaster_pid()):
                # A restart (pg_ctl restart, a package upgrade) leaves no postmaster.pid for a moment.
                now = time.monotonic()
                postgres_down_since = postgres_down_since or now
                if now - postgres_down_since > POSTGRES_DOWN_S:
                    raise ClusterError(f"PostgreSQL stopped:\n{tail(self.postgres.log_file)}")
            elif postgres_down_since is not None:
                log(f"PostgreSQL is back after {time.monotonic() - postgres_down_since:.0f} s")
                postgres_down_since = None
                self._write_state()  # its new pid
            time.sleep(1.0)

    def _restart_replica(self, number: int) -> None:
        """Start replica `number` again on its port after a back-off, and wait until it is healthy; ClusterError
        when it has used up its restarts. nginx skips it meanwhile (max_fails, proxy_next_upstream)."""
        child, port = self.replicas[number], self.replica_ports[number]
        while True:
            if self.restarts[number] >= REPLICA_RESTARTS:
                raise ClusterError(f"{child.name} exited with {child.process.returncode} again after "
                                   f"{REPLICA_RESTARTS} restarts:\n{tail(child.log_file)}")
            self.restarts[number] += 1
            delay = RESTART_BACKOFF_S * 2 ** (self.restarts[number] - 1)
            log(f"{child.name} exited with {child.process.returncode}: starting it again in {delay:.0f} s "
                f"(restart {self.restarts[number]} of {REPLICA_RESTARTS})")
            time.sleep(delay)
            child = self.replicas[number] = spawn(child.name, streamlit_command(port), log_file=child.log_file,
                                                  env=self.replica_env)
            try:
                wait_healthy(child, f"http://127.0.0.1:{port}/_stcore/health",
                             deadline=time.monotonic() + START_TIMEOUT_S)
            except ClusterError as error:
                log(str(error))
                if child.alive():
                    child.send(signal.SIGTERM)
                    child.wait(STOP_TIMEOUT_S)
                continue
            log(f"{child.name} is back (pid {child.process.pid})")
            self._write_state()
            return

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas, then PostgreSQL; each given STOP_TIMEOUT_S."""
        (self.cluster_dir / STATE_FILE).unlink(missing_ok=True)
        if self.nginx is not None:
            self.nginx.send(signal.SIGTERM)  # fast shutdown: a graceful one would wait for every WebSocket
            self.nginx.wait(STOP_TIMEOUT_S)
        for replica in self.replicas:
            replica.send(signal.SIGTERM)
        for replica in self.replicas:
            replica.wait(STOP_TIMEOUT_S)
        if self.postgres is not None:
            try:
                self.postgres.stop()
            except ClusterError as error:
                log(str(error))


# ------------------------------------------------------------------------------------------------- main


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Run Rasd for a newsroom: PostgreSQL, N Streamlit replicas, "
                                                 "nginx in front with sticky sessions.")
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit replicas (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port, the one readers open (default 8080)")
    parser.add_argument("--host", default="127.0.0.1",
                        help="address nginx listens on (default 127.0.0.1; 0.0.0.0 for the whole network)")
    parser.add_argument("--replica-port", type=int, default=0,
                        help="first replica's port on 127.0.0.1, the others follow (default: --port + 1)")
    parser.add_argument("--db", default=os.environ.get("RASD_DB", ""),
                        help="an existing database: postgresql://user@host/db or a SQLite file "
                             "(default $RASD_DB; neither: a local PostgreSQL in DATA/pg)")
    parser.add_argument("--pg-port", type=int, default=5433,
                        help="the local PostgreSQL's port on 127.0.0.1 (default 5433, beside a system 5432)")
    parser.add_argument("--data", type=Path, default=ROOT / "data",
                        help="folder for pg/ and cluster/ (default the repo's data/)")
    parser.add_argument("--users", type=Path, default=None,
                        help="editors file for every replica (default $RASD_USERS or DATA/users.json)")
    parser.add_argument("--no-seed", action="store_true", help="never load the seed articles")
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    args.data = args.data.expanduser().resolve()
    users = args.users or os.environ.get("RASD_USERS") or args.data / "users.json"
    args.users = Path(users).expanduser().resolve()
    return args


def _raise_shutdown(signum: int, _frame: FrameType | None) -> None:
    raise Shutdown(signal.Signals(signum).name)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_shutdown)
    cluster = Cluster(args)
    code = 0
    try:
        cluster.start()
        print(f"Rasd is running: open {cluster.url}  (Ctrl-C stops it)", flush=True)
        cluster.supervise()
    except Shutdown as stop:
        log(f"{stop}: stopping")
    except ClusterError as error:
        log(str(error))
        code = 1
    finally:
        # A second Ctrl-C must not cut the shutdown short and leave servers behind.
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)
        cluster.stop()
        log("stopped")
    return code


if __name__ == "__main__":
    sys.exit(main())
