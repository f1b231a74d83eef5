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

from assurance.choices import Area, Polarity, Rag, ReturnStatus, ValueStatus
from assurance.models import IndicatorValue, MonthlyReturn, PeriodLock, Trajectory
from assurance.selectors import active_indicators, applicable_indicators
from assurance.services import period_lock
from providers.bulk import insert_rows
from providers.choices import InterventionLevel
from providers.models import Provider
from providers.periods import deadline, shift

STRUGGLING = {InterventionLevel.SPECIAL_MEASURES, InterventionLevel.TARGETED_INTERVENTION}
# How well each kind of provider performs: how far above its targets it sits, in amber
# gaps (negative: below target). Targeted intervention providers recover in the last
# five months, so the demo shows step-down proposals.
QUALITY = {
    InterventionLevel.SPECIAL_MEASURES: -0.7,
    InterventionLevel.TARGETED_INTERVENTION: -0.7,
    InterventionLevel.ENHANCED_MONITORING: 0.35,
    InterventionLevel.AREA_OF_CONCERN: 0.6,
    InterventionLevel.ROUTINE: 1.3,
}
RECOVERY_MONTHS = 5


def quality(provider, period, latest):
    level = provider.intervention_level
    if level == InterventionLevel.TARGETED_INTERVENTION and period > shift(latest, -RECOVERY_MONTHS):
        return 1.3
    return QUALITY.get(level, 1.0)


NOTES_RED = [
    "Discussed at the CQPRM; the provider has agreed a recovery plan.",
    "Workforce gaps in theatres; locum cover from next month.",
    "Concern raised by the clinical network; deep dive requested.",
]


def _numeric(indicator, rng, q):
    target = indicator.target
    amber = indicator.amber_threshold
    higher = indicator.polarity == Polarity.HIGHER_BETTER
    if target == 0:  # counts that should be zero (never events, MRSA, long waits)
        chance = 0.2 if q < 0 else 0.05 if q < 1 else 0.01
        return Decimal(rng.randint(1, 3) if rng.random() < chance else 0)
    gap = abs(target - amber) if amber is not None else target * Decimal("0.05")
    shift_by = gap * Decimal(str(q))
    centre = target + shift_by if higher else target - shift_by
    value = Decimal(str(rng.gauss(float(centre), float(gap) * 0.5)))
    if indicator.unit == "percent":
        value = min(max(value, Decimal(0)), Decimal(100))
    value = max(value, Decimal(0))
    return value.quantize(Decimal("1") if indicator.unit == "count" else Decimal("0.1"))


def _judgement(rng, q):
    draw = rng.random()
    if q < 0:
        return Rag.RED if draw < 0.25 else Rag.AMBER if draw < 0.6 else Rag.GREEN
    if q < 1:
        return Rag.RED if draw < 0.05 else Rag.AMBER if draw < 0.35 else Rag.GREEN
    return Rag.RED if draw < 0.01 else Rag.AMBER if draw < 0.06 else Rag.GREEN


def _submission(rng, period, is_latest):
    """When the return was submitted (None: not yet), given the month's deadline."""
    due = deadline(period)
    today = timezone.localdate()
    draw = rng.random()
    if is_latest and draw < 0.1:
        return None
    late = draw > (0.8 if is_latest else 0.87)
    day = due + timedelta(days=rng.randint(1, 12)) if late else due - timedelta(days=rng.randint(0, 10))
    if day > today:
        return None  # not submitted yet: overdue (or still in time) as of today
    return timezone.make_aware(datetime.combine(day, time(10, rng.randint(0, 59))))


