"""The RAG dashboard: the month's scorecard for every provider."""

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import render
from django.utils import timezone

from assurance.choices import Area
from assurance.models import ProviderRating
from assurance.periods import format_period, parse_period, shift
from providers.choices import Country, Sector
from providers.models import CommissioningTeam

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
