"""Provider, service and team pages: lists, filters, sorting, forms, history."""

import pytest
from django.urls import reverse

from providers.models import CommissioningTeam, Provider, Service
from tests.contracts.factories import ContractFactory, ContractLineFactory
from tests.providers.factories import ProviderFactory, ServiceFactory

pytestmark = pytest.mark.django_db


def names_in(response):
    return [row.record.name for row in response.context["table"].paginated_rows]


def test_provider_list_filters_by_sector_country_team_and_search(as_user):
    client = as_user("team_member")
    betsi = ProviderFactory(code="7A1", name="Betsi Cadwaladr", sector="nhs_wales", country="wales")
    alder = ProviderFactory(code="RBS", name="Alder Hey", sector="nhs_england", country="england")
    ContractFactory(provider=alder, commissioning_team=CommissioningTeam.objects.get(code="women_children"))
    ContractFactory(provider=betsi)  # cardiac
    url = reverse("providers:provider_list")
    assert names_in(client.get(url, {"sector": "nhs_wales"})) == ["Betsi Cadwaladr"]
    assert names_in(client.get(url, {"country": "england"})) == ["Alder Hey"]
    team = CommissioningTeam.objects.get(code="women_children")
    assert names_in(client.get(url, {"team": team.pk})) == ["Alder Hey"]
    assert names_in(client.get(url, {"q": "rbs"})) == ["Alder Hey"]
    assert names_in(client.get(url, {"q": "cadwal"})) == ["Betsi Cadwaladr"]


def test_provider_list_sorts_and_paginates_with_a_fixed_number_of_queries(as_user, django_assert_max_num_queries):
    client = as_user("team_member")
    for i in range(30):
        ContractFactory(provider=ProviderFactory(name=f"Provider {i:02d}"))
    url = reverse("providers:provider_list")
    with django_assert_max_num_queries(12):
        first = client.get(url)
    assert len(names_in(first)) == 25
    assert names_in(first)[0] == "Provider 00"
    assert "Showing 1 to 25 of 30" in first.content.decode()
    second = client.get(url, {"page": 2})
    assert names_in(second) == [f"Provider {i:02d}" for i in range(25, 30)]
    descending = client.get(url, {"sort": "-name"})
    assert names_in(descending)[0] == "Provider 29"


def test_provider_page_shows_contracts_services_and_special_measures(as_user):
    client = as_user("team_member")
    provider = ProviderFactory(name="Betsi Cadwaladr", intervention_level="special_measures")
    line = ContractLineFactory(contract__provider=provider, service__name="Neonatal intensive care")
    ContractLineFactory(contract__provider=provider, contract__status="draft", service__name="Draft only")
    page = client.get(provider.get_absolute_url()).content.decode()
    assert line.contract.reference in page
    assert "Neonatal intensive care" in page
    assert "Draft only" not in page.split('<h2 id="services">Services</h2>')[1].split("Change history")[0]
    assert "In special measures" in page


def test_administrator_creates_a_provider_and_sees_a_success_message(as_user):
    client = as_user("administrator")
    response = client.post(
        reverse("providers:provider_create"),
        {
            "code": "7A3",
            "name": "Swansea Bay University Health Board",
            "sector": "nhs_wales",
            "country": "wales",
            "regulator": "hiw",
            "intervention_level": "enhanced_monitoring",
            "active": "on",
        },
        follow=True,
    )
    provider = Provider.objects.get(code="7A3")
    assert response.redirect_chain[-1][0] == provider.get_absolute_url()
    assert "has been saved" in response.content.decode()


