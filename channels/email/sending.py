"""One mail-out through Django's e-mail backend: batches over one SMTP connection, a per-worker rate,
and a row per recipient that is the claim, so a mail-out resumes without sending anyone a message twice.

A row moves queued → sending → sent / refused / deferred. A worker killed while a row is `sending`
may or may not have handed the message over, and SMTP offers no way to ask: such a row becomes
`uncertain` and is not sent again (at most once, for that one message). Deferred rows (4xx) are
tried again on the delivery's next attempt.
"""

import contextlib
import smtplib
import time
import uuid
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from channels.email.models import EmailMessage, EmailSend, Recipient, SendKind, SendStatus

UNSUBSCRIBE = "__UNSUBSCRIBE_URL__"  # replaced per recipient in the frozen text and HTML
UNSUBSCRIBE_SALT = "channels.email.unsubscribe"
FILL_CHUNK = 1000
TRANSPORT_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError)


class TransportFailed(Exception):
    """The SMTP server could not be reached or dropped the connection; the rest waits for a retry."""


@dataclass(frozen=True)
class Outcome:
    sent: int
    refused: int
    deferred: int
    uncertain: int

    @property
    def detail(self) -> dict[str, int]:
        return {
            "sent": self.sent,
            "refused": self.refused,
            "deferred": self.deferred,
            "uncertain": self.uncertain,
        }


def unsubscribe_token(recipient: Recipient) -> str:
    return signing.dumps(recipient.pk, salt=UNSUBSCRIBE_SALT, compress=True)


def recipient_from_token(token: str) -> Recipient | None:
    try:
        pk = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    return Recipient.objects.filter(pk=pk).select_related("recipient_list").first()


def eligible(message: EmailMessage, kind: str):
    """Who this mail-out (or its correction) goes to."""
    if kind == SendKind.CORRECTION:
        got_it = EmailSend.objects.filter(
            message=message, kind=SendKind.STORY, status__in=[SendStatus.SENT, SendStatus.UNCERTAIN]
        )
        return Recipient.objects.filter(pk__in=got_it.values("recipient_id")).receiving()
    from hub.models import Region

    recipients = message.recipient_list.recipients.receiving()
    paths = message.payload.get("regions") or []
    if paths:
        regions = Region.objects.overlapping(Region.objects.filter(path__in=paths))
        recipients = recipients.filter(Q(region__isnull=True) | Q(region__in=regions))
    return recipients


def mailout(*, message: EmailMessage, kind: str, content: dict[str, dict], kill_hook=None) -> Outcome:
    """Sends `content` ({language: {subject, text, html}}) to every recipient not yet done."""
    owner = uuid.uuid4().hex
    rows = EmailSend.objects.filter(message=message, kind=kind)
    rows.filter(status=SendStatus.SENDING).update(status=SendStatus.UNCERTAIN, updated=timezone.now())
    rows.filter(status__in=[SendStatus.QUEUED, SendStatus.DEFERRED]).update(
        status=SendStatus.QUEUED, worker=owner
    )
    _fill(message, kind, owner)
    backend = settings.EMAIL_CHANNEL_BACKEND or None
    gap = 1 / settings.EMAIL_CHANNEL_RATE if settings.EMAIL_CHANNEL_RATE else 0.0
    next_at = time.monotonic()
    last_pk = 0
    while True:
        batch = list(
            rows.filter(status=SendStatus.QUEUED, worker=owner, pk__gt=last_pk)
            .select_related("recipient")
            .order_by("pk")[: settings.EMAIL_CHANNEL_BATCH]
        )
        if not batch:
            break
        last_pk = batch[-1].pk
        connection = get_connection(backend, fail_silently=False)
        try:
            connection.open()
        except TRANSPORT_ERRORS as error:
            raise TransportFailed(f"{type(error).__name__}: {error}") from error
        try:
            for row in batch:
                if gap:
                    now = time.monotonic()
                    if now < next_at:
                        time.sleep(next_at - now)
                    next_at = max(now, next_at) + gap
                _send_one(row, message, kind, content, connection, owner)
                if kill_hook is not None:
                    kill_hook(row)
        finally:
            with contextlib.suppress(TRANSPORT_ERRORS):
                connection.close()
    return tally(message, kind)


