"""Reminder emails (issue 17): due in 5 days, overdue, the directors' weekly digest; once each,
in the recipient's language, switchable off; `manage.py send_reminders [--dry-run]`."""

from datetime import UTC, date, datetime
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from escalation.models import ProviderEscalation, StepDownProposal
from reporting.models import ReminderPreference, ReminderSent
from reporting.reminders import send_reminders
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(catalogue, team_member, service_director):
    team_member.email = "alice@example.nhs.uk"
    team_member.save()
    service_director.email = "sian@example.nhs.uk"
    service_director.save()
    return ContractFactory(
        provider__code="7A4", provider__name="Cardiff and Vale", start_date=date(2025, 4, 1), end_date=date(2028, 3, 31)
    ).provider


def test_a_return_due_in_five_days_is_reminded_once(provider):
    # October's return is due by 15 November: on the 10th, five days before.
    sent = send_reminders(today=date(2026, 11, 10))
    kinds = sorted((r.kind, r.key) for r in sent if r.user.username == "alice")
    assert ("return_due", "7A4:2026-10") in kinds
    assert ("return_overdue", "7A4:2026-09") in kinds  # September's was due by 15 October
    due = next(m for m in mail.outbox if m.subject.startswith("Due soon"))
    assert due.to == ["alice@example.nhs.uk"]
    assert "Cardiff and Vale, October 2026" in due.subject and "/returns/7A4/2026-10/" in due.body
    outbox = len(mail.outbox)
    assert send_reminders(today=date(2026, 11, 11)) == []  # the same events: nothing again
    assert len(mail.outbox) == outbox


def test_nothing_is_said_of_a_return_more_than_five_days_from_its_deadline(provider):
    sent = send_reminders(today=date(2026, 11, 9))
    assert ("return_due", "7A4:2026-10") not in {(r.kind, r.key) for r in sent}


def test_a_person_who_switched_reminders_off_gets_none(provider, team_member):
    ReminderPreference.objects.create(user=team_member, returns=False)
    send_reminders(today=date(2026, 11, 10))
    assert not ReminderSent.objects.filter(user=team_member).exists()
    assert all(m.to != ["alice@example.nhs.uk"] for m in mail.outbox)


def test_reminders_are_written_in_the_recipients_language(provider, team_member):
    team_member.language = "cy"
    team_member.save()
    send_reminders(today=date(2026, 11, 10))
    subjects = {m.subject for m in mail.outbox if m.to == ["alice@example.nhs.uk"]}
    # The months in Welsh (Hydref: October, Medi: September); the sentences once translated.
    assert any("Hydref 2026" in s for s in subjects) and any("Medi 2026" in s for s in subjects)


def test_directors_get_a_weekly_digest_once_a_week(provider, service_director):
    ProviderEscalation.objects.create(provider=provider, level=2, since=datetime(2026, 1, 1, tzinfo=UTC))
    StepDownProposal.objects.create(
        provider=provider,
        period=date(2026, 10, 1),
        from_level=2,
        proposed_level=1,
        raised_at=datetime(2026, 11, 2, tzinfo=UTC),
    )
    send_reminders(today=date(2026, 11, 10))
    digest = [m for m in mail.outbox if m.to == ["sian@example.nhs.uk"]]
    assert len(digest) == 1 and "Step-downs awaiting your decision: 1" in digest[0].body
    send_reminders(today=date(2026, 11, 12))  # the same week
    assert len([m for m in mail.outbox if m.to == ["sian@example.nhs.uk"]]) == 1
    send_reminders(today=date(2026, 11, 17))  # the next week
    assert len([m for m in mail.outbox if m.to == ["sian@example.nhs.uk"]]) == 2


def test_the_command_dry_run_lists_and_sends_nothing(provider):
    out = StringIO()
    with time_machine.travel(datetime(2026, 11, 10, 9, 0, tzinfo=UTC)):
        call_command("send_reminders", "--dry-run", stdout=out)
    assert "Would send return_due to alice (7A4:2026-10)" in out.getvalue()
    assert mail.outbox == [] and not ReminderSent.objects.exists()


def test_a_person_switches_reminders_off_on_their_page(as_user, team_member):
    client = as_user("team_member")
    page = client.get("/account/reminders/").content.decode()
    assert "returns due and overdue" in page.lower() and "digest" not in page.lower()  # not a director
    client.post("/account/reminders/", {})
    assert ReminderPreference.objects.get(user=team_member).returns is False
