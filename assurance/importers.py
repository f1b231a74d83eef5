"""Imports of indicators.csv, returns.csv, trajectories.csv and targets.csv (DESIGN.md, "Data interchange").

Returns can run to hundreds of thousands of rows, so that importer parses rows without a
form per row and writes with a few bulk queries (keeping history) instead of a save per row.
"""

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from providers.importing import (
    CodeChoiceField,
    Importer,
    RegisterCodeField,
    RowError,
    YesNoField,
    code_list_errors,
    split_codes,
    unknown_code_message,
    unknown_codes_message,
    update_or_create_if_changed,
)
from providers.models import Provider, Service
from providers.periods import format_period, parse_period, previous_months, shift

from . import rules
from .choices import Area, Cohort, Domain, IndicatorSource, Polarity, ReturnStatus, Setting, Unit, ValueStatus
from .forms import MAX_NOTE, format_number, usual_range_text
from .models import Indicator, MonthlyReturn, RatingRun, Trajectory
from .selectors import locked_periods, received_series
from .services import ReturnLocked, ReturnValue, returns_write
from .targets import recompute_from, save_target_change, target_problems

VALUE_STATUSES = frozenset(ValueStatus.values)  # checked on every row of an upload


class IndicatorRow(forms.Form):
    code = RegisterCodeField()
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
    source = CodeChoiceField(choices=IndicatorSource.choices, required=False)

    def clean_services(self):
        codes = split_codes(self.cleaned_data["services"])
        problems = code_list_errors(codes)
        if problems:
            raise forms.ValidationError(problems)
        return codes


class IndicatorImporter(Importer):
    label = gettext_lazy("Indicators")
    columns = [
        "code",
        "name",
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
        "services",
    ]
    key = "code"
    form_class = IndicatorRow

    def prepare(self):
        self.services = {service.code: service for service in Service.objects.all()}

    def check_row(self, cleaned, line):
        unknown = [code for code in cleaned.get("services", []) if code not in self.services]
        if unknown:
            return [RowError(line, "services", unknown_codes_message(unknown, self.services))]
        return []

    def validate_row(self, row, line):
        cleaned, errors = super().validate_row(row, line)
        # `source` is optional (DESIGN.md): set when the column is in the file, else left as it is.
        cleaned["has_source"] = "source" in row
        return cleaned, errors

    def save_row(self, cleaned):
        values = {name: cleaned[name] for name in self.columns if name not in ("code", "services")}
        if cleaned["has_source"]:
            values["source"] = cleaned["source"] or ""
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
        code = row.get("provider_code", "")  # codes are matched exactly as written (DESIGN.md)
        if not code:
            errors.append(RowError(line, "provider_code", _("Enter the provider's code.")))
        elif code not in self.providers:
            errors.append(
                RowError(
                    line,
                    "provider_code",
                    unknown_code_message(
                        _("No provider has the code “%(code)s”.") % {"code": code}, code, self.providers
                    ),
                )
            )
        elif self.allowed_provider_ids is not None and self.providers[code] not in self.allowed_provider_ids:
            errors.append(
                RowError(
                    line,
                    "provider_code",
                    _("Your teams do not commission from %(code)s, so you cannot submit its returns.") % {"code": code},
                )
            )
        else:
            cleaned["provider_code"] = code
        indicator = self.indicators.get(row.get("indicator_code", ""))
        if indicator is None:
            errors.append(
                RowError(
                    line,
                    "indicator_code",
                    unknown_code_message(
                        _("No indicator has the code “%(code)s”.") % {"code": row.get("indicator_code", "")},
                        row.get("indicator_code", ""),
                        self.indicators,
                    ),
                )
            )
        else:
            cleaned["indicator_code"] = indicator.code
        try:
            cleaned["period"] = parse_period(row.get("period", ""))
        except ValueError:
            errors.append(RowError(line, "period", _("Enter the month as YYYY-MM, for example 2026-04.")))
        return indicator


