"""Flood limits of the intake doors: per network address and per contact, counted in the cache."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

HOUR = 3600
DAY = 86_400


def _spend(kind: str, value: str, limit: int, window: int) -> bool:
    """Counts one use of `value`; False once it is over `limit` in the current window."""
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    key = f"intake:rate:{kind}:{digest}:{int(time.time() // window)}"
    if cache.add(key, 1, window + 1):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, window + 1)
            count = 1
    return count <= limit


def address_allowed(address: str) -> bool:
    return _spend("ip", address or "-", settings.INTAKE_RATE_PER_ADDRESS, HOUR)


def contact_allowed(contact: str) -> bool:
    return not contact or _spend("contact", contact, settings.INTAKE_RATE_PER_CONTACT, DAY)
