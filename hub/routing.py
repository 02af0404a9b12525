"""Page routing in one query: the portal's hot path on a cache miss.

Wagtail's default walks the URL one level at a time, loading every page on the way and its
specific type (two queries a level). Here every level is found at once by slug and depth, and
only the final page's specific type is loaded; a page with routing of its own still routes.
"""

from django.db.models import Q
from django.http import Http404
from wagtail.models import Page


def route(root: Page, request, path_components: list[str]):
    """The same result as `Page.route`, in two queries whatever the depth."""
    conditions = Q()
    for offset, slug in enumerate(path_components, start=1):
        conditions |= Q(depth=root.depth + offset, slug=slug)
    candidates = {
        (page.depth, page.path[: -Page.steplen], page.slug): page
        for page in Page.objects.filter(conditions, path__startswith=root.path)
    }
    parent = root
    for offset, slug in enumerate(path_components, start=1):
        page = candidates.get((root.depth + offset, parent.path, slug))
        if page is None:
            raise Http404
        page._cached_parent_obj = parent
        if page.specific_class is not None and page.specific_class.route is not Page.route:
            return page.specific.route(request, path_components[offset:])
        parent = page
    return parent.specific.route(request, [])


def source_home(home: Page) -> Page | None:
    """The default-language version of a translated home page (None for the default one)."""
    from hub.languages import DEFAULT_LANGUAGE

    if home.locale.language_code == DEFAULT_LANGUAGE:
        return None
    source = home.get_translations().filter(locale__language_code=DEFAULT_LANGUAGE).first()
    return source.specific if source else None
