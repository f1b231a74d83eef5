"""Provider intelligence (issue 18): one log per provider, links and attachments checked, shown
on the provider's timeline and highlight report, cited in a manual escalation."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from escalation.models import EscalationDecision, IntelligenceEntry, ProviderEscalation
from escalation.services import manual_step_up
from tests.escalation.factories import IntelligenceFactory

pytestmark = pytest.mark.django_db


def form(**extra):
    data = {
        "kind": "inspection_rating",
        "date": "2026-10-12",
        "title": "CQC inspection of cardiac surgery",
        "source": "CQC",
        "area": "quality_safety",
        "severity": "high",
        "rating": "requires_improvement",
        "summary": "Staffing on the ward below plan.",
        "link": "https://www.cqc.org.uk/location/RXX",
    }
    data.update(extra)
    return data


def test_a_team_member_records_a_rating_with_its_date_and_it_is_listed(as_user, objects):
    client = as_user("team_member")
    response = client.post(f"/providers/{objects['a']}/intelligence/new/", form())
    assert response.status_code == 302
    entry = IntelligenceEntry.objects.get(title="CQC inspection of cardiac surgery")
    assert (entry.rating, entry.date, entry.recorded_by.username) == (
        "requires_improvement",
        date(2026, 10, 12),
        "alice",
    )
    page = client.get(f"/providers/{objects['a']}/intelligence/").content.decode()
    assert "Rated Requires improvement on 12 October 2026" in page


@pytest.mark.parametrize(
    "link", ["javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "ftp://example.org/x", "not a link"]
)
def test_only_web_links_are_accepted(as_user, objects, link):
    response = as_user("team_member").post(f"/providers/{objects['a']}/intelligence/new/", form(link=link))
    assert response.status_code == 200
    assert "Enter a web address starting http:// or https://." in response.content.decode()
    assert not IntelligenceEntry.objects.filter(title="CQC inspection of cardiac surgery").exists()


def test_an_inspection_rating_needs_its_rating(as_user, objects):
    response = as_user("team_member").post(f"/providers/{objects['a']}/intelligence/new/", form(rating=""))
    assert "Choose the rating the regulator gave." in response.content.decode()


@pytest.mark.parametrize(
    ("name", "size", "accepted"),
    [
        ("report.pdf", 100, True),
        ("report.exe", 100, False),
        ("page.html", 100, False),
        ("big.pdf", 11 * 1024 * 1024, False),
    ],
)
def test_attachments_are_checked_for_type_and_size(as_user, objects, name, size, accepted):
    upload = SimpleUploadedFile(name, b"x" * size)
    response = as_user("team_member").post(
        f"/providers/{objects['a']}/intelligence/new/", {**form(link=""), "attachment": upload}
    )
    assert (response.status_code == 302) is accepted
    assert IntelligenceEntry.objects.filter(title="CQC inspection of cardiac surgery").exists() is accepted


def test_an_attachment_is_served_as_a_download_to_those_who_may_read_it(as_user, objects):
    url = f"/providers/{objects['a']}/intelligence/{objects['intelligence']}/attachment/"
    response = as_user("team_member").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert as_user("other_team_member").get(url).status_code == 403  # another team's provider


def test_entries_are_on_the_provider_timeline_and_page(as_user, objects):
    page = as_user("executive_director").get(f"/providers/{objects['a']}/").content.decode()
    assert 'id="intelligence"' in page
    assert "HIW report" in page
    escalation_page = as_user("executive_director").get(f"/providers/{objects['a']}/escalation/").content.decode()
    assert "app-timeline__intelligence" in escalation_page


def test_a_manual_escalation_cites_intelligence(objects, executive_director):
    from providers.models import Provider

    provider = Provider.objects.get(code=objects["a"])
    ProviderEscalation.objects.filter(provider=provider).update(level=2)
    entry = IntelligenceEntry.objects.get(pk=objects["intelligence"])
    decision = manual_step_up(
        provider=provider,
        user=executive_director,
        to_level=3,
        reasons=["regulator_concern"],
        rationale="HIW found unsafe staffing.",
        intelligence=[entry],
    )
    assert list(decision.intelligence.all()) == [entry]


def test_intelligence_about_another_provider_cannot_be_cited(objects, executive_director):
    from django.core.exceptions import ValidationError

    from providers.models import Provider

    other = IntelligenceFactory(provider=Provider.objects.get(code=objects["b"]), recorded_by=executive_director)
    provider = Provider.objects.get(code=objects["a"])
    ProviderEscalation.objects.filter(provider=provider).update(level=2)
    with pytest.raises(ValidationError):
        manual_step_up(
            provider=provider,
            user=executive_director,
            to_level=3,
            reasons=["regulator_concern"],
            rationale="x",
            intelligence=[other],
        )
    assert not EscalationDecision.objects.filter(provider=provider).exists()


def test_the_escalate_form_posts_cited_intelligence(as_user, objects):
    ProviderEscalation.objects.filter(provider__code=objects["a"]).update(level=2, since=timezone.now())
    response = as_user("executive_director").post(
        f"/providers/{objects['a']}/escalation/escalate/",
        {
            "to_level": 3,
            "reasons": ["regulator_concern"],
            "rationale": "HIW",
            "intelligence": [objects["intelligence"]],
        },
    )
    assert response.status_code == 302
    decision = EscalationDecision.objects.get(provider__code=objects["a"])
    assert [e.pk for e in decision.intelligence.all()] == [objects["intelligence"]]


def test_the_months_intelligence_is_in_the_highlight_report(objects):
    from providers.models import Provider
    from reporting.selectors.highlight import highlight

    provider = Provider.objects.get(code=objects["a"])
    IntelligenceFactory(provider=provider, title="Coroner's report", kind="coroner", date=date(2026, 9, 20))
    IntelligenceFactory(provider=provider, title="Last month's media", kind="media", date=date(2026, 8, 31))
    titles = [e.title for e in highlight(provider, date(2026, 9, 1))["intelligence"]]
    assert titles == ["Coroner's report", "HIW report"]
