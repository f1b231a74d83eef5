from assurance.importers import TargetImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = ("Import targets.csv (DESIGN.md): changes of an indicator's target and amber threshold from a month "
            "on; the months from then on are recomputed. All-or-nothing, idempotent.")
    importer_class = TargetImporter

    def importer(self, user):
        return TargetImporter(user=user)
