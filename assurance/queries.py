"""Queries on values and return for correction (issue 17): the writes, and the emails to the team.

A director or team member raises a query on one value of a return, with a comment and a
follow-up flag; the thread is answered and the query closed. A director sends a submitted return
back to draft with a reason. Each is a row with who and when (the audit), and the team that
enters the return is emailed, each person in their own language, with a link to the return.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from contracts.models import Contract

from .choices import ReturnStatus
from .models import MonthlyReturn, QueryComment, ReturnSentBack, ValueQuery
from .services import period_is_locked, request_recompute


def team_recipients(provider_id, *, exclude=None):
    """Active users with an email in the teams holding a commissioned contract with the provider."""
    teams = Contract.objects.commissioned().filter(provider_id=provider_id).values("commissioning_team_id")
    users = get_user_model().objects.filter(is_active=True, teams__in=teams).exclude(email="").distinct()
    if exclude is not None:
        users = users.exclude(pk=exclude.pk)
    return list(users)


def _email_team(monthly_return, *, actor, subject, body):
    """`subject` and `body` are functions of nothing, called inside each recipient's language."""
    url = f"{settings.SITE_URL}{monthly_return.get_absolute_url()}"
    for user in team_recipients(monthly_return.provider_id, exclude=actor):
        with translation.override(user.language or settings.LANGUAGE_CODE):
            text = f"{body()}\n\n{_('Open the return:')} {url}\n"
            message = (subject(), text, None, [user.email])
        transaction.on_commit(lambda m=message: send_mail(*m, fail_silently=True))


def _what(monthly_return):
    return {"provider": monthly_return.provider.name, "month": date_format(monthly_return.period, "F Y")}


def _text(text):
    text = (text or "").strip()
    if not text:
        raise ValidationError(_("Enter a comment."))
    return text


@transaction.atomic
def query_raise(*, monthly_return: MonthlyReturn, indicator, user, text: str, follow_up: bool = True) -> ValueQuery:
    """Open a query on one value of the return, with its first comment; the team is emailed."""
    query = ValueQuery.objects.create(
        monthly_return=monthly_return, indicator=indicator, raised_by=user, follow_up=follow_up
    )
    QueryComment.objects.create(query=query, author=user, text=_text(text))
    _email_team(
        monthly_return,
        actor=user,
        subject=lambda: _("A value in the return for %(provider)s, %(month)s has been queried") % _what(monthly_return),
        body=lambda: (
            _("%(who)s has queried %(indicator)s:") % {"who": user.display_name, "indicator": indicator.name}
            + f"\n\n{text.strip()}"
        ),
    )
    return query


@transaction.atomic
def query_reply(*, query: ValueQuery, user, text: str) -> QueryComment:
    """Add a comment to an open query's thread."""
    if query.status != ValueQuery.Status.OPEN:
        raise ValidationError(_("This query is closed."))
    comment = QueryComment.objects.create(query=query, author=user, text=_text(text))
    query.save(update_fields=["updated_at"])
    return comment


@transaction.atomic
def query_close(*, query: ValueQuery, user, text: str = "") -> ValueQuery:
    """Close a query (with a last comment, if given); the follow-up flag stays as set."""
    if query.status != ValueQuery.Status.OPEN:
        raise ValidationError(_("This query is closed."))
    if (text or "").strip():
        QueryComment.objects.create(query=query, author=user, text=text.strip())
    query.status = ValueQuery.Status.CLOSED
    query.closed_by = user
    query.closed_at = timezone.now()
    query.save(update_fields=["status", "closed_by", "closed_at", "updated_at"])
    return query


@transaction.atomic
def return_send_back(*, monthly_return: MonthlyReturn, user, reason: str) -> ReturnSentBack:
    """A submitted return back to draft for correction, with the reason; the team is emailed.

    The version is raised, so a save begun before it is refused (assurance.services.returns_write's
    optimistic locking), and the month's ratings are computed again without the return.
    """
    monthly_return = MonthlyReturn.objects.select_for_update().get(pk=monthly_return.pk)
    if monthly_return.status != ReturnStatus.SUBMITTED:
        raise ValidationError(_("Only a submitted return can be sent back for correction."))
    if period_is_locked(monthly_return.period):
        raise ValidationError(_("This month is locked after sign-off, so its returns cannot be changed."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Enter the reason for sending the return back."))
    monthly_return.status = ReturnStatus.DRAFT
    monthly_return.version += 1
    monthly_return.save(update_fields=["status", "version", "updated_at"])
    sent = ReturnSentBack.objects.create(monthly_return=monthly_return, sent_by=user, reason=reason)
    _email_team(
        monthly_return,
        actor=user,
        subject=lambda: (
            _("The return for %(provider)s, %(month)s has been sent back for correction") % _what(monthly_return)
        ),
        body=lambda: (
            _("%(who)s has sent the return back to draft. The reason:") % {"who": user.display_name}
            + f"\n\n{reason}\n\n"
            + _("Correct it and submit it again.")
        ),
    )
    request_recompute([monthly_return.provider_id], [monthly_return.period], user=user)
    return sent
