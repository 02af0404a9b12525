"""Proof of play feeds the delivery status: a bulletin's first play at a station is one receipt on
its publishing Delivery (counted once, the earliest time kept)."""

import datetime
import hashlib
import json

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from channels.loudspeaker.models import AudioStatus, Bulletin, Reception
from publishing.models import Delivery, DeliveryStatus, Publication
from publishing.services import deliveries_create
from tests.factories.loudspeaker import StationFactory, fake_mp3

PLAYS = "/api/loudspeaker/v1/stations/{code}/plays"


@pytest.fixture
def published(settings, regions, station):
    """A publication sent through the pipeline to the loudspeaker channel, its audio made."""
    settings.HUB_CHANNELS = {
        "loudspeaker": {"BACKEND": "channels.loudspeaker.adapter.LoudspeakerFeedAdapter"}
    }
    now = timezone.now()
    publication = Publication.objects.create(
        kind="vaccination",
        title="Tiêm vắc-xin mũi nhắc lại",
        summary="Tại trạm y tế xã.",
        url="http://testserver/tin-tuc/tiem/",
        loudspeaker_text="Trạm y tế xã tiêm vắc-xin mũi nhắc lại cho người dân.",
        channels=["loudspeaker"],
        phase="new_normal",
        valid_from=now - datetime.timedelta(minutes=1),
        valid_until=now + datetime.timedelta(days=3),
        published_at=now,
    )
    deliveries_create(publication=publication)
    [bulletin] = Bulletin.objects.filter(publication=publication)
    make_audio(bulletin)
    return publication


def make_audio(bulletin: Bulletin) -> None:
    """What the worker does, without the encoder: the bytes stand in for the MP3."""
    data = fake_mp3(bulletin.marker + bulletin.script)
    bulletin.audio.save(f"test-{bulletin.pk}-{len(bulletin.script)}.mp3", ContentFile(data), save=False)
    bulletin.audio_bytes = len(data)
    bulletin.audio_sha256 = hashlib.sha256(data).hexdigest()
    bulletin.audio_status = AudioStatus.READY
    bulletin.save()


def delivery_of(publication) -> Delivery:
    return Delivery.objects.get(publication=publication, channel="loudspeaker")


def at(minutes: int) -> str:
    return (timezone.localtime() - datetime.timedelta(minutes=minutes)).replace(microsecond=0).isoformat()


def play(client, station, item: str, played_at: str, status: str = "played"):
    return client.post(
        PLAYS.format(code=station.code),
        data=json.dumps({"plays": [{"item": item, "played_at": played_at, "status": status}]}),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {station.secret}",
    )


def item_of(publication) -> str:
    return Bulletin.objects.get(publication=publication).feed_id


def test_a_sent_delivery_is_not_delivered_until_a_station_plays_it(published):
    delivery = delivery_of(published)

    assert delivery.status == DeliveryStatus.SENT
    assert delivery.delivered_at is None and delivery.delivered_count == 0


def test_the_first_play_at_a_station_marks_the_delivery_delivered(client, published, station):
    played_at = at(20)  # once: a second call may fall in the next second on a slow machine
    response = play(client, station, item_of(published), played_at)

    assert response.json() == {"accepted": 1, "duplicates": 0, "unknown": 0}
    delivery = delivery_of(published)
    assert delivery.delivered_count == 1
    assert delivery.delivered_at == datetime.datetime.fromisoformat(played_at)
    assert delivery.status == DeliveryStatus.SENT  # the pipeline's state is untouched


def test_more_plays_at_the_same_station_are_not_counted_again(client, published, station):
    item, first = item_of(published), at(30)
    play(client, station, item, first)

    play(client, station, item, first)  # the same receipt resent
    play(client, station, item, at(10))  # the next slot
    play(client, station, item, at(5), status="skipped")

    delivery = delivery_of(published)
    assert delivery.delivered_count == 1
    assert delivery.delivered_at == datetime.datetime.fromisoformat(first)
    assert Reception.objects.count() == 1


def test_an_earlier_play_reported_late_moves_the_time_back_without_counting(client, published, station):
    item, earlier = item_of(published), at(50)
    play(client, station, item, at(10))

    play(client, station, item, earlier)

    delivery = delivery_of(published)
    assert delivery.delivered_count == 1
    assert delivery.delivered_at == datetime.datetime.fromisoformat(earlier)


def test_skipped_and_failed_plays_deliver_nothing(client, published, station):
    item = item_of(published)

    play(client, station, item, at(20), status="skipped")
    play(client, station, item, at(10), status="failed")

    delivery = delivery_of(published)
    assert delivery.delivered_count == 0 and delivery.delivered_at is None


def test_each_station_counts_once(client, published, station, regions, organisation):
    other = StationFactory(code="xa-thanh-an", region=regions["district"], organisation=organisation)
    _token, other.secret = other.issue_token()
    item, earliest = item_of(published), at(25)

    play(client, station, item, at(20))
    play(client, other, item, earliest)
    play(client, other, item, at(15))

    delivery = delivery_of(published)
    assert delivery.delivered_count == 2
    assert delivery.delivered_at == datetime.datetime.fromisoformat(earliest)


def test_a_correction_is_delivered_on_its_own_delivery(client, published, station):
    first = delivery_of(published)
    play(client, station, item_of(published), at(30))
    corrected = Publication.objects.get(pk=published.pk)
    corrected.pk = None
    corrected.previous = published
    corrected.loudspeaker_text = "Lịch tiêm đã đổi sang ngày hai mươi tư."
    corrected.save()
    from channels.registry import get_adapter

    adapter = get_adapter("loudspeaker")
    second = Delivery.objects.create(
        publication=corrected,
        channel="loudspeaker",
        target="feed",
        status=DeliveryStatus.SENT,
        external_id=first.external_id,  # what the pipeline records for an update
    )
    adapter.update(
        adapter.render(corrected, adapter.targets(corrected)[0]),
        target="feed",
        external_id=first.external_id,
        marker=second.marker,
    )
    bulletin = Bulletin.objects.get()
    make_audio(bulletin)
    other = StationFactory(code="xa-noong-luong", region=station.region, organisation=station.organisation)
    _token, other.secret = other.issue_token()

    played_at = at(5)
    response = play(client, other, bulletin.feed_id, played_at)

    assert response.json()["accepted"] == 1
    second.refresh_from_db()
    first.refresh_from_db()
    assert (second.delivered_count, first.delivered_count) == (1, 1)
    assert second.delivered_at == datetime.datetime.fromisoformat(played_at)


def test_bulletins_made_outside_the_pipeline_still_take_plays(client, station):
    from tests.factories.loudspeaker import BulletinFactory

    bulletin = BulletinFactory()

    response = play(client, station, bulletin.feed_id, at(5))

    assert response.json()["accepted"] == 1
    assert Reception.objects.filter(bulletin=bulletin).exists()
    assert not Delivery.objects.exclude(delivered_count=0).exists()
