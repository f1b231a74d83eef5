from django import forms
from django.conf import settings
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from providers.periods import format_period, parse_period

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
