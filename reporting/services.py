"""Writes for reporting: committee packs (ask for, build, fail), their audit, highlight reports."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation

from assurance import rules

from . import packs, selectors, tasks
from .choices import MAX_MONTHS_COVERED, PackEventKind, PackStatus
from .models import Committee, CommitteePack, HighlightReport, PackEvent

log = logging.getLogger(__name__)


class StaleReport(Exception):
    """Someone else saved the highlight report after this editor opened it."""


def committee_of(committee):
    """A Committee from itself or its code."""
    return committee if isinstance(committee, Committee) else Committee.objects.get(code=committee)


def pack_period_from(committee, period):
    """The first month a new pack for `committee` and `period` covers (METHODOLOGY 6)."""
    committee = committee_of(committee)
    return rules.covered_from(
        period, selectors.previous_pack_period(committee, period), committee.cadence_months, MAX_MONTHS_COVERED
    )


def pack_files(committee, period, *, period_from=None, today=None, now=None):
    """Build a pack's two files: (pdf bytes, number of pages, xlsx bytes), with the committee's
    sections for the providers in its scope.

    The one code path behind the Celery task and `manage.py build_pack`.
    """
    committee = committee_of(committee)
    period_from = period_from or pack_period_from(committee, period)
    data = selectors.pack_data(committee, period, period_from, today or timezone.localdate(), now=now or timezone.now())
    pdf, pages = packs.render_pdf(data, committee.sections)
    return pdf, pages, packs.render_xlsx(data, committee.sections)


def pack_create(*, committee, period, user, language=None):
    """A queued pack covering the months since the committee's previous one."""
    pack = CommitteePack.objects.create(
        committee=committee_of(committee),
        period=period,
        period_from=pack_period_from(committee, period),
        requested_by=user,
        language=language or translation.get_language() or "en-gb",
    )
    PackEvent.objects.create(pack=pack, user=user, kind=PackEventKind.REQUESTED)
    return pack


@transaction.atomic
def pack_request(*, committee, period, user, language=None):
    """Ask for a pack to be built; the build runs in a worker once this commits."""
    pack = pack_create(committee=committee, period=period, user=user, language=language)
    transaction.on_commit(lambda: enqueue_build(pack.pk))
    return pack


def enqueue_build(pack_id):
    """Queue the build; if the broker cannot be reached, build in-process rather than not at all."""
    try:
        tasks.build_pack.delay(pack_id)
    except Exception:  # noqa: BLE001 - broker down: the pack is still wanted
        log.warning("Broker unreachable; building pack %s in-process", pack_id, exc_info=True)
        tasks.build_pack.apply(args=(pack_id,))


def pack_build(pack_id):
    """Build a queued pack and store its files. A ready pack is left as it is."""
    with transaction.atomic():
        pack = CommitteePack.objects.select_for_update().get(pk=pack_id)
        if pack.status == PackStatus.READY:
            return pack
        pack.start()
    with translation.override(pack.language):
        pdf, pages, xlsx = pack_files(pack.committee, pack.period, period_from=pack.period_from)
    stem = f"{pack.file_stem()}-{pack.pk}"
    with transaction.atomic():
        pack.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        pack.xlsx.save(f"{stem}.xlsx", ContentFile(xlsx), save=False)
        pack.pdf_pages, pack.pdf_bytes, pack.xlsx_bytes = pages, len(pdf), len(xlsx)
        pack.finish(save=False)
        pack.save()
    return pack


def pack_failed(pack_id, error, *, final):
    """Record a failed attempt: queued again for a retry, or failed for good with the reason. The
    reason is for the log and the support team; readers see `CommitteePack.reader_reason`."""
    log.error("Pack %s: attempt failed%s", pack_id, " for good" if final else "", exc_info=error)
    if pack := CommitteePack.objects.filter(pk=pack_id).first():
        pack.fail(error, final)


def pack_event_record(*, pack, user, kind):
    return PackEvent.objects.create(pack=pack, user=user, kind=kind)


@transaction.atomic
def highlight_report_save(*, provider, period, user, commentary, governance, version):
    """Save the team's words for a provider's month, refusing a stale edit (nothing is lost)."""
    report, _created = HighlightReport.objects.select_for_update().get_or_create(
        provider=provider, period=period, defaults={"updated_by": user}
    )
    if report.version != version:
        raise StaleReport
    report.commentary, report.governance = commentary.strip(), governance.strip()
    report.updated_by, report.version = user, report.version + 1
    report._history_user = user
    report.save()
    return report
