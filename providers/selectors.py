"""Reads for providers, services and teams, and the change history shown on pages."""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import CommissioningTeam, Invitation, Provider, Service, User

HISTORY_KINDS = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
HIDDEN_HISTORY_FIELDS = {"id", "created_at", "updated_at"}


def provider_list():
    # Aggregates drop Meta.ordering, so order explicitly (stable pagination).
    return Provider.objects.annotate(contract_count=Count("contracts", distinct=True)).order_by("name")


def service_list():
    return (
        Service.objects.select_related("commissioning_team")
        .annotate(contract_count=Count("contract_lines__contract", distinct=True))
        .order_by("name")
    )


def team_list():
    return CommissioningTeam.objects.annotate(
        service_count=Count("services", distinct=True),
        contract_count=Count("contracts", distinct=True),
        member_count=Count("members", distinct=True),
    ).order_by("name")


@dataclass
class HistoryEntry:
    when: object
    who: str
    kind: str
    subject: str
    changes: list = field(default_factory=list)  # [(label, old, new)]


def _display(model, field_name, value, fk_names):
    if value is None or value == "":
        return "—"
    model_field = model._meta.get_field(field_name)
    if model_field.is_relation:
        return fk_names.get((field_name, value), str(value))
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return str(value)


def history_entries(records, subject=lambda record: ""):
    """Turn simple-history records (of one or several objects) into readable entries.

    Each change is compared with the same object's previous record, without a query
    per record; foreign keys are named with one query per related model.
    """
    records = sorted(records, key=lambda r: (r.history_date, r.history_id))
    if not records:
        return []
    model = records[0].instance_type
    previous = {}
    raw = []
    fk_ids = {}
    for record in records:
        prev = previous.get(record.id)
        changes = []
        if prev is not None and record.history_type == "~":
            delta = record.diff_against(prev, excluded_fields=HIDDEN_HISTORY_FIELDS)
            for change in delta.changes:
                changes.append((change.field, change.old, change.new))
                model_field = model._meta.get_field(change.field)
                if model_field.is_relation:
                    fk_ids.setdefault(change.field, set()).update({change.old, change.new})
        previous[record.id] = record
        raw.append((record, changes))
    fk_names = {}
    for name, ids in fk_ids.items():
        related = model._meta.get_field(name).remote_field.model
        for pk, obj in related.objects.in_bulk([i for i in ids if i is not None]).items():
            fk_names[(name, pk)] = str(obj)
    entries = []
    for record, changes in reversed(raw):
        if record.history_type == "~" and not changes:
            continue  # a save that changed nothing visible
        user = record.history_user
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else _("System (import or command)"),
                kind=HISTORY_KINDS.get(record.history_type, record.history_type),
                subject=subject(record),
                changes=[
                    (
                        model._meta.get_field(name).verbose_name,
                        _display(model, name, old, fk_names),
                        _display(model, name, new, fk_names),
                    )
                    for name, old, new in changes
                ],
            )
        )
    return entries


def provider_history(provider):
    return history_entries(provider.history.select_related("history_user"))


# People (issue 15) ------------------------------------------------------------------------


def people_list():
    """Every account with whether it has a confirmed authenticator (has_mfa), for the people page."""
    confirmed = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.annotate(has_mfa=Exists(confirmed))
        .prefetch_related("groups", "teams")
        .order_by("last_name", "first_name", "username")
    )


def pending_invitations():
    """Invitations not yet accepted and not expired, newest first (a queryset: the work queue lists them)."""
    return Invitation.objects.filter(accepted_at=None, expires_at__gt=timezone.now(), user__is_active=True).order_by(
        "-created_at", "-pk"
    )


def grant_history(user):
    """Every grant and revocation for the user (roles, teams, levels, account, second factor)."""
    return user.role_grants.select_related("acting_user").order_by("-at", "-pk")
