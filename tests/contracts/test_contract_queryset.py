"""ContractQuerySet: the register's words for which contracts count (METHODOLOGY, "Who is rated").

`commissioned` is every contract but a draft; `live_in` / `live_during` is METHODOLOGY's live
contract (commissioned and running during the month); `active` is the active status only.
"""

from datetime import date

import pytest

from contracts.models import Contract
from contracts.selectors import provider_services
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ServiceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def register(db):
    return {
        "active": ContractFactory(status="active", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31)),
        "draft": ContractFactory(status="draft", start_date=date(2024, 4, 1), end_date=date(2027, 3, 31)),
        "expired": ContractFactory(status="expired", start_date=date(2021, 4, 1), end_date=date(2024, 3, 31)),
        "inactive": ContractFactory(status="inactive", start_date=date(2026, 4, 1), end_date=date(2027, 3, 31)),
        "starting": ContractFactory(status="active", start_date=date(2026, 10, 1), end_date=date(2029, 9, 30)),
    }


def names(queryset, register):
    return {name for name, contract in register.items() if contract in set(queryset)}


def test_commissioned_is_every_contract_but_a_draft(register):
    assert names(Contract.objects.commissioned(), register) == {
        "active",
        "expired",
        "inactive",
        "starting",
    }


def test_active_is_the_active_status_only_whatever_the_dates(register):
    assert names(Contract.objects.active(), register) == {"active", "starting"}


def test_a_live_contract_is_commissioned_and_runs_during_the_month(register):
    assert names(Contract.objects.live_in(date(2026, 9, 1)), register) == {"active", "inactive"}
    assert names(Contract.objects.live_in(date(2026, 10, 1)), register) == {
        "active",
        "inactive",
        "starting",
    }
    assert names(Contract.objects.live_during(date(2024, 3, 1), date(2024, 4, 30)), register) == {
        "active",
        "expired",
    }


def test_a_contract_starting_on_the_last_day_of_a_month_is_live_in_that_month(db):
    contract = ContractFactory(start_date=date(2026, 10, 31), end_date=date(2027, 10, 30))
    assert contract in Contract.objects.live_in(date(2026, 10, 1))
    assert contract not in Contract.objects.live_in(date(2026, 9, 1))


def test_a_provider_lists_a_service_its_commissioned_contract_covers_though_a_draft_elsewhere_does_too(
    db,
):
    service = ServiceFactory(name="Cardiology")
    contract = ContractLineFactory(service=service).contract
    ContractLineFactory(service=service, contract__status="draft")  # another provider's draft
    ContractLineFactory(contract__provider=contract.provider, contract__status="draft", service__name="Draft only")
    assert [s.name for s in provider_services(contract.provider)] == ["Cardiology"]
