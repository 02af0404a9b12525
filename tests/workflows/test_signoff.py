"""Sign-off = send: approval is refused while a channel's text does not fit it, by every way in,
and what the approver was shown is what the pipeline freezes and sends."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Site, TaskState

from channels import textlimits
from channels.social.models import Network, SandboxPost
from hub import limits, permissions
from hub.previews import preview_context
from hub.workflows import ensure_workflow
from publishing.models import Delivery
from tests.factories import GoodExamplePageFactory, UserFactory
from tests.factories.social import ChannelAccountFactory

PORTAL_HOST = "tuyentruyen.dienbien.gov.vn"
TOO_LONG = "Bà con tiêm đủ mũi. " + "a" * 238  # with the space and the link: over 280 on X
SHORT = "Bà con đi tiêm đủ mũi vắc-xin theo lịch của trạm y tế xã."


@pytest.fixture
def signoff(db, story_index):
    """A story waiting for the approver's sign-off, going to X through a sandbox account."""
    Site.objects.update(hostname=PORTAL_HOST)  # X counts a real host's link as 23
    ensure_workflow()
    writer = UserFactory(username="writer", groups=[permissions.EDITORS])
    approver = UserFactory(username="approver", groups=[permissions.APPROVERS])
    ChannelAccountFactory(network=Network.X, name="Điện Biên (X)", handle="@dienbien_gov")
    story = GoodExamplePageFactory(parent=story_index, live=False, channels=["x", "sms", "led"])
    # Submitting validates the texts; a story over a limit still reaches the approver when the
    # limit or the story's link changes after submission. Simulated: a revision saved unchecked.
    story.social_text = TOO_LONG
    story.save_revision(user=writer, clean=False)
    story.get_workflow().start(story, writer)
    story.refresh_from_db()
    return {"story": story, "writer": writer, "approver": approver}


def x_fit(story):
    [fit] = limits.channel_fits(story.get_latest_revision_as_object(), channels={"x"})
    return fit


def approve_url(story):
    state = story.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=[story.pk, "approve", state.pk])


def shorten(story, writer, text=SHORT):
    latest = story.get_latest_revision_as_object()
    latest.social_text = text
    latest.save_revision(user=writer)


def test_the_x_counter_the_approver_sees_counts_the_link(signoff):
    x = x_fit(signoff["story"])
    assert x.used == textlimits.x_weighted_length(TOO_LONG) + 24  # a space and 23 for the link
    assert x.limit == 280 and x.over == x.used - 280 > 0
    assert x.text.startswith(f"{TOO_LONG} http://{PORTAL_HOST}/")
    assert f"X: {x.used}/280" in x.message and f"thừa {x.over}" in x.message


def test_quick_approve_from_the_dashboard_is_refused(client, signoff):
    story = signoff["story"]
    client.force_login(signoff["approver"])

    client.post(approve_url(story), {"comment": ""})

    story.refresh_from_db()
    assert not story.live
    assert story.current_workflow_task_state.status == TaskState.STATUS_IN_PROGRESS
    assert not Delivery.objects.exists()


def test_the_approve_dialog_names_the_channel_and_the_excess(client, signoff):
    story = signoff["story"]
    client.force_login(signoff["approver"])

    response = client.post(approve_url(story), {"comment": "Đồng ý"}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")

    html = json.loads(response.content)["html"]
    x = x_fit(story)
    assert f"X: {x.used}/280" in html and f"thừa {x.over}" in html
    story.refresh_from_db()
    assert not story.live


def test_the_dashboard_offers_the_approval_as_a_dialog_that_says_why(client, signoff):
    story = signoff["story"]
    client.force_login(signoff["approver"])
    actions = story.current_workflow_task.specific.get_actions(story, signoff["approver"])
    assert [modal for name, _label, modal in actions if name == "approve"] == [True, True]

    response = client.get(approve_url(story))

    assert f"X: {x_fit(story).used}/280" in json.loads(response.content)["html"]


def test_approval_through_the_python_api_is_refused(signoff):
    story = signoff["story"]
    with pytest.raises(ValidationError) as refused:
        story.current_workflow_task.specific.on_action(
            story.current_workflow_task_state, signoff["approver"], "approve"
        )
    assert f"X: {x_fit(story).used}/280" in str(refused.value)
    story.refresh_from_db()
    assert not story.live


def test_what_the_approver_saw_is_frozen_and_sent_byte_for_byte(
    client, signoff, django_capture_on_commit_callbacks
):
    story = signoff["story"]
    shorten(story, signoff["writer"])
    story.refresh_from_db()
    shown = {
        mode: preview_context(story=story.get_latest_revision_as_object(), mode=mode, request=None)
        for mode in ("x", "sms", "led")
    }
    client.force_login(signoff["approver"])

    with django_capture_on_commit_callbacks(execute=True):
        client.post(approve_url(story), {"comment": ""})

    story.refresh_from_db()
    assert story.live
    x = Delivery.objects.get(channel="x")
    assert x.payload["post"] == shown["x"]["x_post"]
    assert SandboxPost.objects.get(action="send").payload["sent_text"] == shown["x"]["x_post"]
    assert Delivery.objects.get(channel="sms").payload["text"] == shown["sms"]["sms_text"]
    assert Delivery.objects.get(channel="led").payload["text"] == shown["led"]["led_text"]
    assert x.publication.url == story.get_full_url()


def test_the_counters_measure_the_link_of_the_story_being_edited(client, signoff):
    story = signoff["story"]
    client.force_login(signoff["writer"])
    response = client.post(
        reverse("hub_counters"), {"field": "social_text", "text": TOO_LONG, "page": story.pk}
    )
    data = response.json()
    x = x_fit(story)
    assert data["x"]["weighted"] == x.used
    assert data["sent"].startswith(f"{TOO_LONG} http://{PORTAL_HOST}/")
    assert f"thừa {x.over}" in data["error"]