def generate_returns(*, months=14, latest=None, lock_before_months=3, seed="", history=True):
    """Create returns for the last `months` months for every active provider; returns the count.

    Month by month, so memory stays flat however large the estate. Months that already have a
    return for a provider are left alone (idempotent). `seed` varies the numbers between
    estates (the demo's are fixed); `history=False` skips the change-history rows, which a
    generated benchmark estate does not need.
    """
    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    periods = [shift(latest, -n) for n in range(months - 1, -1, -1)]
    providers = list(Provider.objects.filter(active=True).order_by("code"))
    indicators = active_indicators()
    User = get_user_model()
    submitter = User.objects.filter(groups__name="Commissioning team member").order_by("pk").first()
    now = timezone.now()
    if history:

        def create(rows, model):
            bulk_create_with_history(rows, model, batch_size=2000)

        def create_values(rows):
            create(
                [IndicatorValue(monthly_return_id=r, indicator=i, **fields) for r, i, fields in rows], IndicatorValue
            )
    else:

        def create(rows, model):
            model.objects.bulk_create(rows, batch_size=5000)

        def create_values(rows):  # a large estate's millions of rows, straight to the driver
            insert_rows(
                IndicatorValue,
                ["monthly_return_id", "indicator_id", "status", "value", "rag", "note", "created_at", "updated_at"],
                ((r, i.id, f["status"], f["value"], f["rag"], f["note"], now, now) for r, i, f in rows),
            )

    created = 0
    for period in periods:
        existing = set(MonthlyReturn.objects.filter(period=period).values_list("provider_id", flat=True))
        applicable = applicable_indicators(period, [p.pk for p in providers], indicators)
        new_returns, pending_values = [], []
        for provider in providers:
            if provider.pk in existing or not applicable[provider.pk]:
                continue
            # Generated data, not security: a seeded generator makes every run the same.
            rng = random.Random(f"{seed}{provider.code}-{period:%Y-%m}")  # noqa: S311  # nosec B311
            q = quality(provider, period, latest)
            submitted_at = _submission(rng, period, period == latest)
            status = ReturnStatus.SUBMITTED if submitted_at else ReturnStatus.DRAFT
            if submitted_at is None and rng.random() < 0.5:
                continue  # not started at all
            new_returns.append(
                MonthlyReturn(
                    provider=provider,
                    period=period,
                    status=status,
                    submitted_at=submitted_at,
                    submitted_by=submitter if submitted_at else None,
                )
            )
            for indicator in applicable[provider.pk]:
                if indicator.derived:
                    continue  # derived from contract actuals (METHODOLOGY 9), never typed in a return
                fields = _result(indicator, rng, q)
                if fields is not None:
                    pending_values.append((provider.pk, indicator, fields))
        create(new_returns, MonthlyReturn)
        saved = dict(MonthlyReturn.objects.filter(period=period).values_list("provider_id", "pk"))
        create_values([(saved[provider_id], indicator, fields) for provider_id, indicator, fields in pending_values])
        created += len(new_returns)
    _lock_signed_off_months(periods, latest, lock_before_months)
    _trajectories(providers, indicators, latest)
    return created


def _result(indicator, rng, q):
    """One indicator's result in a return (None: no row at all, which counts as missing)."""
    draw = rng.random()
    if indicator.critical and q > 0:
        draw = 0.5  # well-run providers always report their critical indicators
    if draw < 0.005 * (3 if q < 0 else 1):
        return None
    fields = {"status": ValueStatus.REPORTED, "value": None, "rag": "", "note": ""}
    if draw < 0.012 * (3 if q < 0 else 1):
        fields["status"] = ValueStatus.MISSING
    elif draw < 0.04 and indicator.cohort == "diverted":
        fields["status"] = ValueStatus.DEVELOPMENT_PLAN
        fields["note"] = "Data collection agreed in the development plan; first figures next quarter."
    elif indicator.judgement:
        fields["rag"] = _judgement(rng, q)
        if fields["rag"] != Rag.GREEN:
            fields["note"] = rng.choice(NOTES_RED)
    else:
        fields["value"] = _numeric(indicator, rng, q)
    return fields


