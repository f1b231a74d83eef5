"""The four roles of DESIGN.md, as Django groups, and the permissions each holds.

Each app grants its own models' permissions to these groups in a data migration that
calls `grant_permissions`, so a new app never has to edit another app's migration.
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.utils.translation import gettext_lazy as _

TEAM_MEMBER = "Commissioning team member"
DIRECTOR = "Director"
COMMITTEE_MEMBER = "Joint Committee member"
ADMINISTRATOR = "Register administrator"

ROLES = [TEAM_MEMBER, DIRECTOR, COMMITTEE_MEMBER, ADMINISTRATOR]

ROLE_LABELS = {
    TEAM_MEMBER: _("Commissioning team member"),
    DIRECTOR: _("Director"),
    COMMITTEE_MEMBER: _("Joint Committee member"),
    ADMINISTRATOR: _("Register administrator"),
}


def create_roles(apps):
    Group = apps.get_model("auth", "Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)


def grant_permissions(apps, app_label, grants):
    """Give groups permissions on one app's models, inside a data migration.

    `grants` maps a role name to permission codenames of `app_label`. Permissions are
    normally created after all migrations run, so they are created here first.
    """
    create_permissions(global_apps.get_app_config(app_label), apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in grants.items():
        group, _created = Group.objects.get_or_create(name=role)
        perms = Permission.objects.filter(content_type__app_label=app_label, codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {app_label}: {sorted(missing)}")
        group.permissions.add(*perms)
