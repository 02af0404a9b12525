"""The portal's sitemap: Wagtail's, without the stories of a drill (docs/exercise.md)."""

from wagtail.contrib.sitemaps import Sitemap


class PortalSitemap(Sitemap):
    def items(self):
        from hub.exercise import exercise_page_ids

        return super().items().exclude(pk__in=exercise_page_ids())
