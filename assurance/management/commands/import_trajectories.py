from assurance.importers import TrajectoryImporter
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = "Import trajectories.csv (DESIGN.md); all-or-nothing, idempotent."
    importer_class = TrajectoryImporter
