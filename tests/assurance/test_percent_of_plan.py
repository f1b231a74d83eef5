"""METHODOLOGY 8, validity: a percentage of a plan (cost or activity against plan) is 0 or
more with no upper limit, unlike a plain percentage (0 to 100)."""

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from assurance import rules
from assurance.importers import ReturnImporter
from assurance.models import IndicatorValue
from tests.assurance.factories import IndicatorFactory
from tests.contracts.factories import ContractFactory

HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("0", None),
        ("100", None),
        ("135.5", None),
        ("2500", None),
        ("-0.1", "A percentage of plan cannot be negative (it may be over 100)."),
    ],
)
def test_a_percentage_of_plan_may_exceed_100_but_not_go_below_0(value, problem):
    assert rules.value_problem("percent_of_plan", Decimal(value)) == problem


def test_a_plain_percentage_still_stops_at_100():
    assert rules.value_problem("percent", Decimal("135.5")) == "A percentage must be between 0 and 100."
    assert (
        rules.result_problems(judgement=False, unit="percent_of_plan", status="reported", value=Decimal("112"), rag="")
        == []
    )


def test_the_catalogues_against_plan_indicators_are_percentages_of_plan():
    with open(Path(settings.BASE_DIR) / "fixtures/indicators.csv", newline="", encoding="utf-8") as file:
        units = {row["code"]: row["unit"] for row in csv.DictReader(file)}
    assert units["activity_against_plan"] == units["cost_against_plan"] == "percent_of_plan"


@pytest.mark.django_db
def test_an_overspend_is_accepted_in_an_upload_and_a_negative_refused():
    ContractFactory(provider__code="7A4")
    IndicatorFactory(
        code="cost",
        unit="percent_of_plan",
        area="finance_activity",
        polarity="lower_better",
        target=Decimal("100"),
        amber_threshold=Decimal("105"),
    )
    result = ReturnImporter().run((HEADER + "7A4,cost,2026-09,-4,,,\n").encode(), "returns.csv")
    assert [(e.line, e.column, e.message) for e in result.errors] == [
        (2, "value", "A percentage of plan cannot be negative (it may be over 100).")
    ]
    result = ReturnImporter().run((HEADER + "7A4,cost,2026-09,112.5,,,\n").encode(), "returns.csv")
    assert result.ok and IndicatorValue.objects.get().value == Decimal("112.5")


@pytest.mark.django_db
def test_an_overspend_is_accepted_in_the_return_form(as_user):
    ContractFactory(provider__code="7A4")
    cost = IndicatorFactory(
        code="cost",
        name="Cost against plan (%)",
        unit="percent_of_plan",
        area="finance_activity",
        polarity="lower_better",
        target=Decimal("100"),
        amber_threshold=Decimal("105"),
    )
    url = reverse("assurance:return_entry", args=["7A4", "2026-09"])
    response = as_user("team_member").post(
        url,
        {
            "version": "0",
            "submit": "1",
            f"i{cost.pk}-status": "reported",
            f"i{cost.pk}-value": "131.4",
            f"i{cost.pk}-rag": "",
            f"i{cost.pk}-note": "",
        },
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert value.value == Decimal("131.4") and value.monthly_return.period == date(2026, 9, 1)
