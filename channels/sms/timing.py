"""Quiet hours: normal messages are not sent at night; urgent ones are never held."""

import datetime
import zoneinfo

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

QUIET_HOURS_ZONE = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def parse_quiet_hours(value: str) -> tuple[datetime.time, datetime.time] | None:
    """ "21:00-07:00" → (21:00, 07:00); empty → None."""
    if not value:
        return None
    try:
        start, end = (datetime.time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError:
        raise ImproperlyConfigured(f"SMS_QUIET_HOURS must look like 21:00-07:00, not {value!r}.") from None
    return start, end


def end_of_quiet_hours(
    moment: datetime.datetime, window: tuple[datetime.time, datetime.time] | None
) -> datetime.datetime:
    """`moment` itself when outside the window, else the (local) time the window ends."""
    if window is None:
        return moment
    start, end = window
    local = moment.astimezone(QUIET_HOURS_ZONE)
    clock = local.time().replace(tzinfo=None)
    if start == end:
        return moment
    if start < end:  # e.g. 12:00-13:30, within one day
        inside = start <= clock < end
        day = local.date()
    else:  # across midnight, e.g. 21:00-07:00
        inside = clock >= start or clock < end
        day = local.date() + datetime.timedelta(days=1) if clock >= start else local.date()
    if not inside:
        return moment
    return datetime.datetime.combine(day, end, tzinfo=QUIET_HOURS_ZONE)


def sendable_from(moment: datetime.datetime, *, urgent: bool) -> datetime.datetime:
    """When a message published for `moment` may go out under settings.SMS_QUIET_HOURS."""
    if urgent:
        return moment
    return end_of_quiet_hours(moment, parse_quiet_hours(settings.SMS_QUIET_HOURS))
