"""State changes of the intake: a report in, grouping, merge and split, status, erasure.

Every change to a claim leaves a Wagtail log entry (its history in the admin).
"""

import datetime
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, F, Max, Min, Value
from django.db.models.functions import Greatest, Least
from django.utils import timezone
from wagtail.log_actions import log

from hub import permissions
from hub.intake import matching
from hub.intake.models import Claim, ClaimStatus, ClaimTopic, Contact, ContactKind, Tip, TipKind, TipSource

ACTION_CREATED = "intake.claim_created"
ACTION_MERGED = "intake.merged"
ACTION_SPLIT = "intake.split"
ACTION_STATUS = "intake.status"
ACTION_REBUTTAL = "intake.rebuttal_created"
ACTION_ANSWERED = "intake.answered"
ACTION_CONTACT_ERASED = "intake.contact_erased"

TITLE_LENGTH = 120
# Folded words that mark a medical claim (health reviewers) rather than fake news (police).
MEDICAL_WORDS = frozenset(
    [
        "benh",
        "covid",
        "corona",
        "virus",
        "vac",
        "xin",
        "vaccine",
        "tiem",
        "thuoc",
        "chua",
        "khoi",
        "mien",
        "dich",
        "y",
        "te",
        "bac",
        "si",
        "nhiem",
        "sot",
        "ho",
        "khau",
        "trang",
        "xet",
        "nghiem",
        "dieu",
        "tri",
        "lay",
        "f0",
        "omicron",
        "delta",
        "ca",
    ]
)


@dataclass(frozen=True)
class IncomingReport:
    """What a door received; the text is required, everything else optional."""

    kind: str
    source: str
    text: str
    link: str = ""
    screenshot: object = None  # an uploaded file that passed the image checks
    seen_where: str = ""
    seen_on: datetime.date | None = None
    region_id: int | None = None
    contact: str = ""
    reported_by: object = None
    partner_id: int | None = None
    external_id: str = ""
    received_at: datetime.datetime | None = None


def contact_kind(value: str) -> str:
    return ContactKind.EMAIL if "@" in value else ContactKind.PHONE


def contact_normalize(value: str) -> str:
    """E-mail lower-cased; a phone number as digits with Vietnam's +84 (0912… → +84912…)."""
    value = (value or "").strip()
    if not value:
        return ""
    if "@" in value:
        return value.lower()
    digits = "".join(character for character in value if character.isdigit())
    if digits.startswith("84"):
        return "+" + digits
    if digits.startswith("0"):
        return "+84" + digits[1:]
    return "+" + digits if value.startswith("+") else digits


def guess_topic(normalized: str, kind: str) -> str:
    if kind == TipKind.QUESTION:
        return ClaimTopic.OTHER
    words = set(normalized.split())
    return ClaimTopic.MEDICAL if words & MEDICAL_WORDS else ClaimTopic.FAKE_NEWS


def group_for_topic(topic: str):
    from django.contrib.auth.models import Group

    name = {
        ClaimTopic.MEDICAL: permissions.HEALTH_REVIEWERS,
        ClaimTopic.FAKE_NEWS: permissions.POLICE_REVIEWERS,
    }.get(topic)
    return Group.objects.filter(name=name).first() if name else None


def _window_start() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(days=settings.INTAKE_GROUPING_DAYS)


GENERATION_KEY = "intake:grouping:generation"  # bumped when claims are merged, split or deleted
RELOAD_SECONDS = 60  # a process re-reads its candidates at least this often (the window moves)


@dataclass
class _Candidates:
    """One organisation's and kind's reports in the grouping window, as this process last read them."""

    generation: object
    loaded_at: float
    last_tip_id: int = 0
    texts: dict = field(default_factory=dict)  # normalised text → claim id (the latest report's)
    links: dict = field(default_factory=dict)  # link key → claim id
    hashes: dict = field(default_factory=dict)  # image hash → claim id
    words: dict = field(default_factory=dict)  # word → the texts that have it (an ordered set)

    def add(self, rows) -> None:
        for pk, normalized, claim_id, link_key, image_hash in rows:
            if normalized:
                self.texts.pop(normalized, None)  # re-insert: the newest report's claim wins
                self.texts[normalized] = claim_id
                for word in set(normalized.split()):
                    self.words.setdefault(word, {})[normalized] = None
            if link_key:
                self.links[link_key] = claim_id
            if image_hash:
                self.hashes[image_hash] = claim_id
            self.last_tip_id = max(self.last_tip_id, pk)


_candidates: dict[tuple[int, str], _Candidates] = {}


