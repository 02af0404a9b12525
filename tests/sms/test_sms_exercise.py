"""Drills in the SMS feed: an additive `exercise` field and a "DIỄN TẬP: " prefix, counted in the
segments; a partner that excludes drills never sees them, nor may it acknowledge them."""

import json

from channels.sms.adapter import FEED_TARGET, SmsFeedAdapter
from channels.sms.feed import append_retraction
from channels.sms.models import ExerciseEntries, FeedEntry
from tests.factories.sms import PublicationFactory, publish_sms

FEED = "/api/sms/v1/messages"
ACKS = "/api/sms/v1/acks"


def test_a_drill_is_prefixed_flagged_and_measured_with_its_prefix(regions):
    adapter = SmsFeedAdapter("sms", {})
    text = "a" * 151  # one GSM-7 segment alone; with the prefix two, or three in UCS-2 (diacritics)
    real = adapter.render(PublicationFactory(sms_text=text, regions=[regions["city"]]), FEED_TARGET)
    drill = adapter.render(
        PublicationFactory(sms_text=text, is_exercise=True, regions=[regions["city"]]), FEED_TARGET
    )

    assert "exercise" not in real and real["segments"] == 1
    assert drill["exercise"] is True
    assert drill["text"] == "DIỄN TẬP: " + text and drill["encoding"] == "UCS-2" and drill["segments"] == 3
    assert drill["text_ascii"] == "DIEN TAP: " + text and drill["segments_ascii"] == 2


def test_real_entries_keep_the_v1_shape_and_drills_add_one_field(client, regions, auth_a):
    publish_sms(PublicationFactory(regions=[regions["city"]]))
    publish_sms(PublicationFactory(is_exercise=True, regions=[regions["city"]]))

    real, drill = client.get(FEED, **auth_a).json()["messages"]

    assert "exercise" not in real
    assert set(drill) - set(real) == {"exercise"} and drill["exercise"] is True
    assert drill["text"].startswith("DIỄN TẬP: ")


def test_a_partner_that_excludes_drills_sees_and_acks_none_of_them(client, regions, partner_a, auth_a):
    partner_a.exercise_entries = ExerciseEntries.EXCLUDED
    partner_a.save()  # drops the identities cached with the old setting
    real = publish_sms(PublicationFactory(regions=[regions["city"]]))
    drill = publish_sms(PublicationFactory(is_exercise=True, regions=[regions["city"]]))
    append_retraction(message=FeedEntry.objects.get(seq=int(drill)), reason="exercise ended")

    ids = [entry["id"] for entry in client.get(FEED, **auth_a).json()["messages"]]
    acks = [
        {"id": value, "status": "sent", "recipients": 1, "at": "2026-11-22T07:05:00+07:00", "reason": ""}
        for value in (real, drill)
    ]
    answer = client.post(ACKS, json.dumps({"acks": acks}), content_type="application/json", **auth_a).json()

    assert ids == [real]
    assert answer == {"accepted": 1, "unknown": [drill]}


def test_changing_the_setting_applies_to_the_next_request(client, regions, partner_a, auth_a):
    publish_sms(PublicationFactory(is_exercise=True, regions=[regions["city"]]))
    assert len(client.get(FEED, **auth_a).json()["messages"]) == 1  # identity now cached

    partner_a.exercise_entries = ExerciseEntries.EXCLUDED
    partner_a.save()

    assert client.get(FEED, **auth_a).json()["messages"] == []
