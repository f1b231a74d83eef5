"""Committees as configuration (METHODOLOGY 6, second edition; issue 18): the six defaults, packs that
follow each committee's scope and sections, decisions chosen by when they were recorded, money and
codes never broken across lines, English and Welsh packs with different names, and the pages where
administrators keep committees."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from assurance.models import ProviderRating
from escalation.choices import DecisionKind, MeetingKind
from escalation.models import ActionPlan, EscalationDecision, Meeting, Risk
from escalation.pipeline import run_period
from providers.roles import ADMINISTRATOR, COMMITTEE_MEMBER, DIRECTOR, TEAM_MEMBER
from reporting import selectors, services
from reporting.models import Committee, CommitteePack
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db

GREEN = month_values(5)
QUALITY_RED = {**GREEN, "quality_safety": "80"}
MAY, TODAY = M[4], date(2026, 6, 20)


def aware(*args):
    return timezone.make_aware(datetime(*args))


def pdf_text(content):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def estate(catalogue, team_member):
    """Five providers rated January to May 2026.

    P00 Red in patient experience (a critical indicator) and governance from March: escalated to level 3, then 4;
    P01 Red in quality and safety in May only; P02 Green, with a provider summit held in May; P03 and P04 Green.
    """
    catalogue["patient_experience"].critical = True
    catalogue["patient_experience"].save()
    providers = {
        n: ContractFactory(
            provider__code=f"P{n:02d}",
            provider__name=f"Provider {n:02d}",
            start_date=date(2025, 1, 1),
            end_date=date(2027, 3, 31),
        ).provider
        for n in range(5)
    }
    for month in M[:5]:
        for n, provider in providers.items():
            values = GREEN
            if n == 0 and month >= M[2]:
                values = month_values(3, 0, 2)
            elif n == 1 and month == MAY:
                values = QUALITY_RED
            report(provider, month, values, catalogue)
        run_period(month, notify=False)
    Meeting.objects.create(
        provider=providers[2],
        kind=MeetingKind.PROVIDER_SUMMIT,
        date=date(2026, 5, 20),
        chair="Chief Executive",
        recorded_by=team_member,
    )
    return providers


def scope_codes(code, period_from=MAY):
    return set(selectors.pack_data(code, MAY, period_from, TODAY).scorecard["code"])


def level(code):
    return ProviderRating.objects.get(provider__code=code, period=MAY).escalation_level


# The defaults ------------------------------------------------------------------------------------


def test_the_six_committees_of_the_methodology_are_there_with_the_command_lines_codes():
    committees = {c.code: c for c in Committee.objects.prefetch_related("readers")}
    assert sorted(committees) == ["board", "cdgb", "joint_committee", "management_group", "pfig", "qpsc"]
    assert {code: (c.cadence, c.scope) for code, c in committees.items()} == {
        "cdgb": (1, "all"),
        "management_group": (1, "all"),
        "joint_committee": (2, "all"),
        "qpsc": (2, "quality_safety"),
        "pfig": (1, "level_3_up"),
        "board": (2, "level_4_summits"),
    }
    assert "corporate_risks" in committees["cdgb"].sections
    assert "corporate_risks" not in committees["management_group"].sections
    assert "summits" in committees["board"].sections and "summits" in committees["qpsc"].sections
    readers = {code: {g.name for g in c.readers.all()} for code, c in committees.items()}
    assert readers["joint_committee"] == {TEAM_MEMBER, DIRECTOR, ADMINISTRATOR, COMMITTEE_MEMBER}
    assert readers["board"] == {TEAM_MEMBER, DIRECTOR, ADMINISTRATOR}


# Scope ---------------------------------------------------------------------------------------------


def test_pfig_hears_about_the_providers_at_level_3_and_above(estate):
    at_three_or_four = {f"P{n:02d}" for n in range(5) if level(f"P{n:02d}") >= 3}
    assert "P00" in at_three_or_four and "P03" not in at_three_or_four
    assert scope_codes("pfig") == at_three_or_four


def test_the_board_hears_about_level_4_and_every_provider_summit(estate):
    assert level("P00") == 4
    assert scope_codes("board") == {"P00", "P02"}  # P02 is Green, but a summit was held about it


def test_qpsc_hears_about_red_quality_and_safety_critical_indicators_and_summits(estate):
    # P01: Quality and safety Red; P00: its critical indicator Red; P02: a summit.
    assert scope_codes("qpsc", period_from=M[3]) == {"P00", "P01", "P02"}


def test_the_boards_hear_about_everyone(estate):
    assert scope_codes("cdgb") == scope_codes("management_group") == {f"P{n:02d}" for n in range(5)}


def test_build_pack_writes_each_committees_pack_for_its_providers(estate, tmp_path):
    expected = {"pfig": {"P00"} | {c for c in ("P01",) if level(c) >= 3}, "board": {"P00", "P02"}}
    expected["qpsc"] = {"P00", "P01", "P02"}
    for code, codes in expected.items():
        call_command("build_pack", committee=code, period="2026-05", out=str(tmp_path), stdout=io.StringIO())
        book = load_workbook(tmp_path / f"{code}-2026-05.xlsx")
        assert {row[1] for row in book["Provider scorecard"].iter_rows(min_row=2, values_only=True)} == codes, code
        text = pdf_text((tmp_path / f"{code}-2026-05.pdf").read_bytes())
        assert Committee.objects.get(code=code).name.split(",")[0] in text
        assert "Provider 03" not in text  # Green, no summit: in no scoped pack
    board = load_workbook(tmp_path / "board-2026-05.xlsx")
    assert [r[1] for r in board["Provider summits held"].iter_rows(min_row=2, values_only=True)] == ["Provider 02"]


def test_the_cdgb_pack_lists_the_corporate_risks(estate, tmp_path):
    Risk.objects.create(
        provider=estate[0], title="Theatre capacity", likelihood=5, consequence=3, owner="COO", review_date=TODAY
    )
    Risk.objects.create(
        provider=estate[1], title="Team-level risk", likelihood=4, consequence=3, owner="COO", review_date=TODAY
    )
    cdgb, _pages, cdgb_xlsx = services.pack_files("cdgb", MAY, today=TODAY)
    management, _pages, _xlsx = services.pack_files("management_group", MAY, today=TODAY)
    assert "Theatre capacity" in pdf_text(cdgb) and "Team-level risk" not in pdf_text(cdgb)
    assert "Corporate risks" in pdf_text(cdgb) and "Corporate risks" not in pdf_text(management)
    rows = list(load_workbook(io.BytesIO(cdgb_xlsx))["Corporate risks"].iter_rows(min_row=2, values_only=True))
    assert [(r[2], r[3]) for r in rows] == [("Theatre capacity", 15)]


def test_a_committees_sections_are_its_packs_sections(estate):
    Committee.objects.filter(code="pfig").update(sections=["scorecard", "levels"])
    _pdf, _pages, xlsx = services.pack_files("pfig", MAY, today=TODAY)
    assert load_workbook(io.BytesIO(xlsx)).sheetnames == ["About", "Provider scorecard", "Level summary"]


# Decisions by when they were recorded ------------------------------------------------------------------


def test_a_decision_recorded_after_the_previous_pack_is_in_the_next_whatever_month_it_concerns(estate, chief_executive):
    """The bug: a step-down approved after the April pack was built, for March's ratings, was in no pack."""
    CommitteePack.objects.create(
        committee_id="cdgb", period=M[3], period_from=M[3], status="ready", finished_at=aware(2026, 5, 20, 10)
    )
    EscalationDecision.objects.update(decided_at=aware(2026, 5, 16, 9))  # all before the April pack was built
    late = EscalationDecision.objects.create(
        provider=estate[3],
        period=M[2],  # it concerns March
        from_level=2,
        to_level=1,
        kind=DecisionKind.STEP_DOWN,
        rationale="Approved after the April pack",
        decided_by=chief_executive,
        decided_at=aware(2026, 6, 2, 15),
    )
    data = selectors.pack_data("cdgb", MAY, MAY, TODAY, now=aware(2026, 6, 20, 9))
    assert list(data.decisions["provider"]) == [late.provider.name]
    assert list(data.decisions["month"]) == [M[2]]
    pdf, _pages, _xlsx = services.pack_files("cdgb", MAY, period_from=MAY, today=TODAY, now=aware(2026, 6, 20, 9))
    text = " ".join(pdf_text(pdf).split())
    assert "recorded since this committee's previous pack was built on 20 May 2026" in text
    assert "Approved after the April pack" in text


