"""Plausible monthly returns for the demo estate: deterministic, so every run looks the same.

Most providers meet most targets; a few (those under government intervention) struggle,
so the demo shows misses, late and overdue returns, missing rows and development plans.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from assurance.choices import Polarity, ReturnStatus, ValueStatus
from assurance.models import IndicatorValue, MonthlyReturn, PeriodLock, Trajectory
from assurance.periods import deadline, shift
from assurance.selectors import active_indicators, applicable_indicators
from assurance.services import period_lock
from providers.choices import InterventionLevel
from providers.models import Provider

STRUGGLING = {InterventionLevel.SPECIAL_MEASURES, InterventionLevel.TARGETED_INTERVENTION}
NOTES_RED = [
    "Discussed at the CQPRM; the provider has agreed a recovery plan.",
    "Workforce gaps in theatres; locum cover from next month.",
    "Concern raised by the clinical network; deep dive requested.",
]


def _numeric(indicator, rng, struggling):
    target = indicator.target
    amber = indicator.amber_threshold
    higher = indicator.polarity == Polarity.HIGHER_BETTER
    if target == 0:  # counts that should be zero (never events, MRSA, long waits)
        chance = 0.18 if struggling else 0.04
        return Decimal(rng.randint(1, 3) if rng.random() < chance else 0)
    gap = abs(target - amber) if amber is not None else target * Decimal("0.05")
    centre = target + (gap * Decimal("0.3") if higher else -gap * Decimal("0.3"))
    if struggling:
        centre = target - gap * Decimal("0.8") if higher else target + gap * Decimal("0.8")
    value = Decimal(str(rng.gauss(float(centre), float(gap) * 0.5)))
    if indicator.unit == "percent":
        value = min(max(value, Decimal(0)), Decimal(100))
    value = max(value, Decimal(0))
    return value.quantize(Decimal("1") if indicator.unit == "count" else Decimal("0.1"))


def _judgement(rng, struggling):
    draw = rng.random()
    if struggling:
        return "R" if draw < 0.2 else "A" if draw < 0.55 else "G"
    return "R" if draw < 0.03 else "A" if draw < 0.15 else "G"


def _submission(rng, period, is_latest):
    """When the return was submitted (None: not yet), given the month's deadline."""
    due = deadline(period)
    today = timezone.localdate()
    draw = rng.random()
    if is_latest and draw < 0.25:
        return None
    late = draw > (0.8 if is_latest else 0.87)
    day = due + timedelta(days=rng.randint(1, 12)) if late else due - timedelta(days=rng.randint(0, 10))
    if day > today:
        return None  # not submitted yet: overdue (or still in time) as of today
    return timezone.make_aware(datetime.combine(day, time(10, rng.randint(0, 59))))


def generate_returns(*, months=14, latest=None, lock_before_months=3):
    """Create the demo's returns for the last `months` months; returns the count created.

    Months that already have a return for a provider are left alone (idempotent).
    """
    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    periods = [shift(latest, -n) for n in range(months - 1, -1, -1)]
    providers = list(Provider.objects.filter(active=True).order_by("code"))
    indicators = active_indicators()
    User = get_user_model()
    submitter = User.objects.filter(groups__name="Commissioning team member").order_by("pk").first()
    existing = set(MonthlyReturn.objects.filter(period__in=periods).values_list("provider_id", "period"))
    new_returns, pending_values = [], []
    for period in periods:
        applicable = applicable_indicators(period, [p.pk for p in providers], indicators)
        for provider in providers:
            if (provider.pk, period) in existing or not applicable[provider.pk]:
                continue
            rng = random.Random(f"{provider.code}-{period:%Y-%m}")  # noqa: S311 (demo data, not security)
            struggling = provider.intervention_level in STRUGGLING
            submitted_at = _submission(rng, period, period == latest)
            status = ReturnStatus.SUBMITTED if submitted_at else ReturnStatus.DRAFT
            if submitted_at is None and rng.random() < 0.5:
                continue  # not started at all
            monthly_return = MonthlyReturn(provider=provider, period=period, status=status,
                                           submitted_at=submitted_at, submitted_by=submitter if submitted_at else None)
            new_returns.append(monthly_return)
            for indicator in applicable[provider.pk]:
                draw = rng.random()
                if draw < 0.03:
                    continue  # no row at all: counts as missing
                fields = {"status": ValueStatus.REPORTED, "value": None, "rag": "", "note": ""}
                if draw < 0.05:
                    fields["status"] = ValueStatus.MISSING
                elif draw < 0.08 and (indicator.judgement or indicator.cohort == "diverted"):
                    fields["status"] = ValueStatus.DEVELOPMENT_PLAN
                    fields["note"] = "Data collection agreed in the development plan; first figures next quarter."
                elif indicator.judgement:
                    fields["rag"] = _judgement(rng, struggling)
                    if fields["rag"] != "G":
                        fields["note"] = rng.choice(NOTES_RED)
                else:
                    fields["value"] = _numeric(indicator, rng, struggling)
                pending_values.append((monthly_return, indicator, fields))
    bulk_create_with_history(new_returns, MonthlyReturn, batch_size=1000)
    saved = {(r.provider_id, r.period): r for r in MonthlyReturn.objects.filter(period__in=periods)}
    values = [
        IndicatorValue(monthly_return=saved[(r.provider.pk, r.period)], indicator=indicator, **fields)
        for r, indicator, fields in pending_values
    ]
    bulk_create_with_history(values, IndicatorValue, batch_size=2000)
    _lock_signed_off_months(periods, latest, lock_before_months)
    _trajectories(providers, indicators, latest)
    return len(new_returns)


def _lock_signed_off_months(periods, latest, lock_before_months):
    admin = get_user_model().objects.filter(groups__name="Register administrator").order_by("pk").first()
    if admin is None:
        return
    for period in periods:
        if period <= shift(latest, -lock_before_months) and not PeriodLock.objects.filter(period=period).exists():
            period_lock(period=period, user=admin)


def _trajectories(providers, indicators, latest):
    """Agreed recovery trajectories on RTT for the providers under intervention."""
    rtt = next((i for i in indicators if i.code == "rtt_26_weeks"), None)
    if rtt is None:
        return
    for provider in providers:
        if provider.intervention_level not in STRUGGLING:
            continue
        for step, months_back in enumerate(range(5, -4, -1)):
            period = shift(latest, -months_back)
            Trajectory.objects.get_or_create(
                provider=provider, indicator=rtt, period=period,
                defaults={"value": Decimal("86") + Decimal(step)},
            )
