"""Which organisation a publication belongs to, for channels whose accounts and lists are per organisation."""

from django.db.models import QuerySet

from hub.models.organisations import Organisation


def publication_organisation(publication) -> Organisation | None:
    """The organisation whose portal carries the story (its page's site), or None when unknown."""
    page_id = getattr(publication, "page_id", None)
    if page_id is None:
        return None
    from wagtail.models import Page

    page = Page.objects.filter(pk=page_id).first()
    site = page.get_site() if page is not None else None
    return Organisation.objects.filter(site=site).first() if site is not None else None


def for_publication(queryset: QuerySet, publication) -> QuerySet:
    """Rows of the publication's organisation; all rows when the story's organisation is unknown
    (an installation with a single office, or a publication made without a page)."""
    organisation = publication_organisation(publication)
    return queryset.filter(organisation=organisation) if organisation is not None else queryset
