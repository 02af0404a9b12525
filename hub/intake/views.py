"""Portal views of the intake: the report form (works without JavaScript) and the Q&A page."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hub.intake import limits
from hub.intake.forms import PublicReportForm
from hub.intake.models import Claim, TipKind, TipSource
from hub.intake.services import IncomingReport, tip_intake
from hub.tenancy import organisation_for_request


def _organisation_or_404(request):
    organisation = organisation_for_request(request)
    if organisation is None:
        raise Http404
    return organisation


@never_cache
def report(request):
    """GET shows the form; POST files the report (after the honeypot and the flood limits)."""
    organisation = _organisation_or_404(request)
    form_kwargs = {"organisation": organisation, "retention_days": settings.INTAKE_CONTACT_RETENTION_DAYS}
    if request.method != "POST":
        return render(request, "intake/report_form.html", {"form": PublicReportForm(**form_kwargs)})
    form = PublicReportForm(request.POST, request.FILES, **form_kwargs)
    if form.is_robot():
        return redirect("intake_report_thanks")  # look successful, store nothing
    if not limits.address_allowed(request.META.get("REMOTE_ADDR", "")):
        return _too_many(request, form)
    if not form.is_valid():
        return render(request, "intake/report_form.html", {"form": form}, status=400)
    data = form.cleaned_data
    if not limits.contact_allowed(data["contact"]):
        return _too_many(request, form)
    tip_intake(
        organisation=organisation,
        report=IncomingReport(
            kind=data["kind"],
            source=TipSource.PORTAL,
            text=data["text"],
            link=data["link"],
            screenshot=data["screenshot"],
            seen_where=data["seen_where"],
            seen_on=data["seen_on"],
            region_id=data["region"].pk if data["region"] else None,
            contact=data["contact"],
        ),
    )
    return redirect("intake_report_thanks")


def _too_many(request, form):
    form.add_error(None, _("Too many reports from here for now. Please try again later."))
    return render(request, "intake/report_form.html", {"form": form}, status=429)


@never_cache
def report_thanks(request):
    _organisation_or_404(request)
    return render(request, "intake/report_thanks.html")


def questions(request):
    """The office's answers to citizens' questions, newest first (never who asked)."""
    organisation = _organisation_or_404(request)
    answered = (
        Claim.objects.filter(organisation=organisation, kind=TipKind.QUESTION, answered_at__isnull=False)
        .exclude(answer="")
        .order_by("-answered_at")
        .only("pk", "title", "text", "answer", "answered_at")[:100]
    )
    return render(request, "intake/questions.html", {"questions": answered})


def qa_url(claim: Claim) -> str:
    """The absolute address of a question's answer on its organisation's portal."""
    path = reverse("intake_questions") + f"#q{claim.pk}"
    site = claim.organisation.site
    if site is not None:
        return site.root_url.rstrip("/") + path
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path
