from django import forms
from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from providers.forms import NHSModelForm
from providers.periods import format_period, parse_period
from providers.roles import ROLE_LABELS, ROLES

from .models import Committee

MAX_TEXT = 10000


class HighlightReportForm(forms.Form):
    commentary = forms.CharField(
        label=_("Commentary"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Where further investigation may be needed, or where the Commissioning and Contracting Group "
            "may need to give further consideration. It goes into the exception reports."
        ),
    )
    governance = forms.CharField(
        label=_("Governance and strategic change"),
        required=False,
        max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "For example inspection reports and notices, government intervention, audit and well-led "
            "assessments, strategic change, inquiries, service closures or suspensions, leadership "
            "changes, staff surveys, soft intelligence and media issues."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class PackRequestForm(forms.Form):
    """Ask for a committee pack: the committee and the month it reports on."""

    committee = forms.ChoiceField(label=_("Committee"), error_messages={"required": _("Choose the committee.")})
    period = forms.ChoiceField(
        label=_("Month"),
        help_text=_("The newest month the pack reports on."),
        error_messages={"required": _("Choose the month the pack reports on.")},
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=settings.LANGUAGES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("The pack is written in this language."),
    )

    def __init__(self, *args, committees, months, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()
        self.fields["committee"].choices = [("", _("Choose a committee"))] + list(committees)
        self.fields["period"].choices = [(format_period(m), date_format(m, "F Y")) for m in months]
        if not months:
            self.fields["period"].choices = [("", _("No month has been rated yet"))]

    def clean_period(self):
        try:
            return parse_period(self.cleaned_data["period"])
        except ValueError as exc:
            raise forms.ValidationError(_("Choose one of the months listed.")) from exc


class CommitteeForm(NHSModelForm):
    """A committee as administrators keep it (METHODOLOGY 6): its code (fixed once made), names, cadence,
    which providers its packs cover, the sections they hold and which roles may read them."""

    sections = forms.MultipleChoiceField(
        label=_("Sections"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The pack holds these, in this order, after its cover and contents."),
    )
    readers = forms.ModelMultipleChoiceField(
        label=_("Roles that may read its packs"),
        queryset=Group.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Committee
        fields = ["code", "name", "name_cy", "cadence", "scope", "sections", "readers", "active"]
        widgets = {
            "code": forms.TextInput(attrs={"class": "nhsuk-input--width-20", "spellcheck": "false"}),
            "cadence": forms.RadioSelect,
            "scope": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from . import packs  # noqa: PLC0415 - the registry loads reportlab: only this administrators' form needs it

        self.fields["sections"].error_messages["required"] = _("Select at least one section.")
        self.fields["readers"].error_messages["required"] = _("Select at least one role that may read its packs.")
        self.fields["sections"].choices = list(packs.section_titles().items())
        self.fields["readers"].queryset = Group.objects.filter(name__in=ROLES).order_by("name")
        self.fields["readers"].label_from_instance = lambda group: str(ROLE_LABELS.get(group.name, group.name))
        if self.instance.pk:
            # The code is the command line's (build_pack --committee CODE) and names its packs' files.
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("Used on the command line; it cannot be changed.")
            self.initial["sections"] = self.instance.sections

    def clean_code(self):
        code = self.cleaned_data["code"]
        if not self.instance.pk and Committee.objects.filter(code__iexact=code).exists():
            raise forms.ValidationError(_("Another committee has this code. Choose another."))
        return code

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Committee.objects.filter(name__iexact=name).exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("Another committee has this name. Choose another."))
        return name

    def clean_sections(self):
        """The sections kept in the order the committee had them, then those newly ticked in the registry's
        order (whatever order they were ticked in)."""
        chosen = set(self.cleaned_data["sections"])
        kept = [code for code in (self.instance.sections or []) if code in chosen]
        return kept + [code for code, _title in self.fields["sections"].choices if code in chosen and code not in kept]
