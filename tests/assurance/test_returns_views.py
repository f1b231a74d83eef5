"""Monthly return entry, the collection overview, locking, and who may do what."""

import re
from datetime import date, datetime
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from assurance.models import IndicatorValue, MonthlyReturn, PeriodLock
from assurance.services import period_lock
from providers.models import CommissioningTeam
from tests.assurance.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    JudgementIndicatorFactory,
    MonthlyReturnFactory,
)
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"


@pytest.fixture
def setup(db):
    """A cardiac provider (Alice's team), two indicators, and a mental health provider."""
    cardiac = ContractFactory(
        provider__code="7A4", provider__name="Cardiff and Vale", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31)
    )
    mental = ContractFactory(
        provider__code="NQ1",
        provider__name="Cefn Coed",
        commissioning_team=CommissioningTeam.objects.get(code="mental_health"),
    )
    rtt = IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned")
    leadership = JudgementIndicatorFactory(code="leadership", name="Changes to leadership")
    return {"provider": cardiac.provider, "other": mental.provider, "rtt": rtt, "leadership": leadership}


def entry_url(provider, period=PERIOD):
    return reverse("assurance:return_entry", args=[provider.code, period])


def post_data(setup, rtt="96", rtt_status="reported", rag="G", note="", version=0, submit=False, rtt_note=""):
    data = {
        "version": str(version),
        f"i{setup['rtt'].pk}-status": rtt_status,
        f"i{setup['rtt'].pk}-value": rtt,
        f"i{setup['rtt'].pk}-rag": "",
        f"i{setup['rtt'].pk}-note": rtt_note,
        f"i{setup['leadership'].pk}-status": "reported",
        f"i{setup['leadership'].pk}-value": "",
        f"i{setup['leadership'].pk}-rag": rag,
        f"i{setup['leadership'].pk}-note": note,
    }
    data["submit" if submit else "save"] = "1"
    return data


def test_the_entry_page_lists_applicable_indicators_with_unit_target_and_history(as_user, setup):
    for month, value in [(date(2026, 7, 1), "93.5"), (date(2026, 8, 1), "94")]:
        IndicatorValueFactory(
            monthly_return=MonthlyReturnFactory(provider=setup["provider"], period=month, status="submitted"),
            indicator=setup["rtt"],
            value=Decimal(value),
        )
    page = as_user("team_member").get(entry_url(setup["provider"])).content.decode()
    assert "RTT 26 weeks (%)" in page and "Changes to leadership" in page
    assert "target 95" in page and "amber from 90" in page
    assert "93.5" in page and "94" in page
    assert (
        page.index('id="area-access-title">Access</h2>')
        < page.index("RTT 26 weeks")
        < page.index("Changes to leadership")
    )


