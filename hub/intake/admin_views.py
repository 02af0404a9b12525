"""Admin views of the intake: a claim's triage page (reports, merge, split, answer, erase) and the
officials' report form. Every view is scoped by organisation through hub.tenancy."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin import messages

from hub.intake.answers import (
    AnswerError,
    claim_rebuttal_create,
    question_answer_publish,
    rebuttal_parent_for,
)
from hub.intake.forms import StaffReportForm
from hub.intake.models import Claim, Contact, Tip, TipKind, TipSource
from hub.intake.services import (
    IncomingReport,
    claim_split,
    claims_merge,
    contact_erase_by_value,
    contacts_erase,
    tip_intake,
)
from hub.tenancy import organisations_for, scope

VIEW = "intake.view_claim"
CHANGE = "intake.change_claim"
ADD_TIP = "intake.add_tip"
MERGE_CANDIDATES = 30


def may_see_contacts(user, claim: Claim) -> bool:
    """Reporters' contacts: the claim's assigned group only (and site administrators)."""
    if user.is_superuser:
        return True
    return claim.assigned_group_id is not None and user.groups.filter(pk=claim.assigned_group_id).exists()


def _claim_for(request, pk: int, permission: str) -> Claim:
    if not request.user.has_perm(permission):
        raise PermissionDenied
    return get_object_or_404(scope(Claim.objects.all(), request.user).select_related("organisation"), pk=pk)


def triage_url(claim: Claim) -> str:
    return reverse("intake_claim_triage", args=[claim.pk])


def claim_triage(request, pk: int):
    """Everything about one claim: its reports (contacts only for the assigned group) and actions."""
    claim = _claim_for(request, pk, VIEW)
    tips = list(claim.tips.select_related("region", "partner").order_by("received_at"))
    show_contacts = may_see_contacts(request.user, claim)
    contacts = (
        {contact.tip_id: contact for contact in Contact.objects.filter(tip__claim=claim)}
        if show_contacts
        else {}
    )
    candidates = (
        scope(Claim.objects.all(), request.user)
        .filter(organisation=claim.organisation, kind=claim.kind)
        .exclude(pk=claim.pk)
        .order_by("-last_reported_at")[:MERGE_CANDIDATES]
    )
    response = TemplateResponse(
        request,
        "intake/admin/claim_triage.html",
        {
            "claim": claim,
            "rows": [(tip, contacts.get(tip.pk)) for tip in tips],
            "show_contacts": show_contacts,
            "may_change": request.user.has_perm(CHANGE),
            "candidates": candidates,
            "edit_url": reverse(
                "intake_questions_admin:edit" if claim.kind == TipKind.QUESTION else "intake_claims:edit",
                args=[claim.pk],
            ),
            "history_url": reverse("intake_claims:history", args=[claim.pk]),
            "is_question": claim.kind == TipKind.QUESTION,
            "header_title": claim.title,
            "page_title": claim.title,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


@require_POST
def claim_merge(request, pk: int):
    claim = _claim_for(request, pk, CHANGE)
    ids = [int(value) for value in request.POST.getlist("merge") if value.isdigit()]
    others = list(
        scope(Claim.objects.all(), request.user).filter(pk__in=ids, organisation=claim.organisation)
    )
    if not others:
        messages.error(request, _("Choose the claims to merge into this one."))
    else:
        claims_merge(target=claim, others=others, user=request.user)
        messages.success(request, _("%(count)d claims merged into this one.") % {"count": len(others)})
    return redirect(triage_url(claim))


@require_POST
def claim_split_view(request, pk: int):
    claim = _claim_for(request, pk, CHANGE)
    ids = [int(value) for value in request.POST.getlist("tips") if value.isdigit()]
    tips = list(claim.tips.filter(pk__in=ids))
    try:
        new = claim_split(claim=claim, tips=tips, user=request.user)
    except ValueError:
        messages.error(request, _("Choose some, but not all, of the reports to split off."))
        return redirect(triage_url(claim))
    messages.success(request, _("The chosen reports are now a claim of their own."))
    return redirect(triage_url(new))


@require_POST
def claim_rebuttal(request, pk: int):
    claim = _claim_for(request, pk, CHANGE)
    parent = rebuttal_parent_for(claim)
    if parent is not None and not parent.permissions_for_user(request.user).can_add_subpage():
        raise PermissionDenied
    try:
        page = claim_rebuttal_create(claim=claim, user=request.user)
    except AnswerError as error:
        messages.error(request, str(error))
        return redirect(triage_url(claim))
    messages.success(request, _("Rebuttal draft created; complete it and submit it for review."))
    return redirect("wagtailadmin_pages:edit", page.pk)


@require_POST
def question_answer(request, pk: int):
    claim = _claim_for(request, pk, CHANGE)
    try:
        question_answer_publish(claim=claim, answer=request.POST.get("answer", ""), user=request.user)
    except AnswerError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("The answer is on the portal's Q&A page."))
    return redirect(triage_url(claim))


@require_POST
def contact_erase(request, pk: int, tip_id: int):
    """Erases one reporter's contact (and every other contact of theirs at this organisation)."""
    claim = _claim_for(request, pk, CHANGE)
    if not may_see_contacts(request.user, claim):
        raise PermissionDenied
    contact = get_object_or_404(Contact, tip_id=tip_id, tip__claim=claim)
    erased = contact_erase_by_value(organisation=claim.organisation, value=contact.value, user=request.user)
    erased += contacts_erase(contacts=Contact.objects.filter(pk=contact.pk), user=request.user)
    messages.success(request, _("Contact erased (%(count)d records).") % {"count": erased})
    return redirect(triage_url(claim))


def staff_report(request):
    """An official files a report; it is grouped like every other report."""
    if not request.user.has_perm(ADD_TIP):
        raise PermissionDenied
    organisations = organisations_for(request.user)
    form = StaffReportForm(
        request.POST or None,
        request.FILES or None,
        organisations=organisations,
        retention_days=settings.INTAKE_CONTACT_RETENTION_DAYS,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        tip = tip_intake(
            organisation=data["organisation"],
            report=IncomingReport(
                kind=data["kind"],
                source=TipSource.STAFF,
                text=data["text"],
                link=data["link"],
                screenshot=data["screenshot"],
                seen_where=data["seen_where"],
                seen_on=data["seen_on"],
                region_id=data["region"].pk if data["region"] else None,
                contact=data["contact"],
                reported_by=request.user,
            ),
        )
        messages.success(request, _("Report filed under “%(claim)s”.") % {"claim": tip.claim.title})
        return redirect(triage_url(tip.claim))
    return TemplateResponse(
        request,
        "intake/admin/staff_report.html",
        {"form": form, "header_title": _("File a report"), "page_title": _("File a report")},
    )


def tip_screenshot(request, tip_id: int):
    """A report's screenshot, for staff of its organisation only (never a public URL)."""
    from django.http import FileResponse, Http404

    if not request.user.has_perm(VIEW):
        raise PermissionDenied
    tip = get_object_or_404(scope(Tip.objects.all(), request.user), pk=tip_id)
    if not tip.screenshot:
        raise Http404
    response = FileResponse(tip.screenshot.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
