"""The pipeline acts on what the social adapters raise: retry at the server's time, reconcile before
re-posting after an uncertain outcome (never twice), fail and disable on a dead token."""

import datetime

import pytest
from django.utils import timezone

from publishing.delivery import delivery_process
from publishing.models import Delivery, DeliveryStatus
from tests.social.recorded import GRAPH, X_API, replay

FEED = f"{GRAPH}/100000000000011/feed"
POSTS = f"{GRAPH}/100000000000011/posts"


@pytest.fixture
def delivery_for(publication):
    def make(adapter, account) -> Delivery:
        target = f"account:{account.pk}"
        return Delivery.objects.create(
            publication=publication,
            channel=adapter.alias,
            target=target,
            payload=adapter.render(publication, None),
        )

    return make


def due_now(delivery: Delivery) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def test_uncertain_post_is_reconciled_not_posted_twice(http, facebook, fb_account, delivery_for):
    delivery = delivery_for(facebook, fb_account)
    http.add("POST", FEED, body="<html>502 Bad Gateway</html>", status=502, content_type="text/html")

    assert delivery_process(delivery_id=delivery.pk) == "uncertain"
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING and delivery.next_attempt_at > timezone.now()

    # The post had in fact landed: the retry finds it by its marker and does not post again.
    replay(http, "GET", POSTS, "facebook", "recent_posts", marker=delivery.marker)
    due_now(delivery)
    assert delivery_process(delivery_id=delivery.pk) == "sent"

    delivery.refresh_from_db()
    assert delivery.external_id == "100000000000011_122145678901234567"
    assert [call.request.method for call in http.calls] == ["POST", "GET"]
    assert list(delivery.attempt_log.order_by("pk").values_list("action", "outcome")) == [
        ("send", "uncertain"),
        ("reconcile", "sent"),
    ]


def test_expired_token_fails_the_delivery_and_disables_the_page(http, facebook, fb_account, delivery_for):
    delivery = delivery_for(facebook, fb_account)
    replay(http, "POST", FEED, "facebook", "token_expired")

    assert delivery_process(delivery_id=delivery.pk) == "failed"

    delivery.refresh_from_db()
    fb_account.refresh_from_db()
    assert delivery.status == DeliveryStatus.FAILED and "190" in delivery.last_error
    assert fb_account.disabled_at is not None


def test_x_rate_limit_is_retried_after_the_reset_time(http, x, x_account, delivery_for):
    delivery = delivery_for(x, x_account)
    reset = int(timezone.now().timestamp()) + 15 * 60
    replay(http, "POST", f"{X_API}/tweets", "x", "rate_limited", reset=reset)

    assert delivery_process(delivery_id=delivery.pk) == "retry"

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRYING
    wait = (delivery.next_attempt_at - timezone.now()).total_seconds()
    assert 14 * 60 <= wait <= 15 * 60 + 1
