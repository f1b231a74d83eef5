"""The shared shape of every `import_*` management command (DESIGN.md, command-line contract)."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from providers.importing import ImportFileError, attributed


class ImportCommand(BaseCommand):
    """Subclasses set `importer_class`. Exits non-zero, listing every bad row, on a bad file."""

    importer_class = None

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV (or .xlsx) file to import")
        parser.add_argument("--dry-run", action="store_true", help="check the file and report; save nothing")
        parser.add_argument(
            "--user",
            help="the username the changes are recorded against (default: none, recorded as a command-line import)",
        )

    def importer(self, user):
        return self.importer_class()

    def handle(self, *args, file, dry_run=False, user=None, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: no such file")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"--user {user}: no such active user")
        try:
            with attributed(reason=f"Command-line import of {path.name}", user=actor):
                result = self.importer(actor).run(path.read_bytes(), path.name, dry_run=dry_run)
        except ImportFileError as exc:
            raise CommandError(f"{file}: {exc}") from exc
        if not result.ok:
            for error in result.errors:
                self.stderr.write(f"{file}: {error}")
            raise CommandError(f"{file}: {len(result.errors)} error(s) in {result.rows} rows; nothing was imported.")
        self.stdout.write(f"{file}: {result.summary()}")