@dataclass(frozen=True)
class FlaggedRow:
    """A row whose value is outside its usual range (METHODOLOGY 8, reliability): the
    provider's process limits for the indicator over the previous 12 months."""

    line: int
    provider_code: str
    indicator: Indicator
    period: object
    value: Decimal
    limits: tuple
    note: str  # the row's own note in the file ("" if none)

    @property
    def value_text(self):
        return format_number(self.value)

    @property
    def range_text(self):
        lower, upper = usual_range_text(self.limits)
        return _("%(lower)s to %(upper)s") % {"lower": lower, "upper": upper}

    def warning(self, *, dry_run=False):
        """The command line's warning: the row, its value and the usual range."""
        if self.note.strip():
            outcome = (
                _("its own note would be kept as the confirmation")
                if dry_run
                else _("its own note is kept as the confirmation")
            )
        else:
            outcome = (
                _("would be recorded as confirmed by this import")
                if dry_run
                else _("recorded as confirmed by this import")
            )
        return _(
            "line %(line)s: %(provider)s %(indicator)s %(period)s: value %(value)s is outside the usual "
            "range %(range)s; %(outcome)s"
        ) % {
            "line": self.line,
            "provider": self.provider_code,
            "indicator": self.indicator.code,
            "period": format_period(self.period),
            "value": self.value_text,
            "range": self.range_text,
            "outcome": outcome,
        }


