"""The SMS feed in several languages: entries carry their language, and a partner receives the
languages the regions it covers list (regions inherit the list of the region they are part of)."""

import pytest
from django.test import override_settings

from channels import textlimits
from hub.models.regions import effective_languages, regions_for_language
from tests.factories import GoodExamplePageFactory

URL = "/api/sms/v1/messages"
SMS_HMONG = "Mus txhaj tshuaj tiv thaiv kab mob kom tag nrho."  # sample text, Latin letters only
SMS_THAI = "Pay sák dà pọng kăn phạy hák."  # sample Latin-script text with diacritics

CHANNELS = {
    "portal": {"BACKEND": "channels.portal.PortalAdapter"},
    "sms": {"BACKEND": "channels.sms.adapter.SmsFeedAdapter"},
}


@pytest.fixture
def bilingual(regions):
    """Điện Biên Phủ lists Vietnamese and H'Mông; Mường Lay lists Vietnamese only."""
    regions["city"].languages = "vi, hmn"
    regions["city"].save()
    regions["town"].languages = "vi"
    regions["town"].save()
    return regions


def _publish(story_index, locales, regions, capture):
    source = GoodExamplePageFactory(
        parent=story_index,
        slug="tiem-du-lieu",
        regions=regions,
        channels=["sms"],
        sms_text="Đi tiêm đủ liều.",
    )
    with capture(execute=True):
        source.save_revision().publish()
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.sms_text = SMS_HMONG
    with capture(execute=True):
        translation.save_revision().publish()
    return source, translation


def _languages(client, auth):
    return [(entry["language"], entry["text"]) for entry in client.get(URL, **auth).json()["messages"]]


def test_regions_inherit_the_language_list_of_the_region_above(bilingual):
    languages = effective_languages(bilingual.values())

    assert languages[bilingual["province"].pk] == ["vi"]  # nothing listed at the top: Vietnamese
    assert languages[bilingual["city"].pk] == ["vi", "hmn"]
    assert languages[bilingual["commune"].pk] == ["vi", "hmn"]  # inherited from Điện Biên Phủ
    assert regions_for_language(bilingual.values(), "hmn") == [bilingual["city"], bilingual["commune"]]


@override_settings(HUB_CHANNELS=CHANNELS)
def test_a_region_listing_vi_and_hmn_gets_both_and_the_others_vietnamese_only(
    client, locales, story_index, bilingual, auth_a, auth_b, django_capture_on_commit_callbacks
):
    _publish(story_index, locales, [bilingual["city"], bilingual["town"]], django_capture_on_commit_callbacks)

    assert _languages(client, auth_a) == [("vi", "Đi tiêm đủ liều."), ("hmn", SMS_HMONG)]  # covers the city
    assert _languages(client, auth_b) == [("vi", "Đi tiêm đủ liều.")]  # covers Mường Lay


@override_settings(HUB_CHANNELS=CHANNELS)
def test_no_region_listing_the_language_means_no_sms_in_it(
    client, locales, story_index, regions, auth_a, django_capture_on_commit_callbacks
):
    _source, translation = _publish(
        story_index, locales, [regions["city"]], django_capture_on_commit_callbacks
    )

    assert _languages(client, auth_a) == [("vi", "Đi tiêm đủ liều.")]
    assert not translation.publications.get().deliveries.filter(channel="sms").exists()


def test_latin_hmong_and_thai_sms_are_counted_like_any_other():
    hmong = textlimits.measure_sms(SMS_HMONG)
    thai = textlimits.measure_sms(SMS_THAI)

    assert (hmong.encoding, hmong.segments) == ("GSM-7", 1)
    assert thai.encoding == "UCS-2"  # Vietnamese-style tone marks need UCS-2 ...
    assert textlimits.measure_sms(textlimits.to_ascii(SMS_THAI)).encoding == "GSM-7"  # ... unless stripped
