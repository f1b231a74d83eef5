"""METHODOLOGY 8, reliability: a value outside its usual range needs a confirming note,
however it arrives (the return form, a web upload, the command-line import), and only
received returns (submitted or locked) shape the usual range."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from assurance import rules
from assurance.forms import ResultForm
from assurance.models import IndicatorValue, MonthlyReturn
from tests.assurance.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    JudgementIndicatorFactory,
    MonthlyReturnFactory,
)
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db
PERIOD = "2026-09"
SEPTEMBER = date(2026, 9, 1)
UPLOAD = reverse("assurance:returns_import")
HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"
# 94 and 95 in turn: mean 94.5, mean moving range 1, so the usual range is 91.84 to 97.16.
USUAL = "91.8 to 97.2"


@pytest.fixture
def setup(db):
    provider = ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale").provider
    rtt = IndicatorFactory(code="rtt", name="RTT 26 weeks (%)", area="access", setting="planned")
    leadership = JudgementIndicatorFactory(code="leadership", name="Changes to leadership")
    return {"provider": provider, "rtt": rtt, "leadership": leadership}


def history(setup, status="submitted", months=range(1, 9)):
    for month in months:
        monthly_return = MonthlyReturnFactory(provider=setup["provider"], period=date(2026, month, 1), status=status)
        IndicatorValueFactory(monthly_return=monthly_return, indicator=setup["rtt"], value=Decimal(94 + month % 2))


def entry_url(setup):
    return reverse("assurance:return_entry", args=[setup["provider"].code, PERIOD])


def post_data(setup, rtt="95", rtt_note="", version=0, submit=False):
    rtt_id, lead_id = setup["rtt"].pk, setup["leadership"].pk
    data = {
        "version": str(version),
        f"i{rtt_id}-status": "reported",
        f"i{rtt_id}-value": rtt,
        f"i{rtt_id}-rag": "",
        f"i{rtt_id}-note": rtt_note,
        f"i{lead_id}-status": "reported",
        f"i{lead_id}-value": "",
        f"i{lead_id}-rag": "G",
        f"i{lead_id}-note": "",
    }
    data["submit" if submit else "save"] = "1"
    return data


def rtt_value():
    return IndicatorValue.objects.get(indicator__code="rtt", monthly_return__period=SEPTEMBER)


# The return form ------------------------------------------------------------------------------


def test_a_draft_save_of_a_submitted_return_needs_the_note_too(as_user, setup):
    history(setup)
    client = as_user("team_member")
    assert client.post(entry_url(setup), post_data(setup, rtt="95", submit=True)).status_code == 302
    response = client.post(entry_url(setup), post_data(setup, rtt="60", version=1))  # "Save as draft"
    page = response.content.decode()
    assert response.status_code == 200 and "outside this indicator" in page and USUAL in page
    assert rtt_value().value == Decimal("95")
    confirmed = client.post(entry_url(setup), post_data(setup, rtt="60", version=1, rtt_note="Theatre closure"))
    assert confirmed.status_code == 302
    value = rtt_value()
    assert (value.value, value.note) == (Decimal("60"), "Theatre closure")
    assert value.monthly_return.status == "submitted"  # a save keeps a submitted return submitted


def test_a_draft_return_may_still_be_saved_without_the_note(as_user, setup):
    history(setup)
    response = as_user("team_member").post(entry_url(setup), post_data(setup, rtt="60"))
    assert response.status_code == 302
    assert rtt_value().monthly_return.status == "draft"


def test_the_banner_goes_once_every_flagged_value_has_its_note(as_user, setup):
    history(setup)
    client = as_user("team_member")
    client.post(entry_url(setup), post_data(setup, rtt="60"))
    page = client.get(entry_url(setup)).content.decode()
    assert "Check these values" in page and "Outside usual range" in page
    client.post(entry_url(setup), post_data(setup, rtt="60", version=1, rtt_note="Theatre closure"))
    page = client.get(entry_url(setup)).content.decode()
    assert "Check these values" not in page
    assert "Outside usual range" in page  # the value is still marked, with its note beside it


def test_draft_values_do_not_shape_the_usual_range(as_user, setup):
    history(setup, status="draft")
    response = as_user("team_member").post(entry_url(setup), post_data(setup, rtt="60", submit=True))
    assert response.status_code == 302
    assert rtt_value().monthly_return.status == "submitted"


def test_the_form_and_the_imports_share_one_outlier_test(setup, monkeypatch):
    calls = []

    def spy(history, value):
        calls.append((list(history), value))
        return True

    monkeypatch.setattr(rules, "outside_recent_range", spy)
    form = ResultForm(indicator=setup["rtt"], history=[(date(2026, 8, 1), None)])
    assert form.outside_limits(Decimal("60")) is True
    assert calls == [([], Decimal("60"))]


# The web upload -------------------------------------------------------------------------------


def upload(client, text, save=True):
    """Upload a file: it is checked first (its job's page), then saved unless `save` is False or
    the check asks for something (problems, or values to confirm)."""
    data = {"kind": "returns", "file": SimpleUploadedFile("returns.csv", text.encode())}
    response = client.post(UPLOAD, data, follow=True)
    job = response.context.get("job")
    if not save or job is None or job.outcome != "checked" or job.result["awaiting_confirmation"]:
        return response
    return client.post(job.get_absolute_url(), {"action": "save"}, follow=True)


FLAGGED = HEADER + "7A4,rtt,2026-09,60,,,\n7A4,leadership,2026-09,,G,,\n"


def test_every_upload_is_checked_first_without_a_dry_run_box(as_user, setup):
    page = as_user("team_member").get(UPLOAD).content.decode()
    assert 'name="dry_run"' not in page


def test_flagged_rows_are_listed_and_nothing_is_saved_until_confirmed(as_user, setup):
    history(setup)
    client = as_user("team_member")
    response = upload(client, FLAGGED)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Check these changes before they are saved" in page
    assert "line 2" in page and "60" in page and USUAL in page and "RTT 26 weeks (%)" in page
    assert "line 3" not in page
    assert not MonthlyReturn.objects.filter(period=SEPTEMBER).exists()
    job = response.context["job"]
    # One confirmation, without choosing the file again.
    confirmed = client.post(
        job.get_absolute_url(),
        {"action": "save", "confirmed": "on", "note": "Checked with the provider: theatre closure"},
        follow=True,
    )
    assert confirmed.redirect_chain[-1][0] == reverse("assurance:collection")
    assert "2 rows imported: 2 created" in confirmed.content.decode()
    value = rtt_value()
    assert (value.value, value.note) == (Decimal("60"), "Checked with the provider: theatre closure")
    assert value.monthly_return.status == "submitted"
    assert IndicatorValue.objects.get(indicator__code="leadership", monthly_return__period=SEPTEMBER).note == ""
    job.refresh_from_db()
    assert job.outcome == "saved" and bytes(job.data) == b""  # the kept file is removed once used


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"note": "Checked"}, "Tick the box to confirm"),
        ({"confirmed": "on", "note": "  "}, "Enter a note"),
    ],
)
def test_the_confirmation_needs_the_tick_and_a_note(as_user, setup, fields, message):
    history(setup)
    client = as_user("team_member")
    url = upload(client, FLAGGED).context["job"].get_absolute_url()
    response = client.post(url, {"action": "save", **fields})
    page = response.content.decode()
    assert response.status_code == 200 and message in page and "line 2" in page
    assert not MonthlyReturn.objects.filter(period=SEPTEMBER).exists()
    assert client.post(url, {"action": "save", "confirmed": "on", "note": "Checked"}).status_code == 302
    assert rtt_value().note == "Checked"


def test_a_note_in_the_row_is_its_confirmation(as_user, setup):
    history(setup)
    response = upload(as_user("team_member"), FLAGGED.replace("60,,,", "60,,,Theatre closure"))
    assert response.redirect_chain[-1][0] == reverse("assurance:collection")
    assert rtt_value().note == "Theatre closure"


def test_a_confirmation_needs_the_uploaders_own_upload(as_user, setup, client):
    history(setup)
    url = upload(as_user("team_member"), FLAGGED).context["job"].get_absolute_url()
    client.logout()
    other = as_user("administrator")
    response = other.post(url, {"action": "save", "confirmed": "on", "note": "Checked"})
    assert response.status_code == 404
    assert not MonthlyReturn.objects.filter(period=SEPTEMBER).exists()


def test_the_check_lists_the_values_that_will_need_confirming(as_user, setup):
    history(setup)
    response = upload(as_user("team_member"), FLAGGED, save=False)
    page = response.content.decode()
    assert "Nothing has been saved yet" in page
    assert "line 2" in page and USUAL in page
    assert not MonthlyReturn.objects.filter(period=SEPTEMBER).exists()


def test_draft_values_do_not_shape_the_uploads_usual_range(as_user, setup):
    history(setup, status="draft")
    response = upload(as_user("team_member"), FLAGGED)
    assert response.redirect_chain[-1][0] == reverse("assurance:collection")
    assert rtt_value().value == Decimal("60")


def test_earlier_months_in_the_same_file_count_towards_the_usual_range(as_user, setup):
    rows = "".join(f"7A4,rtt,2026-{m:02d},{94 + m % 2},,,\n" for m in range(1, 9))
    response = upload(as_user("administrator"), HEADER + rows + "7A4,rtt,2026-09,60,,,\n")
    assert "line 10" in response.content.decode() and USUAL in response.content.decode()
    assert not MonthlyReturn.objects.exists()


# The command-line import ----------------------------------------------------------------------


def test_the_command_line_import_warns_and_records_itself_as_the_confirmation(setup, tmp_path, capsys):
    history(setup)
    path = tmp_path / "returns.csv"
    path.write_text(FLAGGED)
    call_command("import_returns", str(path))
    output = capsys.readouterr()
    assert (
        f"line 2: 7A4 rtt 2026-09: value 60 is outside the usual range {USUAL}; recorded as confirmed by this import"
    ) in output.err
    assert "2 rows imported" in output.out
    value = rtt_value()
    assert (value.value, value.note) == (Decimal("60"), "Confirmed by import")
    # Importing the same file again changes nothing.
    call_command("import_returns", str(path))
    assert "0 created, 0 updated, 2 unchanged" in capsys.readouterr().out


def test_the_command_line_keeps_a_rows_own_note(setup, tmp_path, capsys):
    history(setup)
    path = tmp_path / "returns.csv"
    path.write_text(FLAGGED.replace("60,,,", "60,,,Theatre closure"))
    call_command("import_returns", str(path))
    assert "line 2: 7A4 rtt 2026-09: value 60 is outside the usual range" in capsys.readouterr().err
    assert rtt_value().note == "Theatre closure"


def test_a_command_line_dry_run_warns_and_saves_nothing(setup, tmp_path, capsys):
    history(setup)
    path = tmp_path / "returns.csv"
    path.write_text(FLAGGED)
    call_command("import_returns", str(path), "--dry-run")
    assert "would be recorded as confirmed by this import" in capsys.readouterr().err
    assert not MonthlyReturn.objects.filter(period=SEPTEMBER).exists()


def test_the_load_tests_users_find_the_values_the_page_asks_to_confirm(as_user, setup):
    """make load's users confirm each value the return page lists as outside its usual range, as a
    person would (issue 20: otherwise most of their saves were refused and the page shown again)."""
    from reporting.devtools.pages import FormFields, outlier_notes

    history(setup)
    MonthlyReturnFactory(provider=setup["provider"], period=SEPTEMBER, status="submitted")
    IndicatorValueFactory(
        monthly_return=MonthlyReturn.objects.get(period=SEPTEMBER), indicator=setup["rtt"], value=Decimal("80")
    )
    page = as_user("team_member").get(entry_url(setup)).content.decode()
    notes = outlier_notes(page)
    assert notes == [f"i{setup['rtt'].pk}-note"]
    fields = FormFields()
    fields.feed(page)
    assert notes[0] in fields.fields and fields.fields["version"] == "0"
