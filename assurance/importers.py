"""Imports of indicators.csv, returns.csv and trajectories.csv (DESIGN.md, "Data interchange").

Returns can run to hundreds of thousands of rows, so that importer parses rows without a
form per row and writes with a few bulk queries (keeping history) instead of a save per row.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from providers.bulk import history_rows, insert_rows
from providers.importing import (
    CodeChoiceField,
    Importer,
    RowError,
    YesNoField,
    change_reason,
    update_or_create_if_changed,
)
from providers.models import Provider, Service

from . import rules
from .choices import Area, Cohort, Domain, Polarity, ReturnStatus, Setting, Unit, ValueStatus
from .forms import MAX_NOTE
from .models import Indicator, IndicatorValue, MonthlyReturn, Trajectory
from .periods import format_period, parse_period
from .selectors import locked_periods
from .services import request_recompute

VALUE_STATUSES = frozenset(ValueStatus.values)  # checked on every row of an upload

class IndicatorRow(forms.Form):
    code = forms.CharField(max_length=60)
    name = forms.CharField(max_length=255)
    area = CodeChoiceField(choices=Area.choices)
    setting = CodeChoiceField(choices=[("", "")] + Setting.choices, required=False)
    domain = CodeChoiceField(choices=Domain.choices)
    cohort = CodeChoiceField(choices=[("", "")] + Cohort.choices, required=False)
    unit = CodeChoiceField(choices=Unit.choices)
    polarity = CodeChoiceField(choices=Polarity.choices)
    target = forms.DecimalField(required=False, max_digits=16, decimal_places=4)
    amber_threshold = forms.DecimalField(required=False, max_digits=16, decimal_places=4)
    critical = YesNoField(required=False)
    judgement = YesNoField(required=False)
    services = forms.CharField(required=False)

    def clean_services(self):
        codes = [c.strip() for c in self.cleaned_data["services"].split(";") if c.strip()]
        return list(dict.fromkeys(codes))


class IndicatorImporter(Importer):
    label = gettext_lazy("Indicators")
    columns = ["code", "name", "area", "setting", "domain", "cohort", "unit", "polarity",
               "target", "amber_threshold", "critical", "judgement", "services"]
    key = "code"
    form_class = IndicatorRow

    def prepare(self):
        self.services = {service.code: service for service in Service.objects.all()}

    def check_row(self, cleaned, line):
        unknown = [code for code in cleaned.get("services", []) if code not in self.services]
        if unknown:
            return [RowError(line, "services", _("Unknown service code(s): %(codes)s.") % {"codes": ", ".join(unknown)})]
        return []

    def save_row(self, cleaned):
        values = {name: cleaned[name] for name in self.columns if name not in ("code", "services")}
        indicator, outcome = update_or_create_if_changed(Indicator, {"code": cleaned["code"]}, values)
        wanted = {self.services[code].pk for code in cleaned["services"]}
        if set(indicator.services.values_list("pk", flat=True)) != wanted:
            indicator.services.set(wanted)
            outcome = "updated" if outcome == "unchanged" else outcome
        return outcome


class ProviderIndicatorMonthMixin:
    """Rows keyed on provider, indicator and month (returns.csv, trajectories.csv)."""

    key = ("provider_code", "indicator_code", "period")
    allowed_provider_ids = None

    def prepare(self):
        self.providers = dict(Provider.objects.values_list("code", "pk"))
        self.indicators = {i.code: i for i in Indicator.objects.all()}

    def describe_key(self, key):
        provider_code, indicator_code, period = key
        return f"{provider_code}, {indicator_code}, {format_period(period)}"

    def parse_key(self, row, line, cleaned, errors):
        """Check the provider, indicator and month; fill `cleaned`; return the Indicator."""
        code = row.get("provider_code", "").upper()
        if not code:
            errors.append(RowError(line, "provider_code", _("Enter the provider's code.")))
        elif code not in self.providers:
            errors.append(RowError(line, "provider_code", _("No provider has the code “%(code)s”.") % {"code": code}))
        elif self.allowed_provider_ids is not None and self.providers[code] not in self.allowed_provider_ids:
            errors.append(RowError(line, "provider_code", _(
                "Your teams do not commission from %(code)s, so you cannot submit its returns.") % {"code": code}))
        else:
            cleaned["provider_code"] = code
        indicator = self.indicators.get(row.get("indicator_code", ""))
        if indicator is None:
            errors.append(RowError(line, "indicator_code", _("No indicator has the code “%(code)s”.") % {
                "code": row.get("indicator_code", "")}))
        else:
            cleaned["indicator_code"] = indicator.code
        try:
            cleaned["period"] = parse_period(row.get("period", ""))
        except ValueError:
            errors.append(RowError(line, "period", _("Enter the month as YYYY-MM, for example 2026-04.")))
        return indicator


class ReturnImporter(ProviderIndicatorMonthMixin, Importer):
    """returns.csv: one row per provider, indicator and month; submits the returns it fills."""

    label = gettext_lazy("Monthly returns")
    columns = ["provider_code", "indicator_code", "period", "value", "rag", "status", "note"]

    def __init__(self, *, user=None, allowed_provider_ids=None):
        self.user = user
        self.allowed_provider_ids = allowed_provider_ids

    def prepare(self):
        super().prepare()
        self.locked = locked_periods()
        self.locked_returns = set(
            MonthlyReturn.objects.filter(status=ReturnStatus.LOCKED).values_list("provider_id", "period")
        )

    def validate_row(self, row, line):
        errors = []
        cleaned = {}

        def error(column, message):
            errors.append(RowError(line, column, message))

        indicator = self.parse_key(row, line, cleaned, errors)
        period, code = cleaned.get("period"), cleaned.get("provider_code")
        if period in self.locked:
            error("period", _("%(period)s is locked after sign-off; ask an administrator to unlock it.") % {
                "period": format_period(period)})
        elif code and (self.providers[code], period) in self.locked_returns:
            error("period", _("This return is locked; ask an administrator to unlock it."))

        status = (row.get("status") or ValueStatus.REPORTED).strip().lower()
        if status not in VALUE_STATUSES:
            error("status", _("“%(value)s” is not a valid code; use one of: %(codes)s.") % {
                "value": status, "codes": ", ".join(ValueStatus.values)})
        cleaned["status"] = status

        raw_value, raw_rag = row.get("value", ""), row.get("rag", "").strip().upper()
        value = None
        try:
            value = rules.parse_number(raw_value)
        except ValueError:
            error("value", _("“%(value)s” is not a number.") % {"value": raw_value})
            raw_value = None
        cleaned["value"], cleaned["rag"] = value, raw_rag

        if indicator is not None and status in VALUE_STATUSES and raw_value is not None:
            errors.extend(self._check_result(line, indicator, status, value, raw_rag))
        note = row.get("note", "")
        if len(note) > MAX_NOTE:
            error("note", _("Keep the note under %(max)s characters.") % {"max": MAX_NOTE})
        cleaned["note"] = note
        return cleaned, errors

    @staticmethod
    def _check_result(line, indicator, status, value, rag):
        return [
            RowError(line, field, _(message))
            for field, message in rules.result_problems(
                judgement=indicator.judgement, unit=indicator.unit, status=status, value=value, rag=rag)
        ]

    def _apply(self, rows, result):
        """Create missing returns, then create or update values with history: a few queries."""
        now = timezone.now()
        pairs = {(self.providers[c["provider_code"]], c["period"]) for _line, c in rows}
        provider_ids = {p for p, _period in pairs}
        periods = {period for _p, period in pairs}
        returns = {
            (r.provider_id, r.period): r
            for r in MonthlyReturn.objects.filter(provider_id__in=provider_ids, period__in=periods)
        }
        user_id = self.user.pk if self.user else None
        new_returns = [(p, period, ReturnStatus.SUBMITTED, now, user_id, 0, now, now)
                       for p, period in sorted(pairs) if (p, period) not in returns]
        if new_returns:
            insert_rows(MonthlyReturn, self.RETURN_FIELDS, new_returns)
            returns.update({(r.provider_id, r.period): r for r in MonthlyReturn.objects.filter(
                provider_id__in=provider_ids, period__in=periods)})
            history_rows(MonthlyReturn, ["id", *self.RETURN_FIELDS],
                         [(returns[(row[0], row[1])].pk, *row) for row in new_returns], when=now, user_id=user_id,
                         reason=change_reason())
        drafts = [r for key, r in returns.items() if key in pairs and r.status == ReturnStatus.DRAFT]
        for draft in drafts:  # an upload is a submission
            draft.status, draft.submitted_at, draft.submitted_by = ReturnStatus.SUBMITTED, now, self.user
            draft.version += 1
        if drafts:
            bulk_update_with_history(drafts, MonthlyReturn, ["status", "submitted_at", "submitted_by", "version"],
                                     batch_size=2000, default_user=self.user, default_change_reason=change_reason())
        return_ids = [r.pk for key, r in returns.items() if key in pairs]
        existing = {
            (v.monthly_return_id, v.indicator_id): v
            for v in IndicatorValue.objects.filter(monthly_return_id__in=return_ids)
        }
        to_create, to_update = [], []
        for _line, c in rows:
            monthly_return = returns[(self.providers[c["provider_code"]], c["period"])]
            indicator = self.indicators[c["indicator_code"]]
            fields = {"status": c["status"], "value": c["value"], "rag": c["rag"], "note": c["note"]}
            current = existing.get((monthly_return.pk, indicator.pk))
            if current is None:
                to_create.append((monthly_return.pk, indicator.pk, fields["status"], fields["value"], fields["rag"],
                                  fields["note"]))
            elif any(getattr(current, k) != v for k, v in fields.items()):
                for k, v in fields.items():
                    setattr(current, k, v)
                to_update.append(current)
            else:
                result.unchanged += 1
        if to_create:
            self._create_values(to_create, return_ids)
        if to_update:
            bulk_update_with_history(to_update, IndicatorValue, ["status", "value", "rag", "note"],
                                     batch_size=2000, default_user=self.user, default_change_reason=change_reason())
        result.created += len(to_create)
        result.updated += len(to_update)
        if to_create or to_update:
            result.rating_run = request_recompute({p for p, _period in pairs}, {period for _p, period in pairs},
                                                  user=self.user, trigger="import")


    VALUE_FIELDS = ["monthly_return_id", "indicator_id", "status", "value", "rag", "note"]
    RETURN_FIELDS = ["provider_id", "period", "status", "submitted_at", "submitted_by_id", "version", "created_at",
                     "updated_at"]

    def _create_values(self, rows, return_ids):
        """New values and their history rows, straight to the driver: a month's upload for a
        large estate is hundreds of thousands of rows (providers.bulk says why)."""
        now = timezone.now()
        insert_rows(IndicatorValue, [*self.VALUE_FIELDS, "created_at", "updated_at"],
                    [(*row, now, now) for row in rows])
        ids = {(m, i): pk for m, i, pk in IndicatorValue.objects.filter(
            monthly_return_id__in=return_ids, created_at=now).values_list("monthly_return_id", "indicator_id", "pk")}
        history_rows(IndicatorValue, ["id", *self.VALUE_FIELDS, "created_at", "updated_at"],
                     [(ids[(row[0], row[1])], *row, now, now) for row in rows], when=now,
                     user_id=self.user.pk if self.user else None, reason=change_reason())


class TrajectoryImporter(ProviderIndicatorMonthMixin, Importer):
    label = gettext_lazy("Improvement trajectories")
    columns = ["provider_code", "indicator_code", "period", "value"]

    def __init__(self, *, allowed_provider_ids=None):
        self.allowed_provider_ids = allowed_provider_ids

    def validate_row(self, row, line):
        errors, cleaned = [], {}
        indicator = self.parse_key(row, line, cleaned, errors)
        if indicator is not None and indicator.judgement:
            cleaned.pop("indicator_code")
            errors.append(RowError(line, "indicator_code", _(
                "%(code)s is a judgement indicator, so it has no trajectory.") % {"code": indicator.code}))
        try:
            value = rules.parse_number(row.get("value", ""))
        except ValueError:
            errors.append(RowError(line, "value", _("“%(value)s” is not a number.") % {"value": row.get("value", "")}))
        else:
            if value is None:
                errors.append(RowError(line, "value", _("Enter the agreed value for the month.")))
            elif indicator is not None and rules.value_problem(indicator.unit, value):
                errors.append(RowError(line, "value", _(rules.value_problem(indicator.unit, value))))
            cleaned["value"] = value
        return cleaned, errors

    def save_row(self, cleaned):
        lookup = {"provider_id": self.providers[cleaned["provider_code"]],
                  "indicator": self.indicators[cleaned["indicator_code"]], "period": cleaned["period"]}
        _trajectory, outcome = update_or_create_if_changed(Trajectory, lookup, {"value": cleaned["value"]})
        return outcome
