"""The one write path of returns (assurance.services.returns_write): the form, the upload and
the command-line import all go through it, so every write raises the version of the returns it
changes and an editor who opened the return before any other write is refused as stale."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assurance import services
from assurance.models import IndicatorValue, MonthlyReturn, RatingRun
from tests.assurance.factories import IndicatorFactory, JudgementIndicatorFactory
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
SEPTEMBER = date(2026, 9, 1)
HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"


@pytest.fixture
def setup(db):
    provider = ContractFactory(
        provider__code="7A4",
        provider__name="Cardiff and Vale",
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
    ).provider
    rtt = IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned")
    leadership = JudgementIndicatorFactory(code="leadership", name="Changes to leadership")
    return {"provider": provider, "rtt": rtt, "leadership": leadership}


def session(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(setup, *, version, rtt="96", note=""):
    rtt_id, lead_id = setup["rtt"].pk, setup["leadership"].pk
    return {
        "version": str(version),
        "save": "1",
        f"i{rtt_id}-status": "reported",
        f"i{rtt_id}-value": rtt,
        f"i{rtt_id}-rag": "",
        f"i{rtt_id}-note": note,
        f"i{lead_id}-status": "reported",
        f"i{lead_id}-value": "",
        f"i{lead_id}-rag": "G",
        f"i{lead_id}-note": "",
    }


def rtt_value():
    return IndicatorValue.objects.get(indicator__code="rtt", monthly_return__period=SEPTEMBER).value


@pytest.mark.parametrize("return_exists", [True, False], ids=["submitted return", "no return yet"])
def test_a_form_opened_before_an_upload_is_refused_as_stale_and_the_upload_is_kept(setup, team_member, return_exists):
    url = reverse("assurance:return_entry", args=["7A4", "2026-09"])
    if return_exists:
        session(team_member).post(url, {**form_data(setup, version=0, rtt="96"), "submit": "1"})
    # 1. Session A opens the return.
    a = session(team_member)
    opened_at = a.get(url).context["version"]
    # 2. Session B uploads a corrected value: checked first, then saved from the upload's page.
    b = session(team_member)
    checked = b.post(
        reverse("assurance:returns_import"),
        {
            "kind": "returns",
            "file": SimpleUploadedFile("returns.csv", (HEADER + "7A4,rtt,2026-09,91,,,\n").encode()),
        },
        follow=True,
    )
    uploaded = b.post(checked.context["job"].get_absolute_url(), {"action": "save"}, follow=True)
    assert "1 rows imported" in uploaded.content.decode()
    assert rtt_value() == Decimal("91")
    # 3. Session A saves a note on the value as it saw it: refused as stale, nothing overwritten.
    response = a.post(url, form_data(setup, version=opened_at, rtt="96", note="Checked with the trust"))
    assert response.status_code == 200
    assert "Someone else saved this return" in response.content.decode()
    assert rtt_value() == Decimal("91")
    assert MonthlyReturn.objects.get().version > opened_at


# The service -------------------------------------------------------------------------------


def rtt_row(setup, value="96", note="", period=SEPTEMBER, status="reported"):
    return services.ReturnValue(
        setup["provider"].pk,
        period,
        setup["rtt"],
        status,
        None if value is None else Decimal(value),
        "",
        note,
    )


def lead_row(setup, rag="G", period=SEPTEMBER):
    return services.ReturnValue(setup["provider"], period, setup["leadership"], "reported", None, rag, "")


def test_a_first_write_creates_the_return_at_version_1_with_its_history(setup, team_member):
    written = services.returns_write(rows=[rtt_row(setup), lead_row(setup)], user=team_member)
    monthly_return = MonthlyReturn.objects.get()
    assert (monthly_return.status, monthly_return.version) == ("draft", 1)
    assert (written.created, written.updated, written.unchanged) == (2, 0, 0)
    assert written.returns[(setup["provider"].pk, SEPTEMBER)] == monthly_return
    assert [(h.history_type, h.version, h.history_user) for h in monthly_return.history.all()] == [
        ("+", 1, team_member)
    ]
    assert {h.history_user for h in IndicatorValue.history.all()} == {team_member}
    assert written.rating_run is None  # a draft feeds no rating


def test_every_write_that_changes_a_return_raises_its_version_and_one_that_changes_nothing_does_not(setup, team_member):
    services.returns_write(rows=[rtt_row(setup)], user=team_member)
    services.returns_write(rows=[rtt_row(setup, "91")], user=team_member, submit=True, resubmit=False)
    assert MonthlyReturn.objects.get().version == 2
    unchanged = services.returns_write(rows=[rtt_row(setup, "91")], user=team_member, submit=True, resubmit=False)
    assert (unchanged.unchanged, unchanged.changed, unchanged.rating_run) == (1, set(), None)
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.version == 2 and monthly_return.history.count() == 2
    services.returns_write(rows=[rtt_row(setup, "91", note="Checked")], user=team_member)
    assert MonthlyReturn.objects.get().version == 3


def test_a_stale_version_writes_nothing(setup, team_member):
    services.returns_write(rows=[rtt_row(setup)], user=team_member, versions={(setup["provider"], SEPTEMBER): 0})
    with pytest.raises(services.StaleReturn) as stale:
        services.returns_write(
            rows=[rtt_row(setup, "80"), lead_row(setup)],
            user=team_member,
            versions={(setup["provider"].pk, SEPTEMBER): 0},
        )
    assert stale.value.monthly_return.version == 1
    assert rtt_value() == Decimal("96") and IndicatorValue.objects.count() == 1
    assert MonthlyReturn.objects.get().version == 1


def test_a_stale_first_save_leaves_no_return_behind(setup, team_member):
    with pytest.raises(services.StaleReturn):
        services.returns_write(rows=[rtt_row(setup)], user=team_member, versions={(setup["provider"].pk, SEPTEMBER): 4})
    assert not MonthlyReturn.objects.exists() and not IndicatorValue.objects.exists()


def test_a_submission_is_stamped_and_a_resubmission_only_when_asked(setup, team_member, other_team_member):
    services.returns_write(rows=[rtt_row(setup)], user=team_member, submit=True)
    first = MonthlyReturn.objects.get()
    assert (first.status, first.submitted_by) == ("submitted", team_member)
    services.returns_write(rows=[rtt_row(setup, "91")], user=other_team_member, submit=True, resubmit=False)
    kept = MonthlyReturn.objects.get()
    assert (kept.submitted_at, kept.submitted_by) == (
        first.submitted_at,
        team_member,
    )  # an upload keeps it
    services.returns_write(rows=[rtt_row(setup, "91")], user=other_team_member, submit=True)
    renewed = MonthlyReturn.objects.get()
    assert renewed.submitted_by == other_team_member and renewed.submitted_at > first.submitted_at
    assert renewed.version == 3


def test_changes_to_received_returns_are_rerated_with_the_trigger_given(setup, team_member):
    written = services.returns_write(
        rows=[rtt_row(setup), rtt_row(setup, "90", period=date(2026, 8, 1))],
        user=team_member,
        submit=True,
        trigger=RatingRun.Trigger.IMPORT,
    )
    run = written.rating_run
    assert (run.periods, run.provider_ids, run.trigger, run.requested_by) == (
        ["2026-08", "2026-09"],
        [setup["provider"].pk],
        "import",
        team_member,
    )


def test_a_locked_month_or_return_is_refused_and_nothing_is_written(setup, team_member, administrator):
    services.period_lock(period=SEPTEMBER, user=administrator)
    with pytest.raises(services.ReturnLocked) as refused:
        services.returns_write(rows=[rtt_row(setup), rtt_row(setup, period=date(2026, 8, 1))], user=team_member)
    assert refused.value.keys == [(setup["provider"].pk, SEPTEMBER)]
    assert not MonthlyReturn.objects.exists()
    services.period_unlock(period=SEPTEMBER, user=administrator, reason="Correction")
    services.returns_write(rows=[rtt_row(setup)], user=team_member, submit=True)
    MonthlyReturn.objects.update(status="locked")
    with pytest.raises(services.ReturnLocked):
        services.returns_write(rows=[rtt_row(setup, "80")], user=team_member)
    assert rtt_value() == Decimal("96")


@pytest.mark.parametrize(
    ("row", "key", "message"),
    [
        (lambda s: rtt_row(s, "101"), "rows[0].value", "between 0 and 100"),
        (lambda s: rtt_row(s, None), "rows[0].value", "Enter the value"),
        (lambda s: rtt_row(s, "90", status="missing"), "rows[0].value", "Leave the value blank"),
        (lambda s: rtt_row(s, status="later"), "rows[0].status", "not a valid code"),
        (lambda s: lead_row(s, rag=""), "rows[0].rag", "Choose Green, Amber or Red"),
        (lambda s: rtt_row(s, note="x" * 4001), "rows[0].note", "Keep the note under"),
    ],
)
def test_a_result_the_methodology_refuses_is_a_validation_error(setup, team_member, row, key, message):
    with pytest.raises(ValidationError) as invalid:
        services.returns_write(rows=[row(setup)], user=team_member)
    assert message in " ".join(invalid.value.message_dict[key])
    assert not MonthlyReturn.objects.exists()


def test_history_rows_carry_the_reason_given(setup, team_member):
    services.returns_write(rows=[rtt_row(setup)], user=team_member, reason="Imported from returns.csv")
    services.returns_write(rows=[rtt_row(setup, "91")], user=team_member, reason="Imported from fix.csv")
    assert [h.history_change_reason for h in IndicatorValue.history.order_by("history_date")] == [
        "Imported from returns.csv",
        "Imported from fix.csv",
    ]


def test_the_command_line_import_raises_the_version_too(setup, team_member, tmp_path):
    services.returns_write(rows=[rtt_row(setup)], user=team_member, submit=True)
    path = tmp_path / "returns.csv"
    path.write_text(HEADER + "7A4,rtt,2026-09,91,,,\n")
    call_command("import_returns", str(path), stdout=open("/dev/null", "w"))
    assert MonthlyReturn.objects.get().version == 2 and rtt_value() == Decimal("91")
