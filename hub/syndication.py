"""Syndication: subscribers' copies follow the source's publications, and the per-organisation feed.

A copy is made (or refreshed) when the source publishes a story a subscription asks for, and is
withdrawn when the source retracts it. It is never re-approved: the source's approval is shown.
A subscriber that wants the story on its own channels starts its own story from it
(`syndicated_copy_republish`), which then passes its own sign-off.
"""

import datetime

from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import slugify
from django.utils.translation import gettext as _
from wagtail.models import Page

from hub.models import Organisation, Region, StoryIndexPage, Subscription, SyndicatedCopy

HUB_NS = "https://schemas.hub.gov.vn/syndication/1"
FEED_ITEMS = 50


# --- following the source ------------------------------------------------------------------


def subscription_matches(subscription: Subscription, publication, regions: list[Region]) -> bool:
    """Whether a subscription asks for this publication (kinds, regions and keywords)."""
    if subscription.kinds and publication.kind not in subscription.kinds:
        return False
    wanted = list(subscription.regions.all())
    if wanted and not Region.objects.overlapping(wanted).filter(pk__in=[r.pk for r in regions]).exists():
        return False
    keywords = subscription.keywords
    if keywords:
        text = f"{publication.title} {publication.summary}".casefold()
        if not any(word in text for word in keywords):
            return False
    return True


def _body_html(page) -> str:
    body = getattr(page.specific, "body", None)
    return str(body) if body is not None else ""


def on_publication_created(sender, *, publication, **kwargs) -> None:
    """Copies (or refreshes) the publication for every subscriber that asked for it (never a drill's)."""
    if publication.organisation_id is None or publication.page_id is None or publication.is_exercise:
        return
    subscriptions = Subscription.objects.filter(source_id=publication.organisation_id, active=True)
    subscriptions = list(subscriptions.prefetch_related("regions"))
    if not subscriptions:
        return
    regions = list(publication.regions.all())
    page = publication.page
    approver = publication.approved_by
    fields = {
        "source_organisation_id": publication.organisation_id,
        "publication": publication,
        "kind": publication.kind,
        "title": publication.title,
        "summary": publication.summary,
        "body": _body_html(page),
        "canonical_url": publication.url,
        "approved_by_name": (approver.get_full_name() or approver.get_username()) if approver else "",
        "published_at": publication.published_at,
        "valid_until": publication.valid_until,
        "withdrawn_at": None,
    }
    for subscription in subscriptions:
        if subscription_matches(subscription, publication, regions):
            SyndicatedCopy.objects.update_or_create(
                organisation_id=subscription.subscriber_id, source_page=page, defaults=fields
            )


def on_publication_retracted(sender, *, page, **kwargs) -> None:
    """The source took its story down: every subscriber's copy is withdrawn."""
    SyndicatedCopy.objects.filter(source_page=page, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now()
    )


def connect() -> None:
    from publishing.signals import publication_created, publication_retracted

    publication_created.connect(on_publication_created, dispatch_uid="hub_syndication_created")
    publication_retracted.connect(on_publication_retracted, dispatch_uid="hub_syndication_retracted")


# --- re-publishing on the subscriber's own channels --------------------------------------


def _index_for(copy: SyndicatedCopy, source) -> StoryIndexPage:
    home = copy.organisation.site.root_page if copy.organisation.site_id else None
    if home is None:
        raise ValidationError(_("Your organisation has no portal to put the story on."))
    indexes = StoryIndexPage.objects.child_of(home)
    parent_slug = source.get_parent().slug
    index = indexes.filter(slug=parent_slug).first() or indexes.order_by("path").first()
    if index is None:
        raise ValidationError(_("Your portal has no section to put the story in."))
    return index


def syndicated_copy_republish(*, copy: SyndicatedCopy, user) -> Page:
    """A draft story of the subscriber, started from the source's text, for its own sign-off."""
    if copy.republished_as_id and Page.objects.filter(pk=copy.republished_as_id).exists():
        return copy.republished_as.specific
    if copy.withdrawn_at is not None or copy.source_page is None:
        raise ValidationError(_("The source has withdrawn this story."))
    source = copy.source_page.specific
    index = _index_for(copy, source)
    if not index.permissions_for_user(user).can_add_subpage():
        raise PermissionDenied
    slug = slugify(f"{copy.title}")[:60] or f"tin-{copy.pk}"
    if Page.objects.child_of(index).filter(slug=slug).exists():
        slug = f"{slug[:50]}-{copy.pk}"
    page = source.copy(
        to=index,
        update_attrs={"slug": slug, "owner": user, "live": False, "has_unpublished_changes": True},
        keep_live=False,
        copy_revisions=False,
        reset_translation_key=True,
        user=user,
        log_action="wagtail.copy",
    )
    page.regions.clear()
    page.save_revision(user=user, log_action=True)
    copy.republished_as = page
    copy.save(update_fields=["republished_as"])
    return page


