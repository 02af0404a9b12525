"""Zalo in several languages: a translated story goes out with its own Zalo text (written or made
from its own title and summary) to the accounts of the regions that list its language."""

import pytest
from django.test import RequestFactory

from channels.zalo.models import ZaloPost
from hub import previews
from hub.models import RegionLevel
from publishing.models import Publication
from tests.factories import GoodExamplePageFactory, RegionFactory
from tests.factories.organisations import default_organisation
from tests.factories.zalo import ZaloAccountFactory

ZALO_HMONG = "Cov kwv tij mus txhaj tshuaj tiv thaiv nawb!"  # sample translation


@pytest.fixture
def channels(settings):
    settings.HUB_CHANNELS = {
        "portal": {"BACKEND": "channels.portal.PortalAdapter"},
        "zalo": {"BACKEND": "channels.zalo.adapter.ZaloAdapter"},
    }


@pytest.fixture
def regions(db):
    """Điện Biên Phủ lists Vietnamese and H'Mông; Mường Lay Vietnamese only."""
    province = RegionFactory(code="11", name="Tỉnh Điện Biên", level=RegionLevel.PROVINCE)
    city = RegionFactory(code="094", name="Thành phố Điện Biên Phủ", parent=province, languages="vi, hmn")
    town = RegionFactory(code="095", name="Thị xã Mường Lay", parent=province, languages="vi")
    return {"province": province, "city": city, "town": town}


@pytest.fixture
def accounts(regions):
    ours = default_organisation()
    return {
        "city": ZaloAccountFactory(organisation=ours, name="OA Điện Biên Phủ", regions=[regions["city"]]),
        "town": ZaloAccountFactory(organisation=ours, name="OA Mường Lay", regions=[regions["town"]]),
    }


def publish(page, capture):
    with capture(execute=True):
        revision = page.save_revision()
        revision.publish()
    return Publication.objects.get(revision=revision)


def test_a_translation_reaches_the_accounts_of_regions_listing_its_language_with_its_own_text(
    story_index, locales, regions, accounts, channels, django_capture_on_commit_callbacks
):
    source = GoodExamplePageFactory(
        parent=story_index,
        channels=["zalo"],
        zalo_text="Bà con đi tiêm nhé!",
        regions=[regions["city"], regions["town"]],
    )
    publish(source, django_capture_on_commit_callbacks)
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.zalo_text = ZALO_HMONG

    publication = publish(translation, django_capture_on_commit_callbacks)

    assert publication.language == "hmn" and publication.zalo_text == ZALO_HMONG
    assert list(publication.regions.all()) == [regions["city"]]
    posts = {(post.account.name, post.payload["text"]) for post in ZaloPost.objects.select_related("account")}
    assert posts == {
        ("OA Điện Biên Phủ", "Bà con đi tiêm nhé!"),
        ("OA Mường Lay", "Bà con đi tiêm nhé!"),
        ("OA Điện Biên Phủ", ZALO_HMONG),
    }


def test_an_empty_zalo_text_is_made_from_the_translations_own_title_and_summary(
    story_index, locales, regions, accounts, channels, django_capture_on_commit_callbacks
):
    source = GoodExamplePageFactory(
        parent=story_index, channels=["zalo"], zalo_text="Bà con đi tiêm nhé!", regions=[regions["city"]]
    )
    publish(source, django_capture_on_commit_callbacks)
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.title, translation.summary, translation.zalo_text = "Txhaj tshuaj", "Mus txhaj koob peb.", ""

    publication = publish(translation, django_capture_on_commit_callbacks)

    assert publication.zalo_text == "Txhaj tshuaj Mus txhaj koob peb."
    assert ZaloPost.objects.get(payload__text=publication.zalo_text).account == accounts["city"]


def test_no_region_listing_the_language_means_no_zalo_post_in_it(
    story_index, locales, regions, accounts, channels, django_capture_on_commit_callbacks
):
    source = GoodExamplePageFactory(
        parent=story_index, channels=["zalo"], zalo_text="Bà con đi tiêm nhé!", regions=[regions["town"]]
    )
    publish(source, django_capture_on_commit_callbacks)
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.zalo_text = ZALO_HMONG

    publication = publish(translation, django_capture_on_commit_callbacks)

    assert not publication.deliveries.filter(channel="zalo").exists()
    assert not ZaloPost.objects.filter(payload__text=ZALO_HMONG).exists()


def test_the_zalo_preview_and_the_side_by_side_show_the_translations_text(story_index, locales, regions):
    source = GoodExamplePageFactory(parent=story_index, channels=["zalo"], zalo_text="Bà con đi tiêm nhé!")
    translation = source.copy_for_translation(locales["hmn"]).specific
    translation.zalo_text = ZALO_HMONG
    request = RequestFactory().get("/")

    zalo = previews.preview_context(story=translation, mode="zalo", request=request)
    side = previews.preview_context(story=translation, mode="translation", request=request)

    assert zalo["zalo_chars"] == len(ZALO_HMONG) and not zalo["zalo_error"]
    rows = {row["field"]: (row["source"], row["translation"]) for row in side["rows"]}
    assert rows["zalo_variant"] == ("Bà con đi tiêm nhé!", ZALO_HMONG)
    assert rows["loudspeaker_variant"][0] == source.loudspeaker_variant
