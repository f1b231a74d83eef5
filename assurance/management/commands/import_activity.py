from assurance.actuals import activity_importer, rerate
from providers.management.importcommand import ImportCommand


class Command(ImportCommand):
    help = (
        "Import activity.csv (DESIGN.md): each contract line's actual activity and cost in a month "
        "(METHODOLOGY 9). Locked months and months a contract is not live are refused; all-or-nothing; "
        "re-importing a row replaces that month's actuals. The months it changes are re-rated."
    )

    def importer(self, user):
        self.used = activity_importer()  # the command line acts for every team
        self.user = user
        return self.used

    def handle(self, *args, file, dry_run=False, **options):
        self.used = None
        super().handle(*args, file=file, dry_run=dry_run, **options)
        if not dry_run and self.used is not None:
            rerate(self.used.changed, user=self.user)
