"""METHODOLOGY, second edition: who is rated, from which returns, against which target.

Each table reads like the rulebook: a provider's contracts or return in a month, and
whether (and how) that month is rated.
"""

from datetime import date
from decimal import Decimal

import pytest

from assurance.models import (
    AreaRating,
    IndicatorRating,
    IndicatorTarget,
    MonthlyReturn,
    PeriodLock,
    ProviderRating,
    Trajectory,
)
from escalation.models import EscalationDecision, ProviderEscalation
from escalation.pipeline import run_period
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, provider_with_contract, report
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db


def rating(provider, month):
    return ProviderRating.objects.filter(provider=provider, period=month).first()


def indicator_rating(provider, month, indicator):
    return IndicatorRating.objects.get(provider=provider, period=month, indicator=indicator)


# Who is in scope: "at least one live contract that month: a contract that is not draft and
# runs during the month (start on or before the month's last day, end on or after its first)".
SCOPE = [
    # contracts held (status, start, end)                         rated in 2026-03?
    ("an active contract running all year", [("active", date(2025, 4, 1), date(2027, 3, 31))], True),
    ("only a draft contract", [("draft", date(2025, 4, 1), date(2027, 3, 31))], False),
    ("no contract at all", [], False),
    ("a contract that ended in February", [("active", date(2025, 4, 1), date(2026, 2, 28))], False),
    ("a contract that starts in April", [("active", date(2026, 4, 1), date(2027, 3, 31))], False),
    ("a contract that starts on the month's last day", [("active", date(2026, 3, 31), date(2027, 3, 31))], True),
    ("a contract that ends on the month's first day", [("active", date(2025, 4, 1), date(2026, 3, 1))], True),
    ("an expired contract whose dates still cover the month", [("expired", date(2025, 4, 1), date(2026, 3, 31))], True),
    (
        "a draft and an ended contract",
        [("draft", date(2025, 4, 1), date(2027, 3, 31)), ("active", date(2024, 4, 1), date(2025, 3, 31))],
        False,
    ),
]


@pytest.mark.parametrize(("case", "contracts", "in_scope"), SCOPE, ids=[c[0] for c in SCOPE])
def test_only_providers_with_a_live_contract_are_rated(catalogue, case, contracts, in_scope):
    provider = ProviderFactory(code="RX1")
    for status, start, end in contracts:
        ContractFactory(provider=provider, status=status, start_date=start, end_date=end)
    # Collection has begun: another provider in scope reported, and so did this one.
    report(provider_with_contract("7A1"), M[2], month_values(5), catalogue)
    report(provider, M[2], month_values(5), catalogue)
    run_period(M[2])
    if in_scope:
        assert rating(provider, M[2]).recommended_level == 1
    else:
        assert rating(provider, M[2]) is None
        assert not AreaRating.objects.filter(provider=provider).exists()
        assert not ProviderEscalation.objects.filter(provider=provider).exists()


def test_a_provider_without_a_live_contract_is_never_escalated_on_all_provider_indicators(catalogue):
    """First edition: no return and no contract gave Red on every all-provider indicator,
    three months running, and level 4."""
    draft_only = ProviderFactory(code="DRAFT1")
    ContractFactory(provider=draft_only, status="draft")
    reporter = provider_with_contract("7A1")
    for month in M[:3]:
        report(reporter, month, month_values(5), catalogue)
        run_period(month)
    assert not ProviderRating.objects.filter(provider=draft_only).exists()
    assert not EscalationDecision.objects.filter(provider=draft_only).exists()


# Received returns: "a provider's month is rated only when its return has been received:
# the return ... is submitted or locked".
RECEIVED = [
    # the provider's return for the month       what the month shows
    ("submitted", "rated"),
    ("locked", "rated"),
    ("draft", "no return"),
    (None, "no return"),  # no return at all
]


@pytest.mark.parametrize(("return_status", "shown"), RECEIVED)
def test_a_month_is_rated_only_from_a_received_return(catalogue, return_status, shown):
    provider = provider_with_contract("7A1")
    report(provider_with_contract("RBS"), M[0], month_values(5), catalogue)  # collection has begun
    if return_status is not None:
        report(provider, M[0], month_values(0, 0, 5), catalogue)
        MonthlyReturn.objects.filter(provider=provider).update(status=return_status)
    run_period(M[0])
    row = rating(provider, M[0])
    if shown == "rated":
        assert (row.received, row.reds, row.recommended_level) == (True, 5, 3)
    else:
        # "No return": never Red; no areas, no level, no escalation.
        assert (row.received, row.reds, row.ambers, row.recommended_level) == (False, 0, 0, None)
        assert not AreaRating.objects.filter(provider=provider, period=M[0]).exists()
        assert not IndicatorRating.objects.filter(provider=provider, period=M[0]).exists()
        assert not EscalationDecision.objects.filter(provider=provider).exists()


def test_a_late_return_does_not_step_a_provider_up(catalogue):
    """The first edition's worst month: no return gave five Red areas and a step-up by rule."""
    provider = provider_with_contract("7A1")
    other = provider_with_contract("RBS")
    report(provider, M[0], month_values(5), catalogue)
    report(other, M[0], month_values(5), catalogue)
    run_period(M[0])
    report(other, M[1], month_values(5), catalogue)  # the provider's spreadsheet is late: no return
    run_period(M[1])
    assert ProviderEscalation.objects.get(provider=provider).level == 1
    assert list(EscalationDecision.objects.filter(provider=provider).values_list("kind", flat=True)) == ["initial"]
    assert rating(provider, M[1]).escalation_level == 1  # the level still shows beside "No return"


