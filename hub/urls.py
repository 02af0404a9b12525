from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.urls import include, path, re_path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls
from wagtail.images.views.serve import ServeView

from hub import admin_search, portal_urls, sitemaps

urlpatterns = [
    # Wagtail's page search, bounded for large archives (hub/admin_search.py): same addresses, first.
    path("admin/pages/search/", admin_search.search_view),
    path("admin/pages/search/results/", admin_search.search_results_view),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    re_path(r"^images/([^/]*)/(\d*)/([^/]*)/[^/]*$", ServeView.as_view(), name="wagtailimages_serve"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    path("sitemap-<slug:language>-<int:number>.xml", sitemaps.sitemap_child, name="sitemap_child"),
    path("", include("channels.sms.urls")),
    path("", include("channels.led.urls")),
    path("", include("channels.loudspeaker.urls")),
    path("", include("channels.cap.urls")),
    path("", include("channels.email.urls")),
    path("", include("hub.portal_urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

# Portal pages, search and feeds per content language: /hmn/…, /blt/…, /en/…; Vietnamese unprefixed.
urlpatterns += i18n_patterns(
    *portal_urls.localized_urlpatterns,
    path("", include(wagtail_urls)),
    prefix_default_language=False,
)
