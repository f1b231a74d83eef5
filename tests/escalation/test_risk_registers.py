"""The risk registers (METHODOLOGY 7): the team register holds scores 8 to 12, the corporate
register (CRAF) 15 and above; filters, exports, controls, owner, review date and trend."""

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook

from providers.models import Provider
from tests.escalation.factories import RiskFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def risks(objects):
    a, b = Provider.objects.get(code=objects["a"]), Provider.objects.get(code=objects["b"])
    return {
        "local": RiskFactory(provider=a, title="Local", likelihood=2, consequence=3),  # 6
        "team_low": RiskFactory(provider=a, title="Team eight", likelihood=2, consequence=4, owner="Ann Jones"),  # 8
        "team_high": RiskFactory(
            provider=b, title="Team twelve", likelihood=3, consequence=4, review_date=date(2026, 1, 1)
        ),  # 12
        "corporate": RiskFactory(
            provider=a, title="Corporate", likelihood=3, consequence=5, controls="Daily huddle"
        ),  # 15
        "closed": RiskFactory(provider=a, title="Closed", likelihood=5, consequence=5, status="closed"),
    }


def titles(response):
    page = response.content.decode()
    return [
        t
        for t in ("Local", "Team eight", "Team twelve", "Corporate", "Closed")
        if f">{t}<" in page or f"{t}<br>" in page
    ]


def test_each_register_holds_its_scores(as_user, risks):
    client = as_user("executive_director")
    assert titles(client.get("/risks/team/")) == ["Team eight", "Team twelve"]
    corporate = client.get("/risks/corporate/")
    assert titles(corporate) == ["Corporate"]
    assert "Daily huddle" in corporate.content.decode()  # its controls


def test_an_unknown_register_is_not_found(as_user, risks):
    assert as_user("executive_director").get("/risks/local/").status_code == 404


def test_filters_by_provider_owner_team_and_review_overdue(as_user, risks, objects):
    client = as_user("executive_director")
    assert titles(client.get("/risks/team/", {"provider": objects["b"]})) == ["Team twelve"]
    assert titles(client.get("/risks/team/", {"owner": "ann"})) == ["Team eight"]
    assert titles(client.get("/risks/team/", {"overdue": "on"})) == ["Team twelve"]
    assert titles(client.get("/risks/team/", {"team": objects["team"]})) == ["Team eight"]  # provider A is Cardiac's


def test_a_team_member_sees_only_their_teams_providers_risks(as_user, risks):
    assert titles(as_user("other_team_member").get("/risks/team/")) == ["Team twelve"]


def test_the_trend_follows_the_risk_history(as_user, risks):
    risk = risks["team_low"]
    risk.likelihood = 3  # 8 -> 12: rising
    risk.save()
    page = as_user("executive_director").get("/risks/team/").content.decode()
    assert "▲ Rising" in page
    assert "New" in page  # Team twelve has never been re-scored


def test_exports_as_csv_and_excel(as_user, risks):
    client = as_user("executive_director")
    response = client.get("/risks/corporate/", {"export": "csv"})
    assert response["Content-Disposition"].startswith('attachment; filename="risk-register-corporate-')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["Provider", "Risk", "Key area"]
    assert [r[1] for r in rows[1:]] == ["Corporate"]
    assert rows[1][6] == "15" and rows[1][8] == "Daily huddle"
    workbook = load_workbook(io.BytesIO(client.get("/risks/team/", {"export": "xlsx"}).content))
    sheet = workbook.active
    assert [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)] == ["Team twelve", "Team eight"]
