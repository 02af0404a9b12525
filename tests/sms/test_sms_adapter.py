"""The SMS adapter: rendering (limits, encodings, quiet hours), send, update and retract as feed entries."""

import datetime
import unicodedata
import zoneinfo

import pytest
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from channels.base import PermanentError
from channels.registry import get_adapter
from channels.sms.adapter import FEED_TARGET, SmsFeedAdapter
from channels.sms.models import EntryKind, FeedEntry
from channels.sms.timing import end_of_quiet_hours, parse_quiet_hours
from channels.textlimits import GSM7_BASIC, GSM7_EXTENSION, measure_sms
from tests.factories.sms import PublicationFactory, publish_sms

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
URL = "/api/sms/v1/messages"

pytestmark = pytest.mark.django_db


def at(hour, minute=0, day=22):
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=HCM)


def test_registry_alias_gives_a_pull_adapter():
    adapter = get_adapter("sms")

    assert isinstance(adapter, SmsFeedAdapter)
    assert (adapter.push, adapter.supports_update, adapter.supports_retract) == (False, True, True)


def test_render_counts_both_texts_with_textlimits(regions):
    publication = PublicationFactory(sms_text="Đi tiêm vắc-xin", sms_text_ascii="", regions=[regions["city"]])

    payload = SmsFeedAdapter("sms", {}).render(publication, FEED_TARGET)

    assert payload["text_ascii"] == "Di tiem vac-xin"
    assert (payload["encoding"], payload["segments"]) == ("UCS-2", 1)
    assert (payload["encoding_ascii"], payload["segments_ascii"]) == ("GSM-7", 1)
    assert payload["regions"] == ["094"]
    assert payload["priority"] == "urgent"


def test_render_normalises_to_nfc(regions):
    composed = unicodedata.normalize("NFC", "Tiêm vắc-xin")
    decomposed = unicodedata.normalize("NFD", composed)

    payload = SmsFeedAdapter("sms", {}).render(PublicationFactory(sms_text=decomposed), FEED_TARGET)

    assert payload["text"] == composed and decomposed != composed


def test_render_refuses_more_segments_than_allowed(settings):
    settings.SMS_MAX_SEGMENTS = 1
    publication = PublicationFactory(sms_text="ư" * 71)

    with pytest.raises(PermanentError):
        SmsFeedAdapter("sms", {}).render(publication, FEED_TARGET)


def test_render_refuses_empty_text():
    with pytest.raises(PermanentError):
        SmsFeedAdapter("sms", {}).render(PublicationFactory(sms_text="  "), FEED_TARGET)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (at(20, 59), at(20, 59)),
        (at(21, 0), at(7, 0, day=23)),
        (at(23, 30), at(7, 0, day=23)),
        (at(0, 10), at(7, 0)),
        (at(6, 59), at(7, 0)),
        (at(7, 0), at(7, 0)),
        (at(12, 0), at(12, 0)),
    ],
)
def test_quiet_hours_move_valid_from_to_their_end(moment, expected):
    assert end_of_quiet_hours(moment, parse_quiet_hours("21:00-07:00")) == expected


def test_normal_message_is_held_but_urgent_is_not(settings):
    settings.SMS_QUIET_HOURS = "21:00-07:00"
    adapter = SmsFeedAdapter("sms", {})
    night = at(22, 15)

    normal = adapter.render(PublicationFactory(priority="normal", valid_from=night), FEED_TARGET)
    urgent = adapter.render(PublicationFactory(priority="urgent", valid_from=night), FEED_TARGET)

    assert datetime.datetime.fromisoformat(normal["valid_from"]) == at(7, 0, day=23)
    assert datetime.datetime.fromisoformat(urgent["valid_from"]) == night
    assert normal["valid_from"].endswith("+07:00")
    assert normal["valid_until"].endswith("+07:00")


def test_send_appends_once_per_marker(regions):
    publication = PublicationFactory(regions=[regions["city"]])

    first = publish_sms(publication, marker="delivery-1")
    again = publish_sms(publication, marker="delivery-1")

    assert first == again
    assert FeedEntry.objects.count() == 1
    assert SmsFeedAdapter("sms", {}).reconcile({}, target="feed", marker="delivery-1").external_id == first


def test_retract_appends_a_retraction_seen_by_the_same_partners(client, regions, auth_a, auth_b):
    message_id = publish_sms(PublicationFactory(regions=[regions["commune"]]))

    SmsFeedAdapter("sms", {}).retract(target="feed", external_id=message_id, reason="Thông tin đã cũ")
    SmsFeedAdapter("sms", {}).retract(target="feed", external_id=message_id, reason="again")

    entries = client.get(URL, **auth_a).json()["messages"]
    assert [entry["type"] for entry in entries] == ["message", "retraction"]
    assert entries[1]["retracts"] == message_id and entries[1]["reason"] == "Thông tin đã cũ"
    assert client.get(URL, **auth_b).json()["messages"] == []


def test_update_retracts_the_old_message_and_appends_the_new(client, regions, auth_a):
    adapter = SmsFeedAdapter("sms", {})
    old_id = publish_sms(PublicationFactory(regions=[regions["city"]]))
    new_payload = adapter.render(
        PublicationFactory(regions=[regions["city"]], sms_text="Bản sửa"), FEED_TARGET
    )

    receipt = adapter.update(new_payload, target="feed", external_id=old_id, marker="delivery-2")

    entries = client.get(URL, **auth_a).json()["messages"]
    assert [(entry["type"], entry.get("retracts")) for entry in entries] == [
        ("message", None),
        ("retraction", old_id),
        ("message", None),
    ]
    assert entries[2]["id"] == receipt.external_id and entries[2]["text"] == "Bản sửa"
    assert FeedEntry.objects.filter(kind=EntryKind.RETRACTION).count() == 1


def test_retract_unknown_message_is_permanent():
    with pytest.raises(PermanentError):
        SmsFeedAdapter("sms", {}).retract(target="feed", external_id="424242")


_TEXT = st.text(
    alphabet=st.sampled_from(GSM7_BASIC.replace("\x1b", "") + GSM7_EXTENSION + "ăâđêôơưáàảãạếềểễệ€😷"),
    min_size=1,
    max_size=220,
)


@hsettings(max_examples=60, deadline=None)
@given(text=_TEXT)
@pytest.mark.django_db
def test_feed_fields_agree_with_textlimits(text):
    """What the feed announces is exactly what textlimits measures, for both texts."""
    measure = measure_sms(text)
    if not text.strip() or measure.segments > 3:
        return
    payload = SmsFeedAdapter("sms", {}).render(
        PublicationFactory(sms_text=text, sms_text_ascii=""), FEED_TARGET
    )

    ascii_measure = measure_sms(payload["text_ascii"])
    assert (payload["encoding"], payload["segments"]) == (
        measure_sms(payload["text"]).encoding,
        measure_sms(payload["text"]).segments,
    )
    assert (payload["encoding_ascii"], payload["segments_ascii"]) == (
        ascii_measure.encoding,
        ascii_measure.segments,
    )
    assert payload["encoding_ascii"] == "GSM-7"