def target_change(latest=None):
    """A change of target from a month on (METHODOLOGY, "Targets change over time"): the
    interim referral-to-treatment target agreed for the recovery year, three months ago."""
    from assurance.models import Indicator, IndicatorTarget

    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    rtt = Indicator.objects.filter(code="rtt_26_weeks").first()
    admin = get_user_model().objects.filter(groups__name="Register administrator").order_by("pk").first()
    if rtt is None or IndicatorTarget.objects.filter(indicator=rtt).exists():
        return False
    IndicatorTarget.objects.create(
        indicator=rtt,
        from_period=shift(latest, -3),
        target=Decimal("92"),
        amber_threshold=Decimal("87"),
        created_by=admin,
    )
    return True


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
    Trajectory.objects.bulk_create(
        [
            Trajectory(provider=provider, indicator=rtt, period=shift(latest, -months_back), value=Decimal("86") + step)
            for provider in providers
            if provider.intervention_level in STRUGGLING
            for step, months_back in enumerate(range(5, -4, -1))
        ],
        ignore_conflicts=True,
        batch_size=2000,
    )


def rate_history(latest=None):
    """Rate every month oldest first as a live system would have, with directors deciding.

    After each month is rated, step-downs raised at least a month earlier are decided by
    the director who owns the level: the first is rejected, the rest approved, except in
    the last two months, so some stay pending (and some are withdrawn by the rules when a
    provider's improvement does not hold). After the first month, the Executive Committee
    raises each provider in special measures to level 4 (METHODOLOGY 4). A director
    overrides one area in the latest month. Runs once: a database with ratings is left alone.
    """
    from assurance.models import AreaRating, ProviderRating
    from assurance.ratings import collection_periods
    from assurance.services import area_override_set
    from escalation.choices import ProposalStatus
    from escalation.models import StepDownProposal
    from escalation.pipeline import run_period
    from escalation.services import owners_of, proposal_decide

    if ProviderRating.objects.exists():
        return False
    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    rejected_one = False
    periods = sorted(collection_periods())
    for period in periods:
        when = timezone.make_aware(datetime.combine(deadline(period) + timedelta(days=1), time(9)))
        run_period(period, notify=False, at=when)
        if period == periods[0]:
            _special_measures_decisions(when + timedelta(days=10))
        if period > shift(latest, -2):
            continue
        for proposal in StepDownProposal.objects.filter(status=ProposalStatus.PENDING, period__lt=period):
            director = owners_of(proposal.from_level).first()
            if director is None:
                continue
            approve = rejected_one
            proposal_decide(
                proposal=proposal,
                user=director,
                approve=approve,
                at=when + timedelta(days=3),
                notify=False,
                rationale="Sustained improvement confirmed at the CQPRM."
                if approve
                else "Improvement too recent; keep the current level until the recovery plan is complete.",
            )
            rejected_one = True
    # One override in the latest month, with its rationale, by the Executive Director.
    rating = (
        AreaRating.objects.filter(period=latest, rag=Rag.GREEN, area=Area.PATIENT_EXPERIENCE)
        .order_by("provider__code")
        .first()
    )
    director = owners_of(3).first()
    if rating and director:
        area_override_set(
            provider=rating.provider,
            period=latest,
            area=rating.area,
            rag=Rag.AMBER,
            user=director,
            rationale="Three serious complaints this month about discharge; the PREM results do not yet reflect them.",
        )
        run_period(latest, [rating.provider_id], notify=False)
    return True


def _special_measures_decisions(at):
    """The Executive Committee sets each provider in special measures below level 4 to level 4,
    recorded by the Chief Executive with the rationale (seed 002, 3.5.1)."""
    from escalation.models import ProviderEscalation
    from escalation.services import executive_decision

    chief_executive = get_user_model().objects.filter(is_chief_executive=True).order_by("pk").first()
    if chief_executive is None:
        return
    for state in ProviderEscalation.objects.filter(
        provider__intervention_level=InterventionLevel.SPECIAL_MEASURES, level__lt=4
    ).select_related("provider"):
        executive_decision(
            provider=state.provider,
            user=chief_executive,
            to_level=4,
            at=at,
            notify=False,
            reasons=["special_measures", "regulator_concern"],
            rationale="Welsh Government has placed the health board in special measures. The Executive "
            "Committee agreed escalated monitoring at level 4, with monthly CQPRMs chaired by the "
            "executive lead and a provider summit.",
        )


