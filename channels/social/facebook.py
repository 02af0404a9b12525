"""Facebook Pages through facebook-sdk's GraphAPI: post (text + link, or photo), edit, delete, reconcile.

facebook-sdk is old, so `Graph` is a thin subclass: a current API version, an explicit timeout,
and the Page token in an `Authorization` header instead of the URL or the body.
"""

import json
from typing import Any

import facebook
import requests
from django.utils.translation import gettext as _

from channels.base import PermanentError, Receipt, Target, TransientError
from channels.social.adapter import SocialAdapter
from channels.social.http import TimeoutSession, has_marker, with_marker
from channels.social.models import ChannelAccount, Network, SandboxPost

GRAPH_VERSION = "v23.0"
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613, 80001})
TEMPORARY_CODES = frozenset({1, 2})
TOKEN_CODES = frozenset({102, 190})
DUPLICATE_CODE = 506
POLICY_CODE = 368
RECENT_POSTS = 25


class ServerError(Exception):
    """Graph answered 5xx: the request may or may not have taken effect."""

    def __init__(self, response: requests.Response):
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class Graph(facebook.GraphAPI):
    """GraphAPI with the token in a header, a current version, a timeout and the last response kept."""

    def __init__(self, token: str, *, version: str = GRAPH_VERSION, timeout: float):
        session = TimeoutSession(timeout)
        session.headers["Authorization"] = f"OAuth {token}"
        session.hooks["response"].append(self._keep)
        super().__init__(access_token=None, timeout=timeout, session=session)
        self.version = version  # the constructor only accepts versions up to 3.1
        self.last_response: requests.Response | None = None

    def _keep(self, response: requests.Response, *args, **kwargs) -> None:
        self.last_response = response
        if response.status_code >= 500:
            raise ServerError(response)

    def call(self, path: str, *, method: str = "GET", args=None, data=None, files=None) -> dict:
        return self.request(f"{self.version}/{path}", args=args, post_args=data, files=files, method=method)


def regain_after(headers) -> float | None:
    """Seconds until Facebook lifts a rate limit, from the usage headers' estimated_time_to_regain_access."""
    minutes = []
    for name in ("x-business-use-case-usage", "x-app-usage", "x-ad-account-usage"):
        try:
            usage = json.loads(headers.get(name) or "null")
        except ValueError:
            continue
        stack = [usage]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                value = item.get("estimated_time_to_regain_access")
                if isinstance(value, int | float) and value > 0:
                    minutes.append(value)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
    return max(minutes) * 60 if minutes else None


