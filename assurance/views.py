"""Site-wide pages: the home page and a health check."""

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from providers.context_processors import NAVIGATION


@login_required
def home(request):
    """A start page listing what this user's roles let them do."""
    sections = [
        item for item in NAVIGATION[1:] if request.user.has_perm(item[2])
    ]
    return render(request, "home.html", {"sections": sections})


@require_GET
def health(request):
    """For load balancers and docker-compose: is the app up and its database reachable?"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
