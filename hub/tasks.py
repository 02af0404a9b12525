"""Periodic work of the editorial workflows."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from hub.deadlines import overdue_reviews
from hub.notifications import notify_overdue_reviews


@db_periodic_task(crontab(minute="*/5"))
def notify_overdue_reviews_task() -> int:
    """Every five minutes: e-mail the reviewers and approvers of each newly overdue review."""
    return notify_overdue_reviews(reviews=overdue_reviews())
