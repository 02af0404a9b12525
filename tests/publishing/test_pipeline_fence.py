"""Fenced leases: a worker that stalls past its lease cannot post a second time unseen.

Two workers run in turn in one thread: worker A claims a delivery and stalls (a sleep longer
than its lease); during the stall worker B reclaims the row and delivers it; then A resumes.
"""

import datetime
import json
import logging
import time

import pytest
from django.utils import timezone

import publishing.delivery as pipeline
from channels.testhttp import TestChannelServer, TestHttpAdapter
from publishing.delivery import db_now, deliveries_dispatch, delivery_claim, delivery_process, lease_remaining
from publishing.models import Delivery, OrphanPost
from publishing.models import DeliveryStatus as Status
from tests.publishing.test_pipeline_claims import make_delivery

LEASE = 1.0
STALL = 1.3  # longer than the lease


@pytest.fixture
def server():
    server = TestChannelServer().start()
    yield server
    server.stop()


@pytest.fixture
def fenced(settings, server):
    settings.HUB_CHANNELS = {
        "testhttp": {"BACKEND": "channels.testhttp.TestHttpAdapter", "URL": server.url, "TIMEOUT": 2}
    }
    settings.PUBLISHING_LEASE_SECONDS = LEASE
    settings.PUBLISHING_FENCE_MARGIN_MS = 100
    settings.PUBLISHING_RECONCILE = True
    return settings


def stall_after_claim(monkeypatch, worker_b_results: list):
    """Worker A stalls right after its claim; worker B runs to the end meanwhile."""
    real = pipeline.get_adapter
    state = {"stalled": False}

    def get_adapter(alias):
        if not state["stalled"]:
            state["stalled"] = True
            time.sleep(STALL)
            worker_b_results.append(delivery_process(delivery_id=Delivery.objects.get().pk))
        return real(alias)

    monkeypatch.setattr(pipeline, "get_adapter", get_adapter)


def fence_off(monkeypatch):
    """The pipeline as it was: no lease check before the request, no orphan report after it."""
    monkeypatch.setattr(pipeline, "_fence", lambda delivery, attempt: 5.0)
    monkeypatch.setattr(pipeline, "_orphan_found", lambda *args, **kwargs: None)


def test_without_the_fence_a_stalled_worker_posts_a_second_time(db, fenced, server, monkeypatch):
    delivery = make_delivery()
    fence_off(monkeypatch)
    worker_b: list = []
    stall_after_claim(monkeypatch, worker_b)

    worker_a = delivery_process(delivery_id=delivery.pk)

    assert worker_b == ["sent"]
    assert worker_a == "stale"  # A could not record, but its post went out anyway
    assert len(server.by_marker[delivery.marker]) == 2
    assert len(server.live_posts()) == 2
    assert not OrphanPost.objects.exists()


def test_with_the_fence_a_stalled_worker_does_not_send(db, fenced, server, monkeypatch):
    delivery = make_delivery()
    worker_b: list = []
    stall_after_claim(monkeypatch, worker_b)

    worker_a = delivery_process(delivery_id=delivery.pk)

    assert worker_b == ["sent"]
    assert worker_a == "stale"
    assert len(server.by_marker[delivery.marker]) == 1
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert delivery.external_id == server.by_marker[delivery.marker][0]
    outcomes = list(delivery.attempt_log.order_by("pk").values_list("action", "outcome"))
    assert outcomes == [("send", "interrupted"), ("reconcile", "absent"), ("send", "sent")]
    assert not OrphanPost.objects.exists()


def stall_inside_send(monkeypatch, worker_b_results: list):
    """Worker A stalls after its lease check, before its request reaches the channel."""
    real = TestHttpAdapter.send
    state = {"stalled": False}

    def send(self, payload, *, target, marker, timeout=None):
        if not state["stalled"]:
            state["stalled"] = True
            time.sleep(STALL)
            worker_b_results.append(delivery_process(delivery_id=Delivery.objects.get().pk))
        return real(self, payload, target=target, marker=marker, timeout=timeout)

    monkeypatch.setattr(TestHttpAdapter, "send", send)


def test_a_post_made_after_the_lease_passed_is_reported_as_an_orphan_and_taken_down(
    db, fenced, server, monkeypatch
):
    delivery = make_delivery()
    worker_b: list = []
    stall_inside_send(monkeypatch, worker_b)

    worker_a = delivery_process(delivery_id=delivery.pk)

    assert (worker_b, worker_a) == (["sent"], "stale")
    posts = server.by_marker[delivery.marker]
    assert len(posts) == 2
    assert [post["id"] for post in server.live_posts()] == [posts[0]]
    delivery.refresh_from_db()
    assert delivery.external_id == posts[0]
    orphan = OrphanPost.objects.get()
    assert (orphan.delivery_id, orphan.external_id, orphan.status) == (
        delivery.pk,
        posts[1],
        OrphanPost.Status.RETRACTED,
    )


