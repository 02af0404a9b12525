"""Thin huey tasks: they take ids and call a service. Discovered by `run_huey` (tasks.py)."""

from django.core.management import call_command
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from publishing.delivery import deliveries_dispatch, delivery_process, orphan_resolve


@db_task()
def delivery_process_task(delivery_id: int) -> None:
    """Returns nothing, so huey stores no result: one write less per delivery."""
    delivery_process(delivery_id=delivery_id)


@db_periodic_task(crontab())
def deliveries_dispatch_task() -> None:
    """Every minute: due retries and rows whose worker died go back in the queue."""
    deliveries_dispatch()


@db_periodic_task(crontab())
def publish_scheduled_task() -> None:
    """Every minute: Wagtail's scheduled go-live and expiry, without cron."""
    call_command("publish_scheduled")


@db_task()
def orphan_resolve_task(orphan_id: int) -> None:
    """Takes down (or flags) a post made by a worker whose lease had passed to another."""
    orphan_resolve(orphan_id=orphan_id)
