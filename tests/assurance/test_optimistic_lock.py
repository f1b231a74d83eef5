"""One optimistic lock for every write path of a return (issue 16): the form, an upload and the
API all raise the return's version, so a form opened before any of them is refused as stale
instead of overwriting newer data, and nothing is lost."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from assurance.importers import ReturnImporter
from assurance.models import IndicatorValue, MonthlyReturn
from tests.assurance.factories import IndicatorFactory, IndicatorValueFactory, MonthlyReturnFactory
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
SEPTEMBER = date(2026, 9, 1)
HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"


@pytest.fixture
def setup(db):
    provider = ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale").provider
    rtt = IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned")
    return {"provider": provider, "rtt": rtt}


def entry_url(setup):
    return reverse("assurance:return_entry", args=[setup["provider"].code, PERIOD])


def form_version(client, setup):
    """Session A opens the return form: the version it will send back on save."""
    return client.get(entry_url(setup)).context["version"]


def save_note(client, setup, version, value="95", note="Checked with the provider"):
    rtt = setup["rtt"].pk
    data = {
        "version": str(version),
        f"i{rtt}-status": "reported",
        f"i{rtt}-value": value,
        f"i{rtt}-rag": "",
        f"i{rtt}-note": note,
        "save": "1",
    }
    return client.post(entry_url(setup), data)


def upload_value(setup, value, user=None):
    """Another session uploads a corrected value (the same code as the web upload's save)."""
    result = ReturnImporter(user=user).run((HEADER + f"7A4,rtt,{PERIOD},{value},,,\n").encode(), "returns.csv")
    assert result.ok, result.errors


def rtt_value():
    return IndicatorValue.objects.get(indicator__code="rtt", monthly_return__period=SEPTEMBER)


@pytest.mark.parametrize("existing", [False, True], ids=["no return yet", "a draft return"])
def test_an_upload_after_the_form_was_opened_makes_its_save_stale(as_user, setup, team_member, existing):
    if existing:
        draft = MonthlyReturnFactory(provider=setup["provider"], period=SEPTEMBER, status="draft", version=3)
        IndicatorValueFactory(monthly_return=draft, indicator=setup["rtt"], value=Decimal("95"))
    client = as_user("team_member")
    version = form_version(client, setup)  # 1. session A opens the return
    upload_value(setup, "97.5", user=team_member)  # 2. an upload changes a value
    response = save_note(client, setup, version)  # 3. session A saves a note
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else saved this return while you were editing it" in page
    assert "Checked with the provider" in page  # what A typed is kept on screen
    value = rtt_value()
    assert value.value == Decimal("97.5") and value.note == ""  # the upload's value is not lost
    # Saved again from the refreshed form, the note goes in.
    assert save_note(client, setup, response.context["version"], value="97.5").status_code == 302
    assert rtt_value().note == "Checked with the provider"


def test_an_upload_that_only_submits_a_draft_raises_the_version(as_user, setup, team_member):
    draft = MonthlyReturnFactory(provider=setup["provider"], period=SEPTEMBER, status="draft", version=2)
    IndicatorValueFactory(monthly_return=draft, indicator=setup["rtt"], value=Decimal("95"))
    client = as_user("team_member")
    version = form_version(client, setup)
    upload_value(setup, "95", user=team_member)  # same value: the upload submits the return
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.version > version
    assert "Someone else saved" in save_note(client, setup, version).content.decode()


def test_every_write_path_raises_the_version(as_user, setup, team_member):
    client = as_user("team_member")
    assert save_note(client, setup, 0).status_code == 302
    after_form = MonthlyReturn.objects.get().version
    upload_value(setup, "96", user=team_member)
    after_upload = MonthlyReturn.objects.get().version
    assert 0 < after_form < after_upload


def test_an_api_write_after_the_form_was_opened_makes_its_save_stale(as_user, setup, team_member):
    from assurance.uploads import returns_apply

    client = as_user("team_member")
    version = form_version(client, setup)
    row = {"provider_code": "7A4", "indicator_code": "rtt", "period": PERIOD, "value": "98"}
    assert returns_apply([row], user=team_member).ok
    assert "Someone else saved" in save_note(client, setup, version).content.decode()
    assert rtt_value().value == Decimal("98")
