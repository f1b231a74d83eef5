from assurance.importers import ReturnImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import returns.csv (DESIGN.md); all-or-nothing, idempotent."
    importer_class = ReturnImporter
