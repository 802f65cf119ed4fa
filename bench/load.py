"""The overview page under load: gunicorn on PostgreSQL, K users at once.

    .venv/bin/python bench/load.py \\
        --database-url postgres://postgres@127.0.0.1:5432/koersmonitor_bench \\
        [--programmes almelo 300] [--users 16 50] [--conn-max-age 0 60] [--duration 20] \\
        [--workers N] [--during "shell command"] [--gunicorn-path DIR]

The benchmark (re)creates the database (its name must contain "bench", or pass --force),
loads the Almelo demo and/or generates programmes of N measures with bench/overview.py's
generator (fixed seed) into it, each in its own organisation, and runs
`manage.py collectstatic` into a temporary directory. Then, for each CONN_MAX_AGE, it
starts gunicorn with zorg/gunicorn.conf.py and production settings (DEBUG=False, the
collected static files, sessions in the database unless --redis-url), logs in through
the login form as a Manager of each programme's organisation, and for each number of
users runs that many threads that each fetch the overview page ("/") over and over with
http.client, keeping the connection when the server does (gunicorn's sync workers close
it after each response; the threaded worker keeps it). Each point is a warm-up and then
--duration seconds; it prints requests per second, p50, p95 and p99 of the response
time as the client sees it, and errors (anything but a 200, and broken connections).
The users share one session: the page costs the same for each.

--during "command" measures every point a second time while the shell command runs (it
is started just before that measurement and stopped after it; its exit status and run
time are printed). From Python, `main(argv, during=start)` (and `measure(..., during=start)`
for one server) takes a function that starts the background load and returns a function
that stops it, such as "5 simultaneous 500-measure renders".

gunicorn need not be installed in the project's virtualenv: --gunicorn-path (or
GUNICORN_PATH) names a directory that holds the gunicorn package, such as an unpacked
wheel, and the server is started with this Python and that directory on PYTHONPATH.

The machine is shared by client and server: the client's threads take CPU from the
workers, as a proxy would. The benchmark prints the load average before each point.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/koersmonitor_bench"
BENCH_PASSWORD = "bench-load-" + "x" * 8
WARMUP_SECONDS = 3.0

# The targets of issue 12 that this benchmark prints.
TARGET_P95_ALMELO_16_MS = 150.0
TARGET_RPS_300_50 = 100.0  # >= 2x the 50 requests/s measured before


def load_overview_bench():
    """bench/overview.py as a module (its generator and database helpers)."""
    spec = importlib.util.spec_from_file_location("bench_overview", HERE / "overview.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE, help=DEFAULT_DATABASE)
    parser.add_argument(
        "--programmes",
        nargs="+",
        default=["almelo", "300"],
        help='"almelo" (the demo) and/or a number of generated measures (almelo 300)',
    )
    parser.add_argument("--users", nargs="+", type=int, default=[16, 50], help="(16 50)")
    parser.add_argument(
        "--conn-max-age", nargs="+", type=int, default=[0, 60], help="CONN_MAX_AGE (0 60)"
    )
    parser.add_argument("--duration", type=float, default=20.0, help="seconds per point (20)")
    parser.add_argument("--workers", type=int, help="gunicorn workers (the conf's default)")
    parser.add_argument("--threads", type=int, help="gunicorn threads per worker (1: sync)")
    parser.add_argument(
        "--rounds", type=int, default=2, help="slices per point, in turns between servers (2)"
    )
    parser.add_argument("--during", help="shell command to run during a second measurement")
    parser.add_argument("--redis-url", help="REDIS_URL for the server (sessions in Redis)")
    parser.add_argument(
        "--gunicorn-path",
        default=os.environ.get("GUNICORN_PATH"),
        help="directory holding the gunicorn package, put on the server's PYTHONPATH",
    )
    parser.add_argument("--force", action="store_true", help='allow a name without "bench"')
    args = parser.parse_args(argv)
    for name in args.programmes:
        if name != "almelo" and not (name.isdigit() and int(name) > 0):
            parser.error(f'--programmes takes "almelo" or a number of measures, not {name!r}')
    return args


# --- Data -----------------------------------------------------------------------------


@dataclass
class Programme:
    label: str
    username: str
    measures: int
    cookie: str = ""


def setup_data(args, overview_bench) -> tuple[str, list[Programme]]:
    """Recreate the database, fill it, return (description, programmes). Runs Django
    in this process, which closes its connection before the server starts."""
    url, description, tmp = overview_bench.prepare_database(args.database_url, args.force)
    if tmp is not None:
        sys.exit("bench/load.py needs --database-url (PostgreSQL): gunicorn runs elsewhere.")
    sys.path[:] = [str(REPO)] + [p for p in sys.path if p not in (str(HERE), str(REPO))]
    os.environ["DJANGO_SETTINGS_MODULE"] = "zorg.settings"
    os.environ["DATABASE_URL"] = url
    os.environ.pop("CONN_MAX_AGE", None)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection

    from measures.models import Measure
    from organisations.scoping import unscoped

    programmes = []
    with unscoped():
        overview_bench.migrate(flush=connection.vendor not in ("sqlite", "postgresql"))
        users = get_user_model().objects
        for name in args.programmes:
            if name == "almelo":
                from measures.demo import DEMO_FILE, load_demo

                load_demo(DEMO_FILE)
                count = Measure.objects.filter(programme__organisation__slug="almelo").count()
                programmes.append(Programme("Almelo (demo)", "manager", count))
            else:
                data = generate_in_own_organisation(overview_bench, int(name))
                programmes.append(
                    Programme(f"{name} measures", data.viewer.username, data.measures)
                )
        for programme in programmes:
            user = users.get(username=programme.username)
            user.set_password(BENCH_PASSWORD)
            user.save(update_fields=["password"])
        overview_bench.analyze()
    connection.close()
    return description, programmes


def generate_in_own_organisation(overview_bench, n: int):
    """overview.generate() always makes organisation "Benchdorp" with user "bench-manager"
    and owners "eigenaar1".."eigenaar6": an earlier generated programme's are renamed."""
    from django.contrib.auth import get_user_model

    from organisations.models import Organisation

    earlier = Organisation.all_organisations.filter(slug="benchdorp").first()
    if earlier is not None:
        suffix = str(earlier.pk)
        earlier.name += f" {suffix}"
        earlier.short_name += f" {suffix}"
        earlier.slug += f"-{suffix}"
        earlier.cbs_code = str(9000 + earlier.pk)
        earlier.save()
        names = ["bench-manager"] + [f"eigenaar{i + 1}" for i in range(6)]
        for user in get_user_model().objects.filter(username__in=names):
            user.username += f"-{suffix}"
            user.save(update_fields=["username"])
    return overview_bench.generate(n)


