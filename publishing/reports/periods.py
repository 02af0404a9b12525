"""Report periods: half-open ranges [start, end) of local days in the hub's time zone.

The default monthly period runs from the report day (the 23rd) of the previous month to the day
before the report day of this month, both inclusive: 23/10 00:00 – 23/11 00:00 local time.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Period:
    start: datetime.datetime  # aware, the first moment of the first day
    end: datetime.datetime  # aware, the first moment after the last day

    @classmethod
    def from_dates(cls, first: datetime.date, last: datetime.date) -> "Period":
        """The local days `first` to `last`, both included."""
        if last < first:
            raise ValueError("The period ends before it starts.")
        return cls(start=local_midnight(first), end=local_midnight(last + datetime.timedelta(days=1)))

    @property
    def first_day(self) -> datetime.date:
        return timezone.localtime(self.start).date()

    @property
    def last_day(self) -> datetime.date:
        return (timezone.localtime(self.end) - datetime.timedelta(microseconds=1)).date()

    @property
    def days(self) -> list[datetime.date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + datetime.timedelta(days=n) for n in range(count)]

    def as_json(self) -> dict:
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "first_day": self.first_day.isoformat(),
            "last_day": self.last_day.isoformat(),
        }


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.year * 12 + day.month - 1 + months
    return day.replace(year=month_index // 12, month=month_index % 12 + 1)


def report_day() -> int:
    return settings.REPORTS_DAY


def monthly_period(*, today: datetime.date | None = None) -> Period:
    """The monthly period that ends the day before this month's report day (or last month's, before it)."""
    today = today or timezone.localdate()
    day = report_day()
    end_day = today.replace(day=day)
    if today < end_day:
        end_day = _add_months(end_day, -1)
    return Period(start=local_midnight(_add_months(end_day, -1)), end=local_midnight(end_day))


def scheduled_moment(*, today: datetime.date) -> datetime.datetime:
    """When this month's report is due: the report day at the configured local time."""
    return timezone.make_aware(
        datetime.datetime.combine(
            today.replace(day=report_day()),
            datetime.time(settings.REPORTS_HOUR, settings.REPORTS_MINUTE),
        )
    )


def due_period(*, now: datetime.datetime | None = None) -> Period:
    """The latest period whose report is due at `now` (after the report day's hour)."""
    local = timezone.localtime(now or timezone.now())
    period = monthly_period(today=local.date())
    if local.date().day == report_day() and local < scheduled_moment(today=local.date()):
        period = monthly_period(today=local.date() - datetime.timedelta(days=1))
    return period
