"""The register import of administrators (/register/import/) as background jobs (issue 16): the
file is checked in a job, never in the web request, then saved on request, all or nothing; bad
rows are listed with their lines; one job at a time per person, the next queued behind it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assurance import uploads
from assurance.models import UploadJob
from contracts.models import ContractLine
from providers.models import Provider
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ServiceFactory

pytestmark = pytest.mark.django_db
IMPORT = reverse("assurance:register_import")
PROVIDERS = "code,name,sector,country,regulator,intervention_level\n7A1,Betsi,nhs_wales,wales,hiw,routine\n"


def post_file(client, text, kind="providers", name="providers.csv", **kwargs):
    return client.post(IMPORT, {"kind": kind, "file": SimpleUploadedFile(name, text.encode())}, **kwargs)


@pytest.fixture
def admin(as_user):
    return as_user("administrator")


@pytest.fixture
def broker(settings, monkeypatch):
    """A real queue (REDIS_URL set): tasks are sent, not run in the request. Returns what was sent."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(uploads, "send", lambda job_id, countdown=None: sent.append((job_id, countdown)))
    return sent


def test_the_file_is_checked_in_a_job_not_in_the_web_request(
    admin, broker, monkeypatch, django_capture_on_commit_callbacks
):
    def never(*args, **kwargs):
        raise AssertionError("the file was read in the web request")

    monkeypatch.setattr("providers.importing.read_table", never)
    with django_capture_on_commit_callbacks(execute=True):  # the task is sent once the job is stored
        response = post_file(admin, PROVIDERS)
    job = UploadJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert (job.kind, job.stage, job.status) == ("providers", "check", "queued") and broker == [(job.pk, None)]
    page = admin.get(job.get_absolute_url()).content.decode()
    assert "Checking your file" in page and "Waiting to start." in page
    assert "Import the register from a spreadsheet" in page  # the way back is the register import
    assert admin.get(reverse("assurance:upload_job_status", args=[job.pk])).json()["in_progress"] is True


def test_a_checked_file_is_saved_only_once_confirmed(admin):
    response = post_file(admin, PROVIDERS, follow=True)
    page = response.content.decode()
    assert "Check these changes before they are saved" in page
    assert "1 would be created" in " ".join(page.split())
    assert not Provider.objects.exists()  # checked: nothing saved yet
    job = UploadJob.objects.get()
    assert job.outcome == "checked"

    response = admin.post(job.get_absolute_url(), {"action": "save"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("providers:provider_list")
    assert "1 rows imported: 1 created" in response.content.decode()
    assert Provider.objects.get().code == "7A1"
    job.refresh_from_db()
    assert job.outcome == "saved" and job.data == b""  # the file is not kept once saved


def test_bad_rows_are_listed_with_their_lines_and_nothing_is_saved(admin):
    text = PROVIDERS + "RBS,,nhs_england,england,cqc,routine\nRQ3,BWC,nhs_england,mars,cqc,routine\n"
    page = " ".join(post_file(admin, text, follow=True).content.decode().split())
    assert "providers.csv has 2 problems. Nothing was saved." in page
    assert "line 3" in page and "line 4" in page
    assert not Provider.objects.exists()  # all or nothing: the good first row is not saved either
    assert "Save these changes" not in page


def test_a_save_that_meets_a_problem_saves_nothing(admin):
    """All or nothing at the save too: a row that became bad after the check stops the whole file."""
    first, second = ContractFactory(reference="LTA-1"), ContractFactory(reference="LTA-2")
    ContractLineFactory(contract=first, service=ServiceFactory(code="card"), planned_activity=1)
    ContractLineFactory(contract=second, service=ServiceFactory(code="picu"), planned_activity=1)
    text = (
        "contract_reference,service_code,planned_annual_activity,planned_annual_cost\n"
        "LTA-1,card,1200,3400000\nLTA-2,picu,10,5000\n"
    )
    page = post_file(admin, text, kind="contract_lines", name="contract_lines.csv", follow=True).content.decode()
    assert "Check these changes before they are saved" in page
    job = UploadJob.objects.get()
    second.delete()  # gone since the check: its row is now bad
    page = " ".join(admin.post(job.get_absolute_url(), {"action": "save"}, follow=True).content.decode().split())
    assert "Nothing was saved" in page and "line 3" in page
    assert ContractLine.objects.get(contract=first).planned_activity == 1  # the good row was not saved either


def test_a_second_upload_waits_behind_the_first(admin, administrator, broker, django_capture_on_commit_callbacks):
    post_file(admin, PROVIDERS)
    first = UploadJob.objects.get()
    UploadJob.objects.filter(pk=first.pk).update(status="running")
    post_file(admin, PROVIDERS.replace("Betsi", "Betsi Cadwaladr"))
    second = UploadJob.objects.exclude(pk=first.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        assert uploads.upload_run(second.pk) == "deferred"  # queued, not refused
    second.refresh_from_db()
    assert second.status == "queued" and broker[-1] == (second.pk, uploads.WAIT_SECONDS)
    page = admin.get(second.get_absolute_url()).content.decode()
    assert "your earlier upload is being handled first" in page
    assert "being handled" in admin.get(IMPORT).content.decode()  # listed among their recent uploads
    UploadJob.objects.filter(pk=first.pk).update(status="done")
    assert uploads.upload_run(second.pk) == "checked"


def test_the_page_offers_every_register_file_and_no_dry_run_box(admin):
    page = admin.get(IMPORT).content.decode()
    for name in ("providers.csv", "services.csv", "contracts.csv", "contract_lines.csv", "indicators.csv"):
        assert name in page
    assert "targets.csv" in page and "indicator_code,from_period,target,amber_threshold" in page
    assert 'name="dry_run"' not in page


def test_a_register_job_is_only_for_the_administrator_who_uploaded_it(admin, as_user):
    post_file(admin, PROVIDERS)
    job = UploadJob.objects.get()
    assert as_user("team_member").get(job.get_absolute_url()).status_code in (403, 404)


def test_an_upload_whose_owner_lost_the_right_is_refused_with_a_reason(admin, administrator, broker):
    post_file(admin, PROVIDERS)
    job = UploadJob.objects.get()
    administrator.groups.clear()
    administrator.user_permissions.clear()
    administrator.is_superuser = False
    administrator.save()
    assert uploads.upload_run(job.pk) == "refused"
    job.refresh_from_db()
    assert "no longer" in job.result["file_error"] and not Provider.objects.exists()
