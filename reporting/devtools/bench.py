"""The benchmark (`make bench`): each job at three estate sizes, beside its floor.

For every size a fresh database (a SQLite file, or a scratch PostgreSQL database when
DATABASE_URL points at PostgreSQL) gets a generated estate (`generate_estate`, in a process
of its own), then a second process measures the jobs, so each size's peak memory is its own:

- import of returns: a whole month's returns.csv through the importer (rows per second);
  floor: reading the same file with csv and writing its rows with one executemany;
- computing one month for every provider, and recomputing every month; floor: reading the
  value rows the month's rating reads, and writing the rows it writes, with plain SQL;
- the dashboard (first page) and a provider page through the test client, time and queries;
  floor: a trivial Django view through the same client (the home page: login, session,
  middleware, the site's header and a few links);
- each committee pack (PDF and workbook), against a one-minute budget;
- peak memory of the measuring process.

Times are the best of a few runs where a job is cheap enough to repeat; ratios are job time
over floor time. The report is `name: value` lines, `ratio NAME: X` lines and, with more
than one size, the growth from each size to the next (linear growth equals the size ratio).
"""

import csv
import io
import json
import os
import random
import resource
import shutil
import subprocess  # nosec B404 - runs our own manage.py
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the folder of manage.py
SIZES = [50, 500, 5000]
QUICK_SIZES = [50, 500]
MONTHS = 24
LATEST = "2026-09"  # the generated estate's newest month; the benchmark imports and rates the next
NEW_MONTH = "2026-10"
ESTATES = Path(os.environ.get("BENCH_ESTATES", Path.home() / ".cache" / "assurance-bench"))  # --keep-estates


def timed(function, repeat=1):
    """(best seconds, last result) over `repeat` runs."""
    best, result = None, None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - started
        best = elapsed if best is None else min(best, elapsed)
    return best, result


# The measuring process -----------------------------------------------------------------------


def returns_csv(period):
    """A whole month's returns for every provider, as a team would upload them."""
    from assurance.selectors import active_indicators, applicable_indicators
    from providers.models import Provider
    from providers.periods import parse_period

    from .demo import _result

    month = parse_period(period)
    providers = list(Provider.objects.filter(active=True).order_by("code"))
    applicable = applicable_indicators(month, [p.pk for p in providers], active_indicators())
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["provider_code", "indicator_code", "period", "value", "rag", "status", "note"])
    rows = 0
    for provider in providers:
        rng = random.Random(f"bench-{provider.code}")  # noqa: S311  # nosec B311
        for indicator in applicable[provider.pk]:
            if indicator.derived:
                continue  # derived from contract actuals (METHODOLOGY 9): never in a return
            fields = _result(indicator, rng, 1.0) or {"status": "missing", "value": None, "rag": "", "note": ""}
            writer.writerow(
                [
                    provider.code,
                    indicator.code,
                    period,
                    "" if fields["value"] is None else fields["value"],
                    fields["rag"],
                    fields["status"],
                    fields["note"],
                ]
            )
            rows += 1
    return out.getvalue().encode(), rows


