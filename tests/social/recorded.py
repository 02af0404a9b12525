"""Recorded Graph API v23 and X API v2 responses (JSON files under responses/), replayed with `responses`."""

import json
from contextlib import contextmanager
from pathlib import Path

import requests
import responses

RESPONSES = Path(__file__).parent / "responses"
GRAPH = "https://graph.facebook.com/v23.0"
X_API = "https://api.twitter.com/2"
UNMATCHED = "Connection refused by Responses"


def recorded(network: str, name: str, **values) -> dict:
    """One recorded response: {"status", "headers", "body"}; header placeholders like {reset} are filled."""
    data = json.loads((RESPONSES / network / f"{name}.json").read_text(encoding="utf-8"))
    for key, value in data["headers"].items():
        for placeholder, filling in values.items():
            value = value.replace(f"{{{placeholder}}}", str(filling))
        data["headers"][key] = value
    return data


def replay(
    rsps: responses.RequestsMock,
    method: str,
    url: str,
    network: str,
    name: str,
    *,
    marker: str = "",
    **values,
):
    """Registers a recorded response; `marker` replaces the recorded delivery marker (hub-7) in the body."""
    data = recorded(network, name, **values)
    headers = dict(data["headers"])
    content_type = headers.pop("content-type")
    body = json.dumps(data["body"])
    if marker:
        body = body.replace("utm_campaign=hub-7", f"utm_campaign={marker}")
    return rsps.add(method, url, body=body, status=data["status"], headers=headers, content_type=content_type)


@contextmanager
def strict_http():
    """Every registered response must be used, and any request nobody registered fails the test."""
    with responses.RequestsMock(assert_all_requests_are_fired=True) as rsps:
        yield rsps
        unmatched = [
            call.request.url
            for call in rsps.calls
            if isinstance(call.response, requests.ConnectionError) and UNMATCHED in str(call.response)
        ]
        assert not unmatched, f"unexpected requests: {unmatched}"
