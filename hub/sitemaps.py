"""The sitemap: every live page of the site in every content language (each translation its own entry)."""

from wagtail.contrib.sitemaps import Sitemap


class LocalizedSitemap(Sitemap):
    """Wagtail's sitemap covers the default-language tree only; this one adds each translated tree."""

    def items(self):
        from django.db.models import Q
        from wagtail.models import Page

        root = self.get_wagtail_site().root_page
        roots = Page.objects.filter(translation_key=root.translation_key).only("path")
        condition = Q(pk__in=[])
        for translated_root in roots:
            condition |= Q(path__startswith=translated_root.path)
        return Page.objects.filter(condition).live().public().order_by("path").defer_streamfields().specific()


sitemaps = {"pages": LocalizedSitemap}
