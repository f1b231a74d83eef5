"""Send the reminder emails that are due (issue 17; DESIGN.md command-line contract).

    python manage.py send_reminders [--dry-run]

Also run daily by Celery beat (reporting.tasks.send_reminders): the same service.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from reporting.reminders import send_reminders


class Command(BaseCommand):
    help = "Email returns due in 5 days, overdue returns and the directors' weekly digest (each once)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="List what would be sent; send nothing.")

    def handle(self, *args, **options):
        reminders = send_reminders(today=timezone.localdate(), dry_run=options["dry_run"])
        verb = "Would send" if options["dry_run"] else "Sent"
        for reminder in reminders:
            self.stdout.write(f"{verb} {reminder.kind} to {reminder.user.username} ({reminder.key})")
        self.stdout.write(f"{verb} {len(reminders)} reminder(s).")
