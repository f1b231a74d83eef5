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


def floor_import(data, written):
    """Read the CSV and write as many rows as the import wrote (its values, the returns, and the
    history rows of both) with plain executemany: the least the same work can cost."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMPORARY TABLE bench_floor_import (provider_code varchar(10), "
            "indicator_code varchar(60), period varchar(7), value varchar(40), rag varchar(1), "
            "status varchar(20), note text)"
        )
        started = time.perf_counter()
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))[1:]
        rows = (rows * (written // len(rows) + 1))[:written]
        cursor.executemany("INSERT INTO bench_floor_import VALUES (%s, %s, %s, %s, %s, %s, %s)", rows)
        elapsed = time.perf_counter() - started
        cursor.execute("DROP TABLE bench_floor_import")
    return elapsed


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


def page(client, path, repeat=5):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    if response.status_code != 200:
        raise RuntimeError(f"{path} answered {response.status_code}")
    seconds, _response = timed(lambda: client.get(path), repeat=repeat)
    return seconds, len(queries.captured_queries)


def measure(size):
    """Run in a process of its own against a database holding a generated estate."""
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment

    from assurance import importers
    from assurance import services as assurance_services
    from assurance.models import IndicatorValue, ProviderRating
    from escalation.pipeline import run_all, run_period
    from providers.models import Provider, User
    from providers.periods import parse_period
    from providers.roles import DIRECTOR

    from ..models import Committee
    from ..services import pack_files

    setup_test_environment()
    figures = {"providers": Provider.objects.count(), "value_rows": IndicatorValue.objects.count()}

    # Import a month's returns (rating is measured on its own below, so it is not queued here).
    data, rows = returns_csv(NEW_MONTH)
    assurance_services.request_recompute = lambda *args, **kwargs: None
    before = writes()
    seconds, result = timed(lambda: importers.ReturnImporter().run(data, "returns.csv"))
    if not (result.ok and result.created == rows):
        raise RuntimeError(f"The benchmark's import failed: {result.errors[:3]}")
    written = writes() - before
    figures.update(
        {
            "import_rows": rows,
            "import_rows_written": written,
            "import_seconds": seconds,
            "import_rows_per_second": rows / seconds,
            "floor_import_seconds": floor_import(data, written),
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

    # Pages, through the test client, as a director.
    director = User.objects.create_user("bench-director")  # force_login below: no password needed
    from django.contrib.auth.models import Group

    director.groups.add(Group.objects.get(name=DIRECTOR))
    client = Client()
    client.force_login(director)
    # The floor for pages: the home page, a trivial view behind the same login, session and
    # middleware, rendering the site's header and a few links.
    figures["trivial_view_seconds"], figures["trivial_view_queries"] = page(client, "/", repeat=20)
    figures["dashboard_seconds"], figures["dashboard_queries"] = page(client, f"/dashboard/?period={NEW_MONTH}")
    worst = ProviderRating.objects.filter(period=month).order_by("-escalation_level", "provider__code").first()
    figures["provider_page_seconds"], figures["provider_page_queries"] = page(
        client, f"/providers/{worst.provider.code}/", repeat=3
    )

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
    """A fresh database for one size: a SQLite file, or a scratch PostgreSQL database."""

    def __init__(self, size):
        self.size, self.base = size, os.environ.get("DATABASE_URL", "")
        self.postgres = self.base.startswith(("postgres://", "postgresql://"))

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
                cursor.execute(f'CREATE DATABASE "{self.name}"')
            self.url = self.base.rsplit("/", 1)[0] + f"/{self.name}"
        else:
            self.folder = tempfile.TemporaryDirectory(prefix="assurance-bench-")
            self.url = f"sqlite:///{self.folder.name}/bench.sqlite3"
        return self

    def __exit__(self, *exc):
        if self.postgres:
            with self.admin.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{self.name}"')
            self.admin.close()
        else:
            self.folder.cleanup()


def bench_size(size, months, seed):
    with Database(size) as database:
        env = {
            **os.environ,
            "DATABASE_URL": database.url,
            "DJANGO_SETTINGS_MODULE": "assurance.settings",
            "REDIS_URL": "",
            "LOG_LEVEL": "WARNING",
        }
        run(["migrate", "--noinput", "-v0"], env)
        started = time.perf_counter()
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
]
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
            print(f"ratio {size}.{name}: {figures[job] / figures[floor]:.2f}", file=out)
    sizes = list(results)
    for small, large in zip(sizes, sizes[1:], strict=False):
        for name in GROWTH:
            before, after = results[small][name], results[large][name]
            growth = after / before if before else float("inf")
            print(f"growth {small}->{large} {name}: {growth:.2f} (estate x{large / small:g})", file=out)


def main(sizes, months=MONTHS, seed=1):
    results = {}
    for size in sizes:
        print(f"# {size} providers, {months} months ...", file=sys.stderr, flush=True)
        results[size] = bench_size(size, months, seed)
    report(results)
    return results
