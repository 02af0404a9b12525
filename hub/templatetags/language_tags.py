"""The portal's languages: the switcher, hreflang alternates and the untranslated-story notice."""

from django import template
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale, Page

from hub.cache import cached_fragment
from hub.languages import CONTENT_LANGUAGES, DEFAULT_LANGUAGE

register = template.Library()


def _locale_codes() -> dict[int, str]:
    """Locale id → language code, built once per cache generation."""
    return cached_fragment("locales", lambda: dict(Locale.objects.values_list("pk", "language_code")))


def page_language(page) -> str:
    return _locale_codes().get(page.locale_id, DEFAULT_LANGUAGE)


def language_root(code: str) -> str:
    """The portal's home path in a language: "/" for Vietnamese, "/hmn/" for H'Mông."""
    with translation.override(code):
        return reverse("wagtail_serve", args=[""])


def _fallback_url(source_url: str, code: str) -> str:
    """The address of a Vietnamese page under another language's prefix (served with a notice)."""
    return language_root(code) + source_url.lstrip("/")


@register.simple_tag
def localized_home_url() -> str:
    return language_root(translation.get_language() or DEFAULT_LANGUAGE)


@register.simple_tag(takes_context=True)
def language_links(context, page=None) -> dict:
    """Every content language with its address for this page; `alternates` only where translated.

    One query for a page (its live translations with their locales), none without one.
    """
    request = context.get("request")
    current = translation.get_language() or DEFAULT_LANGUAGE
    translated: dict[str, Page] = {}
    if isinstance(page, Page) and page.pk:
        for candidate in (
            Page.objects.filter(translation_key=page.translation_key).live().public().select_related("locale")
        ):
            translated.setdefault(candidate.locale.language_code, candidate)
    source = translated.get(DEFAULT_LANGUAGE)
    source_url = source.get_url(request) if source else None
    links, alternates = [], []
    for language in CONTENT_LANGUAGES:
        code = language.code
        if code in translated:
            url = translated[code].get_url(request)
        elif source_url:
            url = _fallback_url(source_url, code)
        else:
            url = language_root(code)
        links.append(
            {
                "code": code,
                "name": language.name_local,
                "url": url,
                "current": code == current,
                "translated": code in translated,
            }
        )
        if code in translated and request is not None:
            alternates.append({"code": code, "url": request.build_absolute_uri(url)})
    if alternates and source_url and request is not None:
        alternates.append({"code": "x-default", "url": request.build_absolute_uri(source_url)})
    return {"links": links, "alternates": alternates if len(alternates) > 2 else []}


@register.simple_tag
def untranslated_language(page) -> str:
    """The local name of the visitor's language when this page is not in it (for a notice), else ""."""
    current = translation.get_language() or DEFAULT_LANGUAGE
    if not isinstance(page, Page) or page_language(page) == current:
        return ""
    for language in CONTENT_LANGUAGES:
        if language.code == current:
            return language.name_local
    return ""
