"""Reads for the assurance framework: which indicators apply, returns, recent values."""

from collections import defaultdict

from contracts.choices import ContractStatus
from contracts.models import ContractLine

from .models import Indicator, IndicatorValue
from .periods import month_end, previous_months


def provider_services_in(period, provider_ids=None):
    """{provider_id: {service_id}} from contracts that are not drafts and run during the month."""
    lines = ContractLine.objects.exclude(contract__status=ContractStatus.DRAFT).filter(
        contract__start_date__lte=month_end(period), contract__end_date__gte=period
    )
    if provider_ids is not None:
        lines = lines.filter(contract__provider_id__in=provider_ids)
    services = defaultdict(set)
    for provider_id, service_id in lines.values_list("contract__provider_id", "service_id"):
        services[provider_id].add(service_id)
    return services


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
    Returns {provider_id: [Indicator]} in a fixed number of queries.
    """
    indicators = active_indicators() if indicators is None else indicators
    services = provider_services_in(period, provider_ids)
    result = {}
    for provider_id in provider_ids:
        held = services.get(provider_id, set())
        result[provider_id] = [i for i in indicators if not i.service_ids or i.service_ids & held]
    return result


def recent_values(provider_id, period, indicator_ids, months=12):
    """{indicator_id: {period: IndicatorValue}} over the months before `period`."""
    window = previous_months(period, months)
    values = IndicatorValue.objects.filter(
        monthly_return__provider_id=provider_id,
        monthly_return__period__in=window,
        indicator_id__in=indicator_ids,
    ).select_related("monthly_return")
    history = defaultdict(dict)
    for value in values:
        history[value.indicator_id][value.monthly_return.period] = value
    return history


def team_provider_ids(user):
    """Providers the user's teams hold live contracts with (team members may enter these)."""
    from contracts.models import Contract

    return set(
        Contract.objects.filter(commissioning_team__in=user.teams.all())
        .exclude(status=ContractStatus.DRAFT)
        .values_list("provider_id", flat=True)
    )


def locked_periods(periods=None):
    from .models import PeriodLock

    locks = PeriodLock.objects.filter(locked=True)
    if periods is not None:
        locks = locks.filter(period__in=list(periods))
    return set(locks.values_list("period", flat=True))


