"""Grant the contract register's permissions to the roles."""

from django.db import migrations

from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER, grant_permissions

READ = ["view_contract", "view_contractline"]
ADMIN = [f"{a}_{m}" for m in ("contract", "contractline") for a in ("add", "change", "delete", "view")]


def forwards(apps, schema_editor):
    grant_permissions(apps, "contracts", {TEAM_MEMBER: READ, DIRECTOR: READ, ADMINISTRATOR: ADMIN})


class Migration(migrations.Migration):
    dependencies = [("contracts", "0002_initial"), ("providers", "0002_roles_and_teams")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
