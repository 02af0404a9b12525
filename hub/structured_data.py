"""schema.org JSON-LD of stories: NewsArticle on every story, ClaimReview on rebuttals.

The publisher (and author) is the organisation whose portal serves the story, as a
GovernmentOrganization with its address and logo; it is built once per cache generation.
Times are in Vietnam's time zone (+07:00), as the pages show them.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.utils import timezone
from django.utils.text import Truncator
from wagtail.images.views.serve import generate_image_url
from wagtail.models import Site

from hub.cache import cached_fragment

JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
HEADLINE_MAX = 110  # what search engines show of a headline
# 16:9, 4:3 and 1:1 crops of the main image, as news search results ask for.
ARTICLE_IMAGE_SPECS = ("fill-1200x675", "fill-1200x900", "fill-1200x1200")
LOGO_SPEC = "max-600x600"


def as_script_json(data: dict) -> str:
    """JSON text safe inside <script>: <, > and & escaped as json_script does."""
    return json.dumps(data, ensure_ascii=False).translate(JSON_SCRIPT_ESCAPES)


def local_iso(moment) -> str | None:
    """An aware datetime in the portal's time zone (Asia/Ho_Chi_Minh, +07:00), to the second."""
    if moment is None:
        return None
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _absolute(request, url: str) -> str:
    if url.startswith(("http://", "https://")):
        return url
    if request is not None:
        return request.build_absolute_uri(url)
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + url


def _site(page, request) -> Site | None:
    site = Site.find_for_request(request) if request is not None else None
    return site or page.get_site()


def publisher(page, request=None) -> dict:
    """The GovernmentOrganization that publishes the page: its portal's organisation."""
    site = _site(page, request)
    if site is None:
        return {"@type": "GovernmentOrganization", "name": settings.WAGTAIL_SITE_NAME}

    def build() -> dict:
        from hub.models import Organisation

        organisation = Organisation.objects.filter(site=site).select_related("logo").first()
        name = organisation.name if organisation else (site.site_name or settings.WAGTAIL_SITE_NAME)
        if organisation and organisation.logo_id:
            logo = generate_image_url(organisation.logo, LOGO_SPEC)
        else:
            logo = static("img/logo.png")
        data = {
            "@type": "GovernmentOrganization",
            "name": name,
            "url": site.root_url.rstrip("/") + "/",
            "logo": {"@type": "ImageObject", "url": logo},
        }
        if organisation:
            data["@id"] = site.root_url.rstrip("/") + f"/#to-chuc-{organisation.slug}"
        return data

    data = cached_fragment(f"publisher:{site.pk}", build)
    return {**data, "logo": {**data["logo"], "url": _absolute(request, data["logo"]["url"])}}


def language_of(page) -> str:
    """The page's content language (its Wagtail locale), e.g. "vi": the locale when it came with
    the page (feeds load it), else the cached locale table, so a story page spends no query on it."""
    from hub.templatetags.language_tags import page_language

    if "locale" in page._state.fields_cache:
        return page.locale.language_code
    return page_language(page) if getattr(page, "locale_id", None) else settings.LANGUAGE_CODE


def news_article(page, request=None) -> dict:
    """schema.org NewsArticle of a story."""
    url = page.get_full_url(request) or ""  # a new page in preview has no address yet
    organisation = publisher(page, request)
    article = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": f"{url}#article",
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": Truncator(page.title).chars(HEADLINE_MAX),
        "description": page.summary,
        "articleSection": str(page.kind_label).capitalize(),
        "inLanguage": language_of(page),
        "isAccessibleForFree": True,
        "author": organisation,
        "publisher": organisation,
    }
    published = page.first_published_at or page.last_published_at
    modified = page.last_published_at or published
    if published:
        article["datePublished"] = local_iso(published)
        article["dateModified"] = local_iso(max(published, modified))
    if page.hero_image_id:
        article["image"] = [
            _absolute(request, generate_image_url(page.hero_image, spec)) for spec in ARTICLE_IMAGE_SPECS
        ]
    return article


RATINGS = {"false": 1, "misleading": 2, "unverified": 3}


def claim_review(page, request=None) -> dict:
    """schema.org ClaimReview of a rebuttal: the claim, who made it, where it appeared, the verdict."""
    url = page.get_full_url(request) or ""
    organisation = publisher(page, request)
    language = language_of(page)
    appearance = {"@type": "CreativeWork", "name": page.claim_appeared_in}
    if page.claim_url:
        appearance["url"] = page.claim_url
    if page.claim_appeared_on:
        appearance["datePublished"] = page.claim_appeared_on.isoformat()
    if page.claim_author:
        claimant = {"@type": "Person", "name": page.claim_author}
    else:  # nobody known: the place it circulated in is the closest known source
        claimant = {"@type": "Organization", "name": page.claim_appeared_in}
    claim = {
        "@type": "Claim",
        "author": claimant,
        "appearance": appearance,
        "firstAppearance": appearance,
        "inLanguage": language,
    }
    if page.claim_appeared_on:
        claim["datePublished"] = page.claim_appeared_on.isoformat()
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "@id": f"{url}#claim-review",
        "url": url,
        "claimReviewed": page.claim,
        "inLanguage": language,
        "author": organisation,
        "publisher": organisation,
        "reviewRating": {
            "@type": "Rating",
            "ratingValue": RATINGS[page.verdict],
            "bestRating": 5,
            "worstRating": 1,
            "alternateName": str(page.get_verdict_display()),
        },
        "itemReviewed": claim,
    }
    published = page.first_published_at or page.last_published_at
    if published:
        review["datePublished"] = local_iso(published)
    return review


def story_documents(page, request=None) -> list[dict]:
    """Every JSON-LD document of a story page: its NewsArticle, and a rebuttal's ClaimReview."""
    documents = [news_article(page, request)]
    if page.kind == "rebuttal":
        documents.append(claim_review(page, request))
    return documents
