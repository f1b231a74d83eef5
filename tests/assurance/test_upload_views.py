"""The returns upload page, the XLSX template, and trajectories."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from assurance.models import IndicatorValue, MonthlyReturn, Trajectory
from providers.models import CommissioningTeam
from tests.assurance.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    JudgementIndicatorFactory,
    MonthlyReturnFactory,
)
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
UPLOAD = reverse("assurance:returns_import")


@pytest.fixture
def estate(db):
    cardiac = ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale")
    mental = ContractFactory(
        provider__code="NQ1",
        provider__name="Cefn Coed",
        commissioning_team=CommissioningTeam.objects.get(code="mental_health"),
    )
    return {
        "cardiac": cardiac.provider,
        "mental": mental.provider,
        "rtt": IndicatorFactory(code="rtt", area="access", setting="planned"),
        "leadership": JudgementIndicatorFactory(code="leadership"),
    }


def upload(client, text, kind="returns", dry_run=False, name="returns.csv"):
    """Upload a file (checked first, in its job), then save it unless `dry_run` (check only)."""
    data = {"kind": kind, "file": SimpleUploadedFile(name, text if isinstance(text, bytes) else text.encode())}
    response = client.post(UPLOAD, data, follow=True)
    job = response.context.get("job") if response.context else None
    if dry_run or job is None or job.outcome != "checked":
        return response
    return client.post(job.get_absolute_url(), {"action": "save"}, follow=True)


RETURNS = (
    "provider_code,indicator_code,period,value,rag,status,note\n7A4,rtt,2026-09,96,,,\n7A4,leadership,2026-09,,G,,\n"
)


def test_a_team_member_uploads_their_providers_returns(as_user, estate, team_member):
    response = upload(as_user("team_member"), RETURNS)
    assert "2 rows imported: 2 created" in response.content.decode()
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == "submitted" and monthly_return.submitted_by == team_member


def test_a_team_member_cannot_upload_another_teams_provider(as_user, estate):
    response = upload(as_user("team_member"), RETURNS.replace("7A4", "NQ1"))
    page = response.content.decode()
    assert "Nothing was saved" in page and "do not commission from NQ1" in page
    assert not MonthlyReturn.objects.exists()


def test_a_bad_upload_lists_every_row_with_its_line(as_user, estate):
    text = RETURNS + "7A4,rtt,2026-08,101,,,\n7A4,nope,2026-08,1,,,\n"
    page = upload(as_user("administrator"), text).content.decode()
    assert "has 2 problems. Nothing was saved." in page
    assert "line 4" in page and "A percentage must be between 0 and 100." in page
    assert "line 5" in page and "No indicator has the code" in page
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("persona", ["service_director", "committee_member", "no_role_user"])
def test_only_teams_and_administrators_upload(as_user, estate, persona):
    assert as_user(persona).get(UPLOAD).status_code == 403
    assert upload(as_user(persona), RETURNS).status_code == 403
    assert not MonthlyReturn.objects.exists()


def test_the_xlsx_template_round_trips(as_user, estate):
    IndicatorValueFactory(
        monthly_return=MonthlyReturnFactory(provider=estate["cardiac"], period=date(2026, 9, 1)),
        indicator=estate["rtt"],
        value=Decimal("93.5"),
    )
    client = as_user("team_member")
    response = client.get(reverse("assurance:return_template"), {"team": "cardiac", "period": "2026-09"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:7] == ("provider_code", "indicator_code", "period", "value", "rag", "status", "note")
    by_indicator = {row[1]: row for row in rows[1:]}
    assert set(by_indicator) == {"rtt", "leadership"}
    assert by_indicator["rtt"][3] == 93.5  # the saved value is filled in
    assert {row[0] for row in rows[1:]} == {"7A4"}  # only the team's providers
    # Fill in the blank judgement and upload the same workbook.
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "leadership":
            row[4].value = "A"
            row[6].value = "Interim medical director"
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = upload(client, buffer.getvalue(), name="returns-cardiac.xlsx").content.decode()
    assert "created" in page and "There is a problem" not in page
    assert IndicatorValue.objects.get(indicator=estate["leadership"]).rag == "A"


def test_the_template_is_only_for_the_users_own_teams(as_user, estate):
    response = as_user("team_member").get(
        reverse("assurance:return_template"), {"team": "mental_health", "period": "2026-09"}
    )
    assert response.status_code == 404


def test_trajectories_form_and_list(as_user, estate):
    client = as_user("team_member")
    data = {"provider": estate["cardiac"].pk, "indicator": estate["rtt"].pk, "period_text": "2026-12", "value": "88"}
    response = client.post(reverse("assurance:trajectory_create"), data, follow=True)
    assert "has been saved" in response.content.decode()
    assert Trajectory.objects.get().period == date(2026, 12, 1)
    again = client.post(reverse("assurance:trajectory_create"), data)
    assert "already agreed" in again.content.decode()
    bad = client.post(reverse("assurance:trajectory_create"), {**data, "period_text": "Dec", "value": "120"})
    page = bad.content.decode()
    assert "YYYY-MM" in page and "between 0 and 100" in page
    other = client.post(
        reverse("assurance:trajectory_create"), {**data, "provider": estate["mental"].pk, "period_text": "2027-01"}
    )
    assert "Select a valid choice" in other.content.decode()  # not one of the team's providers
    assert "Cardiff and Vale" in client.get(reverse("assurance:trajectory_list")).content.decode()


def test_trajectories_upload(as_user, estate):
    text = "provider_code,indicator_code,period,value\n7A4,rtt,2026-10,90\n7A4,rtt,2026-11,92\n"
    response = upload(as_user("administrator"), text, kind="trajectories", name="trajectories.csv")
    assert response.redirect_chain[-1][0] == reverse("assurance:trajectory_list")
    assert Trajectory.objects.count() == 2


def test_administrators_maintain_the_catalogue_in_the_browser(as_user):
    from assurance.models import Indicator
    from tests.providers.factories import ServiceFactory

    tavi = ServiceFactory(code="tavi")
    client = as_user("administrator")
    data = {
        "code": "tavi_mortality",
        "name": "TAVI 30-day mortality (%)",
        "area": "quality_safety",
        "setting": "",
        "domain": "outcome",
        "cohort": "treated",
        "unit": "percent",
        "polarity": "lower_better",
        "target": "3",
        "amber_threshold": "2",
        "services": [tavi.pk],
        "active": "on",
        "critical": "on",
    }
    response = client.post(reverse("assurance:indicator_create"), data)
    assert "far side of the target" in response.content.decode()
    response = client.post(reverse("assurance:indicator_create"), {**data, "amber_threshold": "4"}, follow=True)
    assert "has been saved" in response.content.decode()
    indicator = Indicator.objects.get(code="tavi_mortality")
    assert indicator.critical and list(indicator.services.all()) == [tavi]
    listing = client.get(reverse("assurance:indicator_list"), {"area": "quality_safety"}).content.decode()
    assert "TAVI 30-day mortality" in listing and "≤ 3" in listing
