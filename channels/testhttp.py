"""A push channel for tests and benchmarks: JSON over HTTP to a server on 127.0.0.1.

The server API: POST /posts {marker, target, payload} → {"id"}; PUT and DELETE /posts/<id>;
GET /posts?marker=<m> → {"id"} or 404. Configure with URL (the base) and TIMEOUT (seconds).
"""

import threading
import time
from typing import Any
from urllib.parse import urlsplit

import requests
from django.core.exceptions import ImproperlyConfigured

from channels.base import ChannelAdapter, PermanentError, Receipt, Target, TransientError

_local = threading.local()


def _session() -> requests.Session:
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


class TestHttpAdapter(ChannelAdapter):
    __test__ = False  # not a pytest test class
    push = True
    supports_update = True
    supports_retract = True
    required_params = ("URL",)

    def __init__(self, alias: str, params: dict[str, Any]):
        super().__init__(alias, params)
        self.base = params["URL"].rstrip("/")
        if urlsplit(self.base).hostname not in {"127.0.0.1", "localhost"}:
            raise ImproperlyConfigured(f"Channel {alias!r}: the test channel only talks to 127.0.0.1.")
        self.timeout = float(params.get("TIMEOUT", 2))
        # Tests switch abilities off per alias to see how the pipeline copes without them.
        self.supports_update = bool(params.get("UPDATE", True))
        self.supports_retract = bool(params.get("RETRACT", True))

    def targets(self, publication) -> list[Target]:
        return [Target(self.params.get("TARGET", "main"), self.params.get("LABEL", self.alias))]

    def render(self, publication, target: Target) -> dict[str, Any]:
        text = publication.social_text or publication.title
        limit = int(self.params.get("MAX_LENGTH", 10_000))
        if len(text) > limit:
            raise PermanentError(f"The post is {len(text)} characters; this channel takes {limit}.")
        return {
            "text": text,
            "url": publication.url,
            "kind": publication.kind,
            "priority": publication.priority,
        }

    def _call(self, method: str, path: str, timeout: float | None = None, **kwargs) -> requests.Response:
        # The connect and the read each get half of a caller's deadline: together they stay within it.
        limit = self.timeout if timeout is None else min(self.timeout, timeout / 2)
        try:
            response = _session().request(method, self.base + path, timeout=limit, **kwargs)
        except requests.ConnectTimeout as exc:
            raise TransientError(f"{self.alias}: cannot connect: {exc}") from exc
        except (requests.Timeout, requests.ConnectionError) as exc:
            # The request may have reached the server: reconcile before sending again.
            raise TransientError(f"{self.alias}: no answer: {exc}", uncertain=True) from exc
        if response.status_code == 429:
            retry_after = float(response.headers.get("Retry-After") or 0) or None
            raise TransientError(f"{self.alias}: rate limited", retry_after=retry_after)
        if response.status_code >= 500:
            raise TransientError(f"{self.alias}: server error {response.status_code}", uncertain=True)
        return response

    def _receipt(self, response: requests.Response) -> Receipt:
        if response.status_code >= 400:
            raise PermanentError(f"{self.alias}: refused ({response.status_code}): {response.text[:200]}")
        return Receipt(external_id=str(response.json()["id"]))

    def send(
        self, payload: dict[str, Any], *, target: str, marker: str, timeout: float | None = None
    ) -> Receipt:
        body = {"marker": marker, "target": target, "payload": payload}
        response = self._call("POST", "/posts", timeout, json=body)
        return self._receipt(response)

    def update(
        self,
        payload: dict[str, Any],
        *,
        target: str,
        external_id: str,
        marker: str,
        timeout: float | None = None,
    ) -> Receipt:
        body = {"marker": marker, "payload": payload}
        response = self._call("PUT", f"/posts/{external_id}", timeout, json=body)
        return self._receipt(response)

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        response = self._call("DELETE", f"/posts/{external_id}")
        if response.status_code not in (200, 204, 404):  # 404: already gone
            raise PermanentError(f"{self.alias}: refused to delete ({response.status_code})")

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        response = self._call("GET", "/posts", params={"marker": marker})
        if response.status_code == 404:
            return None
        return self._receipt(response)


