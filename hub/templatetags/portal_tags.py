"""Presentation helpers for portal templates: signed image URLs (no rendition made here), meta tags."""

from django import template
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from wagtail.images.views.serve import generate_image_url
from wagtail.models import Site

from hub.cache import cached_fragment
from hub.languages import DEFAULT_LANGUAGE

register = template.Library()

SOCIAL_CARD = "fill-1200x630"


@register.simple_tag
def image_src(image, filter_spec: str) -> str:
    """The signed serve-view URL of a rendition; the rendition itself is made when first fetched."""
    if not image:
        return ""
    return generate_image_url(image, filter_spec)


@register.simple_tag(takes_context=True)
def social_image_url(context, image) -> str:
    """Absolute URL of the 1200×630 social card of an image, for Open Graph and Twitter cards."""
    if not image:
        return ""
    url = generate_image_url(image, SOCIAL_CARD)
    request = context.get("request")
    return request.build_absolute_uri(url) if request else url


@register.simple_tag(takes_context=True)
def page_full_url(context, page) -> str:
    """The canonical absolute URL of a page."""
    request = context.get("request")
    return page.get_full_url(request) or ""


@register.simple_tag
def page_description(page, length: int = 200) -> str:
    """The page's search description, summary or intro as plain text, for meta descriptions."""
    text = page.search_description or getattr(page, "summary", "") or getattr(page, "intro", "")
    return Truncator(" ".join(strip_tags(str(text or "")).split())).chars(length)


@register.simple_tag(takes_context=True)
def portal_sections(context) -> list[dict]:
    """The live sections under the current site's home page, for the menu (cached per generation)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return []

    def build() -> list[dict]:
        from hub.models import StoryIndexPage

        # The home page in the visitor's language, where translated (site roots are Vietnamese).
        home = (
            site.root_page
            if translation.get_language() in (None, DEFAULT_LANGUAGE)
            else site.root_page.localized
        )
        sections = StoryIndexPage.objects.live().public().child_of(home).order_by("path")
        return [
            {"pk": section.pk, "title": section.title, "url": section.get_url(request)}
            for section in sections
        ]

    return cached_fragment(f"sections:{site.pk}", build)


@register.simple_tag(takes_context=True)
def campaign_phase(context) -> dict:
    """The current site's phase and banner, cached per generation (saving the setting purges it)."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {}

    def build() -> dict:
        from hub.models import CampaignSettings

        campaign = CampaignSettings.for_site(site)
        return {"phase": campaign.phase, "outbreak_banner": campaign.outbreak_banner}

    return cached_fragment(f"campaign:{site.pk}", build)


@register.simple_tag
def is_exercise_story(page) -> bool:
    """Whether the story's publication in force is a drill (it then shows the exercise banner)."""
    from publishing.models import Publication

    if page is None or not getattr(page, "pk", None):
        return False
    return Publication.objects.filter(page_id=page.pk, is_exercise=True, retracted_at__isnull=True).exists()


# Modern formats first; the browser takes the first it can show, the <img> is for the rest.
PICTURE_FORMATS = (("avif", "image/avif"), ("webp", "image/webp"))


@register.inclusion_tag("includes/picture.html")
def picture(image, *, width: int, height: int | None = None, widths: str, sizes: str, **attributes) -> dict:
    """A <picture> of signed rendition URLs: AVIF and WebP sources, a JPEG/PNG fallback, one per width.

    With a height the image is cropped to that shape (`fill`); without, it keeps its own (`width`).
    No rendition is made here: each is made by the serve view when a browser first asks for it.
    """
    if not image:
        return {}
    steps = sorted({int(step) for step in widths.split(",")} | {width})

    def spec(step: int) -> str:
        if height:
            return f"fill-{step}x{round(step * height / width)}"
        return f"width-{step}"

    def srcset(suffix: str = "") -> str:
        return ", ".join(f"{generate_image_url(image, spec(step) + suffix)} {step}w" for step in steps)

    shown_height = height or (round(width * image.height / image.width) if image.width else None)
    return {
        "image": image,
        "sources": [(mime, srcset(f"|format-{name}")) for name, mime in PICTURE_FORMATS],
        "fallback_src": generate_image_url(image, spec(width)),
        "fallback_srcset": srcset(),
        "sizes": sizes,
        "width": width,
        "height": shown_height,
        "attributes": attributes,
    }


@register.simple_tag(takes_context=True)
def story_json_ld(context, page):
    """The story's schema.org JSON-LD blocks (NewsArticle; ClaimReview on rebuttals), CSP-allowed."""
    from hub.security.templatetags.security_tags import json_ld
    from hub.structured_data import as_script_json, story_documents

    request = context.get("request")
    return mark_safe("".join(json_ld(context, as_script_json(doc)) for doc in story_documents(page, request)))
