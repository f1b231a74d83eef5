"""The financial position for a month (METHODOLOGY 9): totals, the biggest variances first, and
cumulative plan against actual and forecast, for the estate, a provider, a team or a contract.

The figures are contracts.finance's exact rules over contracts.selectors.finance_lines (a fixed
number of queries); results are rounded only here, for display, half up."""

from dataclasses import dataclass

from contracts.finance import combine, cumulative, line_position, money, percent
from contracts.models import Contract, LineActual
from contracts.selectors import finance_lines
from providers.models import CommissioningTeam, Provider
from providers.periods import financial_year_label, financial_year_start, format_period


@dataclass(frozen=True)
class Row:
    """One provider, contract or team at the month, rounded for display."""

    key: int
    name: str
    code: str
    plan_activity: object
    actual_activity: object
    activity_variance: object
    activity_against_plan: object
    plan_cost: object
    actual_cost: object
    cost_variance: object
    cost_variance_percent: object
    cost_against_plan: object
    forecast_outturn_cost: object
    forecast_variance: object
    plan_cost_year: object
    missing: int
    exact_cost_variance: object = None  # for sorting: the biggest variance, either way, first

    @property
    def overspend(self):
        return self.cost_variance is not None and self.cost_variance > 0


def row(key, name, code, pos):
    return Row(
        key=key,
        name=name,
        code=code,
        plan_activity=money(pos.plan_activity),
        actual_activity=money(pos.actual_activity),
        activity_variance=money(pos.activity_variance),
        activity_against_plan=percent(pos.activity_against_plan),
        plan_cost=money(pos.plan_cost),
        actual_cost=money(pos.actual_cost),
        cost_variance=money(pos.cost_variance),
        cost_variance_percent=percent(pos.cost_variance_percent),
        cost_against_plan=percent(pos.cost_against_plan),
        forecast_outturn_cost=money(pos.forecast_outturn_cost),
        forecast_variance=money(pos.forecast_variance),
        plan_cost_year=money(pos.plan_cost_year),
        missing=len(pos.missing),
        exact_cost_variance=pos.cost_variance,
    )


def _biggest(grouped, limit):
    """The keys of the `limit` biggest cost variances (all when None)."""
    if limit is None:
        return list(grouped)
    return [key for key, _pos in sorted(grouped.items(), key=lambda item: -abs(item[1].cost_variance_12p))[:limit]]


def _grouped(positions, field):
    """{LineKey field: combined Position} of (LineFacts, Position) pairs."""
    grouped = {}
    for line, pos in positions:
        grouped.setdefault(getattr(line.key, field), []).append(pos)
    return {key: combine(group) for key, group in grouped.items()}


def _rows(grouped, describe, limit=None):
    """Rows for the groups, biggest cost variance (either way) first; only the rows kept are rounded."""
    order = sorted(grouped.items(), key=lambda item: -abs(item[1].cost_variance_12p))
    return [row(key, *describe(key), pos) for key, pos in order[:limit]]


def series(lines, month):
    """The chart's data as a compact list of numbers: [(YYYY-MM, plan, actual or None, forecast or
    None)], cumulative cost over the financial year, in pounds to two places."""
    return [(format_period(m), money(p), money(a), money(f)) for m, p, a, f in cumulative(lines, month)]


def financial_position(month, *, team_ids=None, provider_ids=None, sectors=None, contract_id=None, limit=None):
    """Everything the financial position page shows for `month` and its filters. Each line's
    position is worked out once, in whole numbers (contracts.finance), then summed per provider,
    contract and team."""
    every = finance_lines(month, team_ids=team_ids, provider_ids=provider_ids, sectors=sectors)
    positions = [(line, pos) for line in every if (pos := line_position(line, month)).lines]
    lines = [line for line, _pos in positions]
    providers = _grouped(positions, "provider_id")
    contracts = _grouped(positions, "contract_id")
    teams = _grouped(positions, "team_id")
    shown = _biggest(providers, limit)
    provider_info = {
        pk: (name, code) for pk, name, code in Provider.objects.filter(pk__in=shown).values_list("pk", "name", "code")
    }
    contract_info = {
        c.pk: c
        for c in Contract.objects.filter(pk__in=[*_biggest(contracts, limit), contract_id])
        .select_related("provider")
        .only("pk", "reference", "title", "provider__name")
    }
    team_names = dict(CommissioningTeam.objects.filter(pk__in=teams).values_list("pk", "name"))
    total = combine(pos for _line, pos in positions)
    chosen = contract_info.get(contract_id) if contract_id is not None else None
    return {
        "month": month,
        "year_label": financial_year_label(month),
        "year_start": financial_year_start(month),
        "total": row(0, "", "", total) if positions else None,
        "providers": _rows(providers, lambda pk: provider_info[pk], limit),
        "provider_count": len(providers),
        "contracts": _rows(
            contracts,
            lambda pk: (f"{contract_info[pk].reference}: {contract_info[pk].title}", contract_info[pk].provider.name),
            limit,
        ),
        "contract_count": len(contracts),
        "teams": _rows(teams, lambda pk: (team_names[pk], "")),
        "series": series(lines, month) if positions else [],
        "contract": chosen,
        "contract_series": series([line for line in lines if line.key.contract_id == chosen.pk], month)
        if chosen
        else [],
        "missing": len(total.missing),
    }


def provider_position(provider, month):
    """A provider's position at `month` (the provider page and highlight report), or None."""
    lines = finance_lines(month, provider_ids=[provider.pk])
    pos = combine(line_position(line, month) for line in lines)
    if not pos.lines:
        return None
    return row(provider.pk, provider.name, provider.code, pos)


def provider_finance(provider, today):
    """The provider page's position: at the latest month with an actual recorded for the provider
    (up to this month), or this month when none is."""
    this_month = today.replace(day=1)
    latest = (
        LineActual.objects.filter(line__contract__provider=provider, period__lte=this_month)
        .order_by("-period")
        .values_list("period", flat=True)
        .first()
    )
    month = latest or this_month
    return {"finance": provider_position(provider, month), "finance_month": month, "show_finance": True}


PACK_PROVIDERS = 15  # the biggest variances a pack lists


def pack_finance(period, provider_ids=None):
    """A pack's "financial_position" section (reporting.packs.finance): the position at the pack's
    month for the providers in its committee's scope (all when None), as plain values."""
    position = financial_position(
        period, provider_ids=None if provider_ids is None else list(provider_ids), limit=PACK_PROVIDERS
    )

    def plain(r):
        return {name: getattr(r, name) for name in Row.__dataclass_fields__ if name != "exact_cost_variance"}

    return {
        "month": period,
        "year_label": position["year_label"],
        "total": plain(position["total"]) if position["total"] else None,
        "providers": [plain(r) for r in position["providers"][:PACK_PROVIDERS]],
    }
