"""Forms for maintaining providers, services and commissioning teams."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .forms_dates import use_nhs_date_inputs
from .models import CommissioningTeam, Provider, Service, register_code_validator


class NHSModelForm(forms.ModelForm):
    """A model form in the NHS.UK voice.

    Drop-downs start with a prompt instead of Django's "---------", and a missing
    answer says what to do ("Enter the title.", "Select the provider.").
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        use_nhs_date_inputs(self)  # day, month and year boxes, not the browser's date picker
        for field in self.fields.values():
            label = str(field.label or "")
            label = label[:1].lower() + label[1:]
            if isinstance(field, forms.ChoiceField):
                field.error_messages["required"] = _("Select the %(label)s.") % {"label": label}
            else:
                field.error_messages["required"] = _("Enter the %(label)s.") % {"label": label}
            if isinstance(field, forms.ModelChoiceField):
                if field.empty_label is not None:
                    field.empty_label = _("Select an option")
            elif isinstance(field, forms.ChoiceField):
                choices = list(field.choices)
                if choices and choices[0][0] in ("", None):
                    field.choices = [("", _("Select an option"))] + choices[1:]


class ProviderForm(NHSModelForm):
    class Meta:
        model = Provider
        fields = ["code", "name", "sector", "country", "regulator", "intervention_level", "active"]
        widgets = {"code": forms.TextInput(attrs={"class": "nhsuk-input--width-10"})}

    def clean_code(self):
        """Kept exactly as typed (DESIGN.md). Checked here, not only by the model, so a bad code
        never reaches the provider being edited (whose pages are addressed by its code)."""
        code = self.cleaned_data["code"]
        register_code_validator(code)
        return code


class ServiceForm(NHSModelForm):
    class Meta:
        model = Service
        fields = ["code", "name", "commissioning_team", "active"]
        widgets = {"code": forms.TextInput(attrs={"class": "nhsuk-input--width-20"})}


class CommissioningTeamForm(NHSModelForm):
    class Meta:
        model = CommissioningTeam
        fields = ["code", "name", "description", "active"]
        widgets = {
            "code": forms.TextInput(attrs={"class": "nhsuk-input--width-20"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }


class FilterForm(forms.Form):
    """Base form for list filters: every field is optional, so none is marked "(optional)"."""

    mark_optional = False


class SpreadsheetUploadForm(forms.Form):
    """Upload a CSV or XLSX file of one of several kinds, with a dry run ticked by default."""

    kind = forms.ChoiceField(label=_("What does the file contain?"), choices=[], widget=forms.RadioSelect)
    file = forms.FileField(
        label=_("File"),
        error_messages={"required": _("Select a file to upload."), "empty": _("The selected file is empty.")},
        help_text=_("A CSV (UTF-8) or Excel .xlsx file whose first row holds the column names."),
    )
    dry_run = forms.BooleanField(
        label=_("Check the file only (dry run)"),
        required=False,
        initial=True,
        help_text=_("Untick to save. Nothing is saved unless every row is valid."),
    )

    def __init__(self, *args, kind_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices
        if len(kind_choices) == 1:
            self.fields["kind"].initial = kind_choices[0][0]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a CSV (.csv) or Excel (.xlsx) file."))
        if upload.size > settings.MAX_IMPORT_FILE_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB. Split it into smaller files.")
                % {"limit": settings.MAX_IMPORT_FILE_BYTES // (1024 * 1024)}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The selected file is empty."))
        return upload