class FacebookAdapter(SocialAdapter):
    """Posts to every Facebook Page whose regions overlap the story's."""

    network = Network.FACEBOOK
    supports_update = True
    supports_retract = True

    def __init__(self, alias: str, params: dict[str, Any]):
        super().__init__(alias, params)
        self.version = params.get("GRAPH_VERSION") or GRAPH_VERSION

    def render(self, publication, target: Target) -> dict[str, Any]:
        """Message, link and the image to post as a photo (its social card is made at send time)."""
        message = (publication.social_text or publication.title).strip()
        if not message:
            raise PermanentError(_("The story has no text for Facebook."))
        return {"message": message, "link": publication.url, "image_id": publication.image_id}

    # --- I/O ------------------------------------------------------------------------

    def graph(self, account: ChannelAccount, timeout: float | None = None) -> Graph:
        return Graph(
            account.secret(account.token_env), version=self.version, timeout=self.call_timeout(timeout)
        )

    def send(
        self, payload: dict[str, Any], *, target: str, marker: str, timeout: float | None = None
    ) -> Receipt:
        account = self.account(target, exercise=bool(payload.get("exercise")))
        if account.is_sandbox:
            return self.record_sandbox(account, SandboxPost.Action.SEND, payload, marker=marker)
        graph = self.graph(account, timeout)
        link = with_marker(payload["link"], marker, source="facebook")
        try:
            image = self._social_card(payload.get("image_id"))
            if image is None:
                result = graph.call(
                    f"{account.account_id}/feed", data={"message": payload["message"], "link": link}
                )
            else:
                with image.file.open("rb") as source:
                    files = {"source": (f"card-{payload['image_id']}.jpg", source.read(), "image/jpeg")}
                result = graph.call(
                    f"{account.account_id}/photos",
                    data={"message": f"{payload['message']}\n\n{link}"},
                    files=files,
                )
        except facebook.GraphAPIError as error:
            if _code(error) != DUPLICATE_CODE:
                raise self._error(error, account, graph, write=True) from error
            found = self.reconcile(payload, target=target, marker=marker)
            if found is None:
                raise TransientError(
                    _("Facebook says this is a duplicate, but the post was not found yet."), uncertain=True
                ) from error
            return found
        except (ServerError, requests.RequestException) as error:
            raise _transport_error(error, write=True) from error
        post_id = str(result.get("post_id") or result["id"])
        return Receipt(external_id=post_id, url=f"https://www.facebook.com/{post_id}")

    def update(self, payload: dict[str, Any], *, target: str, external_id: str, marker: str) -> Receipt:
        account = self.account(
            target, exercise=bool(payload.get("exercise") or external_id.startswith("sandbox-"))
        )
        if account.is_sandbox:
            return self.record_sandbox(
                account, SandboxPost.Action.UPDATE, payload, marker=marker, external_id=external_id
            )
        graph = self.graph(account)
        message = payload["message"]
        if payload.get("image_id"):
            message = f"{message}\n\n{with_marker(payload['link'], marker, source='facebook')}"
        try:
            graph.call(external_id, data={"message": message})
        except facebook.GraphAPIError as error:
            raise self._error(error, account, graph, write=False) from error
        except (ServerError, requests.RequestException) as error:
            raise _transport_error(error, write=False) from error
        return Receipt(external_id=external_id, url=f"https://www.facebook.com/{external_id}")

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        account = self.account(target, exercise=external_id.startswith("sandbox-"))
        if account.is_sandbox:
            self.record_sandbox(
                account, SandboxPost.Action.RETRACT, {"reason": reason}, external_id=external_id
            )
            return
        graph = self.graph(account)
        try:
            graph.call(external_id, method="DELETE")
        except facebook.GraphAPIError as error:
            if _already_gone(error, graph):
                return
            raise self._error(error, account, graph, write=False) from error
        except (ServerError, requests.RequestException) as error:
            raise _transport_error(error, write=False) from error

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        """Looks through the Page's recent posts for one carrying this delivery's marker."""
        account = self.account(target, exercise=bool(payload.get("exercise")))
        if account.is_sandbox:
            return self.sandbox_receipt(account, marker=marker)
        graph = self.graph(account)
        try:
            result = graph.call(
                f"{account.account_id}/posts",
                args={"fields": "id,message,link,created_time", "limit": RECENT_POSTS},
            )
        except facebook.GraphAPIError as error:
            raise self._error(error, account, graph, write=False) from error
        except (ServerError, requests.RequestException) as error:
            raise _transport_error(error, write=False) from error
        for post in result.get("data", []):
            if has_marker([post.get("link"), post.get("message")], marker):
                return Receipt(external_id=post["id"], url=f"https://www.facebook.com/{post['id']}")
        return None

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _social_card(image_id):
        """The 1200×630 rendition of the story's image, or None to post a plain link."""
        if not image_id:
            return None
        from media.models import HubImage
        from media.renditions import social_card

        image = HubImage.objects.filter(pk=image_id).first()
        return social_card(image) if image else None

    def _error(self, error: facebook.GraphAPIError, account: ChannelAccount, graph: Graph, *, write: bool):
        """Turns a Graph error into the pipeline's transient or permanent error."""
        body = error.result.get("error", {}) if isinstance(error.result, dict) else {}
        code, subcode = _code(error), body.get("error_subcode")
        detail = f"({code}{f'/{subcode}' if subcode else ''}) {error.message}"
        if code in TOKEN_CODES:
            return self.disable(
                account, _("Facebook rejected the Page token %(detail)s") % {"detail": detail}
            )
        if code in RATE_LIMIT_CODES:
            headers = graph.last_response.headers if graph.last_response is not None else {}
            return TransientError(
                _("Facebook rate limit %(detail)s") % {"detail": detail}, retry_after=regain_after(headers)
            )
        if code in TEMPORARY_CODES or body.get("is_transient"):
            return TransientError(
                _("Facebook is temporarily unavailable %(detail)s") % {"detail": detail}, uncertain=write
            )
        if code == POLICY_CODE:
            return PermanentError(
                _("Facebook blocked the post under its policies %(detail)s") % {"detail": detail}
            )
        return PermanentError(_("Facebook refused the request %(detail)s") % {"detail": detail})


def _already_gone(error: facebook.GraphAPIError, graph: Graph) -> bool:
    """The post was deleted already (HTTP 404, or Graph's 100/33 "does not exist")."""
    body = error.result.get("error", {}) if isinstance(error.result, dict) else {}
    status = graph.last_response.status_code if graph.last_response is not None else None
    return status == 404 or (error.code == 100 and body.get("error_subcode") == 33)


def _code(error: facebook.GraphAPIError) -> int | None:
    return error.code


def _transport_error(error: Exception, *, write: bool) -> TransientError:
    """Timeouts, dropped connections and 5xx: retry; a write may have landed, so reconcile first."""
    what = str(error) if isinstance(error, ServerError) else type(error).__name__
    if isinstance(error, requests.ConnectTimeout):
        return TransientError(_("Could not reach Facebook: %(error)s") % {"error": what})
    return TransientError(_("Facebook did not answer clearly: %(error)s") % {"error": what}, uncertain=write)
