"""contract_save: the one write path of a contract and its lines (the form and both imports)."""

from decimal import Decimal

import pytest

from contracts.services import KEEP, contract_line_save, contract_save
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ServiceFactory

pytestmark = pytest.mark.django_db


def fields(contract):
    names = [
        "provider",
        "title",
        "contract_type",
        "status",
        "commissioning_team",
        "annual_value",
        "total_value",
        "start_date",
        "end_date",
        "strategic_importance",
    ]
    return {name: getattr(contract, name) for name in names}


def test_the_same_values_twice_change_nothing():
    line = ContractLineFactory(planned_activity=10, planned_cost=Decimal("1000"))
    contract = line.contract
    lines = {line.service: (10, Decimal("1000"))}
    assert contract_save(reference=contract.reference, data=fields(contract), lines=lines)[1] == "unchanged"
    assert contract.history.count() == 1 and line.history.count() == 1


def test_lines_are_made_exactly_those_given():
    kept = ContractLineFactory(planned_activity=10, planned_cost=Decimal("1000"))
    contract = kept.contract
    removed = ContractLineFactory(contract=contract)
    added = ServiceFactory()
    _c, outcome = contract_save(
        reference=contract.reference,
        data=fields(contract),
        lines={kept.service: (12, Decimal("1200")), added: (3, None)},
    )
    assert outcome == "updated"
    assert {(line.service_id, line.planned_activity, line.planned_cost) for line in contract.lines.all()} == {
        (kept.service_id, 12, Decimal("1200")),
        (added.pk, 3, None),
    }
    assert not contract.lines.filter(pk=removed.pk).exists()


def test_keep_leaves_a_kept_lines_figures_and_gives_a_new_line_none():
    kept = ContractLineFactory(planned_activity=10, planned_cost=Decimal("1000"))
    contract = kept.contract
    added = ServiceFactory()
    contract_save(reference=contract.reference, data=fields(contract), lines={kept.service: KEEP, added: KEEP})
    kept.refresh_from_db()
    assert (kept.planned_activity, kept.planned_cost) == (10, Decimal("1000"))
    assert contract.lines.get(service=added).planned_activity is None


def test_a_new_contract_is_created_and_validated_by_the_model():
    template = ContractFactory.build()
    data = {**fields(template), "provider": ContractFactory().provider}
    contract, outcome = contract_save(reference="NEW-1", data=data, lines={})
    assert outcome == "created" and contract.reference == "NEW-1"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        contract_save(reference="NEW-2", data={**data, "total_value": Decimal("1")})  # below the annual value


def test_a_line_is_set_or_added():
    contract = ContractFactory()
    service = ServiceFactory()
    assert contract_line_save(contract=contract, service=service, planned_activity=5, planned_cost=None) == "created"
    assert contract_line_save(contract=contract, service=service, planned_activity=5, planned_cost=None) == "unchanged"