def generate_monitoring(latest=None):
    """Meetings with actions, action plans and risks for the escalated demo providers (once)."""
    from assurance.models import AreaRating, IndicatorRating
    from escalation.choices import SUMMIT_AGENDA
    from escalation.models import ActionPlan, Meeting, MeetingAction, ProviderEscalation, Risk

    if Meeting.objects.exists():
        return False
    latest = latest or shift(timezone.localdate().replace(day=1), -1)
    User = get_user_model()
    recorder = User.objects.filter(groups__name="Commissioning team member").order_by("pk").first()
    if recorder is None:
        return False
    today = timezone.localdate()
    for state in ProviderEscalation.objects.select_related("provider").order_by("provider__code"):
        provider = state.provider
        held = deadline(latest) + timedelta(days=3)
        sla = Meeting.objects.create(
            provider=provider,
            kind="sla",
            date=held - timedelta(days=60),
            chair="Assistant Director of Planning",
            attendees="Planning, finance, quality and information leads; provider's service leads",
            minutes="Activity and finance against plan reviewed; ICP schemes on track.",
            recorded_by=recorder,
        )
        MeetingAction.objects.create(
            meeting=sla,
            description="Send the revised activity plan for Q4",
            owner="Provider finance lead",
            due_date=held - timedelta(days=30),
            status="done",
        )
        if state.level >= 3:
            cqprm = Meeting.objects.create(
                provider=provider,
                kind="cqprm",
                date=held,
                chair="Executive Director of Planning",
                attendees="Quality, performance and finance leads from both organisations",
                minutes="Red areas discussed; recovery plan and trajectory to be agreed.",
                recorded_by=recorder,
            )
            MeetingAction.objects.create(
                meeting=cqprm,
                description="Submit a recovery plan with a trajectory",
                owner="Provider chief operating officer",
                due_date=today - timedelta(days=2),
            )
            MeetingAction.objects.create(
                meeting=cqprm,
                description="Share the serious incident themes review",
                owner="Provider director of nursing",
                due_date=today + timedelta(days=14),
                status="in_progress",
            )
            red = AreaRating.objects.filter(provider=provider, period=latest, rag=Rag.RED).first()
            if red is not None:
                worst = (
                    IndicatorRating.objects.filter(
                        provider=provider, period=latest, rag=Rag.RED, indicator__area=red.area
                    )
                    .select_related("indicator")
                    .first()
                )
                ActionPlan.objects.create(
                    provider=provider,
                    area=red.area,
                    indicator=worst.indicator if worst else None,
                    title=f"Recovery of {red.get_area_display().lower()}",
                    actions="1. Weekly validation of the waiting list (provider, from next month)\n"
                    "2. Additional theatre sessions at weekends (provider, three months)\n"
                    "3. Monthly progress report to the CQPRM (commissioning team)",
                    review_points="Each monthly CQPRM; formal review at three months",
                    next_review=today + timedelta(days=30),
                    risk_assessment="Longer waits raise the risk of harm to patients waiting; clinical "
                    "harm reviews are in place for the longest waits.",
                    support_needed="Clinical network support with demand and capacity modelling.",
                    owner="Provider chief operating officer",
                    created_by=recorder,
                )
            Risk.objects.create(
                provider=provider,
                title="Quality and safety of care while escalated",
                likelihood=3 + (state.level == 4),
                consequence=4,
                owner="Quality Team Manager",
                mitigation="Monthly CQPRM and recovery plan",
                review_date=today + timedelta(days=30),
            )
        if state.level == 4:
            Meeting.objects.create(
                provider=provider,
                kind="provider_summit",
                date=min(held + timedelta(days=4), today),
                chair="Chief Executive",
                agenda=SUMMIT_AGENDA,
                attendees="Chief Executive; Executive Directors of Finance, Nursing and Planning; Medical Director",
                recorded_by=recorder,
            )
        if state.level == 2:
            Risk.objects.create(
                provider=provider,
                title="Sustainability of the service workforce",
                likelihood=2,
                consequence=3,
                owner="Assistant Director of Planning",
                review_date=today + timedelta(days=60),
            )
    return True


