"""The home page: each person's work queue (issue 17), built by reporting.work_queue."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from providers.roles import DIRECTOR

from .models import ReminderPreference
from .work_queue import work_queue


@require_GET
@login_required
def home(request):
    """What is waiting for this person, by role, each item a link to where it is done."""
    queue = work_queue(request.user, timezone.localdate())
    return render(
        request,
        "home.html",
        {"queue": queue, "waiting": sum(section.count for _heading, sections in queue for section in sections)},
    )


class ReminderPreferenceForm(forms.ModelForm):
    class Meta:
        model = ReminderPreference
        fields = ["returns", "digest"]


@login_required
def reminder_settings(request):
    """Switch the reminder emails on or off, for oneself only (issue 17)."""
    preference, _created = ReminderPreference.objects.get_or_create(user=request.user)
    form = ReminderPreferenceForm(request.POST if request.method == "POST" else None, instance=preference)
    if not request.user.has_role(DIRECTOR):
        del form.fields["digest"]
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your reminder emails have been updated."))
        return redirect("reporting:reminder_settings")
    return render(request, "reporting/reminder_settings.html", {"form": form})
