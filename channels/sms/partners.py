"""Partner services and selectors: coverage denormalisation and the monitoring figures."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone

from channels.sms.coverage import organisation_path
from channels.sms.feed import visible_entries
from channels.sms.keys import forget_partner_keys
from channels.sms.models import AckStatus, EntryKind, Partner, PartnerKey, SmsAck


def partner_refresh_coverage(*, partner: Partner) -> None:
    """Copies the paths of the partner's coverage regions onto it (read by every feed request)."""
    paths = sorted(
        organisation_path(partner.organisation_id, path)
        for path in partner.coverage.values_list("path", flat=True)
    )
    if paths != partner.coverage_paths:
        partner.coverage_paths = paths
        Partner.objects.filter(pk=partner.pk).update(coverage_paths=paths)
    forget_partner_keys(partner_id=partner.pk)


def on_coverage_changed(*, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """m2m_changed receiver for Partner.coverage (either side of the relation)."""
    if not action.startswith("post_"):
        return
    partners = Partner.objects.filter(pk__in=pk_set or []) if reverse else [instance]
    if reverse and action == "post_clear":
        partners = Partner.objects.all()
    for partner in partners:
        partner_refresh_coverage(partner=partner)


def on_partner_saved(*, instance: Partner, raw: bool = False, **kwargs) -> None:
    """post_save receiver: a partner moved to another organisation sees that organisation's feed;
    its keys' cached identities are dropped (they carry its exercise setting)."""
    if raw:
        return
    if instance.coverage_paths and not all(
        path.startswith(organisation_path(instance.organisation_id)) for path in instance.coverage_paths
    ):
        partner_refresh_coverage(partner=instance)
    else:
        forget_partner_keys(partner_id=instance.pk)


@dataclass(frozen=True)
class PartnerHealth:
    partner: Partner
    last_pull: datetime.datetime | None
    unacknowledged: int
    recipients: int
    failures: int
    stale: bool


def partner_health(*, partner: Partner) -> PartnerHealth:
    """The figures the monitoring view shows for one partner."""
    last_pull = PartnerKey.objects.filter(partner=partner).aggregate(last=Max("last_used_at"))["last"]
    messages = visible_entries(coverage_paths=partner.coverage_paths).filter(kind=EntryKind.MESSAGE)
    unacknowledged = messages.exclude(acks__partner=partner).count()
    totals = SmsAck.objects.filter(partner=partner).aggregate(
        recipients=Sum("recipients"),
        failures=Count("pk", filter=Q(status__in=[AckStatus.FAILED, AckStatus.REJECTED])),
    )
    return PartnerHealth(
        partner=partner,
        last_pull=last_pull,
        unacknowledged=unacknowledged,
        recipients=totals["recipients"] or 0,
        failures=totals["failures"],
        stale=partner.active and is_stale(last_pull),
    )


def is_stale(last_pull: datetime.datetime | None) -> bool:
    limit = timezone.now() - datetime.timedelta(minutes=settings.SMS_PARTNER_STALE_MINUTES)
    return last_pull is None or last_pull < limit


def stale_partners(*, partners=None) -> list[tuple[Partner, datetime.datetime | None]]:
    """Active partners (of those given) that have not pulled for SMS_PARTNER_STALE_MINUTES (the dashboard warning)."""
    partners = (Partner.objects.all() if partners is None else partners).filter(active=True)
    partners = partners.annotate(last_pull=Max("keys__last_used_at"))
    return [(partner, partner.last_pull) for partner in partners if is_stale(partner.last_pull)]


def recent_failures(*, partner: Partner, limit: int = 20):
    return SmsAck.objects.filter(
        partner=partner, status__in=[AckStatus.FAILED, AckStatus.REJECTED]
    ).select_related("entry")[:limit]
