"""Runs manage.py with this process's wall clock moved ahead by CLOCK_SKEW_SECONDS (chaos --clock-skew).

Only the Python clock moves (time.time, datetime.now): the database keeps the true time, as it
would when one machine of several has a clock that runs ahead.
"""

import datetime
import os
import sys
import time

SKEW = float(os.environ.get("CLOCK_SKEW_SECONDS", "0"))
_real_time = time.time


def _skewed_time() -> float:
    return _real_time() + SKEW


class _SkewedDateTime(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return datetime.datetime.fromtimestamp(_skewed_time(), tz)

    @classmethod
    def utcnow(cls):
        return datetime.datetime.fromtimestamp(_skewed_time(), datetime.UTC).replace(tzinfo=None)


time.time = _skewed_time
datetime.datetime = _SkewedDateTime

if __name__ == "__main__":
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *sys.argv[1:]])
