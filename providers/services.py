"""Writes for users: who may do what (roles, commissioning teams, director levels), audited.

Who acted is an argument (as Zulip's `do_change_user_role(user, role, *, acting_user)`): every
change is kept as a RoleGrant with who made it and when, whichever page or command made it.
"""

from collections.abc import Callable, Iterable

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .accounts import notify_sensitive_grants
from .choices import DirectorLevel, GrantKind
from .models import CommissioningTeam, RoleGrant, User

# The user's flag for each director level: the escalation level each director role owns.
DIRECTOR_LEVEL_FIELDS = {
    DirectorLevel.SERVICE_DIRECTOR: "is_service_director",
    DirectorLevel.EXECUTIVE_DIRECTOR: "is_executive_director",
    DirectorLevel.CHIEF_EXECUTIVE: "is_chief_executive",
}


class RoleChangeRefused(PermissionDenied):
    """A change DESIGN.md forbids: to one's own roles or director levels, or making a superuser."""


def _stored(user):
    """{kind: sorted list} of what the user may do as stored (not as an unsaved form holds it)."""
    if user.pk is None:
        return {GrantKind.ROLE: [], GrantKind.TEAM: [], GrantKind.DIRECTOR_LEVEL: []}
    flags = User.objects.filter(pk=user.pk).values(*DIRECTOR_LEVEL_FIELDS.values()).get()
    return {
        GrantKind.ROLE: sorted(user.groups.values_list("name", flat=True)),
        GrantKind.TEAM: sorted(user.teams.values_list("code", flat=True)),
        GrantKind.DIRECTOR_LEVEL: [int(level) for level, name in DIRECTOR_LEVEL_FIELDS.items() if flags[name]],
    }


def _levels(director_levels: Iterable[int]) -> list[int]:
    return sorted({int(DirectorLevel(int(level))) for level in director_levels})


def user_roles_refusal(
    *,
    user: User,
    acting_user: User | None,
    roles: Iterable[str] | None = None,
    director_levels: Iterable[int] | None = None,
) -> str | None:
    """Why the change may not be made (DESIGN.md, "Register administrator ... may not"), or None.

    Nobody changes their own roles or director levels (another administrator does, and it is
    audited), and nobody is made a superuser here: a user whose flag is set but not stored is
    on the way to being one. The admin's form asks this first, to show the reason beside it.
    """
    stored_superuser = user.pk is not None and User.objects.filter(pk=user.pk, is_superuser=True).exists()
    if user.is_superuser and not stored_superuser:
        return _("Nobody may be made a superuser here.")
    if acting_user is None or acting_user.pk is None or acting_user.pk != user.pk:
        return None
    stored = _stored(user)
    if roles is not None and sorted(set(roles)) != stored[GrantKind.ROLE]:
        return _("You may not change your own roles or director levels: another administrator does.")
    if director_levels is not None and _levels(director_levels) != stored[GrantKind.DIRECTOR_LEVEL]:
        return _("You may not change your own roles or director levels: another administrator does.")
    return None


@transaction.atomic
def user_roles_set(
    *,
    user: User,
    acting_user: User | None,
    roles: Iterable[str] | None = None,
    teams: Iterable[str | CommissioningTeam] | None = None,
    director_levels: Iterable[int] | None = None,
) -> list[RoleGrant]:
    """Set what `user` may do, recording each change as a RoleGrant (who, what, before, after, when).

    `roles`: role (group) names; `teams`: commissioning team codes (or teams); `director_levels`:
    the levels owned (DirectorLevel: 2, 3, 4). None leaves that as it is; what is given replaces
    what was. `acting_user` is the person making the change, or None for the system (a data load).
    Refused (RoleChangeRefused) as `user_roles_refusal` says; ValueError for a role, team or level
    that does not exist. Returns the RoleGrants written (none when nothing changed).
    """
    refusal = user_roles_refusal(user=user, acting_user=acting_user, roles=roles, director_levels=director_levels)
    if refusal:
        raise RoleChangeRefused(refusal)
    stored = _stored(user)
    wanted: dict[str, list] = {}
    apply: dict[str, Callable[[], None]] = {}
    if roles is not None:
        groups = list(Group.objects.filter(name__in=set(roles)))
        unknown = set(roles) - {group.name for group in groups}
        if unknown:
            raise ValueError(f"No role is called {', '.join(sorted(unknown))}.")
        wanted[GrantKind.ROLE] = sorted(group.name for group in groups)
        apply[GrantKind.ROLE] = lambda: user.groups.set(groups)
    if teams is not None:
        codes = {team.code if isinstance(team, CommissioningTeam) else team for team in teams}
        found = list(CommissioningTeam.objects.filter(code__in=codes))
        if missing := codes - {team.code for team in found}:
            raise ValueError(f"No commissioning team has the code {', '.join(sorted(missing))}.")
        wanted[GrantKind.TEAM] = sorted(codes)
        apply[GrantKind.TEAM] = lambda: user.teams.set(found)
    if director_levels is not None:
        levels = _levels(director_levels)
        flags = {name: level in levels for level, name in DIRECTOR_LEVEL_FIELDS.items()}
        wanted[GrantKind.DIRECTOR_LEVEL] = levels

        def set_levels():
            User.objects.filter(pk=user.pk).update(**flags)
            for name, value in flags.items():
                setattr(user, name, value)

        apply[GrantKind.DIRECTOR_LEVEL] = set_levels
    now, grants = timezone.now(), []
    for kind, new in wanted.items():
        if new != stored[kind]:
            apply[kind]()
            grants.append(RoleGrant(user=user, acting_user=acting_user, kind=kind, old=stored[kind], new=new, at=now))
    RoleGrant.objects.bulk_create(grants)
    user.__dict__.pop("_role_names", None)  # User.has_role's cache
    # Separation of duties (issue 15): the other administrators are told of powerful grants.
    notify_sensitive_grants(grants, acting_user)
    return grants
