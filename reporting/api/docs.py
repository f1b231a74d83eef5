"""The API's interactive documentation: Swagger UI from our own static files
(drf-spectacular-sidecar), started by an ES module of ours, so no CDN and no inline script."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
@login_required
def api_docs(request):
    return render(request, "reporting/api_docs.html")
