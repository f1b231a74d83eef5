"""providers.csv and services.csv: all-or-nothing, every bad row listed, idempotent."""

import pytest
from django.core.management import CommandError, call_command

from providers.importers import ProviderImporter, ServiceImporter
from providers.importing import ImportFileError
from providers.models import Provider, Service

pytestmark = pytest.mark.django_db

HEADER = "code,name,sector,country,regulator,intervention_level\n"
GOOD = HEADER + (
    "7A1,Betsi Cadwaladr University Health Board,nhs_wales,wales,hiw,special_measures\n"
    "RBS,Alder Hey Children's NHS Foundation Trust,nhs_england,england,cqc,routine\n"
    "NQ1,Cefn Coed Independent Hospital,independent,wales,,routine\n"
)


def run(text, dry_run=False, importer=ProviderImporter):
    return importer().run(text.encode("utf-8"), "providers.csv", dry_run=dry_run)


def test_a_good_file_creates_every_provider():
    result = run(GOOD)
    assert result.ok
    assert (result.created, result.updated, result.unchanged) == (3, 0, 0)
    betsi = Provider.objects.get(code="7A1")
    assert betsi.sector == "nhs_wales"
    assert betsi.intervention_level == "special_measures"
    assert Provider.objects.get(code="NQ1").regulator == ""


def test_importing_the_same_file_again_changes_nothing():
    run(GOOD)
    history_before = Provider.history.count()
    result = run(GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert Provider.objects.count() == 3
    assert Provider.history.count() == history_before  # no empty history rows either


def test_a_changed_row_updates_only_that_provider_and_keeps_history():
    run(GOOD)
    result = run(GOOD.replace("special_measures", "targeted_intervention"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    betsi = Provider.objects.get(code="7A1")
    assert betsi.intervention_level == "targeted_intervention"
    assert betsi.history.count() == 2


def test_every_bad_row_is_reported_with_its_line_and_nothing_is_written():
    text = HEADER + (
        "7A1,Betsi,nhs_wales,wales,hiw,routine\n"  # line 2: good
        "RBS,Alder Hey,nhs_scotland,england,cqc,routine\n"  # line 3: bad sector
        "bad code!,Somewhere,nhs_wales,wales,hiw,routine\n"  # line 4: bad code
        ",No code,nhs_wales,wales,hiw,routine\n"  # line 5: missing code
        "7A1,Betsi again,nhs_wales,wales,hiw,routine\n"  # line 6: duplicate key
        "7A2,Hywel Dda,nhs_wales,wales,nobody,routine\n"  # line 7: bad regulator
    )
    result = run(text)
    assert not result.ok
    found = {(e.line, e.column) for e in result.errors}
    assert found == {(3, "sector"), (4, "code"), (5, "code"), (6, "code"), (7, "regulator")}
    assert Provider.objects.count() == 0
    sector_error = next(e for e in result.errors if e.column == "sector")
    assert "nhs_wales" in sector_error.message  # the message lists the codes allowed
    assert str(sector_error).startswith("line 3, column sector:")
    duplicate = next(e for e in result.errors if e.line == 6)
    assert "first on line 2" in duplicate.message


def test_a_dry_run_reports_what_would_happen_and_writes_nothing():
    result = run(GOOD, dry_run=True)
    assert result.ok and result.dry_run
    assert result.created == 3
    assert Provider.objects.count() == 0
    assert "Nothing was saved" in result.summary()


def test_missing_columns_reject_the_file():
    with pytest.raises(ImportFileError, match="regulator, intervention_level"):
        run("code,name,sector,country\n7A1,Betsi,nhs_wales,wales\n")


def test_extra_columns_are_ignored_and_a_header_alone_imports_nothing():
    assert run(HEADER.rstrip("\n") + ",notes\n7A1,Betsi,nhs_wales,wales,hiw,routine,hello\n").created == 1
    result = run(HEADER)
    assert result.ok and result.rows == 0


def test_codes_are_kept_exactly_as_written():
    run(HEADER + "7a1,Betsi,nhs_wales,wales,hiw,routine\n")
    assert list(Provider.objects.values_list("code", flat=True)) == ["7a1"]


def test_services_need_a_known_team():
    text = "code,name,commissioning_team\nbmt,Blood and marrow transplantation,cancer_blood\ntavi,TAVI,heart\n"
    result = run(text, importer=ServiceImporter)
    assert [(e.line, e.column) for e in result.errors] == [(3, "commissioning_team")]
    assert "cardiac" in result.errors[0].message
    assert Service.objects.count() == 0
    result = run(text.replace("heart", "cardiac"), importer=ServiceImporter)
    assert result.created == 2
    assert Service.objects.get(code="tavi").commissioning_team.code == "cardiac"


def test_import_command_succeeds_on_a_good_file(tmp_path, capsys):
    path = tmp_path / "providers.csv"
    path.write_bytes(("\ufeff" + GOOD.replace("\n", "\r\n")).encode())
    call_command("import_providers", str(path))
    assert "3 created" in capsys.readouterr().out
    assert Provider.objects.count() == 3


def test_import_command_fails_listing_every_bad_row(tmp_path, capsys):
    path = tmp_path / "providers.csv"
    path.write_text(HEADER + "7A1,Betsi,nhs_wales,wales,hiw,routine\nRBS,,nhs_england,mars,cqc,routine\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_providers", str(path))
    err = capsys.readouterr().err
    assert "line 3, column name" in err
    assert "line 3, column country" in err
    assert Provider.objects.count() == 0


def test_import_command_exits_non_zero_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("import_providers", str(tmp_path / "absent.csv"))
