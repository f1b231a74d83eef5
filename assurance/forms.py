"""The monthly return entry form: one small form per applicable indicator."""

from functools import lru_cache

from django import forms
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from providers.forms import NHSModelForm
from providers.models import Provider
from providers.periods import format_period, parse_period

from . import rules
from .choices import Rag, ValueStatus
from .models import Indicator, Trajectory
from .targets import target_problems
from .templatetags.values import in_unit

MAX_NOTE = 4000


def format_number(value, places=None):
    """A number as people write it: "80", not "8E+1" or "80.000"; rounded to `places` if given."""
    if places is not None:
        value = round(value, places)
    return number_format(value.normalize(), use_l10n=True)


def usual_range_text(limits):
    """The usual range of an outlier message: the process limits to one decimal place."""
    _centre, lower, upper = limits
    return format_number(lower, 1), format_number(upper, 1)


@lru_cache(maxsize=64)
def history_strip_header(months, language):
    """`<th>` for each month: its short name, with its full name as the abbreviation's title, and
    the year under the first month and under each January (`language` keys the cache)."""
    return format_html_join(
        "",
        '<th scope="col"><abbr title="{}">{}</abbr>{}</th>',
        (
            (
                date_format(month, "F Y"),
                date_format(month, "M"),
                format_html("<br>{}", date_format(month, "Y")) if n == 0 or month.month == 1 else "",
            )
            for n, month in enumerate(months)
        ),
    )


class ResultForm(forms.Form):
    """One indicator's result for the month, checked as METHODOLOGY 8 says."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=ValueStatus.choices, initial=ValueStatus.REPORTED)
    value = forms.CharField(label=gettext_lazy("Value"), required=False, max_length=40)
    rag = forms.ChoiceField(
        label=gettext_lazy("RAG"), required=False, choices=[("", gettext_lazy("Not rated"))] + Rag.choices
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, indicator, history, submitting=False, **kwargs):
        """`history`: [(period, IndicatorValue or None)] over the previous 12 months, oldest
        first, from received returns only. `submitting`: the save submits the return or keeps
        it submitted, so every value outside its usual range needs a confirming note."""
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        self.history = history
        self.submitting = submitting
        self.outlier = False
        self.recent = (
            [] if indicator.judgement else [v.value for _p, v in history if v is not None and v.value is not None]
        )
        self.limits = rules.process_limits(self.recent) if self.recent else None
        if not self.is_bound and self.initial.get("status") == ValueStatus.REPORTED:
            # A saved value outside the usual range is flagged as soon as the page opens.
            self.outlier = self.outside_limits(rules.parse_number(self.initial.get("value")))

    def outside_limits(self, value):
        """METHODOLOGY 8, reliability: the one outlier test, shared with the imports."""
        if self.indicator.judgement:
            return False
        return rules.outside_recent_range(self.recent, value)

    @property
    def needs_note(self):
        """Flagged, and no confirming note yet (as typed, or as saved when the page opens)."""
        if not self.outlier:
            return False
        note = self.data.get(self.add_prefix("note"), "") if self.is_bound else self.initial.get("note", "")
        return not (note or "").strip()

    def clean_value(self):
        try:
            return rules.parse_number(self.cleaned_data["value"])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a number, for example 95 or 95.5.")) from exc

    def clean(self):
        cleaned = super().clean()
        if "value" not in cleaned or "status" not in cleaned:
            return cleaned
        for field, message in rules.result_problems(
            judgement=self.indicator.judgement,
            unit=self.indicator.unit,
            status=cleaned["status"],
            value=cleaned["value"],
            rag=cleaned.get("rag", ""),
        ):
            self.add_error(field, _(message))
        value = cleaned.get("value")
        if cleaned.get("status") == ValueStatus.REPORTED and self.outside_limits(value):
            self.outlier = True
            if self.submitting and not cleaned.get("note", "").strip():
                lower, upper = usual_range_text(self.limits)
                self.add_error(
                    "note",
                    _(
                        "%(value)s is outside this indicator's usual range for the provider "
                        "(%(lower)s to %(upper)s over the last 12 months). Add a note confirming it "
                        "is right before you submit or save the return."
                    )
                    % {"value": format_number(value), "lower": lower, "upper": upper},
                )
        return cleaned

    def result(self):
        data = self.cleaned_data
        return {
            "status": data["status"],
            "value": data["value"],
            "rag": data.get("rag", ""),
            "note": data.get("note", ""),
        }

    @property
    def history_text(self):
        """[(month as a date, what was received)]: a value in its unit, a RAG word or a status."""
        shown = []
        for period, value in self.history:
            if value is None:
                shown.append((period, "—"))
            elif value.status != ValueStatus.REPORTED:
                shown.append((period, value.get_status_display()))
            elif value.rag:
                shown.append((period, Rag(value.rag).label))
            else:
                shown.append((period, in_unit(value.value, self.indicator.unit)))
        return shown

    @property
    def history_header(self):
        """The history strip's header row: the same 12 months for every indicator of a return,
        so it is written once per page and language (history_strip_header)."""
        return history_strip_header(tuple(period for period, _value in self.history), get_language())

    @property
    def history_cells(self):
        """The history strip's values row."""
        return format_html_join("", "<td>{}</td>", ((shown,) for _period, shown in self.history_text))

    @property
    def is_complete(self):
        """Answered: a value (or RAG) reported, or a status saying why there is none. What the
        progress count of the save bar counts, as typed when the form is bound."""
        source = self.data if self.is_bound else None

        def current(name):
            if source is not None:
                return (source.get(self.add_prefix(name)) or "").strip()
            return str(self.initial.get(name) or "").strip()

        if (current("status") or ValueStatus.REPORTED) != ValueStatus.REPORTED:
            return True
        return bool(current("rag") if self.indicator.judgement else current("value"))