def test_a_first_pack_takes_the_decisions_recorded_since_the_start_of_its_months(estate):
    EscalationDecision.objects.update(decided_at=aware(2026, 4, 16, 9))
    EscalationDecision.objects.filter(period=MAY).update(decided_at=aware(2026, 6, 16, 9))
    data = selectors.pack_data("cdgb", MAY, MAY, TODAY, now=aware(2026, 6, 20, 9))
    assert set(data.decisions["month"]) == {MAY}
    later = selectors.pack_data("cdgb", MAY, MAY, TODAY, now=aware(2026, 6, 10, 9))
    assert later.decisions.empty  # nothing recorded after the build is in it


# Money, codes and file names ---------------------------------------------------------------------


def test_money_and_contract_references_are_never_broken_across_lines(estate):
    """The bug: "£45,500,00 / 0" in the renewals table."""
    for n, value in enumerate(["45500000", "152000000", "7900000"]):
        ContractFactory(
            reference=f"LTA-7A{n}-001",
            provider=estate[n],
            title="Cardiff and Vale neurosciences and paediatric services LTA",
            annual_value=Decimal(value),
            total_value=Decimal(value) * 3,
            start_date=date(2024, 4, 1),
            end_date=date(2026, 9, 30),
        )
    pdf, _pages, _xlsx = services.pack_files("cdgb", MAY, today=TODAY)
    lines = pdf_text(pdf).splitlines()
    for whole in ["£45,500,000", "£152,000,000", "£7,900,000", "LTA-7A0-001", "LTA-7A1-001", "LTA-7A2-001"]:
        assert any(whole in line for line in lines), whole


