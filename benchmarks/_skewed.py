"""Runs manage.py with this process's wall clock CLOCK_SKEW_SECONDS ahead (chaos --clock-skew).

`time.time()` and Django's `timezone.now()` move; the database keeps the true time, as it would
when one machine of several has a clock that runs ahead.
"""

import datetime
import os
import sys
import time

SKEW = float(os.environ.get("CLOCK_SKEW_SECONDS", "0"))
_real_time = time.time


def _skewed_time() -> float:
    return _real_time() + SKEW


def _skewed_now() -> datetime.datetime:
    return datetime.datetime.fromtimestamp(_skewed_time(), datetime.UTC)


if __name__ == "__main__":
    time.time = _skewed_time
    from django.utils import timezone

    timezone.now = _skewed_now
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])
