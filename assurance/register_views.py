"""The register import for administrators (/register/import/) as background jobs (issue 16).

Providers, services, contracts, contract lines, indicators and changes of target are uploaded
here and checked, then saved, by a Celery job (assurance.uploads), never in the web request: the
administrator is taken to the job's page (assurance.views.upload_job), which follows it, then shows
what would change with "Save these changes", or every bad row with its line. The page lives in
assurance, not contracts, because the jobs do (contracts may not import assurance); the
command-line imports (`manage.py import_providers` and the others) are unchanged.
"""

from django.conf import settings
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from providers.views import SpreadsheetImportView

from . import uploads
from .models import UploadJob


class RegisterImportView(SpreadsheetImportView):
    """Upload providers, services, contracts, contract lines, indicators or changes of target."""

    permission_required = uploads.IMPORT_REGISTER
    template_name = "assurance/register_import.html"
    title = _("Import the register from a spreadsheet")
    intro = _(
        "Load providers, services, contracts, the planned activity and cost of contract lines, indicators or "
        "changes of target from your existing register. Import providers and services before the contracts "
        "that refer to them, and contracts before their lines. A line for a service the contract does not "
        "have yet is added. The file is checked first; nothing is saved until you have seen what it would change."
    )
    importers = {
        kind: (spec.label, spec.importer, spec.next_url)
        for kind, spec in uploads.KINDS.items()
        if kind in uploads.REGISTER_KINDS
    }

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields.pop("dry_run", None)  # every upload is checked first, then saved on request
        return form

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_jobs"] = (
            UploadJob.objects.defer("data")
            .filter(requested_by=self.request.user, kind__in=uploads.REGISTER_KINDS)
            .exclude(outcome=UploadJob.Outcome.DISCARDED)[:5]
        )
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        job = uploads.upload_submit(
            user=self.request.user,
            kind=form.cleaned_data["kind"],
            data=upload.read(settings.MAX_IMPORT_FILE_BYTES + 1),
            filename=upload.name,
        )
        return redirect(job)
