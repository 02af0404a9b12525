"""Recorded Zalo OA API and OAuth v4 responses (JSON under responses/), replayed with `responses`."""

import json
from pathlib import Path

import responses

from channels.zalo.adapter import API
from channels.zalo.tokens import TOKEN_URL

RESPONSES = Path(__file__).parent / "responses"
CREATE = f"{API}/v2.0/article/create"
VERIFY = f"{API}/v2.0/article/verify"
UPDATE = f"{API}/v2.0/article/update"
REMOVE = f"{API}/v2.0/article/remove"
SLICE = f"{API}/v2.0/article/getslice"
DETAIL = f"{API}/v2.0/article/getdetail"
BROADCAST = f"{API}/v2.0/oa/message"
GROUP = f"{API}/v3.0/oa/group/message"
TOKEN = TOKEN_URL


def replay(rsps: responses.RequestsMock, method: str, url: str, name: str, **kwargs):
    data = json.loads((RESPONSES / f"{name}.json").read_text(encoding="utf-8"))
    headers = dict(data["headers"])
    content_type = headers.pop("content-type")
    return rsps.add(
        method,
        url,
        body=json.dumps(data["body"]),
        status=data["status"],
        headers=headers,
        content_type=content_type,
        **kwargs,
    )
