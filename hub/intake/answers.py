"""Answering a claim: a rebuttal draft made from it, or a question's answer put on the portal."""

import datetime

from anyascii import anyascii
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape, format_html_join
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.log_actions import log

from hub.intake.models import Claim, ClaimTopic, TipKind
from hub.intake.notifications import claim_mark_answered
from hub.intake.services import ACTION_REBUTTAL
from hub.models import RebuttalPage, StoryIndexPage

SUMMARY_LENGTH = 500


class AnswerError(Exception):
    pass


def rebuttal_parent_for(claim: Claim) -> StoryIndexPage | None:
    """The story index under the organisation's portal where rebuttals go (the first one)."""
    indexes = StoryIndexPage.objects.all()
    site = claim.organisation.site
    if site is not None:
        indexes = indexes.descendant_of(site.root_page)
    return indexes.order_by("path").first()


def _appearance(claim: Claim) -> str:
    """Where reporters saw it, in order of first mention; the doors it came through if nobody said."""
    tips = list(claim.tips.order_by("received_at"))
    places = list(dict.fromkeys(tip.seen_where.strip() for tip in tips if tip.seen_where.strip()))
    if not places:
        with override("vi"):
            places = list(dict.fromkeys(str(tip.get_source_display()) for tip in tips))
    return ", ".join(places)[:255]


def _first_seen(claim: Claim) -> datetime.date | None:
    seen = [tip.seen_on for tip in claim.tips.all() if tip.seen_on]
    if seen:
        return min(seen)
    return timezone.localdate(claim.first_reported_at) if claim.first_reported_at else None


def _evidence(claim: Claim) -> str:
    """What the office has so far: the verification notes and the links reported (never who reported)."""
    with override("vi"):
        parts = [f"<p>{escape(line)}</p>" for line in claim.notes.splitlines() if line.strip()]
        links = sorted({tip.link for tip in claim.tips.all() if tip.link})
        if links:
            parts.append(f"<p>{escape(_('Where it circulated:'))}</p>")
            parts.append("<ul>" + format_html_join("", "<li>{}</li>", ((link,) for link in links)) + "</ul>")
        parts.append(
            "<p>"
            + escape(
                _("Reported %(count)d times in %(regions)d regions, first on %(date)s.")
                % {
                    "count": claim.tip_count,
                    "regions": claim.region_count,
                    "date": timezone.localtime(claim.first_reported_at).strftime("%d/%m/%Y")
                    if claim.first_reported_at
                    else "—",
                }
            )
            + "</p>"
        )
    return "".join(parts)


@transaction.atomic
def claim_rebuttal_create(*, claim: Claim, user=None, parent: StoryIndexPage | None = None) -> RebuttalPage:
    """A RebuttalPage draft with the claim, where and when it circulated and the evidence so far.

    It then follows the rebuttal workflow; publishing it answers the claim and its reporters.
    """
    if claim.kind != TipKind.RUMOUR:
        raise AnswerError(_("Questions are answered on the Q&A page, not with a rebuttal."))
    if claim.rebuttal_id:
        raise AnswerError(_("This claim already has a rebuttal."))
    parent = parent or rebuttal_parent_for(claim)
    if parent is None:
        raise AnswerError(
            _("There is no story section on this organisation's portal to put the rebuttal in.")
        )
    with override("vi"):
        title = _("Rebuttal: %(claim)s") % {"claim": claim.title}
    page = RebuttalPage(
        title=title[:255],
        slug=f"{slugify(anyascii(claim.title))[:60].strip('-') or 'cai-chinh'}-{claim.pk}",
        summary=claim.text[:SUMMARY_LENGTH],
        claim=claim.text,
        claim_appeared_in=_appearance(claim),
        claim_appeared_on=_first_seen(claim),
        evidence=_evidence(claim),
        route_to_police=claim.topic == ClaimTopic.FAKE_NEWS,
        live=False,
        owner=user,
    )
    parent.add_child(instance=page)
    regions = {tip.region_id for tip in claim.tips.all() if tip.region_id}
    if regions:
        page.regions.set(regions)
    page.save_revision(user=user, log_action=True)
    claim.rebuttal = page
    claim.save(update_fields=["rebuttal"])
    log(claim, ACTION_REBUTTAL, user=user, data={"page": page.pk, "title": page.title})
    return page


@transaction.atomic
def question_answer_publish(*, claim: Claim, answer: str, user=None) -> Claim:
    """Puts a question's answer on the portal's Q&A page and tells the people who asked."""
    if claim.kind != TipKind.QUESTION:
        raise AnswerError(_("Only questions are answered on the Q&A page."))
    answer = answer.strip()
    if not answer:
        raise AnswerError(_("Write the answer first."))
    claim.answer = answer
    claim.save(update_fields=["answer"])
    return claim_mark_answered(claim=claim, user=user)
