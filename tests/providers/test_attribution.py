"""Every change to the register and the returns is attributable: who, and from where."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from assurance.models import IndicatorValue
from providers.models import Provider

pytestmark = pytest.mark.django_db

PROVIDERS = (
    "code,name,sector,country,regulator,intervention_level\nZZ1,Attributed Trust,nhs_england,england,cqc,routine\n"
)


def write(tmp_path, name, text):
    path = Path(tmp_path) / name
    path.write_text(text)
    return str(path)


def test_a_command_line_import_names_its_file_and_the_user_given(tmp_path, administrator):
    call_command(
        "import_providers", write(tmp_path, "providers.csv", PROVIDERS), user="admin", stdout=open("/dev/null", "w")
    )
    record = Provider.objects.get(code="ZZ1").history.first()
    assert record.history_user == administrator
    assert record.history_change_reason == "Command-line import of providers.csv"


def test_without_a_user_the_history_still_says_it_came_from_the_command_line(tmp_path):
    call_command("import_providers", write(tmp_path, "providers.csv", PROVIDERS), stdout=open("/dev/null", "w"))
    record = Provider.objects.get(code="ZZ1").history.first()
    assert record.history_user is None and record.history_change_reason == "Command-line import of providers.csv"


def test_an_unknown_user_is_refused(tmp_path):
    with pytest.raises(CommandError, match="no such active user"):
        call_command("import_providers", write(tmp_path, "providers.csv", PROVIDERS), user="nobody")
    assert not Provider.objects.filter(code="ZZ1").exists()


def test_an_upload_records_the_user_and_the_file(client, administrator):
    client.force_login(administrator)
    client.post(
        "/register/import/", {"kind": "providers", "file": SimpleUploadedFile("register.csv", PROVIDERS.encode())}
    )
    from assurance.models import UploadJob

    job = UploadJob.objects.get()  # checked in a job; saved from its page
    client.post(job.get_absolute_url(), {"action": "save"})
    record = Provider.objects.get(code="ZZ1").history.first()
    assert record.history_user == administrator and record.history_change_reason == "Imported from register.csv"


def test_imported_returns_are_submitted_by_and_attributed_to_the_user_given(tmp_path, team_member, catalogue):
    from tests.contracts.factories import ContractFactory

    ContractFactory(provider__code="7A4")
    rows = "provider_code,indicator_code,period,value,rag,status,note\n7A4,access_ind,2026-09,96,,,\n"
    call_command("import_returns", write(tmp_path, "returns.csv", rows), user="alice", stdout=open("/dev/null", "w"))
    value = IndicatorValue.objects.get()
    assert value.monthly_return.submitted_by == team_member
    record = value.history.first()
    assert record.history_user == team_member and record.history_change_reason == "Command-line import of returns.csv"