def floor_import(data):
    """The least the import's reads and writes can cost, in plain SQL: parse the file with csv;
    read what the import checks its rows against (providers, indicators, locked months, the
    month's returns, and the previous 12 months of received values, the usual range of the
    outlier test); write the month's returns, its values and the history rows of both into the
    import's own tables (their indexes and constraints included), then roll back.

    Run before the import, on the same database: (best seconds of two, rows written)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from providers.periods import parse_period, shift

    ops = connection.ops
    value_columns = "monthly_return_id, indicator_id, status, value, rag, note, created_at, updated_at"
    return_columns = "provider_id, period, status, submitted_at, submitted_by_id, version, created_at, updated_at"
    history_columns = "history_date, history_change_reason, history_type, history_user_id"

    def insert(cursor, table, columns, rows):
        placeholders = ", ".join(["%s"] * (columns.count(",") + 1))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608  # nosec B608

    def once():
        started = time.perf_counter()
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
        month = parse_period(rows[0][2])
        period, now = ops.adapt_datefield_value(month), ops.adapt_datetimefield_value(timezone.now())
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT code, id FROM providers_provider")
            providers = dict(cursor.fetchall())
            cursor.execute("SELECT code, id FROM assurance_indicator")
            indicators = dict(cursor.fetchall())
            cursor.execute("SELECT period FROM assurance_periodlock WHERE locked")
            cursor.fetchall()
            cursor.execute(
                "SELECT provider_id, version, status FROM assurance_monthlyreturn WHERE period = %s", [period]
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT r.provider_id, v.indicator_id, r.period, v.value FROM assurance_indicatorvalue v "
                "JOIN assurance_monthlyreturn r ON r.id = v.monthly_return_id WHERE r.period >= %s AND r.period <= %s "
                "AND r.status IN ('submitted', 'locked') AND v.status = 'reported' AND v.value IS NOT NULL",
                [ops.adapt_datefield_value(shift(month, -12)), ops.adapt_datefield_value(shift(month, -1))],
            )
            cursor.fetchall()
            provider_ids = sorted({providers[row[0]] for row in rows})
            returns = [(p, period, "submitted", now, None, 1, now, now) for p in provider_ids]
            insert(cursor, "assurance_monthlyreturn", return_columns, returns)
            cursor.execute("SELECT provider_id, id FROM assurance_monthlyreturn WHERE period = %s", [period])
            return_ids = dict(cursor.fetchall())
            returns = [(return_ids[row[0]], *row, now, None, "+", None) for row in returns]
            insert(cursor, "assurance_historicalmonthlyreturn", f"id, {return_columns}, {history_columns}", returns)
            values = [
                (return_ids[providers[p]], indicators[i], status, value or None, rag, note, now, now)
                for p, i, _period, value, rag, status, note in rows
            ]
            insert(cursor, "assurance_indicatorvalue", value_columns, values)
            cursor.execute(
                "SELECT monthly_return_id, indicator_id, id FROM assurance_indicatorvalue WHERE monthly_return_id IN "
                "(SELECT id FROM assurance_monthlyreturn WHERE period = %s)",
                [period],
            )
            value_ids = {(r, i): pk for r, i, pk in cursor.fetchall()}
            values = [(value_ids[row[:2]], *row, now, None, "+", None) for row in values]
            insert(cursor, "assurance_historicalindicatorvalue", f"id, {value_columns}, {history_columns}", values)
            elapsed = time.perf_counter() - started
            transaction.set_rollback(True)
        return elapsed, 2 * (len(returns) + len(values))

    return timed(once, repeat=2)


def floor_compute(period):
    """Read the value rows one month's rating reads (its seven-month window) and write as many
    rows as it writes, with plain SQL: the least rating a month can cost."""
    from django.db import connection

    from assurance.models import AreaRating, IndicatorRating, ProviderRating
    from providers.periods import shift

    months = [shift(period, -n) for n in range(7)]
    written = (
        IndicatorRating.objects.filter(period=period).count(),
        AreaRating.objects.filter(period=period).count(),
        ProviderRating.objects.filter(period=period).count(),
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_floor_rating (provider_id integer, indicator_id integer, "
            "period date, value decimal(16, 4), rag varchar(1), reason varchar(20))"
        )
        started = time.perf_counter()
        placeholders = ", ".join(["%s"] * len(months))
        cursor.execute(
            "SELECT r.provider_id, r.period, v.indicator_id, v.status, v.value, v.rag "  # noqa: S608  # nosec B608
            "FROM assurance_indicatorvalue v JOIN assurance_monthlyreturn r ON r.id = v.monthly_return_id "
            f"WHERE r.period IN ({placeholders})",
            months,
        )
        read = cursor.fetchall()
        rows = [(row[0], row[2], str(period), row[4], "G", "target_met") for row in read[: sum(written)]]
        rows += rows[: max(0, sum(written) - len(rows))]
        cursor.executemany("INSERT INTO bench_floor_rating VALUES (%s, %s, %s, %s, %s, %s)", rows)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor_rating")
    return elapsed, len(read), sum(written)


def writes():
    """Rows in the tables an import writes: returns, values and their history."""
    from assurance.models import IndicatorValue, MonthlyReturn

    return sum(
        model.objects.count()
        for model in (IndicatorValue, IndicatorValue.history.model, MonthlyReturn, MonthlyReturn.history.model)
    )


def page(client, path, repeat=5, data=()):
    """(best seconds, queries, bytes) of a page; bytes are its HTML plus the data it loads
    (`data`: the paths of the JSON it fetches), not the static files the browser caches."""
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    # Each request empties the query log (request_started): empty it first, or the count would be
    # the request's queries less the previous request's.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    size = len(response.content) + sum(len(client.get(url).content) for url in data)
    seconds, _response = timed(lambda: client.get(path), repeat=repeat)
    return seconds, len(queries.captured_queries), size


def trivial(request):
    """The floor for pages: a trivial view behind the same login, session and middleware, rendering
    the site's header and a few links (the home page's template with nothing waiting)."""
    from django.contrib.auth.decorators import login_required
    from django.shortcuts import render

    return login_required(lambda request: render(request, "home.html", {"queue": [], "waiting": 0}))(request)


TRIVIAL_PATH = "/bench/trivial/"  # served by reporting.devtools.bench_urls, in the measuring process only


def verified_client(user):
    """A test client signed in as `user` with the second factor done, as a director's sign-in is."""
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.create(user=user, name="Bench authenticator", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def measure_pages(figures, month):
    """The pages through the test client, as a director: time, queries and bytes of each."""
    from django.contrib.auth.models import Group
    from django.urls import NoReverseMatch, reverse

    from assurance.models import ProviderRating
    from providers.models import User
    from providers.roles import DIRECTOR

    director = User.objects.create_user("bench-director")  # signed in below: no password needed
    director.groups.add(Group.objects.get(name=DIRECTOR))
    client = verified_client(director)
    worst = ProviderRating.objects.filter(period=month).order_by("-escalation_level", "provider__code").first()
    pages = [
        ("trivial_view", TRIVIAL_PATH, 20),
        ("dashboard", f"/dashboard/?period={NEW_MONTH}", 5),
        ("provider_page", f"/providers/{worst.provider.code}/", 3),
    ]
    for name, url_name in (("work_queue", "home"), ("financial_position", "reporting:finance")):
        try:  # measured once they exist (issue 17's work queue, issue 19's financial position)
            pages.append((name, reverse(url_name), 3))
        except NoReverseMatch:
            continue
    for name, path, repeat in pages:
        figures[f"{name}_seconds"], figures[f"{name}_queries"], figures[f"{name}_bytes"] = page(
            client, path, repeat=repeat
        )


def measure(size):
    """Run in a process of its own against a database holding a generated estate."""
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import override_settings, setup_test_environment

    from assurance import importers
    from assurance import services as assurance_services
    from assurance.models import IndicatorValue
    from escalation.pipeline import run_all, run_period
    from providers.models import Provider
    from providers.periods import parse_period

    from ..models import Committee
    from ..services import pack_files

    setup_test_environment()
    figures = {"providers": Provider.objects.count(), "value_rows": IndicatorValue.objects.count()}

    # Import a month's returns (rating is measured on its own below, so it is not queued here).
    data, rows = returns_csv(NEW_MONTH)
    assurance_services.request_recompute = lambda *args, **kwargs: None
    floor_seconds, (_seconds, floor_written) = floor_import(data)  # before the import: the same database
    before = writes()
    # A whole month at 5,000 providers is about 13 MB, over the default cap of an upload (10 MB, set
    # by MAX_IMPORT_FILE_BYTES): the cap is raised to the file's size, as such an estate's would be.
    with override_settings(MAX_IMPORT_FILE_BYTES=max(settings.MAX_IMPORT_FILE_BYTES, len(data))):
        seconds, result = timed(lambda: importers.ReturnImporter().run(data, "returns.csv"))
    if not (result.ok and result.created == rows):
        raise RuntimeError(f"The benchmark's import failed: {result.errors[:3]}")
    written = writes() - before
    if written != floor_written:
        raise RuntimeError(f"The import wrote {written} rows and its floor {floor_written}: not the same work.")
    figures.update(
        {
            "import_rows": rows,
            "import_rows_written": written,
            "import_seconds": seconds,
            "import_rows_per_second": rows / seconds,
            "floor_import_seconds": floor_seconds,
        }
    )

    # Rate the new month for every provider; then every month, oldest first.
    month = parse_period(NEW_MONTH)
    figures["compute_month_seconds"], _ = timed(lambda: run_period(month, notify=False))
    floor, read, written = floor_compute(month)
    figures.update({"floor_compute_month_seconds": floor, "compute_rows_read": read, "compute_rows_written": written})
    figures["recompute_all_seconds"], periods = timed(lambda: run_all(notify=False))
    figures["recompute_all_months"] = len(periods)
    figures["floor_recompute_all_seconds"] = floor * len(periods)  # one month's floor for each month rated

    # Pages, through the test client, as a director (the bench's urlconf adds the trivial view).
    with override_settings(ROOT_URLCONF="reporting.devtools.bench_urls"):
        measure_pages(figures, month)

    for committee in Committee.objects.values_list("code", flat=True):
        seconds, (pdf, pages, xlsx) = timed(lambda committee=committee: pack_files(committee, month))
        figures.update(
            {
                f"pack_{committee}_seconds": seconds,
                f"pack_{committee}_pages": pages,
                f"pack_{committee}_pdf_bytes": len(pdf),
                f"pack_{committee}_xlsx_bytes": len(xlsx),
            }
        )
    figures["peak_memory_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures["database"] = connection.vendor
    return figures


# The orchestrating process ---------------------------------------------------------------------


def run(command, env):
    proc = subprocess.run(  # noqa: S603  # nosec B603 - our own manage.py with fixed arguments
        [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if proc.returncode:
        raise SystemExit(f"{' '.join(command)} failed:\n{proc.stdout}\n{proc.stderr}")
    return proc.stdout


class Database:
    """A fresh database for one size: a SQLite file, or a scratch PostgreSQL database.

    With `keep` (`make bench ARGS=--keep-estates`), the generated estate is kept as a template (a
    SQLite file in ESTATES, or a PostgreSQL database named `bench_estate_...`) and each later run
    of the same size, months and seed starts from a copy of it instead of generating it again
    (at 5,000 providers generating takes far longer than measuring). `fresh` is then False."""

    def __init__(self, size, months=MONTHS, seed=1, keep=False):
        self.size, self.base, self.keep = size, os.environ.get("DATABASE_URL", ""), keep
        self.postgres = self.base.startswith(("postgres://", "postgresql://"))
        self.template = f"bench_estate_{size}_{months}_{seed}"
        self.fresh = True

    def __enter__(self):
        if self.postgres:
            import dj_database_url
            import psycopg2

            config = dj_database_url.parse(self.base)
            self.name = f"bench_{self.size}_{os.getpid()}"
            self.admin = psycopg2.connect(
                dbname="postgres",
                user=config["USER"],
                password=config["PASSWORD"],
                host=config["HOST"],
                port=config["PORT"] or 5432,
            )
            self.admin.autocommit = True
            with self.admin.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.template])
                if self.keep and cursor.fetchone():
                    cursor.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.template}"')
                    self.fresh = False
                else:
                    cursor.execute(f'CREATE DATABASE "{self.name}"')
            self.url = self.base.rsplit("/", 1)[0] + f"/{self.name}"
        else:
            self.folder = tempfile.TemporaryDirectory(prefix="assurance-bench-")
            self.path = Path(self.folder.name) / "bench.sqlite3"
            kept = ESTATES / f"{self.template}.sqlite3"
            if self.keep and kept.exists():
                shutil.copyfile(kept, self.path)
                self.fresh = False
            self.url = f"sqlite:///{self.path}"
        return self

    def save_template(self):
        """Keep the estate just generated (before anything is measured on it) for later runs."""
        if not self.keep:
            return
        if self.postgres:
            with self.admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.template}"')
                cursor.execute(f'CREATE DATABASE "{self.template}" TEMPLATE "{self.name}"')
        else:
            ESTATES.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(self.path, ESTATES / f"{self.template}.sqlite3")

    def __exit__(self, *exc):
        if self.postgres:
            with self.admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            self.admin.close()
        else:
            self.folder.cleanup()


