"""An audit entry when django-axes locks an account or address out."""

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.dispatch import receiver

from hub.security.lockouts import ACTION_LOCKED_OUT, audit


@receiver(user_locked_out)
def audit_lockout(sender, request, username, ip_address, **kwargs) -> None:
    """One entry per address and per real account for each lock-out, however many tries follow it."""
    seconds = int(get_cool_off().total_seconds()) or 3600
    User = get_user_model()
    new_address = cache.add(f"lockout-audit:ip:{ip_address}", 1, seconds)
    known = bool(username) and User.objects.filter(**{User.USERNAME_FIELD: username}).exists()
    new_account = known and cache.add(f"lockout-audit:user:{username}", 1, seconds)
    if new_address or new_account:
        audit(ACTION_LOCKED_OUT, username=username or "", ip_address=ip_address or "")
