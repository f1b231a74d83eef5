"""Issue 18: the government intervention level and the governance area. A provider in special
measures can never show Green there.

METHODOLOGY.md does not state this rule: it is issue 18's. Read with the NHS Wales escalation and
intervention arrangements, the intervention indicator shows at best the RAG of the provider's
level (special measures Red, targeted intervention Amber), and the governance area of a provider
in special measures is at best Amber.
"""

from decimal import Decimal

import pytest

from assurance.models import AreaRating, IndicatorRating, IndicatorValue, MonthlyReturn
from assurance.rules import AreaResult, IndicatorResult, governance_area_result, intervention_indicator_rag
from escalation.pipeline import run_period
from tests.assurance.factories import JudgementIndicatorFactory
from tests.escalation.estate import M, provider_with_contract

# intervention level | what the team entered | the indicator shows | why
INDICATOR = [
    ("routine", "G", "G", "judgement"),
    ("area_of_concern", "G", "G", "judgement"),
    ("enhanced_monitoring", "G", "G", "judgement"),
    ("targeted_intervention", "G", "A", "intervention"),
    ("targeted_intervention", "R", "R", "judgement"),
    ("special_measures", "G", "R", "intervention"),
    ("special_measures", "A", "R", "intervention"),
    ("special_measures", None, None, "not_applicable"),  # not rated stays not rated
]


@pytest.mark.parametrize(("level", "entered", "shown", "reason"), INDICATOR)
def test_the_intervention_indicator_is_never_better_than_the_level(level, entered, shown, reason):
    before = IndicatorResult(entered, "judgement" if entered else "not_applicable")
    assert intervention_indicator_rag(before, level) == IndicatorResult(shown, reason)


# intervention level | the governance area as counted | as shown
AREA = [
    ("routine", "G", "G"),
    ("targeted_intervention", "G", "G"),
    ("special_measures", "G", "A"),  # never Green
    ("special_measures", "A", "A"),
    ("special_measures", "R", "R"),
    ("special_measures", None, None),
]


@pytest.mark.parametrize(("level", "counted", "shown"), AREA)
def test_a_provider_in_special_measures_never_shows_green_for_governance(level, counted, shown):
    assert governance_area_result(AreaResult(counted, 3, 0, 0), level) == AreaResult(shown, 3, 0, 0)


@pytest.mark.django_db
def test_the_monthly_ratings_apply_the_rule():
    provider = provider_with_contract()
    provider.intervention_level = "special_measures"
    provider.save()
    indicator = JudgementIndicatorFactory(code="intervention_level", area="governance")
    others = [JudgementIndicatorFactory(area="governance") for _ in range(3)]
    monthly_return = MonthlyReturn.objects.create(provider=provider, period=M[0], status="submitted")
    for each in [indicator, *others]:
        IndicatorValue.objects.create(monthly_return=monthly_return, indicator=each, rag="G", value=Decimal(0))

    run_period(M[0])

    rating = IndicatorRating.objects.get(provider=provider, period=M[0], indicator=indicator)
    assert (rating.rag, rating.reason) == ("R", "intervention")
    # Three Green and one Red would count Green (METHODOLOGY 2); special measures caps it at Amber.
    assert AreaRating.objects.get(provider=provider, period=M[0], area="governance").rag == "A"
