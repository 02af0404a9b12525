"""The exercise switch in the admin (who may move it, the banner) and what the approver is shown
during a drill: the marked texts, exactly as they are then sent."""

import pytest
from django.urls import reverse
from django.utils import timezone

from channels.base import ChannelAdapter, Receipt, Target
from channels.exercise import LOUDSPEAKER_NOTICE, SMS_PREFIX
from hub import permissions
from hub.exercise import exercise_start, in_exercise
from hub.models import ExercisePeriod, SituationPage
from hub.previews import preview_context
from publishing.models import Delivery, Publication
from tests.factories import OrganisationFactory, UserFactory
from tests.factories.organisations import default_organisation
from tests.factories.tenancy import superuser


@pytest.fixture
def people(home):
    return {
        "editor": UserFactory(username="bientap", groups=[permissions.EDITORS]),
        "approver": UserFactory(username="pheduyet", groups=[permissions.APPROVERS]),
    }


@pytest.fixture
def text_channels(settings):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "sms": {"BACKEND": "channels.sms.adapter.SmsFeedAdapter"},
        "led": {"BACKEND": "channels.led.adapter.LedFeedAdapter"},
        "loudspeaker": {"BACKEND": "channels.loudspeaker.adapter.LoudspeakerFeedAdapter"},
    }


def test_an_editor_cannot_move_the_switch(client, people):
    client.force_login(people["editor"])
    organisation = default_organisation()

    refused = reverse("wagtailadmin_home")  # Wagtail answers PermissionDenied with a redirect home
    assert client.get(reverse("hub_exercise"))["Location"] == refused
    assert client.post(reverse("hub_exercise_start", args=[organisation.pk]))["Location"] == refused
    assert not in_exercise(organisation)


def test_an_approver_starts_and_ends_a_drill_and_sees_the_banner_meanwhile(client, people):
    client.force_login(people["approver"])
    organisation = default_organisation()
    assert client.get(reverse("hub_exercise_banner")).json() == {"on": False}

    response = client.post(reverse("hub_exercise_start", args=[organisation.pk]), {"note": "Diễn tập quý IV"})

    assert response.status_code == 302
    period = ExercisePeriod.objects.get(organisation=organisation)
    assert period.started_by == people["approver"] and period.note == "Diễn tập quý IV"
    banner = client.get(reverse("hub_exercise_banner")).json()
    assert banner["on"] is True and organisation.name in banner["text"]
    page = client.get(reverse("hub_exercise")).content.decode()
    assert "data-exercise-end" in page and people["approver"].username in page
    assert "hub/js/exercise-banner.js" in client.get(reverse("wagtailadmin_home")).content.decode()
    client.force_login(people["editor"])  # every member of the organisation sees the banner
    assert client.get(reverse("hub_exercise_banner")).json()["on"] is True

    client.force_login(people["approver"])
    client.post(reverse("hub_exercise_end", args=[organisation.pk]))

    period.refresh_from_db()
    assert period.ended_by == people["approver"] and period.ended_at is not None
    assert client.get(reverse("hub_exercise_banner")).json() == {"on": False}


def test_the_switch_of_another_organisation_is_out_of_reach(client, people):
    other = OrganisationFactory(name="Sở Y tế", slug="so-y-te")
    client.force_login(people["approver"])

    assert client.post(reverse("hub_exercise_start", args=[other.pk])).status_code == 404
    assert not in_exercise(other)


def test_what_the_approver_sees_during_a_drill_is_what_is_sent(
    client, story_index, text_channels, django_capture_on_commit_callbacks
):
    exercise_start(organisation=default_organisation(), user=superuser())
    story = story_index.add_child(
        instance=SituationPage(
            title="Diễn tập: phong tỏa phường Him Lam",
            summary="Tóm tắt.",
            as_of=timezone.now(),
            sms_text="Phong tỏa phường Him Lam từ 18 giờ.",
            led_text="Phong tỏa Him Lam",
            loudspeaker_text="Phường Him Lam tạm phong tỏa từ mười tám giờ hôm nay.",
            channels=["sms", "led", "loudspeaker"],
        )
    )
    shown = {
        mode: preview_context(story=story, mode=mode, request=None) for mode in ("sms", "led", "loudspeaker")
    }
    client.force_login(superuser())
    counted = client.post(
        reverse("hub_counters"), {"field": "sms_text", "text": story.sms_text, "page": story.pk}
    )

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision(user=superuser()).publish(user=superuser())

    assert shown["sms"]["sms_text"] == SMS_PREFIX + story.sms_text
    assert counted.json()["text"] == shown["sms"]["sms_text"]
    assert counted.json()["sms"]["segments"] == shown["sms"]["sms"].segments
    assert Delivery.objects.get(channel="sms").payload["text"] == shown["sms"]["sms_text"]
    assert Delivery.objects.get(channel="led").payload["text"] == shown["led"]["led_text"]
    assert shown["led"]["led_text"] == SMS_PREFIX + "Phong tỏa Him Lam"
    assert shown["loudspeaker"]["script"].startswith(LOUDSPEAKER_NOTICE)
    assert (
        Delivery.objects.get(channel="loudspeaker").payload["scripts"]["vi"] == shown["loudspeaker"]["script"]
    )
    assert Publication.objects.get(page=story).is_exercise


def test_a_push_channel_without_a_sandbox_never_gets_a_drill(
    story_index, settings, django_capture_on_commit_callbacks
):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "wire": {"BACKEND": "tests.hub.test_exercise_admin.WireAdapter"},
    }
    exercise_start(organisation=default_organisation(), user=superuser())
    story = story_index.add_child(
        instance=SituationPage(title="Diễn tập", summary="Tóm tắt.", as_of=timezone.now(), channels=["wire"])
    )

    with django_capture_on_commit_callbacks(execute=True):
        story.save_revision(user=superuser()).publish(user=superuser())

    delivery = Delivery.objects.get(channel="wire")
    assert delivery.status == "cancelled" and delivery.payload["exercise"] is True
    assert WireAdapter.sent == []


class WireAdapter(ChannelAdapter):
    """A push channel with no sandbox: stands in for any adapter that lacks one."""

    push = True
    sent: list = []

    def targets(self, publication):
        return [Target("wire", "Wire")]

    def render(self, publication, target):
        return {"text": publication.title}

    def send(self, payload, *, target, marker):
        self.sent.append(payload)
        return Receipt(external_id="wire-1")


def test_the_organisations_listing_shows_which_one_runs_a_drill(client, home):
    OrganisationFactory(name="Sở Y tế", slug="so-y-te")
    exercise_start(organisation=default_organisation(), user=superuser())
    client.force_login(superuser())

    page = client.get(reverse("hub_organisations:index")).content.decode()

    assert "Chế độ diễn tập" in page
    assert page.count("w-text-positive-100") == 1 and page.count("w-text-text-error") == 1
