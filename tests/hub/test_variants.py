import pytest

from channels import textlimits
from tests.factories import GoodExamplePageFactory, VaccinationPageFactory


@pytest.mark.django_db
def test_explicit_variants_are_used_as_written(story_index):
    story = VaccinationPageFactory(
        parent=story_index,
        sms_text="  Tiêm vắc-xin miễn phí từ 25/11.  ",
        led_text="Tiêm vắc-xin",
        social_text="Đi tiêm!",
    )

    assert story.sms_variant == "Tiêm vắc-xin miễn phí từ 25/11."
    assert story.sms_variant_ascii == "Tiem vac-xin mien phi tu 25/11."
    assert story.led_variant == "Tiêm vắc-xin"
    assert story.social_variant == "Đi tiêm!"


@pytest.mark.django_db
def test_empty_variants_are_derived_from_title_and_summary(story_index):
    story = GoodExamplePageFactory(
        parent=story_index, title="Nữ trưởng bản", summary="Vận động cả bản đi tiêm."
    )

    assert story.sms_variant == "Nữ trưởng bản. Vận động cả bản đi tiêm."
    assert story.led_variant == "Nữ trưởng bản"
    assert "Vận động cả bản đi tiêm." in story.social_variant


@pytest.mark.django_db
def test_derived_variants_are_shortened_to_fit_their_channel(story_index, settings):
    settings.SMS_MAX_SEGMENTS = 1
    long_summary = "Người dân thực hiện nghiêm thông điệp 5K và tiêm vắc-xin đầy đủ. " * 12
    story = GoodExamplePageFactory(parent=story_index, title="Tin dài", summary=long_summary)

    assert textlimits.measure_sms(story.sms_variant).segments == 1
    assert story.sms_variant.endswith("…")
    assert textlimits.x_weighted_length(story.social_variant) <= 280 - 24
    assert len(story.led_variant) <= 120
