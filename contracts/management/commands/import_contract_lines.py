from contracts.importers import ContractLineImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = (
        "Import contract_lines.csv (DESIGN.md): each contract line's planned annual activity and cost; "
        "a row for a service the contract lacks adds the line. All-or-nothing, idempotent."
    )
    importer_class = ContractLineImporter
