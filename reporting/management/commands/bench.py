"""bench [--quick] [--sizes 50,500,5000] [--months 24]: the benchmark (see reporting/devtools/bench.py)."""

import json

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Benchmark import, rating, pages and packs at several estate sizes, beside their floors."

    def add_arguments(self, parser):
        parser.add_argument("--quick", action="store_true", help="only the two smaller sizes (50 and 500)")
        parser.add_argument("--sizes", help="comma-separated provider counts (default 50,500,5000)")
        parser.add_argument("--months", type=int, default=24)
        parser.add_argument("--seed", default="1")
        parser.add_argument(
            "--keep-estates",
            action="store_true",
            help="keep each generated estate and start later runs of the same size from a copy of it",
        )
        parser.add_argument("--measure", type=int, help="(internal) measure the estate in DATABASE_URL")

    def handle(self, *args, quick=False, sizes=None, months=24, seed="1", measure=None, keep_estates=False, **options):
        from reporting.devtools import bench

        if measure is not None:
            self.stdout.write(json.dumps(bench.measure(measure)))
            return
        try:
            chosen = [int(s) for s in sizes.split(",")] if sizes else (bench.QUICK_SIZES if quick else bench.SIZES)
        except ValueError as exc:
            raise CommandError("--sizes takes numbers separated by commas, for example 50,500") from exc
        bench.main(chosen, months=months, seed=seed, keep=keep_estates)
