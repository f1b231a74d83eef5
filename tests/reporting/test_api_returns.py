"""POST /api/v1/returns/: returns in, like DHIS2's dataValueSets, with the upload's own rules."""

import json
from datetime import date
from decimal import Decimal

import pytest

from assurance.models import IndicatorValue, MonthlyReturn, PeriodLock, ProviderRating
from providers.models import CommissioningTeam
from tests.assurance.factories import IndicatorFactory, IndicatorValueFactory, JudgementIndicatorFactory
from tests.contracts.factories import ContractFactory
from tests.reporting.api_helpers import api_client

pytestmark = pytest.mark.django_db
URL = "/api/v1/returns/"
CSV_HEADER = "provider_code,indicator_code,period,value,rag,status,note\n"


@pytest.fixture
def estate(db):
    cardiac = ContractFactory(provider__code="7A4", provider__name="Cardiff and Vale")
    mental = ContractFactory(
        provider__code="NQ1", commissioning_team=CommissioningTeam.objects.get(code="mental_health")
    )
    return {
        "cardiac": cardiac.provider,
        "mental": mental.provider,
        "rtt": IndicatorFactory(code="rtt", area="access", setting="planned"),
        "leadership": JudgementIndicatorFactory(code="leadership"),
    }


def month(provider="7A4", period="2026-09", version=None, **values):
    entry = {"provider": provider, "period": period, "values": [{"indicator": k, **v} for k, v in values.items()]}
    if version is not None:
        entry["version"] = version
    return entry


def post_json(client, returns, query=""):
    return client.post(URL + query, json.dumps({"returns": returns}), content_type="application/json")


def post_csv(client, text, query=""):
    return client.post(URL + query, text.encode(), content_type="text/csv")


def test_a_team_member_submits_a_month_as_json_and_it_is_rated(estate, team_member, django_capture_on_commit_callbacks):
    client = api_client(team_member)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_json(client, [month(rtt={"value": 96}, leadership={"rag": "G"})])
    body = response.json()
    assert response.status_code == 200, body
    assert body["ok"] and body["created"] == 2 and body["problems"] == [] and body["rating_job"]
    monthly_return = MonthlyReturn.objects.get()
    assert monthly_return.status == "submitted" and monthly_return.submitted_by == team_member
    assert IndicatorValue.objects.get(indicator__code="rtt").value == Decimal("96")
    # The recompute ran after the write (Celery eager in tests), as after an upload.
    assert ProviderRating.objects.get(provider=estate["cardiac"], period=date(2026, 9, 1)).received
    assert client.get(f"/api/v1/rating-jobs/{body['rating_job']}/").json()["status"] == "done"


def test_many_months_and_providers_in_one_body(estate, team_member):
    second = ContractFactory(provider__code="7A5").provider
    response = post_json(
        api_client(team_member),
        [
            month(rtt={"value": "96.5"}),
            month(period="2026-10", rtt={"value": 97}),
            month(provider=second.code, rtt={"status": "missing"}),
        ],
    )
    assert response.status_code == 200, response.json()
    assert MonthlyReturn.objects.count() == 3
    assert IndicatorValue.objects.get(monthly_return__provider=second).status == "missing"


def test_the_returns_csv_format_is_accepted_with_line_numbers_in_problems(estate, team_member):
    client = api_client(team_member)
    ok = post_csv(client, CSV_HEADER + "7A4,rtt,2026-09,96,,,\n7A4,leadership,2026-09,,G,,\n")
    assert ok.status_code == 200 and ok.json()["created"] == 2
    bad = post_csv(client, CSV_HEADER + "7A4,rtt,2026-10,101,,,\n7A4,nope,2026-10,1,,,\n")
    problems = bad.json()["problems"]
    assert bad.status_code == 422
    assert {(p["line"], p["column"]) for p in problems} == {(2, "value"), (3, "indicator_code")}
    assert any("A percentage must be between 0 and 100." in p["message"] for p in problems)  # the upload's words
    assert all(p["pointer"] is None for p in problems)
    assert not MonthlyReturn.objects.filter(period=date(2026, 10, 1)).exists()  # all or nothing


