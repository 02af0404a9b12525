"""Feeds of live stories for syndicating portals and readers: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

One feed class answers every scope: all stories, one story kind (`/feeds/<kind>/…`) or one region
(`/feeds/khu-vuc/<code>/…`, the stories that concern people there). Each entry carries the whole
story as sanitised HTML, its main image (enclosure / Media RSS / JSON Feed image), its kind as
category, the organisation as author, and a `tag:` URI as id that survives moves and renames.
Times are in Vietnam's time zone (+07:00), as the pages show them.
"""

import copy
import json
from dataclasses import dataclass
from urllib.parse import urljoin

import nh3
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _
from wagtail.images.views.serve import generate_image_url
from wagtail.models import Site

from hub.selectors import KINDS, feed_stories
from hub.structured_data import language_of, local_iso

MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"
FEED_IMAGE_SPEC = "fill-1200x630|format-jpeg"
FEED_IMAGE_SIZE = (1200, 630)

# What a story's HTML may keep in a feed: text structure, links and images, nothing active.
ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "dd", "div", "dl", "dt", "em", "figcaption", "figure",
    "h2", "h3", "h4", "i", "img", "li", "ol", "p", "section", "strong", "sub", "sup", "table",
    "tbody", "td", "th", "thead", "time", "tr", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "width", "height"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
}


def sanitise(html: str, *, base_url: str) -> str:
    """Feed-safe HTML: allow-listed tags and attributes, http(s)/mailto/tel links, absolute URLs."""

    def absolute(tag, attribute, value):
        if attribute in ("href", "src"):
            return urljoin(base_url, value)
        return value

    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=absolute,
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener",
    ).strip()


def story_guid(page, *, site: Site | None) -> str:
    """An RFC 4151 `tag:` URI: the organisation's domain, the day of first publication (in
    Vietnam) and the story's translation key with its language. Moving or renaming the page
    keeps it; each language version of a story has its own."""
    domain = site.hostname if site is not None else "localhost"
    first = page.first_published_at or page.last_published_at or page.latest_revision_created_at
    day = timezone.localtime(first).date().isoformat() if first else "2000-01-01"
    return f"tag:{domain},{day}:story/{page.translation_key}/{language_of(page)}"


# --- generators ----------------------------------------------------------------------------


class StoryRssGenerator(Rss201rev2Feed):
    """RSS 2.0 with the whole story (content:encoded) and its image (Media RSS)."""

    def rss_attributes(self):
        attributes = super().rss_attributes()
        attributes["xmlns:content"] = CONTENT_NS
        attributes["xmlns:media"] = MEDIA_NS
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content:encoded", item["content_html"])
        _add_media(handler, item)


class StoryAtomGenerator(Atom1Feed):
    """Atom 1.0 with the whole story as `content`, the summary as `summary`, the image as Media RSS."""

    def root_attributes(self):
        attributes = super().root_attributes()
        attributes["xmlns:media"] = MEDIA_NS
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content_html"):
            handler.addQuickElement("content", item["content_html"], {"type": "html"})
        _add_media(handler, item)


def _add_media(handler, item) -> None:
    image = item.get("image")
    if image:
        width, height = FEED_IMAGE_SIZE
        handler.addQuickElement(
            "media:content",
            None,
            {
                "url": image["url"],
                "type": "image/jpeg",
                "medium": "image",
                "width": str(width),
                "height": str(height),
            },
        )


class JsonFeed11(SyndicationFeed):
    """JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/)."""

    content_type = "application/feed+json; charset=utf-8"

    def write(self, outfile, encoding):
        feed = self.feed
        document = {
            "version": "https://jsonfeed.org/version/1.1",
            "title": feed["title"],
            "home_page_url": feed["link"],
            "feed_url": feed["feed_url"],
            "description": feed["description"],
            "language": feed["language"],
            "authors": [{"name": feed["author_name"], "url": feed["author_link"]}],
            "items": [self._item(item) for item in self.items],
        }
        if feed.get("icon"):
            document["icon"] = document["favicon"] = feed["icon"]
        outfile.write(json.dumps(document, ensure_ascii=False, indent=1).encode(encoding))

    @staticmethod
    def _item(item) -> dict:
        entry = {
            "id": item["unique_id"],
            "url": item["link"],
            "title": item["title"],
            "content_html": item["content_html"],
            "summary": item["description"],
            "date_published": local_iso(item["pubdate"]),
            "date_modified": local_iso(item["updateddate"]),
            "tags": item["categories"],
            "language": item["language"],
            "authors": [{"name": item["author_name"], "url": item["author_link"]}],
        }
        if item.get("image"):
            entry["image"] = item["image"]["url"]
        return {key: value for key, value in entry.items() if value not in (None, "", [])}


