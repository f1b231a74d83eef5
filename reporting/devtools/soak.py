"""`make load` and `make soak`: the production shape on 127.0.0.1 under signed-in users (Locust).

    python -m reporting.devtools.soak load [--providers 500] [--users 20] [--seconds 60]
    python -m reporting.devtools.soak soak [--providers 60] [--users 10] [--seconds 120]

Both start, on a scratch PostgreSQL database (PGHOST/PGUSER, default 127.0.0.1/postgres) that is
dropped at the end: gunicorn with 4 workers on :8217 (DEBUG off), a Redis of their own on :8219
and a Celery worker; load an estate (reporting/devtools/estate.py) and drive Locust users
(reporting/devtools/locustfile.py) with bounded think times.

`load` prints `load p50_ms`, `load p95_ms`, `load rps` and `load errors`.
`soak` also injects the faults of issue 16 while the users work: a worker killed with SIGKILL
mid pack build, the web's database connections terminated (pg_terminate_backend), Redis down
for a while, hostile uploads; then it lets the sweep settle the jobs and prints the requests, the
errors, the p95, the 500s on read pages, lost writes (saves acknowledged but not in the database)
and stuck jobs. It exits non-zero unless the last three are 0.
"""

import argparse
import json
import os
import secrets
import shutil
import signal
import subprocess  # nosec B404 - starts our own gunicorn, worker and redis
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = str(ROOT / ".venv" / "bin" / "python")
BIN = ROOT / ".venv" / "bin"
WEB_PORT, REDIS_PORT = 8217, 8219
# The scratch users' password: SOAK_PASSWORD, or one made afresh for each run, so none is committed.
# It reaches the process that creates the users and the Locust users through the environment.
PASSWORD_VARIABLE = "SOAK_PASSWORD"  # nosec B105 - the name of an environment variable
PASSWORD = os.environ.get(PASSWORD_VARIABLE) or secrets.token_urlsafe(18)
PERIOD = "2026-09"


