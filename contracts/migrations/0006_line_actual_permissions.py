"""Grant the permissions on contract lines' actual activity and cost (METHODOLOGY 9) to the roles:
team members enter their teams' actuals, directors read them, administrators do both."""

from django.db import migrations

from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER, grant_permissions

ENTER = [f"{a}_lineactual" for a in ("add", "change", "delete", "view")]


def forwards(apps, schema_editor):
    grant_permissions(apps, "contracts", {TEAM_MEMBER: ENTER, DIRECTOR: ["view_lineactual"], ADMINISTRATOR: ENTER})


class Migration(migrations.Migration):
    dependencies = [("contracts", "0005_line_actuals")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
