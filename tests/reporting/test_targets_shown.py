"""A page about a month shows the target that month is rated against (METHODOLOGY, "Targets
change over time"), not the indicator's original one."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assurance.models import Indicator, IndicatorTarget
from assurance.selectors import applicable_indicators
from escalation.pipeline import run_period
from tests.escalation.estate import M, month_values, provider_with_contract, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def changed(catalogue):
    """Access: target 95, amber 90 until February; 80, amber 70 from March."""
    IndicatorTarget.objects.create(
        indicator=catalogue["access"], from_period=M[2], target=Decimal("80"), amber_threshold=Decimal("70")
    )
    return catalogue


def test_applicable_indicators_carry_the_months_target(changed):
    provider = provider_with_contract()
    february = {i.code: i for i in applicable_indicators(M[1], [provider.pk])[provider.pk]}
    march = {i.code: i for i in applicable_indicators(M[2], [provider.pk])[provider.pk]}
    assert (february["access_ind"].target, february["access_ind"].amber_threshold) == (Decimal("95"), Decimal("90"))
    assert (march["access_ind"].target, march["access_ind"].amber_threshold) == (Decimal("80"), Decimal("70"))


def test_a_display_instance_cannot_be_saved_by_mistake(changed):
    provider = provider_with_contract()
    indicator = applicable_indicators(M[2], [provider.pk])[provider.pk][0]
    with pytest.raises(RuntimeError):
        indicator.save()
    assert Indicator.objects.get(pk=indicator.pk).target == Decimal("95")  # the original is kept


def test_the_return_page_shows_the_months_target(changed, as_user):
    provider = provider_with_contract()
    page = as_user("team_member").get(reverse("assurance:return_entry", args=[provider.code, "2026-03"]))
    assert "target 80" in page.content.decode()
    page = as_user("team_member").get(reverse("assurance:return_entry", args=[provider.code, "2026-02"]))
    assert "target 95" in page.content.decode()


def test_the_highlight_report_shows_the_months_target(changed, as_user):
    provider = provider_with_contract()
    report(provider, M[2], {**month_values(5), "access": "75"}, changed)  # Amber against 80 / 70
    run_period(M[2])
    page = as_user("service_director").get(reverse("reporting:highlight_report", args=[provider.code, "2026-03"]))
    exceptions = page.content.decode().split('id="exceptions"')[1].split("<h2")[0]
    assert ">80<" in exceptions and ">95<" not in exceptions
