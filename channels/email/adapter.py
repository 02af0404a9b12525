"""Official e-mail: a story to each recipient list of the organisation that covers its regions.

The delivery target is a list; the frozen payload holds the message in every language, rendered from
the template of the story's kind (HTML and plain text), and the correction sent if it is retracted.
Sending is per recipient (channels.email.sending): a retry or a resumed worker sends only to those
who have not had it. An e-mail cannot be edited once sent, so a new revision is not mailed again.
"""

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.template.loader import render_to_string, select_template
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from channels.base import ChannelAdapter, PermanentError, Receipt, Target, TransientError
from channels.email import sending
from channels.email.models import EmailMessage, RecipientList, SendKind
from channels.tenancy import for_publication
from hub.languages import ADMIN_LANGUAGES

SANDBOX_BACKENDS = ("console", "locmem", "dummy", "filebased")


class EmailAdapter(ChannelAdapter):
    push = True
    exercise_sandbox = True
    supports_update = False
    supports_retract = True

    @property
    def sandbox(self) -> bool:
        """Nothing leaves the machine with Django's console, in-memory, dummy or file backends."""
        backend = settings.EMAIL_CHANNEL_BACKEND or settings.EMAIL_BACKEND
        return any(f".{name}." in backend for name in SANDBOX_BACKENDS)

    def targets(self, publication) -> list[Target]:
        lists = for_publication(RecipientList.objects.usable(), publication).reaching(
            publication.regions.all()
        )
        return [Target(key=item.target_key, label=item.name) for item in lists.order_by("pk")]

    def recipient_list(self, target: str) -> RecipientList:
        prefix, _sep, pk = target.partition(":")
        found = RecipientList.objects.filter(pk=pk).first() if prefix == "list" and pk.isdigit() else None
        if found is None:
            raise PermanentError(_("The recipient list %(target)s no longer exists.") % {"target": target})
        return found

    def render(self, publication, target: Target) -> dict[str, Any]:
        """Subject, plain text and HTML in each language, and the correction, frozen with the delivery."""
        if not publication.title.strip():
            raise PermanentError(_("The story has no title to send by e-mail."))
        recipient_list = self.recipient_list(target.key)
        parts = urlsplit(publication.url)
        portal = f"{parts.scheme}://{parts.netloc}" if parts.netloc else settings.WAGTAILADMIN_BASE_URL
        context = {
            "story": {
                "title": publication.title,
                "summary": publication.summary,
                "url": publication.url,
                "kind": publication.kind,
                "urgent": publication.is_urgent,
                "text": getattr(publication, "zalo_text", "") or publication.social_text,
            },
            "recipient_list": recipient_list,
            "unsubscribe_url": sending.UNSUBSCRIBE if recipient_list.is_public else "",
            "site_name": settings.WAGTAIL_SITE_NAME,
            "portal": portal,
        }
        return {
            "title": publication.title,
            "kind": publication.kind,
            "url": publication.url,
            "portal": portal,
            "regions": sorted(region.path for region in publication.regions.all()),
            "languages": self._parts(context, publication.kind, "story"),
            "correction": self._parts(context, publication.kind, "correction"),
        }

    @staticmethod
    def _parts(context: dict, kind: str, what: str) -> dict[str, dict[str, str]]:
        html = select_template([f"email/{what}_{kind}.html", f"email/{what}.html"])
        text = select_template([f"email/{what}_{kind}.txt", f"email/{what}.txt"])
        parts = {}
        for language, _name in ADMIN_LANGUAGES:  # the e-mails are written in the interface languages
            with translation.override(language):
                context = {**context, "LANGUAGE_CODE": language}
                subject = render_to_string(f"email/{what}_subject.txt", context)
                parts[language] = {
                    "subject": " ".join(subject.split()),
                    "text": text.render(context),
                    "html": html.render(context),
                }
        return parts

    def send(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt:
        recipient_list = self.recipient_list(target)
        message, _created = EmailMessage.objects.get_or_create(
            marker=marker,
            defaults={
                "organisation_id": recipient_list.organisation_id,
                "recipient_list": recipient_list,
                "payload": payload,
            },
        )
        if message.completed_at is None and message.payload.get("exercise"):
            # A drill: the mail-out is recorded as it would be sent, and goes to nobody.
            EmailMessage.objects.filter(pk=message.pk).update(completed_at=timezone.now())
            message.refresh_from_db()
        if message.completed_at is None:
            self._mailout(message, SendKind.STORY, message.payload["languages"])
            message.completed_at = timezone.now()
            message.save(update_fields=["completed_at"])
        return self._receipt(message)

    def retract(self, *, target: str, external_id: str, reason: str = "") -> None:
        """A retracted story cannot be taken back from inboxes: its readers get a correction."""
        message = EmailMessage.objects.filter(marker=external_id).first()
        if message is None:
            raise PermanentError(_("No e-mail mail-out %(id)s to correct.") % {"id": external_id})
        if not message.payload.get("exercise"):  # a drill reached no inbox: nothing to correct
            self._mailout(message, SendKind.CORRECTION, message.payload["correction"])
        EmailMessage.objects.filter(pk=message.pk, retracted_at__isnull=True).update(
            retracted_at=timezone.now()
        )

    def reconcile(self, payload: dict[str, Any], *, target: str, marker: str) -> Receipt | None:
        """A finished mail-out; otherwise None, and send resumes with those not yet sent to."""
        message = EmailMessage.objects.filter(marker=marker, completed_at__isnull=False).first()
        return self._receipt(message) if message else None

    def _mailout(self, message: EmailMessage, kind: str, content: dict) -> sending.Outcome:
        try:
            outcome = sending.mailout(message=message, kind=kind, content=content)
        except sending.TransportFailed as error:
            raise TransientError(
                _("The mail server could not be used: %(error)s") % {"error": error}
            ) from error
        if outcome.deferred:
            raise TransientError(
                _("The mail server asked to try %(count)d recipients again later.")
                % {"count": outcome.deferred}
            )
        return outcome

    @staticmethod
    def _receipt(message: EmailMessage) -> Receipt:
        outcome = sending.tally(message, SendKind.STORY)
        return Receipt(
            external_id=message.marker, detail={"list": message.recipient_list.name, **outcome.detail}
        )

    def check(self) -> list[str]:
        problems = []
        if not RecipientList.objects.usable().exists():
            problems.append(_("No recipient list is set up for %(alias)s.") % {"alias": self.alias})
        if self.sandbox:
            problems.append(
                _("E-mail runs in sandbox mode: the e-mail backend does not send (console or memory).")
            )
        return problems
