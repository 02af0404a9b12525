"""The pipeline's state changes: publish a revision, retract a story, retry failed deliveries."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, Revision, TaskState

from channels.base import PermanentError
from channels.registry import get_adapter
from publishing.delivery import URGENT_PRIORITY, delivery_enqueue, delivery_process
from publishing.models import Delivery, DeliveryStatus, Priority, Publication

logger = logging.getLogger(__name__)

DEFAULT_VALIDITY = datetime.timedelta(days=3)
PORTAL = "portal"


def publication_create(*, page: Page, revision: Revision | None, user=None) -> Publication | None:
    """Freezes the approved variants of a story revision and creates its deliveries (idempotent)."""
    from hub.models import CampaignSettings, Phase, Region, StoryPage

    page = page.specific
    if not isinstance(page, StoryPage) or not page.live:
        return None  # not a story, or only scheduled: the go-live publish comes back here
    revision = revision or page.live_revision
    existing = Publication.objects.filter(revision=revision).first() if revision else None
    if existing:
        return existing
    from hub.translations import language_scope

    language, language_regions = language_scope(page)  # None: no regions to restrict

    site = page.get_site()
    phase = CampaignSettings.for_site(site).phase if site else Phase.NEW_NORMAL
    now = timezone.now()
    approved_by = _approver(page, revision)
    log_context = get_active_log_context()
    published_by = (
        user or getattr(log_context, "user", None) or approved_by or getattr(revision, "user", None)
    )
    with transaction.atomic():
        previous = Publication.objects.filter(page=page).order_by("-published_at", "-pk").first()
        try:
            with transaction.atomic():
                publication = Publication.objects.create(
                    page=page,
                    revision=revision,
                    previous=previous,
                    kind=page.kind,
                    language=language,
                    title=page.title,
                    summary=page.summary,
                    url=page.get_full_url() or "",
                    image=page.hero_image,
                    sms_text=page.sms_variant,
                    sms_text_ascii=page.sms_variant_ascii,
                    social_text=page.social_variant,
                    led_text=page.led_variant[:255],
                    # Where no target region receives this language, only the portal carries it.
                    channels=list(page.channels or []) if language_regions != [] else [],
                    phase=phase,
                    priority=Priority.URGENT if page.alert and phase == Phase.OUTBREAK else Priority.NORMAL,
                    valid_from=now,
                    valid_until=page.message_valid_until or now + DEFAULT_VALIDITY,
                    published_at=now,
                    published_by=published_by if getattr(published_by, "pk", None) else None,
                    approved_by=approved_by,
                )
        except IntegrityError:
            return Publication.objects.get(revision=revision)
        regions = list(page.regions.all()) or list(Region.objects.filter(parent__isnull=True))
        publication.regions.set(language_regions or regions)
        _supersede(publication)
        deliveries_create(publication=publication)
    return publication


def deliveries_create(*, publication: Publication) -> None:
    """One delivery per channel target; pull channels are sent here, push ones enqueued on commit."""
    for alias in _channel_aliases(publication):
        _create_deliveries(publication, alias)


def _approver(page: Page, revision: Revision | None):
    states = TaskState.objects.filter(status=TaskState.STATUS_APPROVED).select_related("finished_by")
    state = None
    if revision is not None:
        state = states.filter(revision=revision).order_by("-finished_at").first()
    if state is None:
        state = states.filter(revision__object_id=str(page.pk)).order_by("-finished_at").first()
    return state.finished_by if state else None


def _channel_aliases(publication: Publication) -> list[str]:
    aliases = []
    for alias in [PORTAL, *publication.channels]:
        if alias in settings.HUB_CHANNELS and alias not in aliases:
            aliases.append(alias)
        elif alias not in settings.HUB_CHANNELS:
            logger.warning(
                "Story %s names channel %r, which is not in HUB_CHANNELS.", publication.page_id, alias
            )
    return aliases


def _create_deliveries(publication: Publication, alias: str) -> None:
    adapter = get_adapter(alias)
    priority = URGENT_PRIORITY if publication.is_urgent else 0
    for target in adapter.targets(publication):
        delivery, created = Delivery.objects.get_or_create(
            publication=publication,
            channel=alias,
            target=target.key,
            defaults={"target_label": target.label, "priority": priority, "sandbox": adapter.sandbox},
        )
        if not created:
            continue
        try:
            delivery.payload = adapter.render(publication, target)
        except PermanentError as exc:
            delivery.status = DeliveryStatus.FAILED
            delivery.last_error = str(exc)
            delivery.save(update_fields=["status", "last_error"])
            continue
        delivery.save(update_fields=["payload"])
        if adapter.push:
            delivery_enqueue(delivery=delivery)
        else:
            delivery_process(delivery_id=delivery.pk)


def _supersede(publication: Publication) -> None:
    """Earlier revisions not yet delivered are not sent any more: the new one replaces them."""
    Delivery.objects.filter(
        publication__page_id=publication.page_id,
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING],
    ).exclude(publication=publication).update(
        status=DeliveryStatus.CANCELLED,
        next_attempt_at=None,
        last_error=_("Replaced by a newer revision before it was delivered."),
    )


def publication_retract(*, page: Page, user=None) -> int:
    """Takes an unpublished story down wherever the channel allows; returns how many were asked."""
    now = timezone.now()
    asked = 0
    with transaction.atomic():
        Publication.objects.filter(page=page, retracted_at__isnull=True).update(retracted_at=now)
        deliveries = Delivery.objects.filter(publication__page=page)
        deliveries.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]).update(
            status=DeliveryStatus.CANCELLED,
            next_attempt_at=None,
            last_error=_("The story was unpublished before this was delivered."),
        )
        seen = set()
        for delivery in deliveries.filter(status=DeliveryStatus.SENT).order_by("-publication_id", "-pk"):
            key = (delivery.channel, delivery.target, delivery.external_id)
            adapter = get_adapter(delivery.channel) if delivery.channel in settings.HUB_CHANNELS else None
            if adapter is None or not adapter.supports_retract:
                delivery.last_error = _("%(channel)s cannot take a post down; remove it there by hand.") % {
                    "channel": delivery.channel
                }
                delivery.save(update_fields=["last_error", "updated_at"])
                continue
            if key in seen:
                # An earlier revision of the same post, updated in place: one retraction covers both.
                Delivery.objects.filter(pk=delivery.pk).update(
                    status=DeliveryStatus.RETRACTED, updated_at=now
                )
                continue
            seen.add(key)
            Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.SENT).update(
                status=DeliveryStatus.RETRACTING, next_attempt_at=None, updated_at=now
            )
            asked += 1
            if adapter.push:
                delivery_enqueue(delivery=delivery)
            else:
                delivery_process(delivery_id=delivery.pk)
    return asked


def delivery_retry(*, delivery: Delivery) -> bool:
    """Puts one failed delivery back in the queue, with a fresh attempt budget.

    Not when the story was unpublished since, or a newer revision has replaced this one.
    """
    publication = Publication.objects.get(pk=delivery.publication_id)
    newer = Publication.objects.filter(page_id=publication.page_id, pk__gt=publication.pk)
    if publication.retracted_at or (publication.page_id and newer.exists()):
        return False
    with transaction.atomic():
        updated = Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.FAILED).update(
            status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=None, updated_at=timezone.now()
        )
        if updated:
            delivery.refresh_from_db()
            delivery_enqueue(delivery=delivery)
    return bool(updated)


def deliveries_retry_failed(*, channel: str) -> int:
    """Retries every failed delivery of one channel; returns how many."""
    count = 0
    for delivery in Delivery.objects.filter(channel=channel, status=DeliveryStatus.FAILED).order_by(
        "-priority", "pk"
    ):
        count += delivery_retry(delivery=delivery)
    return count
