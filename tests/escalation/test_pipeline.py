"""The monthly pipeline end to end: ratings stored, escalation decided, the CLI contract."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assurance.models import (
    AreaRating,
    IndicatorRating,
    ProviderRating,
    Trajectory,
)
from assurance.ratings import compute_period
from assurance.services import area_override_set
from escalation.models import EscalationDecision, ProviderEscalation, StepDownProposal
from escalation.pipeline import run_all, run_period
from escalation.services import manual_step_up, proposal_decide
from tests.escalation.estate import M, month_values, provider_with_contract, report

pytestmark = pytest.mark.django_db


def export(*args):
    out = io.StringIO()
    call_command("export_ratings", *args, stdout=out)
    return list(csv.reader(io.StringIO(out.getvalue())))


def test_a_month_is_rated_and_stored_with_reasons_counts_and_arrows(catalogue):
    provider = provider_with_contract()
    report(provider, M[0], month_values(5), catalogue)
    report(provider, M[1], month_values(3, 2), catalogue)
    run_period(M[0])
    run_period(M[1])
    rating = ProviderRating.objects.get(provider=provider, period=M[1])
    assert (rating.reds, rating.ambers, rating.recommended_level, rating.level_direction) == (0, 2, 2, "worsened")
    area = AreaRating.objects.get(provider=provider, period=M[1], area="governance")
    assert (area.rag, area.direction, area.greens, area.ambers) == ("A", "worsened", 0, 1)
    assert (
        IndicatorRating.objects.get(provider=provider, period=M[1], indicator=catalogue["governance"]).reason
        == "within_tolerance"
    )


def test_recomputing_is_idempotent_and_order_does_not_matter(catalogue):
    provider = provider_with_contract()
    for month, values in zip(
        M[:4], [month_values(3, 0, 2), month_values(3, 0, 2), month_values(3, 0, 2), month_values(4, 1)], strict=True
    ):
        report(provider, month, values, catalogue)
    for month in reversed(M[:4]):  # newest first
        compute_period(month)
    backwards = export("--indicators")
    levels_backwards = list(ProviderRating.objects.order_by("period").values_list("recommended_level", flat=True))
    for month in M[:4]:
        compute_period(month)
        compute_period(month)
    assert export("--indicators") == backwards
    assert (
        list(ProviderRating.objects.order_by("period").values_list("recommended_level", flat=True)) == levels_backwards
    )
    # Two reds sustained three months is level 4; in the fourth month the amber value is Red
    # again, as persistent (not Green in the two months before).
    assert levels_backwards == [3, 3, 4, 3]


def test_persistence_is_broken_by_a_month_without_data(catalogue):
    provider = provider_with_contract()
    other = provider_with_contract("RBS")
    report(provider, M[0], {"access": "92"}, catalogue)
    # M[1]: a collection month (another provider reported), but not for this indicator here
    report(other, M[1], {"access": "96"}, catalogue)
    report(provider, M[1], {"governance": "96"}, catalogue)
    report(provider, M[2], {"access": "92"}, catalogue)
    report(provider, M[3], {"access": "92"}, catalogue)
    for month in M[:4]:
        compute_period(month)

    def reason(month):
        return IndicatorRating.objects.get(provider=provider, period=month, indicator=catalogue["access"]).reason

    assert reason(M[1]) == "missing"  # applicable, no row: Red, and it is a rated month
    assert reason(M[2]) == "persistent"  # M[0] amber and M[1] missing red: two months not green
    report(provider, M[1], {"access": None}, catalogue, status="not_applicable")
    compute_period(M[2])
    assert reason(M[2]) == "within_tolerance"  # not applicable breaks the run


def test_a_trajectory_turns_a_miss_amber(catalogue):
    provider = provider_with_contract()
    report(provider, M[0], {"access": "85"}, catalogue)
    Trajectory.objects.create(provider=provider, indicator=catalogue["access"], period=M[0], value=Decimal("84"))
    compute_period(M[0])
    assert (
        IndicatorRating.objects.get(provider=provider, period=M[0], indicator=catalogue["access"]).reason
        == "on_trajectory"
    )


def test_query_count_does_not_grow_with_providers(catalogue):
    for code in ("P01", "P02"):
        report(provider_with_contract(code), M[0], month_values(4, 1), catalogue)
    with CaptureQueriesContext(connection) as small:
        run_period(M[0])
    for n in range(3, 23):
        report(provider_with_contract(f"P{n:02d}"), M[0], month_values(3, 0, 2), catalogue)
    with CaptureQueriesContext(connection) as large:
        run_period(M[0])
    # At most one update of the register per escalation level, whatever the number of providers.
    assert len(large.captured_queries) <= len(small.captured_queries) + 4
    assert ProviderRating.objects.filter(period=M[0]).count() == 22


def test_escalation_over_a_year(catalogue, service_director, executive_director):
    """First rating, rules step-up, a step-down proposed after three months, rejected, gated, approved."""
    provider = provider_with_contract()
    plan = [
        month_values(4, 1),
        month_values(3, 0, 2),
        month_values(5),
        month_values(5),
        month_values(5),
        month_values(5),
        month_values(5),
        month_values(5),
        month_values(5),
    ]
    for month, values in zip(M, plan, strict=False):
        report(provider, month, values, catalogue)
    run_period(M[0])
    state = ProviderEscalation.objects.get(provider=provider)
    assert state.level == 1
    run_period(M[1])
    state.refresh_from_db()
    assert state.level == 3
    step_up = EscalationDecision.objects.get(kind="rules_step_up")
    assert (step_up.from_level, step_up.to_level) == (1, 3)
    assert sorted(step_up.reasons) == ["governance:R", "patient_experience:R"]
    for month in M[2:4]:
        run_period(month)
    assert not StepDownProposal.objects.exists()  # two months below: not yet
    run_period(M[4])
    proposal = StepDownProposal.objects.get()
    assert (proposal.from_level, proposal.proposed_level, proposal.status) == (3, 1, "pending")
    assert export("--period", "2026-05")[1][-3:] == ["1", "3", "1"]
    with pytest.raises(Exception, match="level 3"):
        proposal_decide(proposal=proposal, user=service_director, approve=True, rationale="Looks better")
    proposal_decide(proposal=proposal, user=executive_director, approve=False, rationale="Too soon")
    for month in M[5:7]:
        run_period(month)
    assert StepDownProposal.objects.filter(status="pending").count() == 0  # gated: three further months
    run_period(M[7])
    new = StepDownProposal.objects.get(status="pending")
    proposal_decide(proposal=new, user=executive_director, approve=True, rationale="Sustained")
    state.refresh_from_db()
    assert state.level == 1
    assert EscalationDecision.objects.filter(kind="step_down", decided_by=executive_director).exists()
    assert export("--period", "2026-08")[1][-2:] == ["1", ""]


def test_a_step_up_withdraws_a_pending_step_down_and_old_months_do_not_rewrite(catalogue, executive_director):
    provider = provider_with_contract()
    plan = [month_values(3, 2)] + [month_values(5)] * 3 + [month_values(4, 0, 1)]
    for month, values in zip(M, plan, strict=False):
        report(provider, month, values, catalogue)
    run_all()
    assert StepDownProposal.objects.get().status == "withdrawn"
    decisions = EscalationDecision.objects.count()
    assert ProviderEscalation.objects.get(provider=provider).level == 3
    report(provider, M[1], month_values(3, 0, 2), catalogue)  # a correction to an old month
    run_period(M[1])
    assert EscalationDecision.objects.count() == decisions


def test_manual_step_up_needs_reasons_and_rationale(catalogue, service_director):
    from django.core.exceptions import ValidationError

    provider = provider_with_contract()
    report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    with pytest.raises(ValidationError):
        manual_step_up(provider=provider, user=service_director, to_level=2, reasons=[], rationale="x")
    decision = manual_step_up(
        provider=provider,
        user=service_director,
        to_level=2,
        reasons=["media_exposure"],
        rationale="BBC Wales report on waits",
    )
    assert decision.kind == "manual_step_up" and decision.from_level == 1
    assert ProviderEscalation.objects.get(provider=provider).level == 2
    assert export("--period", "2026-01")[1][-2:] == ["2", ""]


def test_an_override_counts_and_survives_recomputing(catalogue, executive_director):
    provider = provider_with_contract()
    report(provider, M[0], month_values(5), catalogue)
    run_period(M[0])
    area_override_set(
        provider=provider, period=M[0], area="governance", rag="R", rationale="HIW notice", user=executive_director
    )
    run_period(M[0])
    run_period(M[0])
    area = AreaRating.objects.get(provider=provider, period=M[0], area="governance")
    assert (area.computed_rag, area.rag, area.override.rationale) == ("G", "R", "HIW notice")
    assert ProviderRating.objects.get(provider=provider, period=M[0]).recommended_level == 3


def test_export_ratings_columns_order_and_blanks(catalogue):
    second = provider_with_contract("RBS")
    first = provider_with_contract("7A1")
    report(second, M[0], {"access": "96"}, catalogue)
    report(first, M[0], month_values(5), catalogue)
    report(first, M[1], month_values(5), catalogue)
    call_command("compute_ratings", "--all", stdout=io.StringIO())
    rows = export()
    assert rows[0] == [
        "provider_code",
        "period",
        "access",
        "quality_safety",
        "finance_activity",
        "patient_experience",
        "governance",
        "reds",
        "ambers",
        "recommended_level",
        "escalation_level",
        "pending_step_down",
    ]
    # RBS sent no return for 2026-02: that month is not rated, so it has no row (METHODOLOGY,
    # "Who is rated"); the first edition rated it Red on every area.
    assert [(r[0], r[1]) for r in rows[1:]] == [("7A1", "2026-01"), ("RBS", "2026-01"), ("7A1", "2026-02")]
    rbs = rows[2]
    assert rbs[2:7] == ["G", "R", "R", "R", "R"]  # applicable but unreported indicators count as missing
    assert export("--period", "2026-02")[1][0] == "7A1"
    indicator_rows = export("--indicators", "--period", "2026-01")
    assert indicator_rows[0] == ["provider_code", "indicator_code", "period", "value", "rag", "reason"]
    assert indicator_rows[1] == ["7A1", "access_ind", "2026-01", "96", "G", "target_met"]


def test_commands_refuse_bad_arguments():
    with pytest.raises(CommandError):
        call_command("compute_ratings", "--period", "2026-13")
    with pytest.raises(CommandError):
        call_command("export_ratings", "--period", "last month")


def test_submitting_a_return_recomputes_that_providers_month(catalogue, as_user, django_capture_on_commit_callbacks):
    provider = provider_with_contract()
    client = as_user("team_member")
    data = {"version": "0", "submit": "1"}
    for area, indicator in catalogue.items():
        data.update(
            {
                f"i{indicator.pk}-status": "reported",
                f"i{indicator.pk}-value": "96",
                f"i{indicator.pk}-rag": "",
                f"i{indicator.pk}-note": "",
            }
        )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/returns/{provider.code}/2026-01/", data)
    rating = ProviderRating.objects.get(provider=provider, period=M[0])
    assert (rating.recommended_level, rating.escalation_level) == (1, 1)


def test_the_register_shows_the_providers_escalation_level(catalogue):
    from contracts.models import Contract

    provider = provider_with_contract()
    report(provider, M[0], month_values(3, 0, 2), catalogue)
    run_period(M[0])
    assert set(Contract.objects.filter(provider=provider).values_list("risk_rating", flat=True)) == {3}