class Shape:
    """The production shape's processes, started and stopped here."""

    def __init__(self, name, workdir):
        self.db = name
        self.workdir = workdir
        self.env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{os.environ.get('PGUSER', 'postgres')}@"
            f"{os.environ.get('PGHOST', '127.0.0.1')}:5432/{name}",
            "REDIS_URL": f"redis://127.0.0.1:{REDIS_PORT}/0",
            "DEBUG": "0",
            "SECRET_KEY": "soak-scratch-" + name,
            "SECURE_SSL_REDIRECT": "0",
            "SECURE_HSTS_SECONDS": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "MEDIA_ROOT": str(workdir / "media"),
            "JOB_SWEEP_GRACE": "10",
            "CELERY_VISIBILITY_TIMEOUT": "60",
            "PYTHONUNBUFFERED": "1",
            PASSWORD_VARIABLE: PASSWORD,
        }
        self.procs = {}

    def psql(self, sql, db="postgres"):
        host, user = os.environ.get("PGHOST", "127.0.0.1"), os.environ.get("PGUSER", "postgres")
        return subprocess.run(  # noqa: S603 - fixed arguments  # nosec B603 B607 - fixed arguments, our own tools
            ["psql", "-h", host, "-U", user, "-d", db, "-qtA", "-c", sql],  # noqa: S607
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def manage(self, *args, stdin=None):
        return subprocess.run(  # noqa: S603 - our own manage.py  # nosec B603 - our own manage.py
            [PY, "manage.py", *args], cwd=ROOT, env=self.env, check=True, capture_output=True, text=True, input=stdin
        ).stdout

    def shell(self, code):
        return self.manage("shell", "--no-imports", "-c", code)

    def start(self, name, argv):
        log = open(self.workdir / f"{name}.log", "a")  # noqa: SIM115 - closed with the process
        self.procs[name] = subprocess.Popen(argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603  # nosec B603 - fixed arguments
        return self.procs[name]

    def start_redis(self):
        self.start(
            "redis",
            ["redis-server", "--port", str(REDIS_PORT), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        )
        time.sleep(0.5)

    def start_worker(self):
        self.start(
            "worker",
            [
                str(BIN / "celery"),
                "-A",
                "assurance",
                "worker",
                "--pool=solo",
                "--loglevel=info",
                "--without-gossip",
                "--without-mingle",
                "--hostname",
                f"soak-{time.time_ns()}@%h",
            ],
        )

    def start_web(self, workers=4):
        self.start(
            "web",
            [
                str(BIN / "gunicorn"),
                "assurance.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{WEB_PORT}",
                "--timeout",
                "60",
                "--graceful-timeout",
                "5",
            ],
        )
        for _ in range(100):
            try:
                import urllib.request  # noqa: PLC0415 - only the harness needs it

                urllib.request.urlopen(f"http://127.0.0.1:{WEB_PORT}/health/", timeout=2)  # noqa: S310  # nosec B310 - our own server on 127.0.0.1
                return
            except OSError:
                time.sleep(0.3)
        raise SystemExit("gunicorn did not answer; see " + str(self.workdir / "web.log"))

    def stop(self, name, sig=signal.SIGTERM):
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def stop_all(self):
        for name in list(self.procs):
            self.stop(name)


def static_files_missing():
    """True when the collected static files lack the manifest or one of our own files (static/)."""
    manifest = ROOT / "var" / "staticfiles" / "staticfiles.json"
    try:
        paths = json.loads(manifest.read_text())["paths"]
    except (OSError, ValueError, KeyError):
        return True
    ours = ROOT / "static"
    return any(path.relative_to(ours).as_posix() not in paths for path in ours.rglob("*") if path.is_file())


def prepare(shape, providers, users, months):
    """A scratch database with the estate, the users and the static files."""
    shape.psql(f"CREATE DATABASE {shape.db}")
    shape.manage("migrate", "--noinput", "-v0")
    if static_files_missing():  # minutes on a busy machine (every file compressed twice): only when needed
        shape.manage("collectstatic", "--noinput", "-v0")
    shape.manage(
        "generate_estate",
        "--providers",
        str(providers),
        "--months",
        str(months),
        "--latest",
        PERIOD,
        "--seed",
        "soak",
        "--rate",
    )
    out = shape.shell(f"""
import json
import os
from providers.models import CommissioningTeam, Provider, User
from providers.roles import TEAM_MEMBER
from django.contrib.auth.models import Group
group = Group.objects.get(name=TEAM_MEMBER)
from assurance.selectors import in_scope_in
from providers.periods import parse_period
# The providers a team member works on that month: a live contract (not a draft, not ended).
codes = sorted(Provider.objects.filter(pk__in=in_scope_in(parse_period({PERIOD!r}))).values_list("code", flat=True))
names, share, password = [], {{}}, os.environ[{PASSWORD_VARIABLE!r}]
for n in range({users}):
    user = User.objects.create_user(f"load{{n}}", password=password, first_name="Load", last_name=str(n))
    user.groups.add(group)
    user.teams.add(*CommissioningTeam.objects.all())
    names.append(user.username)
    share[user.username] = codes[n::{users}] or codes[:1]
print(json.dumps({{"users": names, "providers": share}}))
""")
    return json.loads(out.strip().splitlines()[-1])


SIGN_IN_SECONDS = 10  # load: how long the users have to sign in before the measured run starts


def run_locust(config, users, seconds, faults=None, steady=False):
    """Run the users for `seconds` (faults, if any, in a greenlet beside them); returns the stats.

    `steady` (make load): the users sign in first (20 password hashes at once take the 2 cores
    some seconds), their sign-ins are reported apart (`sign_in`), and the statistics are reset
    before the measured `seconds` begin, as Locust's own --reset-stats does."""
    import gevent  # noqa: PLC0415 - locust brings gevent; loaded only for the run
    from locust.env import Environment  # noqa: PLC0415

    from reporting.devtools import locustfile  # noqa: PLC0415

    os.environ[PASSWORD_VARIABLE] = PASSWORD  # read by the users when they sign in (locustfile.password)
    locustfile.CONFIG.update(config, period=PERIOD)
    env = Environment(user_classes=[locustfile.TeamMember], host=f"http://127.0.0.1:{WEB_PORT}")
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=users)
    sign_in = None
    cpu_before = None
    if steady:
        gevent.sleep(SIGN_IN_SECONDS)
        sign_in = env.stats.get("/login/ (post)", "POST")
        sign_in = {"n": sign_in.num_requests, "p95_ms": round(sign_in.get_response_time_percentile(0.95) or 0)}
        env.stats.reset_all()
        cpu_before = cpu_seconds()
    fault_greenlet = gevent.spawn(faults) if faults else None
    gevent.sleep(seconds)
    if cpu_before is not None:
        cpu_report(cpu_before, cpu_seconds(), seconds)
    runner.quit()
    if fault_greenlet:
        fault_greenlet.join(timeout=120)
    locustfile.SIGN_IN = sign_in
    return env.stats, locustfile


CPU_GROUPS = ("gunicorn", "celery", "postgres", "redis-server")  # the rest of this machine is "other"


def cpu_seconds():
    """{pid: (group, CPU seconds used so far)} of every process on the machine (Linux /proc): where
    the load test's time goes, measured, not guessed. This process (the Locust users) is "locust"."""
    tick = os.sysconf("SC_CLK_TCK")
    used = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as cmdline:
                command = cmdline.read().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        group = "locust" if int(pid) == os.getpid() else next((g for g in CPU_GROUPS if g in command), "other")
        used[pid] = (group, (int(fields[11]) + int(fields[12])) / tick)
    return used


def cpu_report(before, after, seconds):
    """Print each group's share of the machine's cores over the measured run."""
    groups = {}
    for pid, (group, used) in after.items():
        groups[group] = groups.get(group, 0.0) + used - before.get(pid, (group, 0.0))[1]
    cores = os.cpu_count() or 1
    for group, used in sorted(groups.items(), key=lambda item: -item[1]):
        print(f"  cpu {group:12} {used:7.1f} s = {100 * used / seconds:5.1f}% of one core ({cores} cores)")


def summary(stats):
    total = stats.total
    return {
        "requests": total.num_requests,
        "errors": total.num_failures,
        "p50_ms": round(total.get_response_time_percentile(0.5) or 0),
        "p95_ms": round(total.get_response_time_percentile(0.95) or 0),
        "rps": round(total.num_requests / max(1e-9, total.last_request_timestamp - total.start_time), 1)
        if total.last_request_timestamp
        else 0,
    }


def load(args):
    with scratch(args) as shape:
        config = prepare(shape, args.providers, args.users, args.months)
        shape.start_redis()
        shape.start_worker()
        shape.start_web()
        stats, users = run_locust(config, args.users, args.seconds, steady=True)
        figures = summary(stats)
        if users.SIGN_IN:
            print(f"  sign-ins before the measured run: {users.SIGN_IN['n']}, p95 {users.SIGN_IN['p95_ms']} ms")
        print_table(stats)
        for error in stats.errors.values():  # what each failure was, so a failed run says why
            print(f"  error {error.method} {error.name}: {error.error} (x{error.occurrences})")
        for key in ("p50_ms", "p95_ms", "rps", "errors"):
            print(f"load {key}: {figures[key]}")
        if args.profile:
            print(profile(shape, config))
        return 0 if figures["errors"] == 0 else 1


PROFILE = """
import cProfile, io, pstats, time
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from providers.models import User
client = Client()
client.force_login(User.objects.get(username="load0"))
for path in {paths!r}:
    client.get(path, secure=True)  # warm
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(path, secure=True)
        ms = (time.perf_counter() - started) * 1000
    sql_ms = sum(float(q["time"]) for q in queries.captured_queries) * 1000
    print(f"profile {{path}}: {{response.status_code}} {{ms:.0f}} ms, {{len(queries)}} queries ({{sql_ms:.0f}} ms in SQL), "
          f"{{len(response.content)}} bytes")
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(path, secure=True)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(r"/work/main/(assurance|providers|contracts|escalation|reporting|templates)|render|execute", 12)
    print(chr(10).join(line for line in out.getvalue().splitlines() if line.strip() and "{{" not in line)[:3000])
"""


def profile(shape, config):
    """Where a request's time goes, in-process on the same database: queries, SQL time, top functions."""
    code = config["providers"]["load0"][0]
    paths = ["/dashboard/", f"/providers/{code}/", f"/returns/?period={PERIOD}", f"/returns/{code}/{PERIOD}/"]
    return shape.shell(PROFILE.format(paths=paths))


def print_table(stats):
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(
            f"  {entry.method:4} {entry.name:40} n={entry.num_requests:5} fail={entry.num_failures:3} "
            f"p50={entry.get_response_time_percentile(0.5) or 0:6.0f} p95={entry.get_response_time_percentile(0.95) or 0:6.0f}"
        )


def faults_for(shape, seconds, log):
    """The issue's faults, spread over the run."""
    import gevent  # noqa: PLC0415

    def say(message):
        log.append(message)
        print(f"[fault] {message}", flush=True)

    def kill_worker_mid_build():
        worker = shape.procs["worker"]
        out = shape.shell(f"""
import os, signal, time
from datetime import date
from assurance.celery import app
from reporting.models import CommitteePack
pack = CommitteePack.objects.create(committee_id="joint_committee", period=date(2026, 9, 1), period_from=date(2026, 8, 1))
app.signature("reporting.tasks.build_pack", args=(pack.pk,)).delay()
deadline = time.monotonic() + 60
while time.monotonic() < deadline and pack.status != "running":
    time.sleep(0.02)
    pack.refresh_from_db(fields=["status"])
os.kill({worker.pid}, signal.SIGKILL)
print(pack.pk, pack.status)
""")
        shape.procs.pop("worker").wait()
        say(f"worker killed with SIGKILL while pack {out.split()[-2]} was {out.split()[-1]}")
        gevent.sleep(2)
        shape.start_worker()

    def terminate_connections():
        where = f"datname = '{shape.db}' AND pid <> pg_backend_pid()"
        killed = shape.psql("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE " + where)  # noqa: S608 - our scratch name  # nosec B608 - our own scratch database name
        say(f"pg_terminate_backend: {killed.strip()} connections of the web and the worker terminated")

    def redis_down():
        shape.stop("redis", signal.SIGKILL)
        say("Redis down")
        gevent.sleep(min(15, seconds / 8))
        shape.start_redis()
        say("Redis back")

    def hostile_uploads():
        import io  # noqa: PLC0415
        import zipfile  # noqa: PLC0415

        import requests  # noqa: PLC0415

        bomb = io.BytesIO()
        with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("[Content_Types].xml", "<Types/>")
            archive.writestr("xl/worksheets/sheet1.xml", "<row>" + "<c><v>1</v></c>" * 3_000_000 + "</row>")
        session = requests.Session()
        base = f"http://127.0.0.1:{WEB_PORT}"
        session.headers["X-Forwarded-Proto"] = "https"
        page = session.get(base + "/login/")
        for cookie in session.cookies:
            cookie.secure = False
        import re  # noqa: PLC0415

        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        session.post(
            base + "/login/",
            {"username": "load0", "password": PASSWORD, "csrfmiddlewaretoken": token},
            headers={"Referer": base.replace("http:", "https:") + "/login/"},
        )
        statuses = []
        for name, content in [
            ("bomb.xlsx", bomb.getvalue()),
            ("noise.csv", os.urandom(200_000)),
            ("picture.xlsx", b"\x89PNG" + os.urandom(5000)),
        ]:
            for cookie in session.cookies:
                cookie.secure = False
            form = session.get(base + "/returns/upload/")
            for cookie in session.cookies:
                cookie.secure = False
            match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
            response = session.post(
                base + "/returns/upload/",
                data={"csrfmiddlewaretoken": match.group(1) if match else "", "kind": "returns"},
                files={"file": (name, content)},
                headers={"Referer": base.replace("http:", "https:") + "/returns/upload/"},
                timeout=60,
            )
            statuses.append(f"{name} {response.status_code}")
        say("hostile uploads: " + ", ".join(statuses))

    def run():
        step = seconds / 6
        plan = [kill_worker_mid_build, terminate_connections, redis_down, terminate_connections, hostile_uploads]
        for fault in plan:
            gevent.sleep(step)
            try:
                fault()
            except Exception as exc:  # noqa: BLE001 - a fault that could not be injected is reported
                say(f"{fault.__name__} could not be injected: {exc}")

    return run


def settle_and_check(shape, acked):
    """Let the sweep settle the jobs, then count lost writes and stuck jobs."""
    path = shape.workdir / "acked.json"
    path.write_text(json.dumps([[code, period, field, note] for (code, period, field), note in acked.items()]))
    deadline = time.monotonic() + 150
    while True:
        shape.manage("sweep_jobs")
        left = int(
            shape.shell("""
from assurance.tasking import job_models
print(sum(m.objects.filter(status__in=["queued", "running"]).count() for m in job_models()))
""").split()[-1]
        )
        if not left or time.monotonic() > deadline:
            break
        time.sleep(5)
    lost = int(
        shape.shell(f"""
import json
from assurance.models import IndicatorValue
from providers.periods import parse_period
lost = 0
for code, period, field, note in json.load(open({str(path)!r})):
    pk = int(field.split("-")[0][1:])
    value = IndicatorValue.objects.filter(
        monthly_return__provider__code=code, monthly_return__period=parse_period(period), indicator_id=pk
    ).first()
    if value is None or value.note != note:
        lost += 1
print(lost)
""").split()[-1]
    )
    return lost, left


def soak(args):
    with scratch(args) as shape:
        config = prepare(shape, args.providers, args.users, args.months)
        shape.start_redis()
        shape.start_worker()
        shape.start_web()
        fault_log = []
        stats, users = run_locust(config, args.users, args.seconds, faults_for(shape, args.seconds, fault_log))
        if "redis" not in shape.procs:
            shape.start_redis()
        if "worker" not in shape.procs:
            shape.start_worker()
        lost, stuck = settle_and_check(shape, users.ACKED)
        if args.profile:
            print(profile(shape, config))
        figures = summary(stats)
        print_table(stats)
        print(f"soak requests: {figures['requests']}")
        print(f"soak errors: {figures['errors']}")
        print(f"soak p95_ms: {figures['p95_ms']}")
        print(f"soak saves acknowledged: {len(users.ACKED)}")
        print(f"soak 500s on read pages: {len(users.READ_500S)}")
        print(f"soak lost writes: {lost}")
        print(f"soak stuck jobs: {stuck}")
        for method, path, status in users.READ_500S[:10]:
            print(f"  500: {method} {path} {status}")
        return 0 if not (lost or stuck or users.READ_500S) else 1


class scratch:  # noqa: N801 - used as a context manager
    """A scratch database and folder, removed with every process at the end."""

    def __init__(self, args):
        self.args = args

    def __enter__(self):
        workdir = Path(tempfile.mkdtemp(prefix="soak-"))
        self.shape = Shape(f"soak_{os.getpid()}", workdir)
        return self.shape

    def __exit__(self, *exc):
        self.shape.stop_all()
        try:
            self.shape.psql(f"DROP DATABASE IF EXISTS {self.shape.db} WITH (FORCE)")
        except subprocess.CalledProcessError as error:
            print(error.stderr, file=sys.stderr)
        if exc[0] is None and not self.args.keep:
            shutil.rmtree(self.shape.workdir, ignore_errors=True)
        else:
            print(f"logs kept in {self.shape.workdir}", file=sys.stderr)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["load", "soak"])
    parser.add_argument("--providers", type=int)
    parser.add_argument("--users", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--months", type=int, default=13)
    parser.add_argument("--keep", action="store_true", help="keep the logs folder")
    parser.add_argument("--profile", action="store_true", help="load: then profile each page in-process")
    args = parser.parse_args(argv)
    defaults = {"load": (500, 20, 60), "soak": (60, 10, 120)}[args.mode]
    args.providers = args.providers or defaults[0]
    args.users = args.users or defaults[1]
    args.seconds = args.seconds or defaults[2]
    return load(args) if args.mode == "load" else soak(args)


if __name__ == "__main__":
    sys.exit(main())
