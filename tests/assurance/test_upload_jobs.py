"""Uploads as bounded background jobs (issue 16) that are checked first and then saved (issue 17):
caps on hostile files, progress, one job at a time per person, the save refused when the returns
changed since the check, blank rows skipped, and templates of only the providers expected."""

import io
import time
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from assurance import uploads
from assurance.models import IndicatorValue, MonthlyReturn, UploadJob
from assurance.services import StaleReturn
from providers.importing import ImportFileError, read_table
from providers.models import CommissioningTeam
from tests.assurance.factories import IndicatorFactory, JudgementIndicatorFactory, MonthlyReturnFactory
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
UPLOAD = reverse("assurance:returns_import")
HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"
SEPTEMBER = date(2026, 9, 1)


@pytest.fixture
def estate(db):
    cardiac = ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale").provider
    return {
        "cardiac": cardiac,
        "rtt": IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned"),
        "leadership": JudgementIndicatorFactory(code="leadership", name="Changes to leadership"),
    }


def post_file(client, data, name="returns.csv", kind="returns"):
    payload = data if isinstance(data, bytes) else data.encode()
    return client.post(UPLOAD, {"kind": kind, "file": SimpleUploadedFile(name, payload)}, follow=True)


def zip_bomb(rows, columns=1):
    """A small .xlsx whose one sheet unpacks to `rows` x `columns` cells (no <dimension>)."""
    buffer = io.BytesIO()
    ns = "http://schemas.openxmlformats.org/"
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types xmlns="{ns}package/2006/content-types"><Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        archive.writestr(
            "_rels/.rels",
            f'<Relationships xmlns="{ns}package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{ns}officeDocument/2006/relationships">'
            '<sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<Relationships xmlns="{ns}package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        cells = "".join(f"<c><v>{n}</v></c>" for n in range(columns))
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(f'<worksheet xmlns="{ns}spreadsheetml/2006/main"><sheetData>'.encode())
            row = f"<row>{cells}</row>".encode()
            for _ in range(rows // 1000):
                sheet.write(row * 1000)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


# Hostile files: refused quickly by the caps ------------------------------------------------------


def test_a_small_workbook_that_unpacks_to_millions_of_cells_is_refused_quickly():
    bomb = zip_bomb(rows=200_000, columns=10)  # two million cells
    assert len(bomb) < 1024 * 1024
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="more than 1,000,000 cells"):
        read_table(bomb, "returns.xlsx")
    assert time.monotonic() - started < 5


def test_a_workbook_of_a_million_shared_strings_is_refused_before_it_is_opened():
    buffer = io.BytesIO(zip_bomb(rows=1000))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", "<sst>" + "<si><t>x</t></si>" * 1_100_000 + "</sst>")
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="more than 1,000,000 cells"):
        read_table(buffer.getvalue(), "returns.xlsx")
    assert time.monotonic() - started < 5


def test_a_workbook_of_a_million_rows_is_refused_by_the_row_cap(settings):
    settings.IMPORT_MAX_ROWS = 50_000
    started = time.monotonic()
    with pytest.raises(ImportFileError, match="more than 50,000 rows"):
        read_table(zip_bomb(rows=1_000_000), "returns.xlsx")
    assert time.monotonic() - started < 5


def test_a_workbook_unpacking_past_the_size_cap_is_refused(settings):
    settings.IMPORT_MAX_XLSX_UNPACKED_BYTES = 1024 * 1024
    with pytest.raises(ImportFileError, match="too large to open"):
        read_table(zip_bomb(rows=100_000), "returns.xlsx")


def test_a_huge_csv_is_refused_by_the_caps(settings):
    settings.IMPORT_MAX_ROWS = 1000
    with pytest.raises(ImportFileError, match="more than 1,000 rows"):
        read_table((HEADER + "7A4,rtt,2026-09,1,,,\n" * 2000).encode(), "returns.csv")
    settings.IMPORT_MAX_ROWS, settings.IMPORT_MAX_CELLS = 10_000, 5_000
    with pytest.raises(ImportFileError, match="more than 5,000 cells"):
        read_table((HEADER + "7A4,rtt,2026-09,1,,,\n" * 1000).encode(), "returns.csv")


