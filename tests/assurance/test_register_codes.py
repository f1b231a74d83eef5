"""Register codes in indicators.csv, returns.csv and trajectories.csv: kept and matched exactly."""

from datetime import date
from decimal import Decimal

import pytest

from assurance.importers import IndicatorImporter, ReturnImporter, TrajectoryImporter
from assurance.models import Indicator, IndicatorValue, Trajectory
from tests.assurance.factories import IndicatorFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

INDICATORS = "code,name,area,setting,domain,cohort,unit,polarity,target,amber_threshold,critical,judgement,services\n"
RETURNS = "provider_code,indicator_code,period,value,rag,status,note\n"
TRAJECTORIES = "provider_code,indicator_code,period,value\n"


def run(importer, text):
    return importer.run(text.encode("utf-8"), "file.csv")


@pytest.mark.parametrize("code", ["AE4H", "NCBPS13X", "E.B.3", "ae_four_hours", "7A1-x", "Z" * 40])
def test_indicator_codes_are_kept_exactly_as_written(code):
    ServiceFactory(code="CARD")
    ServiceFactory(code="E.B.3")
    result = run(
        IndicatorImporter(),
        INDICATORS + f"{code},X,quality_safety,,outcome,,percent,higher_better,95,90,no,no,CARD;E.B.3\n",
    )
    assert result.ok, result.errors
    indicator = Indicator.objects.get()
    assert indicator.code == code
    assert sorted(indicator.services.values_list("code", flat=True)) == ["CARD", "E.B.3"]


def test_bad_indicator_and_service_codes_are_refused_with_the_line():
    ServiceFactory(code="CARD")
    result = run(
        IndicatorImporter(),
        INDICATORS
        + (
            "AE 4H,X,quality_safety,,outcome,,percent,higher_better,95,90,no,no,\n"
            + "Z" * 41
            + ",X,quality_safety,,outcome,,percent,higher_better,95,90,no,no,\n"
            "AE4H,X,quality_safety,,outcome,,percent,higher_better,95,90,no,no,card;CARD;a/b\n"
        ),
    )
    found = {(e.line, e.column): e.message for e in result.errors}
    assert set(found) == {(2, "code"), (3, "code"), (4, "services")}
    assert "“AE 4H”" in found[(2, "code")] and "1 to 40 letters" in found[(2, "code")]
    assert "1 to 40 letters" in found[(3, "code")]
    assert "“a/b”" in found[(4, "services")]
    assert not Indicator.objects.exists()


def test_an_unknown_service_in_other_capitals_is_named():
    ServiceFactory(code="CARD")
    result = run(
        IndicatorImporter(), INDICATORS + "AE4H,X,quality_safety,,outcome,,percent,higher_better,95,90,no,no,card\n"
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "services")]
    assert "card" in result.errors[0].message and "CARD" in result.errors[0].message


@pytest.fixture
def estate(db):
    ProviderFactory(code="7A1")
    ProviderFactory(code="E.B.3")
    IndicatorFactory(code="AE4H")
    IndicatorFactory(code="NCBPS13X")


def test_returns_match_provider_and_indicator_codes_exactly(estate):
    result = run(ReturnImporter(), RETURNS + "7A1,AE4H,2026-09,96,,,\nE.B.3,NCBPS13X,2026-09,91,,,\n")
    assert result.ok, result.errors
    assert IndicatorValue.objects.get(monthly_return__provider__code="E.B.3").value == Decimal("91")
    result = run(ReturnImporter(), RETURNS + "7a1,AE4H,2026-08,96,,,\nE.B.3,ae4h,2026-08,91,,,\n")
    found = {(e.line, e.column): e.message for e in result.errors}
    assert set(found) == {(2, "provider_code"), (3, "indicator_code")}
    assert "“7a1”" in found[(2, "provider_code")] and "7A1" in found[(2, "provider_code")]
    assert "“ae4h”" in found[(3, "indicator_code")] and "AE4H" in found[(3, "indicator_code")]


def test_codes_differing_only_in_capitals_are_different_providers(estate):
    ProviderFactory(code="7a1", name="Lower-case twin")
    result = run(ReturnImporter(), RETURNS + "7a1,AE4H,2026-09,96,,,\n")
    assert result.ok, result.errors
    assert IndicatorValue.objects.get().monthly_return.provider.name == "Lower-case twin"


def test_trajectories_match_codes_exactly(estate):
    result = run(TrajectoryImporter(), TRAJECTORIES + "E.B.3,NCBPS13X,2026-10,88\n7a1,AE4H,2026-10,88\n")
    assert [(e.line, e.column) for e in result.errors] == [(3, "provider_code")]
    result = run(TrajectoryImporter(), TRAJECTORIES + "E.B.3,NCBPS13X,2026-10,88\n")
    assert result.ok
    assert Trajectory.objects.get().period == date(2026, 10, 1)