# --- the subscriber's portal ---------------------------------------------------------------


def _organisation(request) -> Organisation:
    from hub.tenancy import organisation_for_request

    organisation = organisation_for_request(request)
    if organisation is None:
        raise Http404
    return organisation


def syndicated_list_view(request):
    organisation = _organisation(request)
    copies = (
        SyndicatedCopy.objects.filter(organisation=organisation, withdrawn_at__isnull=True)
        .select_related("source_organisation")
        .order_by("-published_at", "-pk")[:FEED_ITEMS]
    )
    return render(request, "hub/syndicated_list.html", {"copies": copies, "organisation": organisation})


def syndicated_copy_view(request, pk: int):
    organisation = _organisation(request)
    copy = get_object_or_404(
        SyndicatedCopy.objects.select_related("source_organisation"), pk=pk, organisation=organisation
    )
    status = 410 if copy.withdrawn_at else 200
    return render(request, "hub/syndicated_copy.html", {"copy": copy}, status=status)


# --- the public syndication feed of one organisation -------------------------------------


class ProvenanceAtomFeed(Atom1Feed):
    """Atom with the hub's provenance and expiry elements on every entry."""

    def root_attributes(self):
        attributes = super().root_attributes()
        attributes["xmlns:hub"] = HUB_NS
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("hub:organisation", item["organisation"])
        if item.get("approved_by"):
            handler.addQuickElement("hub:approvedBy", item["approved_by"])
        if item.get("expires"):
            handler.addQuickElement("hub:expires", item["expires"].isoformat())
        if item.get("source_name"):
            handler.startElement("source", {})
            handler.addQuickElement("title", item["source_name"])
            handler.addQuickElement("link", "", {"rel": "alternate", "href": item["source_link"]})
            handler.endElement("source")


class OrganisationAtomFeed(Feed):
    """/feeds/to-chuc/<slug>/atom/: the organisation's live stories and the ones it syndicates."""

    feed_type = ProvenanceAtomFeed

    def get_object(self, request, slug: str):
        return get_object_or_404(Organisation, slug=slug)

    def title(self, organisation):
        return organisation.name

    def subtitle(self, organisation):
        return _("Official information of %(name)s, with its provenance.") % {"name": organisation.name}

    def link(self, organisation):
        return organisation.site.root_url + "/" if organisation.site_id else "/"

    def items(self, organisation):
        from hub.exercise import exercise_page_ids
        from publishing.models import Publication

        now = timezone.now()
        own = (
            Publication.objects.filter(organisation=organisation, retracted_at__isnull=True, page__live=True)
            .filter(Q(valid_until__gt=now - datetime.timedelta(days=365)))
            .exclude(page_id__in=exercise_page_ids())
            .select_related("approved_by", "organisation")
            .order_by("page_id", "-published_at", "-pk")
        )
        latest = {}
        for publication in own[: FEED_ITEMS * 4]:
            latest.setdefault(publication.page_id, publication)
        copies = SyndicatedCopy.objects.filter(
            organisation=organisation, withdrawn_at__isnull=True
        ).select_related("source_organisation")[:FEED_ITEMS]
        entries = list(latest.values()) + list(copies)
        entries.sort(key=lambda entry: entry.published_at, reverse=True)
        return entries[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.canonical_url if isinstance(item, SyndicatedCopy) else item.url

    def item_guid(self, item):
        if isinstance(item, SyndicatedCopy):
            return item.canonical_url
        return f"{item.url}#publication-{item.pk}"

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.updated_at if isinstance(item, SyndicatedCopy) else item.published_at

    def item_extra_kwargs(self, item):
        if isinstance(item, SyndicatedCopy):
            return {
                "organisation": item.source_organisation.name,
                "approved_by": item.approved_by_name,
                "expires": item.valid_until,
                "source_name": item.source_organisation.name,
                "source_link": item.canonical_url,
            }
        approver = item.approved_by
        return {
            "organisation": item.organisation.name,
            "approved_by": (approver.get_full_name() or approver.get_username()) if approver else "",
            "expires": item.valid_until,
        }
