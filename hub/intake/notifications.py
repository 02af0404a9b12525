"""Telling reporters the answer is out: one Notification per report, ever.

E-mail goes out through Django's mail (a huey task after commit); an SMS reply waits until an SMS
partner pulls it from the inbound API (channels/sms/inbound.py) and is handed over exactly once.
"""

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from hub.intake.models import (
    Claim,
    ClaimStatus,
    Contact,
    ContactKind,
    Notification,
    NotificationStatus,
    Tip,
    TipKind,
)
from hub.variants import ascii_text


def answer_url(claim: Claim) -> str:
    """Where the answer is on the portal: the rebuttal page, or the Q&A page for a question."""
    if claim.rebuttal_id and claim.rebuttal is not None and claim.rebuttal.live:
        return claim.rebuttal.full_url or ""
    from hub.intake.views import qa_url

    return qa_url(claim)


def is_answered(claim: Claim) -> bool:
    return claim.answered_at is not None


def notification_text(claim: Claim, channel: str) -> str:
    with override("vi"):
        if claim.kind == TipKind.QUESTION:
            text = _("Your question to the provincial portal has an answer: %(url)s") % {
                "url": answer_url(claim)
            }
        else:
            text = _("The information you reported has been checked. The official answer: %(url)s") % {
                "url": answer_url(claim)
            }
    return ascii_text(text) if channel == ContactKind.PHONE else text


def _notify(tip: Tip, claim: Claim) -> Notification | None:
    """Creates the tip's notification unless it exists (the one-to-one makes a second impossible)."""
    contact = Contact.objects.filter(tip=tip).first()
    if contact is None or Notification.objects.filter(tip=tip).exists():
        return None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                organisation_id=tip.organisation_id,
                tip=tip,
                claim=claim,
                channel=contact.kind,
                text=notification_text(claim, contact.kind),
            )
    except IntegrityError:  # another process made it first
        return None


def claim_notify_reporters(*, claim: Claim) -> int:
    """After the answer is out: a notification for every report with a contact that has none yet."""
    created = 0
    for tip in Tip.objects.filter(claim=claim, contact__isnull=False, notification__isnull=True):
        if _notify(tip, claim) is not None:
            created += 1
    if created:
        transaction.on_commit(lambda: _enqueue_emails(claim.pk))
    return created


def notify_if_answered(*, tip: Tip) -> None:
    """A report of a claim already answered gets its reply at once."""
    claim = tip.claim
    if claim is not None and is_answered(claim) and _notify(tip, claim) is not None:
        transaction.on_commit(lambda: _enqueue_emails(claim.pk))


def _enqueue_emails(claim_id: int) -> None:
    from hub.intake.tasks import send_email_notifications_task

    send_email_notifications_task(claim_id)


def send_email_notifications(*, claim_id: int) -> int:
    """Sends the claim's pending e-mail replies; each row is taken once, so none goes twice."""
    sent = 0
    pending = Notification.objects.filter(
        claim_id=claim_id, channel=ContactKind.EMAIL, status=NotificationStatus.PENDING
    ).values_list("pk", flat=True)
    for notification_id in list(pending):
        taken = Notification.objects.filter(pk=notification_id, status=NotificationStatus.PENDING).update(
            status=NotificationStatus.SENT, sent_at=timezone.now()
        )
        if not taken:
            continue
        notification = Notification.objects.select_related("tip__contact").get(pk=notification_id)
        contact = getattr(notification.tip, "contact", None)
        if contact is None:
            Notification.objects.filter(pk=notification_id).update(status=NotificationStatus.CANCELLED)
            continue
        try:
            with override("vi"):
                send_mail(
                    subject=_("Answer to your report"),
                    message=notification.text,
                    from_email=None,
                    recipient_list=[contact.value],
                )
        except OSError as error:  # SMTP refused or unreachable: recorded, visible in the admin
            Notification.objects.filter(pk=notification_id).update(
                status=NotificationStatus.FAILED, error=str(error)[:2000]
            )
            continue
        sent += 1
    return sent


def sms_replies_take(*, organisation, partner_id: int, limit: int = 100) -> list[dict]:
    """Hands pending SMS replies to a partner: each is marked handed over in the same transaction."""
    replies = []
    with transaction.atomic():
        rows = (
            Notification.objects.filter(
                organisation=organisation, channel=ContactKind.PHONE, status=NotificationStatus.PENDING
            )
            .select_related("tip__contact")
            .order_by("pk")
        )
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            rows = rows.select_for_update(skip_locked=True, of=("self",))
        for notification in rows[:limit]:
            contact = getattr(notification.tip, "contact", None)
            if contact is None:
                notification.status = NotificationStatus.CANCELLED
                notification.save(update_fields=["status"])
                continue
            notification.status = NotificationStatus.HANDED_OVER
            notification.partner_id = partner_id
            notification.sent_at = timezone.now()
            notification.save(update_fields=["status", "partner", "sent_at"])
            replies.append({"id": f"r{notification.pk}", "to": contact.value, "text": notification.text})
    return replies


def claim_mark_answered(*, claim: Claim, user=None) -> Claim:
    """The answer is out (rebuttal published, or FAQ answer published): status, time, replies."""
    from wagtail.log_actions import log

    from hub.intake.services import ACTION_ANSWERED

    first_time = claim.answered_at is None
    if first_time:
        claim.answered_at = timezone.now()
    previous = claim.status
    claim.status = ClaimStatus.ANSWERED  # the verdict itself is on the rebuttal page
    claim.save(update_fields=["answered_at", "status"])
    if first_time:
        log(claim, ACTION_ANSWERED, user=user, data={"url": answer_url(claim), "was": previous})
    claim_notify_reporters(claim=claim)
    return claim
