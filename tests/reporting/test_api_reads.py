"""The API's read endpoints: contract tests for each endpoint and role, and what each returns."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from assurance.models import AreaOverride, AreaRating, IndicatorRating, IndicatorTarget, ProviderRating, RatingRun
from escalation.models import EscalationDecision, ProviderEscalation
from providers.models import CommissioningTeam
from reporting.models import CommitteePack, PackEvent
from tests.assurance.factories import IndicatorFactory
from tests.contracts.factories import ContractFactory
from tests.reporting.api_helpers import api_client

pytestmark = pytest.mark.django_db
OCT, NOV = date(2026, 10, 1), date(2026, 11, 1)

TEAMS = {"team_member", "other_team_member"}
DIRECTORS = {"service_director", "executive_director", "chief_executive"}
READERS = TEAMS | DIRECTORS | {"administrator"}
SCORECARD = READERS | {"committee_member"}
PERSONAS = sorted(SCORECARD | {"no_role_user"})


@pytest.fixture
def estate(db, service_director):
    a = ContractFactory(provider__code="AAA", provider__name="Alpha").provider
    b = ContractFactory(
        provider__code="BBB",
        provider__name="Beta",
        commissioning_team=CommissioningTeam.objects.get(code="mental_health"),
    ).provider
    indicator = IndicatorFactory(code="rtt", area="access", setting="planned")
    IndicatorTarget.objects.create(indicator=indicator, from_period=NOV, target=Decimal("92"), amber_threshold=None)
    now = timezone.now()
    for provider, level in ((a, 3), (b, 1)):
        ProviderEscalation.objects.create(provider=provider, level=level, since=now, last_evaluated_period=OCT)
        EscalationDecision.objects.create(provider=provider, period=OCT, to_level=level, kind="initial", decided_at=now)
    # October: A rated with an overridden Access area; B rated. November: A's return not received.
    ProviderRating.objects.create(
        provider=a, period=OCT, reds=1, ambers=0, recommended_level=3, escalation_level=3, planned_rag="R"
    )
    override = AreaOverride.objects.create(
        provider=a,
        period=OCT,
        area="access",
        rag="A",
        computed_rag="R",
        rationale="Known",
        overridden_by=service_director,
    )
    AreaRating.objects.create(
        provider=a, period=OCT, area="access", computed_rag="R", rag="A", override=override, reds=1
    )
    AreaRating.objects.create(provider=a, period=OCT, area="governance", computed_rag="R", rag="R", reds=1)
    ProviderRating.objects.create(provider=b, period=OCT, recommended_level=1, escalation_level=1)
    AreaRating.objects.create(provider=b, period=OCT, area="access", computed_rag="G", rag="G", greens=1)
    ProviderRating.objects.create(provider=a, period=NOV, received=False, escalation_level=3)
    IndicatorRating.objects.create(
        provider=a, indicator=indicator, period=OCT, value=Decimal("80"), rag="R", reason="off_target"
    )
    packs = {}
    for committee in ("cdgb", "joint_committee"):
        pack = CommitteePack.objects.create(committee_id=committee, period=OCT, period_from=OCT, status="ready")
        pack.pdf.save("p.pdf", ContentFile(b"%PDF-1.4 test"))
        pack.xlsx.save("p.xlsx", ContentFile(b"PK test"))
        packs[committee] = pack
    job = RatingRun.objects.create(periods=["2026-10"], trigger="schedule")
    return {"a": a, "b": b, "packs": packs, "job": job}


def endpoints(o):
    """Each read endpoint and who may read it (as the pages that show the same things)."""
    return {
        "/api/v1/providers/": READERS,
        "/api/v1/providers/AAA/": READERS,
        "/api/v1/contracts/": READERS,
        f"/api/v1/contracts/{o['a'].contracts.get().pk}/": READERS,
        "/api/v1/indicators/": READERS,
        "/api/v1/indicators/rtt/": READERS,
        "/api/v1/ratings/": SCORECARD,
        "/api/v1/indicator-ratings/": READERS,
        f"/api/v1/rating-jobs/{o['job'].pk}/": READERS,
        "/api/v1/escalation/levels/": READERS,
        "/api/v1/escalation/decisions/": READERS,
        "/api/v1/packs/": SCORECARD,
        f"/api/v1/packs/{o['packs']['joint_committee'].pk}/": SCORECARD,
        f"/api/v1/packs/{o['packs']['joint_committee'].pk}/pdf/": SCORECARD,
        "/api/v1/returns/": READERS,
        "/api/v1/finance/?period=2026-10": READERS,
    }


@pytest.mark.parametrize("persona", PERSONAS)
def test_each_endpoint_answers_each_role_as_its_pages_do(estate, persona, request):
    client = api_client(request.getfixturevalue(persona))
    wrong = []
    for path, allowed in endpoints(estate).items():
        status = client.get(path).status_code
        if status != (200 if persona in allowed else 403):
            wrong.append(f"{path}: {status}")
    assert not wrong, wrong


def test_without_a_token_every_endpoint_asks_for_one(estate, client):
    for path in endpoints(estate):
        response = client.get(path)
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer"), path
    assert client.get("/api/v1/schema/").status_code == 200  # the schema itself is open


def test_the_scorecard_gives_the_rating_that_counts_with_the_override_mark(estate, committee_member):
    rows = api_client(committee_member).get("/api/v1/ratings/", {"period": "2026-10"}).json()["results"]
    alpha = next(r for r in rows if r["provider"] == "AAA")
    assert alpha["access"] == "A" and alpha["overridden"] is True  # the override counts
    assert alpha["planned_rag"] == "A"  # and counts for both Access halves, as on the dashboard
    access = next(a for a in alpha["areas"] if a["area"] == "access")
    assert access == {
        "area": "access",
        "rag": "A",
        "computed_rag": "R",
        "overridden": True,
        "direction": None,
        "greens": 0,
        "ambers": 0,
        "reds": 1,
    }
    assert alpha["governance"] == "R" and alpha["quality_safety"] is None  # not rated: null, never a colour


def test_a_month_with_no_return_is_received_false_not_red(estate, team_member):
    rows = api_client(team_member).get("/api/v1/ratings/", {"period": "2026-11"}).json()["results"]
    assert rows == [
        {
            "provider": "AAA",
            "provider_name": "Alpha",
            "period": "2026-11",
            "received": False,
            "access": None,
            "quality_safety": None,
            "finance_activity": None,
            "patient_experience": None,
            "governance": None,
            "usc_rag": None,
            "planned_rag": None,
            "overridden": False,
            "reds": 0,
            "ambers": 0,
            "recommended_level": None,
            "level_direction": "",
            "escalation_level": 3,
            "pending_step_down": None,
            "areas": [],
        }
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, [("AAA", "2026-10"), ("BBB", "2026-10"), ("AAA", "2026-11")]),
        ({"period": "2026-10"}, [("AAA", "2026-10"), ("BBB", "2026-10")]),
        ({"period_from": "2026-11"}, [("AAA", "2026-11")]),
        ({"team": "mental_health"}, [("BBB", "2026-10")]),
        ({"provider": "BBB"}, [("BBB", "2026-10")]),
        ({"level": 3}, [("AAA", "2026-10"), ("AAA", "2026-11")]),
        ({"received": "false"}, [("AAA", "2026-11")]),
        ({"team": "nobody"}, []),
    ],
)
def test_ratings_filter_by_period_team_provider_and_level(estate, team_member, query, expected):
    rows = api_client(team_member).get("/api/v1/ratings/", query).json()["results"]
    assert [(r["provider"], r["period"]) for r in rows] == expected  # oldest month first, then provider code


@pytest.mark.parametrize("query", [{"period": "2026-13"}, {"level": 9}, {"period_to": "October"}])
def test_a_filter_that_is_not_one_is_a_bad_request(estate, team_member, query):
    assert api_client(team_member).get("/api/v1/ratings/", query).status_code == 400


def test_pages_walk_every_row_once_in_a_stable_order(estate, team_member):
    client = api_client(team_member)
    seen, url = [], "/api/v1/ratings/?page_size=1"
    while url:
        body = client.get(url).json()
        seen += [(r["provider"], r["period"]) for r in body["results"]]
        url = body["next"]
    assert seen == [("AAA", "2026-10"), ("BBB", "2026-10"), ("AAA", "2026-11")]


def test_indicators_carry_their_target_history(estate, administrator):
    body = api_client(administrator).get("/api/v1/indicators/rtt/").json()
    assert body["target"] == "95.0000"
    assert body["target_changes"] == [{"from_period": "2026-11", "target": "92.0000", "amber_threshold": None}]


def test_indicator_ratings_carry_the_reason_code_and_its_words(estate, executive_director):
    rows = api_client(executive_director).get("/api/v1/indicator-ratings/", {"provider": "AAA"}).json()["results"]
    assert rows == [
        {
            "provider": "AAA",
            "indicator": "rtt",
            "area": "access",
            "period": "2026-10",
            "value": "80.0000",
            "rag": "R",
            "reason": "off_target",
            "reason_label": "Target missed, beyond the amber threshold",
        }
    ]


def test_escalation_levels_and_decisions_filter_by_level_and_team(estate, chief_executive):
    client = api_client(chief_executive)
    levels = client.get("/api/v1/escalation/levels/", {"level": 3}).json()["results"]
    assert [(r["provider"], r["level"]) for r in levels] == [("AAA", 3)]
    decisions = client.get("/api/v1/escalation/decisions/", {"team": "mental_health"}).json()["results"]
    assert [(d["provider"], d["to_level"], d["decided_by"]) for d in decisions] == [("BBB", 1, None)]  # by rule


def test_the_joint_committee_reads_and_downloads_only_its_own_packs(estate, committee_member):
    client = api_client(committee_member)
    packs = client.get("/api/v1/packs/").json()["results"]
    assert [p["committee"] for p in packs] == ["joint_committee"]
    joint, board = estate["packs"]["joint_committee"], estate["packs"]["cdgb"]
    assert packs[0]["pdf_url"].endswith(f"/api/v1/packs/{joint.pk}/pdf/")
    download = client.get(f"/api/v1/packs/{joint.pk}/xlsx/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK test"
    assert PackEvent.objects.filter(pack=joint, user=committee_member, kind="xlsx").exists()  # recorded, as on the page
    assert client.get(f"/api/v1/packs/{board.pk}/").status_code == 404
    assert client.get(f"/api/v1/packs/{board.pk}/pdf/").status_code == 404


def test_draft_values_never_leave_the_team_through_the_ratings(estate, team_member):
    """Ratings come only from received returns: a draft makes no rating row to read."""
    assert not IndicatorRating.objects.filter(period=NOV).exists()
    rows = api_client(team_member).get("/api/v1/indicator-ratings/", {"period": "2026-11"}).json()["results"]
    assert rows == []


def test_the_financial_position_is_the_pages_per_provider(estate, service_director):
    from contracts.models import LineActual
    from tests.contracts.factories import ContractLineFactory

    line = ContractLineFactory(contract=estate["a"].contracts.get(), planned_activity=120, planned_cost=Decimal("1200"))
    LineActual.objects.create(line=line, period=OCT, activity=20, cost=Decimal("150"))
    body = api_client(service_director).get("/api/v1/finance/", {"period": "2026-10", "provider": "AAA"}).json()
    assert body["period"] == "2026-10" and body["financial_year"] == "2026/27"
    alpha = body["providers"][0]
    assert alpha["code"] == "AAA" and alpha["plan_cost"] == "700.00" and alpha["actual_cost"] == "150.00"
    assert api_client(service_director).get("/api/v1/finance/", {"period": "Oct"}).status_code == 400
