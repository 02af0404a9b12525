"""RSS and Atom feeds of live stories, all kinds or one kind, for syndicating portals."""

import copy

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from wagtail.models import Site

from hub.selectors import KINDS, feed_stories


class StoryRssFeed(Feed):
    """The latest live stories; `kind` (a key of hub.selectors.KINDS) narrows it to one kind.

    Each content language has its own feeds (/hmn/feeds/rss/ …), in the language of the address.
    """

    feed_type = Rss201rev2Feed
    feed_url_name = "portal_feed_rss"

    request = None

    def __call__(self, request, *args, **kwargs):
        # The URLconf shares one instance between requests: work on a copy that knows its request.
        feed = copy.copy(self)
        feed.request = request
        return Feed.__call__(feed, request, *args, **kwargs)

    def get_object(self, request, kind: str | None = None):
        if kind is not None and kind not in KINDS:
            raise Http404
        return kind

    def _site_name(self) -> str:
        site = Site.find_for_request(self.request)
        return site.site_name if site and site.site_name else settings.WAGTAIL_SITE_NAME

    def title(self, kind):
        if kind is None:
            return self._site_name()
        return f"{self._site_name()} · {KINDS[kind]._meta.verbose_name_plural.capitalize()}"

    def description(self, kind):
        return _("The latest official information, newest first.")

    subtitle = description

    def link(self, kind):
        from hub.templatetags.language_tags import localized_home_url

        return localized_home_url()

    def feed_url(self, kind):
        if kind is None:
            return reverse(self.feed_url_name)
        return reverse(f"{self.feed_url_name}_kind", kwargs={"kind": kind})

    def items(self, kind):
        site = Site.find_for_request(self.request)
        return feed_stories(kind=kind, root=site.root_page if site else None)

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.first_published_at or item.last_published_at

    def item_updateddate(self, item):
        return item.last_published_at or item.first_published_at

    def item_categories(self, item):
        return [str(item.kind_label)]


class StoryAtomFeed(StoryRssFeed):
    feed_type = Atom1Feed
    feed_url_name = "portal_feed_atom"