def test_english_and_welsh_packs_have_different_file_names(estate, tmp_path, as_user, chief_executive):
    out = io.StringIO()
    call_command("build_pack", committee="pfig", period="2026-05", out=str(tmp_path), stdout=out)
    call_command("build_pack", committee="pfig", period="2026-05", out=str(tmp_path), language="cy", stdout=out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "pfig-2026-05-cy.pdf",
        "pfig-2026-05-cy.xlsx",
        "pfig-2026-05.pdf",
        "pfig-2026-05.xlsx",
    ]
    assert "Pwyllgor Perfformiad" in pdf_text((tmp_path / "pfig-2026-05-cy.pdf").read_bytes())
    client = as_user("chief_executive")
    names = []
    for language in ("en-gb", "cy"):
        pack = services.pack_create(committee="pfig", period=MAY, user=chief_executive, language=language)
        services.pack_build(pack.pk)
        pack.refresh_from_db()
        names.append(client.get(reverse("reporting:pack_pdf", args=[pack.pk]))["Content-Disposition"])
        assert pack.pdf.name.split("/")[-1].startswith(pack.file_stem())
    assert names == [
        'attachment; filename="pfig-pack-2026-05.pdf"',
        'attachment; filename="pfig-pack-2026-05-cy.pdf"',
    ]


# Who reads which committee's packs ------------------------------------------------------------------


def test_a_committees_packs_are_read_by_the_roles_it_names(estate, as_user, chief_executive):
    pack = services.pack_create(committee="board", period=MAY, user=chief_executive)
    services.pack_build(pack.pk)
    member = as_user("committee_member")
    assert member.get(pack.get_absolute_url()).status_code == 404
    Committee.objects.get(code="board").readers.add(Group.objects.get(name=COMMITTEE_MEMBER))
    assert member.get(pack.get_absolute_url()).status_code == 200
    archive = member.get(reverse("reporting:pack_archive"), {"committee": "board"})
    assert [code for code, _name in archive.context["committees"]] == ["board", "joint_committee"]


def test_a_committee_no_longer_in_use_keeps_its_packs_but_gets_no_new_ones(estate, as_user, chief_executive):
    pack = services.pack_create(committee="qpsc", period=MAY, user=chief_executive)
    Committee.objects.filter(code="qpsc").update(active=False)
    client = as_user("chief_executive")
    assert client.get(pack.get_absolute_url()).status_code == 200
    response = client.post(reverse("reporting:pack_request"), {"committee": "qpsc", "period": "2026-05"})
    assert response.status_code == 200 and CommitteePack.objects.count() == 1
    assert "Select a valid choice" in response.content.decode()


# The administrators' pages --------------------------------------------------------------------------