class ReturnImporter(ProviderIndicatorMonthMixin, Importer):
    """returns.csv: one row per provider, indicator and month; submits the returns it fills.

    Values outside their usual range (METHODOLOGY 8) are listed in `flagged` and need a
    confirmation. `outliers` says how it is given: ASK (the web upload) saves nothing while
    any flagged row lacks a note, unless `confirmation_note` is given, which becomes the note
    of each such row; CONFIRMED_BY_IMPORT (the command line, bulk and historical loads) records
    the import as their confirmation ("Confirmed by import") and leaves the warnings to the caller.
    """

    ASK, CONFIRMED_BY_IMPORT = "ask", "confirmed_by_import"
    HISTORY_BATCH = 50  # providers whose history is read at once: memory stays flat on big files

    label = gettext_lazy("Monthly returns")
    columns = ["provider_code", "indicator_code", "period", "value", "rag", "status", "note"]

    all_sheets = True  # the template may have a sheet per area or per provider
    RESULT_COLUMNS = ("value", "rag", "status", "note")

    def __init__(
        self,
        *,
        user=None,
        allowed_provider_ids=None,
        outliers=CONFIRMED_BY_IMPORT,
        confirmation_note="",
        versions=None,
        progress=None,
    ):
        self.user = user
        # {(provider_id, month): the version its sender read} (the API; an upload's save, the versions
        # its check read): StaleReturn if any of those returns was written since, and nothing is saved.
        self.versions = versions
        self.allowed_provider_ids = allowed_provider_ids
        self.outliers = outliers
        self.confirmation_note = confirmation_note.strip()
        self.progress = progress
        self.flagged = []
        self.awaiting_confirmation = False

    def is_blank(self, row):
        """A row with nothing entered (no value, RAG, status or note) is skipped: the template
        lists every provider and indicator, and the person fills in only what they have."""
        return not any((row.get(column) or "").strip() for column in self.RESULT_COLUMNS)

    def run_records(self, header, records, *, filename="", dry_run=False):
        """Importer.run_records, and what became of the values outside their usual range: the result
        carries `flagged` and `awaiting_confirmation` (True: nothing was saved for want of one), and
        `versions`, the versions of the file's returns as it was checked ({(provider_id, period): n},
        0 for a return not started), for a later save to be checked against (check first, then save)."""
        self.flagged, self.awaiting_confirmation, self.dry_run, self.versions_read = [], False, dry_run, {}
        result = super().run_records(header, records, filename=filename, dry_run=dry_run)
        result.flagged = self.flagged
        result.awaiting_confirmation = self.awaiting_confirmation and result.ok
        result.versions = self.versions_read
        return result

    @property
    def unconfirmed(self):
        """Flagged rows with no note of their own."""
        return [row for row in self.flagged if not row.note.strip()]

    def prepare(self):
        super().prepare()
        self.locked = locked_periods()
        self.locked_returns = {}  # {period: {provider_id}}: read for each month the file has, when first met

    def locked_return(self, provider_id, period):
        """Whether the provider's return for the month is locked (one query per month of the file,
        not every locked return of the estate's history)."""
        if period not in self.locked_returns:
            self.locked_returns[period] = set(
                MonthlyReturn.objects.order_by()
                .filter(status=ReturnStatus.LOCKED, period=period)
                .values_list("provider_id", flat=True)
            )
        return provider_id in self.locked_returns[period]

    def validate_row(self, row, line):
        errors = []
        cleaned = {}

        def error(column, message):
            errors.append(RowError(line, column, message))

        indicator = self.parse_key(row, line, cleaned, errors)
        if indicator is not None and indicator.derived:
            error(
                "indicator_code",
                _(
                    "%(code)s (%(name)s) is derived from contract activity and cost against plan, so it is never "
                    "typed or uploaded in a return; record the contract's actuals instead."
                )
                % {"code": indicator.code, "name": indicator.name},
            )
        period, code = cleaned.get("period"), cleaned.get("provider_code")
        if period in self.locked:
            error(
                "period",
                _("%(period)s is locked after sign-off; ask an administrator to unlock it.")
                % {"period": format_period(period)},
            )
        elif code and period is not None and self.locked_return(self.providers[code], period):
            error("period", _("This return is locked; ask an administrator to unlock it."))

        status = (row.get("status") or ValueStatus.REPORTED).strip().lower()
        if status not in VALUE_STATUSES:
            error(
                "status",
                _("“%(value)s” is not a valid code; use one of: %(codes)s.")
                % {"value": status, "codes": ", ".join(ValueStatus.values)},
            )
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
                judgement=indicator.judgement, unit=indicator.unit, status=status, value=value, rag=rag
            )
        ]

    def flag_outliers(self, rows):
        """[FlaggedRow] of the valid rows: reported numbers outside their usual range.

        The usual range is the provider's process limits for the indicator over the previous
        12 months (rules.outside_recent_range, as in the return form) from received returns,
        with this file's own rows for those months in their place: the import submits them.
        """
        candidates = [
            (line, c)
            for line, c in rows
            if c["status"] == ValueStatus.REPORTED
            and c["value"] is not None
            and not self.indicators[c["indicator_code"]].judgement
        ]
        if not candidates:
            return []
        in_file = {}
        for _line, c in rows:
            key = (self.providers[c["provider_code"]], self.indicators[c["indicator_code"]].pk)
            in_file.setdefault(key, {})[c["period"]] = c["value"] if c["status"] == ValueStatus.REPORTED else None
        by_provider = {}
        for line, c in candidates:
            by_provider.setdefault(self.providers[c["provider_code"]], []).append((line, c))
        provider_ids = sorted(by_provider)
        months = {}  # {period: its previous 12 months}: a file is mostly one month
        flagged = []
        for start in range(0, len(provider_ids), self.HISTORY_BATCH):
            batch = [
                (line, c) for pid in provider_ids[start : start + self.HISTORY_BATCH] for line, c in by_provider[pid]
            ]
            periods = [c["period"] for _line, c in batch]
            series = received_series(
                {self.providers[c["provider_code"]] for _line, c in batch},
                {self.indicators[c["indicator_code"]].pk for _line, c in batch},
                shift(min(periods), -12),
                shift(max(periods), -1),
            )
            for line, c in batch:
                indicator = self.indicators[c["indicator_code"]]
                key = (self.providers[c["provider_code"]], indicator.pk)
                own, saved = in_file.get(key, {}), series.get(key, {})
                if c["period"] not in months:
                    months[c["period"]] = previous_months(c["period"], 12)
                history = [own[p] if p in own else saved.get(p) for p in months[c["period"]]]
                history = [v for v in history if v is not None]
                if rules.outside_recent_range(history, c["value"]):
                    flagged.append(
                        FlaggedRow(
                            line,
                            c["provider_code"],
                            indicator,
                            c["period"],
                            c["value"],
                            rules.process_limits(history),
                            c["note"],
                        )
                    )
        return sorted(flagged, key=lambda f: f.line)

    def _apply(self, rows, result):
        """Write the rows through the returns' one write service (services.returns_write): a few
        queries, whatever the size, with history, submitting the returns and raising their versions.

        Values outside their usual range need confirming first (see the class): without it
        nothing is written and `awaiting_confirmation` says so.
        """
        keys = {(self.providers[c["provider_code"]], c["period"]) for _line, c in rows}
        self.versions_read = dict.fromkeys(keys, 0) | {
            (provider_id, period): version
            for provider_id, period, version in MonthlyReturn.objects.order_by()
            .filter(provider_id__in={p for p, _period in keys}, period__in={period for _p, period in keys})
            .values_list("provider_id", "period", "version")
            if (provider_id, period) in keys
        }
        self.flagged = self.flag_outliers(rows)
        unconfirmed = {row.line for row in self.unconfirmed}
        if unconfirmed:
            if self.outliers == self.ASK and not self.confirmation_note:
                self.awaiting_confirmation = True
                if not self.dry_run:
                    return
            note = self.confirmation_note or _("Confirmed by import")
            for line, c in rows:
                if line in unconfirmed:
                    c["note"] = note
        try:
            written = returns_write(
                rows=[
                    ReturnValue(
                        self.providers[c["provider_code"]],
                        c["period"],
                        self.indicators[c["indicator_code"]],
                        c["status"],
                        c["value"],
                        c["rag"],
                        c["note"],
                    )
                    for _line, c in rows
                ],
                user=self.user,
                versions=self.versions,
                submit=True,
                resubmit=False,
                trigger=RatingRun.Trigger.IMPORT,
            )
        except ReturnLocked as exc:  # locked since the file was checked: every row of it is named
            refused = set(exc.keys)
            for line, c in rows:
                if (self.providers[c["provider_code"]], c["period"]) in refused:
                    result.errors.append(
                        RowError(
                            line,
                            "period",
                            _("%(period)s is locked after sign-off; ask an administrator to unlock it.")
                            % {"period": format_period(c["period"])},
                        )
                    )
            return
        result.created += written.created
        result.updated += written.updated
        result.unchanged += written.unchanged
        result.rating_run = written.rating_run


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
            errors.append(
                RowError(
                    line,
                    "indicator_code",
                    _("%(code)s is a judgement indicator, so it has no trajectory.") % {"code": indicator.code},
                )
            )
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
        lookup = {
            "provider_id": self.providers[cleaned["provider_code"]],
            "indicator": self.indicators[cleaned["indicator_code"]],
            "period": cleaned["period"],
        }
        _trajectory, outcome = update_or_create_if_changed(Trajectory, lookup, {"value": cleaned["value"]})
        return outcome


