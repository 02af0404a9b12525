"""The sitemap: every live page of the site in every content language (each translation its own entry),
without the stories of a drill (docs/exercise.md)."""

from wagtail.contrib.sitemaps import Sitemap


class LocalizedSitemap(Sitemap):
    """Wagtail's sitemap covers the default-language tree only; this one adds each translated tree."""

    def items(self):
        from django.db.models import Q
        from wagtail.models import Page

        from hub.exercise import exercise_page_ids

        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).only("path")
        condition = Q(pk__in=[])
        for translated_root in roots:
            condition |= Q(path__startswith=translated_root.path)
        return (
            Page.objects.filter(condition)
            .live()
            .public()
            .exclude(pk__in=exercise_page_ids())
            .order_by("path")
            .defer_streamfields()
            .specific()
        )


sitemaps = {"pages": LocalizedSitemap}
