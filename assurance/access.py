"""Who may do what for which provider: every team-access decision of the product, here once.

Modelled on NetBox's `queryset.restrict(user, "view")` and Healthchecks'
`_get_check_for_user`: views, selectors, uploads and pages ask this module, and templates
are handed its answers (`row.can_edit`, `can_record`); nothing else reads `user.teams` to
decide what a user may see or do.

The rules (DESIGN.md, "Who uses it"):

1. **The team limit.** A user who enters returns (holds `assurance.enter_return`: the
   commissioning team members) is *team-limited*: they act only for the providers their
   teams hold a *commissioned* contract with (`Contract.objects.commissioned()`: any status
   but draft, whatever its dates; a draft commissions nothing). Everyone else (directors,
   administrators, the Joint Committee) is not limited by team: what they may do is decided
   by their permissions alone.
2. **An act on a provider** is allowed when the user holds the act's permission (the
   constants below; the act *is* its permission) and the provider is within their team
   limit (`can`, `provider_scope`, `restrict`).
3. **Returns.** A return is entered ("edit") by a team-limited user for their teams'
   providers; it is read ("view") by a user not team-limited who may view returns
   (directors and administrators); anyone else is refused, so another team's member sees
   neither the return nor its drafts (`return_access`). Values of a draft return are seen
   only by those who may enter it (METHODOLOGY, "Who is rated": drafts stay inside the
   team; `can_view_return_values`).
4. **Uploads and trajectories.** Returns and trajectories are uploaded, and trajectories
   agreed and listed, for the providers in reach under rule 2 (administrators: any).
5. **Records** (meetings and their actions, action plans, risks) are recorded under rule 2
   with the record's own permission; "may record" on a page means may add a meeting
   (`can_record`).
6. **Highlight reports** are read under rule 2 with `view_highlightreport`, and written
   with `change_highlightreport`; a team-limited user may not even open another team's
   provider's report (`highlight_access`).
7. **Teams.** A team-limited user works for their own teams (return templates); others for
   every team (`team_scope`).
8. **Committee packs** are read by the roles their committee names (`restrict_to_roles`),
   with `reporting.view_committeepack`.

The providers within a user's team limit are read once per user object and kept on it,
as Django keeps permissions (`_perm_cache`): a page asking about many rows makes one query.
"""

from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet

from contracts.models import Contract
from providers.models import CommissioningTeam, Provider

from .choices import ReturnStatus
from .models import MonthlyReturn

# The acts on a provider, each named by the permission it needs (rule 2).
ENTER_RETURN = "assurance.enter_return"  # also what makes a user team-limited (rule 1)
VIEW_RETURN = "assurance.view_monthlyreturn"
UPLOAD_RETURNS = "assurance.import_returns"
VIEW_TRAJECTORIES = "assurance.view_trajectory"
AGREE_TRAJECTORY = "assurance.add_trajectory"
RECORD = "escalation.add_meeting"
READ_HIGHLIGHT = "reporting.view_highlightreport"
WRITE_HIGHLIGHT = "reporting.change_highlightreport"

# What `return_access` answers.
EDIT, VIEW = "edit", "view"

# A user (request.user: a User or AnonymousUser) and a provider (or its id).
AnyUser = Any  # django-stubs types request.user as User | AnonymousUser; both answer has_perm
ProviderOrId = Provider | int
M = TypeVar("M", bound=Model)


# Rule 1: the team limit ---------------------------------------------------------------------


def is_team_limited(user: AnyUser) -> bool:
    """Whether the user acts only for their teams' providers (rule 1)."""
    return user.has_perm(ENTER_RETURN)


def team_providers(user: AnyUser) -> QuerySet[Provider]:
    """The providers the user's teams hold a commissioned (not draft) contract with."""
    return Provider.objects.filter(
        pk__in=Contract.objects.commissioned().filter(commissioning_team__in=user.teams.all()).values("provider_id")
    )


def _team_provider_ids(user: AnyUser) -> set[int]:
    # Kept on the user object for the request, as Django keeps permissions (`_perm_cache`).
    if not hasattr(user, "_team_provider_ids"):
        user._team_provider_ids = set(team_providers(user).values_list("pk", flat=True))
    return user._team_provider_ids


def _pk(provider: ProviderOrId) -> int:
    return provider if isinstance(provider, int) else provider.pk


def _within_team_limit(user: AnyUser, provider_id: int) -> bool:
    return not is_team_limited(user) or provider_id in _team_provider_ids(user)


# Rule 2: any act on a provider ----------------------------------------------------------------


def can(user: AnyUser, action: str, provider: ProviderOrId) -> bool:
    """May the user do `action` (a permission, see the constants) for this provider (or id)?"""
    return user.has_perm(action) and _within_team_limit(user, _pk(provider))


def provider_scope(user: AnyUser, action: str) -> QuerySet[Provider]:
    """The providers the user may do `action` for, as a queryset (NetBox's `restrict`)."""
    if not user.has_perm(action):
        return Provider.objects.none()
    return team_providers(user) if is_team_limited(user) else Provider.objects.all()


