from datetime import date
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from contracts.models import Contract
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db


def test_end_before_start_is_invalid_and_refused_by_the_database():
    contract = ContractFactory.build(start_date=date(2025, 4, 1), end_date=date(2025, 3, 31))
    with pytest.raises(ValidationError) as error:
        contract.clean()
    assert "end_date" in error.value.message_dict
    contract.provider.save()
    with pytest.raises(IntegrityError):
        contract.save()


def test_total_below_annual_is_invalid():
    contract = ContractFactory.build(annual_value=Decimal("10"), total_value=Decimal("9"))
    with pytest.raises(ValidationError) as error:
        contract.clean()
    assert "total_value" in error.value.message_dict


@time_machine.travel(date(2026, 11, 22))
def test_derived_values_shown_on_the_register():
    contract = ContractFactory(
        annual_value=Decimal("12000000"),
        total_value=Decimal("36000000"),
        start_date=date(2024, 4, 1),
        end_date=date(2027, 3, 31),
    )
    assert contract.value_tier == 2
    assert str(contract.routine_cadence) == "Bi-annual SLA meeting"
    assert contract.length_months == 36
    assert contract.months_to_renewal == 4
    assert contract.renewal_due_soon is True
    contract.renewal_date = date(2028, 3, 31)
    assert contract.renewal_due_soon is False
    contract.status = "expired"
    contract.renewal_date = None
    assert contract.renewal_due_soon is False


def test_with_tier_annotation_agrees_with_the_python_rule():
    for value, strategic in [("40000000", False), ("39999999", False), ("10000000", False), ("1", True), ("1", False)]:
        ContractFactory(annual_value=Decimal(value), total_value=Decimal(value), strategic_importance=strategic)
    for contract in Contract.objects.with_tier():
        assert contract.tier == contract.value_tier