def test_every_problem_of_a_json_body_has_its_pointer_and_nothing_is_saved(estate, team_member):
    response = post_json(
        api_client(team_member),
        [
            month(rtt={"value": 96}),
            month(period="2026-13", rtt={"value": 101}, leadership={"rag": "X"}),
            month(provider="NQ1", rtt={"value": 50}),
        ],
    )
    assert response.status_code == 422
    pointers = {p["pointer"] for p in response.json()["problems"]}
    assert {"/returns/1/period", "/returns/1/values/0/value", "/returns/1/values/1/rag"} <= pointers
    assert "/returns/2/provider" in pointers  # another team's provider
    assert not MonthlyReturn.objects.exists()


@pytest.mark.parametrize(
    ("body", "pointer"),
    [
        ([], ""),
        ({"returns": ["x"]}, "/returns/0"),
        ({"returns": [{"provider": "7A4", "period": "2026-09", "values": {}}]}, "/returns/0/values"),
        ({"returns": [{"provider": "7A4", "period": "2026-09", "values": [{"indicator": ["rtt"]}]}]}, None),
        ({"returns": [{"provider": 7, "period": "2026-09", "version": -1, "values": [{"indicator": "rtt"}]}]}, None),
    ],
)
def test_a_body_of_the_wrong_shape_is_refused_with_pointers(estate, team_member, body, pointer):
    response = api_client(team_member).post(URL, json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    problems = response.json()["problems"]
    assert problems and all(p["pointer"] is not None for p in problems)
    if pointer is not None:
        assert problems[0]["pointer"] == pointer
    assert not MonthlyReturn.objects.exists()


@pytest.mark.parametrize(
    ("values", "key"),
    [
        # Found by schemathesis (a 500): a carriage return alone in a value split its CSV row in two.
        ({"indicator": "rt\rt", "value": 96}, "indicator"),
        # A value of only spaces or invisible separators makes a row the CSV reading skips as blank.
        ({"indicator": " \x1c\u2028"}, "indicator"),
        ({"indicator": "rtt", "value": "\x00"}, "value"),
        ({"indicator": "rtt", "value": "\ud800"}, "value"),  # half a character (a lone surrogate)
    ],
)
def test_awkward_characters_in_a_json_value_are_listed_not_a_server_error(estate, team_member, values, key):
    response = post_json(api_client(team_member), [{"provider": "7A4", "period": "2026-09", "values": [values]}])
    assert response.status_code == 422, response.content
    assert f"/returns/0/values/0/{key}" in {p["pointer"] for p in response.json()["problems"]}
    assert not MonthlyReturn.objects.exists()


def test_a_note_with_a_carriage_return_is_kept_whole(estate, team_member):
    response = post_json(api_client(team_member), [month(rtt={"value": 96, "note": "checked\rtwice"})])
    assert response.status_code == 200, response.content
    assert IndicatorValue.objects.get().note == "checked\rtwice"


@pytest.mark.parametrize("key", ["provider", "period"])
def test_a_blank_or_awkward_provider_or_month_is_listed(estate, team_member, key):
    entry = {"provider": "7A4", "period": "2026-09", "values": [{"indicator": "rtt", "value": 96}]}
    entry[key] = " \r "
    response = post_json(api_client(team_member), [entry])
    assert response.status_code == 422, response.content
    assert f"/returns/0/{key}" in {p["pointer"] for p in response.json()["problems"]}


def test_a_dry_run_checks_everything_and_saves_nothing(estate, team_member):
    response = post_json(api_client(team_member), [month(rtt={"value": 96})], query="?dry_run=true")
    body = response.json()
    assert response.status_code == 200 and body["dry_run"] and body["created"] == 1 and body["rating_job"] is None
    assert not MonthlyReturn.objects.exists()


def test_a_locked_month_is_refused(estate, team_member):
    PeriodLock.objects.create(period=date(2026, 9, 1), locked=True)
    response = post_json(api_client(team_member), [month(rtt={"value": 96})])
    assert response.status_code == 422
    assert response.json()["problems"][0]["pointer"] == "/returns/0/period"
    assert "locked" in response.json()["problems"][0]["message"]
    assert not MonthlyReturn.objects.exists()


def test_a_stale_version_is_refused_and_the_current_one_given(estate, team_member):
    client = api_client(team_member)
    post_json(client, [month(rtt={"value": 96})])
    read = client.get(URL, {"provider": "7A4", "period": "2026-09"}).json()["results"][0]
    assert post_json(client, [month(version=read["version"], rtt={"value": 97})]).status_code == 200
    stale = post_json(client, [month(version=read["version"], rtt={"value": 98})])  # someone wrote since
    assert stale.status_code == 409
    assert stale.json()["version"] == read["version"] + 1 and stale.json()["provider"] == "7A4"
    assert IndicatorValue.objects.get().value == Decimal("97")


def test_a_value_outside_its_usual_range_needs_a_note_in_its_row(estate, team_member):
    returns = [
        month(period=f"2026-{m:02d}", rtt={"value": v}) for m, v in zip(range(1, 9), [96, 97, 96, 97, 96, 97, 96, 97])
    ]
    client = api_client(team_member)
    assert post_json(client, returns).status_code == 200
    refused = post_json(client, [month(rtt={"value": 40}), month(period="2026-10", rtt={"value": 96})])
    body = refused.json()
    assert refused.status_code == 422 and not body["ok"]
    assert body["flagged"] == [
        {
            "line": None,
            "pointer": "/returns/0/values/0/value",
            "provider": "7A4",
            "indicator": "rtt",
            "period": "2026-09",
            "value": "40",
            "usual_range": body["flagged"][0]["usual_range"],
            "has_note": False,
        }
    ]
    assert [p["pointer"] for p in body["problems"]] == ["/returns/0/values/0/note"]
    assert not MonthlyReturn.objects.filter(period__gte=date(2026, 9, 1)).exists()
    noted = post_json(client, [month(rtt={"value": 40, "note": "Two theatres closed for repairs"})])
    assert noted.status_code == 200 and noted.json()["flagged"][0]["has_note"]
    assert IndicatorValue.objects.get(monthly_return__period=date(2026, 9, 1)).note == "Two theatres closed for repairs"


@pytest.mark.parametrize(
    "persona", ["service_director", "administrator", "committee_member", "no_role_user", "other_team_member"]
)
def test_only_the_providers_team_may_write(estate, persona, request):
    response = post_json(api_client(request.getfixturevalue(persona)), [month(rtt={"value": 96})])
    # Directors, administrators and the committee do not enter returns (403); Bob's teams do not
    # commission 7A4, so his row is refused with the upload's message.
    assert response.status_code == (422 if persona == "other_team_member" else 403)
    assert not MonthlyReturn.objects.exists()


def test_a_csv_with_a_missing_column_is_a_bad_request(estate, team_member):
    response = post_csv(api_client(team_member), "provider_code,period\n7A4,2026-09\n")
    assert response.status_code == 400 and "missing required columns" in response.json()["detail"]


def test_another_media_type_is_refused(estate, team_member):
    response = api_client(team_member).post(URL, "x", content_type="text/plain")
    assert response.status_code == 415


def test_a_session_write_needs_the_csrf_token(estate, team_member):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(team_member)
    response = browser.post(URL, json.dumps({"returns": [month(rtt={"value": 96})]}), content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["detail"]
    assert not MonthlyReturn.objects.exists()


def test_reading_returns_keeps_drafts_inside_the_team(estate, team_member, service_director, other_team_member):
    draft = IndicatorValueFactory(
        monthly_return__provider=estate["cardiac"], indicator=estate["rtt"], value=Decimal("50")
    ).monthly_return
    assert draft.status == "draft"
    own = api_client(team_member).get(URL).json()["results"]
    assert own[0]["values"][0]["value"] == "50.0000"
    director = api_client(service_director).get(URL).json()["results"]
    assert director[0]["status"] == "draft" and director[0]["values"] is None  # a draft's values stay in the team
    assert api_client(other_team_member).get(URL).json()["count"] == 0  # another team's provider: not even listed
