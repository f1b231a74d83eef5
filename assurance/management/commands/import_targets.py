from assurance.importers import TargetImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = (
        "Import targets.csv (DESIGN.md): changes of an indicator's target and amber threshold from a month "
        "on; the months from then on that have ratings are recomputed. All-or-nothing, idempotent."
    )

    def importer(self, user):
        self.target_importer = TargetImporter(user=user)
        return self.target_importer

    def handle(self, *args, **options):
        super().handle(*args, **options)
        run = getattr(self, "target_importer", None) and self.target_importer.rating_run
        if run is not None:
            run.refresh_from_db()
            self.stdout.write(
                f"Ratings of {', '.join(run.periods)}: rating job {run.pk} {run.get_status_display().lower()}"
                + (f" ({run.failure_reason})" if run.failure_reason else "")
                + "."
            )
