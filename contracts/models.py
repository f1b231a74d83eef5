"""The contract register (seed 002, 3.2) and contract lines."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from providers.models import CommissioningTeam, Provider, Service, TimeStampedModel
from providers.periods import format_period, month_end, months_between

from . import tiers
from .choices import ROUTINE_CADENCE, ContractStatus, ContractType, Level

NON_NEGATIVE = MinValueValidator(Decimal("0"))


class ContractQuerySet(models.QuerySet):
    def with_tier(self):
        """Annotate `tier` and `renewal_due` in SQL, with the thresholds of contracts.tiers."""
        return self.annotate(
            tier=Case(
                When(Q(strategic_importance=True) | Q(annual_value__gte=tiers.TIER_1_MIN), then=Value(1)),
                When(annual_value__gte=tiers.TIER_2_MIN, then=Value(2)),
                default=Value(3),
                output_field=IntegerField(),
            ),
            renewal_due=Coalesce(F("renewal_date"), F("end_date")),
        )

    def active(self):
        """Contracts whose status is active (not draft, expired or inactive): the register's
        "in force today", and METHODOLOGY 5's "active contract" (meeting cadence). This is not
        METHODOLOGY's "live contract in a month": for that use `live_in` or `live_during`."""
        return self.filter(status=ContractStatus.ACTIVE)

    def commissioned(self):
        """Contracts that are not drafts, whatever their dates: a draft commissions nothing, so
        it neither puts a provider in scope nor opens it to a team (`assurance.access`)."""
        return self.exclude(status=ContractStatus.DRAFT)

    def live_during(self, first_day, last_day):
        """METHODOLOGY, "Who is rated": a live contract is commissioned (not a draft) and runs
        during the months from `first_day` to `last_day` (start on or before the last day, end
        on or after the first day)."""
        return self.commissioned().filter(start_date__lte=last_day, end_date__gte=first_day)

    def live_in(self, month):
        """The contracts live in one month (METHODOLOGY, "Who is rated"); `month` is its first day."""
        return self.live_during(month, month_end(month))


