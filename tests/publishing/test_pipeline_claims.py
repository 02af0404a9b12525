"""Claiming rows from several workers at once, and huey's priority order."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from channels.testhttp import TestChannelServer
from publishing.delivery import delivery_claim, delivery_enqueue, delivery_process
from publishing.models import Delivery, Publication
from publishing.models import DeliveryStatus as Status
from tests.factories.organisations import default_organisation


def make_delivery(*, channel="testhttp", priority=0, title="Tin thử nghiệm") -> Delivery:
    now = timezone.now()
    publication = Publication.objects.create(
        kind="goodexample",
        title=title,
        url="http://testserver/tin/",
        phase="new_normal",
        valid_from=now,
        valid_until=now,
        published_at=now,
        social_text=title,
        organisation=default_organisation(),
    )
    return Delivery.objects.create(
        publication=publication,
        channel=channel,
        target="main",
        priority=priority,
        payload={"text": title, "url": publication.url, "kind": "goodexample", "priority": "normal"},
    )


def test_a_claimed_row_cannot_be_claimed_again_until_its_lease_expires(db):
    delivery = make_delivery()

    first = delivery_claim(delivery_id=delivery.pk)
    second = delivery_claim(delivery_id=delivery.pk)

    assert first is not None and first.lease_owner
    assert second is None
    Delivery.objects.filter(pk=delivery.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    third = delivery_claim(delivery_id=delivery.pk)
    assert third is not None and third.lease_owner != first.lease_owner
    assert third.attempts == 2


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_same_rows_each_row_goes_to_one_only():
    if connection.vendor == "sqlite":
        pytest.skip(
            "SQLite's in-memory test database refuses concurrent writers; chaos.py races real processes"
        )
    deliveries = [make_delivery() for _ in range(15)]
    wins: dict[int, int] = {}
    lock = threading.Lock()
    barrier = threading.Barrier(2)

    def worker():
        try:
            barrier.wait()
            for delivery in deliveries:
                if delivery_claim(delivery_id=delivery.pk):
                    with lock:
                        wins[delivery.pk] = wins.get(delivery.pk, 0) + 1
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert wins == {delivery.pk: 1 for delivery in deliveries}
    assert set(Delivery.objects.values_list("status", "attempts")) == {(Status.SENDING, 1)}


@pytest.mark.django_db(transaction=True)
def test_a_row_locked_by_another_worker_is_skipped_without_waiting():
    if not connection.features.has_select_for_update_skip_locked:
        pytest.skip("SKIP LOCKED is a PostgreSQL feature; SQLite claims with a conditional update")
    delivery = make_delivery()
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        try:
            with transaction.atomic():
                Delivery.objects.select_for_update().get(pk=delivery.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    thread = threading.Thread(target=other_worker)
    thread.start()
    locked.wait(10)
    try:
        assert delivery_claim(delivery_id=delivery.pk) is None
    finally:
        release.set()
        thread.join(10)
    assert delivery_claim(delivery_id=delivery.pk) is not None


@pytest.fixture
def queued_huey(settings):
    """huey with a real queue instead of immediate mode: Redis when configured, else memory."""
    HUEY.immediate = False
    if not settings.REDIS_URL:
        HUEY.storage = MemoryStorage(HUEY.name)
    HUEY.flush()
    yield HUEY
    HUEY.flush()
    HUEY.immediate = True


@pytest.fixture
def server():
    server = TestChannelServer().start()
    yield server
    server.stop()


def test_urgent_deliveries_leave_the_queue_first(
    db, queued_huey, server, settings, django_capture_on_commit_callbacks
):
    settings.HUB_CHANNELS = {"testhttp": {"BACKEND": "channels.testhttp.TestHttpAdapter", "URL": server.url}}
    with django_capture_on_commit_callbacks(execute=True):
        normal = [make_delivery(title=f"Tin thường {n}") for n in range(3)]
        urgent = make_delivery(priority=10, title="Cảnh báo khẩn")
        for delivery in [*normal, urgent]:
            delivery_enqueue(delivery=delivery)

    while task := queued_huey.dequeue():
        # The task body, run here: huey's own wrapper would close the test's DB connection.
        delivery_process(delivery_id=task.args[0])

    assert server.arrivals == [d.marker for d in [urgent, *normal]]
    assert set(Delivery.objects.values_list("status", flat=True)) == {Status.SENT}
