"""Read-only questions about deliveries, for the admin."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from publishing.models import Delivery, DeliveryStatus


def deliveries_stuck(*, now: datetime.datetime | None = None) -> QuerySet[Delivery]:
    """Rows that should have moved by now: a lease long expired, or a retry long overdue."""
    now = now or timezone.now()
    late = now - datetime.timedelta(minutes=settings.PUBLISHING_STUCK_MINUTES)
    return Delivery.objects.filter(
        Q(status=DeliveryStatus.SENDING, lease_expires_at__lt=late)
        | Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lt=late)
        | Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=True, created_at__lt=late)
    )


def delivery_counts() -> dict[str, int]:
    return {
        "failed": Delivery.objects.filter(status=DeliveryStatus.FAILED).count(),
        "stuck": deliveries_stuck().count(),
        "retrying": Delivery.objects.filter(status=DeliveryStatus.RETRYING).count(),
    }


def failed_channels() -> list[tuple[str, int]]:
    """Channels with failed deliveries, and how many."""
    from django.db.models import Count

    rows = (
        Delivery.objects.filter(status=DeliveryStatus.FAILED)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by("channel")
    )
    return list(rows)
