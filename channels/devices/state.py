"""Cached state that makes unchanged polls cheap, for any kind of device.

A "generation" in the shared cache changes whenever anything a device's answer depends on
changes. Cached answers (and token look-ups) are used only while their generation is current
and their own expiry has not passed. Each process also keeps the latest states in memory,
checked against the generation, so an unchanged poll costs one cache read and no query.
"""

import threading
import time
import uuid
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction

from channels.devices.models import hash_token

LOCAL_MAX = 4096


@dataclass(frozen=True)
class DeviceRef:
    """What a request needs to know about its device, cheap to cache; valid for one generation."""

    id: int
    code: str
    lineage: tuple[str, ...]
    generation: str
    extra: tuple = ()

    @classmethod
    def of(cls, device, generation: str, extra: tuple = ()) -> "DeviceRef":
        return cls(device.pk, device.code, tuple(device.region.lineage_codes), generation, extra)


class DeviceCache:
    """Generation, per-process memos, token look-ups and last-seen writes under one cache namespace."""

    def __init__(self, namespace: str, *, token_seconds: int = 60, seen_interval: int = 60):
        self.namespace = namespace
        self.token_seconds = token_seconds
        self.seen_interval = seen_interval
        self._local = threading.local()

    # --- per-thread memo --------------------------------------------------------------

    def memo(self, name: str) -> dict:
        memo = getattr(self._local, name, None)
        if memo is None or len(memo) > LOCAL_MAX:
            memo = {}
            setattr(self._local, name, memo)
        return memo

    def reset_local(self) -> None:
        """Forgets what this thread remembers (tests call it between cases)."""
        self._local.__dict__.clear()

    # --- generation -------------------------------------------------------------------

    @property
    def generation_key(self) -> str:
        return f"{self.namespace}:gen"

    def key(self, *parts) -> str:
        return ":".join((self.namespace, *map(str, parts)))

    def bump_generation(self) -> None:
        """Invalidates every cached answer and token look-up, now and again after commit."""

        def bump() -> None:
            cache.set(self.generation_key, uuid.uuid4().hex, None)

        bump()
        transaction.on_commit(bump)

    def current_generation(self) -> str:
        generation = cache.get(self.generation_key)
        if generation is None:
            cache.add(self.generation_key, uuid.uuid4().hex, None)
            generation = cache.get(self.generation_key) or "none"
        return generation

    # --- tokens -----------------------------------------------------------------------

    def cached_ref(self, *, code: str, token: str, generation: str) -> DeviceRef | None:
        """The device a token opens, from this process or the shared cache; None when not known."""
        digest = hash_token(token)
        memo = self.memo("tokens")
        found = memo.get(digest)
        if found is None or found[1] < time.monotonic():
            ref = cache.get(self.key("tok", digest))
            if ref is None:
                return None
            found = (ref, time.monotonic() + self.token_seconds)
            memo[digest] = found
        ref = found[0]
        if ref.code == code and ref.generation == generation:
            return ref
        return None

    def remember_token(self, *, ref: DeviceRef, token: str) -> None:
        if self.token_seconds:
            digest = hash_token(token)
            cache.set(self.key("tok", digest), ref, self.token_seconds)
            self.memo("tokens")[digest] = (ref, time.monotonic() + self.token_seconds)

    def forget_token_hashes(self, digests: list[str]) -> None:
        """Drops shared cached token look-ups (after revocation or a device change), now and on commit."""
        keys = [self.key("tok", digest) for digest in digests]

        def forget() -> None:
            cache.delete_many(keys)

        forget()
        transaction.on_commit(forget)

    # --- heartbeats -------------------------------------------------------------------

    def record_seen(self, *, model, device_id: int, now) -> None:
        """Marks the device as seen; each process writes at most once per `seen_interval` seconds."""
        seen = self.memo("seen")
        tick = time.monotonic()
        if tick < seen.get(device_id, 0):
            return
        seen[device_id] = tick + self.seen_interval
        model.objects.filter(pk=device_id).update(last_seen_at=now)


def current_phase(organisation_id: int | None = None) -> str:
    """The campaign phase of the organisation's site, else of the default site (new normal until
    one is set); plain SQL, it runs on every rebuilt answer."""
    from wagtail.models import Site

    from hub.models import CampaignSettings, Organisation

    phases = CampaignSettings._meta.db_table
    queries = [
        (
            f"SELECT c.phase FROM {phases} c JOIN {Site._meta.db_table} s ON s.id = c.site_id "
            "WHERE s.is_default_site",
            [],
        )
    ]
    if organisation_id is not None:
        own = (
            f"SELECT c.phase FROM {phases} c JOIN {Organisation._meta.db_table} o "
            "ON o.site_id = c.site_id WHERE o.id = %s"
        )
        queries.insert(0, (own, [organisation_id]))
    with connection.cursor() as cursor:
        for sql, params in queries:
            cursor.execute(sql, params)
            row = cursor.fetchone()
            if row:
                return row[0]
    return "new_normal"