def provider_ids(user: AnyUser, action: str) -> set[int]:
    """`provider_scope` as a set of ids (what the spreadsheet importers check rows against)."""
    if not user.has_perm(action):
        return set()
    if is_team_limited(user):
        return set(_team_provider_ids(user))
    return set(Provider.objects.values_list("pk", flat=True))


def restrict(queryset: QuerySet[M], user: AnyUser, action: str, *, field: str = "provider") -> QuerySet[M]:
    """The rows of `queryset` (of any model with a provider) the user may do `action` for."""
    if not user.has_perm(action):
        return queryset.none()
    if is_team_limited(user):
        return queryset.filter(**{f"{field}__in": team_providers(user)})
    return queryset


# Rule 3: returns --------------------------------------------------------------------------------


def _return_mode(user: AnyUser, provider_id: int) -> str | None:
    if can(user, ENTER_RETURN, provider_id):
        return EDIT
    if not is_team_limited(user) and user.has_perm(VIEW_RETURN):
        return VIEW
    return None


def return_access(user: AnyUser, provider: ProviderOrId) -> str:
    """EDIT or VIEW for the provider's returns (rule 3); PermissionDenied for anyone else."""
    mode = _return_mode(user, _pk(provider))
    if mode is None:
        raise PermissionDenied
    return mode


def can_enter_return(user: AnyUser, provider: ProviderOrId) -> bool:
    return _return_mode(user, _pk(provider)) == EDIT


def can_view_return(user: AnyUser, provider: ProviderOrId) -> bool:
    return _return_mode(user, _pk(provider)) is not None


def can_only_view_return(user: AnyUser, provider: ProviderOrId) -> bool:
    """May open the provider's returns to read, but not enter them (directors, administrators)."""
    return _return_mode(user, _pk(provider)) == VIEW


def can_view_return_values(user: AnyUser, monthly_return: MonthlyReturn) -> bool:
    """May see this return's values and their history: a draft only inside the team (rule 3)."""
    mode = _return_mode(user, monthly_return.provider_id)
    return mode == EDIT or (mode == VIEW and monthly_return.status != ReturnStatus.DRAFT)


# Rule 5: meetings, action plans and risks -----------------------------------------------------


def can_record(user: AnyUser, provider: ProviderOrId, action: str = RECORD) -> bool:
    """May record meetings, plans and risks for the provider (or do `action`, a record's own
    permission such as escalation.change_risk)."""
    return can(user, action, provider)


# Rule 6: highlight reports -----------------------------------------------------------------------


def can_read_highlight(user: AnyUser, provider: ProviderOrId) -> bool:
    return can(user, READ_HIGHLIGHT, provider)


def can_write_highlight(user: AnyUser, provider: ProviderOrId) -> bool:
    return can(user, WRITE_HIGHLIGHT, provider)


def highlight_access(user: AnyUser, provider: ProviderOrId) -> bool:
    """Whether the user may write the provider's highlight reports; PermissionDenied unless
    they may read them (Healthchecks' `_get_check_for_user`, returning `rw`)."""
    if not can_read_highlight(user, provider):
        raise PermissionDenied  # another team's provider: its drafts and words are not theirs
    return can_write_highlight(user, provider)


# Rule 7: teams ---------------------------------------------------------------------------------------


def team_scope(user: AnyUser) -> QuerySet[CommissioningTeam]:
    """The commissioning teams the user works for: their own if team-limited, else every team."""
    teams = CommissioningTeam.objects.all()
    return teams.filter(pk__in=user.teams.all()) if is_team_limited(user) else teams


# Rule 8: what a role may read ------------------------------------------------------------------------


def restrict_to_roles(user: AnyUser, queryset: QuerySet[M], roles_field: str) -> QuerySet[M]:
    """The rows whose `roles_field` (a many-to-many to the roles, auth groups) names one of the user's
    roles: a committee's packs are read by the roles the committee names. A superuser reads all;
    an anonymous user nothing."""
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    return queryset.filter(pk__in=queryset.filter(**{f"{roles_field}__in": user.groups.all()}).values("pk"))


# Rule 9: queries on values and return for correction (issue 17) ----------------------------------------


def can_query_return(user: AnyUser, monthly_return: MonthlyReturn) -> bool:
    """Raise, answer and close queries on a return's values: the teams that enter it, and directors
    (who may read its values: not another team's draft)."""
    if not can_view_return_values(user, monthly_return):
        return False
    from providers.roles import DIRECTOR  # noqa: PLC0415 - kept beside the one rule that needs it

    return can_enter_return(user, monthly_return.provider_id) or user.has_role(DIRECTOR)


def can_send_back_return(user: AnyUser, monthly_return: MonthlyReturn) -> bool:
    """Send a submitted return back to draft for correction, with a reason: directors only."""
    from providers.roles import DIRECTOR  # noqa: PLC0415 - kept beside the one rule that needs it

    return (
        monthly_return.status == ReturnStatus.SUBMITTED
        and user.has_role(DIRECTOR)
        and can_view_return_values(user, monthly_return)
    )
