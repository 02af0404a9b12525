"""Zalo OAuth v4 tokens: encrypted at rest, refreshed by one worker at a time.

Zalo's refresh token is single-use: each refresh returns a new one and burns the old. Two workers
refreshing at once would burn the token twice and lock the account out, so a refresh runs under a
lock: SELECT … FOR UPDATE where the database has it (PostgreSQL), otherwise a compare-and-swap
lease on the row (`token_version` and `refresh_lock_until`), which SQLite's single writer honours.
The other worker waits, then uses the fresh access token.
"""

import datetime
import time
import uuid

import requests
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from channels.base import TransientError
from channels.zalo.models import ZaloAccount

TOKEN_URL = "https://oauth.zaloapp.com/v4/oa/access_token"
EXPIRY_MARGIN = datetime.timedelta(minutes=5)  # refresh a little before Zalo's 25-hour expiry
REFRESH_LEASE = datetime.timedelta(seconds=60)
WAIT_STEP = 0.05


class ReauthorisationNeeded(Exception):
    """Zalo refused the refresh token (expired, revoked or already used): a person must authorise again."""


def _fernet() -> MultiFernet:
    keys = [key for key in settings.CHANNEL_SECRET_KEYS if key]
    if not keys:
        raise ImproperlyConfigured(
            "CHANNEL_SECRET_KEYS is not set: Zalo tokens are stored encrypted with it "
            "(generate a key with cryptography.fernet.Fernet.generate_key())."
        )
    try:
        return MultiFernet([Fernet(key) for key in keys])
    except ValueError as error:
        raise ImproperlyConfigured(f"CHANNEL_SECRET_KEYS holds an invalid Fernet key: {error}") from None


def encrypt(value: str) -> str:
    return _fernet().encrypt(value.encode()).decode("ascii") if value else ""


def decrypt(value: str) -> str:
    if not value:
        return ""
    try:
        return _fernet().decrypt(value.encode("ascii")).decode()
    except InvalidToken:
        raise ImproperlyConfigured(
            "A stored Zalo token cannot be decrypted with CHANNEL_SECRET_KEYS (was the key replaced? "
            "keep the old key after the new one until every account has refreshed)."
        ) from None


def store_tokens(account: ZaloAccount, *, access_token: str, refresh_token: str, expires_in) -> None:
    """Saves a fresh pair (after authorisation or a refresh) and clears any disabled state."""
    now = timezone.now()
    ZaloAccount.objects.filter(pk=account.pk).update(
        access_token_encrypted=encrypt(access_token),
        refresh_token_encrypted=encrypt(refresh_token),
        access_token_expires_at=now + datetime.timedelta(seconds=int(expires_in or 0)),
        token_version=F("token_version") + 1,
        refresh_lock_until=None,
        refresh_lock_owner="",
        refreshed_at=now,
        disabled_at=None,
        disabled_reason="",
    )
    account.refresh_from_db()


def access_token(
    account: ZaloAccount, *, timeout: float, rejected_version: int | None = None
) -> tuple[str, int]:
    """A valid access token and its version; refreshes it (once, across workers) when it is due.

    `rejected_version`: Zalo refused the token of that version, so it must be replaced even if it
    has not expired yet (unless another worker already did).
    """
    deadline = time.monotonic() + timeout * 2 + 5
    use_row_lock = connection.features.has_select_for_update and not settings.ZALO_TOKEN_CAS_ONLY
    while True:
        row = ZaloAccount.objects.get(pk=account.pk)
        if row.is_disabled:
            raise ReauthorisationNeeded(row.disabled_reason)
        if _usable(row, rejected_version):
            return decrypt(row.access_token_encrypted), row.token_version
        if use_row_lock:
            return _refresh_locked(row.pk, rejected_version, timeout=timeout)
        result = _refresh_swapped(row, timeout=timeout)
        if result is not None:
            return result
        if time.monotonic() > deadline:
            raise TransientError(_("Another worker is still refreshing the Zalo token."))
        time.sleep(WAIT_STEP)  # another worker holds the lease: wait for its new token


def _usable(row: ZaloAccount, rejected_version: int | None) -> bool:
    if not row.access_token_encrypted or row.access_token_expires_at is None:
        return False
    if rejected_version is not None and row.token_version <= rejected_version:
        return False
    return row.access_token_expires_at - EXPIRY_MARGIN > timezone.now()


