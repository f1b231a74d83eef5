"""Text from the data is text in every generated document (issue 16): provider names, notes, action
plans and risks that look like reportlab markup or spreadsheet formulas come out literally in the pack's
PDF and workbook, and a pack that cannot be built tells readers so in plain words."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assurance.models import IndicatorValue
from contracts import exports
from escalation.models import ActionPlan, Risk
from escalation.pipeline import run_period
from reporting import services
from reporting.models import CommitteePack
from tests.contracts.factories import ContractFactory
from tests.escalation.estate import M, month_values, report

pytestmark = pytest.mark.django_db

LINK = 'Evil <link href="https://evil.example/">Click</link> Trust'
AMPERSAND = "Cardiff & Vale <University> Health Board"
IMAGE = 'Broken <img src="/no/such/file.png" width="10" height="10"/> Hospital'
NAMES = [LINK, AMPERSAND, IMAGE]
NOTE = "<b>Not bold</b> & <font color='red'>not red</font> <br/> still one line"
PLAN = '<a href="https://evil.example/">Recovery</a> plan & <i>trajectory</i>'
FORMULA = '=HYPERLINK("https://evil.example/","Open")'


def flat(text):
    return " ".join(text.split())


@pytest.fixture
def hostile(catalogue, team_member):
    """Three providers with hostile names, Red in two areas for three months (exception pages, level 3+)."""
    providers = [
        ContractFactory(
            provider__code=f"H{n}", provider__name=name, start_date=date(2025, 1, 1), end_date=date(2026, 8, 31)
        ).provider
        for n, name in enumerate(NAMES)
    ]
    for month in M[:3]:
        for provider in providers:
            report(provider, month, month_values(3, 0, 2), catalogue)
        run_period(month, notify=False)
    IndicatorValue.objects.filter(monthly_return__provider=providers[0], monthly_return__period=M[2]).update(note=NOTE)
    ActionPlan.objects.create(
        provider=providers[1],
        area="governance",
        title=PLAN,
        actions=NOTE,
        review_points="CQPRM",
        next_review=date(2026, 4, 30),
        risk_assessment="Harm",
        owner="<owner>",
        created_by=team_member,
    )
    Risk.objects.create(
        provider=providers[2], title=FORMULA, likelihood=5, consequence=4, owner="COO", review_date=date(2026, 4, 1)
    )
    return providers


def test_hostile_names_and_notes_come_out_literally_in_the_pdf(hostile):
    pdf, _pages, _xlsx = services.pack_files("cdgb", M[2], today=date(2026, 4, 20))
    reader = PdfReader(io.BytesIO(pdf))
    pages = [flat(page.extract_text()) for page in reader.pages]
    text = " ".join(pages)
    for name in NAMES:
        assert flat(name) in text, name
    contents = pages[1]
    assert "Contents" in contents and AMPERSAND in contents and flat(LINK) in contents  # the contents too
    assert flat(NOTE) in text and flat(PLAN) in text and "<owner>" in text
    links = [
        annotation.get_object().get("/A", {}).get("/URI")
        for page in reader.pages
        for annotation in page.get("/Annots") or []
    ]
    assert not [uri for uri in links if uri], "no live link may come from the data"
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline  # the bookmarks are plain text already


def test_hostile_names_notes_and_formulas_come_out_literally_in_the_workbook(hostile):
    _pdf, _pages, xlsx = services.pack_files("cdgb", M[2], today=date(2026, 4, 20))
    book = load_workbook(io.BytesIO(xlsx))
    assert {row[0] for row in book["Provider scorecard"].iter_rows(min_row=2, values_only=True)} == set(NAMES)
    notes = [row[9] for row in book["Exception reports"].iter_rows(min_row=2, values_only=True)]
    assert NOTE in notes
    assert [row[1] for row in book["Action plans"].iter_rows(min_row=2, values_only=True)] == [PLAN]
    risks = [row[2] for row in book["Corporate risks"].iter_rows(min_row=2, values_only=True)]
    assert risks == ["'" + FORMULA]  # shown as text, never run as a formula


def test_a_pack_with_a_hostile_name_is_built_not_failed(hostile, chief_executive):
    pack = services.pack_create(committee="joint_committee", period=M[2], user=chief_executive)
    services.pack_build(pack.pk)
    pack.refresh_from_db()
    assert pack.status == "ready" and pack.failure_reason == ""


def test_a_failed_build_shows_readers_a_plain_reason_never_the_exception(hostile, chief_executive, as_user):
    pack = CommitteePack.objects.create(
        committee_id="cdgb", period=M[2], period_from=M[2], requested_by=chief_executive
    )
    pack.fail(ValueError("paraparser: syntax error: No content allowed in img tag"), final=True)
    for persona in ("chief_executive", "team_member"):
        page = as_user(persona).get(pack.get_absolute_url()).content.decode()
        assert "The pack could not be built" in page and "Something went wrong" in page
        assert "paraparser" not in page and "ValueError" not in page
    status = as_user("team_member").get(f"/packs/{pack.pk}/status/").json()
    assert "paraparser" not in status["reason"] and status["reason"] == pack.reader_reason


def test_every_exported_csv_and_workbook_neutralises_formulas_whoever_built_the_rows():
    header, rows = ["Risk", "Score"], [[FORMULA, 20], ["+44 29 2000 0000", 15], ["plain", 1]]
    csv_text = exports.to_csv(header, rows).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "'+44 29" in csv_text and "\r\nplain,1" in csv_text
    book = load_workbook(io.BytesIO(exports.to_xlsx(header, rows, "Risks")))
    assert [c.value for c in book.active["A"]][1:] == ["'" + FORMULA, "'+44 29 2000 0000", "plain"]


def test_the_highlight_report_and_provider_page_print_hostile_names_and_notes_as_text(hostile, as_user):
    client = as_user("chief_executive")
    for url in ("/providers/H2/highlight/2026-03/", "/providers/H0/highlight/2026-03/", "/providers/H2/"):
        html = client.get(url).content.decode()
        assert '<img src="/no/such' not in html and '<link href="https://evil' not in html, url
        assert "<b>Not bold</b>" not in html, url
    assert "Broken &lt;img src=&quot;/no/such/file.png&quot;" in client.get("/providers/H2/").content.decode()
