"""The pipeline's state changes: publish a revision, retract a story, retry failed deliveries."""

import datetime
import logging

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, Revision, TaskState

from channels.base import PermanentError, Target
from channels.registry import get_adapter, get_adapters
from publishing.delivery import URGENT_PRIORITY, delivery_enqueue, delivery_process
from publishing.models import Delivery, DeliveryStatus, Priority, Publication
from publishing.signals import publication_created, publication_retracted

logger = logging.getLogger(__name__)

DEFAULT_VALIDITY = datetime.timedelta(days=3)
PLACEHOLDER_URL = "https://example.org/"


def story_url(page) -> str:
    """The story's portal address as it will be once published (the same rule before and after).

    A story not yet saved has no place in the tree: its address is measured as a placeholder
    link (X counts every link as 23 whatever it is; the approver always sees the real one).
    """
    parent = page.get_parent() if page.pk else None
    if parent is None:
        return PLACEHOLDER_URL
    page.set_url_path(parent)  # in memory only: a draft's slug may differ from the live row's
    return page.get_full_url() or ""


def publication_values(page, *, now=None) -> dict:
    """What a Publication of this story freezes: shown to the approver, then stored as it is."""
    from hub.exercise import in_exercise
    from hub.models import CampaignSettings, Phase
    from hub.tenancy import organisation_for_site
    from hub.translations import page_language

    site = page.get_site() if page.pk else None
    phase = CampaignSettings.for_site(site).phase if site else Phase.NEW_NORMAL
    now = now or timezone.now()
    organisation = organisation_for_site(site)
    return {
        "page_id": page.pk,
        "organisation": organisation,
        "is_exercise": in_exercise(organisation),
        "kind": page.kind,
        "language": page_language(page),
        "title": page.title,
        "summary": page.summary,
        "url": story_url(page),
        "image_id": page.hero_image_id,
        "sms_text": page.sms_variant,
        "sms_text_ascii": page.sms_variant_ascii,
        "social_text": page.social_variant,
        "led_text": page.led_variant[:255],
        "loudspeaker_text": page.loudspeaker_variant,
        "loudspeaker_recording": page.loudspeaker_recording,
        "zalo_text": page.zalo_variant,
        "channels": list(page.channels or []),
        "phase": phase,
        "priority": Priority.URGENT if page.alert and phase == Phase.OUTBREAK else Priority.NORMAL,
        "valid_from": now,
        "valid_until": page.message_valid_until or now + DEFAULT_VALIDITY,
        "published_at": now,
    }


def _story_regions(page, organisation) -> list:
    """The story's regions; none means everywhere the organisation serves."""
    from hub.models import Region

    if page.pk and (regions := list(page.regions.all())):
        return regions
    if organisation is not None and organisation.region_id:
        return [organisation.region]
    return list(Region.objects.filter(parent__isnull=True))


def _language_regions(page, values: dict) -> list:
    """The story's regions whose people receive its language (regions' language lists).

    Where no target region receives it, only the portal carries it (the channels in `values`
    are emptied).
    """
    from hub.models.regions import regions_for_language

    regions = _story_regions(page, values["organisation"])
    if not regions:
        return regions
    receiving = regions_for_language(regions, values["language"])
    if not receiving:
        values["channels"] = [alias for alias in values["channels"] if _chooses_languages(alias)]
    return receiving


def _chooses_languages(alias: str) -> bool:
    adapter = get_adapters().get(alias)
    return bool(adapter is not None and adapter.chooses_languages)


class _Regions:
    def __init__(self, regions):
        self._regions = regions

    def all(self):
        return list(self._regions)


class PublicationDraft:
    """The Publication a story would get if published now, unsaved; adapters render it as they
    render the real one (their render() only reads it), so the approver signs off what is sent."""

    pk = id = revision_id = None

    def __init__(self, values: dict, regions: list):
        self.__dict__.update(values)
        self.organisation_id = getattr(values.get("organisation"), "pk", None)
        self.regions = _Regions(regions)

    @property
    def is_urgent(self) -> bool:
        return self.priority == Priority.URGENT


