"""Reads for the assurance framework: which indicators apply, returns, recent values."""

from collections import defaultdict

from django.db.models import Exists, OuterRef
from django.utils import timezone

from contracts.models import Contract, ContractLine
from providers.models import Provider
from providers.periods import deadline, month_end, previous_months

from . import rules
from .choices import ReturnState, ReturnStatus, ValueStatus
from .models import Indicator, IndicatorTarget, IndicatorValue, MonthlyReturn, PeriodLock, RatingRun


def held_services(months, provider_ids=None):
    """{month: {provider_id: {service_id}}}: services covered by contracts that are not drafts
    and run during each month (METHODOLOGY, "Which indicators a provider must report").

    One query for any number of months (oldest first) and providers.
    """
    live = Contract.objects.live_during(months[0], month_end(months[-1]))
    lines = ContractLine.objects.filter(contract__in=live)
    if provider_ids is not None:
        lines = lines.filter(contract__provider_id__in=provider_ids)
    held = {month: defaultdict(set) for month in months}
    for provider_id, service_id, start, end in lines.values_list(
        "contract__provider_id", "service_id", "contract__start_date", "contract__end_date"
    ):
        for month in months:
            if start <= month_end(month) and end >= month:
                held[month][provider_id].add(service_id)
    return held


def in_scope(months, provider_ids=None):
    """{month: {provider_id}}: the providers holding at least one live contract in each month
    (METHODOLOGY, "Who is rated"): only they are rated, expected to return data, counted in
    completeness and timeliness, and listed as overdue. One query for any number of months.
    """
    contracts = Contract.objects.live_during(months[0], month_end(months[-1]))
    if provider_ids is not None:
        contracts = contracts.filter(provider_id__in=provider_ids)
    scope = {month: set() for month in months}
    for provider_id, start, end in contracts.values_list("provider_id", "start_date", "end_date"):
        for month in months:
            if start <= month_end(month) and end >= month:
                scope[month].add(provider_id)
    return scope


def in_scope_in(period, provider_ids=None):
    """The providers in scope for one month."""
    return in_scope([period], provider_ids)[period]


# A return counts as received (and its month is rated) once submitted or locked (METHODOLOGY).
RECEIVED_STATUSES = (ReturnStatus.SUBMITTED, ReturnStatus.LOCKED)


def received_returns(months, provider_ids=None):
    """{(provider_id, month)} whose return has been received (submitted or locked)."""
    returns = MonthlyReturn.objects.filter(period__in=list(months), status__in=RECEIVED_STATUSES)
    if provider_ids is not None:
        returns = returns.filter(provider_id__in=provider_ids)
    return set(returns.values_list("provider_id", "period"))


def targets_in_force(indicators, months):
    """{(indicator_id, month): (target, amber_threshold)}: what each indicator is rated against
    in each month (METHODOLOGY, "Targets change over time"). The indicator's own values hold
    until its first change; each change holds from its month until the next. One query.
    """
    changes = defaultdict(list)
    for indicator_id, start, target, amber in (
        IndicatorTarget.objects.filter(indicator_id__in=[i.pk for i in indicators], from_period__lte=months[-1])
        .order_by("from_period")
        .values_list("indicator_id", "from_period", "target", "amber_threshold")
    ):
        changes[indicator_id].append((start, target, amber))
    force = {}
    for indicator in indicators:
        history = changes.get(indicator.pk, [])
        for month in months:
            current = own_target(indicator)
            for start, target, amber in history:
                if start <= month:
                    current = (target, amber)
            force[(indicator.pk, month)] = current
    return force


def own_target(indicator):
    """The indicator's own target and amber threshold (those before its first change), even on
    an instance `show_targets_in_force` has set to a month's values."""
    return getattr(indicator, "own_target", (indicator.target, indicator.amber_threshold))


def show_targets_in_force(indicators, period):
    """Set each indicator's `target` and `amber_threshold` to those in force in `period`, so a
    page about that month shows what the month is rated against. For display only: these
    instances must not be saved (the originals are kept as `own_target`)."""
    force = targets_in_force(indicators, [period]) if indicators else {}
    for indicator in indicators:
        indicator.own_target = own_target(indicator)
        indicator.target, indicator.amber_threshold = force[(indicator.pk, period)]
        indicator.target_period = period
    return indicators


def provider_services_in(period, provider_ids=None):
    """{provider_id: {service_id}} for one month."""
    return held_services([period], provider_ids)[period]


