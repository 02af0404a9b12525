"""What the sitemap index knows of its children, so that building it never counts the archive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SitemapChild(models.Model):
    """One child sitemap of a portal's language tree: how many pages it lists, and the newest.

    A tree's live public pages go to child n by id (ids (n-1)·size+1 … n·size), so a change to a
    page touches one child only. The row numbered 0 marks the tree: counted once its
    `counted_version` has reached its `version`. Every committed change to a page raises `version`
    on its child in the tree the page is in; the index recounts a child whose `version` is ahead of
    `counted_version`, at most `size` pages (hub/sitemaps.py).

    A tree is a portal's home page in one language: its site, and so its organisation, owns it.
    """

    root = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("language home page"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    number = models.PositiveIntegerField(_("number"))
    size = models.PositiveIntegerField(_("addresses per child"))
    pages = models.PositiveIntegerField(_("pages"), default=0)
    lastmod = models.DateTimeField(_("newest publication"), null=True, blank=True)
    version = models.PositiveBigIntegerField(default=1)
    counted_version = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("child sitemap")
        verbose_name_plural = _("child sitemaps")
        constraints = [
            models.UniqueConstraint(fields=["root", "number"], name="sitemap_child_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.root_id}/{self.number}"
