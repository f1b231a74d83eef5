"""Commissioning teams, directors and administrators see the rating jobs and their failures."""

from django.db import migrations

from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER, grant_permissions


def forwards(apps, schema_editor):
    grant_permissions(apps, "assurance", {role: ["view_ratingrun"] for role in (TEAM_MEMBER, DIRECTOR, ADMINISTRATOR)})


class Migration(migrations.Migration):
    dependencies = [("assurance", "0004_rating_runs")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
