"""Purging a CDN in front of the portal through Wagtail's frontend cache (off unless configured).

When a story changes, its page is not the only thing that changed: the home page, its section,
the feeds, the sitemap and the CAP feed list it too. One batch purges them all, from the worker.
"""

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation

from hub.translations import page_language

FEED_URL_NAMES = ("portal_feed_rss", "portal_feed_atom", "portal_feed_json")
LISTING_URL_NAMES = (*FEED_URL_NAMES, "cap_index")


def story_urls(page) -> list[str]:
    """Every public address that shows the page or lists it."""
    site = page.get_site()
    if site is None:
        return []
    root = site.root_url.rstrip("/")
    urls = []
    for each in page.get_ancestors(inclusive=True).filter(depth__gte=site.root_page.depth).specific():
        url = each.get_url_parts()
        if url:
            urls.append(root + url[2])
    with translation.override(page_language(page)):  # the listings in the page's own language
        for name in LISTING_URL_NAMES:
            try:
                urls.append(root + reverse(name))
            except NoReverseMatch:
                continue
        from hub.selectors import KINDS
        from hub.sitemaps import sitemap_urls

        urls += [root + url for url in sitemap_urls(page)]
        story = page.specific
        for kind, model in KINDS.items():
            if isinstance(story, model):
                urls += [root + reverse(f"{name}_kind", kwargs={"kind": kind}) for name in FEED_URL_NAMES]
        regions = story.regions.all() if hasattr(story, "regions") else []
        for region in regions:  # a region's feeds and page list the stories of the regions within it too
            for code in region.lineage_codes:
                urls.append(root + reverse("portal_region", kwargs={"code": code}))
                urls += [root + reverse(f"{name}_region", kwargs={"region": code}) for name in FEED_URL_NAMES]
    return list(dict.fromkeys(urls))


def purge_story(sender=None, instance=None, **kwargs) -> None:
    """Signal receiver: asks the configured CDN to drop the story's page and the pages listing it."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None) or instance is None:
        return
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    purge_urls_from_cache(story_urls(instance))


def connect_purge_signals() -> None:
    from wagtail.signals import page_published, page_unpublished, post_page_move

    page_published.connect(purge_story, dispatch_uid="cdn_purge_published")
    page_unpublished.connect(purge_story, dispatch_uid="cdn_purge_unpublished")
    post_page_move.connect(purge_story, dispatch_uid="cdn_purge_moved")
