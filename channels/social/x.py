"""X accounts through tweepy's Client (API v2): post, delete, reconcile.

No edit: the v2 API has no endpoint to edit a post (edits exist only in X's own apps, for a short
window), so an update of the story is not pushed to X (`supports_update = False`).
"""

import hashlib
import logging
import time
from typing import Any

import requests
import tweepy
from django.utils.translation import gettext as _

from channels import textlimits
from channels.base import PermanentError, Receipt, Target, TransientError
from channels.social.adapter import SocialAdapter
from channels.social.http import TimeoutSession, has_marker, with_marker
from channels.social.models import ChannelAccount, Network, SandboxPost

RECENT_POSTS = 20
DUPLICATE_HINT = "duplicate content"

# tweepy logs request headers (the bearer token) and oauthlib the signing keys at DEBUG:
# never let those records out, whatever the log level.
for _logger in ("tweepy.client", "requests_oauthlib", "oauthlib"):
    logging.getLogger(_logger).setLevel(logging.INFO)


def post_text(payload: dict[str, Any], marker: str) -> str:
    """The post of a payload frozen before posts were: the text and the link tagged with `marker`."""
    return f"{payload['text']} {with_marker(payload['url'], marker, source='x')}"


# X wraps every link in a 23-character t.co link; the story's link is weighed as such, also when
# the portal runs on a host X would not link (localhost, a test server).
TCO_LINK = "https://t.co/" + "x" * 10


def post_weight(text: str) -> int:
    """The post's weighted length: the text, a space and the story's link (23), as X counts it."""
    return textlimits.measure_x(f"{text} {TCO_LINK}").weighted


def post_marker(publication, target: Target | None, text: str) -> str:
    """The marker the post's link carries, known before the publication exists (at approval):
    the same story, account, text and link give the same marker, so what the approver saw is sent."""
    key = "|".join([str(publication.page_id or ""), getattr(target, "key", ""), text, publication.url or ""])
    return "hub-" + hashlib.sha256(key.encode()).hexdigest()[:12]


