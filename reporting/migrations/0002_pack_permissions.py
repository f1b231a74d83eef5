"""Who reads and builds committee packs and highlight reports (DESIGN.md roles).

The Joint Committee reads its own packs only; the boards' packs (CDGB, Management Group)
are internal. Directors and administrators ask for packs to be built; commissioning
teams write the highlight reports of their providers.
"""

from django.db import migrations

from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER, grant_permissions


def forwards(apps, schema_editor):
    grant_permissions(apps, "reporting", {
        TEAM_MEMBER: ["view_committeepack", "view_internal_packs", "view_highlightreport",
                      "add_highlightreport", "change_highlightreport"],
        DIRECTOR: ["view_committeepack", "view_internal_packs", "add_committeepack", "view_highlightreport"],
        COMMITTEE_MEMBER: ["view_committeepack"],
        ADMINISTRATOR: ["view_committeepack", "view_internal_packs", "add_committeepack", "view_highlightreport"],
    })


class Migration(migrations.Migration):
    dependencies = [("reporting", "0001_packs_and_highlight_reports"), ("escalation", "0005_scorecard_permission")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
