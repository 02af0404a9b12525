"""Portal URLs outside the page tree: health check, feeds, search, region pages, robots.txt.

Search, region pages and feeds exist in every content language: hub/urls.py mounts
`localized_urlpatterns` under the language prefixes (none for Vietnamese).
"""

from django.urls import include, path

from hub import syndication, views
from hub.feeds import StoryAtomFeed, StoryJsonFeed, StoryRssFeed

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("robots.txt", views.robots_txt, name="robots_txt"),
]

localized_urlpatterns = [
    path("tim-kiem/", views.search, name="portal_search"),
    path("khu-vuc/<slug:code>/", views.region, name="portal_region"),
    path("feeds/rss/", StoryRssFeed(), name="portal_feed_rss"),
    path("feeds/atom/", StoryAtomFeed(), name="portal_feed_atom"),
    path("feeds/json/", StoryJsonFeed(), name="portal_feed_json"),
    path("feeds/<slug:kind>/rss/", StoryRssFeed(), name="portal_feed_rss_kind"),
    path("feeds/<slug:kind>/atom/", StoryAtomFeed(), name="portal_feed_atom_kind"),
    path("feeds/<slug:kind>/json/", StoryJsonFeed(), name="portal_feed_json_kind"),
    path("feeds/khu-vuc/<slug:region>/rss/", StoryRssFeed(), name="portal_feed_rss_region"),
    path("feeds/khu-vuc/<slug:region>/atom/", StoryAtomFeed(), name="portal_feed_atom_region"),
    path("feeds/khu-vuc/<slug:region>/json/", StoryJsonFeed(), name="portal_feed_json_region"),
    path(
        "feeds/to-chuc/<slug:slug>/atom/", syndication.OrganisationAtomFeed(), name="organisation_feed_atom"
    ),
    path("lien-thong/", syndication.syndicated_list_view, name="portal_syndicated"),
    path("lien-thong/<int:pk>/", syndication.syndicated_copy_view, name="portal_syndicated_copy"),
    path("", include("hub.intake.urls")),
]
