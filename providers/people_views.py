"""People management for register administrators (issue 15): who holds which role, team and
director level, invitations, changes with a confirmation, deactivation (never deletion), and
the audited history of every grant and revocation. The Django admin is not needed for any of it.

Separation of duties: the services refuse a change to one's own roles or director levels and
never make a superuser; a director level or the director or administrator role granted is
emailed to every other administrator (providers.accounts.notify_sensitive_grants).
"""

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from . import accounts, lists, selectors
from .choices import DirectorLevel
from .forms import FilterForm
from .forms_identity import AccessForm, InviteForm, role_choices
from .models import CommissioningTeam, User
from .roles import ROLE_LABELS
from .services import RoleChangeRefused, user_roles_set

PERMISSION = "providers.change_user"


def administrators_only(view):
    """Anonymous users are sent to log in; signed-in users without the permission get 403."""
    return login_required(permission_required(PERMISSION, raise_exception=True)(view))


class PeopleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=gettext_lazy("Search by name, username or email"), method="search")
    role = django_filters.ChoiceFilter(
        label=gettext_lazy("Role"), field_name="groups__name", empty_label=gettext_lazy("Any role"), distinct=True
    )
    team = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Commissioning team"),
        queryset=CommissioningTeam.objects.all(),
        field_name="teams",
        empty_label=gettext_lazy("Any team"),
        distinct=True,
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"),
        choices=[("active", gettext_lazy("Active")), ("inactive", gettext_lazy("Deactivated"))],
        method="filter_status",
        empty_label=gettext_lazy("Any"),
    )
    mfa = django_filters.ChoiceFilter(
        label=gettext_lazy("Two-factor authentication"),
        choices=[("on", gettext_lazy("On")), ("off", gettext_lazy("Off"))],
        method="filter_mfa",
        empty_label=gettext_lazy("Any"),
    )

    class Meta:
        form = FilterForm
        model = User
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["role"].extra["choices"] = role_choices()

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )

    def filter_status(self, queryset, name, value):
        return queryset.filter(is_active=value == "active")

    def filter_mfa(self, queryset, name, value):
        return queryset.filter(has_mfa=value == "on")


class PeopleTable(tables.Table):
    name = tables.TemplateColumn(
        template_name="people/cells/name.html", verbose_name=gettext_lazy("Name"), order_by=("last_name", "first_name")
    )
    username = tables.Column(verbose_name=gettext_lazy("Username"))
    roles = tables.TemplateColumn(
        template_name="people/cells/roles.html", verbose_name=gettext_lazy("Roles and levels"), orderable=False
    )
    teams = tables.TemplateColumn(
        template_name="people/cells/teams.html", verbose_name=gettext_lazy("Teams"), orderable=False
    )
    language = tables.Column(verbose_name=gettext_lazy("Language"), default="—")
    last_login = tables.DateTimeColumn(
        verbose_name=gettext_lazy("Last sign-in"), format="j M Y H:i", default=gettext_lazy("Never")
    )
    has_mfa = tables.BooleanColumn(
        verbose_name=gettext_lazy("Two-factor"), yesno=(gettext_lazy("On"), gettext_lazy("Off"))
    )
    is_active = tables.BooleanColumn(
        verbose_name=gettext_lazy("Status"), yesno=(gettext_lazy("Active"), gettext_lazy("Deactivated"))
    )

    class Meta:
        model = User
        fields = ["name", "username", "roles", "teams", "language", "last_login", "has_mfa", "is_active"]
        order_by = "name"
        empty_text = gettext_lazy("No people match these filters.")

    def render_language(self, record):
        return record.get_language_display() or "—"


class PeopleListView(PermissionRequiredMixin, SingleTableMixin, FilterView):
    permission_required = PERMISSION
    template_name = "people/list.html"
    filterset_class = PeopleFilter
    table_class = PeopleTable
    table_pagination = {"per_page": 25}

    def dispatch(self, request, *args, **kwargs):
        request.GET = lists.clean_list_query(request.GET)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.people_list()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["invitations"] = selectors.pending_invitations().select_related("user", "invited_by")
        context["title"] = _("People")
        return context


def _access_initial(person):
    return {
        "roles": list(person.groups.values_list("name", flat=True)),
        "teams": list(person.teams.values_list("code", flat=True)),
        "director_levels": person.owned_levels,
    }


@require_http_methods(["GET"])
@administrators_only
def person_detail(request, pk):
    person = get_object_or_404(User, pk=pk)
    return render(
        request,
        "people/detail.html",
        {
            "person": person,
            "own": person.pk == request.user.pk,
            "has_mfa": accounts.has_mfa(person),
            "invitation": selectors.pending_invitations().filter(user=person).first(),
            "history": selectors.grant_history(person),
            "role_labels": ROLE_LABELS,
        },
    )


