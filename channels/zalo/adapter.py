"""Zalo Official Accounts through the OA Open API (a thin client on requests, no SDK).

A delivery to one account: an article (title, summary, the Zalo text, the story link carrying the
delivery marker), broadcast to the account's followers in its cities, then the text and the image
as messages in the account's Zalo groups. Each step is recorded in a ZaloPost under the delivery's
marker, so a retry resumes where the last try stopped instead of repeating a step.

What Zalo allows afterwards: an article can be edited and removed; a broadcast or a group message
cannot be edited or recalled through the API, so an update edits the article only and a retraction
removes the article (the broadcast then opens a removed article). Broadcasts target cities, not
follower tags: the API's broadcast recipients are age, gender, region, city and platform only.
"""

import datetime
from typing import Any
from urllib.parse import urljoin

import requests
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from channels.base import ChannelAdapter, PermanentError, Receipt, Target, TransientError
from channels.social.http import with_marker
from channels.tenancy import for_publication
from channels.zalo import tokens
from channels.zalo.alerts import notify_reauthorisation
from channels.zalo.models import ZaloAccount, ZaloPost

API = "https://openapi.zalo.me"
TEXT_MAX = 2000  # characters in one OA text message
TITLE_MAX = 150
DESCRIPTION_MAX = 300
RECENT_ARTICLES = 10
PENDING = "pending"  # a step whose request left and whose answer never came

TOKEN_CODES = frozenset({-216, -220})  # access token invalid / expired
RATE_LIMIT_CODES = frozenset({-32})  # requests per minute exceeded
QUOTA_CODES = frozenset({-211})  # the OA's sending quota is used up until tomorrow
NOT_FOUND_CODES = frozenset({-201, -205})  # invalid id / object does not exist (on removal: already gone)


def _minutes_to_midnight() -> float:
    now = timezone.localtime()
    tomorrow = (now + datetime.timedelta(days=1)).replace(hour=0, minute=5, second=0, microsecond=0)
    return (tomorrow - now).total_seconds()


class ZaloClient:
    """One account's calls: the access token in a header, an explicit timeout, Zalo's errors mapped."""

    def __init__(self, adapter: "ZaloAdapter", account: ZaloAccount):
        self.adapter, self.account = adapter, account
        self.timeout = adapter.timeout
        self.session = requests.Session()

    def call(self, method: str, path: str, *, write: bool, json=None, params=None) -> dict:
        token, version = self.adapter.token(self.account)
        for attempt in (1, 2):
            try:
                response = self.session.request(
                    method,
                    API + path,
                    json=json,
                    params=params,
                    headers={"access_token": token},
                    timeout=self.timeout,
                )
            except requests.ConnectTimeout as error:
                raise TransientError(
                    _("Could not reach Zalo: %(error)s") % {"error": type(error).__name__}
                ) from error
            except requests.RequestException as error:
                raise TransientError(
                    _("Zalo did not answer clearly: %(error)s") % {"error": type(error).__name__},
                    uncertain=write,
                ) from error
            if response.status_code == 429:
                raise TransientError(
                    _("Zalo rate limit (HTTP 429)."), retry_after=_retry_after(response) or 60
                )
            if response.status_code >= 500:
                raise TransientError(
                    _("Zalo is unavailable (HTTP %(status)s).") % {"status": response.status_code},
                    uncertain=write,
                )
            try:
                body = response.json()
            except ValueError:
                raise TransientError(
                    _("Zalo answered something that is not JSON."), uncertain=write
                ) from None
            code = body.get("error", 0)
            if code == 0:
                return body
            if code in TOKEN_CODES and attempt == 1:
                token, version = self.adapter.token(self.account, rejected_version=version)
                continue
            raise self.adapter.error(self.account, body, write=write)
        raise AssertionError("unreachable")


