"""Exercise mode end to end: a drill published through every channel is marked (or kept in the
sandbox), kept out of the portal's public lists, and withdrawn everywhere when the drill ends."""

import json
from pathlib import Path

import pytest
import responses
from django.core import mail
from django.utils import timezone
from lxml import etree
from wagtail.models import ModelLogEntry

from channels.cap.models import CapMessage
from channels.email.models import EmailMessage
from channels.exercise import LOUDSPEAKER_NOTICE
from channels.led.models import PlaylistItem
from channels.loudspeaker.models import Bulletin
from channels.sms.models import EntryKind, ExerciseEntries, FeedEntry
from channels.social.models import Network, SandboxPost
from channels.zalo.models import ZaloPost
from hub.exercise import ExerciseError, exercise_end, exercise_start, in_exercise
from hub.models import ExercisePeriod, RegionLevel, SituationPage
from publishing.models import DeliveryStatus, Publication
from tests.factories import RegionFactory
from tests.factories.email import RecipientFactory, RecipientListFactory
from tests.factories.led import ScreenFactory
from tests.factories.loudspeaker import StationFactory
from tests.factories.organisations import default_organisation
from tests.factories.sms import PartnerFactory, PublicationFactory, partner_key
from tests.factories.social import ChannelAccountFactory
from tests.factories.tenancy import superuser
from tests.factories.zalo import ZaloAccountFactory, with_tokens
from tests.portal.sitemap_reader import sitemap_locations

CAP_SCHEMA = etree.XMLSchema(
    etree.parse(str(Path(__file__).parents[1] / "cap" / "fixtures" / "CAP-v1.2.xsd"))
)
CAP_NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
STORY_CHANNELS = ["facebook", "x", "sms", "led", "loudspeaker", "zalo", "email"]


@pytest.fixture
def all_channels(settings, monkeypatch):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "cap": {"BACKEND": "channels.cap.adapter.CapFeedAdapter"},
        "facebook": {"BACKEND": "channels.social.facebook.FacebookAdapter"},
        "x": {"BACKEND": "channels.social.x.XAdapter"},
        "sms": {"BACKEND": "channels.sms.adapter.SmsFeedAdapter"},
        "led": {"BACKEND": "channels.led.adapter.LedFeedAdapter"},
        "loudspeaker": {"BACKEND": "channels.loudspeaker.adapter.LoudspeakerFeedAdapter"},
        "zalo": {"BACKEND": "channels.zalo.adapter.ZaloAdapter"},
        "email": {"BACKEND": "channels.email.adapter.EmailAdapter"},
    }
    # Real credentials everywhere, and a real SMTP backend: only the drill keeps them unused.
    settings.EMAIL_CHANNEL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.PORTAL_CACHE_ENABLED = False
    monkeypatch.setenv("FB_PAGE_TOKEN_EXERCISE", "EAAGexercisePAGEtoken")
    for name in ("X_EX_KEY", "X_EX_SECRET", "X_EX_TOKEN", "X_EX_TOKEN_SECRET", "ZALO_EX_APP_SECRET"):
        monkeypatch.setenv(name, f"{name.lower()}-value")


@pytest.fixture
def province(db):
    return RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)


@pytest.fixture
def receivers(home, province, all_channels):
    """Somebody on every channel of the test organisation, with live credentials."""
    organisation = default_organisation()
    organisation.region = province
    organisation.save(update_fields=["region"])
    marked = PartnerFactory(name="Viettel", coverage=[province])
    excluded = PartnerFactory(name="MobiFone", coverage=[province], exercise_entries=ExerciseEntries.EXCLUDED)
    facebook = ChannelAccountFactory(
        network=Network.FACEBOOK, account_id="100000000000011", token_env="FB_PAGE_TOKEN_EXERCISE"
    )
    x = ChannelAccountFactory(
        network=Network.X,
        account_id="1700000000000000011",
        consumer_key_env="X_EX_KEY",
        consumer_secret_env="X_EX_SECRET",
        token_env="X_EX_TOKEN",
        token_secret_env="X_EX_TOKEN_SECRET",
    )
    zalo = with_tokens(ZaloAccountFactory(organisation=organisation, app_secret_env="ZALO_EX_APP_SECRET"))
    recipients = RecipientListFactory(organisation=organisation)
    RecipientFactory(recipient_list=recipients)
    ScreenFactory(region=province)
    StationFactory(organisation=organisation, region=province)
    assert not facebook.is_sandbox and not x.is_sandbox and not zalo.is_sandbox
    return {"marked": marked, "excluded": excluded, "organisation": organisation}


