"""The monthly schedule: every hour at REPORTS_MINUTE, build whatever monthly report is due.

The latest period becomes due on the report day at REPORTS_HOUR (local time); the hourly check
builds it then, and catches up if the worker was down at that hour. Building is idempotent.
"""

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from publishing.reports.services import reports_build_due


@db_periodic_task(crontab(minute=str(settings.REPORTS_MINUTE)))
def reports_monthly_task() -> None:
    reports_build_due()
