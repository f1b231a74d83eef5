"""Directors decide escalation; everyone who reads the register can see it."""

from django.db import migrations

from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER, grant_permissions

VIEW = ["view_providerescalation", "view_escalationdecision", "view_stepdownproposal"]


def forwards(apps, schema_editor):
    grant_permissions(apps, "escalation", {
        TEAM_MEMBER: VIEW,
        DIRECTOR: VIEW + ["add_escalationdecision", "change_stepdownproposal"],
        ADMINISTRATOR: VIEW,
    })
    grant_permissions(apps, "assurance", {
        TEAM_MEMBER: ["view_arearating", "view_areaoverride"],
        DIRECTOR: ["view_arearating", "view_areaoverride", "add_areaoverride"],
        ADMINISTRATOR: ["view_arearating", "view_areaoverride"],
    })


class Migration(migrations.Migration):
    dependencies = [("escalation", "0001_initial"), ("assurance", "0003_ratings"), ("providers", "0002_roles_and_teams")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
