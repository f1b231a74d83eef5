from providers.importers import ServiceImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import services.csv (DESIGN.md); all-or-nothing, idempotent."
    importer_class = ServiceImporter
