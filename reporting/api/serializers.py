"""What each endpoint returns, field by field (and so what the OpenAPI schema says).

Codes are the register's (providers, indicators, teams, services); months are YYYY-MM; RAGs
are G, A, R (null when not rated); decimals are strings, exact as stored.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from assurance.choices import Area, RatingReason
from assurance.models import Indicator, IndicatorRating, IndicatorTarget, IndicatorValue, MonthlyReturn, ProviderRating
from contracts.models import Contract, ContractLine
from escalation.models import EscalationDecision, ProviderEscalation
from providers.models import Provider
from providers.periods import format_period

from ..models import CommitteePack

AREAS = list(Area.values)


class MonthField(serializers.Field):
    """A month as YYYY-MM."""

    def to_representation(self, value):
        return format_period(value)


extend_schema_field({"type": "string", "pattern": r"^\d{4}-\d{2}$", "example": "2026-10"})(MonthField)


def rag_or_none(value):
    return value or None


class ProviderSerializer(serializers.ModelSerializer):
    escalation_level = serializers.SerializerMethodField()

    class Meta:
        model = Provider
        fields = ["code", "name", "sector", "country", "regulator", "intervention_level", "active", "escalation_level"]

    def get_escalation_level(self, provider) -> int | None:
        escalation = getattr(provider, "escalation", None)
        return escalation.level if escalation else None


class ContractLineSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.code")
    service_name = serializers.CharField(source="service.name")

    class Meta:
        model = ContractLine
        fields = ["service", "service_name", "planned_activity", "planned_cost"]


class ContractSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.code")
    team = serializers.CharField(source="commissioning_team.code")
    lines = ContractLineSerializer(many=True)

    class Meta:
        model = Contract
        fields = [
            "id",
            "reference",
            "provider",
            "title",
            "contract_type",
            "status",
            "team",
            "annual_value",
            "total_value",
            "start_date",
            "end_date",
            "renewal_date",
            "strategic_importance",
            "risk_rating",
            "lines",
        ]


class TargetChangeSerializer(serializers.ModelSerializer):
    from_period = MonthField()

    class Meta:
        model = IndicatorTarget
        fields = ["from_period", "target", "amber_threshold"]


class IndicatorSerializer(serializers.ModelSerializer):
    services = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    target_changes = TargetChangeSerializer(many=True, read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "description",
            "area",
            "setting",
            "domain",
            "cohort",
            "unit",
            "polarity",
            "target",
            "amber_threshold",
            "critical",
            "judgement",
            "active",
            "services",
            "target_changes",
        ]
        extra_kwargs = {
            "target": {"help_text": "The target until its first change (target_changes: from a month on)."},
        }


class AreaSerializer(serializers.Serializer):
    area = serializers.ChoiceField(choices=Area.choices)
    rag = serializers.CharField(allow_null=True, help_text="The rating that counts: the override if there is one.")
    computed_rag = serializers.CharField(allow_null=True)
    overridden = serializers.BooleanField()
    direction = serializers.CharField(allow_null=True, help_text="improved, unchanged or worsened against last month.")
    greens = serializers.IntegerField()
    ambers = serializers.IntegerField()
    reds = serializers.IntegerField()


class RatingSerializer(serializers.ModelSerializer):
    """A provider's month on the scorecard. `received` false: "No return" (not rated, never Red)."""

    provider = serializers.CharField(source="provider.code")
    provider_name = serializers.CharField(source="provider.name")
    period = MonthField()
    access = serializers.SerializerMethodField()
    quality_safety = serializers.SerializerMethodField()
    finance_activity = serializers.SerializerMethodField()
    patient_experience = serializers.SerializerMethodField()
    governance = serializers.SerializerMethodField()
    usc_rag = serializers.SerializerMethodField()
    planned_rag = serializers.SerializerMethodField()
    overridden = serializers.SerializerMethodField()
    areas = serializers.SerializerMethodField()

    class Meta:
        model = ProviderRating
        fields = [
            "provider",
            "provider_name",
            "period",
            "received",
            "access",
            "quality_safety",
            "finance_activity",
            "patient_experience",
            "governance",
            "usc_rag",
            "planned_rag",
            "overridden",
            "reds",
            "ambers",
            "recommended_level",
            "level_direction",
            "escalation_level",
            "pending_step_down",
            "areas",
        ]

    def _areas(self, rating):
        return self.context.get("areas", {}).get((rating.provider_id, rating.period), {})

    def _rag(self, rating, area):
        row = self._areas(rating).get(area)
        return rag_or_none(row.rag) if row else None

    def get_access(self, rating) -> str | None:
        return self._rag(rating, Area.ACCESS)

    def get_quality_safety(self, rating) -> str | None:
        return self._rag(rating, Area.QUALITY_SAFETY)

    def get_finance_activity(self, rating) -> str | None:
        return self._rag(rating, Area.FINANCE_ACTIVITY)

    def get_patient_experience(self, rating) -> str | None:
        return self._rag(rating, Area.PATIENT_EXPERIENCE)

    def get_governance(self, rating) -> str | None:
        return self._rag(rating, Area.GOVERNANCE)

    def _access_override(self, rating):
        row = self._areas(rating).get(Area.ACCESS)
        return row.rag if row and row.override_id else ""

    def get_usc_rag(self, rating) -> str | None:
        # An override of Access counts for both halves (reporting.selectors.effective_access).
        return rag_or_none(self._access_override(rating) or rating.usc_rag)

    def get_planned_rag(self, rating) -> str | None:
        return rag_or_none(self._access_override(rating) or rating.planned_rag)

    def get_overridden(self, rating) -> bool:
        """Whether any area's rating that counts is a director's override."""
        return any(row.override_id for row in self._areas(rating).values())

    @extend_schema_field(AreaSerializer(many=True))
    def get_areas(self, rating):
        rows = self._areas(rating)
        return [
            {
                "area": area,
                "rag": rag_or_none(row.rag),
                "computed_rag": rag_or_none(row.computed_rag),
                "overridden": row.override_id is not None,
                "direction": row.direction or None,
                "greens": row.greens,
                "ambers": row.ambers,
                "reds": row.reds,
            }
            for area in AREAS
            if (row := rows.get(area)) is not None
        ]


class IndicatorRatingSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.code")
    indicator = serializers.CharField(source="indicator.code")
    area = serializers.CharField(source="indicator.area")
    period = MonthField()
    rag = serializers.SerializerMethodField()
    reason_label = serializers.SerializerMethodField()

    class Meta:
        model = IndicatorRating
        fields = ["provider", "indicator", "area", "period", "value", "rag", "reason", "reason_label"]

    def get_rag(self, rating) -> str | None:
        return rag_or_none(rating.rag)

    def get_reason_label(self, rating) -> str:
        try:
            return str(RatingReason(rating.reason).label)
        except ValueError:
            return rating.reason


class EscalationLevelSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.code")
    provider_name = serializers.CharField(source="provider.name")
    last_evaluated_period = MonthField(allow_null=True)

    class Meta:
        model = ProviderEscalation
        fields = ["provider", "provider_name", "level", "since", "review_date", "last_evaluated_period"]


class DecisionSerializer(serializers.ModelSerializer):
    provider = serializers.CharField(source="provider.code")
    period = MonthField()
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = EscalationDecision
        fields = [
            "id",
            "provider",
            "period",
            "from_level",
            "to_level",
            "kind",
            "reasons",
            "rationale",
            "decided_by",
            "decided_at",
            "review_date",
        ]

    def get_decided_by(self, decision) -> str | None:
        """The person who decided; null for a decision made by rule."""
        user = decision.decided_by
        return user.display_name if user else None


class PackSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee_id", help_text="The committee's code.")
    committee_name = serializers.CharField(source="committee.display_name")
    period = MonthField()
    period_from = MonthField()
    pdf_url = serializers.SerializerMethodField()
    xlsx_url = serializers.SerializerMethodField()

    class Meta:
        model = CommitteePack
        fields = [
            "id",
            "committee",
            "committee_name",
            "period",
            "period_from",
            "language",
            "status",
            "requested_at",
            "finished_at",
            "pdf_pages",
            "pdf_url",
            "xlsx_url",
        ]

    def _url(self, pack, kind):
        if pack.status != CommitteePack.done_status:
            return None
        request = self.context.get("request")
        path = f"/api/v1/packs/{pack.pk}/{kind}/"
        return request.build_absolute_uri(path) if request else path

    def get_pdf_url(self, pack) -> str | None:
        return self._url(pack, "pdf")

    def get_xlsx_url(self, pack) -> str | None:
        return self._url(pack, "xlsx")


