"""End to end: publish a story → the pipeline posts to a Facebook Page and an X account → unpublish
→ both posts deleted. Huey runs inline (test settings); only the two networks are mocked."""

import json

import pytest
from wagtail.models import Site

from publishing.models import Delivery, DeliveryStatus
from tests.factories import GoodExamplePageFactory
from tests.social.recorded import GRAPH, X_API, replay

FB_POST = "100000000000011_122145678901234567"
TWEET = "1862001234567890123"
CHANNELS = {
    "portal": {"BACKEND": "channels.portal.PortalAdapter"},
    "facebook": {"BACKEND": "channels.social.facebook.FacebookAdapter"},
    "x": {"BACKEND": "channels.social.x.XAdapter"},
}


@pytest.fixture
def story(story_index, regions, settings):
    settings.HUB_CHANNELS = CHANNELS
    Site.objects.update(hostname="tuyentruyen.dienbien.gov.vn", port=443)
    page = GoodExamplePageFactory.build(
        title="Bà Lò Thị Hoa vận động 120 hộ đi tiêm vắc-xin",
        slug="ba-lo-thi-hoa",
        social_text="Gương người tốt: bà Lò Thị Hoa (Thanh Minh) vận động 120 hộ đi tiêm vắc-xin đủ liều.",
        channels=["facebook", "x"],
        live=False,
    )
    story_index.add_child(instance=page)
    page.regions.set([regions["ward"]])
    return page


def test_publish_posts_to_facebook_and_x_then_unpublish_deletes_both(
    story, fb_account, x_account, regions, http, django_capture_on_commit_callbacks
):
    fb_account.regions.set([regions["province"]])
    x_account.regions.set([regions["city"]])
    replay(http, "POST", f"{GRAPH}/100000000000011/feed", "facebook", "feed_created")
    replay(http, "POST", f"{X_API}/tweets", "x", "created")

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    social = Delivery.objects.filter(channel__in=["facebook", "x"]).order_by("channel")
    assert [(d.channel, d.status, d.external_id) for d in social] == [
        ("facebook", DeliveryStatus.SENT, FB_POST),
        ("x", DeliveryStatus.SENT, TWEET),
    ]
    facebook_delivery, x_delivery = social
    assert facebook_delivery.target == fb_account.target_key and x_delivery.target == x_account.target_key
    assert facebook_delivery.payload["message"].startswith("Gương người tốt")
    form = http.calls[0].request.body
    assert (
        f"utm_campaign%3D{facebook_delivery.marker}" in form
        or f"utm_campaign={facebook_delivery.marker}" in form
    )
    tweet = json.loads(http.calls[1].request.body)["text"]
    assert tweet == x_delivery.payload["post"]  # the frozen payload, byte for byte
    assert tweet.startswith("Gương người tốt") and tweet.endswith(
        f"utm_campaign={x_delivery.payload['marker']}"
    )
    assert "tuyentruyen.dienbien.gov.vn/" in tweet

    replay(http, "DELETE", f"{GRAPH}/{FB_POST}", "facebook", "success")
    replay(http, "DELETE", f"{X_API}/tweets/{TWEET}", "x", "deleted")

    with django_capture_on_commit_callbacks(execute=True):
        story.refresh_from_db()
        story.unpublish()

    assert set(social.values_list("status", flat=True)) == {DeliveryStatus.RETRACTED}
    deletes = [
        (call.request.method, call.request.url) for call in http.calls if call.request.method == "DELETE"
    ]
    assert sorted(deletes) == [("DELETE", f"{X_API}/tweets/{TWEET}"), ("DELETE", f"{GRAPH}/{FB_POST}")]


def test_a_story_for_another_district_does_not_reach_a_district_account(
    story, fb_account, x_account, regions, http, django_capture_on_commit_callbacks
):
    fb_account.regions.set([regions["other"]])  # Mường Lay only
    x_account.regions.set([regions["city"]])
    replay(http, "POST", f"{X_API}/tweets", "x", "created")

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()

    assert list(Delivery.objects.filter(channel__in=["facebook", "x"]).values_list("channel", flat=True)) == [
        "x"
    ]


def test_sandbox_accounts_run_the_whole_flow_offline(
    story, regions, http, django_capture_on_commit_callbacks, db
):
    from channels.social.demo import populate
    from channels.social.models import SandboxPost

    class Out:
        lines = []

        def write(self, text):
            self.lines.append(text)

    populate(stdout=Out())
    populate(stdout=Out())  # idempotent

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        story.refresh_from_db()
        story.unpublish()

    social = Delivery.objects.filter(channel__in=["facebook", "x"])
    assert social.count() == 3
    assert all(d.sandbox and d.status == DeliveryStatus.RETRACTED for d in social)
    assert SandboxPost.objects.filter(action="send").count() == 3
    assert SandboxPost.objects.filter(action="retract").count() == 3
    assert len(http.calls) == 0
