"""HTTP plumbing shared by the social adapters: a session with a default timeout, and markers."""

import re
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

import requests

MARKER_PARAM = "utm_campaign"
_URL = re.compile(r"https?://\S+")


class TimeoutSession(requests.Session):
    """A requests session that never waits forever: clients that pass no timeout get ours."""

    def __init__(self, timeout: float):
        super().__init__()
        self.timeout = timeout

    def request(self, method, url, *args, **kwargs):
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        return super().request(method, url, *args, **kwargs)


def with_marker(url: str, marker: str, *, source: str) -> str:
    """The story link tagged for analytics; `utm_campaign` carries the delivery marker for reconcile."""
    parts = urlsplit(url)
    query = [(key, value) for key, value in parse_qsl(parts.query) if not key.startswith("utm_")]
    query += [("utm_source", source), ("utm_medium", "social"), (MARKER_PARAM, marker)]
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


def has_marker(texts, marker: str) -> bool:
    """Whether any URL in `texts` (links, messages, expanded URLs) carries the delivery marker."""
    for text in texts:
        for url in _URL.findall(text or ""):
            if (MARKER_PARAM, marker) in parse_qsl(urlsplit(url).query):
                return True
    return False