class ValueOutSerializer(serializers.ModelSerializer):
    indicator = serializers.CharField(source="indicator.code")

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "status", "value", "rag", "note"]


class ReturnOutSerializer(serializers.ModelSerializer):
    """A provider's month. `version` is what a write sends back to be refused if someone else
    wrote since; `values` is null where the reader may not see them (a draft outside its team)."""

    provider = serializers.CharField(source="provider.code")
    period = MonthField()
    values = serializers.SerializerMethodField()

    class Meta:
        model = MonthlyReturn
        fields = ["provider", "period", "status", "version", "submitted_at", "values"]

    @extend_schema_field(ValueOutSerializer(many=True, allow_null=True))
    def get_values(self, monthly_return):
        if monthly_return.pk not in self.context.get("visible", set()):
            return None
        return ValueOutSerializer(monthly_return.values.all(), many=True).data


# The write (POST /api/v1/returns/): for the schema and the docs; the view checks the body
# itself, so each problem carries its JSON pointer and the upload's own message.


class ValueInSerializer(serializers.Serializer):
    indicator = serializers.CharField(help_text="The indicator's code.")
    value = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, help_text="A number (as a string or a JSON number)."
    )
    rag = serializers.CharField(required=False, allow_blank=True, help_text="G, A or R, for judgement indicators.")
    status = serializers.CharField(
        required=False, allow_blank=True, help_text="reported (default), missing, development_plan or not_applicable."
    )
    note = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed for a value outside its usual range (METHODOLOGY 8)."
    )


class ReturnInSerializer(serializers.Serializer):
    provider = serializers.CharField(help_text="The provider's code.")
    period = serializers.CharField(help_text="The month, YYYY-MM.")
    version = serializers.IntegerField(
        required=False, min_value=0, help_text="The version you read (GET /api/v1/returns/): refused (409) if changed."
    )
    values = ValueInSerializer(many=True)


class ReturnSetSerializer(serializers.Serializer):
    returns = ReturnInSerializer(many=True, help_text="One provider's month each; one or many.")


class ProblemSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True, help_text="CSV: the file's line (the header is line 1).")
    pointer = serializers.CharField(allow_null=True, help_text="JSON: the JSON pointer of the value at fault.")
    column = serializers.CharField(allow_blank=True)
    message = serializers.CharField()


class FlaggedSerializer(serializers.Serializer):
    line = serializers.IntegerField(allow_null=True)
    pointer = serializers.CharField(allow_null=True)
    provider = serializers.CharField()
    indicator = serializers.CharField()
    period = serializers.CharField()
    value = serializers.CharField()
    usual_range = serializers.CharField()
    has_note = serializers.BooleanField()


class WriteResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    dry_run = serializers.BooleanField()
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    problems = ProblemSerializer(many=True)
    flagged = FlaggedSerializer(many=True)
    rating_job = serializers.IntegerField(allow_null=True, help_text="The rating job asked for after the write.")


class StaleSerializer(serializers.Serializer):
    detail = serializers.CharField()
    provider = serializers.CharField()
    period = serializers.CharField()
    version = serializers.IntegerField(help_text="The return's version now.")


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class FinanceRowSerializer(serializers.Serializer):
    """A provider's (or the total's) position at the month, year to date (METHODOLOGY 9): money in
    pounds and activity to two places, percentages to one; null where the methodology says blank."""

    code = serializers.CharField(allow_blank=True, help_text="The provider's code (blank for the total).")
    name = serializers.CharField(allow_blank=True)
    plan_activity = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    actual_activity = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    activity_against_plan = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    plan_cost = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    actual_cost = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    cost_variance = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    cost_against_plan = serializers.DecimalField(max_digits=12, decimal_places=1, allow_null=True)
    forecast_outturn_cost = serializers.DecimalField(max_digits=20, decimal_places=2, allow_null=True)
    missing = serializers.IntegerField(help_text="Live line-months with no actual recorded (counted as zero).")


class FinanceSerializer(serializers.Serializer):
    period = serializers.CharField()
    financial_year = serializers.CharField()
    total = FinanceRowSerializer(allow_null=True)
    providers = FinanceRowSerializer(many=True)