# Issue 18: where each item of seed 002 Table 1 and its Governance and Strategic Change list lives
# in the catalogue (fixtures/indicators.csv keeps DESIGN.md's columns, which have no description, so
# the descriptions are set here), and why an item is kept as intelligence instead of an indicator.
CATALOGUE_DESCRIPTIONS = {
    "serious_incidents": "Seed 002 Table 1, Quality and safety: serious incidents, and the breakdown of serious "
    "incidents (themes).",
    "new_serious_incidents": "Seed 002 Table 1, Quality and safety: new serious incidents this month.",
    "never_events": "Seed 002 Table 1, Quality and safety: never events. Critical: its Red turns the area Red.",
    "mortality": "Seed 002 Table 1, Quality and safety: mortality. Critical.",
    "clinical_audit": "Seed 002 Table 1, Quality and safety: clinical audit.",
    "external_audit": "Seed 002 Table 1, Quality and safety: internal and external audit.",
    "cdiff_rate": "Seed 002 Table 1, Quality and safety: C. diff rates.",
    "mrsa_cases": "Seed 002 Table 1, Quality and safety: MRSA rates.",
    "pressure_damage": "Seed 002 Table 1, Quality and safety: HCAI and pressure damage rates.",
    "safety_solutions": "Seed 002 Table 1, Quality and safety: safety solutions compliance.",
    "cost_against_plan": "Seed 002 Table 1, Finance: cost against the plan. 'Any other cost and activity "
    "information considered useful' is not an indicator: it differs by contract, so it is kept as intelligence "
    "(the provider's intelligence log) and in the highlight report's commentary.",
    "activity_against_plan": "Seed 002 Table 1, Finance: activity against plan.",
    "ae_four_hours": "Seed 002 Table 1, Access: patient waiting times in A&E.",
    "cancer_62_days": "Seed 002 Table 1, Access: RTT urgent suspected cancers.",
    "diagnostics_8_weeks": "Seed 002 Table 1, Access: RTT diagnostics.",
    "rtt_26_weeks": "Seed 002 Table 1, Access: RTT normal referrals.",
    "ambulance_handover": "Seed 002 Table 1, Access: ambulance times.",
    "stroke_bundle": "Seed 002 Table 1, Access: stroke bundles.",
    "ombudsman_coroner": "Seed 002 Table 1, Patient experience: Public Services Ombudsman responses and coroner "
    "responses. Each response is also logged as intelligence (kinds ombudsman and coroner); this is the team's "
    "monthly judgement on them.",
    "regulator_findings": "Seed 002 Table 1, Patient experience: HIW, CQC and CIW. Reports and ratings are logged "
    "as intelligence with their dates (regulator report, inspection rating); this is the monthly judgement.",
    "chc_feedback": "Seed 002 Table 1, Patient experience: CHC (Community Health Councils, now Llais).",
    "complaints_compliments": "Seed 002 Table 1, Patient experience: complaints and compliments from any source. "
    "Complaint themes are also logged as intelligence; response times are complaints_30_days.",
    "welsh_language": "Seed 002 Table 1, Patient experience: Welsh language access and compliance with the Welsh "
    "Language (Wales) Measure.",
    "inspection_notices": "Seed 002 Governance and strategic change: HIW, CIW or CQC inspection reports, notices "
    "and action. Each report or notice is logged as intelligence (regulator report, enforcement notice).",
    "intervention_level": "Seed 002 Governance and strategic change: levels of Government intervention. Never "
    "better than the provider's intervention level allows: special measures Red, targeted intervention Amber; "
    "and a provider in special measures never shows Green for Governance (issue 18).",
    "wao_structured_assessment": "Seed 002 Governance and strategic change: Wales Audit Office (Audit Wales) "
    "structured assessment reports; also Table 1's WAO item under Patient experience, counted once here.",
    "annual_governance_statement": "Seed 002 Governance and strategic change: Annual Governance Statements.",
    "well_led": "Seed 002 Governance and strategic change: well-led assessments.",
    "strategic_change": "Seed 002 Governance and strategic change: high level reference to strategic change "
    "programmes.",
    "independent_reviews": "Seed 002 Governance and strategic change: independent inquiries and reviews (each "
    "also logged as intelligence).",
    "service_closures": "Seed 002 Governance and strategic change: service closures or suspended services.",
    "organisational_assurance": "Seed 002 Governance and strategic change: high level reference to organisational "
    "assurance processes.",
    "leadership_changes": "Seed 002 Governance and strategic change: changes to leadership.",
    "staff_engagement": "Seed 002 Governance and strategic change: staff engagement and surveys.",
    "soft_intelligence": "Seed 002 Governance and strategic change: soft intelligence and media issues. Each item "
    "is logged as intelligence (kinds soft intelligence and media); this is the team's monthly judgement on them.",
}


