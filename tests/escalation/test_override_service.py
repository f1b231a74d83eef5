"""Override, then re-rate, as one service (escalation.services.override_area)."""

import pytest

from assurance.models import AreaOverride, AreaRating, PeriodLock, ProviderRating, RatingRun
from assurance.services import ReturnLocked
from escalation.pipeline import run_period
from escalation.services import override_area
from tests.escalation.estate import M, month_values, provider_with_contract, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(catalogue):
    provider = provider_with_contract()
    report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    return provider


def test_the_override_is_recorded_and_the_month_re_rated_once_it_commits(
    rated, executive_director, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        override, run = override_area(
            provider=rated,
            period=M[0],
            area="governance",
            rag="R",
            rationale="HIW notice",
            user=executive_director,
        )
    assert (override.overridden_by, override.computed_rag, override.active) == (
        executive_director,
        "G",
        True,
    )
    run.refresh_from_db()
    assert (run.trigger, run.periods, run.provider_ids, run.requested_by, run.status) == (
        "override",
        ["2026-01"],
        [rated.pk],
        executive_director,
        "done",
    )
    area = AreaRating.objects.get(provider=rated, period=M[0], area="governance")
    assert (area.computed_rag, area.rag, area.override) == ("G", "R", override)
    assert ProviderRating.objects.get(provider=rated, period=M[0]).reds == 1


def test_a_locked_month_is_refused_and_nothing_is_recorded_or_asked_for(rated, executive_director):
    PeriodLock.objects.create(period=M[0])
    with pytest.raises(ReturnLocked):
        override_area(
            provider=rated,
            period=M[0],
            area="governance",
            rag="R",
            rationale="HIW notice",
            user=executive_director,
        )
    assert not AreaOverride.objects.exists() and not RatingRun.objects.exists()


def test_an_override_needs_a_rationale(rated, executive_director):
    with pytest.raises(ValueError, match="rationale"):
        override_area(
            provider=rated,
            period=M[0],
            area="governance",
            rag="R",
            rationale=" ",
            user=executive_director,
        )
    assert not AreaOverride.objects.exists() and not RatingRun.objects.exists()
