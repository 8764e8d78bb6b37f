"""Property-based API testing: schemathesis generates requests from the OpenAPI document and checks
that no response is a 5xx, that every status code is documented and every response matches its schema."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from livret.api.models import ApiToken
from livret.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture
def token(world):
    return ApiToken.issue(world.users["trainer_a"], "schemathesis")[1]


@pytest.mark.django_db(transaction=True)
@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_conforms_to_its_schema(case, token):
    case.call_and_validate(
        # The WSGI client does not inflate gzip; compression itself is tested in
        # tests/web/test_compression.py.
        headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            response_schema_conformance,
            content_type_conformance,
        ],
    )
