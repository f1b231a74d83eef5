from django.db import migrations

from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER, grant_permissions

MODELS = ("meeting", "meetingaction", "actionplan", "risk")
WRITE = [f"{a}_{m}" for m in MODELS for a in ("add", "change", "view")]
VIEW = [f"view_{m}" for m in MODELS]


def forwards(apps, schema_editor):
    grant_permissions(apps, "escalation", {TEAM_MEMBER: WRITE, DIRECTOR: WRITE, ADMINISTRATOR: VIEW})


class Migration(migrations.Migration):
    dependencies = [("escalation", "0003_meetings_plans_risks"), ("escalation", "0002_role_permissions")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
