"""Meetings (issue 18): deep dives across providers, the annual Exec-to-Exec with each health
board, the summit's attendees from seed 002 Appendix 2, and the executive chair at level 4."""

from datetime import date

import pytest
from django.utils import timezone

from assurance.rules import EXEC_TO_EXEC, is_health_board, meeting_cadence
from escalation.models import Meeting, ProviderEscalation
from escalation.selectors import meeting_schedule
from providers.models import Provider
from tests.escalation.factories import MeetingFactory
from tests.providers.factories import ProviderFactory

# sector | name -> an NHS Wales health board
HEALTH_BOARDS = [
    ("nhs_wales", "Hywel Dda University Health Board", True),
    ("nhs_wales", "Powys Teaching Health Board", True),
    ("nhs_wales", "Velindre University NHS Trust", False),
    ("nhs_england", "Liverpool Heart and Chest Hospital NHS Foundation Trust", False),
]


@pytest.mark.parametrize(("sector", "name", "board"), HEALTH_BOARDS)
def test_which_providers_are_health_boards(sector, name, board):
    assert is_health_board(sector, name) is board


# tier | level | health board -> months between Exec-to-Exec meetings (None: not due)
EXEC = [(1, 1, False, 12), (2, 1, False, None), (3, None, True, 12), (2, 3, True, 12)]


@pytest.mark.parametrize(("tier", "level", "board", "months"), EXEC)
def test_an_annual_exec_to_exec_with_each_health_board(tier, level, board, months):
    assert meeting_cadence(tier, level, health_board=board).get(EXEC_TO_EXEC) == months


@pytest.mark.django_db
def test_a_health_boards_exec_to_exec_is_due_and_flagged_overdue():
    board = ProviderFactory(code="7A2", name="Hywel Dda University Health Board", sector="nhs_wales", country="wales")
    MeetingFactory(provider=board, kind="exec_to_exec", date=date(2025, 10, 1))
    row = next(r for r in meeting_schedule(board, date(2026, 11, 30)) if r["kind"] == EXEC_TO_EXEC)
    assert (row["due"], row["overdue"]) == (date(2026, 10, 1), True)


@pytest.mark.django_db
def test_the_summit_form_prefills_appendix_2_attendees_and_agenda(as_user, objects):
    page = as_user("chief_executive").get(f"/providers/{objects['a']}/meetings/new/?kind=provider_summit")
    text = page.content.decode()
    assert "Executive Director of Nursing and Midwifery or their deputy" in text
    assert "How concerned should we be?" in text


def meeting_post(**extra):
    data = {
        "kind": "cqprm",
        "date": "2026-11-20",
        "chair": "Head of commissioning",
        "executive_chair": "",
        "scope": "provider",
        "scope_detail": "",
        "attendees": "",
        "agenda": "",
        "minutes": "",
        "actions-TOTAL_FORMS": "0",
        "actions-INITIAL_FORMS": "0",
    }
    data.update(extra)
    return data


@pytest.mark.django_db
def test_a_level_4_cqprm_records_its_executive_chair(as_user, objects):
    ProviderEscalation.objects.filter(provider__code=objects["a"]).update(level=4, since=timezone.now())
    client = as_user("team_member")
    refused = client.post(f"/providers/{objects['a']}/meetings/new/", meeting_post())
    assert "At level 4 the CQPRM is chaired by the executive lead" in refused.content.decode()
    saved = client.post(
        f"/providers/{objects['a']}/meetings/new/", meeting_post(executive_chair="Dr Rhian Evans, Executive Director")
    )
    assert saved.status_code == 302
    assert Meeting.objects.get(date=date(2026, 11, 20)).executive_chair == "Dr Rhian Evans, Executive Director"


@pytest.mark.django_db
def test_a_deep_dive_across_providers_shows_on_each_providers_page(as_user, objects):
    b = Provider.objects.get(code=objects["b"])
    client = as_user("executive_director")
    response = client.post(
        f"/providers/{objects['a']}/meetings/new/",
        meeting_post(kind="deep_dive", scope="specialty", scope_detail="Cardiac surgery", other_providers=[b.pk]),
    )
    assert response.status_code == 302
    meeting = Meeting.objects.get(kind="deep_dive")
    assert list(meeting.other_providers.all()) == [b]
    assert "Cardiac surgery" in client.get(f"/providers/{objects['b']}/").content.decode()


@pytest.mark.django_db
def test_a_cross_provider_deep_dive_names_its_scope_and_providers(as_user, objects):
    response = as_user("executive_director").post(
        f"/providers/{objects['a']}/meetings/new/", meeting_post(kind="deep_dive", scope="geography")
    )
    text = response.content.decode()
    assert "Name the specialty or geography the deep dive covers." in text
    assert "Choose the other providers the deep dive covers." in text
