"""The home page: each person's work queue (issue 17), built by reporting.work_queue."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

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
