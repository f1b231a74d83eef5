"""Retry or fail the background jobs whose worker died (what Celery beat runs every minute).

python manage.py sweep_jobs            # act on stuck jobs, print what was done
python manage.py sweep_jobs --check    # only list them; exit 1 if any
"""

from django.core.management.base import BaseCommand

from assurance.tasking import stuck_jobs, sweep


class Command(BaseCommand):
    help = "Retry, or fail for good, rating runs and committee packs whose worker died or ran past its time limit."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="List stuck jobs without touching them.")

    def handle(self, *args, check=False, **options):
        if check:
            found = stuck_jobs()
            for name, pk, reason in found:
                self.stdout.write(f"stuck {name} {pk}: {reason}")
            self.stdout.write(f"stuck jobs: {len(found)}")
            if found:
                raise SystemExit(1)
            return
        done = sweep()
        self.stdout.write(f"jobs retried: {done['retried']}, failed for good: {done['failed']}")
