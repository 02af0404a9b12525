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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from email.utils import parseaddr

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection as db_connection
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from channels.email.models import EmailMessage, EmailSend, Recipient, SendKind, SendStatus

UNSUBSCRIBE = "__UNSUBSCRIBE_URL__"  # replaced per recipient in the frozen text and HTML
# Placeholders of a message built once per language and batch, then personalised per recipient.
TO_PLACEHOLDER = "x-recipient-x@placeholder.invalid"
ID_PLACEHOLDER = "<x-message-id-x@placeholder.invalid>"
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
    lanes = max(1, settings.EMAIL_CHANNEL_CONNECTIONS)
    if lanes == 1:
        _lane(rows, message, kind, content, owner, kill_hook, index=0, lanes=1)
    else:
        # A few SMTP connections side by side: the server's round trips overlap, not add up.
        with ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="email-lane") as pool:
            futures = [
                pool.submit(
                    _threaded_lane, rows, message, kind, content, owner, kill_hook, index=i, lanes=lanes
                )
                for i in range(lanes)
            ]
            for future in futures:
                future.result()
    return tally(message, kind)


def _threaded_lane(*args, **kwargs) -> None:
    try:
        _lane(*args, **kwargs)
    finally:
        db_connection.close()


def _lane(
    rows, message: EmailMessage, kind: str, content: dict, owner: str, kill_hook, *, index: int, lanes: int
):
    """One SMTP connection's share: the rows whose id modulo `lanes` is `index`, in batches."""
    backend = settings.EMAIL_CHANNEL_BACKEND or None
    rate = settings.EMAIL_CHANNEL_RATE
    gap = lanes / rate if rate else 0.0
    next_at = time.monotonic()
    last_pk = 0
    queued = rows.filter(status=SendStatus.QUEUED, worker=owner)
    if lanes > 1:
        queued = queued.annotate(lane=F("pk") % lanes).filter(lane=index)
    while True:
        batch = list(
            queued.filter(pk__gt=last_pk)
            .select_related("recipient")
            .order_by("pk")[: settings.EMAIL_CHANNEL_BATCH]
        )
        if not batch:
            return
        last_pk = batch[-1].pk
        connection = get_connection(backend, fail_silently=False)
        try:
            connection.open()
        except TRANSPORT_ERRORS as error:
            raise TransportFailed(f"{type(error).__name__}: {error}") from error
        prepared: dict = {}
        result = None  # the last message's outcome, written together with the next claim
        try:
            for row in batch:
                if gap:
                    now = time.monotonic()
                    if now < next_at:
                        time.sleep(next_at - now)
                    next_at = max(now, next_at) + gap
                claimed = _record_and_claim(result, row, owner)
                result = None
                if claimed:
                    result = _deliver(row, message, kind, content, connection, prepared)
                    if kill_hook is not None:
                        kill_hook(row)
        except Exception:
            _record_and_claim(result, None, owner)
            raise
        else:
            _record_and_claim(result, None, owner)
        finally:
            with contextlib.suppress(TRANSPORT_ERRORS):
                connection.close()


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


# One statement per message: the previous message's outcome and the claim of the next row. A row
# is claimed only if still queued for this worker (a takeover changes the owner).
_RECORD_AND_CLAIM = """
UPDATE email_emailsend SET
    status = CASE WHEN id = %(done)s THEN %(status)s ELSE 'sending' END,
    message_header = CASE WHEN id = %(done)s THEN %(header)s ELSE message_header END,
    error = CASE WHEN id = %(done)s THEN %(error)s ELSE error END,
    sent_at = CASE WHEN id = %(done)s THEN %(sent_at)s ELSE sent_at END,
    attempts = CASE WHEN id = %(done)s THEN attempts ELSE attempts + 1 END,
    updated = %(now)s
WHERE id = %(done)s OR (id = %(next)s AND status = 'queued' AND worker = %(owner)s)
RETURNING id"""


@dataclass(frozen=True)
class Result:
    row: EmailSend
    status: str
    header: str
    error: str = ""


def _record_and_claim(result: "Result | None", row: EmailSend | None, owner: str) -> bool:
    """Writes `result` and claims `row` (queued → sending) in one statement; True if `row` is ours."""
    if result is None and row is None:
        return False
    adapt = db_connection.ops.adapt_datetimefield_value
    now = timezone.now()
    params = {
        "done": result.row.pk if result else -1,
        "status": result.status if result else "",
        "header": result.header if result else "",
        "error": result.error if result else "",
        "sent_at": adapt(now) if result and result.status == SendStatus.SENT else None,
        "now": adapt(now),
        "next": row.pk if row is not None else -1,
        "owner": owner,
    }
    with db_connection.cursor() as cursor:
        cursor.execute(_RECORD_AND_CLAIM, params)
        updated = {pk for (pk,) in cursor.fetchall()}
    if result is not None and result.status == SendStatus.REFUSED:
        Recipient.objects.filter(pk=result.row.recipient_id, bounced_at__isnull=True).update(
            bounced_at=now, bounce_reason=result.error
        )
    return row is not None and row.pk in updated


