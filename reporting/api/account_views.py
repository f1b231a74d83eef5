"""The account's API tokens page (/account/tokens/): make a token (shown once), see each one's
last use, revoke it. A user sees and revokes only their own."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from ..models import ApiToken, ApiTokenUse
from .tokens import MAX_TOKENS_PER_USER, api_token_create, api_token_revoke, live_tokens

SHOW_ONCE = "api_token_shown_once"
EXPIRY_CHOICES = [
    ("30", gettext_lazy("In 30 days")),
    ("90", gettext_lazy("In 90 days")),
    ("365", gettext_lazy("In a year")),
    ("never", gettext_lazy("Never (revoke it when it is no longer needed)")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, so you know which to revoke (for example “Power BI ratings”)."),
        error_messages={"required": gettext_lazy("Enter a name for the token.")},
    )
    expires = forms.ChoiceField(
        label=gettext_lazy("Expires"), choices=EXPIRY_CHOICES, initial="90", widget=forms.RadioSelect
    )

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if not name:
            raise forms.ValidationError(_("Enter a name for the token."))
        return name

    def expires_at(self):
        days = self.cleaned_data["expires"]
        return None if days == "never" else timezone.now() + timedelta(days=int(days))


@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if live_tokens().filter(user=request.user).count() >= MAX_TOKENS_PER_USER:
            form.add_error(None, _("You have %(max)s active tokens: revoke one first.") % {"max": MAX_TOKENS_PER_USER})
        else:
            token, plain = api_token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=form.expires_at()
            )
            request.session[SHOW_ONCE] = {"id": token.pk, "token": plain}
            return redirect("api_tokens:token_list")
    shown = request.session.pop(SHOW_ONCE, None)
    tokens = list(ApiToken.objects.filter(user=request.user))
    return render(
        request,
        "reporting/api_tokens.html",
        {
            "form": form,
            "tokens": tokens,
            "new_token": shown["token"] if shown else None,
            "new_token_name": next((t.name for t in tokens if shown and t.pk == shown["id"]), ""),
            "uses": ApiTokenUse.objects.filter(token__user=request.user).select_related("token")[:20],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)  # another's token: not found
    if request.method == "POST":
        api_token_revoke(token=token)
        messages.success(
            request, _("The token “%(name)s” has been revoked. It no longer works.") % {"name": token.name}
        )
        return redirect("api_tokens:token_list")
    return render(request, "reporting/api_token_revoke.html", {"token": token})
