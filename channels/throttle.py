"""Failed authentications on the partner and device APIs: counted per client address, audited in sum.

Every feed API (SMS partners, LED screens, later devices) makes one `FailureThrottle`. A client
address that fails `API_AUTH_FAILURE_LIMIT` times within `API_AUTH_FAILURE_WINDOW_SECONDS` is
refused (429 with Retry-After) for `API_AUTH_LOCKOUT_SECONDS`, valid credentials or not, so a
guesser learns nothing more. The audit log gets one row per address, object and window whose
`data` counts the failures and the refused requests: a flood writes a bounded number of rows.
"""

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.utils import timezone
from wagtail.models import ModelLogEntry


@dataclass(frozen=True)
class FailureThrottle:
    scope: str  # a cache and audit namespace: "sms", "led", …
    action: str  # the audit-log action of a failure, e.g. "sms.auth_failed"
    model: type[models.Model]  # what the audit rows are about (a key, a screen…)

    def _key(self, *parts) -> str:
        return ":".join(["authfail", self.scope, *map(str, parts)])

    def wait(self, client_ip: str) -> int | None:
        """Seconds this address must still wait, or None when it may try."""
        until = cache.get(self._key("block", client_ip))
        if until is None:
            return None
        left = math.ceil(until - time.time())
        if left <= 0:
            return None
        self._count_refused(client_ip)
        return left

    def failure(
        self, client_ip: str, *, reason: str, obj: models.Model | None = None, data: dict | None = None
    ) -> int | None:
        """Counts a failed authentication and audits it; seconds to wait when the address is now locked out."""
        window_seconds = settings.API_AUTH_FAILURE_WINDOW_SECONDS
        window = int(time.time() // window_seconds)
        counter = self._key("count", client_ip, window)
        try:
            count = cache.incr(counter)
        except ValueError:
            count = 1 if cache.add(counter, 1, window_seconds + 1) else cache.incr(counter)
        self._audit(client_ip, window, count, reason=reason, obj=obj, data=data or {})
        if count < settings.API_AUTH_FAILURE_LIMIT:
            return None
        lockout = settings.API_AUTH_LOCKOUT_SECONDS
        cache.set(self._key("block", client_ip), time.time() + lockout, lockout + 1)
        return lockout

    def clear(self, client_ip: str) -> None:
        """Lifts a lock-out (an administrator's decision, or tests)."""
        cache.delete(self._key("block", client_ip))

    # --- the aggregated audit rows --------------------------------------------------------

    def _audit(self, client_ip: str, window: int, count: int, *, reason: str, obj, data: dict) -> None:
        object_id = str(obj.pk) if obj is not None else "-"
        row_key = self._key("row", client_ip, object_id, window)
        row_id = cache.get(row_key)
        if row_id is None:
            entry = ModelLogEntry.objects.create(
                content_type=ContentType.objects.get_for_model(self.model),
                object_id=object_id,
                label=str(obj) if obj is not None else str(self.model._meta.verbose_name),
                action=self.action,
                timestamp=timezone.now(),
                data={**data, "reason": reason, "ip": client_ip, "failures": 1, "refused": 0},
            )
            cache.set(row_key, entry.pk, settings.API_AUTH_FAILURE_WINDOW_SECONDS + 1)
            cache.set(self._key("lastrow", client_ip), entry.pk, settings.API_AUTH_LOCKOUT_SECONDS * 2)
            return
        if _worth_writing(count):
            self._update(row_id, failures=count, reason=reason)

    def _count_refused(self, client_ip: str) -> None:
        counter = self._key("refused", client_ip)
        try:
            refused = cache.incr(counter)
        except ValueError:
            refused = (
                1 if cache.add(counter, 1, settings.API_AUTH_LOCKOUT_SECONDS * 2) else cache.incr(counter)
            )
        row_id = cache.get(self._key("lastrow", client_ip))
        if row_id is not None and _worth_writing(refused):
            self._update(row_id, refused=refused)

    def _update(self, row_id: int, **counts) -> None:
        entry = ModelLogEntry.objects.filter(pk=row_id).first()
        if entry is None:
            return
        data = dict(entry.data or {})
        for name, value in counts.items():
            if name == "reason":
                reasons = data.setdefault("reasons", [data.get("reason", "")])
                if value not in reasons and len(reasons) < 10:
                    reasons.append(value)
            else:
                data[name] = max(int(data.get(name, 0)), value)
        ModelLogEntry.objects.filter(pk=row_id).update(data=data)


def _worth_writing(count: int) -> bool:
    """The row is rewritten while counts are small, then at powers of two: O(log n) writes per flood."""
    return count <= settings.API_AUTH_FAILURE_LIMIT or count & (count - 1) == 0
