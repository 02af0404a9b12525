"""Live counters (the admin endpoint) and the over-limit refusal, on the channel boundaries."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Site

from channels import textlimits
from hub import admin_views
from tests.factories import VaccinationPageFactory
from tests.workflows.test_permission_matrix import post_edit

COUNTERS = "hub_counters"


@pytest.fixture
def editor_client(client, users):
    client.force_login(users["editor"])
    return client


def counters(client, field, text, **extra):
    response = client.post(reverse(COUNTERS), {"field": field, "text": text, **extra})
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("text", "encoding", "segments", "per_segment", "remaining"),
    [
        ("a" * 160, "GSM-7", 1, 160, 0),
        ("a" * 161, "GSM-7", 2, 153, 145),
        ("a" * 306, "GSM-7", 2, 153, 0),
        ("a" * 307, "GSM-7", 3, 153, 152),
        ("€" * 80, "GSM-7", 1, 160, 0),  # extension characters count two septets
        ("€" * 81, "GSM-7", 2, 153, 143),  # an escape pair is never split: 76 + 5 per part
        ("a" * 159 + "[", "GSM-7", 2, 153, 153 - 8),  # "[" does not fit the last septet of one SMS
        ("ă" * 70, "UCS-2", 1, 70, 0),
        ("ă" * 71, "UCS-2", 2, 67, 63),
        ("ă" * 134, "UCS-2", 2, 67, 0),
        ("ă" * 135, "UCS-2", 3, 67, 66),
    ],
)
def test_sms_counters_on_the_boundaries(editor_client, text, encoding, segments, per_segment, remaining):
    data = counters(editor_client, "sms_text", text)

    assert data["sms"]["encoding"] == encoding
    assert data["sms"]["segments"] == segments
    assert data["sms"]["per_segment"] == per_segment
    assert data["sms"]["remaining"] == remaining
    assert data["sms"] == admin_views._sms(text)  # the endpoint is channels.textlimits, nothing else
    assert data["sms"]["segments"] == textlimits.measure_sms(text).segments


def test_sms_counter_shows_the_diacritic_free_variant_and_its_segments(editor_client):
    text = "Tiêm vắc-xin mũi 3 tại Trạm Y tế xã Thanh Minh từ 7h ngày 20/9. Mang theo CCCD."

    data = counters(editor_client, "sms_text", text)

    assert data["sms"]["encoding"] == "UCS-2"
    assert data["sms"]["segments"] == 2
    assert (
        data["ascii_text"]
        == "Tiem vac-xin mui 3 tai Tram Y te xa Thanh Minh tu 7h ngay 20/9. Mang theo CCCD."
    )
    assert data["sms_ascii"]["encoding"] == "GSM-7"
    assert data["sms_ascii"]["segments"] == 1


def test_empty_field_shows_the_derived_variant(editor_client):
    data = counters(editor_client, "sms_text", "", title="Lịch tiêm", summary="Từ thứ Hai.")
    assert data["derived"] is True
    assert data["text"] == "Lịch tiêm. Từ thứ Hai."


@pytest.mark.parametrize(
    ("text", "weighted", "over"),
    [
        ("a" * 256, 280, False),  # 256 + 23 for the link + 1 space
        ("a" * 257, 281, True),
        ("ệ" * 128, 280, False),  # Vietnamese precomposed letters count two
        ("ệ" * 128 + "a", 281, True),
        ("Xem https://example.com/" + "a" * 200 + " " + "b" * 204, 23 + 24 + 4 + 1 + 204, False),
    ],
)
def test_x_counter_on_the_boundary(editor_client, text, weighted, over):
    data = counters(editor_client, "social_text", text)
    assert data["x"]["weighted"] == weighted
    assert data["x"]["max"] == 280
    assert data["x"]["over"] is over
    assert bool(data["error"]) is over


def test_led_counter(editor_client):
    assert counters(editor_client, "led_text", "Tiêm vắc-xin")["led"] == {
        "chars": 12,
        "max": 120,
        "over": False,
    }


def test_counters_need_an_admin_login(client, users):
    response = client.post(reverse(COUNTERS), {"field": "sms_text", "text": "a"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("data", [{"field": "title", "text": "a"}, {"field": "sms_text", "text": "a" * 5001}])
def test_bad_counter_requests_get_a_json_error(editor_client, data):
    response = editor_client.post(reverse(COUNTERS), data)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize(
    ("field", "text", "ok"),
    [
        ("sms_text", "a" * 459, True),  # 3 segments of 153
        ("sms_text", "a" * 460, False),
        ("sms_text", "ă" * 201, True),  # 3 segments of 67
        ("sms_text", "ă" * 202, False),
        ("social_text", "a" * 256, True),
        ("social_text", "a" * 257, False),
    ],
)
def test_clean_refuses_over_limit_variants(story_index, field, text, ok):
    # X counts a link as 23 when it is one: the portal's real host name, not the test client's.
    Site.objects.update(hostname="tuyentruyen.dienbien.gov.vn")
    page = VaccinationPageFactory(parent=story_index, live=False, **{field: text})
    if ok:
        page.full_clean()
    else:
        with pytest.raises(ValidationError) as error:
            page.full_clean()
        assert field in error.value.message_dict


def test_submit_with_an_over_limit_sms_is_refused_but_the_draft_saves(client, story_index, users):
    page = VaccinationPageFactory(parent=story_index, live=False)
    client.force_login(users["editor"])
    too_long = "a" * 460

    refused = post_edit(client, page, sms_text=too_long, **{"action-submit": "Submit"})
    page.refresh_from_db()
    assert refused.status_code == 200
    assert "sms_text" in refused.context["form"].errors
    assert "4" in refused.context["form"].errors["sms_text"][0]
    assert not page.workflow_in_progress

    saved = post_edit(client, page, sms_text=too_long)
    page.refresh_from_db()
    assert saved.status_code == 302
    assert page.get_latest_revision_as_object().sms_text == too_long