class XAdapter(SocialAdapter):
    """Posts to every X account whose regions overlap the story's."""

    network = Network.X
    supports_update = False
    supports_retract = True

    def compose(self, publication, target: Target | None) -> dict[str, Any]:
        """The post as it will be sent (text, space, tagged link), not yet checked against the limit."""
        text = textlimits.normalize((publication.social_text or publication.title).strip())
        marker = post_marker(publication, target, text)
        post = f"{text} {with_marker(publication.url, marker, source='x')}"
        return {
            "text": text,
            "url": publication.url,
            "marker": marker,
            "post": post,
            "weighted_length": post_weight(text),
        }

    def render(self, publication, target: Target) -> dict[str, Any]:
        """Text and link, measured as X counts them (URLs 23, Vietnamese letters and emoji 2)."""
        payload = self.compose(publication, target)
        if not payload["text"]:
            raise PermanentError(_("The story has no text for X."))
        if payload["weighted_length"] > textlimits.X_MAX_WEIGHTED:
            raise PermanentError(
                _("The post is %(weighted)s of %(max)s characters on X; shorten the social text.")
                % {"weighted": payload["weighted_length"], "max": textlimits.X_MAX_WEIGHTED}
            )
        return payload

    # --- I/O ------------------------------------------------------------------------

    def client(self, account: ChannelAccount, timeout: float | None = None) -> tweepy.Client:
        """A v2 client that never sleeps on rate limits and never waits without a timeout."""
        if account.uses_oauth1:
            client = tweepy.Client(
                consumer_key=account.secret(account.consumer_key_env),
                consumer_secret=account.secret(account.consumer_secret_env),
                access_token=account.secret(account.token_env),
                access_token_secret=account.secret(account.token_secret_env),
                wait_on_rate_limit=False,
            )
        else:  # an OAuth 2.0 user-context token is sent as a bearer token
            client = tweepy.Client(bearer_token=account.secret(account.token_env), wait_on_rate_limit=False)
        client.session = TimeoutSession(self.call_timeout(timeout))
        return client

    def send(
        self, payload: dict[str, Any], *, target: str, marker: str, timeout: float | None = None
    ) -> Receipt:
        account = self.account(target, exercise=bool(payload.get("exercise")))
        text = payload.get("post") or post_text(payload, marker)  # the frozen post, byte for byte
        weighted = post_weight(payload["text"])
        if weighted > textlimits.X_MAX_WEIGHTED:
            raise PermanentError(
                _("The post is %(weighted)s of %(max)s characters on X.")
                % {"weighted": weighted, "max": textlimits.X_MAX_WEIGHTED}
            )
        if account.is_sandbox:
            return self.record_sandbox(
                account, SandboxPost.Action.SEND, {**payload, "sent_text": text}, marker=marker
            )
        try:
            response = self.client(account, timeout).create_tweet(text=text, user_auth=account.uses_oauth1)
        except tweepy.Forbidden as error:
            if DUPLICATE_HINT not in str(error).lower():
                raise PermanentError(_("X refused the post: %(error)s") % {"error": error}) from error
            found = self.reconcile(payload, target=target, marker=marker)
            if found is None:
                raise TransientError(
                    _("X says this is a duplicate, but the post was not found yet."), uncertain=True
                ) from error
            return found
        except (tweepy.TweepyException, requests.RequestException) as error:
            raise self._error(error, account, write=True) from error
        return self._receipt(account, response.data["id"])

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        account = self.account(target, exercise=external_id.startswith("sandbox-"))
        if account.is_sandbox:
            self.record_sandbox(
                account, SandboxPost.Action.RETRACT, {"reason": reason}, external_id=external_id
            )
            return
        try:
            self.client(account).delete_tweet(external_id, user_auth=account.uses_oauth1)
        except tweepy.NotFound:
            return  # already gone
        except (tweepy.TweepyException, requests.RequestException) as error:
            raise self._error(error, account, write=False) from error

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        """Looks through the account's recent posts for one whose link carries this delivery's marker."""
        account = self.account(target, exercise=bool(payload.get("exercise")))
        if account.is_sandbox:
            return self.sandbox_receipt(account, marker=marker)
        client = self.client(account)
        try:
            if not account.account_id:
                account.account_id = str(client.get_me(user_auth=account.uses_oauth1).data["id"])
                ChannelAccount.objects.filter(pk=account.pk).update(account_id=account.account_id)
            response = client.get_users_tweets(
                account.account_id,
                max_results=RECENT_POSTS,
                tweet_fields=["created_at", "entities"],
                user_auth=account.uses_oauth1,
            )
        except (tweepy.TweepyException, requests.RequestException) as error:
            raise self._error(error, account, write=False) from error
        markers = [found for found in (payload.get("marker"), marker) if found]
        for tweet in response.data or []:
            urls = (tweet.entities or {}).get("urls", [])
            texts = [tweet.text, *(url.get("expanded_url") for url in urls)]
            if any(has_marker(texts, candidate) for candidate in markers):
                return self._receipt(account, tweet.id)
        return None

    # --- helpers ----------------------------------------------------------------------

    @staticmethod
    def _receipt(account: ChannelAccount, tweet_id) -> Receipt:
        handle = account.handle.lstrip("@") or "i/web"
        return Receipt(external_id=str(tweet_id), url=f"https://x.com/{handle}/status/{tweet_id}")

    def _error(self, error: Exception, account: ChannelAccount, *, write: bool) -> Exception:
        """Turns a tweepy or transport error into the pipeline's transient or permanent error."""
        if isinstance(error, tweepy.TooManyRequests):
            retry_after = max(error.reset_time - time.time(), 1.0) if error.reset_time else None
            return TransientError(_("X rate limit reached."), retry_after=retry_after)
        if isinstance(error, tweepy.Unauthorized):
            return self.disable(account, _("X rejected the account's credentials (401)."))
        if isinstance(error, tweepy.TwitterServerError):
            return TransientError(_("X is unavailable: %(error)s") % {"error": error}, uncertain=write)
        if isinstance(error, requests.ConnectTimeout):
            return TransientError(_("Could not reach X: %(error)s") % {"error": type(error).__name__})
        if isinstance(error, requests.RequestException):
            what = type(error).__name__
            return TransientError(_("X did not answer clearly: %(error)s") % {"error": what}, uncertain=write)
        return PermanentError(_("X refused the request: %(error)s") % {"error": error})