def publication_draft(*, page) -> PublicationDraft:
    page = page.specific
    values = publication_values(page)
    return PublicationDraft(values, _language_regions(page, values))


def rendered_payloads(*, page) -> dict[str, list[tuple[str, dict | None, str]]]:
    """Each channel's payloads for the story, by channel alias: (target label, payload or None, error).

    The same adapters and render() that publication_create freezes into the deliveries.
    """
    draft = publication_draft(page=page)
    payloads = {}
    for alias in _channel_aliases(draft):
        adapter = get_adapter(alias)
        targets = adapter.targets(draft) or [Target(key="", label="")]
        rendered = []
        for target in targets:
            try:
                rendered.append((target.label, adapter.render(draft, target), ""))
            except PermanentError as exc:
                rendered.append((target.label, None, str(exc)))
        payloads[alias] = rendered
    return payloads


def publication_create(*, page: Page, revision: Revision | None, user=None) -> Publication | None:
    """Freezes the approved variants of a story revision and creates its deliveries (idempotent)."""
    from hub.models import StoryPage

    page = page.specific
    if not isinstance(page, StoryPage) or not page.live:
        return None  # not a story, or only scheduled: the go-live publish comes back here
    revision = revision or page.live_revision
    existing = Publication.objects.filter(revision=revision).first() if revision else None
    if existing:
        return existing
    values = publication_values(page)
    values.pop("page_id")
    regions = _language_regions(page, values)
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
                    **values,
                    published_by=published_by if getattr(published_by, "pk", None) else None,
                    approved_by=approved_by,
                )
        except IntegrityError:
            return Publication.objects.get(revision=revision)
        publication.regions.set(regions)
        _supersede(publication)
        deliveries_create(publication=publication)
        publication_created.send(sender=Publication, publication=publication)
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
    """The portal and the other automatic channels, then those the story chose."""
    automatic = [alias for alias, adapter in get_adapters().items() if adapter.automatic]
    aliases = []
    for alias in [*automatic, *publication.channels]:
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
            defaults={
                "target_label": target.label,
                "priority": priority,
                "sandbox": adapter.sandbox or (publication.is_exercise and adapter.push),
            },
        )
        if not created:
            continue
        try:
            delivery.payload = adapter.render(publication, target)
            if publication.is_exercise and adapter.push:  # a drill: the adapter's sandbox only
                delivery.payload["exercise"] = True
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
        retracted = list(Publication.objects.filter(page=page, retracted_at__isnull=True))
        Publication.objects.filter(page=page, retracted_at__isnull=True).update(retracted_at=now)
        publication_retracted.send(sender=Publication, page=page, publications=retracted)
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


def deliveries_retry_failed(*, channel: str, deliveries=None) -> int:
    """Retries every failed delivery of one channel (of those given); returns how many."""
    count = 0
    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    for delivery in deliveries.filter(channel=channel, status=DeliveryStatus.FAILED).order_by(
        "-priority", "pk"
    ):
        count += delivery_retry(delivery=delivery)
    return count


def delivery_receipt_record(
    *, publication_id: int | None, external_id: str, at: datetime.datetime, new: bool
) -> bool:
    """A device reported the delivery's content played (a pull channel's proof of play).

    `new` is true once per receipt (a bulletin's first play at a station, decided by the
    channel's own unique row, in the caller's transaction): only then is it counted. The row
    keeps the earliest time reported. False when no delivery matches (content made outside
    the pipeline). Statements, not read-modify-write: concurrent receipts are never lost.
    """
    if publication_id is None or not external_id:
        return False
    rows = Delivery.objects.filter(publication_id=publication_id, external_id=external_id)
    counted = rows.update(delivered_count=F("delivered_count") + 1) if new else 0
    moved = rows.filter(Q(delivered_at__isnull=True) | Q(delivered_at__gt=at)).update(delivered_at=at)
    return bool(counted or moved or (not new and rows.exists()))
