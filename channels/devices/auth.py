"""The doors of every device feed: token checks, failed-authentication lock-outs, write floods.

One `DeviceDoor` per device kind. It authenticates a request against the device in its path
(token from the header or `?token=`, cached look-ups first), counts every failure against the
client address with `channels.throttle.FailureThrottle` (aggregated audit rows, lock-out with
Retry-After), answers an unknown code exactly like a wrong token, and limits how often one
device may write (proof of play, reports) per minute. Each feed turns the exceptions below
into its own contract's error shape.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.http import HttpRequest

from channels.devices import http
from channels.devices.state import DeviceCache, DeviceRef
from channels.throttle import FailureThrottle


class Unauthorized(Exception):
    """No token, a wrong one, or an unknown or inactive device: the same answer for all."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "missing", "wrong token" or "unknown <noun>" (audit only)


class RateLimited(Exception):
    """Refused for now; the feed answers 429 with Retry-After."""

    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = max(1, int(retry_after))


@dataclass(frozen=True)
class DeviceDoor:
    scope: str  # "led", "loudspeaker": cache namespace and audit action prefix
    model: type[models.Model]  # the device model (subclass of AbstractDevice)
    devices: DeviceCache
    make_ref: Callable  # (device, generation) -> a reference cached with the token
    noun: str = "device"  # in the audit reason of an unknown code: "unknown screen"
    select_related: tuple[str, ...] = ("region",)

    @property
    def action(self) -> str:
        return f"{self.scope}.auth_failed"

    @property
    def throttle(self) -> FailureThrottle:
        return FailureThrottle(self.scope, self.action, self.model)

    def authenticate(self, request: HttpRequest, code: str) -> tuple[DeviceRef, str]:
        """The device (a cached reference) and the current generation.

        A token already known for this code and generation passes on one cache read. Otherwise
        a locked-out address is refused at once (valid token or not), and a failure is counted.
        """
        generation = self.devices.current_generation()
        token = http.presented_token(request)
        if token:
            ref = self.devices.cached_ref(code=code, token=token, generation=generation)
            if ref is not None:
                return ref, generation
        client_ip = request.META.get("REMOTE_ADDR", "")
        throttle = self.throttle
        wait = throttle.wait(client_ip)
        if wait is not None:
            raise RateLimited(wait)
        if not token:
            self._fail(throttle, client_ip, "missing", None, code)
        device = (
            self.model.objects.select_related(*self.select_related).filter(code=code, active=True).first()
        )
        if device is None:
            self._fail(throttle, client_ip, f"unknown {self.noun}", None, code)
        if not device.check_token(token):
            self._fail(throttle, client_ip, "wrong token", device, code)
        ref = self.make_ref(device, generation)
        self.devices.remember_token(ref=ref, token=token)
        return ref, generation

    def _fail(self, throttle: FailureThrottle, client_ip: str, reason: str, device, code: str):
        """Counts and audits the failure (never the token); 429 at once when it locks the address out."""
        wait = throttle.failure(client_ip, reason=reason, obj=device, data={"code": code[:64]})
        if wait is not None:
            raise RateLimited(wait)
        raise Unauthorized(reason)

    def check_write_rate(self, device_id: int) -> None:
        """At most DEVICE_WRITE_RATE_LIMIT writes a minute per device; RateLimited beyond."""
        limit = settings.DEVICE_WRITE_RATE_LIMIT
        now = time.time()
        window = int(now // 60)
        counter = f"{self.scope}:writes:{device_id}:{window}"
        try:
            count = cache.incr(counter)
        except ValueError:
            count = 1 if cache.add(counter, 1, 61) else cache.incr(counter)
        if count > limit:
            raise RateLimited(math.ceil((window + 1) * 60 - now))
