from assurance.importers import ReturnImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = (
        "Import returns.csv (DESIGN.md); all-or-nothing, idempotent. Values outside their usual range "
        "are listed as warnings and the import is recorded as their confirmation (METHODOLOGY 8)."
    )
    importer_class = ReturnImporter

    def importer(self, user):
        # The returns are submitted by `user`; administrators' bulk and historical loads confirm
        # the values outside their usual range themselves ("Confirmed by import").
        self.used = ReturnImporter(user=user, outliers=ReturnImporter.CONFIRMED_BY_IMPORT)
        return self.used

    def handle(self, *args, file, dry_run=False, **options):
        self.used = None
        super().handle(*args, file=file, dry_run=dry_run, **options)
        for row in self.used.flagged if self.used else []:
            self.stderr.write(f"{file}: {row.warning(dry_run=dry_run)}")