def _refresh_locked(pk: int, rejected_version: int | None, *, timeout: float) -> tuple[str, int]:
    """PostgreSQL: hold the row while refreshing; a waiting worker then sees the new token."""
    with transaction.atomic():
        row = ZaloAccount.objects.select_for_update().get(pk=pk)
        if row.is_disabled:
            raise ReauthorisationNeeded(row.disabled_reason)
        if _usable(row, rejected_version):
            return decrypt(row.access_token_encrypted), row.token_version
        tokens = _call_refresh(row, timeout=timeout)
        _save(row, tokens, Q(pk=pk))
        return tokens["access_token"], row.token_version + 1


def _refresh_swapped(row: ZaloAccount, *, timeout: float) -> tuple[str, int] | None:
    """Any database: take a short lease by compare-and-swap on the version; None if another has it."""
    owner = uuid.uuid4().hex
    now = timezone.now()
    claimed = (
        ZaloAccount.objects.filter(pk=row.pk, token_version=row.token_version, disabled_at__isnull=True)
        .filter(Q(refresh_lock_until__isnull=True) | Q(refresh_lock_until__lt=now))
        .update(refresh_lock_until=now + REFRESH_LEASE, refresh_lock_owner=owner)
    )
    if not claimed:
        return None
    try:
        tokens = _call_refresh(row, timeout=timeout)
    except BaseException:
        ZaloAccount.objects.filter(pk=row.pk, refresh_lock_owner=owner).update(
            refresh_lock_until=None, refresh_lock_owner=""
        )
        raise
    _save(row, tokens, Q(pk=row.pk, refresh_lock_owner=owner, token_version=row.token_version))
    return tokens["access_token"], row.token_version + 1


def _save(row: ZaloAccount, tokens: dict, condition: Q) -> None:
    now = timezone.now()
    ZaloAccount.objects.filter(condition).update(
        access_token_encrypted=encrypt(tokens["access_token"]),
        refresh_token_encrypted=encrypt(tokens["refresh_token"]),
        access_token_expires_at=now + datetime.timedelta(seconds=int(tokens.get("expires_in") or 0)),
        token_version=F("token_version") + 1,
        refresh_lock_until=None,
        refresh_lock_owner="",
        refreshed_at=now,
    )


def _call_refresh(row: ZaloAccount, *, timeout: float) -> dict:
    """POSTs the refresh token; returns {access_token, refresh_token, expires_in} or raises."""
    refresh_token = decrypt(row.refresh_token_encrypted)
    if not refresh_token:
        raise ReauthorisationNeeded(_("No refresh token is stored: authorise the Official Account."))
    try:
        response = requests.post(
            TOKEN_URL,
            headers={"secret_key": row.app_secret()},
            data={"refresh_token": refresh_token, "app_id": row.app_id, "grant_type": "refresh_token"},
            timeout=timeout,
        )
    except requests.ConnectTimeout as error:
        raise TransientError(
            _("Could not reach Zalo's token service: %(error)s") % {"error": type(error).__name__}
        ) from error
    except requests.RequestException as error:
        # The refresh may have happened: if so the stored token is burned and the next try says so.
        raise TransientError(
            _("Zalo's token service did not answer clearly: %(error)s") % {"error": type(error).__name__}
        ) from error
    if response.status_code == 429 or response.status_code >= 500:
        retry_after = _retry_after(response)
        raise TransientError(
            _("Zalo's token service is unavailable (HTTP %(status)s).") % {"status": response.status_code},
            retry_after=retry_after,
        )
    try:
        body = response.json()
    except ValueError:
        raise TransientError(_("Zalo's token service answered something that is not JSON.")) from None
    if body.get("access_token") and body.get("refresh_token"):
        return body
    raise ReauthorisationNeeded(
        _("Zalo refused the refresh token (%(code)s %(name)s): %(reason)s")
        % {
            "code": body.get("error", response.status_code),
            "name": body.get("error_name", ""),
            "reason": body.get("error_reason") or body.get("error_description") or body.get("message", ""),
        }
    )


def _retry_after(response: requests.Response) -> float | None:
    try:
        return float(response.headers.get("Retry-After") or 0) or None
    except ValueError:
        return None


def store_refresh_token(account: ZaloAccount, refresh_token: str) -> None:
    """A refresh token pasted by a channel manager: the next send refreshes with it."""
    ZaloAccount.objects.filter(pk=account.pk).update(
        refresh_token_encrypted=encrypt(refresh_token),
        access_token_encrypted="",
        access_token_expires_at=None,
        token_version=F("token_version") + 1,
        refresh_lock_until=None,
        refresh_lock_owner="",
        disabled_at=None,
        disabled_reason="",
    )
    account.refresh_from_db()