def drill_story(story_index, province, title="Khẩn: phát hiện ca bệnh tại phường Him Lam"):
    story = story_index.add_child(
        instance=SituationPage(
            title=title,
            summary="Người dân khu vực phường Him Lam hạn chế ra ngoài.",
            as_of=timezone.now(),
            alert=True,
            sms_text="UBND tỉnh: phát hiện ca bệnh tại phường Him Lam, hạn chế ra ngoài.",
            led_text="Phát hiện ca bệnh tại Him Lam",
            social_text="Phát hiện ca bệnh tại phường Him Lam: người dân hạn chế ra ngoài.",
            loudspeaker_text="Ủy ban nhân dân tỉnh thông báo phát hiện ca bệnh tại phường Him Lam.",
            zalo_text="Phát hiện ca bệnh tại phường Him Lam.",
            channels=STORY_CHANNELS,
        )
    )
    story.regions.set([province])
    return story


def publish(story, capture):
    with capture(execute=True):
        story.save_revision(user=superuser()).publish(user=superuser())
    return Publication.objects.filter(page=story).latest("pk")


def feed(client, partner) -> list[dict]:
    response = client.get("/api/sms/v1/messages", HTTP_AUTHORIZATION=f"Bearer {partner_key(partner)}")
    assert response.status_code == 200
    return response.json()["messages"]


def cap_root(message):
    root = etree.fromstring(bytes(message.xml))
    CAP_SCHEMA.assertValid(root)
    return root


def test_switch_is_logged_with_who_and_when_and_kept_as_periods(home):
    organisation, user = default_organisation(), superuser()

    period = exercise_start(organisation=organisation, user=user, note="Diễn tập ứng phó dịch quý IV")
    with pytest.raises(ExerciseError):
        exercise_start(organisation=organisation, user=user)
    assert in_exercise(organisation)
    ended = exercise_end(organisation=organisation, user=user)

    assert ended.pk == period.pk and ended.ended_by == user and ended.ended_at >= ended.started_at
    assert not in_exercise(organisation)
    with pytest.raises(ExerciseError):
        exercise_end(organisation=organisation, user=user)
    logs = ModelLogEntry.objects.filter(object_id=str(organisation.pk)).order_by("timestamp", "pk")
    assert [(log.action, log.user_id) for log in logs] == [
        ("hub.exercise_start", user.pk),
        ("hub.exercise_end", user.pk),
    ]
    assert list(ExercisePeriod.objects.filter(organisation=organisation)) == [period]


@responses.activate(assert_all_requests_are_fired=False)
def test_a_drill_is_marked_on_every_channel_and_sent_to_no_real_account(
    client, story_index, province, receivers, django_capture_on_commit_callbacks
):
    exercise_start(organisation=receivers["organisation"], user=superuser())
    story = drill_story(story_index, province)

    publication = publish(story, django_capture_on_commit_callbacks)

    assert publication.is_exercise
    deliveries = {d.channel: d for d in publication.deliveries.all()}
    assert set(deliveries) == {"portal", "cap", *STORY_CHANNELS}
    assert {channel: d.status for channel, d in deliveries.items()} == dict.fromkeys(
        deliveries, DeliveryStatus.SENT
    )
    # CAP: status Exercise, valid against the OASIS schema.
    root = cap_root(CapMessage.objects.get())
    assert root.xpath("cap:status/text()", namespaces=CAP_NS) == ["Exercise"]
    # SMS: the additive field and the prefix; a partner that excludes drills sees nothing.
    [entry] = feed(client, receivers["marked"])
    assert entry["exercise"] is True
    assert entry["text"].startswith("DIỄN TẬP: UBND tỉnh")
    assert entry["text_ascii"].startswith("DIEN TAP: UBND tinh")
    assert feed(client, receivers["excluded"]) == []
    # LED: the text opens with the mark (drawn as a band on frames).
    assert PlaylistItem.objects.get().text == "DIỄN TẬP: Phát hiện ca bệnh tại Him Lam"
    # Loudspeakers: the script opens with the notice, read by speech synthesis.
    bulletin = Bulletin.objects.get()
    assert bulletin.script.startswith(LOUDSPEAKER_NOTICE) and bulletin.recording_id is None
    # Social, Zalo, e-mail: sandbox only, though every account has live credentials.
    assert len(responses.calls) == 0
    assert {(post.account.network, post.action) for post in SandboxPost.objects.all()} == {
        (Network.FACEBOOK, SandboxPost.Action.SEND),
        (Network.X, SandboxPost.Action.SEND),
    }
    assert all(deliveries[c].sandbox for c in ("facebook", "x", "zalo", "email"))
    assert ZaloPost.objects.get().sandbox
    assert EmailMessage.objects.get().completed_at is not None and mail.outbox == []