def build_result_forms(indicators, history, existing, data=None, submitting=False):
    """A ResultForm per indicator, prefilled from the saved values.

    `submitting`: the save submits the return or keeps it submitted (outliers need notes).
    """
    forms_ = []
    for indicator in indicators:
        saved = existing.get(indicator.pk)
        initial = {"status": ValueStatus.REPORTED}
        if saved is not None:
            initial = {
                "status": saved.status,
                "rag": saved.rag,
                "note": saved.note,
                "value": "" if saved.value is None else f"{saved.value.normalize():f}",
            }
        forms_.append(
            ResultForm(
                data=data,
                prefix=f"i{indicator.pk}",
                initial=initial,
                indicator=indicator,
                history=history.get(indicator.pk, []),
                submitting=submitting,
            )
        )
    return forms_


class OutlierConfirmationForm(forms.Form):
    """An upload's values outside their usual range, confirmed at once (METHODOLOGY 8): the
    note is recorded as the note of every flagged row that has none of its own."""

    confirmed = forms.BooleanField(
        label=gettext_lazy("I have checked these values and they are right"),
        error_messages={"required": gettext_lazy("Tick the box to confirm the values are right.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Confirming note"),
        max_length=MAX_NOTE,
        help_text=gettext_lazy(
            "Say how you checked them, for example with whom. This note is saved with "
            "every value listed that has no note of its own."
        ),
        error_messages={"required": gettext_lazy("Enter a note saying how you checked the values.")},
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class TrajectoryForm(NHSModelForm):
    """An agreed improvement trajectory point: the value a provider should reach in a month."""

    period_text = forms.CharField(
        label=gettext_lazy("Month"),
        help_text=gettext_lazy("For example 2026-12."),
        max_length=7,
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5"}),
    )

    class Meta:
        model = Trajectory
        fields = ["provider", "indicator", "value"]

    def __init__(self, *args, allowed_provider_ids=None, **kwargs):
        super().__init__(*args, **kwargs)
        providers = Provider.objects.filter(active=True)
        if allowed_provider_ids is not None:
            providers = providers.filter(pk__in=allowed_provider_ids)
        self.fields["provider"].queryset = providers
        self.fields["indicator"].queryset = Indicator.objects.filter(active=True, judgement=False)
        self.fields["provider"].empty_label = self.fields["indicator"].empty_label = _("Select an option")
        self.order_fields(["provider", "indicator", "period_text", "value"])

    def clean_period_text(self):
        try:
            return parse_period(self.cleaned_data["period_text"])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the month as YYYY-MM, for example 2026-12.")) from exc

    def clean(self):
        cleaned = super().clean()
        indicator, value, period = cleaned.get("indicator"), cleaned.get("value"), cleaned.get("period_text")
        if indicator is not None and value is not None:
            problem = rules.value_problem(indicator.unit, value)
            if problem:
                self.add_error("value", _(problem))
        if period is not None:
            self.instance.period = period
            if (
                cleaned.get("provider")
                and indicator
                and Trajectory.objects.filter(provider=cleaned["provider"], indicator=indicator, period=period).exists()
            ):
                self.add_error(
                    "period_text", _("A trajectory is already agreed for this provider, indicator and month.")
                )
        return cleaned


class IndicatorForm(NHSModelForm):
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
            "services",
            "data_source",
            "active",
        ]
        widgets = {
            "code": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "target": forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "step": "any"}),
            "amber_threshold": forms.NumberInput(attrs={"class": "nhsuk-input--width-10", "step": "any"}),
            "services": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Editing: the target here is the original one (until the first change of target).
        self.changes = list(self.instance.target_changes.all()) if self.instance.pk else []
        for name in ("target", "amber_threshold"):  # 95, not the stored 95.0000
            value = self.initial.get(name)
            if value is not None:
                self.initial[name] = format(value.normalize(), "f")
        if self.instance.pk and not self.instance.judgement:
            self.fields["target"].help_text = _(
                "The original target, which holds until the first change of target. To change the target "
                "from a month on, add a change of target under “Targets over time”: earlier months keep theirs."
            )

    def clean(self):
        """The changes of target must still make sense for the indicator as it will be."""
        cleaned = super().clean()
        if not self.changes:
            return cleaned
        if cleaned.get("judgement"):
            self.add_error(
                "judgement", _("This indicator has changes of target, so it cannot be a judgement indicator.")
            )
            return cleaned
        probe = Indicator(
            unit=cleaned.get("unit") or self.instance.unit, polarity=cleaned.get("polarity") or self.instance.polarity
        )
        for change in self.changes:
            if target_problems(probe, change.target, change.amber_threshold):
                self.add_error(
                    "unit" if "unit" in self.changed_data else "polarity",
                    _("The change of target from %(period)s would no longer fit this indicator's unit and polarity.")
                    % {"period": format_period(change.from_period)},
                )
                break
        return cleaned