def test_the_web_upload_of_a_zip_bomb_is_refused_with_the_reason(as_user, estate):
    response = post_file(as_user("team_member"), zip_bomb(rows=200_000, columns=10), name="returns.xlsx")
    page = response.content.decode()
    assert "Your file was not saved" in page and "more than 1,000,000 cells" in page
    assert response.context["job"].outcome == "refused"


def test_the_command_line_import_reads_under_the_same_caps(settings, tmp_path, estate):
    settings.IMPORT_MAX_ROWS = 10
    path = tmp_path / "returns.csv"
    path.write_text(HEADER + "7A4,rtt,2026-09,95,,,\n" * 20)
    with pytest.raises(CommandError, match="more than 10 rows"):
        call_command("import_returns", str(path))


# The job: never in the web worker, progress, one at a time -----------------------------------


@pytest.fixture
def broker(settings, monkeypatch):
    """A real queue (REDIS_URL set): tasks are sent, not run in the request. Returns what was sent."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(uploads, "send", lambda job_id, countdown=None: sent.append((job_id, countdown)))
    return sent


def test_with_a_queue_the_upload_is_not_read_in_the_web_request(
    as_user, estate, broker, monkeypatch, django_capture_on_commit_callbacks
):
    def never(*args, **kwargs):
        raise AssertionError("the file was read in the web request")

    monkeypatch.setattr("providers.importing.read_table", never)
    client = as_user("team_member")
    with django_capture_on_commit_callbacks(execute=True):  # the task is sent once the job is stored
        response = client.post(
            UPLOAD,
            {"kind": "returns", "file": SimpleUploadedFile("r.csv", (HEADER + "7A4,rtt,2026-09,95,,,\n").encode())},
        )
    job = UploadJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert broker == [(job.pk, None)] and job.status == "queued"
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Checking your file" in page and "Waiting to start." in page and "upload-status.mjs" in page
    status = client.get(reverse("assurance:upload_job_status", args=[job.pk])).json()
    assert status == {"status": "queued", "in_progress": True, "outcome": "", "progress": "Waiting to start."}


def test_the_job_reports_the_line_it_has_reached(as_user, estate, team_member):
    seen = []
    job = UploadJob.objects.create(
        requested_by=team_member,
        kind="returns",
        filename="r.csv",
        data=(HEADER + "".join(f"7A4,rtt,{2020 + m // 12}-{m % 12 + 1:02d},95,,,\n" for m in range(1200))).encode(),
    )
    original = UploadJob.objects.filter

    def watch(*args, **kwargs):
        query = original(*args, **kwargs)
        row = original(pk=job.pk).values("step", "progress_done", "progress_total").first()
        if row and row["step"] == "checking":
            seen.append((row["progress_done"], row["progress_total"]))
        return query

    uploads.PROGRESS_SECONDS = 0
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(UploadJob.objects, "filter", watch)
            assert uploads.upload_run(job.pk) == "checked"
    finally:
        uploads.PROGRESS_SECONDS = 0.5
    assert (500, 1200) in seen or (1000, 1200) in seen
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (1200, 1200)
    running = UploadJob(status="running", step="checking", progress_done=500, progress_total=1200)
    from assurance.views import upload_progress_text

    assert upload_progress_text(running) == "Checking line 500 of 1200."


def test_one_job_at_a_time_per_person_the_next_waits_its_turn(
    as_user, estate, team_member, broker, django_capture_on_commit_callbacks
):
    client = as_user("team_member")
    first = UploadJob.objects.create(requested_by=team_member, kind="returns", filename="a.csv", status="running")
    post_file(client, HEADER + "7A4,rtt,2026-09,95,,,\n")
    second = UploadJob.objects.exclude(pk=first.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.upload_run(second.pk) == "deferred"  # not refused: waiting
    second.refresh_from_db()
    assert second.status == "queued" and broker[-1] == (second.pk, uploads.WAIT_SECONDS)
    assert "your earlier upload is being handled first" in client.get(second.get_absolute_url()).content.decode()
    first.status = "done"
    first.save()
    assert uploads.upload_run(second.pk) == "checked"
    # Someone else's running job does not hold it up.
    other = UploadJob.objects.create(requested_by=first.requested_by, kind="returns", filename="b.csv", data=b"x")
    assert uploads.waiting_behind(other) is None


def test_a_file_running_past_its_time_limit_is_stopped_with_a_plain_reason(as_user, estate, monkeypatch):
    def slow(*args, **kwargs):
        raise SoftTimeLimitExceeded

    monkeypatch.setattr("assurance.importers.ReturnImporter.run", slow)
    page = post_file(as_user("team_member"), HEADER + "7A4,rtt,2026-09,95,,,\n").content.decode()
    assert "took longer than 300 seconds" in page and "Split it into smaller files" in page


def test_an_unexpected_failure_shows_a_plain_reason_not_the_exception(as_user, estate, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("psycopg: secret internals")

    monkeypatch.setattr("assurance.importers.ReturnImporter.run", broken)
    page = post_file(as_user("team_member"), HEADER + "7A4,rtt,2026-09,95,,,\n").content.decode()
    assert "Something went wrong while handling the file" in page and "secret internals" not in page
    assert UploadJob.objects.get().status == "failed"


def test_nobody_else_sees_an_upload(as_user, estate, team_member):
    job = UploadJob.objects.create(requested_by=team_member, kind="returns", filename="r.csv")
    assert as_user("administrator").get(job.get_absolute_url()).status_code == 404


# Check first, then save: the optimistic lock, blank rows -----------------------------------------


def test_the_check_saves_nothing_and_save_these_changes_saves_the_same_file(as_user, estate):
    client = as_user("team_member")
    response = post_file(client, HEADER + "7A4,rtt,2026-09,95,,,\n7A4,leadership,2026-09,,G,,\n")
    page = response.content.decode()
    assert "2 rows checked: 2 would be created" in page and "Save these changes" in page
    assert not MonthlyReturn.objects.exists()
    saved = client.post(response.context["job"].get_absolute_url(), {"action": "save"}, follow=True)
    assert "2 rows imported: 2 created" in saved.content.decode()
    assert MonthlyReturn.objects.get().status == "submitted"


def test_a_return_changed_between_the_check_and_the_save_refuses_the_save(as_user, estate, team_member):
    client = as_user("team_member")
    checked = post_file(client, HEADER + "7A4,rtt,2026-09,97,,,\n").context["job"]
    # Meanwhile the return is saved on its page (any write path raises its version).
    MonthlyReturnFactory(provider=estate["cardiac"], period=SEPTEMBER, status="draft", version=1)
    response = client.post(checked.get_absolute_url(), {"action": "save"}, follow=True)
    page = response.content.decode()
    assert "was changed after this file was checked" in page and "Nothing was saved" in page
    assert not IndicatorValue.objects.exists()
    # Checked again, it saves.
    again = client.post(checked.get_absolute_url(), {"action": "recheck"}, follow=True)
    assert "1 row checked: 1 would be created" in again.content.decode()
    client.post(checked.get_absolute_url(), {"action": "save"})
    assert IndicatorValue.objects.get().value == Decimal("97")


def test_rows_left_blank_in_the_template_are_skipped(as_user, estate):
    text = HEADER + "7A4,rtt,2026-09,95,,,\n7A4,leadership,2026-09,,,,\n"
    client = as_user("team_member")
    response = post_file(client, text)
    assert "1 row with nothing filled in was skipped" in response.content.decode()
    client.post(response.context["job"].get_absolute_url(), {"action": "save"})
    assert [v.indicator.code for v in IndicatorValue.objects.all()] == ["rtt"]


def test_a_discarded_upload_keeps_no_file(as_user, estate):
    client = as_user("team_member")
    job = post_file(client, HEADER + "7A4,rtt,2026-09,95,,,\n").context["job"]
    client.post(job.get_absolute_url(), {"action": "discard"})
    job.refresh_from_db()
    assert job.outcome == "discarded" and bytes(job.data) == b"" and not MonthlyReturn.objects.exists()


# Templates: only the providers expected, a sheet per area or provider ---------------------------


def test_the_template_holds_only_providers_expected_that_month(as_user, estate):
    ContractFactory(
        provider__code="OLD", start_date=date(2020, 4, 1), end_date=date(2026, 3, 31)
    )  # the team's contract ended before September
    response = as_user("team_member").get(
        reverse("assurance:return_template"), {"team": "cardiac", "period": "2026-09"}
    )
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(min_row=2, values_only=True))
    assert {row[0] for row in rows} == {"7A4"}


@pytest.mark.parametrize(("layout", "sheets"), [("area", 2), ("provider", 2), ("one", 1)])
def test_a_template_with_a_sheet_per_area_or_provider_uploads_whole(as_user, estate, layout, sheets):
    ContractFactory(provider__code="7A5", provider__name="Swansea Bay")
    client = as_user("team_member")
    response = client.get(
        reverse("assurance:return_template"), {"team": "cardiac", "period": "2026-09", "layout": layout}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    assert len(workbook.worksheets) == sheets
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            if row[1].value == "rtt":
                row[3].value = 95
            elif row[0].value == "7A4":
                row[4].value = "G"  # 7A5's judgement is left blank: skipped
    buffer = io.BytesIO()
    workbook.save(buffer)
    checked = post_file(client, buffer.getvalue(), name="template.xlsx")
    assert "3 rows checked: 3 would be created" in checked.content.decode()
    assert "1 row with nothing filled in was skipped" in checked.content.decode()


def test_a_problem_in_a_workbook_of_several_sheets_names_the_sheet(as_user, estate):
    client = as_user("team_member")
    response = client.get(
        reverse("assurance:return_template"), {"team": "cardiac", "period": "2026-09", "layout": "area"}
    )
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.worksheets[0]
    sheet.cell(row=2, column=4).value = 120  # a percentage over 100
    buffer = io.BytesIO()
    workbook.save(buffer)
    page = post_file(client, buffer.getvalue(), name="template.xlsx").content.decode()
    assert f"line 2 ({sheet.title})" in page and "between 0 and 100" in page


def test_the_template_of_another_team_is_refused(as_user, estate):
    CommissioningTeam.objects.get(code="mental_health")
    response = as_user("team_member").get(
        reverse("assurance:return_template"), {"team": "mental_health", "period": "2026-09", "layout": "area"}
    )
    assert response.status_code == 404


# The API's seam: rows as dicts ------------------------------------------------------------------


def test_returns_check_and_apply_take_rows_as_dicts(estate, team_member):
    rows = [
        {"provider_code": "7A4", "indicator_code": "rtt", "period": "2026-09", "value": 95},
        {"provider_code": "7A4", "indicator_code": "nope", "period": "2026-09", "value": "1"},
    ]
    checked = uploads.returns_check(rows, user=team_member)
    assert not checked.ok and [(e.line, e.column) for e in checked.errors] == [(2, "indicator_code")]
    checked = uploads.returns_check(rows[:1], user=team_member)
    assert checked.ok and checked.created == 1 and not MonthlyReturn.objects.exists()
    assert checked.versions == {(estate["cardiac"].pk, SEPTEMBER): 0}
    applied = uploads.returns_apply(rows[:1], user=team_member, versions=checked.versions)
    assert applied.ok and applied.created == 1
    assert MonthlyReturn.objects.get().submitted_by == team_member
    with pytest.raises(StaleReturn):
        uploads.returns_apply(
            [{**rows[0], "value": "96"}], user=team_member, versions=checked.versions
        )  # version 0 read, the return now exists
    assert IndicatorValue.objects.get().value == Decimal("95")


def test_a_file_left_unsaved_for_a_day_is_put_aside(as_user, estate, team_member):
    from datetime import timedelta

    from django.utils import timezone

    old = UploadJob.objects.create(
        requested_by=team_member,
        kind="returns",
        filename="old.csv",
        data=b"x",
        status="done",
        outcome="checked",
        finished_at=timezone.now() - timedelta(days=2),
    )
    post_file(as_user("team_member"), HEADER + "7A4,rtt,2026-09,95,,,\n")
    old.refresh_from_db()
    assert old.outcome == "discarded" and bytes(old.data) == b""
