"""Committee packs end to end: asked for, built by the (in-process) Celery task, archived,
downloaded and audited; who may see which committee's packs; a failing build; build_pack."""

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from escalation.models import ActionPlan
from escalation.pipeline import run_period
from reporting import packs, selectors
from reporting.models import CommitteePack, PackEvent
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(catalogue, team_member):
    """Three providers over four months; P00 goes Red in two areas from March (level 3, then 4 in May)."""
    providers = [
        ContractFactory(
            provider__code=f"P{n:02d}",
            provider__name=f"Provider {n:02d}",
            start_date=date(2025, 1, 1),
            end_date=date(2026, 9, 30) if n == 2 else date(2027, 3, 31),
        ).provider
        for n in range(3)
    ]
    for month in M[:5]:
        for n, provider in enumerate(providers):
            values = month_values(3, 0, 2) if n == 0 and month >= M[2] else month_values(5)
            report(provider, month, values, catalogue)
        run_period(month)
    ActionPlan.objects.create(
        provider=providers[0],
        area="access",
        title="Access recovery",
        actions="Weekend lists",
        review_points="CQPRM",
        next_review=date(2026, 6, 30),
        risk_assessment="Harm",
        owner="COO",
        created_by=team_member,
    )
    return providers


@pytest.fixture
def ask(django_capture_on_commit_callbacks):
    """Post the request form; the build is queued once the request commits (in-process here)."""

    def post(client, committee="joint_committee", period="2026-05"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("reporting:pack_request"), {"committee": committee, "period": period})

    return post


def test_a_director_asks_for_a_pack_and_downloads_both_files(as_user, rated, chief_executive, ask):
    client = as_user("chief_executive")
    response = ask(client)
    pack = CommitteePack.objects.get()
    assert response.status_code == 302 and response["Location"] == pack.get_absolute_url()
    assert (pack.status, pack.period_from, pack.requested_by) == ("ready", M[3], chief_executive)
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Ready to download" in page and "April 2026, May 2026" in page

    pdf = client.get(reverse("reporting:pack_pdf", args=[pack.pk]))
    assert pdf["Content-Disposition"] == 'attachment; filename="joint_committee-pack-2026-05.pdf"'
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert len(reader.pages) == pack.pdf_pages
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert "Provider 00 (P00)" in text and "Access recovery" in text and "April and May 2026" in text

    xlsx = client.get(reverse("reporting:pack_xlsx", args=[pack.pk]))
    book = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)))
    assert book["Provider scorecard"].max_row == 4  # a header and three providers

    kinds = list(PackEvent.objects.filter(pack=pack).order_by("pk").values_list("kind", "user__username"))
    assert kinds == [("requested", "ceo"), ("viewed", "ceo"), ("pdf", "ceo"), ("xlsx", "ceo")]
    audit = client.get(pack.get_absolute_url()).content.decode().split('id="pack-audit"')[1]
    assert "Downloaded the PDF" in audit and "Downloaded the Excel workbook" in audit


def test_the_next_joint_committee_pack_covers_the_two_months_since_the_last(as_user, rated, ask):
    client = as_user("chief_executive")
    ask(client, period="2026-03")
    ask(client, period="2026-05")
    first, second = CommitteePack.objects.order_by("period")
    assert (first.period_from, first.period) == (M[1], M[2])
    assert (second.period_from, second.period) == (M[3], M[4])
    ask(client, committee="cdgb", period="2026-05")
    assert CommitteePack.objects.get(committee="cdgb").period_from == M[4]  # monthly, and its own history


def test_pack_data_reads_decisions_exceptions_and_renewals_of_the_period(rated):
    data = selectors.pack_data("joint_committee", M[4], M[3], date(2026, 6, 20))
    assert [e.code for e in data.exceptions] == ["P00"]
    assert data.levels.set_index("level").loc[4, "providers"] == 1
    # Decisions by when they were recorded (METHODOLOGY 6): with no earlier pack, all those recorded since
    # April 1; the pipeline recorded every month's today, so March's and the first ratings are news too.
    assert sorted(data.decisions["to_level"]) == [1, 1, 1, 3, 4]
    exception = data.exceptions[0]
    assert {c.title for c in exception.charts} and exception.plans[0]["title"] == "Access recovery"
    assert len(data.scorecard) == 3 and set(data.scorecard["code"]) == {"P00", "P01", "P02"}
    assert list(data.renewals["provider"]) == ["Provider 02"]  # ends in September: within six months of May


def test_pack_data_takes_the_same_number_of_queries_for_more_providers(catalogue, django_assert_max_num_queries):
    def estate(count, offset):
        providers = [ContractFactory(provider__code=f"Q{offset + n:02d}").provider for n in range(count)]
        for provider in providers:
            report(provider, M[0], month_values(3, 0, 2), catalogue)
        run_period(M[0])

    estate(2, 0)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        selectors.pack_data("cdgb", M[0], M[0], date(2026, 2, 20))
    estate(6, 10)
    with django_assert_max_num_queries(len(few)):
        data = selectors.pack_data("cdgb", M[0], M[0], date(2026, 2, 20))
    assert len(data.exceptions) == 8


