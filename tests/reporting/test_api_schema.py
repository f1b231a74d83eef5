"""Schemathesis against the API's own OpenAPI schema, through the WSGI app, with a token for each
role: no request it generates may end in a server error or a response its schema does not describe.

Bounded for CI: six generated cases per operation, each sent once per role (under a minute on an idle
machine).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.reporting.api_helpers import token_for

pytestmark = [pytest.mark.django_db, pytest.mark.once]
PERSONAS = [
    "team_member",
    "other_team_member",
    "service_director",
    "executive_director",
    "chief_executive",
    "committee_member",
    "administrator",
    "no_role_user",
]


@schemathesis.serializer("text/csv")
def csv_body(ctx, value):
    """The returns.csv body: the generated text as it is."""
    return value.encode() if isinstance(value, str) else str(value).encode()


def api_schema():
    """The schema as /api/v1/schema/ serves it, made without a request, run against the WSGI app.
    (schemathesis.pytest.from_fixture does not work with pytest 9: it reads `node._nodeid`.)"""
    loaded = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    loaded.app = get_wsgi_application()
    # Examples and generated cases, not the coverage phase (hundreds of boundary cases per operation),
    # so it stays inside CI's budget.
    loaded.config.phases.update(phases=["examples", "fuzzing"])
    return loaded


schema = api_schema()


@pytest.fixture
def tokens(objects, request, settings):
    settings.API_RATE_LIMIT = "100000/minute"
    return {persona: token_for(request.getfixturevalue(persona)) for persona in PERSONAS}


@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_the_api_keeps_to_its_schema_for_every_role(case, tokens):
    for persona, token in tokens.items():
        response = case.call(headers={"Authorization": f"Bearer {token}"})
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except Exception as error:
            raise AssertionError(f"as {persona}: {error}") from error