def test_an_invalid_provider_form_redisplays_with_messages_and_keeps_input(as_user):
    client = as_user("administrator")
    ProviderFactory(code="7A1")
    response = client.post(
        reverse("providers:provider_create"),
        {
            "code": "7A1",
            "name": "Typed name stays",
            "sector": "",
            "country": "wales",
            "intervention_level": "routine",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert "A provider with this code already exists" in page
    assert 'value="Typed name stays"' in page
    assert 'class="nhsuk-error-message"' in page
    assert Provider.objects.count() == 1


def test_editing_a_provider_records_who_changed_what(as_user, administrator):
    client = as_user("administrator")
    provider = ProviderFactory(
        code="7A2", name="Hywel Dda", intervention_level="routine", sector="nhs_wales", country="wales", regulator="hiw"
    )
    client.post(
        reverse("providers:provider_update", args=["7A2"]),
        {
            "code": "7A2",
            "name": "Hywel Dda",
            "sector": "nhs_wales",
            "country": "wales",
            "regulator": "hiw",
            "intervention_level": "targeted_intervention",
            "active": "on",
        },
    )
    provider.refresh_from_db()
    assert provider.intervention_level == "targeted_intervention"
    record = provider.history.first()
    assert record.history_user == administrator
    page = client.get(provider.get_absolute_url()).content.decode()
    history = page.split('<h2 id="history">')[1]
    assert "Government intervention level" in history
    assert "Routine arrangements" in history and "Targeted intervention" in history
    assert administrator.get_full_name() in history


def test_a_provider_with_contracts_cannot_be_deleted(as_user):
    client = as_user("administrator")
    contract = ContractFactory()
    response = client.post(reverse("providers:provider_delete", args=[contract.provider.code]), follow=True)
    assert Provider.objects.filter(pk=contract.provider.pk).exists()
    assert "cannot be deleted" in response.content.decode()


def test_deleting_asks_for_confirmation_first(as_user):
    client = as_user("administrator")
    provider = ProviderFactory()
    page = client.get(reverse("providers:provider_delete", args=[provider.code])).content.decode()
    assert "Are you sure you want to delete" in page
    assert Provider.objects.filter(pk=provider.pk).exists()
    client.post(reverse("providers:provider_delete", args=[provider.code]))
    assert not Provider.objects.filter(pk=provider.pk).exists()


def test_services_and_teams_are_maintained_by_administrators(as_user):
    client = as_user("administrator")
    cardiac = CommissioningTeam.objects.get(code="cardiac")
    client.post(
        reverse("providers:service_create"),
        {
            "code": "tavi",
            "name": "Transcatheter aortic valve implantation",
            "commissioning_team": cardiac.pk,
            "active": "on",
        },
    )
    assert Service.objects.get(code="tavi").commissioning_team == cardiac
    response = client.post(
        reverse("providers:team_create"), {"code": "renal", "name": "Welsh Kidney Network", "active": "on"}
    )
    assert response.status_code == 302
    assert CommissioningTeam.objects.filter(code="renal").exists()
    bad = client.post(
        reverse("providers:service_create"), {"code": "Has Spaces", "name": "x", "commissioning_team": cardiac.pk}
    )
    assert "1 to 40 letters, digits, full stops, hyphens and underscores" in bad.content.decode()


def test_the_six_portfolios_are_seeded_and_listed(as_user):
    client = as_user("team_member")
    page = client.get(reverse("providers:team_list")).content.decode()
    for name in [
        "Cancer and Blood",
        "Cardiac",
        "Neurosciences",
        "Women and Children",
        "Mental Health and Vulnerable Groups",
        "Intestinal Failure",
    ]:
        assert name in page
    assert "Edit" not in page.split("<tbody")[1]  # team members may not edit


def test_service_list_filters_by_team(as_user):
    client = as_user("team_member")
    ServiceFactory(name="TAVI")
    ServiceFactory(name="Tier 4 CAMHS", commissioning_team=CommissioningTeam.objects.get(code="mental_health"))
    team = CommissioningTeam.objects.get(code="mental_health")
    response = client.get(reverse("providers:service_list"), {"commissioning_team": team.pk})
    assert names_in(response) == ["Tier 4 CAMHS"]
