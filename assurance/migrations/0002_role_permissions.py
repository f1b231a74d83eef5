"""Grant the assurance framework's permissions to the roles (DESIGN.md, "Who uses it")."""

from django.db import migrations

from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER, grant_permissions

READ = ["view_indicator", "view_monthlyreturn", "view_indicatorvalue", "view_trajectory"]
TEAM = READ + ["enter_return", "import_returns", "add_trajectory", "change_trajectory", "delete_trajectory"]
DIRECTOR_PERMS = READ + ["lock_period"]
ADMIN = READ + [
    f"{action}_{model}" for model in ("indicator", "trajectory") for action in ("add", "change", "delete")
] + ["lock_period", "unlock_period", "import_returns"]


def forwards(apps, schema_editor):
    grant_permissions(apps, "assurance", {TEAM_MEMBER: TEAM, DIRECTOR: DIRECTOR_PERMS, ADMINISTRATOR: ADMIN})


class Migration(migrations.Migration):
    dependencies = [("assurance", "0001_initial"), ("providers", "0002_roles_and_teams")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
