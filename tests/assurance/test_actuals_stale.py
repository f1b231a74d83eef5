"""Two people editing the same contract's actuals: the later save is refused, nothing is lost."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from contracts.models import LineActual
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(db):
    c = ContractFactory(
        reference="C-1",
        provider=ProviderFactory(code="RX1", name="Riverside Heart Trust"),
        start_date=date(2026, 4, 1),
        end_date=date(2027, 3, 31),
    )
    ContractLineFactory(contract=c, service=ServiceFactory(code="CARD", name="Cardiology"), planned_activity=1200)
    return c


def cells(contract, month, activity, cost):
    line = contract.lines.get()
    return {f"a-{line.pk}-{month}": activity, f"c-{line.pk}-{month}": cost}


def opened(client, url):
    """The grid as its form was opened: the hidden fields it carries (year, version)."""
    page = client.get(url).content.decode()
    return dict(re.findall(r'<input type="hidden" name="(year|version)" value="([^"]*)"', page))


def test_the_later_of_two_saves_is_refused_as_stale_and_keeps_what_was_typed(contract, team_member):
    url = f"/contracts/{contract.pk}/actuals/?year=2026"
    first, second = Client(), Client()
    first.force_login(team_member)
    second.force_login(team_member)
    first_form, second_form = opened(first, url), opened(second, url)

    response = first.post(url, {**first_form, **cells(contract, "2026-04", "110", "12500")})
    assert response.status_code == 302

    response = second.post(url, {**second_form, **cells(contract, "2026-04", "90", "9000")})
    page = response.content.decode()
    assert response.status_code == 200
    assert "changed by someone else" in page and "Nothing was saved" in page
    assert 'value="90"' in page and 'value="9000"' in page  # what they typed is kept
    assert "Saved now: 110 and £12500.00" in page  # and the values saved now are shown
    actual = LineActual.objects.get()
    assert (actual.activity, actual.cost) == (110, Decimal("12500"))  # the first save stands

    # Saving again from the refreshed form (it now carries the current version) goes through.
    fresh = dict(re.findall(r'<input type="hidden" name="(year|version)" value="([^"]*)"', page))
    response = second.post(url, {**fresh, **cells(contract, "2026-04", "90", "9000")})
    assert response.status_code == 302
    actual.refresh_from_db()
    assert (actual.activity, actual.cost) == (90, Decimal("9000"))


def test_a_save_without_changes_by_others_goes_through(contract, team_member):
    url = f"/contracts/{contract.pk}/actuals/?year=2026"
    client = Client()
    client.force_login(team_member)
    form = opened(client, url)
    assert client.post(url, {**form, **cells(contract, "2026-04", "5", "50")}).status_code == 302
    form = opened(client, url)
    assert client.post(url, {**form, **cells(contract, "2026-04", "6", "60")}).status_code == 302
    assert LineActual.objects.get().activity == 6
