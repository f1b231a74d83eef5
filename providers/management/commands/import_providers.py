from providers.importers import ProviderImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import providers.csv (DESIGN.md); all-or-nothing, idempotent."
    importer_class = ProviderImporter
