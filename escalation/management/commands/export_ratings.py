"""export_ratings [--period YYYY-MM] [--indicators]: the stored ratings as CSV on standard output.

Columns, order, codes and blanks exactly as DESIGN.md specifies: outside tools check the
product through this command.
"""

import csv

from django.core.management.base import BaseCommand, CommandError

from assurance.choices import Area
from assurance.models import AreaRating, IndicatorRating, ProviderRating
from providers.periods import format_period, parse_period

AREAS = [area for area, _label in Area.choices]
PROVIDER_HEADER = [
    "provider_code",
    "period",
    *AREAS,
    "reds",
    "ambers",
    "recommended_level",
    "escalation_level",
    "pending_step_down",
]
INDICATOR_HEADER = ["provider_code", "indicator_code", "period", "value", "rag", "reason"]


def blank(value):
    return "" if value is None else value


def number(value):
    """A stored Decimal as plain text: 96.5, 0, 1234 (no exponent, no trailing zeros)."""
    if value is None:
        return ""
    return format(value.normalize(), "f")


class Command(BaseCommand):
    help = "Write the stored ratings as CSV to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="only this month, YYYY-MM")
        parser.add_argument("--indicators", action="store_true", help="one row per provider and indicator")

    def handle(self, *args, period=None, indicators=False, **options):
        month = None
        if period is not None:
            try:
                month = parse_period(period)
            except ValueError as exc:
                raise CommandError(str(exc)) from exc
        writer = csv.writer(self.stdout, lineterminator="\n")
        if indicators:
            self.indicator_rows(writer, month)
        else:
            self.provider_rows(writer, month)

    def provider_rows(self, writer, month):
        # One row per rated provider and month: a "No return" month is not rated (METHODOLOGY).
        ratings = (
            ProviderRating.objects.filter(received=True).select_related("provider").order_by("period", "provider__code")
        )
        areas = AreaRating.objects.all()
        if month is not None:
            ratings, areas = ratings.filter(period=month), areas.filter(period=month)
        rags = {(a.provider_id, a.period, a.area): a.rag for a in areas.only("provider_id", "period", "area", "rag")}
        writer.writerow(PROVIDER_HEADER)
        for rating in ratings.iterator(chunk_size=2000):
            writer.writerow(
                [
                    rating.provider.code,
                    format_period(rating.period),
                    *[rags.get((rating.provider_id, rating.period, area), "") for area in AREAS],
                    rating.reds,
                    rating.ambers,
                    blank(rating.recommended_level),
                    blank(rating.escalation_level),
                    blank(rating.pending_step_down),
                ]
            )

    def indicator_rows(self, writer, month):
        ratings = IndicatorRating.objects.select_related("provider", "indicator").order_by(
            "period", "provider__code", "indicator__code"
        )
        if month is not None:
            ratings = ratings.filter(period=month)
        writer.writerow(INDICATOR_HEADER)
        for rating in ratings.iterator(chunk_size=5000):
            writer.writerow(
                [
                    rating.provider.code,
                    rating.indicator.code,
                    format_period(rating.period),
                    number(rating.value),
                    rating.rag,
                    rating.reason,
                ]
            )
