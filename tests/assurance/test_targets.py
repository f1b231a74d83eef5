"""Targets change over time (METHODOLOGY): targets.csv, `import_targets`, and the indicator page's
"Targets over time" with its form for a change from a month on."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from assurance.importers import TargetImporter
from assurance.models import IndicatorRating, IndicatorTarget, MonthlyReturn, PeriodLock, RatingRun
from providers.importing import ImportFileError
from tests.assurance.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    JudgementIndicatorFactory,
)
from tests.contracts.factories import ContractFactory

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,from_period,target,amber_threshold\n"


def run(text, dry_run=False, user=None):
    return TargetImporter(user=user).run(text.encode("utf-8"), "targets.csv", dry_run=dry_run)


@pytest.fixture
def catalogue(db):
    return {
        "rtt": IndicatorFactory(code="RTT.26", unit="percent", polarity="higher_better", target=95, amber_threshold=90),
        "never": IndicatorFactory(code="NE1", unit="count", polarity="lower_better", target=0, amber_threshold=None),
        "los": IndicatorFactory(code="LOS", unit="days", polarity="lower_better", target=5, amber_threshold=7),
        "leadership": JudgementIndicatorFactory(code="leadership"),
    }


GOOD = HEADER + "RTT.26,2026-04,92,85\nRTT.26,2026-10,95,\nLOS,2026-07,4.5,6\n"


# The import ------------------------------------------------------------------------------


def test_a_good_file_records_each_change(catalogue, administrator):
    result = run(GOOD, user=administrator)
    assert result.ok, result.errors
    assert result.created == 3
    april = IndicatorTarget.objects.get(indicator=catalogue["rtt"], from_period=date(2026, 4, 1))
    assert (april.target, april.amber_threshold, april.created_by) == (Decimal("92"), Decimal("85"), administrator)
    october = IndicatorTarget.objects.get(indicator=catalogue["rtt"], from_period=date(2026, 10, 1))
    assert october.amber_threshold is None  # blank: no amber threshold from that month
    catalogue["rtt"].refresh_from_db()
    assert (catalogue["rtt"].target, catalogue["rtt"].amber_threshold) == (Decimal("95"), Decimal("90"))


def test_reimporting_changes_nothing_and_a_changed_row_updates_its_change(catalogue):
    run(GOOD)
    history = IndicatorTarget.history.count()
    result = run(GOOD)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 3)
    assert IndicatorTarget.history.count() == history
    result = run(GOOD.replace("2026-04,92,85", "2026-04,93,85"))
    assert (result.created, result.updated, result.unchanged) == (0, 1, 2)
    assert IndicatorTarget.objects.get(from_period=date(2026, 4, 1), indicator__code="RTT.26").target == Decimal("93")


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("NOPE,2026-04,92,85", "indicator_code", "No indicator has the code “NOPE”"),
        ("rtt.26,2026-04,92,85", "indicator_code", "RTT.26"),  # matched exactly, the message suggests it
        ("leadership,2026-04,1,", "indicator_code", "judgement indicator"),
        ("RTT.26,2026-13,92,85", "from_period", "YYYY-MM"),
        ("RTT.26,April 2026,92,85", "from_period", "YYYY-MM"),
        ("RTT.26,2026-04,,85", "target", "Enter the target"),
        ("RTT.26,2026-04,lots,85", "target", "not a number"),
        ("RTT.26,2026-04,101,85", "target", "between 0 and 100"),
        ("NE1,2026-04,1.5,", "target", "whole number"),
        ("LOS,2026-04,-1,", "target", "cannot be negative"),
        ("RTT.26,2026-04,92,95", "amber_threshold", "far side"),
        ("LOS,2026-04,5,4", "amber_threshold", "far side"),
        ("RTT.26,2026-04,92,some", "amber_threshold", "not a number"),
        ("RTT.26,2026-04,92,-5", "amber_threshold", "between 0 and 100"),
    ],
)
def test_bad_rows_are_refused_with_the_line_and_column(catalogue, row, column, message):
    result = run(HEADER + "LOS,2026-07,4.5,6\n" + row + "\n")
    assert [(e.line, e.column) for e in result.errors] == [(3, column)]
    assert message in result.errors[0].message
    assert str(result.errors[0]).startswith(f"line 3, column {column}: ")
    assert not IndicatorTarget.objects.exists()


def test_every_bad_row_is_listed_and_a_repeated_month_is_an_error(catalogue):
    result = run(HEADER + "RTT.26,2026-04,92,85\nRTT.26,2026-04,93,85\nNOPE,2026-04,1,\nLOS,2026-4,5,\n")
    assert [(e.line, e.column) for e in result.errors] == [
        (3, "indicator_code"),
        (4, "indicator_code"),
        (5, "from_period"),
    ]
    assert "RTT.26, 2026-04" in result.errors[0].message and "first on line 2" in result.errors[0].message


def test_missing_columns_empty_file_and_header_only(catalogue):
    with pytest.raises(ImportFileError, match="amber_threshold"):
        run("indicator_code,from_period,target\nRTT.26,2026-04,92\n")
    with pytest.raises(ImportFileError, match="empty"):
        run("")
    result = run(HEADER)
    assert result.ok and result.rows == 0


def test_a_dry_run_writes_nothing_and_asks_for_no_recompute(catalogue):
    result = run(GOOD, dry_run=True)
    assert result.ok and result.created == 3
    assert not IndicatorTarget.objects.exists()
    assert not RatingRun.objects.exists()


# Ratings follow the change ------------------------------------------------------------------


@pytest.fixture
def rated(catalogue):
    """A provider whose RTT is 92 in July, August and September 2026, each month submitted and rated."""
    from escalation.pipeline import run_periods

    provider = ContractFactory(provider__code="7A1").provider
    months = [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    for month in months:
        monthly_return = MonthlyReturn.objects.create(provider=provider, period=month, status="submitted")
        IndicatorValueFactory(monthly_return=monthly_return, indicator=catalogue["rtt"], value=Decimal("92"))
    run_periods(months, notify=False)
    return provider


def rtt_rags(provider, indicator):
    return [
        (r.period.month, r.rag, r.reason)
        for r in IndicatorRating.objects.filter(provider=provider, indicator=indicator).order_by("period")
    ]


def test_an_import_recomputes_the_months_from_the_change_on(rated, catalogue, django_capture_on_commit_callbacks):
    assert [rag for _m, rag, _r in rtt_rags(rated, catalogue["rtt"])] == ["A", "A", "R"]  # R: persistent
    with django_capture_on_commit_callbacks(execute=True):
        result = run(HEADER + "RTT.26,2026-08,90,85\n")
    assert result.ok, result.errors
    job = RatingRun.objects.get()
    assert (job.periods, job.provider_ids, job.trigger) == (["2026-08", "2026-09"], [rated.pk], "import")
    assert job.status == "done"
    assert rtt_rags(rated, catalogue["rtt"]) == [
        (7, "A", "within_tolerance"),
        (8, "G", "target_met"),
        (9, "G", "target_met"),
    ]
    # The same file again changes nothing, so nothing is recomputed.
    with django_capture_on_commit_callbacks(execute=True):
        run(HEADER + "RTT.26,2026-08,90,85\n")
    assert RatingRun.objects.count() == 1


def test_locked_months_keep_their_signed_off_ratings(rated, catalogue, django_capture_on_commit_callbacks):
    PeriodLock.objects.create(period=date(2026, 8, 1))
    with django_capture_on_commit_callbacks(execute=True):
        run(HEADER + "RTT.26,2026-07,90,85\n")
    assert RatingRun.objects.get().periods == ["2026-07", "2026-09"]


def test_no_months_with_ratings_means_no_recompute(catalogue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert run(GOOD).created == 3
    assert not RatingRun.objects.exists()


def test_the_command(catalogue, tmp_path, capsys):
    path = tmp_path / "targets.csv"
    path.write_bytes(("\ufeff" + GOOD.replace("\n", "\r\n")).encode())
    call_command("import_targets", str(path), "--dry-run")
    assert "Nothing was saved" in capsys.readouterr().out
    assert not IndicatorTarget.objects.exists()
    call_command("import_targets", str(path))
    assert "3 created" in capsys.readouterr().out
    assert IndicatorTarget.objects.count() == 3
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "RTT.26,2026-05,92,99\n")
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_targets", str(bad))
    assert "line 2, column amber_threshold" in capsys.readouterr().err


# The indicator page --------------------------------------------------------------------------


def test_the_edit_page_shows_targets_over_time(catalogue, as_user, administrator):
    run(GOOD, user=administrator)
    client = as_user("administrator")
    page = client.get(reverse("assurance:indicator_update", args=[catalogue["rtt"].pk])).content.decode()
    section = page.split('id="targets"')[1]
    assert "Targets over time" in page
    assert "Until 2026-03" in section  # the original target holds until the first change
    rows = section.split("<tbody")[1].split("</tbody>")[0].split("</tr>")
    assert "95" in rows[0] and "90" in rows[0]
    assert "2026-04" in rows[1] and "92" in rows[1] and "85" in rows[1] and administrator.get_full_name() in rows[1]
    assert "2026-10" in rows[2] and "None" in rows[2]
    assert reverse("assurance:indicator_target_create", args=[catalogue["rtt"].pk]) in page


def test_an_indicator_with_no_changes_says_so(catalogue, as_user):
    page = (
        as_user("administrator").get(reverse("assurance:indicator_update", args=[catalogue["rtt"].pk])).content.decode()
    )
    assert "The target has not changed" in page


def test_a_judgement_indicator_has_no_targets_section(catalogue, as_user):
    client = as_user("administrator")
    page = client.get(reverse("assurance:indicator_update", args=[catalogue["leadership"].pk])).content.decode()
    assert "Targets over time" not in page
    url = reverse("assurance:indicator_target_create", args=[catalogue["leadership"].pk])
    assert url not in page
    assert client.get(url).status_code == 404


def test_an_administrator_adds_a_change_and_the_months_are_recomputed(
    rated, catalogue, as_user, administrator, django_capture_on_commit_callbacks
):
    client = as_user("administrator")
    url = reverse("assurance:indicator_target_create", args=[catalogue["rtt"].pk])
    form = client.get(url).content.decode()
    assert "From month" in form and "RTT.26" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"from_period": "2026-09", "target": "91", "amber_threshold": ""}, follow=True)
    change = IndicatorTarget.objects.get()
    assert (change.from_period, change.target, change.amber_threshold, change.created_by) == (
        date(2026, 9, 1),
        Decimal("91"),
        None,
        administrator,
    )
    assert response.redirect_chain[-1][0] == reverse("assurance:indicator_update", args=[catalogue["rtt"].pk])
    page = response.content.decode()
    assert "From 2026-09 the target" in page
    job = RatingRun.objects.get()
    assert (job.periods, job.status, job.requested_by) == (["2026-09"], "done", administrator)
    assert rtt_rags(rated, catalogue["rtt"])[-1] == (9, "G", "target_met")
    assert rtt_rags(rated, catalogue["rtt"])[1][1] == "A"  # August is rated as before


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"from_period": "", "target": "91"}, "from_period", "Enter the month the target changes from"),
        ({"from_period": "Sept 2026", "target": "91"}, "from_period", "YYYY-MM"),
        ({"from_period": "2026-09", "target": ""}, "target", "Enter the target"),
        ({"from_period": "2026-09", "target": "120"}, "target", "between 0 and 100"),
        ({"from_period": "2026-09", "target": "91", "amber_threshold": "95"}, "amber_threshold", "far side"),
        ({"from_period": "2026-04", "target": "91"}, "from_period", "already changes from 2026-04"),
    ],
)
def test_the_change_form_explains_what_is_wrong(catalogue, as_user, data, field, message):
    IndicatorTarget.objects.create(indicator=catalogue["rtt"], from_period=date(2026, 4, 1), target=92)
    response = as_user("administrator").post(
        reverse("assurance:indicator_target_create", args=[catalogue["rtt"].pk]), data
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert "There is a problem" in response.content.decode()
    assert IndicatorTarget.objects.count() == 1


@pytest.mark.parametrize("persona", ["team_member", "service_director", "committee_member", "no_role_user"])
def test_only_those_who_may_change_indicators_may_change_targets(catalogue, as_user, persona):
    client = as_user(persona)
    url = reverse("assurance:indicator_target_create", args=[catalogue["rtt"].pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"from_period": "2026-09", "target": "91"}).status_code == 403
    assert not IndicatorTarget.objects.exists()


def test_the_list_offers_no_edit_link_to_readers(catalogue, as_user):
    page = as_user("service_director").get(reverse("assurance:indicator_list")).content.decode()
    assert reverse("assurance:indicator_update", args=[catalogue["rtt"].pk]) not in page
    assert reverse("assurance:indicator_target_create", args=[catalogue["rtt"].pk]) not in page


def test_an_indicator_with_changes_of_target_cannot_become_a_judgement_indicator(catalogue, as_user):
    IndicatorTarget.objects.create(
        indicator=catalogue["rtt"], from_period=date(2026, 4, 1), target=92, amber_threshold=85
    )
    client = as_user("administrator")
    url = reverse("assurance:indicator_update", args=[catalogue["rtt"].pk])
    form = client.get(url).context["form"]
    assert "original target" in str(form.fields["target"].help_text)
    data = {name: value for name, value in form.initial.items() if value is not None and name != "services"}
    data.update(judgement="on", target="", amber_threshold="")
    response = client.post(url, data)
    assert "cannot be a judgement indicator" in response.context["form"].errors["judgement"][0]
    data.update(judgement="", target="95", amber_threshold="90", polarity="lower_better")
    response = client.post(url, data)
    assert "2026-04" in response.context["form"].errors["polarity"][0]
    catalogue["rtt"].refresh_from_db()
    assert not catalogue["rtt"].judgement and catalogue["rtt"].polarity == "higher_better"


def test_the_command_records_who_made_the_change(catalogue, administrator, tmp_path):
    path = tmp_path / "targets.csv"
    path.write_text(HEADER + "RTT.26,2026-04,92,85\n")
    call_command("import_targets", str(path), "--user", administrator.username)
    change = IndicatorTarget.objects.get()
    assert change.created_by == administrator
    assert change.history.first().history_user == administrator


def test_the_catalogue_shows_the_target_in_force_this_month(catalogue, as_user):
    from django.utils import timezone

    from providers.periods import format_period, shift

    this_month = timezone.localdate().replace(day=1)
    IndicatorTarget.objects.create(
        indicator=catalogue["rtt"], from_period=shift(this_month, -2), target=Decimal("92.5"), amber_threshold=None
    )
    IndicatorTarget.objects.create(indicator=catalogue["rtt"], from_period=shift(this_month, 1), target=97)
    page = as_user("service_director").get(reverse("assurance:indicator_list"), {"q": ""}).content.decode()
    row = next(r for r in page.split("<tr") if catalogue["rtt"].name in r)
    assert "≥ 92.5" in row and f"since {format_period(shift(this_month, -2))}" in row
    assert "amber" not in row and "97" not in row
    los = next(r for r in page.split("<tr") if catalogue["los"].name in r)
    assert "≤ 5 (amber 7)" in los and "since" not in los


def test_the_command_says_which_months_it_recomputed(
    rated, catalogue, tmp_path, capsys, django_capture_on_commit_callbacks
):
    path = tmp_path / "targets.csv"
    path.write_text(HEADER + "RTT.26,2026-09,90,\n")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_targets", str(path))
    out = capsys.readouterr().out
    assert "1 created" in out and "Ratings of 2026-09: rating job" in out
    assert rtt_rags(rated, catalogue["rtt"])[-1] == (9, "G", "target_met")


def test_the_indicator_form_shows_a_target_as_written(as_user):
    """The edit form showed 95.0000 for a target of 95 (the stored four decimal places)."""
    from tests.assurance.factories import IndicatorFactory

    indicator = IndicatorFactory(target=Decimal("95"), amber_threshold=Decimal("90.5"))
    page = as_user("administrator").get(reverse("assurance:indicator_update", args=[indicator.pk])).content.decode()
    assert 'value="95"' in page and 'value="90.5"' in page and "95.0000" not in page
