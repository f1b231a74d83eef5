"""Records about a provider: action plans, risks, meetings and intelligence."""

from datetime import date

import factory

from escalation.models import ActionPlan, IntelligenceEntry, Meeting, MeetingAction, Risk
from tests.providers.factories import ProviderFactory, UserFactory


class ActionPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActionPlan

    provider = factory.SubFactory(ProviderFactory)
    area = "quality_safety"
    title = factory.Sequence(lambda n: f"Recovery plan {n}")
    actions = "Weekly huddles; extra theatre lists."
    review_points = "Monthly CQPRM"
    next_review = date(2027, 1, 15)
    risk_assessment = "Delays harm patients waiting."
    owner = "Service manager"
    created_by = factory.SubFactory(UserFactory)


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    provider = factory.SubFactory(ProviderFactory)
    title = factory.Sequence(lambda n: f"Risk {n}")
    area = "quality_safety"
    likelihood = 3
    consequence = 3
    owner = "Head of quality"
    review_date = date(2027, 1, 15)


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    provider = factory.SubFactory(ProviderFactory)
    kind = "cqprm"
    date = date(2026, 10, 5)
    chair = "Head of commissioning"
    recorded_by = factory.SubFactory(UserFactory)


class MeetingActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MeetingAction

    meeting = factory.SubFactory(MeetingFactory)
    description = factory.Sequence(lambda n: f"Action {n}")
    owner = "Contract manager"
    due_date = date(2026, 11, 1)


class IntelligenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntelligenceEntry

    provider = factory.SubFactory(ProviderFactory)
    kind = "regulator_report"
    date = date(2026, 10, 12)
    title = factory.Sequence(lambda n: f"Inspection report {n}")
    source = "HIW"
    area = "quality_safety"
    severity = "high"
    recorded_by = factory.SubFactory(UserFactory)