class TargetChangeForm(forms.Form):
    """A change of an indicator's target and amber threshold from a month on (targets.csv's row)."""

    from_period = forms.CharField(
        label=gettext_lazy("From month"),
        help_text=gettext_lazy("For example 2026-04. The new target holds from this month until the next change."),
        error_messages={"required": gettext_lazy("Enter the month the target changes from.")},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-5", "autocomplete": "off"}),
    )
    target = forms.CharField(
        label=gettext_lazy("Target"),
        max_length=40,
        error_messages={"required": gettext_lazy("Enter the target from this month.")},
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"}),
    )
    amber_threshold = forms.CharField(
        label=gettext_lazy("Amber threshold"),
        max_length=40,
        required=False,
        help_text=gettext_lazy(
            "A miss no worse than this is Amber. Leave it blank for no amber threshold from "
            "this month: any miss is then Red."
        ),
        widget=forms.TextInput(attrs={"class": "nhsuk-input--width-10", "inputmode": "decimal"}),
    )

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator

    def clean_from_period(self):
        try:
            period = parse_period(self.cleaned_data["from_period"])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter the month as YYYY-MM, for example 2026-04.")) from exc
        if self.indicator.target_changes.filter(from_period=period).exists():
            raise forms.ValidationError(
                _(
                    "The target already changes from %(period)s. Choose another month, or correct that change "
                    "with a targets.csv import."
                )
                % {"period": format_period(period)}
            )
        return period

    def _number(self, name):
        try:
            return rules.parse_number(self.cleaned_data[name])
        except ValueError as exc:
            raise forms.ValidationError(_("Enter a number, for example 95 or 95.5.")) from exc

    def clean_target(self):
        return self._number("target")

    def clean_amber_threshold(self):
        return self._number("amber_threshold")

    def clean(self):
        cleaned = super().clean()
        if "target" in cleaned:
            for field, message in target_problems(self.indicator, cleaned["target"], cleaned.get("amber_threshold")):
                self.add_error(field, message)
        return cleaned