class TargetImporter(Importer):
    """targets.csv: a change of an indicator's target and amber threshold from a month on
    (METHODOLOGY, "Targets change over time"; the checks are assurance.targets').

    After an import that changed anything (not a dry run), the months from the earliest
    changed month on that have ratings are recomputed (assurance.targets.recompute_from);
    `result.rating_run` is that job.
    """

    label = gettext_lazy("Changes of target")
    columns = ["indicator_code", "from_period", "target", "amber_threshold"]
    key = ("indicator_code", "from_period")

    def __init__(self, *, user=None):
        self.user = user

    def run(self, data, filename="", dry_run=False):
        self.dry_run, self.changed_from, self.rating_run = dry_run, [], None
        return super().run(data, filename, dry_run=dry_run)

    def prepare(self):
        self.indicators = {indicator.code: indicator for indicator in Indicator.objects.all()}

    def describe_key(self, key):
        code, period = key
        return f"{code}, {format_period(period)}"

    def validate_row(self, row, line):
        errors, cleaned = [], {}

        def error(column, message):
            errors.append(RowError(line, column, message))

        code = row.get("indicator_code", "")
        indicator = self.indicators.get(code)
        if not code:
            error("indicator_code", _("Enter the indicator's code."))
        elif indicator is None:
            error(
                "indicator_code",
                unknown_code_message(
                    _("No indicator has the code “%(code)s”.") % {"code": code}, code, self.indicators
                ),
            )
        elif indicator.judgement:
            error("indicator_code", _("%(code)s is a judgement indicator, so it has no target.") % {"code": code})
            indicator = None
        else:
            cleaned["indicator_code"] = code
        try:
            cleaned["from_period"] = parse_period(row.get("from_period", ""))
        except ValueError:
            error("from_period", _("Enter the month the target changes from as YYYY-MM, for example 2026-04."))
        numbers = {}
        for column in ("target", "amber_threshold"):
            try:
                numbers[column] = rules.parse_number(row.get(column, ""))
            except ValueError:
                error(column, _("“%(value)s” is not a number.") % {"value": row.get(column, "")})
        if "target" in numbers and numbers["target"] is None:
            error("target", _("Enter the target from this month."))
        elif indicator is not None and "target" in numbers:
            for column, message in target_problems(indicator, numbers["target"], numbers.get("amber_threshold")):
                if column in numbers:
                    error(column, message)
        cleaned.update(numbers)
        return cleaned, errors

    def save_row(self, cleaned):
        _change, outcome = save_target_change(
            indicator=self.indicators[cleaned["indicator_code"]],
            from_period=cleaned["from_period"],
            target=cleaned["target"],
            amber_threshold=cleaned["amber_threshold"],
            user=self.user,
        )
        if outcome != "unchanged":
            self.changed_from.append(cleaned["from_period"])
        return outcome

    def _apply(self, rows, result):
        super()._apply(rows, result)
        if self.changed_from and not result.errors and not self.dry_run:
            result.rating_run = self.rating_run = recompute_from(min(self.changed_from), user=self.user)
