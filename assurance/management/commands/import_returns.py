from assurance.importers import ReturnImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import returns.csv (DESIGN.md); all-or-nothing, idempotent."
    importer_class = ReturnImporter

    def importer(self, user):
        return ReturnImporter(user=user)  # the returns are submitted by them
