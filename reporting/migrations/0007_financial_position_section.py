"""The packs of the committees that watch "the overall financial position, key variances and the main
actions" (seed 001, 3.2.2 and 3.2.3: the Corporate Directors Group Board and the Management Group; and
the Performance, Finance and Information Governance Committee) hold the financial position section
(METHODOLOGY 9), after the scorecard. Committees an administrator has changed keep what they chose,
except that the section is added to these three if they do not have it."""

from django.db import migrations

FINANCE = "financial_position"
COMMITTEES = ["cdgb", "management_group", "pfig"]


def forwards(apps, schema_editor):
    Committee = apps.get_model("reporting", "Committee")
    for committee in Committee.objects.filter(code__in=COMMITTEES):
        sections = list(committee.sections or [])
        if FINANCE in sections:
            continue
        at = sections.index("scorecard") + 1 if "scorecard" in sections else len(sections)
        committee.sections = [*sections[:at], FINANCE, *sections[at:]]
        committee.save(update_fields=["sections"])


def backwards(apps, schema_editor):
    Committee = apps.get_model("reporting", "Committee")
    for committee in Committee.objects.filter(code__in=COMMITTEES):
        if FINANCE in (committee.sections or []):
            committee.sections = [s for s in committee.sections if s != FINANCE]
            committee.save(update_fields=["sections"])


class Migration(migrations.Migration):
    dependencies = [("reporting", "0006_job_worker_and_queued_at")]
    operations = [migrations.RunPython(forwards, backwards)]
