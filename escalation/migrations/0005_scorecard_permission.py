"""Everyone with a role reads the scorecard, the Joint Committee included (DESIGN.md)."""

from django.db import migrations

from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER, grant_permissions


def forwards(apps, schema_editor):
    grant_permissions(apps, "assurance", {role: ["view_providerrating"] for role in
                                          (TEAM_MEMBER, DIRECTOR, COMMITTEE_MEMBER, ADMINISTRATOR)})


class Migration(migrations.Migration):
    dependencies = [("escalation", "0004_meeting_permissions"), ("assurance", "0003_ratings")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
