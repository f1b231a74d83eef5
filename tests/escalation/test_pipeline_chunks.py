"""A month is rated a chunk of providers at a time (memory); the chunking changes no rating."""

import pytest

from assurance import ratings
from assurance.models import AreaRating, IndicatorRating, ProviderRating
from escalation.pipeline import run_period
from tests.escalation.estate import M, month_values, provider_with_contract, report

pytestmark = pytest.mark.django_db


def stored(period):
    return (
        sorted(
            IndicatorRating.objects.filter(period=period).values_list("provider_id", "indicator_id", "rag", "reason")
        ),
        sorted(AreaRating.objects.filter(period=period).values_list("provider_id", "area", "rag", "direction")),
        sorted(
            ProviderRating.objects.filter(period=period).values_list(
                "provider_id", "reds", "ambers", "recommended_level", "level_direction", "escalation_level"
            )
        ),
    )


def test_rating_in_chunks_gives_the_same_ratings_as_all_at_once(catalogue, monkeypatch):
    providers = [provider_with_contract(f"7B{n}") for n in range(5)]
    for month in M[:4]:
        for n, provider in enumerate(providers):
            report(
                provider,
                month,
                month_values(5 - n, n - n // 2, n // 2) if month >= M[2] else month_values(5),
                catalogue,
            )
        run_period(month)
    whole = [stored(month) for month in M[:4]]
    monkeypatch.setattr(ratings, "CHUNK", 2)  # three chunks: 2, 2 and 1 providers
    for month in M[:4]:
        run_period(month, notify=False)
    assert [stored(month) for month in M[:4]] == whole
    assert len(whole[3][2]) == 5 and any(row[3] and row[3] > 1 for row in whole[3][2])
