"""Plausible monthly actuals against contract plans (METHODOLOGY 9), for the demo and generated estates.

Every live line gets an actual for every month, near its monthly plan with a little noise; most
providers run slightly under budget. Two demo providers tell a story: Liverpool Heart and Chest
(RBQ) overspends (cost about 16% over plan for about 14% less activity, so cost and activity
against plan are both Red and its commissioners judge its activity Red too: its Finance &
activity area is Red), and Liverpool University Hospitals (REM) under-delivers (activity about
20% under plan, cost under plan too). One line of REM's has a month with nothing recorded, to
show "missing". Deterministic: the same arguments give the same figures.
"""

import random
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from contracts.models import Contract, ContractLine, LineActual
from providers.periods import month_end, shift

OVERSPENDING = "RBQ"
UNDER_DELIVERING = "REM"
# (activity factor, cost factor, noise) against the monthly plan
PROFILES = {OVERSPENDING: (0.86, 1.16, 0.02), UNDER_DELIVERING: (0.80, 0.84, 0.02)}
NORMAL = (1.0, 0.985, 0.03)
MISSING = ("SLA-REM-002", 3)  # a contract and how many months before the latest its first line has no actual


def generate_actuals(*, months=14, latest=None, seed="", history=True):
    """Actuals for every live contract line and month of the last `months` months; returns the count.
    Line-months already recorded are left alone (idempotent)."""
    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    periods = [shift(latest, -n) for n in range(months - 1, -1, -1)]
    contracts = Contract.objects.live_during(periods[0], month_end(periods[-1]))
    lines = list(
        ContractLine.objects.filter(contract__in=contracts)
        .select_related("contract__provider")
        .order_by("contract__reference", "service_id")
    )
    existing = set(LineActual.objects.filter(line__in=lines, period__in=periods).values_list("line_id", "period"))
    first_lines = {}
    rows = []
    for line in lines:
        contract = line.contract
        first_lines.setdefault(contract.reference, line.pk)
        activity_factor, cost_factor, noise = PROFILES.get(contract.provider.code, NORMAL)
        # Generated data, not security: a seeded generator makes every run the same.
        rng = random.Random(f"{seed}actuals-{contract.reference}-{line.service_id}")  # noqa: S311  # nosec B311
        for period in periods:
            live = contract.start_date <= month_end(period) and contract.end_date >= period
            if not live or (line.pk, period) in existing:
                continue
            if (contract.reference, line.pk) == (MISSING[0], first_lines[contract.reference]) and period == shift(
                latest, -MISSING[1]
            ):
                continue
            plan_activity = Decimal(line.planned_activity or 0) / 12
            plan_cost = (line.planned_cost or Decimal(0)) / 12
            activity = int(round(float(plan_activity) * rng.gauss(activity_factor, noise)))
            cost = (plan_cost * Decimal(str(rng.gauss(cost_factor, noise)))).quantize(Decimal("0.01"))
            rows.append(LineActual(line=line, period=period, activity=max(activity, 0), cost=max(cost, Decimal(0))))
    if history:
        bulk_create_with_history(rows, LineActual, batch_size=2000)
    else:
        LineActual.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def overspend_judgement(latest=None, months=14):
    """The commissioners' judgement on the overspending provider's activity against plan: Red, with
    the reason, in every month its return holds that judgement (after the figures came in)."""
    from assurance.models import IndicatorValue  # noqa: PLC0415 - reporting devtools: assurance loaded late

    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    return IndicatorValue.objects.filter(
        monthly_return__provider__code=OVERSPENDING,
        monthly_return__period__gte=shift(latest, -(months - 1)),
        indicator__code="alternative_treatment_activity",
        status="reported",
    ).update(rag="R", note="Activity well under plan while cost runs over it; recovery plan requested at the CQPRM.")