def committee_post(**changes):
    data = {
        "code": "audit",
        "name": "Audit Committee",
        "name_cy": "",
        "cadence": "3",
        "scope": "level_3_up",
        "sections": ["scorecard", "levels"],
        "readers": [Group.objects.get(name=DIRECTOR).pk],
        "active": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_administrator_adds_a_committee_and_it_gets_packs(estate, as_user, tmp_path):
    client = as_user("administrator")
    listing = client.get(reverse("reporting:committee_list"))
    assert listing.status_code == 200 and "Performance, Finance and Information Governance Committee" in (
        listing.content.decode()
    )
    response = client.post(reverse("reporting:committee_create"), committee_post(), follow=True)
    assert "Audit Committee has been added" in response.content.decode()
    audit = Committee.objects.get(code="audit")
    assert (audit.cadence, audit.scope, audit.sections) == (3, "level_3_up", ["levels", "scorecard"])  # in order
    call_command("build_pack", committee="audit", period="2026-05", out=str(tmp_path), stdout=io.StringIO())
    assert load_workbook(tmp_path / "audit-2026-05.xlsx").sheetnames == ["About", "Level summary", "Provider scorecard"]
    assert audit.history.first().history_user.username == "admin"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"code": "Audit Committee"}, "Use lower-case letters, digits and underscores"),
        ({"code": "pfig"}, "Another committee has this code"),
        ({"name": "board"}, "Another committee has this name"),
        ({"sections": None}, "Select at least one section."),
        ({"readers": None}, "Select at least one role that may read its packs."),
        ({"sections": ["scorecard", "parliament"]}, "Select a valid choice"),
        ({"cadence": "5"}, "Select a valid choice"),
    ],
)
def test_a_committee_that_does_not_make_sense_is_refused_with_a_reason(as_user, changes, message):
    response = as_user("administrator").post(reverse("reporting:committee_create"), committee_post(**changes))
    assert response.status_code == 200 and message in response.content.decode()
    assert not Committee.objects.filter(code="audit").exists()


def test_an_administrator_edits_a_committee_but_not_its_code(as_user):
    board = Committee.objects.get(code="board")
    client = as_user("administrator")
    form = client.get(reverse("reporting:committee_update", args=[board.pk])).content.decode()
    assert 'name="code"' in form and "disabled" in form.split('name="code"')[1].split(">")[0]
    response = client.post(
        reverse("reporting:committee_update", args=[board.pk]),
        committee_post(code="renamed", name="Board", cadence="1"),
        follow=True,
    )
    assert "Board has been saved" in response.content.decode()
    board.refresh_from_db()
    assert (board.code, board.cadence, board.sections) == ("board", 1, ["levels", "scorecard"])


@pytest.mark.parametrize("persona", ["team_member", "service_director", "committee_member"])
def test_only_administrators_keep_committees(as_user, persona):
    client = as_user(persona)
    assert client.get(reverse("reporting:committee_list")).status_code == 403
    assert client.post(reverse("reporting:committee_create"), committee_post()).status_code == 403
    assert not Committee.objects.filter(code="audit").exists()


# Flags on the exception pages ----------------------------------------------------------------------


def test_a_red_area_with_no_action_plan_or_risk_assessment_is_flagged_on_its_exception_page(
    estate, team_member, tmp_path
):
    def flags():
        data = selectors.pack_data("qpsc", MAY, M[3], TODAY)
        return next(page.flags for page in data.exceptions if page.code == "P01")

    assert any(flag.startswith("Quality and safety: No action plan; No risk assessment") for flag in flags())
    ActionPlan.objects.create(
        provider=estate[1],
        area="quality_safety",
        title="Falls recovery",
        actions="Ward rounds",
        review_points="CQPRM",
        next_review=date(2026, 6, 1),  # before the pack is built: flagged as past its review date
        risk_assessment="Harm from falls",
        owner="Director of Nursing",
        created_by=team_member,
    )
    Risk.objects.create(
        provider=estate[1],
        area="quality_safety",
        title="Falls",
        likelihood=3,
        consequence=3,
        owner="Director of Nursing",
        review_date=date(2026, 9, 1),
    )
    after = flags()
    assert not any("No action plan" in flag or "No risk assessment" in flag for flag in after)
    assert "Action plan review date passed: Falls recovery (1 Jun 2026)." in after
    call_command("build_pack", committee="qpsc", period="2026-05", out=str(tmp_path), stdout=io.StringIO())
    text = " ".join(pdf_text((tmp_path / "qpsc-2026-05.pdf").read_bytes()).split())
    assert "Flags: what is missing or overdue" in text and "Action plan review date passed: Falls recovery" in text
