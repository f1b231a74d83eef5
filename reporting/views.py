"""The RAG dashboard and the provider's performance page."""

import json

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from assurance.choices import Area
from assurance.models import ProviderRating
from assurance.periods import format_period, parse_period, shift
from providers.choices import Country, Sector
from providers.models import CommissioningTeam, Provider

from . import selectors

SORTS = {
    "provider": lambda r: r["provider"].name,
    "level": lambda r: (-(r["rating"].recommended_level or 0), r["provider"].name),
    "escalation": lambda r: (-(r["rating"].escalation_level or 0), r["provider"].name),
    "reds": lambda r: (-r["rating"].reds, -r["rating"].ambers, r["provider"].name),
}


@login_required
@permission_required("assurance.view_providerrating", raise_exception=True)
def dashboard(request):
    months = sorted(ProviderRating.objects.values_list("period", flat=True).distinct(), reverse=True)
    try:
        period = parse_period(request.GET["period"]) if request.GET.get("period") else (months[0] if months else None)
    except ValueError:
        period = months[0] if months else None
    if period is None:
        return render(request, "reporting/dashboard.html", {"empty": True})
    rows = selectors.scorecard(period, timezone.localdate())
    all_rows = rows
    team, sector, country = request.GET.get("team", ""), request.GET.get("sector", ""), request.GET.get("country", "")
    level, changed, overdue = request.GET.get("level", ""), request.GET.get("changed"), request.GET.get("overdue")
    if team.isdigit():
        rows = [r for r in rows if int(team) in r["team_ids"]]
    if sector:
        rows = [r for r in rows if r["provider"].sector == sector]
    if country:
        rows = [r for r in rows if r["provider"].country == country]
    if level.isdigit():
        rows = [r for r in rows if r["rating"].escalation_level == int(level)]
    if changed:
        rows = [r for r in rows if r["changed"]]
    if overdue:
        rows = [r for r in rows if r["overdue_meetings"]]
    sort = request.GET.get("sort", "escalation")
    rows = sorted(rows, key=SORTS.get(sort, SORTS["escalation"]))
    counts = {n: sum(1 for r in all_rows if r["rating"].escalation_level == n) for n in (1, 2, 3, 4)}
    query = request.GET.copy()
    query.pop("sort", None)
    return render(request, "reporting/dashboard.html", {
        "period": period, "period_text": format_period(period), "previous": shift(period, -1),
        "months": [format_period(m) for m in months], "rows": rows, "total": len(all_rows), "counts": counts,
        "areas": [(a, label) for a, label in Area.choices if a != Area.ACCESS],
        "teams": CommissioningTeam.objects.filter(active=True), "sectors": Sector.choices, "countries": Country.choices,
        "filters": {"team": team, "sector": sector, "country": country, "level": level,
                    "changed": bool(changed), "overdue": bool(overdue)},
        "sort": sort, "sort_query": query.urlencode(), "step_ups": selectors.step_ups(period),
    })


@login_required
@permission_required("assurance.view_providerrating", raise_exception=True)
@permission_required("providers.view_provider", raise_exception=True)
def provider_performance(request, code):
    """Area ratings over 24 months and an SPC chart for each numeric indicator."""
    import pandas as pd

    from assurance.models import Indicator

    from . import charts, spc

    provider = get_object_or_404(Provider, code=code)
    latest = ProviderRating.objects.filter(provider=provider).order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        return render(request, "reporting/provider_performance.html", {"provider": provider, "empty": True})
    data = selectors.provider_performance(provider, latest)
    figures = []
    if not data["values"].empty:
        indicators = Indicator.objects.in_bulk(data["values"]["indicator_id"].unique().tolist())
        for indicator_id, series in data["values"].groupby("indicator_id"):
            indicator = indicators[indicator_id]
            frame = pd.DataFrame({"period": pd.to_datetime(series["monthly_return__period"]),
                                  "value": series["value"].astype(float)}).sort_values("period")
            trajectory = None
            if not data["trajectories"].empty:
                t = data["trajectories"][data["trajectories"]["indicator_id"] == indicator_id]
                trajectory = pd.DataFrame({"period": pd.to_datetime(t["period"]), "value": t["value"].astype(float)})
            fig, chart, variation, assurance = charts.indicator_figure(
                frame, title=indicator.name, unit_label=indicator.get_unit_display(), target=indicator.target,
                amber=indicator.amber_threshold, higher_is_better=indicator.polarity == "higher_better",
                trajectory=trajectory)
            figures.append({
                "indicator": indicator, "id": f"chart-{indicator.pk}", "data_id": f"chart-{indicator.pk}-data",
                "figure": json.loads(fig.to_json()),
                "variation": variation, "variation_meaning": spc.VARIATION_MEANING[variation],
                "assurance": assurance, "assurance_meaning": spc.ASSURANCE_MEANING.get(assurance, ""),
                "table": list(zip(frame["period"].dt.strftime("%b %Y"), frame["value"], chart.special, strict=True)),
                "chart": chart,
            })
    figures.sort(key=lambda f: (f["indicator"].area, f["indicator"].name))
    return render(request, "reporting/provider_performance.html", {
        "provider": provider, "latest": latest, "figures": figures, **data})