class ZaloAdapter(ChannelAdapter):
    """Articles, broadcasts and group messages on every Official Account covering the story's regions."""

    push = True
    exercise_sandbox = True
    supports_update = True
    supports_retract = True

    def __init__(self, alias: str, params: dict[str, Any]):
        super().__init__(alias, params)
        self.timeout = float(params.get("TIMEOUT") or settings.HUB_HTTP_TIMEOUT)

    @property
    def sandbox(self) -> bool:
        return all(account.is_sandbox for account in ZaloAccount.objects.usable())

    def targets(self, publication) -> list[Target]:
        accounts = for_publication(ZaloAccount.objects.usable(), publication).reaching(
            publication.regions.all()
        )
        return [Target(key=account.target_key, label=account.name) for account in accounts.order_by("pk")]

    def render(self, publication, target: Target) -> dict[str, Any]:
        text = (getattr(publication, "zalo_text", "") or publication.social_text or publication.title).strip()
        if not text:
            raise PermanentError(_("The story has no text for Zalo."))
        if len(text) > TEXT_MAX:
            raise PermanentError(
                _("The Zalo text has %(length)d characters; a message takes at most %(max)d.")
                % {"length": len(text), "max": TEXT_MAX}
            )
        title = publication.title.strip() or text
        if len(title) > TITLE_MAX:
            raise PermanentError(
                _("The title has %(length)d characters; a Zalo article takes at most %(max)d.")
                % {"length": len(title), "max": TITLE_MAX}
            )
        return {
            "title": title,
            "description": (publication.summary or text)[:DESCRIPTION_MAX],
            "text": text,
            "url": publication.url,
            "image_id": publication.image_id,
        }

    # --- accounts, tokens, errors -------------------------------------------------------

    def account(self, target: str, *, exercise: bool = False) -> ZaloAccount:
        """The account behind a target; `exercise` (a drill, or a sandbox post) forces its sandbox mode."""
        prefix, _sep, pk = target.partition(":")
        account = ZaloAccount.objects.filter(pk=pk).first() if prefix == "oa" and pk.isdigit() else None
        if account is None:
            raise PermanentError(_("The Zalo account %(target)s no longer exists.") % {"target": target})
        if account.is_disabled:
            raise PermanentError(
                _("%(name)s needs re-authorisation: %(reason)s")
                % {"name": account.name, "reason": account.disabled_reason},
                disable_target=True,
            )
        if exercise:
            account.force_sandbox = True
        return account

    def token(self, account: ZaloAccount, *, rejected_version: int | None = None) -> tuple[str, int]:
        try:
            return tokens.access_token(account, timeout=self.timeout, rejected_version=rejected_version)
        except tokens.ReauthorisationNeeded as error:
            raise self.reauthorise(account, str(error)) from error

    def reauthorise(self, account: ZaloAccount, reason: str) -> PermanentError:
        """Disables the account, tells its channel managers once, and fails the delivery visibly."""
        if account.disable(reason):
            notify_reauthorisation(account=account)
        return PermanentError(
            _("%(name)s needs re-authorisation: %(reason)s") % {"name": account.name, "reason": reason},
            disable_target=True,
        )

    def error(self, account: ZaloAccount, body: dict, *, write: bool) -> Exception:
        code = body.get("error")
        detail = f"({code}) {body.get('message', '')}".strip()
        if code in RATE_LIMIT_CODES:
            return TransientError(_("Zalo rate limit %(detail)s") % {"detail": detail}, retry_after=60)
        if code in QUOTA_CODES:
            return TransientError(
                _("Zalo sending quota used up %(detail)s") % {"detail": detail},
                retry_after=_minutes_to_midnight(),
            )
        if code in TOKEN_CODES:
            return self.reauthorise(
                account, _("Zalo rejected a freshly refreshed token %(detail)s") % {"detail": detail}
            )
        return PermanentError(_("Zalo refused the request %(detail)s") % {"detail": detail})

    # --- I/O ---------------------------------------------------------------------------

    def send(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt:
        account = self.account(target, exercise=bool(payload.get("exercise")))
        post, _created = ZaloPost.objects.get_or_create(
            account=account,
            marker=marker,
            defaults={
                "organisation_id": account.organisation_id,
                "sandbox": account.is_sandbox,
                "payload": payload,
            },
        )
        if post.completed_at:
            return self._receipt(post)
        if account.is_sandbox:
            return self._sandbox(post, account)
        client = ZaloClient(self, account)
        if not post.article_id:
            if not post.article_token:
                body = client.call(
                    "POST", "/v2.0/article/create", json=self._article(payload, marker), write=True
                )
                post.article_token = str(body["data"]["token"])
                post.save(update_fields=["article_token"])
            try:
                body = client.call(
                    "POST", "/v2.0/article/verify", json={"token": post.article_token}, write=False
                )
            except PermanentError as error:
                if error.disable_target:
                    raise
                # Zalo builds the article asynchronously: until it is ready, verify answers with an error.
                raise TransientError(
                    _("Zalo has not finished the article yet: %(error)s") % {"error": error}, retry_after=10
                ) from error
            post.article_id = str(body["data"]["id"])
            post.save(update_fields=["article_id"])
        if account.broadcast and not post.broadcast_id:
            self._step(
                post,
                "broadcast_id",
                lambda: client.call(
                    "POST", "/v2.0/oa/message", json=self._broadcast(account, post.article_id), write=True
                ),
            )
        for group in account.groups:
            self._group_step(
                post,
                group,
                client,
                {"text": f"{payload['text']}\n{with_marker(payload['url'], marker, source='zalo')}"},
            )
            image = self._image_url(payload.get("image_id"))
            if image:
                self._group_step(
                    post,
                    f"{group}:image",
                    client,
                    {
                        "attachment": {
                            "type": "template",
                            "payload": {
                                "template_type": "media",
                                "elements": [{"media_type": "image", "url": image}],
                            },
                        }
                    },
                    group=group,
                )
        post.completed_at = timezone.now()
        post.save(update_fields=["completed_at"])
        return self._receipt(post)

    def update(self, payload: dict[str, Any], *, target: str, external_id: str, marker: str) -> Receipt:
        """Edits the article in place; broadcasts and group messages cannot be edited through the API."""
        account = self.account(
            target, exercise=bool(payload.get("exercise")) or external_id.startswith("sandbox-")
        )
        post, _created = ZaloPost.objects.get_or_create(
            account=account,
            marker=marker,
            defaults={
                "organisation_id": account.organisation_id,
                "sandbox": account.is_sandbox,
                "payload": payload,
            },
        )
        if not account.is_sandbox and not post.completed_at:
            ZaloClient(self, account).call(
                "POST",
                "/v2.0/article/update",
                json={"id": external_id, **self._article(payload, marker)},
                write=False,
            )
        post.article_id, post.completed_at = external_id, post.completed_at or timezone.now()
        post.save(update_fields=["article_id", "completed_at"])
        return Receipt(external_id=external_id, detail={"updated": True, "sandbox": account.is_sandbox})

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        """Removes the article; a broadcast already delivered then opens a removed article."""
        account = self.account(target, exercise=external_id.startswith("sandbox-"))
        if not account.is_sandbox:
            try:
                ZaloClient(self, account).call(
                    "POST", "/v2.0/article/remove", json={"id": external_id}, write=False
                )
            except PermanentError as error:
                if not any(f"({code})" in str(error) for code in NOT_FOUND_CODES):
                    raise
        ZaloPost.objects.filter(account=account, article_id=external_id).update(removed_at=timezone.now())

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        """A finished post by this marker; else, after an uncertain article creation, the article
        found among the account's recent ones by the marker in its tracking link (send resumes)."""
        account = self.account(target, exercise=bool(payload.get("exercise")))
        post = ZaloPost.objects.filter(account=account, marker=marker).first()
        if post is None or post.completed_at:
            return self._receipt(post) if post else None
        if account.is_sandbox or post.article_id or post.article_token:
            return None
        client = ZaloClient(self, account)
        recent = client.call(
            "GET",
            "/v2.0/article/getslice",
            params={"offset": 0, "limit": RECENT_ARTICLES, "type": "normal"},
            write=False,
        )
        for media in (recent.get("data") or {}).get("medias", []):
            if media.get("title") != payload["title"]:
                continue
            detail = client.call("GET", "/v2.0/article/getdetail", params={"id": media["id"]}, write=False)
            if marker in str((detail.get("data") or {}).get("tracking_link", "")):
                post.article_id = str(media["id"])
                post.save(update_fields=["article_id"])
                break
        return None

    # --- helpers -----------------------------------------------------------------------

    def _step(self, post: ZaloPost, field: str, call) -> None:
        """One write step at most once: marked pending before the call, so an unanswered call is
        not repeated (Zalo has no way to look a broadcast up); a call that never left is."""
        if getattr(post, field) == PENDING:
            return
        setattr(post, field, PENDING)
        post.save(update_fields=[field])
        try:
            body = call()
        except TransientError as error:
            if not error.uncertain:
                setattr(post, field, "")
                post.save(update_fields=[field])
            raise
        except PermanentError:
            setattr(post, field, "")
            post.save(update_fields=[field])
            raise
        setattr(post, field, str((body.get("data") or {}).get("message_id", "")) or "sent")
        post.save(update_fields=[field])

    def _group_step(
        self, post: ZaloPost, key: str, client: ZaloClient, message: dict, *, group: str = ""
    ) -> None:
        if key in post.group_messages:
            return
        post.group_messages[key] = PENDING
        post.save(update_fields=["group_messages"])
        body = {"recipient": {"group_id": group or key}, "message": message}
        try:
            answer = client.call("POST", "/v3.0/oa/group/message", json=body, write=True)
        except TransientError as error:
            if not error.uncertain:
                del post.group_messages[key]
                post.save(update_fields=["group_messages"])
            raise
        except PermanentError:
            del post.group_messages[key]
            post.save(update_fields=["group_messages"])
            raise
        post.group_messages[key] = str((answer.get("data") or {}).get("message_id", "sent"))
        post.save(update_fields=["group_messages"])

    def _article(self, payload: dict[str, Any], marker: str) -> dict[str, Any]:
        link = with_marker(payload["url"], marker, source="zalo")
        article = {
            "type": "normal",
            "title": payload["title"],
            "author": self.params.get("AUTHOR", "") or settings.WAGTAIL_SITE_NAME,
            "description": payload["description"],
            "body": [
                {"type": "text", "content": payload["text"]},
                {"type": "text", "content": link},
            ],
            "tracking_link": link,
            "status": "show",
            "comment": "hide",
        }
        image = self._image_url(payload.get("image_id"))
        if image:
            article["cover"] = {"cover_type": "photo", "photo_url": image, "status": "show"}
        return article

    @staticmethod
    def _broadcast(account: ZaloAccount, article_id: str) -> dict[str, Any]:
        target = {"cities": account.cities} if account.cities else {"gender": "0"}
        return {
            "recipient": {"target": target},
            "message": {
                "attachment": {
                    "type": "template",
                    "payload": {
                        "template_type": "media",
                        "elements": [{"media_type": "article", "attachment_id": article_id}],
                    },
                }
            },
        }

    @staticmethod
    def _image_url(image_id) -> str:
        """The public address of the story image's social card, or empty when there is none."""
        if not image_id:
            return ""
        from media.models import HubImage
        from media.renditions import social_card

        image = HubImage.objects.filter(pk=image_id).first()
        if image is None:
            return ""
        return urljoin(settings.WAGTAILADMIN_BASE_URL, social_card(image).url)

    def _sandbox(self, post: ZaloPost, account: ZaloAccount) -> Receipt:
        post.article_id = post.article_id or f"sandbox-{post.pk}"
        if account.broadcast:
            post.broadcast_id = post.broadcast_id or f"sandbox-{post.pk}"
        post.group_messages = dict.fromkeys(account.groups, f"sandbox-{post.pk}")
        post.completed_at = timezone.now()
        post.save()
        return self._receipt(post)

    @staticmethod
    def _receipt(post: ZaloPost) -> Receipt:
        return Receipt(
            external_id=post.article_id,
            detail={
                "sandbox": post.sandbox,
                "account": post.account.name,
                "broadcast": post.broadcast_id,
                "groups": len(post.group_messages),
            },
        )

    def check(self) -> list[str]:
        problems = []
        accounts = list(ZaloAccount.objects.filter(active=True))
        if not accounts:
            problems.append(
                _("No active Zalo Official Account is set up for %(alias)s.") % {"alias": self.alias}
            )
        for account in accounts:
            if account.is_disabled:
                problems.append(
                    _("%(name)s needs re-authorisation: %(reason)s")
                    % {"name": account.name, "reason": account.disabled_reason}
                )
            elif account.is_sandbox:
                problems.append(
                    _("%(name)s runs in sandbox mode (no app secret or no authorisation).")
                    % {"name": account.name}
                )
        if accounts and not any(settings.CHANNEL_SECRET_KEYS):
            problems.append(_("CHANNEL_SECRET_KEYS is not set: Zalo tokens cannot be stored."))
        return problems


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After") or 0) or None
    except ValueError:
        return None