@pytest.mark.parametrize(
    ("persona", "committees"),
    [
        ("committee_member", ["joint_committee"]),
        ("team_member", ["board", "cdgb", "joint_committee", "management_group", "pfig", "qpsc"]),
        ("service_director", ["board", "cdgb", "joint_committee", "management_group", "pfig", "qpsc"]),
    ],
)
def test_the_joint_committee_reads_only_its_own_packs(as_user, rated, persona, committees, ask):
    director = as_user("chief_executive")
    for committee in ("cdgb", "joint_committee"):
        ask(director, committee=committee)
    client = as_user(persona)
    archive = client.get(reverse("reporting:pack_archive"), {"committee": "cdgb"})
    assert [code for code, _label in archive.context["committees"]] == committees
    cdgb = CommitteePack.objects.get(committee="cdgb")
    joint = CommitteePack.objects.get(committee="joint_committee")
    expected = 200 if "cdgb" in committees else 404
    assert client.get(cdgb.get_absolute_url()).status_code == expected
    assert client.get(reverse("reporting:pack_pdf", args=[cdgb.pk])).status_code == expected
    assert client.get(reverse("reporting:pack_pdf", args=[joint.pk])).status_code == 200


@pytest.mark.parametrize("persona", ["committee_member", "team_member", "other_team_member"])
def test_only_directors_and_administrators_ask_for_packs(as_user, rated, persona, ask):
    response = ask(as_user(persona))
    assert response.status_code == 403 and not CommitteePack.objects.exists()


def test_a_committee_member_sees_no_audit_and_no_build_form(as_user, rated, ask):
    ask(as_user("chief_executive"))
    client = as_user("committee_member")
    pack = CommitteePack.objects.get()
    assert 'id="pack-audit"' not in client.get(pack.get_absolute_url()).content.decode()
    assert "Build a pack" not in client.get(reverse("reporting:pack_archive")).content.decode()


def test_a_bad_request_shows_the_form_with_messages(as_user, rated):
    response = as_user("chief_executive").post(
        reverse("reporting:pack_request"), {"committee": "", "period": "2031-01"}
    )
    assert response.status_code == 200 and not CommitteePack.objects.exists()
    page = response.content.decode()
    assert "Choose the committee." in page and "nhsuk-error-summary" in page


def test_a_failing_build_is_retried_then_shown_as_failed_with_its_reason(as_user, rated, monkeypatch, ask):
    def broken(data, sections=None):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(packs, "render_pdf", broken)
    client = as_user("chief_executive")
    ask(client)
    pack = CommitteePack.objects.get()
    assert (pack.status, pack.attempts) == ("failed", 3)
    assert pack.failure_reason == "RuntimeError: the disk is full"
    page = client.get(pack.get_absolute_url()).content.decode()
    # Readers see a plain reason, never the exception (issue 16); the reason stays for the support team.
    assert "The pack could not be built" in page and "Something went wrong" in page and "tried 3 times" in page
    assert "the disk is full" not in page and "RuntimeError" not in page
    assert client.get(reverse("reporting:pack_pdf", args=[pack.pk])).status_code == 404
    assert client.get(reverse("reporting:pack_status", args=[pack.pk])).json() == {
        "status": "failed",
        "label": "Failed",
        "reason": pack.reader_reason,
        "in_progress": False,
    }


def test_a_queued_pack_shows_its_progress_and_the_status_endpoint_follows_it(as_user, rated, monkeypatch, ask):
    from reporting import services

    monkeypatch.setattr(services, "enqueue_build", lambda pack_id: None)  # no worker has picked it up
    client = as_user("chief_executive")
    ask(client)
    pack = CommitteePack.objects.get()
    page = client.get(pack.get_absolute_url()).content.decode()
    assert "Waiting for a worker" in page and "js/pack-status.mjs" in page
    assert client.get(reverse("reporting:pack_status", args=[pack.pk])).json()["in_progress"] is True
    services.pack_build(pack.pk)
    assert client.get(reverse("reporting:pack_status", args=[pack.pk])).json()["status"] == "ready"


def test_build_pack_writes_both_files(rated, tmp_path, capsys):
    call_command("build_pack", committee="joint_committee", period="2026-05", out=str(tmp_path / "out"))
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["joint_committee-2026-05.pdf", "joint_committee-2026-05.xlsx"]
    assert PdfReader(tmp_path / "out" / files[0]).pages
    assert "covering 2026-04 to 2026-05" in capsys.readouterr().out
    assert not CommitteePack.objects.exists()  # scripted use stores nothing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--committee", "joint_committee", "--period", "2026-13", "--out", "x"], "not a real month"),
        (["--committee", "joint_committee", "--period", "2025-01", "--out", "x"], "No ratings for 2025-01"),
        (["--committee", "parliament", "--period", "2026-05", "--out", "x"], "No committee with the code"),
    ],
)
def test_build_pack_refuses_bad_arguments(rated, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("build_pack", *args)