def grouping_changed() -> None:
    """Every process re-reads its candidates (claims were merged, split or deleted)."""
    cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def _candidates_for(organisation, kind: str) -> _Candidates:
    """Read once per process, then extended with the reports filed since (one small query)."""
    generation = cache.get(GENERATION_KEY)
    key = (organisation.pk, kind)
    entry = _candidates.get(key)
    stale = (
        entry is None or entry.generation != generation or time.monotonic() - entry.loaded_at > RELOAD_SECONDS
    )
    rows = Tip.objects.filter(organisation=organisation, kind=kind, claim__isnull=False)
    if stale:
        entry = _Candidates(generation=generation, loaded_at=time.monotonic())
        rows = rows.filter(received_at__gte=_window_start())
        _candidates[key] = entry
    else:
        rows = rows.filter(pk__gt=entry.last_tip_id)
    entry.add(rows.order_by("pk").values_list("pk", "normalized", "claim_id", "link_key", "image_hash"))
    return entry


def claim_id_for_report(
    *, organisation, kind: str, normalized: str, link_key: str, image_hash: str
) -> int | None:
    """The claim this report belongs to: same link, same picture, or text alike enough."""
    candidates = _candidates_for(organisation, kind)
    if link_key and link_key in candidates.links:
        return candidates.links[link_key]
    if image_hash:
        for other_hash, claim_id in candidates.hashes.items():
            if matching.hash_distance(image_hash, other_hash) <= matching.IMAGE_DISTANCE:
                return claim_id
    # Only texts that share a word with this one can reach the threshold: compare those.
    pool = {}
    for word in dict.fromkeys(normalized.split()):
        pool.update(candidates.words.get(word, {}))
    texts = list(pool)
    found = matching.best_text_match(normalized, texts)
    return None if found is None else candidates.texts[texts[found[0]]]


def _claim_add_report(claim_id: int, tip: Tip) -> bool:
    """Counts one more report on the claim in one UPDATE; False if the claim is gone."""
    new_region = (
        bool(tip.region_id) and not Tip.objects.filter(claim_id=claim_id, region_id=tip.region_id).exists()
    )
    return bool(
        Claim.objects.filter(pk=claim_id).update(
            tip_count=F("tip_count") + 1,
            region_count=F("region_count") + int(new_region),
            priority=F("priority") + 1 + settings.INTAKE_PRIORITY_PER_REGION * int(new_region),
            first_reported_at=Least("first_reported_at", Value(tip.received_at)),
            last_reported_at=Greatest("last_reported_at", Value(tip.received_at)),
        )
    )


def claim_refresh(*, claim: Claim) -> Claim:
    """Counts, dates and priority from the claim's reports: more reports and regions rank higher."""
    figures = claim.tips.aggregate(
        count=Count("pk"),
        regions=Count("region", distinct=True),
        first=Min("received_at"),
        last=Max("received_at"),
    )
    claim.tip_count = figures["count"]
    claim.region_count = figures["regions"]
    claim.first_reported_at = figures["first"]
    claim.last_reported_at = figures["last"]
    claim.priority = claim.tip_count + settings.INTAKE_PRIORITY_PER_REGION * claim.region_count
    claim.save(
        update_fields=[
            "tip_count",
            "region_count",
            "first_reported_at",
            "last_reported_at",
            "priority",
        ]
    )
    return claim


@transaction.atomic
def tip_intake(*, organisation, report: IncomingReport) -> Tip:
    """Stores one report, its contact apart, and files it under a claim (a new one if none is alike)."""
    from hub.intake.notifications import notify_if_answered
    from hub.intake.screenshots import screenshot_clean

    link = report.link or matching.first_link(report.text)
    tip = Tip(
        organisation=organisation,
        kind=report.kind,
        source=report.source,
        text=report.text.replace("\x00", "").strip(),
        link=report.link,
        link_key=matching.link_key(link),
        seen_where=report.seen_where,
        seen_on=report.seen_on,
        region_id=report.region_id,
        reported_by=report.reported_by,
        partner_id=report.partner_id,
        external_id=report.external_id,
        received_at=report.received_at or timezone.now(),
    )
    tip.normalized = matching.normalize(tip.text)
    if report.screenshot is not None:
        content, tip.image_hash = screenshot_clean(report.screenshot)
        tip.screenshot.save(content.name, content, save=False)

    claim_id = claim_id_for_report(
        organisation=organisation,
        kind=tip.kind,
        normalized=tip.normalized,
        link_key=tip.link_key,
        image_hash=tip.image_hash,
    )
    if claim_id is not None and not _claim_add_report(claim_id, tip):
        transaction.on_commit(grouping_changed)  # the claim was deleted: forget it everywhere
        claim_id = None
    if claim_id is None:
        topic = guess_topic(tip.normalized, tip.kind)
        regions = 1 if tip.region_id else 0
        tip.claim = Claim.objects.create(
            organisation=organisation,
            kind=tip.kind,
            title=_title(tip.text),
            text=tip.text,
            topic=topic,
            assigned_group=group_for_topic(topic),
            tip_count=1,
            region_count=regions,
            priority=1 + settings.INTAKE_PRIORITY_PER_REGION * regions,
            first_reported_at=tip.received_at,
            last_reported_at=tip.received_at,
        )
        user = report.reported_by if report.source == TipSource.STAFF else None
        log(tip.claim, ACTION_CREATED, user=user, data={"source": tip.source})
    else:
        tip.claim_id = claim_id
    tip.save()

    value = contact_normalize(report.contact)
    if value:
        Contact.objects.create(organisation=organisation, tip=tip, kind=contact_kind(value), value=value)
        notify_if_answered(tip=tip)
    return tip


