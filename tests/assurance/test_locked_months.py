"""A locked month is final (METHODOLOGY 4): no form save, upload or command-line import
changes its values; each is refused with a clear message, uploads listing every row."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assurance import services
from assurance.models import IndicatorValue, MonthlyReturn
from assurance.services import period_lock
from tests.assurance.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    JudgementIndicatorFactory,
    MonthlyReturnFactory,
)
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
SEPTEMBER = date(2026, 9, 1)
UPLOAD = reverse("assurance:returns_import")
HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"
ROWS = HEADER + "7A4,rtt,2026-09,91,,,\n7A4,leadership,2026-09,,A,,\n7A4,rtt,2026-08,93,,,\n"


@pytest.fixture
def setup(db):
    provider = ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale").provider
    rtt = IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned")
    leadership = JudgementIndicatorFactory(code="leadership", name="Changes to leadership")
    submitted = MonthlyReturnFactory(provider=provider, period=SEPTEMBER, status="submitted", version=1)
    IndicatorValueFactory(monthly_return=submitted, indicator=rtt, value=Decimal("96"))
    IndicatorValueFactory(monthly_return=submitted, indicator=leadership, value=None, rag="G")
    return {"provider": provider, "rtt": rtt, "leadership": leadership, "return": submitted}


def post_data(setup, rtt="91"):
    rtt_id, lead_id = setup["rtt"].pk, setup["leadership"].pk
    return {
        "version": "1",
        "submit": "1",
        f"i{rtt_id}-status": "reported",
        f"i{rtt_id}-value": rtt,
        f"i{rtt_id}-rag": "",
        f"i{rtt_id}-note": "",
        f"i{lead_id}-status": "reported",
        f"i{lead_id}-value": "",
        f"i{lead_id}-rag": "A",
        f"i{lead_id}-note": "",
    }


def september_rtt():
    return IndicatorValue.objects.get(indicator__code="rtt", monthly_return__period=SEPTEMBER).value


def test_a_save_into_a_month_locked_since_the_page_opened_is_refused_with_a_message(as_user, setup, administrator):
    client = as_user("team_member")
    url = reverse("assurance:return_entry", args=["7A4", PERIOD])
    assert "Submit return" in client.get(url).content.decode()
    period_lock(period=SEPTEMBER, user=administrator)  # signed off while the page was open
    response = client.post(url, post_data(setup), follow=True)
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    assert "September 2026 is locked after sign-off, so its returns cannot be changed. Nothing was saved." in page
    assert september_rtt() == Decimal("96")


def test_a_locked_return_is_refused_with_a_message(as_user, setup):
    MonthlyReturn.objects.filter(pk=setup["return"].pk).update(status="locked")
    url = reverse("assurance:return_entry", args=["7A4", PERIOD])
    response = as_user("team_member").post(url, post_data(setup), follow=True)
    assert "is locked after sign-off" in response.content.decode()
    assert september_rtt() == Decimal("96")


def test_the_service_refuses_a_locked_month_and_a_locked_return(setup, team_member, administrator):
    rows = [services.ReturnValue(setup["provider"].pk, SEPTEMBER, setup["rtt"], "reported", Decimal("91"))]
    versions = {(setup["provider"].pk, SEPTEMBER): 1}
    period_lock(period=SEPTEMBER, user=administrator)
    with pytest.raises(services.ReturnLocked):
        services.returns_write(rows=rows, user=team_member, versions=versions)
    services.period_unlock(period=SEPTEMBER, user=administrator, reason="Correction")
    MonthlyReturn.objects.filter(pk=setup["return"].pk).update(status="locked")
    with pytest.raises(services.ReturnLocked):
        services.returns_write(rows=rows, user=team_member, versions=versions)
    assert september_rtt() == Decimal("96")


def upload(client, text):
    return client.post(
        UPLOAD, {"kind": "returns", "file": SimpleUploadedFile("returns.csv", text.encode())}, follow=True
    )


def test_an_upload_into_a_locked_month_lists_every_affected_row(as_user, setup, administrator):
    period_lock(period=SEPTEMBER, user=administrator)
    page = upload(as_user("team_member"), ROWS).content.decode()
    assert "has 2 problems. Nothing was saved." in page
    assert "line 2" in page and "line 3" in page and "line 4" not in page
    assert "2026-09 is locked after sign-off" in page
    assert september_rtt() == Decimal("96")
    assert not MonthlyReturn.objects.filter(period=date(2026, 8, 1)).exists()


def test_an_upload_into_a_locked_return_lists_every_affected_row(as_user, setup):
    MonthlyReturn.objects.filter(pk=setup["return"].pk).update(status="locked")
    page = upload(as_user("team_member"), ROWS).content.decode()
    assert "has 2 problems. Nothing was saved." in page and "This return is locked" in page
    assert september_rtt() == Decimal("96")


def test_a_month_locked_before_the_outliers_are_confirmed_is_still_refused(as_user, setup, administrator):
    for month in range(1, 9):
        IndicatorValueFactory(
            monthly_return=MonthlyReturnFactory(
                provider=setup["provider"], period=date(2026, month, 1), status="submitted"
            ),
            indicator=setup["rtt"],
            value=Decimal(94 + month % 2),
        )
    client = as_user("team_member")
    checked = upload(client, HEADER + "7A4,rtt,2026-09,60,,,\n")
    assert "line 2" in checked.content.decode() and checked.context["job"].result["awaiting_confirmation"]
    period_lock(period=SEPTEMBER, user=administrator)
    page = client.post(
        checked.context["job"].get_absolute_url(),
        {"action": "save", "confirmed": "on", "note": "Checked"},
        follow=True,
    ).content.decode()
    assert "Nothing was saved" in page and "line 2" in page and "locked after sign-off" in page
    assert september_rtt() == Decimal("96")


def test_the_command_line_import_refuses_a_locked_month_listing_every_row(setup, administrator, tmp_path, capsys):
    period_lock(period=SEPTEMBER, user=administrator)
    path = tmp_path / "returns.csv"
    path.write_text(ROWS)
    with pytest.raises(CommandError, match="2 error"):
        call_command("import_returns", str(path))
    err = capsys.readouterr().err
    assert "line 2, column period: 2026-09 is locked after sign-off" in err
    assert "line 3, column period: 2026-09 is locked after sign-off" in err
    assert september_rtt() == Decimal("96")
    assert not MonthlyReturn.objects.filter(period=date(2026, 8, 1)).exists()
