"""Changes of an indicator's target from a month on (METHODOLOGY, "Targets change over time").

One set of checks for targets.csv and the indicator page's form, one write for the form, the
recompute of the months a change affects, and the indicator's "Targets over time".

A change affects the months from its own month on: those with ratings or received returns
are recomputed, so each is rated against the target in force that month. Locked months are
signed off and keep their ratings (METHODOLOGY: "Locked months are final for recomputes"), so
they are not asked for.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from providers.importing import change_reason
from providers.periods import format_period, shift

from . import rules
from .choices import Polarity
from .models import IndicatorTarget, MonthlyReturn, ProviderRating, RatingRun
from .selectors import RECEIVED_STATUSES, locked_periods
from .services import request_recompute


def target_problems(indicator, target, amber_threshold):
    """[(field, message)] for a change of target of a (numeric) `indicator`, as Indicator.clean
    checks its own: a number valid for the unit, and an amber threshold, if any, on the far side
    of the target for the indicator's polarity."""
    problems = []
    if target is None:
        problems.append(("target", _("Enter the target from this month.")))
    elif rules.value_problem(indicator.unit, target):
        problems.append(("target", _(rules.value_problem(indicator.unit, target))))
    if amber_threshold is not None:
        problem = rules.value_problem(indicator.unit, amber_threshold)
        if problem:
            problems.append(("amber_threshold", _(problem)))
        elif target is not None and (
            amber_threshold > target if indicator.polarity == Polarity.HIGHER_BETTER else amber_threshold < target
        ):
            problems.append(
                (
                    "amber_threshold",
                    _(
                        "The amber threshold must be on the far side of the target "
                        "(below it when higher is better, above it when lower is better)."
                    ),
                )
            )
    return problems


def affected_months(from_period):
    """(months to recompute, locked months left as signed off): the months from `from_period`
    on that have ratings or received returns, oldest first."""
    months = set(ProviderRating.objects.filter(period__gte=from_period).values_list("period", flat=True))
    months |= set(
        MonthlyReturn.objects.filter(period__gte=from_period, status__in=RECEIVED_STATUSES).values_list(
            "period", flat=True
        )
    )
    locked = locked_periods(months) if months else set()
    return sorted(months - locked), sorted(months & locked)


def recompute_from(from_period, *, user=None):
    """Ask for the ratings of every month from `from_period` on to be recomputed, once the
    change commits; returns the RatingRun, or None when no month needs it."""
    months, _locked = affected_months(from_period)
    if not months:
        return None
    provider_ids = set(ProviderRating.objects.filter(period__in=months).values_list("provider_id", flat=True))
    provider_ids |= set(
        MonthlyReturn.objects.filter(period__in=months, status__in=RECEIVED_STATUSES).values_list(
            "provider_id", flat=True
        )
    )
    return request_recompute(provider_ids, months, user=user, trigger=RatingRun.Trigger.IMPORT)


def save_target_change(*, indicator, from_period, target, amber_threshold, user):
    """Record or update the change from `from_period`: "created", "updated" or "unchanged".

    The person who set the values is kept as `created_by` ("added by"); history keeps the rest.
    """
    change = IndicatorTarget.objects.filter(indicator=indicator, from_period=from_period).first()
    if change is None:
        change = IndicatorTarget(indicator=indicator, from_period=from_period)
        outcome = "created"
    elif (change.target, change.amber_threshold) == (target, amber_threshold):
        return change, "unchanged"
    else:
        outcome = "updated"
    change.target, change.amber_threshold = target, amber_threshold
    if user is not None:
        change.created_by = user
    change.full_clean()
    change._change_reason = change_reason()
    change.save()
    return change, outcome


@transaction.atomic
def target_change_add(*, indicator, from_period, target, amber_threshold, user):
    """The indicator page's form: record the change and recompute the months from it on.

    Returns (change, RatingRun or None, [locked months left as they were])."""
    change, _outcome = save_target_change(
        indicator=indicator, from_period=from_period, target=target, amber_threshold=amber_threshold, user=user
    )
    run = recompute_from(from_period, user=user)
    return change, run, affected_months(from_period)[1]


def number_text(value):
    """A target as people write it: "95", "92.5", not "95.0000"."""
    return "" if value is None else number_format(value.normalize(), use_l10n=True)


@dataclass(frozen=True)
class TargetPeriod:
    """One row of "Targets over time": what holds from `start` (None: from the start) until `until`."""

    start: object
    until: object
    target: object
    amber_threshold: object
    by: object = None
    when: object = None

    @property
    def start_text(self):
        return format_period(self.start) if self.start else ""

    @property
    def until_text(self):
        return format_period(self.until) if self.until else ""

    @property
    def target_text(self):
        return number_text(self.target)

    @property
    def amber_text(self):
        return number_text(self.amber_threshold)


def target_timeline(indicator):
    """The indicator's own target and amber threshold (until the first change), then each change
    from its month (until the next), with who set it and when."""
    changes = list(indicator.target_changes.select_related("created_by").order_by("from_period"))
    rows = [
        TargetPeriod(
            None, shift(changes[0].from_period, -1) if changes else None, indicator.target, indicator.amber_threshold
        )
    ]
    for index, change in enumerate(changes):
        following = changes[index + 1].from_period if index + 1 < len(changes) else None
        rows.append(
            TargetPeriod(
                change.from_period,
                shift(following, -1) if following else None,
                change.target,
                change.amber_threshold,
                change.created_by,
                change.updated_at,
            )
        )
    return rows


def with_target_in_force(indicators, month):
    """Annotate each indicator with the change of target in force in `month`, if any:
    `target_since` (its month, None while the original target holds), `target_now` and
    `amber_now`. For the catalogue, which shows the target in force rather than the original."""
    latest = IndicatorTarget.objects.filter(indicator=OuterRef("pk"), from_period__lte=month).order_by("-from_period")
    return indicators.annotate(
        target_since=Subquery(latest.values("from_period")[:1]),
        target_now=Subquery(latest.values("target")[:1]),
        amber_now=Subquery(latest.values("amber_threshold")[:1]),
    )