def _title(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


@transaction.atomic
def claims_merge(*, target: Claim, others: list[Claim], user=None) -> Claim:
    """Moves every report of `others` to `target` and deletes them (same organisation only)."""
    others = [
        other for other in others if other.pk != target.pk and other.organisation_id == target.organisation_id
    ]
    for other in others:
        other.tips.update(claim=target)
        other.notifications.update(claim=target)
        log(target, ACTION_MERGED, user=user, data={"merged": other.pk, "title": other.title})
        other.delete()
    transaction.on_commit(grouping_changed)
    return claim_refresh(claim=target)


@transaction.atomic
def claim_split(*, claim: Claim, tips: list[Tip], user=None) -> Claim:
    """Moves the given reports out of `claim` into a new claim of their own."""
    tips = [tip for tip in tips if tip.claim_id == claim.pk]
    if not tips or len(tips) == claim.tips.count():
        raise ValueError("choose some, not all, of the claim's reports")
    first = min(tips, key=lambda tip: tip.received_at)
    topic = guess_topic(first.normalized, first.kind)
    new = Claim.objects.create(
        organisation=claim.organisation,
        kind=first.kind,
        title=_title(first.text),
        text=first.text,
        topic=topic,
        assigned_group=group_for_topic(topic),
    )
    Tip.objects.filter(pk__in=[tip.pk for tip in tips]).update(claim=new)
    claim_refresh(claim=claim)
    claim_refresh(claim=new)
    log(claim, ACTION_SPLIT, user=user, data={"tips": [tip.pk for tip in tips], "into": new.pk})
    log(new, ACTION_CREATED, user=user, data={"split_from": claim.pk})
    transaction.on_commit(grouping_changed)
    return new


def claim_set_status(*, claim: Claim, status: str, user=None) -> Claim:
    if claim.status != status:
        previous = claim.status
        claim.status = status
        claim.save(update_fields=["status"])
        log(claim, ACTION_STATUS, user=user, data={"from": previous, "to": status})
    return claim


def contacts_erase(*, contacts, user=None, reason: str = "request") -> int:
    """Deletes contacts (and cancels the replies still owed to them); returns how many went."""
    from hub.intake.models import Notification, NotificationStatus

    erased = 0
    for contact in contacts.select_related("tip__claim"):
        with transaction.atomic():
            Notification.objects.filter(tip_id=contact.tip_id, status=NotificationStatus.PENDING).update(
                status=NotificationStatus.CANCELLED
            )
            if contact.tip.claim is not None and reason == "request":
                log(contact.tip.claim, ACTION_CONTACT_ERASED, user=user, data={"tip": contact.tip_id})
            contact.delete()
            erased += 1
    return erased


def contacts_erase_expired(*, now: datetime.datetime | None = None) -> int:
    """Erases the contacts older than INTAKE_CONTACT_RETENTION_DAYS."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.INTAKE_CONTACT_RETENTION_DAYS)
    return contacts_erase(contacts=Contact.objects.filter(created_at__lt=cutoff), reason="expiry")


def contact_erase_by_value(*, organisation, value: str, user=None) -> int:
    """A reporter's request: every contact of theirs at this organisation is erased."""
    normalized = contact_normalize(value)
    if not normalized:
        return 0
    return contacts_erase(
        contacts=Contact.objects.filter(organisation=organisation, value=normalized), user=user
    )


def is_open(claim: Claim) -> bool:
    return claim.status in (ClaimStatus.NEW, ClaimStatus.VERIFYING)