def test_save_as_draft_then_submit(as_user, setup, team_member):
    client = as_user("team_member")
    response = client.post(entry_url(setup["provider"]), post_data(setup))
    assert response.status_code == 302
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == "draft" and monthly_return.version == 1
    assert IndicatorValue.objects.get(indicator=setup["rtt"]).value == Decimal("96")
    response = client.post(
        entry_url(setup["provider"]), post_data(setup, rtt="97", version=1, submit=True), follow=True
    )
    monthly_return.refresh_from_db()
    assert monthly_return.status == "submitted"
    assert monthly_return.submitted_by == team_member
    assert "has been submitted" in response.content.decode()
    history = client.get(entry_url(setup["provider"])).content.decode().split("Change history")[1]
    assert "RTT 26 weeks (%)" in history and "96" in history and "97" in history


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"rtt": "101"}, "A percentage must be between 0 and 100."),
        ({"rtt": "lots"}, "Enter a number"),
        ({"rtt": ""}, "Enter the value"),
        ({"rag": ""}, "Choose Green, Amber or Red"),
        ({"rtt_status": "missing"}, "Leave the value blank"),
    ],
)
def test_blocking_validation_keeps_what_was_typed(as_user, setup, overrides, message):
    response = as_user("team_member").post(
        entry_url(setup["provider"]), post_data(setup, note="Kept note", **overrides)
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page and message in page
    assert "Kept note" in page
    assert not MonthlyReturn.objects.exists()


def test_an_unusual_value_needs_a_confirming_note_before_submission(as_user, setup):
    for month in range(1, 9):
        IndicatorValueFactory(
            monthly_return=MonthlyReturnFactory(
                provider=setup["provider"], period=date(2026, month, 1), status="submitted"
            ),
            indicator=setup["rtt"],
            value=Decimal(94 + month % 2),
        )
    client = as_user("team_member")
    response = client.post(entry_url(setup["provider"]), post_data(setup, rtt="60", submit=True))
    assert "outside this indicator" in response.content.decode()
    assert not MonthlyReturn.objects.filter(period=date(2026, 9, 1)).exists()
    draft = client.post(entry_url(setup["provider"]), post_data(setup, rtt="60"))
    assert draft.status_code == 302  # a draft may be saved with the warning
    warned = client.get(entry_url(setup["provider"])).content.decode()
    assert "Outside usual range" in warned
    confirmed = client.post(
        entry_url(setup["provider"]),
        post_data(setup, rtt="60", version=1, submit=True, rtt_note="Confirmed: theatre closure"),
    )
    assert confirmed.status_code == 302
    assert MonthlyReturn.objects.get(period=date(2026, 9, 1)).status == "submitted"


def test_the_later_of_two_concurrent_saves_is_refused_and_keeps_its_input(as_user, setup):
    client = as_user("team_member")
    client.post(entry_url(setup["provider"]), post_data(setup, rtt="96", version=0))  # first editor
    response = client.post(entry_url(setup["provider"]), post_data(setup, rtt="88", version=0, note="Mine"))
    page = response.content.decode()
    assert "Someone else saved this return" in page
    assert 'value="88"' in page and "Mine" in page
    assert IndicatorValue.objects.get(indicator=setup["rtt"]).value == Decimal("96")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("team_member", 200),
        ("other_team_member", 403),
        ("service_director", 200),
        ("administrator", 200),
        ("committee_member", 403),
        ("no_role_user", 403),
    ],
)
def test_who_may_open_a_providers_return(as_user, setup, persona, status):
    assert as_user(persona).get(entry_url(setup["provider"])).status_code == status


@pytest.mark.parametrize("persona", ["other_team_member", "service_director", "administrator", "committee_member"])
def test_only_the_providers_teams_may_save_a_return(as_user, setup, persona):
    response = as_user(persona).post(entry_url(setup["provider"]), post_data(setup))
    assert response.status_code == 403
    assert not MonthlyReturn.objects.exists()


def test_a_locked_month_refuses_edits_with_a_clear_message(as_user, setup, administrator):
    period_lock(period=date(2026, 9, 1), user=administrator)
    client = as_user("team_member")
    page = client.get(entry_url(setup["provider"])).content.decode()
    assert "This month is locked" in page and "Submit return" not in page
    response = client.post(entry_url(setup["provider"]), post_data(setup), follow=True)
    assert response.redirect_chain[-1][0] == entry_url(setup["provider"])
    assert "September 2026 is locked after sign-off, so its returns cannot be changed." in response.content.decode()
    assert not MonthlyReturn.objects.exists()


def test_locking_and_unlocking_are_recorded_and_unlock_needs_a_reason(as_user, setup):
    director = as_user("service_director")
    director.post(reverse("assurance:lock_period", args=[PERIOD]))
    assert PeriodLock.objects.get().locked
    assert director.get(reverse("assurance:unlock_period", args=[PERIOD])).status_code == 403
    admin = as_user("administrator")
    response = admin.post(reverse("assurance:unlock_period", args=[PERIOD]), {"reason": " "})
    assert "Enter the reason" in response.content.decode()
    assert PeriodLock.objects.get().locked
    admin.post(reverse("assurance:unlock_period", args=[PERIOD]), {"reason": "Late correction to RTT"})
    lock = PeriodLock.objects.get()
    assert not lock.locked
    assert [e.action for e in lock.events.all()] == ["unlock", "lock"]
    assert lock.events.first().reason == "Late correction to RTT"
    page = admin.get(reverse("assurance:collection") + f"?period={PERIOD}").content.decode()
    assert "Late correction to RTT" in page


@pytest.mark.parametrize("persona", ["team_member", "committee_member"])
def test_only_directors_and_administrators_lock_months(as_user, setup, persona):
    assert as_user(persona).post(reverse("assurance:lock_period", args=[PERIOD])).status_code == 403
    assert not PeriodLock.objects.exists()