def test_the_portal_marks_a_drill_and_keeps_it_out_of_feeds_search_and_sitemap(
    client, story_index, province, all_channels, django_capture_on_commit_callbacks
):
    real = drill_story(story_index, province, title="Lịch tiêm vắc-xin tuần này")
    real.channels = []
    publish(real, django_capture_on_commit_callbacks)
    exercise_start(organisation=default_organisation(), user=superuser())
    drill = drill_story(story_index, province, title="Phong tỏa diễn tập phường Him Lam")
    drill.channels = []
    publish(drill, django_capture_on_commit_callbacks)
    PublicationFactory(is_exercise=True)  # a drill whose page was deleted: no NULL may empty the lists

    page = client.get(drill.url).content.decode()
    assert 'data-exercise="banner"' in page
    assert 'data-exercise="banner"' not in client.get(real.url).content.decode()
    for url in (
        "/feeds/rss/",
        "/feeds/atom/",
        "/feeds/json/",
        "/tim-kiem/?q=ph%C6%B0%E1%BB%9Dng",
    ):
        response = client.get(url)
        body = response.content.decode()
        assert response.status_code == 200, url
        assert real.title in body or real.full_url in body, url  # the real story is listed
        assert drill.title not in body and drill.full_url not in body, url
    sitemap = sitemap_locations(client)  # every child sitemap the index lists
    assert real.full_url in sitemap and drill.full_url not in sitemap


@responses.activate(assert_all_requests_are_fired=False)
def test_ending_the_drill_withdraws_it_from_every_channel(
    client, story_index, province, receivers, django_capture_on_commit_callbacks
):
    organisation = receivers["organisation"]
    exercise_start(organisation=organisation, user=superuser())
    story = drill_story(story_index, province)
    publish(story, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        period = exercise_end(organisation=organisation, user=superuser())

    assert period.retracted == 1
    story.refresh_from_db()
    assert not story.live
    publication = Publication.objects.get(page=story)
    assert publication.retracted_at is not None
    statuses = dict(publication.deliveries.values_list("channel", "status"))
    assert len(statuses) == 9 and set(statuses.values()) == {DeliveryStatus.RETRACTED}
    alert, cancel = CapMessage.objects.order_by("sequence")
    assert cancel.references == alert.reference
    root = cap_root(cancel)
    assert root.xpath("cap:msgType/text()", namespaces=CAP_NS) == ["Cancel"]
    assert root.xpath("cap:status/text()", namespaces=CAP_NS) == ["Exercise"]
    assert [entry["type"] for entry in feed(client, receivers["marked"])] == ["message", "retraction"]
    assert FeedEntry.objects.get(kind=EntryKind.RETRACTION).exercise
    assert feed(client, receivers["excluded"]) == []
    assert PlaylistItem.objects.get().retracted_at is not None
    assert Bulletin.objects.get().retracted_at is not None
    assert SandboxPost.objects.filter(action=SandboxPost.Action.RETRACT).count() == 2
    assert ZaloPost.objects.get().removed_at is not None
    assert mail.outbox == [] and len(responses.calls) == 0
    # After the drill, the organisation publishes for real again.
    real = publish(
        drill_story(story_index, province, title="Tin thật sau diễn tập"), django_capture_on_commit_callbacks
    )
    assert not real.is_exercise
    assert (
        json.loads(FeedEntry.objects.filter(kind=EntryKind.MESSAGE).latest("seq").body).get("exercise")
        is None
    )
