"""Reads for the contract register."""

from datetime import date
from typing import NamedTuple

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import BigIntegerField, Count, F, Sum
from django.db.models.functions import Cast, Round

from providers.models import Service
from providers.periods import financial_year_months, financial_year_start, month_end, months_from
from providers.selectors import history_entries

from .finance import LineFacts, combine, line_position
from .models import Contract, ContractLine, LineActual


def contract_list():
    return Contract.objects.with_tier().select_related("provider", "commissioning_team")


def contract_totals(queryset):
    """Count and value totals of a (filtered) list of contracts, in one query."""
    totals = queryset.order_by().aggregate(count=Count("pk"), annual=Sum("annual_value"), total=Sum("total_value"))
    return {key: value or 0 for key, value in totals.items()}


def provider_contracts(provider):
    return contract_list().filter(provider=provider).order_by("-status", "reference")


def provider_services(provider):
    """Services commissioned from the provider under contracts that are not drafts.

    One filter on the contract lines, so a service is listed when one of this provider's
    commissioned contracts covers it, whatever other contracts (drafts elsewhere) say.
    """
    return (
        Service.objects.filter(contract_lines__contract__in=Contract.objects.commissioned().filter(provider=provider))
        .select_related("commissioning_team")
        .distinct()
        .order_by("name")
    )


def contract_detail(pk):
    return contract_list().prefetch_related("lines__service").get(pk=pk)


def contract_history(contract):
    """The contract's own changes and its lines being added, changed or removed."""
    records = list(contract.history.select_related("history_user"))
    line_records = list(ContractLine.history.filter(contract_id=contract.pk).select_related("history_user", "service"))
    entries = history_entries(records) + history_entries(line_records, subject=lambda record: str(record.service))
    return sorted(entries, key=lambda entry: entry.when, reverse=True)


def contract_lines_totals(contract):
    return contract.lines.aggregate(activity=Sum("planned_activity"), cost=Sum("planned_cost"))


# Finance and activity against contract (METHODOLOGY 9) -----------------------------------------


class LineKey(NamedTuple):
    """Who a line's figures belong to, for summing per contract, provider, team or estate."""

    line_id: int
    contract_id: int
    provider_id: int
    team_id: int
    service_id: int


def finance_lines(first_month, last_month=None, *, provider_ids=None, team_ids=None, contract_ids=None, sectors=None):
    """finance.LineFacts (keyed by LineKey) for every line of a commissioned contract live in any
    month of the financial years from `first_month`'s to `last_month`'s, with their actuals: a
    fixed number of queries whatever the estate's size."""
    last_month = last_month or first_month
    first = financial_year_start(first_month)
    last = financial_year_months(last_month)[-1]
    contracts = Contract.objects.live_during(first, month_end(last))
    if provider_ids is not None:
        contracts = contracts.filter(provider_id__in=provider_ids)
    if team_ids is not None:
        contracts = contracts.filter(commissioning_team_id__in=team_ids)
    if contract_ids is not None:
        contracts = contracts.filter(pk__in=contract_ids)
    if sectors is not None:
        contracts = contracts.filter(provider__sector__in=sectors)
    pence = Cast(Round(F("cost") * 100), BigIntegerField())
    rows = raw_rows(
        ContractLine.objects.filter(contract__in=contracts).values_list(
            "pk",
            "contract_id",
            "contract__provider_id",
            "contract__commissioning_team_id",
            "service_id",
            "planned_activity",
            Cast(Round(F("planned_cost") * 100), BigIntegerField()),
            "contract__start_date",
            "contract__end_date",
        )
    )
    months = months_from(first, last)
    # SQLite hands dates back as text and PostgreSQL as dates: both are mapped to the months' dates.
    as_month = {**{str(m): m for m in months}, **{m: m for m in months}}
    actuals = {}
    for line_id, period, activity, cost in raw_rows(
        LineActual.objects.filter(line__contract__in=contracts, period__gte=first, period__lte=last).values_list(
            "line_id", "period", "activity", pence
        )
    ):
        actuals.setdefault(line_id, {})[as_month[period]] = (activity, int(cost))
    lines = []
    for line_id, contract_id, provider_id, team_id, service_id, activity, cost, start, end in rows:
        starts, ends = _as_date(start).replace(day=1), _as_date(end)
        lines.append(
            LineFacts(
                key=LineKey(line_id, contract_id, provider_id, team_id, service_id),
                planned_activity=activity,
                planned_cost=None if cost is None else int(cost),
                live_months=frozenset(month for month in months if starts <= month <= ends),
                actuals=actuals.get(line_id, {}),
                in_pence=True,
            )
        )
    return lines


def _as_date(value):
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def raw_rows(queryset):
    """A values_list queryset's rows straight from the driver, without Django's per-value converters
    (a national estate's year of actuals is hundreds of thousands of rows)."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing (an empty list of providers)
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def finance_by(lines, month, field):
    """{LineKey field value: finance.Position at `month`} over `lines`, e.g. field="provider_id"."""
    grouped = {}
    for line in lines:
        grouped.setdefault(getattr(line.key, field), []).append(line_position(line, month))
    return {key: combine(positions) for key, positions in grouped.items() if any(p.lines for p in positions)}


def actual_months(first=None, last=None):
    """The months in which any actual is recorded, oldest first (export_finance's periods)."""
    actuals = LineActual.objects.all()
    if first is not None:
        actuals = actuals.filter(period__gte=first)
    if last is not None:
        actuals = actuals.filter(period__lte=last)
    return list(actuals.order_by("period").values_list("period", flat=True).distinct())


def contract_actuals(contract, months):
    """{(line_id, month): LineActual} of a contract's lines in these months (the grid)."""
    return {
        (actual.line_id, actual.period): actual
        for actual in LineActual.objects.filter(line__contract=contract, period__in=months)
    }
