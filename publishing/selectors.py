"""Read-only questions about deliveries, for the admin."""

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from publishing.models import Delivery, DeliveryStatus


def deliveries_stuck(
    *, now: datetime.datetime | None = None, deliveries: QuerySet[Delivery] | None = None
) -> QuerySet[Delivery]:
    """Rows that should have moved by now: a lease long expired, or a retry long overdue."""
    now = now or timezone.now()
    late = now - datetime.timedelta(minutes=settings.PUBLISHING_STUCK_MINUTES)
    return (Delivery.objects.all() if deliveries is None else deliveries).filter(
        Q(status=DeliveryStatus.SENDING, lease_expires_at__lt=late)
        | Q(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING], next_attempt_at__lt=late)
        | Q(status=DeliveryStatus.PENDING, next_attempt_at__isnull=True, created_at__lt=late)
    )


def deliveries_for(user) -> QuerySet[Delivery]:
    """The deliveries of the user's organisations' publications (all for a superuser)."""
    from hub.tenancy import scope

    return scope(Delivery.objects.all(), user, field="publication__organisation")


def delivery_counts(*, deliveries: QuerySet[Delivery] | None = None) -> dict[str, int]:
    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    return {
        "failed": deliveries.filter(status=DeliveryStatus.FAILED).count(),
        "stuck": deliveries_stuck(deliveries=deliveries).count(),
        "retrying": deliveries.filter(status=DeliveryStatus.RETRYING).count(),
    }


def failed_channels(*, deliveries: QuerySet[Delivery] | None = None) -> list[tuple[str, int]]:
    """Channels with failed deliveries, and how many."""
    from django.db.models import Count

    deliveries = Delivery.objects.all() if deliveries is None else deliveries
    rows = (
        deliveries.filter(status=DeliveryStatus.FAILED)
        .values_list("channel")
        .annotate(n=Count("pk"))
        .order_by("channel")
    )
    return list(rows)
