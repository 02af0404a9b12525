"""The content languages: Django and Wagtail accept the codes they lacked; the admin stays vi/en."""

import unicodedata

import pytest
from django.conf import settings
from django.utils import translation
from wagtail.coreutils import get_content_languages
from wagtail.models import Locale

from hub.languages import CONTENT_LANGUAGE_CODES, ContentLanguageMiddleware, parse_languages
from tests.factories import GoodExamplePageFactory


@pytest.mark.parametrize(
    ("code", "name", "name_local"),
    [("blt", "Thai (Tai Dam)", "Tay Đăm"), ("hmn", "Hmong", "Hmôngz"), ("vi", "Vietnamese", "Tiếng Việt")],
)
def test_django_knows_every_content_language(code, name, name_local):
    info = translation.get_language_info(code)

    assert info["name"] == name
    assert unicodedata.normalize("NFC", info["name_local"]) == name_local
    assert info["bidi"] is False
    assert translation.check_for_language(code)  # a catalogue exists, so URL prefixes resolve
    with translation.override(code):
        assert translation.get_language() == code
        assert translation.get_language_bidi() is False


def test_content_and_admin_languages():
    assert CONTENT_LANGUAGE_CODES == ("vi", "blt", "hmn", "en")
    assert list(get_content_languages()) == ["vi", "blt", "hmn", "en"]
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.WAGTAIL_I18N_ENABLED is True
    assert [code for code, _name in settings.WAGTAILADMIN_PERMITTED_LANGUAGES] == ["vi", "en"]


def test_an_interface_catalogue_of_a_new_language_falls_back_to_vietnamese():
    with translation.override("hmn"):
        assert translation.gettext("Search") == "Tìm kiếm"
    with translation.override("en"):
        assert translation.gettext("Search") == "Search"


def test_region_language_lists_are_parsed_in_order_without_unknown_codes():
    assert parse_languages("vi, hmn") == ["vi", "hmn"]
    assert parse_languages(" HMN ;vi,xx,vi") == ["hmn", "vi"]
    assert parse_languages("") == []


@pytest.mark.django_db
def test_wagtail_has_a_locale_for_each_language_with_names():
    locales = {locale.language_code: locale for locale in Locale.objects.all()}

    assert set(CONTENT_LANGUAGE_CODES) <= set(locales)
    assert locales["hmn"].get_display_name() == "Tiếng H'Mông"  # in the active (default) language
    with translation.override("en"):
        assert locales["hmn"].get_display_name() == "Hmong"
    assert locales["blt"].language_name_local == "Tay Đăm"
    assert Locale.get_default().language_code == "vi"
    with translation.override("hmn"):
        assert Locale.get_active().language_code == "hmn"


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["blt", "hmn", "en"])
def test_a_story_can_be_copied_for_translation_into_each_language(locales, story_index, code):
    story = GoodExamplePageFactory(parent=story_index, slug="guong-sang")
    story.save_revision().publish()

    translated = story.copy_for_translation(locales[code])

    assert translated.locale.language_code == code
    assert translated.translation_key == story.translation_key
    assert translated.get_parent().locale.language_code == code
    assert translated.live is False  # a draft: it goes through the workflow


@pytest.mark.django_db
def test_the_locale_chooser_lists_the_languages(admin_client):
    response = admin_client.get("/admin/locales/")

    assert response.status_code == 200
    for name in ("Tiếng H&#x27;Mông", "Tiếng Thái (Thái Đen)", "Tiếng Anh"):  # the admin speaks Vietnamese
        assert name in response.text


def test_the_middleware_takes_the_language_from_the_prefix_only(rf):
    seen = {}

    def view(request):
        seen["language"] = translation.get_language()
        from django.http import HttpResponse

        return HttpResponse("")

    middleware = ContentLanguageMiddleware(view)
    response = middleware(rf.get("/hmn/tin-tuc/", HTTP_ACCEPT_LANGUAGE="en"))
    assert seen["language"] == "hmn" and response["Content-Language"] == "hmn"
    middleware(rf.get("/tin-tuc/", HTTP_ACCEPT_LANGUAGE="en"))
    assert seen["language"] == "vi"