def bench_size(size, months, seed, keep=False):
    with Database(size, months, seed, keep=keep) as database:
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "DJANGO_SETTINGS_MODULE": "assurance.settings",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        if database.fresh:
            run(["migrate", "--noinput", "-v0"], env)
        started = time.perf_counter()
        if database.fresh:
            run(
                [
                    "generate_estate",
                    "--providers",
                    str(size),
                    "--months",
                    str(months),
                    "--seed",
                    str(seed),
                    "--latest",
                    LATEST,
                ],
                env,
            )
            generate = time.perf_counter() - started
            database.save_template()  # (generate_estate has exited: no one is connected to it)
        else:
            run(["migrate", "--noinput", "-v0"], env)  # a kept estate from before a new migration
            generate = 0.0  # kept from an earlier run
        output = run(["bench", "--measure", str(size)], env)
        figures = json.loads(output.strip().splitlines()[-1])
        figures["generate_estate_seconds"] = generate
        return figures


RATIOS = [  # (name, job, floor)
    ("import", "import_seconds", "floor_import_seconds"),
    ("compute_month", "compute_month_seconds", "floor_compute_month_seconds"),
    ("recompute_all", "recompute_all_seconds", "floor_recompute_all_seconds"),
    ("dashboard", "dashboard_seconds", "trivial_view_seconds"),
    ("provider_page", "provider_page_seconds", "trivial_view_seconds"),
    ("work_queue", "work_queue_seconds", "trivial_view_seconds"),  # once issue 17's home page exists
    ("financial_position", "financial_position_seconds", "trivial_view_seconds"),  # once issue 19's page exists
]
PAGES = ["trivial_view", "dashboard", "provider_page", "work_queue", "financial_position"]
GROWTH = [
    "import_seconds",
    "compute_month_seconds",
    "recompute_all_seconds",
    "dashboard_seconds",
    "dashboard_queries",
    "provider_page_seconds",
    "pack_cdgb_seconds",
    "pack_management_group_seconds",
    "pack_joint_committee_seconds",
    "peak_memory_mb",
]


def report(results, out=sys.stdout):
    """Print every figure as `name: value`, the ratios, and the growth between sizes."""

    def fmt(value):
        return f"{value:.3f}" if isinstance(value, float) else str(value)

    for size, figures in results.items():
        for name, value in figures.items():
            print(f"{size}.{name}: {fmt(value)}", file=out)
        for name, job, floor in RATIOS:
            if job in figures:
                print(f"ratio {size}.{name}: {figures[job] / figures[floor]:.2f}", file=out)
        for name in PAGES:  # HTML plus the data it loads
            if f"{name}_bytes" in figures:
                print(f"bytes {size}.{name}: {figures[f'{name}_bytes']}", file=out)
    sizes = list(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        for name in GROWTH:
            if name not in results[small] or name not in results[large]:
                continue
            before, after = results[small][name], results[large][name]
            growth = after / before if before else float("inf")
            print(f"growth {small}->{large} {name}: {growth:.2f} (estate x{large / small:g})", file=out)


def main(sizes, months=MONTHS, seed=1, keep=False):
    results = {}
    for size in sizes:
        print(f"# {size} providers, {months} months ...", file=sys.stderr, flush=True)
        results[size] = bench_size(size, months, seed, keep=keep)
    report(results)
    return results
