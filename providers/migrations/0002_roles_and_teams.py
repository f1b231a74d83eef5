"""Create the four roles (DESIGN.md) with their providers permissions, and the six teams."""

from django.db import migrations

from providers.roles import ADMINISTRATOR, DIRECTOR, TEAM_MEMBER, create_roles, grant_permissions

TEAMS = [
    ("cancer_blood", "Cancer and Blood"),
    ("cardiac", "Cardiac"),
    ("neurosciences", "Neurosciences"),
    ("women_children", "Women and Children"),
    ("mental_health", "Mental Health and Vulnerable Groups"),
    ("intestinal_failure", "Intestinal Failure"),
]

READ = ["view_provider", "view_service", "view_commissioningteam"]
ADMIN = [
    f"{action}_{model}"
    for model in ("provider", "service", "commissioningteam", "user")
    for action in ("add", "change", "delete", "view")
] + ["import_register"]


def forwards(apps, schema_editor):
    create_roles(apps)
    grant_permissions(apps, "providers", {TEAM_MEMBER: READ, DIRECTOR: READ, ADMINISTRATOR: ADMIN})
    Team = apps.get_model("providers", "CommissioningTeam")
    for code, name in TEAMS:
        Team.objects.get_or_create(code=code, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