def _deliver(
    row: EmailSend, message: EmailMessage, kind: str, content: dict, connection, prepared: dict
) -> Result:
    """Hands one claimed message to the server; what the server said, to be recorded."""
    email = personalise(message, row.recipient, kind, content, connection, prepared)
    header = email.extra_headers["Message-ID"]
    try:
        connection.send_messages([email])
    except smtplib.SMTPRecipientsRefused as refusal:
        code, reply = next(iter(refusal.recipients.values()), (550, b""))
        return Result(row, _by_code(code), header, _reply(code, reply))
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as refusal:
        return Result(row, _by_code(refusal.smtp_code), header, _reply(refusal.smtp_code, refusal.smtp_error))
    except TRANSPORT_ERRORS as failure:
        # Not accepted: the row goes back to the queue for the next try.
        EmailSend.objects.filter(pk=row.pk).update(status=SendStatus.QUEUED, error=str(failure)[:500])
        raise TransportFailed(f"{type(failure).__name__}: {failure}") from failure
    return Result(row, SendStatus.SENT, header)


def _by_code(code: int) -> str:
    return SendStatus.DEFERRED if 400 <= int(code) < 500 else SendStatus.REFUSED


def _reply(code, reply) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return f"{code} {text}"[:1000]


def sender_domain() -> str:
    return parseaddr(settings.EMAIL_CHANNEL_FROM)[1].rpartition("@")[2] or "localhost"


class Prepared:
    """A message rendered to bytes once (Django builds it), with placeholders for the recipient."""

    def __init__(self, data: bytes):
        self.data = data

    def for_recipient(self, address: str, message_id: str, url: str) -> bytes:
        data = self.data.replace(TO_PLACEHOLDER.encode(), address.encode())
        data = data.replace(ID_PLACEHOLDER.encode(), message_id.encode())
        return data.replace(UNSUBSCRIBE.encode(), url.encode())

    @classmethod
    def build(
        cls, message: EmailMessage, recipient: Recipient, kind: str, content: dict
    ) -> "Prepared | None":
        """None when the bytes cannot be personalised safely (a placeholder was encoded away)."""
        email = build(message, recipient, kind, content, placeholders=True)
        data = email.message().as_bytes(linesep="\r\n")
        needed = [TO_PLACEHOLDER, ID_PLACEHOLDER]
        part = content[_language(recipient, content)]
        if UNSUBSCRIBE in part["text"] or UNSUBSCRIBE in part["html"]:
            needed.append(UNSUBSCRIBE)
        if not all(token.encode() in data for token in needed):
            return None
        return cls(data)


class _Raw:
    """What a Django backend asks of `EmailMessage.message()`: the bytes to hand over."""

    def __init__(self, data: bytes):
        self.data = data

    def as_bytes(self, unixfrom=False, linesep="\n") -> bytes:
        return self.data if linesep == "\r\n" else self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom=False, linesep="\n") -> str:
        return self.as_bytes(linesep=linesep).decode("utf-8", "replace")


class PreparedEmail(EmailMultiAlternatives):
    """Goes through any Django e-mail backend with bytes built once and personalised."""

    def __init__(self, data: bytes, **kwargs):
        super().__init__(**kwargs)
        self.data = data

    def message(self):
        return _Raw(self.data)


def personalise(
    message: EmailMessage, recipient: Recipient, kind: str, content: dict, connection, prepared: dict
):
    """The recipient's message: from the language's prepared bytes when possible, else built whole."""
    language = _language(recipient, content)
    if language not in prepared:
        prepared[language] = Prepared.build(message, recipient, kind, content)
    template = prepared[language]
    if template is None or not recipient.email.isascii():
        return build(message, recipient, kind, content, connection=connection)
    message_id = message_id_for(message, kind, recipient)
    url = unsubscribe_url(message, recipient) if UNSUBSCRIBE.encode() in template.data else ""
    email = PreparedEmail(
        template.for_recipient(recipient.email, message_id, url),
        from_email=settings.EMAIL_CHANNEL_FROM,
        to=[recipient.email],
        connection=connection,
    )
    email.extra_headers["Message-ID"] = message_id
    return email


def _language(recipient: Recipient, content: dict) -> str:
    if recipient.language in content:
        return recipient.language
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in content else next(iter(content))


def message_id_for(message: EmailMessage, kind: str, recipient: Recipient) -> str:
    return f"<{message.uid.hex}.{kind}.{recipient.pk}@{sender_domain()}>"


def unsubscribe_url(message: EmailMessage, recipient: Recipient) -> str:
    portal = message.payload.get("portal", settings.WAGTAILADMIN_BASE_URL).rstrip("/")
    return portal + reverse("email_unsubscribe", args=[unsubscribe_token(recipient)])


def build(
    message: EmailMessage,
    recipient: Recipient,
    kind: str,
    content: dict,
    *,
    connection=None,
    placeholders=False,
):
    """The message for one recipient: their language, their unsubscribe link, a unique Message-ID.

    With `placeholders`, the address, the Message-ID and the link are left for `Prepared` to fill."""
    part = content[_language(recipient, content)]
    text, html = part["text"], part["html"]
    headers = {
        "Message-ID": ID_PLACEHOLDER if placeholders else message_id_for(message, kind, recipient),
        "List-Id": f"<list-{message.recipient_list_id}.{sender_domain()}>",
    }
    if UNSUBSCRIBE in text or UNSUBSCRIBE in html:
        url = UNSUBSCRIBE if placeholders else unsubscribe_url(message, recipient)
        text, html = text.replace(UNSUBSCRIBE, url), html.replace(UNSUBSCRIBE, escape(url))
        headers["List-Unsubscribe"] = f"<{url}>"
        headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    email = EmailMultiAlternatives(
        part["subject"],
        text,
        settings.EMAIL_CHANNEL_FROM,
        [TO_PLACEHOLDER if placeholders else recipient.email],
        headers=headers,
        connection=connection,
    )
    email.attach_alternative(html, "text/html")
    return email