def describe_catalogue():
    """Give the catalogue's indicators their seed references (only where blank: an administrator's
    wording is kept). Returns how many were described."""
    from assurance.models import Indicator

    described = 0
    for indicator in Indicator.objects.filter(code__in=CATALOGUE_DESCRIPTIONS, description=""):
        indicator.description = CATALOGUE_DESCRIPTIONS[indicator.code]
        indicator.save(update_fields=["description"])
        described += 1
    return described


# Issue 18: intelligence of every kind, a cross-provider deep dive and an Exec-to-Exec with a health board.
DEMO_INTELLIGENCE = [
    # kind, source, area, severity, rating, title
    (
        "regulator_report",
        "HIW",
        "quality_safety",
        "high",
        "",
        "Unannounced inspection: staffing and medicines management",
    ),
    ("inspection_rating", "CQC", "quality_safety", "high", "requires_improvement", "Surgery services inspection"),
    ("enforcement_notice", "HIW", "governance", "severe", "", "Immediate assurance notice: ligature risks"),
    ("soft_intelligence", "Clinical network", "quality_safety", "moderate", "", "Concerns about theatre cancellations"),
    ("media", "BBC Wales", "patient_experience", "moderate", "", "Report on long ambulance handover waits"),
    ("complaint_theme", "Patient advice service", "patient_experience", "low", "", "Communication about waits"),
    ("ombudsman", "Public Services Ombudsman for Wales", "patient_experience", "moderate", "", "Upheld complaint"),
    ("coroner", "HM Coroner", "quality_safety", "high", "", "Prevention of future deaths report"),
    ("you_said_we_did", "Patient panel", "patient_experience", "low", "", "Evening clinics added after feedback"),
    ("quality_portal", "NHS England quality portal", "quality_safety", "moderate", "", "Quality surveillance alert"),
]