def test_an_orphan_the_channel_cannot_take_down_is_flagged_on_the_deliveries_screen(
    db, fenced, server, monkeypatch, admin_client
):
    fenced.HUB_CHANNELS = {"testhttp": {**fenced.HUB_CHANNELS["testhttp"], "RETRACT": False}}
    delivery = make_delivery()
    stall_inside_send(monkeypatch, [])

    delivery_process(delivery_id=delivery.pk)

    orphan = OrphanPost.objects.get()
    assert orphan.status == OrphanPost.Status.FLAGGED
    assert len(server.live_posts()) == 2
    page = admin_client.get("/admin/publishing/deliveries/").content.decode()
    assert "Bài đăng trùng" in page or "Duplicate posts" in page
    assert orphan.external_id in page


def test_an_orphan_a_later_reconcile_adopted_is_kept(db, fenced, server, monkeypatch):
    delivery = make_delivery()
    real = TestHttpAdapter.send
    state = {"stalled": False}

    def send(self, payload, *, target, marker, timeout=None):
        receipt = real(self, payload, target=target, marker=marker, timeout=timeout)
        if not state["stalled"]:  # the post is made; the answer comes back after the lease
            state["stalled"] = True
            time.sleep(STALL)
            assert delivery_process(delivery_id=delivery.pk) == "sent"  # B reconciles: found
        return receipt

    monkeypatch.setattr(TestHttpAdapter, "send", send)

    assert delivery_process(delivery_id=delivery.pk) == "stale"

    assert len(server.live_posts()) == 1
    assert OrphanPost.objects.get().status == OrphanPost.Status.ADOPTED


def test_with_leases_on_the_workers_clock_a_fast_clock_takes_a_live_lease(db, fenced, monkeypatch):
    """The pipeline as it was: lease times from each worker's own clock."""
    fenced.PUBLISHING_LEASE_SECONDS = 60
    monkeypatch.setattr(pipeline, "_NOW_SQL", {})
    monkeypatch.setattr(pipeline, "_LEASE_SQL", {})
    delivery = make_delivery()
    assert delivery_claim(delivery_id=delivery.pk) is not None
    ahead = timezone.now() + datetime.timedelta(hours=1)
    monkeypatch.setattr(pipeline.timezone, "now", lambda: ahead)

    assert delivery_claim(delivery_id=delivery.pk) is not None  # a second holder of a live lease


def test_a_worker_whose_clock_runs_ahead_cannot_take_a_live_lease(db, fenced, monkeypatch):
    fenced.PUBLISHING_LEASE_SECONDS = 60
    delivery = make_delivery()
    assert delivery_claim(delivery_id=delivery.pk) is not None
    ahead = timezone.now() + datetime.timedelta(hours=1)
    monkeypatch.setattr(pipeline.timezone, "now", lambda: ahead)

    assert delivery_claim(delivery_id=delivery.pk) is None
    assert deliveries_dispatch() == 0


def test_lease_times_come_from_the_database_clock(db, fenced, monkeypatch):
    fenced.PUBLISHING_LEASE_SECONDS = 60
    delivery = make_delivery()
    monkeypatch.setattr(pipeline.timezone, "now", lambda: datetime.datetime(2001, 1, 1, tzinfo=datetime.UTC))

    claimed = delivery_claim(delivery_id=delivery.pk)

    expires = Delivery.objects.get(pk=delivery.pk).lease_expires_at
    assert abs((expires - db_now()).total_seconds() - 60) < 5
    assert 55 < lease_remaining(claimed) <= 60.01  # both clocks read to the millisecond


def test_the_request_timeout_is_shorter_than_what_is_left_of_the_lease(db, fenced, server, monkeypatch):
    fenced.PUBLISHING_LEASE_SECONDS = 30
    delivery = make_delivery()
    seen = []
    real = TestHttpAdapter.send

    def send(self, payload, *, target, marker, timeout=None):
        seen.append(timeout)
        return real(self, payload, target=target, marker=marker, timeout=timeout)

    monkeypatch.setattr(TestHttpAdapter, "send", send)

    assert delivery_process(delivery_id=delivery.pk) == "sent"
    assert seen and 25 < seen[0] < 30


def test_an_adapter_without_a_timeout_argument_still_works(db, fenced, server, monkeypatch):
    delivery = make_delivery()
    real = TestHttpAdapter.send

    def send(self, payload, *, target, marker):  # an adapter written before the timeout argument
        return real(self, payload, target=target, marker=marker)

    monkeypatch.setattr(TestHttpAdapter, "send", send)
    pipeline._TIMEOUT_AWARE.clear()

    assert delivery_process(delivery_id=delivery.pk) == "sent"
    pipeline._TIMEOUT_AWARE.clear()


def test_claims_orphans_and_attempts_are_logged_as_structured_events(db, fenced, server, monkeypatch, caplog):
    delivery = make_delivery()
    stall_inside_send(monkeypatch, [])

    with caplog.at_level(logging.INFO, logger="publishing.delivery"):
        delivery_process(delivery_id=delivery.pk)

    events = [(r.fields["event"], r.fields["outcome"]) for r in caplog.records if hasattr(r, "fields")]
    assert ("claim", "claimed") in events
    assert ("reclaim", "claimed") in events
    assert ("attempt", "sent") in events
    assert ("orphan", "found") in events
    assert ("retraction", "retracted") in events
    for record in caplog.records:
        if hasattr(record, "fields"):
            assert record.fields["delivery_id"] == delivery.pk and record.fields["channel"] == "testhttp"
            json.dumps(record.fields)