@time_machine.travel(datetime(2026, 10, 20, 12, 0))
def test_collection_overview_states_completeness_and_overdue(as_user, setup, django_assert_max_num_queries):
    on_time = MonthlyReturnFactory(
        provider=setup["provider"],
        period=date(2026, 9, 1),
        status="submitted",
        submitted_at=timezone.make_aware(datetime(2026, 10, 14, 9)),
    )
    IndicatorValueFactory(monthly_return=on_time, indicator=setup["rtt"])
    client = as_user("team_member")
    # 22: with the reader's teams for the grid links (issue 17) and the second-factor check (issue 15).
    with django_assert_max_num_queries(22):
        response = client.get(reverse("assurance:collection"), {"period": PERIOD})
    rows = {r["provider"].code: r for r in response.context["rows"]}
    assert rows["7A4"]["state"] == "submitted"
    assert (rows["7A4"]["present"], rows["7A4"]["expected"]) == (1, 2)
    assert rows["NQ1"]["state"] == "overdue"  # deadline was 15 October
    page = response.content.decode()
    assert "1 return is overdue" in page
    assert page.index("Cefn Coed") < page.index("Cardiff and Vale")  # overdue first
    overall = response.context["overall"]
    assert overall["completeness"] == 25 and overall["timeliness"] == 50 and overall["overdue"] == 1


@time_machine.travel(datetime(2026, 10, 20, 12, 0))
def test_a_return_submitted_after_the_deadline_is_late(as_user, setup):
    MonthlyReturnFactory(
        provider=setup["provider"],
        period=date(2026, 9, 1),
        status="submitted",
        submitted_at=timezone.make_aware(datetime(2026, 10, 16, 9)),
    )
    response = as_user("service_director").get(reverse("assurance:collection"), {"period": PERIOD})
    rows = {r["provider"].code: r for r in response.context["rows"]}
    assert rows["7A4"]["state"] == "late"


def test_the_committee_cannot_see_the_collection(as_user):
    assert as_user("committee_member").get(reverse("assurance:collection")).status_code == 403


def test_error_summary_links_go_to_the_fields(as_user, setup):
    response = as_user("team_member").post(entry_url(setup["provider"]), post_data(setup, rtt="101"))
    page = response.content.decode()
    anchor = f'href="#id_i{setup["rtt"].pk}-value"'
    assert anchor in page
    assert f'id="id_i{setup["rtt"].pk}-value"' in page


@pytest.mark.parametrize(
    ("submitted_utc", "state"),
    [
        (datetime(2026, 10, 15, 22, 30), "submitted"),  # 23:30 on the 15th in London (BST): on time
        (datetime(2026, 10, 15, 23, 30), "late"),  # 00:30 on the 16th in London: after the deadline
    ],
)
def test_lateness_is_judged_on_the_london_date(submitted_utc, state):
    from datetime import UTC

    from assurance.selectors import return_state

    monthly_return = MonthlyReturn(
        period=date(2026, 9, 1), status="submitted", submitted_at=submitted_utc.replace(tzinfo=UTC)
    )
    assert return_state(monthly_return, date(2026, 10, 15), date(2026, 10, 20), False) == state


def test_a_return_changed_many_times_lists_its_latest_changes_and_says_so(as_user, setup, monkeypatch):
    """A return saved hundreds of times read and listed every change on each look (issue 20's load
    test saves the same returns over and over): the newest records are read, and the page says so."""
    from assurance import views

    monkeypatch.setattr(views, "RETURN_HISTORY_RECORDS", 2)
    client = as_user("team_member")
    for version, value in enumerate(["96", "97", "98", "99"]):
        assert (
            client.post(entry_url(setup["provider"]), post_data(setup, rtt=value, version=version)).status_code == 302
        )
    page = client.get(entry_url(setup["provider"])).content.decode()
    history = page.split("Change history")[1]
    changes = re.findall(r"<del>([0-9.]+)</del>", history)
    assert changes == ["98.0000"]  # 98 to 99 listed; 96 to 97 and 97 to 98 are older than the records read
    assert "only its most recent changes are listed" in page
