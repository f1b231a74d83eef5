"""build_pack --committee CODE --period YYYY-MM --out DIR [--language cy]

Writes the committee's pack for the month as a PDF and an XLSX into DIR, through the
same builder as the Celery task, for scripted use. CODE is a committee's code (the six
defaults: cdgb, management_group, joint_committee, qpsc, pfig, board; administrators add
more). The files are CODE-YYYY-MM.pdf and .xlsx, with -cy before the extension for a Welsh pack. It reads the ratings; it stores
nothing in the database.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from assurance.models import ProviderRating
from providers.periods import format_period, parse_period
from reporting.models import Committee, pack_file_stem
from reporting.services import pack_files, pack_period_from


class Command(BaseCommand):
    help = "Build a committee pack (PDF and XLSX) for a month into a folder."

    def add_arguments(self, parser):
        parser.add_argument("--committee", required=True, help="the committee's code, e.g. pfig")
        parser.add_argument("--period", required=True, help="the month, YYYY-MM")
        parser.add_argument("--out", required=True, help="the folder to write the two files to")
        parser.add_argument("--language", default="en-gb", help="en-gb (default) or cy")

    def handle(self, *args, committee, period, out, language, **options):
        try:
            month = parse_period(period)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        try:
            committee = Committee.objects.get(code=committee)
        except Committee.DoesNotExist as exc:
            codes = ", ".join(Committee.objects.values_list("code", flat=True))
            raise CommandError(f"No committee with the code {committee!r}. The codes are: {codes}.") from exc
        if not ProviderRating.objects.filter(period=month).exists():
            raise CommandError(f"No ratings for {format_period(month)}: run compute_ratings --period {period} first.")
        folder = Path(out)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CommandError(f"Cannot write to {folder}: {exc.strerror}.") from exc
        started = time.perf_counter()
        with translation.override(language):
            period_from = pack_period_from(committee, month)
            pdf, pages, xlsx = pack_files(committee, month, period_from=period_from)
        stem = pack_file_stem(committee.code, month, language)
        pdf_path, xlsx_path = folder / f"{stem}.pdf", folder / f"{stem}.xlsx"
        pdf_path.write_bytes(pdf)
        xlsx_path.write_bytes(xlsx)
        self.stdout.write(f"{pdf_path} ({pages} pages, {len(pdf):,} bytes)")
        self.stdout.write(f"{xlsx_path} ({len(xlsx):,} bytes)")
        self.stdout.write(
            f"covering {format_period(period_from)} to {format_period(month)}; "
            f"built in {time.perf_counter() - started:.2f} s"
        )