# --- the feeds -----------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedScope:
    kind: str | None = None
    region: object = None


class StoryRssFeed(Feed):
    """The latest live stories of the portal answering the request, in the language of the address."""

    feed_type = StoryRssGenerator
    feed_format = "rss"

    request = None
    site = None
    organisation = None

    def __call__(self, request, *args, **kwargs):
        # The URLconf shares one instance between requests: work on a copy that knows its request.
        from hub.tenancy import organisation_for_request

        feed = copy.copy(self)
        feed.request = request
        feed.site = Site.find_for_request(request)
        feed.organisation = organisation_for_request(request)
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, kind: str | None = None, region: str | None = None):
        if kind is not None and kind not in KINDS:
            raise Http404
        if region is not None:
            from hub.tenancy import regions_of

            region = get_object_or_404(regions_of(self.organisation), code=region)
        return FeedScope(kind=kind, region=region)

    # The feed

    def _site_name(self) -> str:
        if self.site is not None and self.site.site_name:
            return self.site.site_name
        return settings.WAGTAIL_SITE_NAME

    def _root_url(self) -> str:
        return self.request.build_absolute_uri("/")

    def title(self, scope):
        if scope.kind is not None:
            return f"{self._site_name()} · {KINDS[scope.kind]._meta.verbose_name_plural.capitalize()}"
        if scope.region is not None:
            return f"{self._site_name()} · {scope.region.name}"
        return self._site_name()

    def description(self, scope):
        if scope.region is not None:
            return _("The latest official information for %(region)s, newest first.") % {
                "region": scope.region.name
            }
        return _("The latest official information, newest first.")

    subtitle = description

    def link(self, scope):
        if scope.region is not None:
            return reverse("portal_region", kwargs={"code": scope.region.code})
        from hub.templatetags.language_tags import localized_home_url

        return localized_home_url()

    def feed_url(self, scope):
        if scope.kind is not None:
            return reverse(f"portal_feed_{self.feed_format}_kind", kwargs={"kind": scope.kind})
        if scope.region is not None:
            return reverse(f"portal_feed_{self.feed_format}_region", kwargs={"region": scope.region.code})
        return reverse(f"portal_feed_{self.feed_format}")

    def feed_guid(self, scope):
        return self.request.build_absolute_uri(self.feed_url(scope))

    def author_name(self, scope):
        return self.organisation.name if self.organisation else self._site_name()

    def author_link(self, scope):
        return self._root_url()

    def feed_copyright(self, scope):
        return _(
            "© %(year)s %(publisher)s. Official information: republish it freely, naming the source."
        ) % {
            "year": timezone.localdate().year,
            "publisher": self.author_name(scope),
        }

    def feed_extra_kwargs(self, scope):
        return {"icon": self.request.build_absolute_uri(static("img/logo.png"))}

    def items(self, scope):
        return feed_stories(
            kind=scope.kind, region=scope.region, root=self.site.root_page if self.site else None
        )

    # Each story

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return story_guid(item, site=self.site)

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        first = item.first_published_at or item.last_published_at
        return timezone.localtime(first) if first else None

    def item_updateddate(self, item):
        first = item.first_published_at or item.last_published_at
        last = item.last_published_at or first
        return timezone.localtime(max(first, last)) if first else None

    def item_categories(self, item):
        return [str(item.kind_label).capitalize()]

    def item_author_name(self, item):
        return self.author_name(None)

    def item_author_link(self, item):
        return self._root_url()

    def item_copyright(self, item):
        return self.feed_copyright(None)

    def _image(self, item) -> dict | None:
        if not item.hero_image_id:
            return None
        return {
            "url": self.request.build_absolute_uri(generate_image_url(item.hero_image, FEED_IMAGE_SPEC)),
            "alt": item.hero_image.alt_text if hasattr(item.hero_image, "alt_text") else "",
        }

    def item_enclosures(self, item):
        image = self._image(item)
        if image is None:
            return []
        # The rendition's size is unknown until it is first made: 0, as the RSS Advisory Board advises.
        return [Enclosure(image["url"], "0", "image/jpeg")]

    def item_extra_kwargs(self, item):
        html = render_to_string("hub/feeds/story_content.html", {"page": item}, request=self.request)
        return {
            "content_html": sanitise(html, base_url=self.item_link(item)),
            "image": self._image(item),
            "language": language_of(item),
        }


class StoryAtomFeed(StoryRssFeed):
    feed_type = StoryAtomGenerator
    feed_format = "atom"


class StoryJsonFeed(StoryRssFeed):
    feed_type = JsonFeed11
    feed_format = "json"
