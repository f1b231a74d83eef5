"""Forms for accounts, two-factor codes and people management (issue 15)."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _

from .choices import DirectorLevel
from .models import CommissioningTeam
from .roles import ROLE_LABELS, ROLES


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The 6-digit code your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false"}),
    )


class NHSPasswordResetForm(PasswordResetForm):
    """Django's form: it emails active accounts with a usable password, and says nothing either way."""

    email = forms.EmailField(
        label=_("Email address"), max_length=254, widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


def role_choices():
    return [(name, ROLE_LABELS[name]) for name in ROLES if Group.objects.filter(name=name).exists()]


class AccessForm(forms.Form):
    """What a person may do: roles, commissioning teams and director levels."""

    roles = forms.MultipleChoiceField(label=_("Roles"), required=False, widget=forms.CheckboxSelectMultiple)
    teams = forms.ModelMultipleChoiceField(
        label=_("Commissioning teams"),
        queryset=CommissioningTeam.objects.filter(active=True),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        to_field_name="code",
    )
    director_levels = forms.TypedMultipleChoiceField(
        label=_("Director levels"),
        choices=DirectorLevel.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The escalation levels whose step-downs this person decides."),
    )

    def __init__(self, *args, own=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = role_choices()
        if own:
            # Nobody changes their own roles or director levels (another administrator does):
            # the form offers only the teams (the page says why).
            del self.fields["roles"]
            del self.fields["director_levels"]


class InviteForm(AccessForm):
    username = forms.CharField(label=_("Username"), max_length=150)
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    email = forms.EmailField(label=_("Email address"))
    field_order = ["first_name", "last_name", "email", "username", "roles", "teams", "director_levels"]

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        User = get_user_model()
        try:
            User.username_validator(username)
        except forms.ValidationError as error:
            raise forms.ValidationError(_("Enter a username of letters, digits and @ . + - _ only.")) from error
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("Someone already has this username."))
        return username

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(_("Someone already has an account with this email address."))
        return email
