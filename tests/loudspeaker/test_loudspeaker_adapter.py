"""The loudspeaker adapter and the pipeline: publish makes bulletins, the worker their audio;
a correction gets a new id, unpublishing takes the bulletin off every schedule."""

import datetime
import hashlib
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from channels.base import PermanentError
from channels.loudspeaker.adapter import LoudspeakerFeedAdapter
from channels.loudspeaker.models import AudioSource, AudioStatus, Bulletin
from channels.textlimits import measure_reading
from media import audio
from publishing.models import Publication
from tests.factories import GoodExamplePageFactory

SCHEDULE = "/api/loudspeaker/v1/stations/{code}/schedule.json"
needs_tools = pytest.mark.skipif(audio.tools_missing(), reason="ffmpeg, lame or espeak-ng not installed")


@pytest.fixture
def adapter():
    return LoudspeakerFeedAdapter("loudspeaker", {})


@pytest.fixture
def channels(settings):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "loudspeaker": {"BACKEND": "channels.loudspeaker.adapter.LoudspeakerFeedAdapter"},
    }


def make_publication(*, regions=(), loudspeaker_text="Trạm y tế xã tiêm vắc-xin mũi nhắc lại.", **fields):
    now = timezone.now()
    publication = Publication.objects.create(
        kind="vaccination",
        title=fields.pop("title", "Tiêm vắc-xin mũi nhắc lại"),
        summary=fields.pop("summary", "Từ 6h30 ngày 23/11 tại 3 điểm tiêm."),
        url="http://testserver/tin-tuc/tiem/",
        loudspeaker_text=loudspeaker_text,
        phase="new_normal",
        priority=fields.pop("priority", "normal"),
        valid_from=now - datetime.timedelta(minutes=1),
        valid_until=now + datetime.timedelta(days=3),
        published_at=now,
        **fields,
    )
    publication.regions.set(regions)
    return publication


def schedule(client, station) -> list[dict]:
    return client.get(
        SCHEDULE.format(code=station.code), HTTP_AUTHORIZATION=f"Bearer {station.secret}"
    ).json()["items"]


def test_render_is_the_frozen_payload(adapter, regions, db):
    publication = make_publication(regions=[regions["district"]], priority="urgent")

    payload = adapter.render(publication, adapter.targets(publication)[0])

    assert payload["scripts"] == {"vi": "Trạm y tế xã tiêm vắc-xin mũi nhắc lại."}
    assert payload["priority"] == "urgent" and payload["regions"] == ["099"] and payload["recording"] is None


def test_render_derives_a_speakable_script_from_title_and_summary(adapter, db):
    publication = make_publication(loudspeaker_text="")

    payload = adapter.render(publication, adapter.targets(publication)[0])

    assert payload["scripts"]["vi"] == (
        "Tiêm vắc-xin mũi nhắc lại. Từ sáu giờ ba mươi phút ngày hai mươi ba tháng mười một tại ba điểm tiêm."
    )


@pytest.mark.parametrize(
    "text", ["Xem tại https://soyte.dienbien.gov.vn/lich", " ".join(["tiêm"] * 1000)], ids=["url", "too-long"]
)
def test_render_refuses_what_cannot_be_broadcast(adapter, db, text):
    publication = make_publication(loudspeaker_text=text)

    with pytest.raises(PermanentError):
        adapter.render(publication, adapter.targets(publication)[0])


@needs_tools
def test_send_makes_a_bulletin_whose_audio_the_worker_synthesises(
    adapter, client, station, django_capture_on_commit_callbacks
):
    publication = make_publication()
    payload = adapter.render(publication, adapter.targets(publication)[0])

    with django_capture_on_commit_callbacks(execute=True):
        receipt = adapter.send(payload, target="feed", marker="hub-41")
        assert Bulletin.objects.get().audio_status == AudioStatus.PENDING  # nothing made inside the request

    bulletin = Bulletin.objects.get()
    assert receipt.external_id == "hub-41" and bulletin.marker == "hub-41:vi"
    assert bulletin.audio_status == AudioStatus.READY and bulletin.audio_source == AudioSource.SYNTHESIS
    data = bulletin.audio.read()
    assert hashlib.sha256(data).hexdigest() == bulletin.audio_sha256 and len(data) == bulletin.audio_bytes
    [item] = schedule(client, station)
    assert item["id"] == bulletin.feed_id and item["audio"]["duration_s"] == bulletin.audio_duration_s > 0


