"""The risk registers (METHODOLOGY 7; seed 001, 4.4.1): the commissioning team register (score 8 to
12) and the corporate risk register, CRAF (15 and above). Each risk with its controls, owner,
review date and trend (its score against its previous score, from the risk's history)."""

from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from assurance.rules import is_overdue
from contracts.models import Contract

from .choices import PlanStatus, RiskRegister
from .models import Risk

REGISTERS = {
    RiskRegister.TEAM: (8, 12),
    RiskRegister.CORPORATE: (15, 25),
}
TREND_LABELS = {"up": _("Rising"), "down": _("Falling"), "same": _("No change"), "new": _("New")}
SORTS = {
    "score": ["-risk_score", "review_date", "provider__name"],
    "review": ["review_date", "-risk_score", "provider__name"],
    "provider": ["provider__name", "-risk_score"],
    "owner": ["owner", "-risk_score"],
}


def register_risks(
    register, *, provider_ids=None, team=None, provider=None, owner="", overdue=False, today, sort="score"
):
    """The open risks on a register, filtered: `provider_ids` (None: all) the providers the reader
    may see; `team` a CommissioningTeam (the risk's team, or the providers it commissions when the
    risk names none); `provider`; `owner` (part of the name); `overdue` (review date gone by)."""
    low, high = REGISTERS[register]
    risks = (
        Risk.objects.filter(status=PlanStatus.OPEN)
        .annotate(risk_score=F("likelihood") * F("consequence"))
        .filter(risk_score__gte=low, risk_score__lte=high)
        .select_related("provider", "team")
    )
    if provider_ids is not None:
        risks = risks.filter(provider_id__in=provider_ids)
    if team is not None:
        commissioned = Contract.objects.commissioned().filter(commissioning_team=team).values("provider_id")
        risks = risks.filter(Q(team=team) | Q(team__isnull=True, provider_id__in=commissioned))
    if provider is not None:
        risks = risks.filter(provider=provider)
    if owner:
        risks = risks.filter(owner__icontains=owner)
    if overdue:
        risks = risks.filter(review_date__lt=today)
    risks = list(risks.order_by(*SORTS.get(sort, SORTS["score"])))
    add_trends(risks, today)
    return risks


def add_trends(risks, today):
    """Each risk's trend: its score against the last different score in its history; and whether
    its review date has gone by."""
    history = Risk.history.model.objects.filter(id__in=[r.pk for r in risks]).order_by("id", "-history_date")
    scores = {}
    for row in history.values_list("id", "likelihood", "consequence"):
        scores.setdefault(row[0], []).append(row[1] * row[2])
    for risk in risks:
        earlier = [s for s in scores.get(risk.pk, []) if s != risk.score]
        if not earlier:
            risk.trend = "same" if len(scores.get(risk.pk, [])) > 1 else "new"
        else:
            risk.trend = "up" if risk.score > earlier[0] else "down"
        risk.trend_label = TREND_LABELS[risk.trend]
        risk.review_overdue = is_overdue(risk.review_date, today)


def export_rows(risks):
    header = [
        str(_("Provider")),
        str(_("Risk")),
        str(_("Key area")),
        str(_("Team")),
        str(_("Likelihood")),
        str(_("Consequence")),
        str(_("Score")),
        str(_("Trend")),
        str(_("Controls in place")),
        str(_("Mitigation")),
        str(_("Owner")),
        str(_("Review date")),
        str(_("Review overdue")),
    ]
    rows = [
        [
            r.provider.name,
            r.title,
            str(r.get_area_display()) if r.area else "",
            r.team.name if r.team else "",
            r.likelihood,
            r.consequence,
            r.score,
            str(r.trend_label),
            r.controls,
            r.mitigation,
            r.owner,
            r.review_date.isoformat(),
            str(_("yes")) if r.review_overdue else str(_("no")),
        ]
        for r in risks
    ]
    return header, rows
