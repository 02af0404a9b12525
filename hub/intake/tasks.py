"""Background work of the intake: reply e-mails, and the erasure of old contacts."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from hub.intake.notifications import send_email_notifications
from hub.intake.services import contacts_erase_expired


@db_task()
def send_email_notifications_task(claim_id: int) -> int:
    return send_email_notifications(claim_id=claim_id)


@db_periodic_task(crontab(minute="17", hour="*"))
def erase_expired_contacts_task() -> int:
    """Every hour: reporters' contacts older than INTAKE_CONTACT_RETENTION_DAYS are deleted."""
    return contacts_erase_expired()
