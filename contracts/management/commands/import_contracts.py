from contracts.importers import ContractImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import contracts.csv (DESIGN.md); all-or-nothing, idempotent."
    importer_class = ContractImporter
