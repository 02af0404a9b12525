"""Partner API keys: issued once, stored as SHA-256, checked in constant time, audited, rate limited."""

import hashlib
import hmac
import math
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache
from django.utils import timezone
from wagtail.log_actions import log

from channels.sms.models import ExerciseEntries, Partner, PartnerKey
from channels.throttle import FailureThrottle

KEY_PREFIX = "sms_"
ACTION_CREATED = "sms.key_created"
ACTION_REVOKED = "sms.key_revoked"
ACTION_AUTH_FAILED = "sms.auth_failed"
_TOUCH_EVERY = 60  # seconds between writes of a key's last use
AUTH_GENERATION_KEY = "sms:auth:generation"  # bumped by every revocation or partner change
_MEMO_MAX = 1024
THROTTLE = FailureThrottle("sms", ACTION_AUTH_FAILED, PartnerKey)


class AuthFailure(Exception):
    """The request's key is missing, unknown, revoked or expired (the reason is for the audit log).

    `wait` is set when the client address is locked out after too many failures (answer 429).
    """

    def __init__(self, reason: str, *, wait: int | None = None):
        super().__init__(reason)
        self.reason = reason
        self.wait = wait


@dataclass(frozen=True)
class Identity:
    key_id: int
    partner_id: int
    coverage_paths: tuple[str, ...]
    expires_at: float | None
    with_exercises: bool = True  # Partner.exercise_entries is "marked"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _auth_cache_key(key_hash: str) -> str:
    return f"sms:auth:{key_hash}"


def key_create(
    *, partner: Partner, user=None, label: str = "", expires_at: datetime | None = None
) -> tuple[PartnerKey, str]:
    """Issues a key (prefix + 256 random bits); returns the row and the clear key, shown once."""
    prefix = KEY_PREFIX + secrets.token_hex(4)
    while PartnerKey.objects.filter(prefix=prefix).exists():
        prefix = KEY_PREFIX + secrets.token_hex(4)
    clear = f"{prefix}_{secrets.token_urlsafe(32)}"
    key = PartnerKey.objects.create(
        partner=partner,
        prefix=prefix,
        key_hash=hash_key(clear),
        label=label,
        expires_at=expires_at,
        created_by=user,
    )
    log(key, ACTION_CREATED, user=user, data={"partner": partner.name, "prefix": prefix, "label": label})
    return key, clear


def key_revoke(*, key: PartnerKey, user=None) -> None:
    """Revokes a key at once (also in the cache of every web process)."""
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        log(key, ACTION_REVOKED, user=user, data={"partner": key.partner.name, "prefix": key.prefix})
    cache.delete(_auth_cache_key(key.key_hash))
    _bump_auth_generation()


def forget_partner_keys(*, partner_id: int) -> None:
    """Drops a partner's cached identities after its coverage or active flag changed."""
    hashes = PartnerKey.objects.filter(partner_id=partner_id).values_list("key_hash", flat=True)
    cache.delete_many([_auth_cache_key(value) for value in hashes])
    _bump_auth_generation()


def _bump_auth_generation() -> None:
    """Makes every process drop the identities it remembers (see check_request)."""
    try:
        cache.incr(AUTH_GENERATION_KEY)
    except ValueError:  # missing: a fresh, never-seen value
        cache.set(AUTH_GENERATION_KEY, time.time_ns(), timeout=None)


def _auth_generation() -> int:
    generation = cache.get(AUTH_GENERATION_KEY)
    if generation is None:
        cache.add(AUTH_GENERATION_KEY, time.time_ns(), timeout=None)
        generation = cache.get(AUTH_GENERATION_KEY)
    return int(generation)


def authenticate(*, authorization: str | None, client_ip: str = "") -> Identity:
    """The partner behind an `Authorization: Bearer` header; raises AuthFailure (and audits it)."""
    scheme, _sep, token = (authorization or "").strip().partition(" ")
    token = token.strip()
    wait = THROTTLE.wait(client_ip)
    if wait is not None:  # before any look-up: a locked-out address learns nothing about keys
        raise AuthFailure("locked out", wait=wait)
    if not authorization:
        _audit_failure(None, "missing", client_ip)
    if scheme.lower() != "bearer" or not token:
        _audit_failure(None, "malformed", client_ip)
    key_hash = hash_key(token)
    generation = _auth_generation() if settings.SMS_AUTH_CACHE_SECONDS else None
    identity = cache.get(_auth_cache_key(key_hash)) if settings.SMS_AUTH_CACHE_SECONDS else None
    if identity is None:
        key = PartnerKey.objects.select_related("partner").filter(key_hash=key_hash).first()
        if key is None or not hmac.compare_digest(key.key_hash, key_hash):
            _audit_failure(None, "unknown", client_ip, token=token)
        if key.revoked_at is not None:
            _audit_failure(key, "revoked", client_ip)
        if not key.partner.active:
            _audit_failure(key, "partner inactive", client_ip)
        identity = Identity(
            key_id=key.pk,
            partner_id=key.partner_id,
            coverage_paths=tuple(key.partner.coverage_paths),
            expires_at=key.expires_at.timestamp() if key.expires_at else None,
            with_exercises=key.partner.exercise_entries != ExerciseEntries.EXCLUDED,
        )
        if settings.SMS_AUTH_CACHE_SECONDS:
            cache.set(_auth_cache_key(key_hash), identity, settings.SMS_AUTH_CACHE_SECONDS)
    _check_expiry(identity, client_ip)
    if generation is not None:
        if len(_memo) >= _MEMO_MAX:
            _memo.clear()
        _memo[key_hash] = (identity, generation, time.monotonic() + settings.SMS_AUTH_CACHE_SECONDS)
    return identity


