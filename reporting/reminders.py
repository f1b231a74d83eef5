"""Reminder emails (issue 17): `manage.py send_reminders [--dry-run]` and daily by Celery beat.

- a return due in 5 days, and an overdue return, to each member of the teams that enter it;
- a weekly digest to each director of what awaits them (the work queue's director sections).

Each goes once per event: a ReminderSent row (kind, person, return or week) is written with the
email, so running the command twice sends nothing twice. Each person may switch either off
(ReminderPreference). Each is written in the recipient's language, with a link.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from assurance import selectors as assurance_selectors
from assurance.access import can_enter_return
from providers.periods import format_period, shift
from providers.roles import DIRECTOR, TEAM_MEMBER

from .models import ReminderPreference, ReminderSent
from .work_queue import director_sections

DUE_SOON_DAYS = 5


@dataclass
class Reminder:
    """One email to one person about one event."""

    kind: str
    user: object
    key: str
    subject: object  # called inside the recipient's language
    body: object
    url: str


def _wants(user, kind):
    preference = ReminderPreference.objects.filter(user=user).first()
    if preference is None:
        return True
    return preference.digest if kind == ReminderSent.Kind.DIGEST else preference.returns


def _recipients(role):
    return list(get_user_model().objects.filter(is_active=True, groups__name=role).exclude(email="").distinct())


def return_reminders(today):
    """Returns due within 5 days (not yet submitted) and overdue returns, per team member."""
    reminders = []
    members = list(_recipients(TEAM_MEMBER))
    period = shift(today.replace(day=1), -1)
    for month in (shift(period, -1), period):
        overview = assurance_selectors.collection_overview(month, today)
        deadline = overview["deadline"]
        days_left = (deadline - today).days
        for row in overview["rows"]:
            state, provider = row["state"], row["provider"]
            if state == assurance_selectors.OVERDUE:
                kind = ReminderSent.Kind.RETURN_OVERDUE
            elif (
                state in (assurance_selectors.NOT_STARTED, assurance_selectors.DRAFT)
                and 0 <= days_left <= DUE_SOON_DAYS
            ):
                kind = ReminderSent.Kind.RETURN_DUE
            else:
                continue
            url = reverse("assurance:return_entry", args=[provider.code, format_period(month)])
            for user in members:
                if not can_enter_return(user, provider):
                    continue
                what = {"provider": provider.name, "month_": month, "deadline_": deadline}
                reminders.append(
                    Reminder(
                        kind,
                        user,
                        f"{provider.code}:{format_period(month)}",
                        _subject(kind, what),
                        _body(kind, what),
                        url,
                    )
                )
    return reminders


def _subject(kind, what):
    def subject():
        words = {"provider": what["provider"], "month": date_format(what["month_"], "F Y")}
        if kind == ReminderSent.Kind.RETURN_OVERDUE:
            return _("Overdue: the return for %(provider)s, %(month)s") % words
        return _("Due soon: the return for %(provider)s, %(month)s") % words

    return subject


def _body(kind, what):
    def body():
        words = {
            "provider": what["provider"],
            "month": date_format(what["month_"], "F Y"),
            "deadline": date_format(what["deadline_"], "j F Y"),
        }
        if kind == ReminderSent.Kind.RETURN_OVERDUE:
            return (
                _("The return for %(provider)s, %(month)s was due by %(deadline)s and has not been submitted.") % words
            )
        return _("The return for %(provider)s, %(month)s is due by %(deadline)s.") % words

    return body


def digest_reminders(today):
    """A weekly digest per director, when something awaits them (keyed by the ISO week)."""
    year, week, _weekday = today.isocalendar()
    reminders = []
    for user in _recipients(DIRECTOR):
        sections = director_sections(user, today)
        if not any(section.count for section in sections):
            continue

        def body(sections=sections, user=user):
            # Built again inside the recipient's language: the section titles are translated.
            lines = [_("This week, awaiting you:"), ""]
            for section in director_sections(user, today):
                lines.append(f"- {section.title}: {section.count}")
            return "\n".join(lines)

        reminders.append(
            Reminder(
                ReminderSent.Kind.DIGEST,
                user,
                f"{year}-W{week:02d}",
                lambda: _("What awaits you this week"),
                body,
                reverse("home"),
            )
        )
    return reminders


def send_reminders(*, today, dry_run=False):
    """Send every reminder not yet sent and wanted; the list of those sent (or, dry, to be sent)."""
    sent = []
    for reminder in return_reminders(today) + digest_reminders(today):
        if not _wants(reminder.user, reminder.kind):
            continue
        if ReminderSent.objects.filter(kind=reminder.kind, user=reminder.user, key=reminder.key).exists():
            continue
        if dry_run:
            sent.append(reminder)
            continue
        try:
            with transaction.atomic():
                ReminderSent.objects.create(kind=reminder.kind, user=reminder.user, key=reminder.key)
                with translation.override(reminder.user.language or settings.LANGUAGE_CODE):
                    subject = reminder.subject()
                    text = f"{reminder.body()}\n\n{_('Open it:')} {settings.SITE_URL}{reminder.url}\n\n" + _(
                        "You can switch these emails off on your reminders page: %(url)s"
                    ) % {"url": f"{settings.SITE_URL}{reverse('reporting:reminder_settings')}"}
                send_mail(subject, text, None, [reminder.user.email])
        except IntegrityError:  # sent by a run at the same moment
            continue
        sent.append(reminder)
    return sent
