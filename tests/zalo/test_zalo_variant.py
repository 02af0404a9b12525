"""The Zalo variant on stories: explicit or derived, its limit, its live counter and its preview."""

import pytest
from django.core.exceptions import ValidationError
from django.test import RequestFactory
from django.urls import reverse

from hub import previews, variants
from tests.factories import GoodExamplePageFactory, UserFactory


@pytest.mark.django_db
def test_the_zalo_text_is_used_as_written_or_derived_from_title_and_summary(story_index):
    written = GoodExamplePageFactory(parent=story_index, zalo_text="  Bà con đi tiêm nhé!  ")
    derived = GoodExamplePageFactory(
        parent=story_index, title="Nữ trưởng bản", summary="Vận động cả bản đi tiêm."
    )

    assert written.zalo_variant == "Bà con đi tiêm nhé!"
    assert derived.zalo_variant == "Nữ trưởng bản Vận động cả bản đi tiêm."


@pytest.mark.django_db
def test_a_zalo_text_over_the_message_limit_is_refused(story_index):
    story = GoodExamplePageFactory.build(zalo_text="ă" * (variants.ZALO_MAX_CHARS + 1))

    with pytest.raises(ValidationError) as error:
        story.clean()

    assert "zalo_text" in error.value.message_dict


@pytest.mark.django_db
def test_the_live_counter_measures_the_zalo_text(client):
    client.force_login(UserFactory(is_superuser=True))

    response = client.post(
        reverse("hub_counters"), {"field": "zalo_text", "text": "", "title": "Tin", "summary": "Tóm tắt"}
    )

    data = response.json()
    assert data["derived"] and data["text"] == "Tin Tóm tắt"
    assert data["zalo"] == {"chars": 11, "max": variants.ZALO_MAX_CHARS, "over": False}


@pytest.mark.django_db
def test_the_zalo_preview_shows_the_text_the_approver_signs_off(story_index):
    story = GoodExamplePageFactory(parent=story_index, zalo_text="Bà con đi tiêm nhé!")
    request = RequestFactory().get("/")

    context = previews.preview_context(story=story, mode="zalo", request=request)
    html = story.serve_preview(request, "zalo").render().content.decode()

    assert "zalo" in [mode for mode, _label in previews.PREVIEW_MODES]
    assert context["zalo_chars"] == 19 and context["zalo_error"] is None
    assert 'data-zalo="text">Bà con đi tiêm nhé!' in html
