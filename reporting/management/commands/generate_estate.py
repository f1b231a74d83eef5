"""generate_estate --providers N --months M --seed S: a synthetic estate for benchmarks and demos."""

import time

from django.core.management.base import BaseCommand, CommandError

from providers.periods import format_period, parse_period


class Command(BaseCommand):
    help = (
        "Generate a synthetic but plausible estate: providers in every sector, contracts in all tiers, "
        "the seeded indicator catalogue and months of returns with realistic misses."
    )

    def add_arguments(self, parser):
        parser.add_argument("--providers", type=int, required=True, help="how many providers to add")
        parser.add_argument("--months", type=int, default=24, help="months of returns (default 24)")
        parser.add_argument("--seed", default="1", help="the same seed gives the same estate")
        parser.add_argument("--latest", help="the newest month, YYYY-MM (default: last month)")
        parser.add_argument("--history", action="store_true", help="also write change-history rows for the returns")
        parser.add_argument("--rate", action="store_true", help="then rate every month, oldest first")

    def handle(self, *args, providers, months, seed, latest=None, history=False, rate=False, **options):
        from reporting.devtools.estate import generate_estate

        if providers < 1 or months < 1:
            raise CommandError("--providers and --months must be at least 1.")
        try:
            latest = parse_period(latest) if latest else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        started = time.perf_counter()
        result = generate_estate(providers=providers, months=months, seed=seed, latest=latest, history=history)
        self.stdout.write(
            f"{result['providers']} providers, {result['contracts']} contracts, {result['returns']} "
            f"returns from {format_period(result['first'])} to {format_period(result['latest'])} "
            f"in {time.perf_counter() - started:.1f} s"
        )
        analyse()
        if rate:
            from escalation.pipeline import run_all

            started = time.perf_counter()
            run_all()
            self.stdout.write(f"rated every month in {time.perf_counter() - started:.1f} s")


def analyse():
    """Update PostgreSQL's planner statistics after the bulk load, as autovacuum would a while later
    (the load test and the benchmark start at once: with none, the planner took the returns of a
    month for 42 rows, not 480, and scanned every value of every month for the returns overview)."""
    from django.db import connection  # noqa: PLC0415

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