def active_indicators():
    """Active indicators with the ids of the services they apply to (empty = everyone)."""
    indicators = list(Indicator.objects.filter(active=True).prefetch_related("services"))
    for indicator in indicators:
        indicator.service_ids = {service.pk for service in indicator.services.all()}
    return indicators


def applicable_indicators(period, provider_ids, indicators=None):
    """METHODOLOGY, "Which indicators a provider must report", for many providers at once.

    An active indicator applies when it lists no services, or lists a service covered
    by one of the provider's contracts that is not a draft and runs during the month.
    Returns {provider_id: [Indicator]} in a fixed number of queries, each indicator showing the
    target and amber threshold in force that month.
    """
    indicators = show_targets_in_force(active_indicators() if indicators is None else indicators, period)
    services = provider_services_in(period, provider_ids)
    result = {}
    for provider_id in provider_ids:
        held = services.get(provider_id, set())
        result[provider_id] = [i for i in indicators if not i.service_ids or i.service_ids & held]
    return result


def recent_values(provider_id, period, indicator_ids, months=12):
    """{indicator_id: {period: IndicatorValue}} over the months before `period`, from received
    returns only (submitted or locked): a draft is seen by no one outside its team and never
    shapes another month's usual range (METHODOLOGY, "Who is rated" and 8, reliability)."""
    window = previous_months(period, months)
    values = IndicatorValue.objects.filter(
        monthly_return__provider_id=provider_id,
        monthly_return__period__in=window,
        monthly_return__status__in=RECEIVED_STATUSES,
        indicator_id__in=indicator_ids,
    ).select_related("monthly_return")
    # Only what the history strip and the usual range read: a return's page reads about 560 of
    # these, and loading each whole value and return was a third of the page's time (issue 20).
    values = values.only("indicator_id", "status", "rag", "value", "monthly_return__period")
    history = defaultdict(dict)
    for value in values:
        history[value.indicator_id][value.monthly_return.period] = value
    return history


def locked_periods(periods=None):
    locks = PeriodLock.objects.filter(locked=True)
    if periods is not None:
        locks = locks.filter(period__in=list(periods))
    return set(locks.values_list("period", flat=True))


# The collection overview ------------------------------------------------------------

# Kept importable from here for the views and tables that read a row's state.
NOT_STARTED, DRAFT, SUBMITTED, LATE, OVERDUE, LOCKED = (
    ReturnState.NOT_STARTED,
    ReturnState.DRAFT,
    ReturnState.SUBMITTED,
    ReturnState.LATE,
    ReturnState.OVERDUE,
    ReturnState.LOCKED,
)


def submitted_on(monthly_return):
    """The London date a return was submitted (None if it has not been)."""
    if monthly_return is None or monthly_return.submitted_at is None:
        return None
    return timezone.localdate(monthly_return.submitted_at)


def return_state(monthly_return, deadline_day, today, period_locked):
    """Where a provider's return (or None) for a month stands, a ReturnState: the rule of
    METHODOLOGY 8, timeliness (rules.return_state), on the return's status and London date."""
    return ReturnState(
        rules.return_state(
            status=monthly_return.status if monthly_return is not None else None,
            submitted_on=submitted_on(monthly_return),
            deadline=deadline_day,
            today=today,
            period_locked=period_locked,
        )
    )


# A row with a result (METHODOLOGY 8, completeness); missing and development plan rows are not.
COMPLETE_STATUSES = (ValueStatus.REPORTED, ValueStatus.NOT_APPLICABLE)


def received_series(provider_ids, indicator_ids, first, last):
    """{(provider_id, indicator_id): {period: value}}: the reported values of received returns
    (submitted or locked) from month `first` to month `last`, the history the outlier test of
    METHODOLOGY 8 looks at.

    Two queries, the returns then their values by return and indicator: in one join SQLite
    (without statistics) would read every value of the indicators, the whole history of the
    estate, to keep those of a few providers (profiled: over half of a month's upload)."""
    returns = {
        pk: (provider_id, period)
        for pk, provider_id, period in MonthlyReturn.objects.order_by()
        .filter(
            provider_id__in=list(provider_ids),
            period__gte=first,
            period__lte=last,
            status__in=RECEIVED_STATUSES,
        )
        .values_list("pk", "provider_id", "period")
    }
    series = defaultdict(dict)
    if not returns:
        return series
    for return_id, indicator_id, value in (
        IndicatorValue.objects.order_by()
        .filter(
            monthly_return_id__in=list(returns),
            indicator_id__in=list(indicator_ids),
            status=ValueStatus.REPORTED,
            value__isnull=False,
        )
        .values_list("monthly_return_id", "indicator_id", "value")
    ):
        provider_id, period = returns[return_id]
        series[(provider_id, indicator_id)][period] = value
    return series


