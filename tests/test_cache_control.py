"""Nothing sent to a signed-in user is kept by a browser or a proxy: every page and download
carries `Cache-Control: private, no-store` (an outside review found none on any page)."""

import pytest
from django.utils.cache import get_max_age

from tests.test_access import MATRIX

pytestmark = [pytest.mark.django_db, pytest.mark.once]

GET_PAGES = sorted(name for name, row in MATRIX.items() if row.get and not row.public)
READERS = ["administrator", "executive_director", "team_member", "committee_member"]


def no_store(response):
    directives = {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives and "public" not in directives


@pytest.mark.parametrize("name", GET_PAGES)
def test_every_page_a_signed_in_user_reads_is_not_stored(name, objects, client, request):
    row = MATRIX[name]
    persona = next(persona for persona in READERS if persona in row.get)
    client.force_login(request.getfixturevalue(persona))
    response = client.get(row.path(objects))
    assert no_store(response), (name, response.status_code, response.get("Cache-Control"))


@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_a_download_is_not_stored(export, objects, administrator, client):
    client.force_login(administrator)
    response = client.get("/contracts/", {"export": export})
    assert response["Content-Disposition"].startswith("attachment")
    assert no_store(response)
    assert get_max_age(response) == 0