def test_draft_values_never_feed_a_rating(catalogue):
    provider = provider_with_contract("7A1")
    report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    # A team member starts a correction for the month but has not submitted it.
    monthly_return = MonthlyReturn.objects.get(provider=provider, period=M[0])
    monthly_return.status = "draft"
    monthly_return.save()
    monthly_return.values.update(value=Decimal("10"))
    run_period(M[0])
    assert rating(provider, M[0]).received is False


def test_a_month_without_a_return_breaks_the_persistence_run(catalogue):
    """Rule 7 looks back over the two preceding months; a month not rated breaks the run."""
    provider = provider_with_contract("7A1")
    other = provider_with_contract("RBS")
    for month in M[:3]:
        report(other, month, month_values(5), catalogue)
    report(provider, M[0], {"access": "92"}, catalogue)
    report(provider, M[2], {"access": "92"}, catalogue)
    report(provider, M[1], {"access": "80"}, catalogue)
    MonthlyReturn.objects.filter(provider=provider, period=M[1]).update(status="draft")
    for month in M[:3]:
        run_period(month)
    assert indicator_rating(provider, M[2], catalogue["access"]).reason == "within_tolerance"
    MonthlyReturn.objects.filter(provider=provider, period=M[1]).update(status="submitted")
    run_period(M[2])
    assert indicator_rating(provider, M[2], catalogue["access"]).reason == "persistent"


# Targets change over time: "a month is always rated against the target and threshold in
# force in that month, so a change never rewrites earlier months".
TARGETS = [
    # changes (from month, target, amber)   value  month  rag  reason
    ([], "92", M[3], "A", "within_tolerance"),  # own 95 / 90
    ([(M[2], "90", "85")], "92", M[3], "G", "target_met"),  # from March: 90
    ([(M[2], "90", "85")], "92", M[1], "A", "within_tolerance"),  # February keeps 95 / 90
    ([(M[2], "90", "85")], "87", M[2], "A", "within_tolerance"),  # the new amber
    ([(M[2], "90", None)], "87", M[2], "R", "off_target"),  # blank amber: none
    ([(M[1], "90", "85"), (M[3], "97", "93")], "94", M[3], "A", "within_tolerance"),  # the later change
    ([(M[1], "90", "85"), (M[3], "97", "93")], "94", M[2], "G", "target_met"),  # the earlier one
    ([(M[5], "80", None)], "92", M[3], "A", "within_tolerance"),  # a future change
]


@pytest.mark.parametrize(("changes", "value", "month", "rag", "reason"), TARGETS)
def test_each_month_is_rated_against_the_target_in_force(catalogue, changes, value, month, rag, reason):
    provider = provider_with_contract("7A1")
    access = catalogue["access"]
    for start, target, amber in changes:
        IndicatorTarget.objects.create(
            indicator=access,
            from_period=start,
            target=Decimal(target),
            amber_threshold=None if amber is None else Decimal(amber),
        )
    report(provider, month, {"access": value}, catalogue)
    run_period(month)
    result = indicator_rating(provider, month, access)
    assert (result.rag, result.reason) == (rag, reason)


# Exact arithmetic: "every comparison of a value with a target, trajectory or threshold uses
# exact decimals on both databases". On SQLite the driver returns a stored 91.7 as a float.
EXACT = [
    # polarity        target  amber   trajectory  value    rag  reason
    ("lower_better", "91.7", None, None, "91.7", "G", "target_met"),
    ("higher_better", "91.7", None, None, "91.7", "G", "target_met"),
    ("lower_better", "80", "95.3", None, "95.3", "A", "within_tolerance"),
    ("higher_better", "95", "90.1", None, "90.1", "A", "within_tolerance"),
    ("lower_better", "80", None, "91.7", "91.7", "A", "on_trajectory"),
    ("higher_better", "95", None, "91.7", "91.7", "A", "on_trajectory"),
    ("lower_better", "0.3", None, None, "0.3", "G", "target_met"),
    ("lower_better", "0.3", None, None, "0.3001", "R", "off_target"),
]


@pytest.mark.parametrize(("polarity", "target", "amber", "trajectory", "value", "rag", "reason"), EXACT)
def test_a_value_exactly_on_a_decimal_target_trajectory_or_threshold_meets_it(
    catalogue, polarity, target, amber, trajectory, value, rag, reason
):
    provider = provider_with_contract("7A1")
    access = catalogue["access"]
    access.polarity, access.target = polarity, Decimal(target)
    access.amber_threshold = None if amber is None else Decimal(amber)
    access.save()
    if trajectory is not None:
        Trajectory.objects.create(provider=provider, indicator=access, period=M[0], value=Decimal(trajectory))
    report(provider, M[0], {"access": value}, catalogue)
    run_period(M[0])
    result = indicator_rating(provider, M[0], access)
    assert (result.rag, result.reason) == (rag, reason)


def test_a_recompute_leaves_a_locked_months_ratings_as_signed_off(catalogue, admin_user):
    provider = provider_with_contract("7A1")
    report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    PeriodLock.objects.create(period=M[0])
    # A later change of target would rate the month differently; the signed-off month stays.
    IndicatorTarget.objects.create(indicator=catalogue["access"], from_period=M[0], target=Decimal("99"))
    run_period(M[0])
    assert AreaRating.objects.get(provider=provider, period=M[0], area="access").rag == "G"
    assert rating(provider, M[0]).recommended_level == 1
    PeriodLock.objects.filter(period=M[0]).update(locked=False)
    run_period(M[0])
    assert AreaRating.objects.get(provider=provider, period=M[0], area="access").rag == "R"
