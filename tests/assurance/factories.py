from datetime import date
from decimal import Decimal

import factory

from assurance.models import Indicator, IndicatorValue, MonthlyReturn
from tests.providers.factories import ProviderFactory


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"indicator_{n}")
    name = factory.Sequence(lambda n: f"Indicator {n} (%)")
    area = "quality_safety"
    domain = "outcome"
    unit = "percent"
    polarity = "higher_better"
    target = Decimal("95")
    amber_threshold = Decimal("90")


class JudgementIndicatorFactory(IndicatorFactory):
    area = "governance"
    domain = "qualitative"
    unit = "count"
    target = None
    amber_threshold = None
    judgement = True


class MonthlyReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MonthlyReturn

    provider = factory.SubFactory(ProviderFactory)
    period = date(2026, 9, 1)


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    monthly_return = factory.SubFactory(MonthlyReturnFactory)
    indicator = factory.SubFactory(IndicatorFactory)
    value = Decimal("96")