def tally(message: EmailMessage, kind: str) -> Outcome:
    counts = dict(
        EmailSend.objects.filter(message=message, kind=kind)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return Outcome(
        sent=counts.get(SendStatus.SENT, 0),
        refused=counts.get(SendStatus.REFUSED, 0),
        deferred=counts.get(SendStatus.DEFERRED, 0) + counts.get(SendStatus.QUEUED, 0),
        uncertain=counts.get(SendStatus.UNCERTAIN, 0),
    )


def _fill(message: EmailMessage, kind: str, owner: str) -> None:
    """One queued row for each eligible recipient that has none yet (a unique row per recipient)."""
    done = EmailSend.objects.filter(message=message, kind=kind).values("recipient_id")
    pending = eligible(message, kind).exclude(pk__in=done).order_by("pk").values_list("pk", flat=True)
    chunk = []
    for pk in pending.iterator(chunk_size=FILL_CHUNK):
        chunk.append(
            EmailSend(
                organisation_id=message.organisation_id,
                message=message,
                recipient_id=pk,
                kind=kind,
                worker=owner,
            )
        )
        if len(chunk) >= FILL_CHUNK:
            EmailSend.objects.bulk_create(chunk, ignore_conflicts=True)
            chunk = []
    if chunk:
        EmailSend.objects.bulk_create(chunk, ignore_conflicts=True)


def _send_one(
    row: EmailSend, message: EmailMessage, kind: str, content: dict, connection, owner: str
) -> None:
    # The claim: only the worker that owns the queued row moves it on (a takeover changes the owner).
    now = timezone.now()
    if not EmailSend.objects.filter(pk=row.pk, status=SendStatus.QUEUED, worker=owner).update(
        status=SendStatus.SENDING, attempts=row.attempts + 1, updated=now
    ):
        return
    email = build(message, row.recipient, kind, content, connection=connection)
    status, error = SendStatus.SENT, ""
    try:
        connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as refusal:
        code, reply = next(iter(refusal.recipients.values()), (550, b""))
        status, error = _by_code(code), _reply(code, reply)
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as refusal:
        status, error = _by_code(refusal.smtp_code), _reply(refusal.smtp_code, refusal.smtp_error)
    except TRANSPORT_ERRORS as failure:
        EmailSend.objects.filter(pk=row.pk).update(status=SendStatus.QUEUED, error=str(failure)[:500])
        raise TransportFailed(f"{type(failure).__name__}: {failure}") from failure
    EmailSend.objects.filter(pk=row.pk).update(
        status=status,
        message_header=email.extra_headers["Message-ID"],
        error=error,
        sent_at=timezone.now() if status == SendStatus.SENT else None,
        updated=timezone.now(),
    )
    if status == SendStatus.REFUSED:
        Recipient.objects.filter(pk=row.recipient_id, bounced_at__isnull=True).update(
            bounced_at=timezone.now(), bounce_reason=error
        )


def _by_code(code: int) -> str:
    return SendStatus.DEFERRED if 400 <= int(code) < 500 else SendStatus.REFUSED


def _reply(code, reply) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}"[:1000]


def sender_domain() -> str:
    return parseaddr(settings.EMAIL_CHANNEL_FROM)[1].rpartition("@")[2] or "localhost"


def build(message: EmailMessage, recipient: Recipient, kind: str, content: dict, *, connection=None):
    """The message for one recipient: their language, their unsubscribe link, a unique Message-ID."""
    part = (
        content.get(recipient.language) or content.get(settings.LANGUAGE_CODE) or next(iter(content.values()))
    )
    text, html = part["text"], part["html"]
    headers = {
        "Message-ID": f"<{message.uid.hex}.{kind}.{recipient.pk}@{sender_domain()}>",
        "List-Id": f"<list-{message.recipient_list_id}.{sender_domain()}>",
    }
    if UNSUBSCRIBE in text or UNSUBSCRIBE in html:
        portal = message.payload.get("portal", settings.WAGTAILADMIN_BASE_URL).rstrip("/")
        url = portal + reverse("email_unsubscribe", args=[unsubscribe_token(recipient)])
        text, html = text.replace(UNSUBSCRIBE, url), html.replace(UNSUBSCRIBE, escape(url))
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        part["subject"],
        text,
        settings.EMAIL_CHANNEL_FROM,
        [recipient.email],
        headers=headers,
        connection=connection,
    )
    email.attach_alternative(html, "text/html")
    return email