def generate_intelligence(latest=None):
    """Intelligence entries of every kind, a deep dive across providers and an Exec-to-Exec with a
    health board (once; issue 18). Returns whether anything was recorded."""
    from escalation.models import IntelligenceEntry, Meeting, ProviderEscalation, Risk
    from providers.models import Provider

    if IntelligenceEntry.objects.exists():
        return False
    User = get_user_model()
    recorder = User.objects.filter(groups__name="Commissioning team member").order_by("pk").first()
    if recorder is None:
        return False
    today = timezone.localdate()
    escalated = list(Provider.objects.filter(escalation__level__gte=2).order_by("-escalation__level", "code")) or list(
        Provider.objects.order_by("code")[:3]
    )
    if not escalated:
        return False
    for n, (kind, source, area, severity, rating, title) in enumerate(DEMO_INTELLIGENCE):
        IntelligenceEntry.objects.create(
            provider=escalated[n % len(escalated)],
            kind=kind,
            date=today - timedelta(days=10 + 9 * n),
            title=title,
            source=source,
            area=area,
            severity=severity,
            rating=rating,
            summary="Recorded by the commissioning team for triangulation with the monthly data.",
            link="https://www.hiw.org.uk/" if source == "HIW" else "",
            recorded_by=recorder,
        )
    # A deep dive by specialty across providers (seed 000, 6.4).
    others = list(Provider.objects.filter(contracts__isnull=False).distinct().order_by("code")[:4])
    if len(others) > 1:
        dive = Meeting.objects.create(
            provider=others[0],
            kind="deep_dive",
            scope="specialty",
            scope_detail="Cardiac surgery waiting times",
            date=today - timedelta(days=21),
            chair="Assistant Director of Planning",
            attendees="Cardiac commissioning team; clinical leads of each provider",
            minutes="Waits compared across providers; shared theatre capacity to be explored.",
            recorded_by=recorder,
        )
        dive.other_providers.set(others[1:])
    # The annual Exec-to-Exec with a health board in its commissioner role (seed 000, 4).
    board = Provider.objects.filter(sector="nhs_wales", name__icontains="health board").order_by("code").first()
    if board is not None:
        Meeting.objects.create(
            provider=board,
            kind="exec_to_exec",
            date=today - timedelta(days=400),  # over a year ago: shown as overdue
            chair="Chief Executive",
            attendees="Chief Executives and Executive Directors of both organisations",
            minutes="Commissioning intentions and the health board's commissioner role discussed.",
            recorded_by=recorder,
        )
    # Level 4: the CQPRM is chaired by the executive lead; one Red area gets its risk assessment.
    Meeting.objects.filter(kind="cqprm", provider__escalation__level=4).update(
        executive_chair="Executive Director of Planning (executive lead)"
    )
    first = ProviderEscalation.objects.filter(level__gte=3).order_by("provider__code").first()
    if first is not None:
        Risk.objects.create(
            provider=first.provider,
            area="quality_safety",
            title="Harm to patients waiting longer than the standard",
            likelihood=4,
            consequence=4,
            controls="Clinical harm reviews for the longest waits; weekly waiting-list validation",
            mitigation="Recovery plan and trajectory agreed at the CQPRM",
            owner="Head of Quality",
            review_date=today - timedelta(days=5),  # gone by: flagged
        )
    return True


def build_packs():
    """The committees' packs for the newest rated month, and the Joint Committee's two months
    before, so the archive has history; built at once (not queued). Returns what was built."""
    from assurance.models import ProviderRating
    from providers.periods import format_period

    from ..choices import BOARD, CDGB, JOINT_COMMITTEE, MANAGEMENT_GROUP, PFIG, QPSC, PackStatus
    from ..models import CommitteePack
    from ..services import pack_build, pack_create

    latest = ProviderRating.objects.order_by("-period").values_list("period", flat=True).first()
    if latest is None:
        return []
    chief_executive = get_user_model().objects.filter(is_chief_executive=True).order_by("pk").first()
    wanted = [
        (JOINT_COMMITTEE, shift(latest, -2), "en-gb"),
        (JOINT_COMMITTEE, latest, "en-gb"),
        (JOINT_COMMITTEE, latest, "cy"),  # the same pack in Welsh
        (CDGB, latest, "en-gb"),
        (MANAGEMENT_GROUP, latest, "en-gb"),
        (PFIG, latest, "en-gb"),
        (BOARD, latest, "en-gb"),
        (QPSC, latest, "en-gb"),
    ]
    built = []
    for committee, period, language in wanted:
        if CommitteePack.objects.filter(
            committee=committee, period=period, language=language, status=PackStatus.READY
        ).exists():
            continue
        pack = pack_create(committee=committee, period=period, user=chief_executive, language=language)
        pack_build(pack.pk)
        if period < latest:
            # An older pack was built when its month's committee met, a few days after the
            # collection deadline, so later packs take the decisions recorded since then.
            built_at = timezone.make_aware(datetime.combine(deadline(period) + timedelta(days=5), time(10)))
            CommitteePack.objects.filter(pk=pack.pk).update(
                requested_at=built_at, started_at=built_at, finished_at=built_at + timedelta(seconds=2)
            )
        built.append(f"{pack.committee.name} {format_period(period)} ({language})")
    return built