def _changes(person, wanted):
    """[(label, granted, removed)] between what the person holds and what the form asks."""
    current = _access_initial(person)
    labels = {
        "roles": (_("Roles"), lambda v: str(ROLE_LABELS.get(v, v))),
        "teams": (_("Commissioning teams"), lambda v: str(CommissioningTeam.objects.get(code=v).name)),
        "director_levels": (_("Director levels"), lambda v: str(DirectorLevel(v).label)),
    }
    changes = []
    for key, (label, name) in labels.items():
        new, old = set(wanted[key]), set(current[key])
        if new != old:
            changes.append((label, [name(v) for v in sorted(new - old)], [name(v) for v in sorted(old - new)]))
    return changes


@require_http_methods(["GET", "POST"])
@administrators_only
def person_access(request, pk):
    """Change roles, teams and director levels: the form, then a page to confirm the changes."""
    person = get_object_or_404(User, pk=pk)
    own = person.pk == request.user.pk
    form = AccessForm(request.POST or None, initial=_access_initial(person), own=own)
    if request.method == "POST" and form.is_valid():
        wanted = {
            **_access_initial(person),  # one's own roles and levels are not in the form
            **{key: form.cleaned_data[key] for key in ("roles", "director_levels") if key in form.cleaned_data},
            "teams": [team.code for team in form.cleaned_data["teams"]],
        }
        changes = _changes(person, wanted)
        if not changes:
            messages.info(request, _("Nothing was changed."))
            return redirect("people:detail", pk=person.pk)
        if request.POST.get("confirm") != "yes":
            return render(request, "people/access_confirm.html", {"person": person, "form": form, "changes": changes})
        try:
            user_roles_set(
                user=person,
                acting_user=request.user,
                roles=None if own else wanted["roles"],
                teams=wanted["teams"],
                director_levels=None if own else wanted["director_levels"],
            )
        except RoleChangeRefused as refusal:
            messages.error(request, str(refusal))
            return redirect("people:detail", pk=person.pk)
        messages.success(request, _("The changes for %(name)s are saved.") % {"name": person.display_name})
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/access_form.html", {"person": person, "form": form, "own": own})


@require_http_methods(["GET", "POST"])
@administrators_only
def person_invite(request):
    """Create an account with no password and email its owner a one-time link to set one."""
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            person = User(
                username=data["username"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                email=data["email"],
            )
            person.set_unusable_password()
            person.save()
            user_roles_set(
                user=person,
                acting_user=request.user,
                roles=data["roles"],
                teams=[team.code for team in data["teams"]],
                director_levels=data["director_levels"],
            )
            accounts.invitation_send(user=person, acting_user=request.user)
        messages.success(
            request, _("%(name)s has been invited. The link in the email works once.") % {"name": person.display_name}
        )
        return redirect("people:detail", pk=person.pk)
    return render(request, "people/invite.html", {"form": form})


@require_POST
@administrators_only
def person_invite_again(request, pk):
    person = get_object_or_404(User, pk=pk, is_active=True)
    if person.has_usable_password():
        messages.error(request, _("%(name)s has already set a password.") % {"name": person.display_name})
    else:
        accounts.invitation_send(user=person, acting_user=request.user)
        messages.success(request, _("A new invitation has been sent; the earlier link no longer works."))
    return redirect("people:detail", pk=person.pk)


def _confirmed_action(request, pk, *, template, action, done):
    person = get_object_or_404(User, pk=pk)
    if person.pk == request.user.pk:
        messages.error(request, _("Another administrator does this for you."))
        return redirect("people:detail", pk=person.pk)
    if request.method == "POST":
        action(person)
        messages.success(request, done % {"name": person.display_name})
        return redirect("people:detail", pk=person.pk)
    return render(request, template, {"person": person})


@require_http_methods(["GET", "POST"])
@administrators_only
def person_deactivate(request, pk):
    return _confirmed_action(
        request,
        pk,
        template="people/deactivate_confirm.html",
        action=lambda person: accounts.user_set_active(user=person, acting_user=request.user, active=False),
        done=_("%(name)s has been deactivated and signed out everywhere."),
    )


@require_POST
@administrators_only
def person_reactivate(request, pk):
    return _confirmed_action(
        request,
        pk,
        template="people/deactivate_confirm.html",
        action=lambda person: accounts.user_set_active(user=person, acting_user=request.user, active=True),
        done=_("%(name)s can sign in again."),
    )


@require_http_methods(["GET", "POST"])
@administrators_only
def person_mfa_reset(request, pk):
    return _confirmed_action(
        request,
        pk,
        template="people/mfa_reset_confirm.html",
        action=lambda person: accounts.mfa_reset(user=person, acting_user=request.user),
        done=_(
            "Two-factor authentication for %(name)s has been reset and they were signed out everywhere. "
            "They set up a new authenticator at their next sign-in."
        ),
    )
