"""The served OpenAPI description: valid OpenAPI 3, exactly the contract's endpoints; Schemathesis against it."""

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hsettings
from openapi_spec_validator import validate
from schemathesis.specs.openapi.checks import negative_data_rejection

from channels.sms.api import api
from tests.factories.sms import append

OPENAPI = "/api/sms/v1/openapi.json"


def test_openapi_is_valid_and_describes_exactly_the_contract(client):
    response = client.get(OPENAPI)

    assert response.status_code == 200
    description = response.json()
    validate(description)
    assert description["openapi"].startswith("3.")
    assert {path: sorted(ops) for path, ops in description["paths"].items()} == {
        "/api/sms/v1/messages": ["get"],
        "/api/sms/v1/acks": ["post"],
    }
    assert list(description["components"]["securitySchemes"].values()) == [
        {"type": "http", "scheme": "bearer"}
    ]
    feed = description["paths"]["/api/sms/v1/messages"]["get"]
    assert set(feed["responses"]) == {"200", "304", "400", "401", "429"}
    assert "ETag" in feed["responses"]["200"]["headers"]
    assert "Retry-After" in feed["responses"]["429"]["headers"]


schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/sms/v1/"))
schema.app = get_wsgi_application()


@pytest.fixture
def feed_with_messages(regions, settings):
    """Two messages; the test's database connection stays open across WSGI requests (as the test client does)."""
    settings.SMS_RATE_LIMIT = 1_000_000
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    append(regions=[regions["city"]])
    append(regions=[regions["province"]])
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@hsettings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
def test_schemathesis_finds_no_server_error_nor_schema_violation(case, feed_with_messages, key_a):
    """Generated requests (valid and invalid) never cause a 5xx nor an answer outside the description.

    Unknown query parameters are ignored on purpose (clients may send newer ones), so the
    check that expects them to be rejected is left out.
    """
    case.call_and_validate(
        # The in-process WSGI transport does not decode gzip, which the feed applies when asked.
        headers={"Authorization": f"Bearer {key_a}", "Accept-Encoding": "identity"},
        excluded_checks=[negative_data_rejection],
    )
