from assurance.importers import IndicatorImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import indicators.csv (DESIGN.md); all-or-nothing, idempotent."
    importer_class = IndicatorImporter
