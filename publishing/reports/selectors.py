"""What a report counts: the one place that decides which rows belong to an organisation's report."""

from django.db.models import QuerySet
from wagtail.models import Page

from publishing.models import Publication


def organisation_pages(organisation) -> QuerySet:
    """The pages of the organisation's portal (its Site's tree); none without a portal."""
    site = organisation.site
    if site is None:
        return Page.objects.none()
    return Page.objects.filter(path__startswith=site.root_page.path)


def publications_for(organisation, *, region=None, kind: str = "", exercise: bool = False) -> QuerySet:
    """The organisation's publications within the scope: the single selector every figure starts from.

    Drills never count in the figures (`exercise=False`); the exercises section asks for them alone.
    """
    publications = Publication.objects.filter(organisation=organisation, is_exercise=exercise)
    if region is not None:
        targeted = Publication.regions.through.objects.filter(region__path__startswith=region.path)
        publications = publications.filter(pk__in=targeted.values("publication_id"))
    if kind:
        publications = publications.filter(kind=kind)
    return publications