class TestChannelServer:
    """A channel on 127.0.0.1 that keeps its own record of posts per marker, with injected faults.

    `fail_rate`: 500 without effect; `effect_fail_rate`: the post is made, then 500; `hang_rate`:
    the post is made, then no answer for `hang_seconds`. `script` forces the next POST outcomes
    in order ("ok", "500", "effect500", "hang", "429:<seconds>", "400").
    """

    __test__ = False

    def __init__(self, *, fail_rate=0.0, effect_fail_rate=0.0, hang_rate=0.0, hang_seconds=3.0, seed=None):
        import random

        self.fail_rate, self.effect_fail_rate, self.hang_rate = fail_rate, effect_fail_rate, hang_rate
        self.hang_seconds = hang_seconds
        self.random = random.Random(seed)
        self.lock = threading.Lock()
        self.posts: dict[str, dict[str, Any]] = {}
        self.by_marker: dict[str, list[str]] = {}
        self.arrivals: list[str] = []
        self.arrived_at: dict[str, float] = {}
        self.script: list[str] = []
        self.requests = 0
        self.httpd = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def start(self) -> "TestChannelServer":
        from http.server import ThreadingHTTPServer

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.httpd.handle_error = lambda request, address: None  # clients that timed out and left
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.httpd:
            self.httpd.shutdown()
            self.httpd.server_close()

    def live_posts(self) -> list[dict[str, Any]]:
        with self.lock:
            return [post for post in self.posts.values() if not post["deleted"]]

    def next_fault(self) -> str:
        with self.lock:
            if self.script:
                return self.script.pop(0)
            roll = self.random.random()
        if roll < self.fail_rate:
            return "500"
        if roll < self.fail_rate + self.effect_fail_rate:
            return "effect500"
        if roll < self.fail_rate + self.effect_fail_rate + self.hang_rate:
            return "hang"
        return "ok"

    def create(self, body: dict[str, Any]) -> str:
        with self.lock:
            post_id = f"p{len(self.posts) + 1}"
            self.posts[post_id] = {**body, "id": post_id, "deleted": False, "updates": 0}
            self.by_marker.setdefault(body.get("marker", ""), []).append(post_id)
            self.arrivals.append(body.get("marker", ""))
            self.arrived_at.setdefault(body.get("marker", ""), time.time())
            return post_id


def _handler_for(server: TestChannelServer):
    import json
    from http.server import BaseHTTPRequestHandler
    from urllib.parse import parse_qs

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes: no 40 ms ACK wait

        def log_message(self, *args) -> None:
            """Quiet."""

        def reply(self, status: int, body: dict | None = None, headers: dict | None = None) -> None:
            data = json.dumps(body or {}).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)

        def body(self) -> dict | None:
            """The JSON body, or None when the client went away before sending all of it."""
            length = int(self.headers.get("Content-Length") or 0)
            data = self.rfile.read(length)
            if len(data) < length:
                return None
            return json.loads(data or b"{}")

        def do_POST(self) -> None:
            body = self.body()
            if not body or not body.get("marker"):
                self.close_connection = True
                return self.reply(400, {"error": "incomplete request"})
            with server.lock:
                server.requests += 1
            fault = server.next_fault()
            if fault == "500":
                return self.reply(500, {"error": "injected"})
            if fault == "400":
                return self.reply(400, {"error": "rejected"})
            if fault.startswith("429"):
                return self.reply(
                    429, {"error": "slow down"}, {"Retry-After": fault.partition(":")[2] or "1"}
                )
            post_id = server.create(body)
            if fault == "effect500":
                return self.reply(500, {"error": "injected after effect"})
            if fault == "hang":
                time.sleep(server.hang_seconds)
            return self.reply(201, {"id": post_id})

        def do_GET(self) -> None:
            marker = parse_qs(self.path.partition("?")[2]).get("marker", [""])[0]
            with server.lock:
                ids = [i for i in server.by_marker.get(marker, []) if not server.posts[i]["deleted"]]
            if ids:  # a post taken down is gone, as on a real network
                return self.reply(200, {"id": ids[0]})
            return self.reply(404, {"error": "not found"})

        def do_PUT(self) -> None:
            body = self.body() or {}
            post_id = self.path.rsplit("/", 1)[-1]
            with server.lock:
                post = server.posts.get(post_id)
                if post:
                    post["payload"] = body.get("payload")
                    post["updates"] += 1
            return self.reply(200, {"id": post_id}) if post else self.reply(404, {"error": "not found"})

        def do_DELETE(self) -> None:
            post_id = self.path.rsplit("/", 1)[-1]
            with server.lock:
                post = server.posts.get(post_id)
                if post:
                    post["deleted"] = True
            self.send_response(204 if post else 404)
            self.send_header("Content-Length", "0")
            self.end_headers()

    return Handler