def collect_static(static_root: Path, env: dict) -> float:
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=REPO,
        env={**env, "STATIC_ROOT": str(static_root)},
        check=True,
    )
    return time.perf_counter() - started


# --- The server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(args, url: str, static_root: Path) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "CONN_MAX_AGE", "REDIS_URL", "DEBUG"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="zorg.settings",
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=url,
        STATIC_ROOT=str(static_root),
        # Plain HTTP without a proxy in front: no redirect to https.
        SECURE_SSL_REDIRECT="false",
        GUNICORN_ACCESSLOG="",
        LOG_LEVEL="WARNING",
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    if args.gunicorn_path:
        env["PYTHONPATH"] = os.pathsep.join(
            [args.gunicorn_path, str(REPO)] + env.get("PYTHONPATH", "").split(os.pathsep)
        ).rstrip(os.pathsep)
    return env


class Server:
    def __init__(
        self,
        env: dict,
        conn_max_age: int,
        workers: int | None,
        threads: int | None,
        version: tuple[int, ...] = (),
    ):
        self.port = free_port()
        self.conn_max_age = conn_max_age
        self.cookies: dict[str, str] = {}
        self.env = {**env, "CONN_MAX_AGE": str(conn_max_age)}
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        if workers:
            self.env["WEB_CONCURRENCY"] = str(workers)
        if threads:
            self.env["GUNICORN_THREADS"] = str(threads)
        self.log = tempfile.TemporaryFile(prefix="koersmonitor-gunicorn-")  # noqa: SIM115
        command = [sys.executable, "-m", "gunicorn", "-c", "zorg/gunicorn.conf.py"]
        if version >= (25, 1):
            # No control socket (new in 25.1) in the home directory: several may run.
            command.append("--no-control-socket")
        self.process = subprocess.Popen(
            command,
            cwd=REPO,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.fail("gunicorn stopped while starting")
            try:
                status, _, _ = request(self.port, "GET", "/inloggen/")
                if status == 200:
                    break
            except OSError:
                time.sleep(0.2)
        else:
            self.fail("gunicorn did not answer within 60 s")
        self.workers = self.count_workers()

    def cpu_seconds(self) -> float:
        """CPU time used so far by the workers now alive (user and system)."""
        total = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def worker_pids(self) -> list[str]:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return out.split()

    def count_workers(self) -> int:
        out = subprocess.run(
            ["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True
        ).stdout
        return len(out.split())

    def fail(self, message: str):
        self.stop()
        self.log.seek(0)
        sys.exit(f"{message}:\n{self.log.read().decode(errors='replace')[-3000:]}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def request(port: int, method: str, path: str, body: str | None = None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        connection.close()


def cookies_of(headers) -> dict[str, str]:
    found = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            found[key.strip()] = rest.split(";", 1)[0]
    return found


def log_in(port: int, username: str, password: str) -> str:
    """Log in through the login form; returns the Cookie header of the session."""
    status, headers, body = request(port, "GET", "/inloggen/")
    cookies = cookies_of(headers)
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or "csrftoken" not in cookies or not match:
        sys.exit(f"The login page answered {status} without a CSRF token.")
    form = {
        "csrfmiddlewaretoken": match.group(1).decode(),
        "username": username,
        "password": password,
    }
    status, headers, body = request(
        port,
        "POST",
        "/inloggen/",
        body=urlencode(form),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    session = cookies_of(headers).get("sessionid")
    if status != 302 or not session:
        sys.exit(f"Logging in as {username} answered {status}: {body[:300]!r}")
    cookie = f"sessionid={session}"
    status, _, body = request(port, "GET", "/", headers={"Cookie": cookie})
    if status != 200:
        sys.exit(f"The overview answered {status} to {username}: {body[:300]!r}")
    return cookie


# --- Load -----------------------------------------------------------------------------


@dataclass
class Point:
    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    bytes: int = 0

    def add(self, other: Point) -> None:
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.error_samples.extend(other.error_samples)
        self.bytes += other.bytes

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.seconds

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
        return ordered[index] * 1000


def drive(port: int, cookie: str, users: int, seconds: float, path: str = "/") -> Point:
    """`users` threads fetch `path` until `seconds` have passed; returns what they saw."""
    point = Point(users, seconds)
    lock = threading.Lock()
    start_gate = threading.Barrier(users + 1)
    stop_at = [0.0]
    headers = {"Cookie": cookie, "Accept-Encoding": "identity", "Connection": "keep-alive"}

    def user():
        connection = None
        latencies, errors, samples, size = [], 0, [], 0
        start_gate.wait()
        while time.perf_counter() < stop_at[0]:
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            began = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                body = response.read()
                elapsed = time.perf_counter() - began
                if response.status == 200:
                    latencies.append(elapsed)
                    size += len(body)
                else:
                    errors += 1
                    samples.append(f"HTTP {response.status}")
                if response.will_close:
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException) as error:
                errors += 1
                samples.append(type(error).__name__)
                connection.close()
                connection = None
        if connection is not None:
            connection.close()
        with lock:
            point.latencies.extend(latencies)
            point.errors += errors
            point.error_samples.extend(samples[:3])
            point.bytes += size

    threads = [threading.Thread(target=user, daemon=True) for _ in range(users)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    stop_at[0] = began + seconds
    start_gate.wait()
    for thread in threads:
        thread.join()
    point.seconds = time.perf_counter() - began
    return point


def shell_during(command: str) -> Callable[[], Callable[[], str]]:
    """A `during` hook that runs a shell command; stopping it reports how it ended."""

    def start():
        began = time.perf_counter()
        process = subprocess.Popen(command, shell=True, cwd=REPO, start_new_session=True)

        def stop() -> str:
            status = process.poll()
            if status is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
                return f"still running after {time.perf_counter() - began:.1f} s: stopped"
            return f"exited {status}"

        return stop

    return start


def measure(
    port: int,
    cookie: str,
    users: int,
    seconds: float,
    during: Callable[[], Callable[[], str | None]] | None = None,
) -> tuple[Point, str | None]:
    """One point: a warm-up, then `seconds` of load. With `during`, the background load
    is started after the warm-up and stopped after the measurement."""
    drive(port, cookie, users, min(WARMUP_SECONDS, seconds))
    stop = during() if during else None
    try:
        point = drive(port, cookie, users, seconds)
    finally:
        outcome = stop() if stop else None
    return point, outcome


# --- Main -----------------------------------------------------------------------------


def main(
    argv: list[str] | None = None, during: Callable[[], Callable[[], str | None]] | None = None
) -> int:
    """`during`: a function that starts background load and returns one that stops it
    (and may return a word on how it went); it takes the place of --during."""
    args = parse_args(argv)
    overview_bench = load_overview_bench()
    started = time.perf_counter()
    description, programmes = setup_data(args, overview_bench)
    setup_seconds = time.perf_counter() - started
    static_root = Path(tempfile.mkdtemp(prefix="koersmonitor-bench-static-"))
    env = server_env(args, os.environ["DATABASE_URL"], static_root)
    probe = subprocess.run(
        [sys.executable, "-c", "import gunicorn; print(gunicorn.__version__)"],
        env=env,
        capture_output=True,
        text=True,
    )
    if probe.returncode != 0:
        sys.exit("gunicorn is not importable: install it or pass --gunicorn-path DIR.")
    version = tuple(int(part) for part in re.findall(r"\d+", probe.stdout)[:2])
    collect_seconds = collect_static(static_root, env)
    if during is None and args.during:
        during = shell_during(args.during)

    print("Koersmonitor load benchmark: the overview page behind gunicorn")
    print(
        f"  database     {description}; sessions in {'Redis' if args.redis_url else 'the database'}"
    )
    print(f"  gunicorn     {probe.stdout.strip()}, zorg/gunicorn.conf.py")
    for programme in programmes:
        print(f"  programme    {programme.label}: {programme.measures} measures")
    print(
        f"  set-up       data {setup_seconds:.1f} s, collectstatic {collect_seconds:.1f} s; "
        f"each point {WARMUP_SECONDS:.0f} s warm-up + {args.duration:.0f} s"
    )
    if during is not None:
        print(f"  during       {args.during or getattr(during, '__name__', during)}")
    print(f"  machine      {os.cpu_count()} CPUs")
    print()
    header = (
        f"  {'programme':<16} {'CONN_MAX_AGE':>12} {'users':>5} {'load':>4}  {'requests':>8} "
        f"{'req/s':>6} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'cpu/req':>7} {'errors':>6}"
    )
    results: dict[tuple, Point] = {}
    servers: list[Server] = []
    stop_on_term = signal.signal(signal.SIGTERM, lambda *_: sys.exit("Stopped."))
    try:
        # One server per CONN_MAX_AGE, all running; each point is measured in --rounds
        # slices that take turns between them, so that whatever else the machine does
        # weighs on each of them alike.
        for conn_max_age in args.conn_max_age:
            servers.append(Server(env, conn_max_age, args.workers, args.threads, version))
            server = servers[-1]
            server.cookies = {
                p.label: log_in(server.port, p.username, BENCH_PASSWORD) for p in programmes
            }
        ages = ", ".join(map(str, args.conn_max_age))
        print(
            f"  servers      {len(servers)} (CONN_MAX_AGE {ages}) of {servers[0].workers} "
            f"workers with {args.threads or 1} thread(s); each point in {args.rounds} "
            f"slice(s) of {args.duration / args.rounds:.0f} s per server, in turns"
        )
        print(
            "  cpu/req      CPU ms of the gunicorn workers per request (PostgreSQL's not included)"
        )
        print()
        print(header)
        for programme in programmes:
            for users in args.users:
                kinds = [("quiet", None)] + ([("during", during)] if during else [])
                for kind, hook in kinds:
                    load = os.getloadavg()[0]
                    for server in servers:
                        drive(server.port, server.cookies[programme.label], users, WARMUP_SECONDS)
                    points = {server.port: Point(users, 0.0) for server in servers}
                    cpu = dict.fromkeys(points, 0.0)
                    stop = hook() if hook else None
                    try:
                        for _ in range(args.rounds):
                            for server in servers:
                                before = server.cpu_seconds()
                                slice_ = drive(
                                    server.port,
                                    server.cookies[programme.label],
                                    users,
                                    args.duration / args.rounds,
                                )
                                cpu[server.port] += server.cpu_seconds() - before
                                points[server.port].add(slice_)
                    finally:
                        outcome = stop() if stop else None
                    for server in servers:
                        point = points[server.port]
                        results[(programme.label, server.conn_max_age, users, kind)] = point
                        errors = f"{point.errors:>6}"
                        if point.error_samples:
                            errors += f" ({', '.join(sorted(set(point.error_samples)))})"
                        label = programme.label if kind == "quiet" else f"  {kind}"
                        cpu_ms = cpu[server.port] * 1000 / max(1, len(point.latencies))
                        print(
                            f"  {label:<16} {server.conn_max_age:>12} {users:>5} {load:>4.1f}  "
                            f"{len(point.latencies):>8} {point.rps:>6.1f} "
                            f"{point.percentile(50):>7.0f} {point.percentile(95):>7.0f} "
                            f"{point.percentile(99):>7.0f} {cpu_ms:>7.1f} {errors}"
                            + (f"  [{outcome}]" if outcome else ""),
                            flush=True,
                        )
        print()
    finally:
        for server in servers:
            server.stop()
        signal.signal(signal.SIGTERM, stop_on_term)
        shutil.rmtree(static_root, ignore_errors=True)

    print_summary(args, programmes, results)
    return 0


def print_summary(args, programmes: list[Programme], results: dict) -> None:
    """The effect of CONN_MAX_AGE and the targets of issue 12, from the points measured."""
    ages = sorted(args.conn_max_age)
    if len(ages) >= 2:
        low, high = ages[0], ages[-1]
        print(f"  CONN_MAX_AGE={high} against {low} (quiet):")
        for programme in programmes:
            for users in args.users:
                before = results.get((programme.label, low, users, "quiet"))
                after = results.get((programme.label, high, users, "quiet"))
                if before and after and before.latencies and after.latencies:
                    print(
                        f"    {programme.label:<16} {users:>3} users: throughput "
                        f"{after.rps / before.rps:.2f}x, p95 "
                        f"{after.percentile(95) / before.percentile(95):.2f}x"
                    )
    best = max(ages)
    almelo = next((p for p in programmes if p.label.startswith("Almelo")), None)
    large = next((p for p in programmes if p.label == "300 measures"), None)
    print(f"  Targets (issue 12), CONN_MAX_AGE={best}:")
    if almelo and (point := results.get((almelo.label, best, 16, "quiet"))):
        p95 = point.percentile(95)
        verdict = "met" if p95 <= TARGET_P95_ALMELO_16_MS else "NOT MET"
        print(
            f"    Almelo, 16 users: p95 {p95:.0f} ms "
            f"(<= {TARGET_P95_ALMELO_16_MS:.0f} ms) {verdict}"
        )
    if large and (point := results.get((large.label, best, 50, "quiet"))):
        verdict = "met" if point.rps >= TARGET_RPS_300_50 else "NOT MET"
        print(
            f"    300 measures, 50 users: {point.rps:.1f} requests/s "
            f"(>= {TARGET_RPS_300_50:.0f}) {verdict}"
        )
    for programme in programmes:
        quiet = results.get((programme.label, best, 16, "quiet"))
        busy = results.get((programme.label, best, 16, "during"))
        if quiet and busy and quiet.latencies and busy.latencies:
            ratio = busy.percentile(95) / quiet.percentile(95)
            verdict = "met" if ratio <= 1.5 else "NOT MET"
            print(
                f"    {programme.label}, 16 users during the background load: p95 "
                f"{busy.percentile(95):.0f} ms = {ratio:.2f}x quiet (<= 1.5x) {verdict}"
            )


if __name__ == "__main__":
    sys.exit(main())
