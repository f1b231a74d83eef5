"""List parameters are validated on every page: a bad `per_page`, `page`, `sort` or `period`
gives the first page (or a 400), never a 500.

Every page of the access matrix that serves a GET is walked with each bad value, as a persona
who may read it. An outside review found `?per_page=-1` gave a 500 on five list pages.
"""

import pytest

from tests.test_access import MATRIX

pytestmark = [pytest.mark.django_db, pytest.mark.once]

BAD = [
    {"per_page": "-1"},
    {"per_page": "0"},
    {"per_page": "abc"},
    {"per_page": "99999999999999999999"},
    {"per_page": "1e9"},
    {"page": "abc"},
    {"page": "-1"},
    {"page": "0"},
    {"page": "99999999999999999999"},
    {"sort": "nonsense"},
    {"sort": "-"},
    {"sort": "__class__"},
    {"sort": "provider__password"},
    {"period": "2026-13"},
    {"period": "0000-00"},
    {"period": "abc"},
    {"per_page": "-1", "page": "abc", "sort": "nonsense", "period": "2026-13"},
]

GET_PAGES = sorted(name for name, row in MATRIX.items() if row.get and not row.public)
READERS = ["administrator", "executive_director", "team_member", "committee_member"]


@pytest.mark.parametrize("name", GET_PAGES)
def test_bad_list_parameters_give_the_first_page_or_a_400(name, objects, client, request):
    row = MATRIX[name]
    persona = next(persona for persona in READERS if persona in row.get)
    client.force_login(request.getfixturevalue(persona))
    client.raise_request_exception = False  # list every failure, not only the first
    path = row.path(objects).split("?")[0]
    problems = []
    for params in BAD:
        response = client.get(path, params)
        if response.status_code not in (200, 302, 400, 404):
            problems.append(f"{path}?{'&'.join(f'{k}={v}' for k, v in params.items())}: {response.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", ["/providers/", "/contracts/", "/indicators/"])
def test_a_negative_page_size_shows_the_first_page_at_the_usual_size(path, objects, administrator, client):
    client.force_login(administrator)
    assert client.get(path, {"per_page": "-1"}).status_code == 200
