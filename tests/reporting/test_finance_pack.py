"""The Management Group pack's financial position section (METHODOLOGY 9; seed 001 3.2.2 and 3.2.3)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from contracts.models import LineActual
from reporting import selectors
from reporting.models import Committee
from reporting.packs import render_pdf, render_xlsx
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db

MAY = date(2026, 5, 1)


@pytest.fixture
def overspend(db):
    contract = ContractFactory(provider=ProviderFactory(code="RHX", name="Riverside Heart Trust"))
    line = ContractLineFactory(
        contract=contract, service=ServiceFactory(), planned_activity=1200, planned_cost=Decimal("1200000")
    )
    for month, cost in ((date(2026, 4, 1), "120000"), (MAY, "130000")):
        LineActual.objects.create(line=line, period=month, activity=100, cost=Decimal(cost))


def test_the_finance_committees_hold_the_section():
    sections = dict(Committee.objects.values_list("code", "sections"))
    assert "financial_position" in sections["management_group"]
    assert "financial_position" in sections["cdgb"]
    assert "financial_position" not in sections["joint_committee"]


def test_management_group_pack_shows_the_position(overspend):
    data = selectors.pack_data("management_group", MAY, MAY, date(2026, 6, 20))
    assert data.finance["total"]["cost_variance"] == Decimal("50000.00")
    codes = Committee.objects.get(code="management_group").sections
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(data, codes)[0])).pages)
    assert "Financial position" in text
    assert "Riverside Heart Trust (RHX)" in text and "£50,000.00 (25.0%)\nover plan" in text
    workbook = load_workbook(io.BytesIO(render_xlsx(data, codes)))
    sheet = workbook["Financial position"]
    assert [c.value for c in sheet[2]][:5] == ["Riverside Heart Trust", "RHX", 200000, 250000, 50000]


def test_a_committee_without_the_section_reads_no_finance(overspend):
    assert selectors.pack_data("joint_committee", MAY, MAY, date(2026, 6, 20)).finance is None
