"""Register codes (DESIGN.md): 1 to 40 letters, digits, ".", "-" and "_", kept exactly as written
and matched exactly, in providers.csv, services.csv and the register's forms."""

import pytest
from django.urls import reverse

from providers.importers import ProviderImporter, ServiceImporter
from providers.models import CommissioningTeam, Provider, Service
from tests.providers.factories import ProviderFactory

pytestmark = pytest.mark.django_db

REAL_CODES = ["CARD", "AE4H", "7A1", "NCBPS13X", "E.B.3", "rq3", "Mixed-Case_1", "A" * 40]
BAD_CODES = ["RB S", "7A1!", "A" * 41, "café", "E/B/3"]

PROVIDERS = "code,name,sector,country,regulator,intervention_level\n"
SERVICES = "code,name,commissioning_team\n"


def run(importer, text):
    return importer().run(text.encode("utf-8"), "file.csv")


@pytest.mark.parametrize("code", REAL_CODES)
def test_providers_csv_keeps_real_register_codes_exactly_as_written(code):
    result = run(ProviderImporter, PROVIDERS + f"{code},Somewhere,nhs_wales,wales,hiw,routine\n")
    assert result.ok, result.errors
    assert list(Provider.objects.values_list("code", flat=True)) == [code]


@pytest.mark.parametrize("code", REAL_CODES)
def test_services_csv_keeps_real_register_codes_exactly_as_written(code):
    result = run(ServiceImporter, SERVICES + f"{code},Some service,cardiac\n")
    assert result.ok, result.errors
    assert list(Service.objects.values_list("code", flat=True)) == [code]


@pytest.mark.parametrize("importer", [ProviderImporter, ServiceImporter])
def test_bad_codes_are_refused_with_the_line_and_a_clear_reason(importer):
    header, tail = (
        (PROVIDERS, ",X,nhs_wales,wales,hiw,routine\n") if importer is ProviderImporter else (SERVICES, ",X,cardiac\n")
    )
    result = run(importer, header + "".join(code + tail for code in BAD_CODES))
    assert [(e.line, e.column) for e in result.errors] == [(line, "code") for line in range(2, 2 + len(BAD_CODES))]
    first = result.errors[0]
    assert str(first).startswith("line 2, column code: ")
    assert "“RB S”" in first.message and "1 to 40 letters, digits, full stops, hyphens and underscores" in first.message
    assert len({e.message for e in result.errors if e.line == 4}) == 1  # one message for a long code, not two
    assert not Provider.objects.exists() and not Service.objects.exists()


def test_codes_differing_only_in_capitals_are_different_codes():
    run(ProviderImporter, PROVIDERS + "7A1,Betsi,nhs_wales,wales,hiw,routine\n")
    result = run(ProviderImporter, PROVIDERS + "7a1,Somewhere else,nhs_wales,wales,hiw,routine\n")
    assert result.created == 1
    assert Provider.objects.get(code="7A1").name == "Betsi"
    assert Provider.objects.get(code="7a1").name == "Somewhere else"


def test_the_provider_form_keeps_the_code_as_typed(as_user):
    client = as_user("administrator")
    response = client.post(
        reverse("providers:provider_create"),
        {
            "code": "E.b.3",
            "name": "A provider",
            "sector": "nhs_wales",
            "country": "wales",
            "regulator": "hiw",
            "intervention_level": "routine",
            "active": "on",
        },
    )
    assert response.status_code == 302
    assert Provider.objects.get().code == "E.b.3"
    bad = client.post(
        reverse("providers:provider_create"),
        {
            "code": "E B 3",
            "name": "A provider",
            "sector": "nhs_wales",
            "country": "wales",
            "regulator": "hiw",
            "intervention_level": "routine",
            "active": "on",
        },
    )
    assert "1 to 40 letters, digits, full stops, hyphens and underscores" in bad.content.decode()


def test_the_service_form_accepts_register_codes(as_user):
    client = as_user("administrator")
    cardiac = CommissioningTeam.objects.get(code="cardiac")
    response = client.post(
        reverse("providers:service_create"),
        {"code": "NCBPS13X", "name": "Specialised cardiology", "commissioning_team": cardiac.pk, "active": "on"},
    )
    assert response.status_code == 302
    assert Service.objects.get().code == "NCBPS13X"


def test_provider_pages_work_for_codes_with_full_stops(as_user):
    provider = ProviderFactory(code="E.B.3")
    client = as_user("administrator")
    assert client.get(reverse("providers:provider_update", args=["E.B.3"])).status_code == 200
    assert client.get(provider.get_absolute_url()).status_code == 200


def test_a_bad_code_on_the_edit_form_is_refused_without_breaking_the_page(as_user):
    ProviderFactory(code="7A2")
    client = as_user("administrator")
    response = client.post(
        reverse("providers:provider_update", args=["7A2"]),
        {
            "code": "<script>alert(1)</script>",
            "name": "Hywel Dda",
            "sector": "nhs_wales",
            "country": "wales",
            "regulator": "hiw",
            "intervention_level": "routine",
            "active": "on",
        },
    )
    assert response.status_code == 200
    assert "1 to 40 letters" in response.content.decode()
    assert 'href="/providers/7A2/"' in response.content.decode()  # Cancel goes back to the provider as saved
    assert Provider.objects.get().code == "7A2"
