"""export_finance (DESIGN.md): the financial position per provider and month, as CSV."""

import csv

from django.core.management.base import BaseCommand, CommandError

from contracts.finance import money, percent
from contracts.selectors import actual_months, finance_by, finance_lines
from providers.models import Provider
from providers.periods import format_period, parse_period

COLUMNS = [
    "provider_code",
    "period",
    "plan_activity_ytd",
    "actual_activity_ytd",
    "plan_cost_ytd",
    "actual_cost_ytd",
    "activity_against_plan",
    "cost_against_plan",
    "forecast_outturn_cost",
]


def blank(value):
    return "" if value is None else str(value)


def finance_rows(periods):
    """The rows of export_finance for these months, sorted by month then provider code."""
    if not periods:
        return []
    lines = finance_lines(periods[0], periods[-1])
    codes = dict(Provider.objects.values_list("pk", "code"))
    rows = []
    for period in periods:
        positions = finance_by(lines, period, "provider_id")
        for provider_id, pos in sorted(positions.items(), key=lambda item: codes[item[0]]):
            rows.append(
                [
                    codes[provider_id],
                    format_period(period),
                    money(pos.plan_activity),
                    money(pos.actual_activity),
                    money(pos.plan_cost),
                    money(pos.actual_cost),
                    blank(percent(pos.activity_against_plan)),
                    blank(percent(pos.cost_against_plan)),
                    money(pos.forecast_outturn_cost),
                ]
            )
    return rows


class Command(BaseCommand):
    help = (
        "Write CSV to standard output, one row per provider and month (every month with an actual recorded, "
        "oldest first, or only --period; every provider with a contract line live in the financial year up to "
        "that month), sorted by month then provider code (METHODOLOGY 9)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--period", help="only this month (YYYY-MM)")

    def handle(self, *args, period=None, **options):
        if period is not None:
            try:
                month = parse_period(period)
            except ValueError as exc:
                raise CommandError(f"--period: {exc}") from exc
            periods = actual_months(month, month)
        else:
            periods = actual_months()
        writer = csv.writer(self.stdout, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(finance_rows(periods))