class Contract(TimeStampedModel):
    """A contract, LTA, SLA or agreement with a provider, owned by a commissioning team."""

    reference = models.CharField(
        _("contract reference"),
        max_length=50,
        unique=True,
        help_text=_("The register's unique identifier for this contract."),
        error_messages={"unique": _("A contract with this reference already exists.")},
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("provider"), on_delete=models.PROTECT, related_name="contracts"
    )
    title = models.CharField(_("title"), max_length=255)
    contract_type = models.CharField(_("type of contract"), max_length=30, choices=ContractType.choices)
    status = models.CharField(_("status"), max_length=20, choices=ContractStatus.choices, default=ContractStatus.ACTIVE)
    commissioning_team = models.ForeignKey(
        CommissioningTeam,
        verbose_name=_("commissioning team"),
        on_delete=models.PROTECT,
        related_name="contracts",
    )
    annual_value = models.DecimalField(
        _("annual value (£)"), max_digits=14, decimal_places=2, validators=[NON_NEGATIVE]
    )
    total_value = models.DecimalField(
        _("total value including extensions (£)"),
        max_digits=14,
        decimal_places=2,
        validators=[NON_NEGATIVE],
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    renewal_date = models.DateField(
        _("date due for renewal"),
        null=True,
        blank=True,
        help_text=_("Leave blank if the contract is due for renewal on its end date."),
    )
    service_area = models.CharField(
        _("service area"),
        max_length=200,
        blank=True,
        help_text=_("The service area or corporate directorate that owns the contract."),
    )
    service_description = models.TextField(_("service description"), blank=True)
    operational_lead = models.CharField(_("operational lead"), max_length=200, blank=True)
    contractual_lead = models.CharField(_("contractual lead"), max_length=200, blank=True)
    strategic_importance = models.BooleanField(
        _("of strategic importance"),
        default=False,
        help_text=_("Strategic contracts are managed as tier 1 whatever their value."),
    )
    # Kept equal to the provider's escalation level by the escalation service (which may
    # import contracts; contracts may not import escalation), so it is not edited by hand.
    risk_rating = models.PositiveSmallIntegerField(
        _("overall risk rating (level of assurance)"),
        choices=Level.choices,
        null=True,
        blank=True,
        editable=False,
        help_text=_("The provider's current escalation level."),
    )
    services = models.ManyToManyField(
        Service, through="ContractLine", verbose_name=_("services"), related_name="contracts"
    )

    history = HistoricalRecords()
    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["reference"]
        verbose_name = _("contract")
        verbose_name_plural = _("contracts")
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="contract_end_on_or_after_start"),
            models.CheckConstraint(
                condition=Q(annual_value__gte=0) & Q(total_value__gte=0),
                name="contract_values_non_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_value__gte=F("annual_value")),
                name="contract_total_at_least_annual",
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self):
        return reverse("contracts:contract_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date must be on or after the start date.")
        if self.annual_value is not None and self.total_value is not None and self.total_value < self.annual_value:
            errors["total_value"] = _("The total value including extensions must be at least the annual value.")
        if self.renewal_date and self.start_date and self.renewal_date < self.start_date:
            errors["renewal_date"] = _("The renewal date must be on or after the start date.")
        if errors:
            raise ValidationError(errors)

    # Derived values (METHODOLOGY 5). The list annotates the same in SQL (with_tier).
    @property
    def value_tier(self):
        return tiers.value_tier(self.annual_value, self.strategic_importance)

    @property
    def routine_cadence(self):
        return ROUTINE_CADENCE[self.value_tier]

    @property
    def renewal_due_date(self):
        return self.renewal_date or self.end_date

    @property
    def length_months(self):
        return tiers.contract_length_months(self.start_date, self.end_date)

    @property
    def months_to_renewal(self):
        return months_between(timezone.localdate(), self.renewal_due_date)

    @property
    def renewal_due_soon(self):
        """Flag live contracts whose renewal falls within six months (or has passed)."""
        if self.status in (ContractStatus.EXPIRED, ContractStatus.INACTIVE):
            return False
        return tiers.renewal_due_soon(self.renewal_due_date, timezone.localdate())


class ContractLine(TimeStampedModel):
    """One service commissioned under a contract, with its planned annual activity and cost."""

    contract = models.ForeignKey(Contract, verbose_name=_("contract"), on_delete=models.CASCADE, related_name="lines")
    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="contract_lines"
    )
    planned_activity = models.PositiveIntegerField(_("planned annual activity"), null=True, blank=True)
    planned_cost = models.DecimalField(
        _("planned annual cost (£)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[NON_NEGATIVE],
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["service__name"]
        verbose_name = _("contract line")
        verbose_name_plural = _("contract lines")
        constraints = [
            models.UniqueConstraint(fields=["contract", "service"], name="one_line_per_service"),
            models.CheckConstraint(
                condition=Q(planned_cost__isnull=True) | Q(planned_cost__gte=0),
                name="contract_line_cost_non_negative",
            ),
        ]

    def __str__(self):
        return f"{self.contract.reference}: {self.service}"


class LineActual(TimeStampedModel):
    """A contract line's actual activity and cost in one month (activity.csv, METHODOLOGY 9)."""

    line = models.ForeignKey(
        ContractLine, verbose_name=_("contract line"), on_delete=models.CASCADE, related_name="actuals"
    )
    period = models.DateField(_("month"), help_text=_("The first day of the month."))
    activity = models.PositiveIntegerField(_("actual activity"))
    cost = models.DecimalField(_("actual cost (£)"), max_digits=14, decimal_places=2, validators=[NON_NEGATIVE])

    history = HistoricalRecords()

    class Meta:
        ordering = ["line", "period"]
        verbose_name = _("actual activity and cost")
        verbose_name_plural = _("actual activity and cost")
        constraints = [
            models.UniqueConstraint(fields=["line", "period"], name="one_actual_per_line_month"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="line_actual_cost_non_negative"),
        ]
        indexes = [models.Index(fields=["period"], name="line_actual_period")]

    def __str__(self):
        return f"{self.line}: {format_period(self.period)}"