@needs_tools
def test_send_is_idempotent_per_marker(adapter, station, django_capture_on_commit_callbacks):
    publication = make_publication()
    payload = adapter.render(publication, adapter.targets(publication)[0])

    with django_capture_on_commit_callbacks(execute=True):
        adapter.send(payload, target="feed", marker="hub-5")
        adapter.send(payload, target="feed", marker="hub-5")

    assert Bulletin.objects.count() == 1


@needs_tools
def test_update_changes_the_script_and_the_id(adapter, client, station, django_capture_on_commit_callbacks):
    publication = make_publication()
    payload = adapter.render(publication, adapter.targets(publication)[0])
    with django_capture_on_commit_callbacks(execute=True):
        adapter.send(payload, target="feed", marker="hub-6")
    [before] = schedule(client, station)

    corrected = {**payload, "scripts": {"vi": "Lịch tiêm đã đổi sang ngày hai mươi tư."}}
    with django_capture_on_commit_callbacks(execute=True):
        adapter.update(corrected, target="feed", external_id="hub-6", marker="hub-7")

    [after] = schedule(client, station)
    assert after["id"] != before["id"] and after["audio"]["sha256"] != before["audio"]["sha256"]
    assert Bulletin.objects.count() == 1


def test_retract_takes_the_bulletin_off_every_schedule(adapter, client, station, regions, organisation):
    from tests.factories.loudspeaker import BulletinFactory, StationFactory

    other = StationFactory(region=regions["district"], organisation=organisation)
    _token, other.secret = other.issue_token()
    BulletinFactory(marker="hub-8:vi")
    assert len(schedule(client, station)) == len(schedule(client, other)) == 1

    adapter.retract(target="feed", external_id="hub-8")

    assert schedule(client, station) == [] and schedule(client, other) == []


@needs_tools
def test_an_attached_recording_wins_over_synthesis(
    adapter, station, tmp_path, django_capture_on_commit_callbacks
):
    wav = tmp_path / "ghi-am.wav"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i", "sine=frequency=300:duration=2", "-y", str(wav)],
        check=True,
    )
    document = Document.objects.create(
        title="Ghi âm bản tin", file=ContentFile(wav.read_bytes(), name="ghi-am.wav")
    )
    publication = make_publication(loudspeaker_recording=document)
    payload = adapter.render(publication, adapter.targets(publication)[0])

    with django_capture_on_commit_callbacks(execute=True):
        adapter.send(payload, target="feed", marker="hub-9")

    bulletin = Bulletin.objects.get()
    assert bulletin.audio_source == AudioSource.RECORDING and bulletin.audio_duration_s == 2


def test_a_recording_that_is_not_audio_fails_visibly(adapter, station, django_capture_on_commit_callbacks):
    document = Document.objects.create(
        title="Không phải âm thanh", file=ContentFile(b"%PDF" * 500, name="x.mp3")
    )
    publication = make_publication(loudspeaker_recording=document)
    payload = adapter.render(publication, adapter.targets(publication)[0])

    with django_capture_on_commit_callbacks(execute=True):
        adapter.send(payload, target="feed", marker="hub-10")

    bulletin = Bulletin.objects.get()
    assert bulletin.audio_status == AudioStatus.FAILED and bulletin.audio_error


@needs_tools
def test_publishing_a_story_reaches_the_station_with_audio_as_long_as_the_signed_off_estimate(
    story_index, channels, client, station, django_capture_on_commit_callbacks
):
    page = GoodExamplePageFactory(
        parent=story_index,
        title="Nữ trưởng bản vận động cả bản đi tiêm",
        summary="Chị Lò Thị Xuân, trưởng bản Co Pục, đã vận động 120 hộ gia đình đi tiêm mũi 3 trước ngày 30/11.",
        channels=["loudspeaker"],
    )
    estimate = measure_reading(page.loudspeaker_variant).seconds  # shown in the preview at sign-off

    with django_capture_on_commit_callbacks(execute=True):
        revision = page.save_revision()
        revision.publish()

    publication = Publication.objects.get(revision=revision)
    assert publication.loudspeaker_text == page.loudspeaker_variant
    assert publication.deliveries.get(channel="loudspeaker").status == "sent"
    [item] = schedule(client, station)
    assert item["title"] == page.title
    response = client.get(item["audio"]["url"], HTTP_AUTHORIZATION=f"Bearer {station.secret}")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == item["audio"]["sha256"]
    bulletin = Bulletin.objects.get()
    assert abs(bulletin.audio_duration_s - estimate) <= 0.2 * estimate + 1, (
        bulletin.audio_duration_s,
        estimate,
    )

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    assert schedule(client, station) == []