def _check_expiry(identity: Identity, client_ip: str) -> None:
    if identity.expires_at is not None and identity.expires_at <= time.time():
        _audit_failure(PartnerKey.objects.filter(pk=identity.key_id).first(), "expired", client_ip)


# Per process: key hash → (identity, auth generation when it was read, monotonic deadline).
_memo: dict[str, tuple[Identity, int, float]] = {}


def check_request(*, authorization: str | None, client_ip: str = "") -> tuple[Identity, int | None]:
    """authenticate() and rate_limit_wait() in one cache round trip when this process knows the key.

    A remembered identity is used only while the shared auth generation is unchanged, so a
    revocation or a partner change applies to the very next request in every process.
    """
    remembered = _memo.get(hash_key(_bearer_token(authorization)))
    if remembered is None or remembered[2] < time.monotonic() or not settings.SMS_AUTH_CACHE_SECONDS:
        identity = authenticate(authorization=authorization, client_ip=client_ip)
        return identity, rate_limit_wait(identity=identity)
    identity, generation, _deadline = remembered
    wait, current = _count(identity, with_generation=True)
    if current != generation:
        identity = authenticate(authorization=authorization, client_ip=client_ip)
    else:
        _check_expiry(identity, client_ip)
    return identity, wait


def _bearer_token(authorization: str | None) -> str:
    scheme, _sep, token = (authorization or "").strip().partition(" ")
    return token.strip() if scheme.lower() == "bearer" else ""


def _audit_failure(key: PartnerKey | None, reason: str, client_ip: str, *, token: str = "") -> None:
    """Counts the failure against the client address, audits it in sum (never the key), raises AuthFailure."""
    data = {}
    if key is not None:
        data |= {"partner": key.partner.name, "prefix": key.prefix}
    else:
        prefix = token[: len(KEY_PREFIX) + 8]
        data["prefix"] = prefix if re.fullmatch(KEY_PREFIX + "[0-9a-f]{8}", prefix) else ""
    wait = THROTTLE.failure(client_ip, reason=reason, obj=key, data=data)
    raise AuthFailure(reason, wait=wait)


_touched: dict[int, float] = {}  # per process: key id → when this process last wrote last_used_at


def touch_key(*, identity: Identity) -> None:
    """Records the key's (and so the partner's) last pull, at most about once a minute."""
    now = time.monotonic()
    if now - _touched.get(identity.key_id, -_TOUCH_EVERY) < _TOUCH_EVERY:
        return
    _touched[identity.key_id] = now
    if cache.add(f"sms:touched:{identity.key_id}", 1, _TOUCH_EVERY):
        PartnerKey.objects.filter(pk=identity.key_id).update(last_used_at=timezone.now())


def rate_limit_wait(*, identity: Identity) -> int | None:
    """Counts this request against the key's per-minute budget; seconds to wait when over it."""
    return _count(identity, with_generation=False)[0]


_redis_clients: dict[int, object] = {}  # per process: one client per Django Redis cache backend


def _count(identity: Identity, *, with_generation: bool) -> tuple[int | None, int | None]:
    """Counts the request (seconds to wait or None) and, if asked, reads the auth generation.

    With Redis it is one round trip (INCR, EXPIRE, GET pipelined); other caches use the cache API.
    """
    now = time.time()
    window = int(now // 60)
    counter = f"sms:rate:{identity.key_id}:{window}"
    generation = None
    backend = caches["default"]
    if isinstance(backend, RedisCache):
        client = _redis_clients.get(id(backend._cache))
        if client is None:
            client = _redis_clients.setdefault(id(backend._cache), backend._cache.get_client(write=True))
        pipe = client.pipeline(transaction=False)
        pipe.incr(cache.make_and_validate_key(counter))
        pipe.expire(cache.make_and_validate_key(counter), 61)
        if with_generation:
            pipe.get(cache.make_and_validate_key(AUTH_GENERATION_KEY))
        results = pipe.execute()
        count = results[0]
        if with_generation:
            generation = int(results[2]) if results[2] is not None else None
    else:
        try:
            count = cache.incr(counter)
        except ValueError:
            count = 1 if cache.add(counter, 1, 61) else cache.incr(counter)
        if with_generation:
            generation = cache.get(AUTH_GENERATION_KEY)
    if count <= settings.SMS_RATE_LIMIT:
        return None, generation
    return max(1, math.ceil((window + 1) * 60 - now)), generation
