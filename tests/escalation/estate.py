"""A small estate for pipeline tests: one indicator per area, values that give G, A or R."""

from datetime import date
from decimal import Decimal

from assurance.models import IndicatorValue, MonthlyReturn
from tests.contracts.factories import ContractFactory

M = [date(2026, month, 1) for month in range(1, 13)]


def provider_with_contract(code="7A4"):
    return ContractFactory(provider__code=code, start_date=date(2025, 1, 1), end_date=date(2028, 3, 31)).provider


def report(provider, period, values, catalogue, status="reported"):
    monthly_return, _ = MonthlyReturn.objects.get_or_create(
        provider=provider, period=period, defaults={"status": "submitted"}
    )
    for area, value in values.items():
        IndicatorValue.objects.update_or_create(
            monthly_return=monthly_return,
            indicator=catalogue[area],
            defaults={"status": status, "value": None if value is None else Decimal(value)},
        )


def month_values(greens=5, ambers=0, reds=0):
    """Values giving that many Green (96), Amber (92) and Red (80) areas, in area order."""
    seq = ["96"] * greens + ["92"] * ambers + ["80"] * reds
    areas = ["access", "quality_safety", "finance_activity", "patient_experience", "governance"]
    return dict(zip(areas, seq, strict=True))
