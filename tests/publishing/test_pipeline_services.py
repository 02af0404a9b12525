"""The pipeline end to end against a real HTTP channel on 127.0.0.1 (huey in immediate mode)."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from channels.testhttp import TestChannelServer
from hub.models import CampaignSettings, Phase
from publishing.delivery import backoff_seconds, deliveries_dispatch, delivery_claim, delivery_process
from publishing.models import Delivery, DeliveryAttempt, Publication
from publishing.models import DeliveryStatus as Status
from publishing.services import delivery_retry, publication_create
from tests.factories import GoodExamplePageFactory


@pytest.fixture
def server():
    server = TestChannelServer().start()
    yield server
    server.stop()


@pytest.fixture
def channels(settings, server):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "testhttp": {"BACKEND": "channels.testhttp.TestHttpAdapter", "URL": server.url, "TIMEOUT": 0.5},
    }
    settings.PUBLISHING_BACKOFF_BASE_MS = 5_000
    settings.PUBLISHING_RECONCILE = True
    return settings.HUB_CHANNELS


def publish(page, capture):
    """Saves and publishes a revision, running on-commit work (huey is immediate in tests)."""
    with capture(execute=True):
        revision = page.save_revision()
        revision.publish()
    return Publication.objects.get(revision=revision)


def test_publishing_a_story_freezes_variants_and_creates_one_delivery_per_target(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    page = GoodExamplePageFactory(
        parent=story_index, channels=["testhttp", "unknown"], sms_text="Tiêm đủ liều"
    )

    publication = publish(page, django_capture_on_commit_callbacks)

    assert publication.sms_text == "Tiêm đủ liều"
    assert publication.sms_text_ascii == "Tiem du lieu"
    assert publication.kind == "goodexample"
    assert publication.priority == "normal"
    assert publication.valid_until > publication.valid_from
    deliveries = {d.channel: d for d in publication.deliveries.all()}
    assert set(deliveries) == {"portal", "testhttp"}
    assert deliveries["portal"].status == Status.SENT
    assert deliveries["portal"].external_id == str(page.pk)
    assert deliveries["testhttp"].status == Status.SENT
    assert server.by_marker[deliveries["testhttp"].marker] == [deliveries["testhttp"].external_id]


def test_publishing_the_same_revision_twice_creates_nothing_new(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    publication = publish(page, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        again = publication_create(page=page, revision=publication.revision, user=None)

    assert again == publication
    assert Publication.objects.count() == 1
    assert Delivery.objects.count() == 2
    assert len(server.posts) == 1


def test_non_story_pages_are_not_published_to_channels(
    story_index, channels, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        story_index.save_revision().publish()

    assert not Publication.objects.exists()


def test_push_deliveries_are_enqueued_only_on_commit_while_pull_ones_are_recorded_in_the_transaction(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        page.save_revision().publish()
        portal = Delivery.objects.get(channel="portal")
        pushed = Delivery.objects.get(channel="testhttp")
        assert portal.status == Status.SENT
        assert pushed.status == Status.PENDING
    assert server.posts == {}
    assert callbacks

    for callback in callbacks:
        callback()

    pushed.refresh_from_db()
    assert pushed.status == Status.SENT
    assert pushed.attempt_log.get().outcome == "sent"


def test_render_refusing_a_story_fails_that_delivery_only(
    story_index, channels, server, settings, django_capture_on_commit_callbacks
):
    settings.HUB_CHANNELS = {**channels, "testhttp": {**channels["testhttp"], "MAX_LENGTH": 5}}
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])

    publication = publish(page, django_capture_on_commit_callbacks)

    pushed = publication.deliveries.get(channel="testhttp")
    assert pushed.status == Status.FAILED
    assert "this channel takes 5" in pushed.last_error
    assert publication.deliveries.get(channel="portal").status == Status.SENT


@pytest.mark.parametrize(
    ("attempts", "low", "high"), [(1, 3.75, 5), (2, 7.5, 10), (4, 30, 40), (30, 675, 900)]
)
def test_backoff_doubles_with_jitter_up_to_the_cap(settings, attempts, low, high):
    settings.PUBLISHING_BACKOFF_BASE_MS = 5_000
    settings.PUBLISHING_BACKOFF_MAX_MS = 900_000

    waits = [backoff_seconds(attempts=attempts) for _ in range(50)]

    assert all(low <= wait <= high for wait in waits)


def test_a_transient_error_schedules_a_retry_honouring_the_servers_wait(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    server.script = ["429:120"]
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])

    publication = publish(page, django_capture_on_commit_callbacks)

    delivery = publication.deliveries.get(channel="testhttp")
    assert delivery.status == Status.RETRYING
    assert delivery.attempts == 1
    assert delivery.next_attempt_at >= timezone.now() + datetime.timedelta(seconds=110)
    assert delivery.lease_expires_at is None
    assert delivery.attempt_log.get().outcome == "retry"
    assert delivery_process(delivery_id=delivery.pk) == "skipped"  # not due yet


def test_a_retry_that_is_due_is_sent_by_the_dispatcher(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    server.script = ["500"]
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    delivery = publish(page, django_capture_on_commit_callbacks).deliveries.get(channel="testhttp")
    assert delivery.status == Status.RETRYING
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_dispatch() == 1

    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert delivery.attempts == 2
    assert len(server.posts) == 1


def test_a_permanent_error_fails_visibly_and_is_not_retried(
    story_index, channels, server, django_capture_on_commit_callbacks, settings
):
    server.script = ["400"]
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])

    delivery = publish(page, django_capture_on_commit_callbacks).deliveries.get(channel="testhttp")

    assert delivery.status == Status.FAILED
    assert "refused (400)" in delivery.last_error
    assert delivery.next_attempt_at is None
    assert deliveries_dispatch() == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert delivery_retry(delivery=delivery)
    delivery.refresh_from_db()
    assert delivery.status == Status.SENT


def test_too_many_transient_errors_give_up(
    story_index, channels, server, django_capture_on_commit_callbacks, settings
):
    settings.PUBLISHING_MAX_ATTEMPTS = 2
    server.script = ["500", "500"]
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    delivery = publish(page, django_capture_on_commit_callbacks).deliveries.get(channel="testhttp")
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    server.script = ["500"]

    delivery_process(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert "2" in delivery.last_error


def test_an_expired_lease_lets_another_worker_finish_the_delivery(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    with django_capture_on_commit_callbacks(execute=False):
        page.save_revision().publish()
    delivery = Delivery.objects.get(channel="testhttp")
    dead_worker = delivery_claim(delivery_id=delivery.pk)  # claims, then dies without a word
    assert dead_worker.status == Status.SENDING
    assert delivery_process(delivery_id=delivery.pk) == "skipped"  # the lease still holds
    assert deliveries_dispatch() == 0

    Delivery.objects.filter(pk=delivery.pk).update(
        lease_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert deliveries_dispatch() == 1

    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert delivery.attempts == 2
    assert len(server.posts) == 1
    assert list(delivery.attempt_log.order_by("pk").values_list("action", "outcome")) == [
        ("send", "interrupted"),
        ("reconcile", "absent"),
        ("send", "sent"),
    ]


@pytest.mark.parametrize(("reconcile", "posts_for_marker"), [(True, 1), (False, 2)])
def test_an_uncertain_send_is_reconciled_before_sending_again(
    story_index, channels, server, django_capture_on_commit_callbacks, settings, reconcile, posts_for_marker
):
    settings.PUBLISHING_RECONCILE = reconcile
    server.script = ["effect500"]  # the post is made, but the answer is an error
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    delivery = publish(page, django_capture_on_commit_callbacks).deliveries.get(channel="testhttp")
    assert delivery.status == Status.RETRYING
    assert delivery.attempt_log.get().outcome == "uncertain"
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    assert delivery_process(delivery_id=delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert len(server.by_marker[delivery.marker]) == posts_for_marker
    assert delivery.external_id == server.by_marker[delivery.marker][-1 if not reconcile else 0]
    actions = sorted(delivery.attempt_log.values_list("action", "outcome"))
    if reconcile:
        assert ("reconcile", "sent") in actions


def test_a_timeout_after_the_post_was_made_is_reconciled(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    server.hang_seconds = 1.0
    server.script = ["hang"]
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    delivery = publish(page, django_capture_on_commit_callbacks).deliveries.get(channel="testhttp")
    assert delivery.status == Status.RETRYING
    Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())

    delivery_process(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert len(server.by_marker[delivery.marker]) == 1


def test_unpublishing_retracts_where_the_channel_can_and_says_why_not_elsewhere(
    story_index, channels, server, settings, django_capture_on_commit_callbacks
):
    settings.HUB_CHANNELS = {
        **channels,
        "noretract": {**channels["testhttp"], "RETRACT": False, "TARGET": "other"},
    }
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp", "noretract"])
    publication = publish(page, django_capture_on_commit_callbacks)
    assert len(server.live_posts()) == 2

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    publication.refresh_from_db()
    assert publication.retracted_at is not None
    statuses = dict(publication.deliveries.values_list("channel", "status"))
    assert statuses == {"portal": Status.RETRACTED, "testhttp": Status.RETRACTED, "noretract": Status.SENT}
    assert "không hỗ trợ gỡ bài" in publication.deliveries.get(channel="noretract").last_error
    assert [post["target"] for post in server.live_posts()] == ["other"]
    assert DeliveryAttempt.objects.filter(action="retract", outcome="retracted").count() == 2


def test_unpublishing_cancels_deliveries_not_yet_made(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    server.script = ["500"]
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    publication = publish(page, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    delivery = publication.deliveries.get(channel="testhttp")
    assert delivery.status == Status.CANCELLED
    assert server.live_posts() == []


def test_a_new_revision_updates_the_post_in_place(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    first = publish(page, django_capture_on_commit_callbacks)
    page.social_text = "Bản tin đã được cập nhật số liệu mới."

    second = publish(page, django_capture_on_commit_callbacks)

    assert second.previous == first
    old = first.deliveries.get(channel="testhttp")
    new = second.deliveries.get(channel="testhttp")
    assert new.status == Status.SENT
    assert new.external_id == old.external_id
    assert new.attempt_log.get().action == "update"
    assert len(server.posts) == 1
    post = server.posts[old.external_id]
    assert post["updates"] == 1
    assert post["payload"]["text"] == "Bản tin đã được cập nhật số liệu mới."


def test_a_new_revision_on_a_channel_without_editing_records_why_not(
    story_index, channels, server, settings, django_capture_on_commit_callbacks
):
    settings.HUB_CHANNELS = {**channels, "testhttp": {**channels["testhttp"], "UPDATE": False}}
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    publish(page, django_capture_on_commit_callbacks)
    page.social_text = "Nội dung mới"

    second = publish(page, django_capture_on_commit_callbacks)

    new = second.deliveries.get(channel="testhttp")
    assert new.status == Status.CANCELLED
    assert "không cho phép sửa bài đã đăng" in new.last_error
    assert len(server.posts) == 1


def test_urgent_alerts_in_an_outbreak_are_marked_urgent(
    story_index, channels, django_capture_on_commit_callbacks
):
    campaign = CampaignSettings.for_site(story_index.get_site())
    campaign.phase = Phase.OUTBREAK
    campaign.save()
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"], alert=True)

    publication = publish(page, django_capture_on_commit_callbacks)

    assert publication.priority == "urgent"
    assert publication.phase == Phase.OUTBREAK
    assert set(publication.deliveries.values_list("priority", flat=True)) == {10}


def test_scheduled_publishing_runs_from_the_periodic_task(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    from publishing.tasks import publish_scheduled_task

    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"], live=False)
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision().publish()
    assert not Publication.objects.exists()
    revision = page.latest_revision  # the go-live time arrives:
    past = timezone.now() - datetime.timedelta(seconds=1)
    revision.content["go_live_at"] = past.isoformat()
    revision.approved_go_live_at = past
    revision.save(update_fields=["content", "approved_go_live_at"])

    with django_capture_on_commit_callbacks(execute=True):
        publish_scheduled_task.call_local()

    page.refresh_from_db()
    assert page.live
    delivery = Publication.objects.get(page=page).deliveries.get(channel="testhttp")
    assert delivery.status == Status.SENT


def test_a_failed_delivery_of_an_unpublished_story_is_not_retried(
    story_index, channels, server, django_capture_on_commit_callbacks
):
    server.script = ["400"]
    page = GoodExamplePageFactory(parent=story_index, channels=["testhttp"])
    delivery = publish(page, django_capture_on_commit_callbacks).deliveries.get(channel="testhttp")
    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    assert not delivery_retry(delivery=delivery)

    delivery.refresh_from_db()
    assert delivery.status == Status.FAILED
    assert server.posts == {}


def test_a_channel_that_is_down_does_not_hold_up_the_others(
    story_index, channels, server, settings, django_capture_on_commit_callbacks
):
    settings.HUB_CHANNELS = {
        **channels,
        "down": {"BACKEND": "channels.testhttp.TestHttpAdapter", "URL": "http://127.0.0.1:9", "TIMEOUT": 0.5},
    }
    page = GoodExamplePageFactory(parent=story_index, channels=["down", "testhttp"])

    publication = publish(page, django_capture_on_commit_callbacks)

    statuses = dict(publication.deliveries.values_list("channel", "status"))
    assert statuses == {"portal": Status.SENT, "down": Status.RETRYING, "testhttp": Status.SENT}
