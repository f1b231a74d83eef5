"""compute_ratings --period YYYY-MM | --all (DESIGN.md, command-line contract)."""

import time

from django.core.management.base import BaseCommand, CommandError

from assurance.ratings import collection_periods
from escalation.pipeline import run_period
from providers.periods import format_period, parse_period


class Command(BaseCommand):
    help = "Rate every provider for a month (or every month with data, oldest first) and apply escalation."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group(required=True)
        group.add_argument("--period", help="the month, YYYY-MM")
        group.add_argument("--all", action="store_true", help="every period with data, oldest first")

    def handle(self, *args, period=None, all=False, **options):
        if all:
            periods = sorted(collection_periods())
        else:
            try:
                periods = [parse_period(period)]
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        for month in periods:
            started = time.perf_counter()
            result = run_period(month)
            self.stdout.write(
                f"{format_period(month)}: {len(result.levels)} providers rated in {time.perf_counter() - started:.2f} s"
            )