def first_collection_period():
    """The first month in which any provider has a value row: collection began then. None
    before any value has been entered."""
    # The earliest return with a value (not the earliest value: that ordered every value row).
    with_values = IndicatorValue.objects.filter(monthly_return=OuterRef("pk"))
    return MonthlyReturn.objects.filter(Exists(with_values)).order_by("period").values_list("period", flat=True).first()


def collection_overview(period, today):
    """Every provider expected to make a return for the month, its return and its completeness.

    Only providers in scope (a live contract that month, METHODOLOGY "Who is rated") with an
    applicable indicator are expected: before a provider's first live month and after its last
    it is not listed, not counted and never overdue. Completeness (METHODOLOGY 8) counts rows
    with a result (reported or not applicable) in a received return; a return not received
    (none, or still a draft) counts as 0%, though a draft's own progress is shown as `present`.
    A fixed number of queries whatever the number of providers.
    """
    due = deadline(period)
    began = first_collection_period()
    if began is not None and period < began:
        # Collection began later: nothing was expected for this month (no overdue returns).
        return {"rows": [], "deadline": due, "locked": period in locked_periods([period]), "began": began}
    scope = in_scope_in(period)
    providers = [p for p in Provider.objects.filter(active=True).order_by("name") if p.pk in scope]
    applicable = applicable_indicators(period, [p.pk for p in providers])
    returns = {r.provider_id: r for r in MonthlyReturn.objects.filter(period=period)}
    complete_rows = defaultdict(set)
    for provider_id, indicator_id in IndicatorValue.objects.filter(
        monthly_return__period=period, status__in=COMPLETE_STATUSES
    ).values_list("monthly_return__provider_id", "indicator_id"):
        complete_rows[provider_id].add(indicator_id)
    teams_by_provider = defaultdict(set)
    for provider_id, team_id in (
        Contract.objects.live_in(period).values_list("provider_id", "commissioning_team_id").distinct()
    ):
        teams_by_provider[provider_id].add(team_id)
    locked = period in locked_periods([period])
    rows = []
    for provider in providers:
        indicators = applicable[provider.pk]
        if not indicators:
            continue
        monthly_return = returns.get(provider.pk)
        received = monthly_return is not None and monthly_return.status in RECEIVED_STATUSES
        present = len(complete_rows[provider.pk] & {i.pk for i in indicators})
        counted = present if received else 0
        rows.append(
            {
                "provider": provider,
                "return": monthly_return,
                "state": return_state(monthly_return, due, today, locked),
                "on_time": submitted_on(monthly_return) is not None and submitted_on(monthly_return) <= due,
                "received": received,
                "expected": len(indicators),
                "present": present,  # rows with a result in the return, received or not
                "counted": counted,  # what completeness counts: nothing until received
                "completeness": round(100 * counted / len(indicators)),
                "progress": round(100 * present / len(indicators)),
                "team_ids": teams_by_provider[provider.pk],
            }
        )
    return {"rows": rows, "deadline": due, "locked": locked, "began": began}


def team_summaries(rows, teams):
    """Completeness and timeliness per commissioning team, and overall (METHODOLOGY 8).

    Completeness is the share of the expected results that are in received returns; a
    provider counts in the teams holding a live contract with it that month.
    """

    def summarise(selected):
        expected = sum(r["expected"] for r in selected)
        counted = sum(r["counted"] for r in selected)
        on_time = sum(1 for r in selected if r["on_time"])
        return {
            "providers": len(selected),
            "completeness": round(100 * counted / expected) if expected else None,
            "timeliness": round(100 * on_time / len(selected)) if selected else None,
            "overdue": sum(1 for r in selected if r["state"] == OVERDUE),
            "not_received": sum(1 for r in selected if not r["received"]),
        }

    summaries = [(team, summarise([r for r in rows if team.pk in r["team_ids"]])) for team in teams]
    return [(team, s) for team, s in summaries if s["providers"]], summarise(rows)


def unresolved_failed_run():
    """The newest rating job that failed, unless a later job has since completed."""
    failed = RatingRun.objects.filter(status=RatingRun.Status.FAILED).order_by("-requested_at").first()
    if (
        failed is None
        or RatingRun.objects.filter(status=RatingRun.Status.DONE, requested_at__gt=failed.requested_at).exists()
    ):
        return None
    return failed
