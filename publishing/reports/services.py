"""Building, storing and sending reports. Building is idempotent: one row per period and scope."""

import logging
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from publishing.reports import exports
from publishing.reports.figures import ReportContext, collect
from publishing.reports.models import Report, ReportStatus
from publishing.reports.periods import Period, due_period

logger = logging.getLogger(__name__)


def report_build(
    *,
    organisation,
    period: Period,
    region=None,
    kind: str = "",
    number: str = "",
    force: bool = False,
    requested_by=None,
    progress=None,
) -> Report:
    """The report of `organisation` for `period` and scope, built once.

    A ready report is returned as it is, with the figures it was built from, however the data
    changed since; `force` counts again and replaces its figures and files (same row).
    """
    with transaction.atomic():
        report, _created = Report.objects.select_for_update().get_or_create(
            organisation=organisation,
            period_start=period.start,
            period_end=period.end,
            scope_key=Report.make_scope_key(region=region, kind=kind),
            defaults={"region": region, "kind": kind, "number": number, "requested_by": requested_by},
        )
        if report.status == ReportStatus.READY and not force:
            return report
        report.status = ReportStatus.BUILDING
        report.error = ""
        if number:
            report.number = number
        report.save(update_fields=["status", "error", "number"])

    began = time.monotonic()
    try:
        context = ReportContext(
            organisation=organisation, period=period, region=region, kind=kind, now=timezone.now()
        )
        report.figures = collect(context, progress=progress)
        report.built_at = context.now
        _store_files(report)
    except Exception as error:
        logger.exception("Report %s could not be built", report.pk)
        Report.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED, error=str(error)[:2000])
        raise
    report.status = ReportStatus.READY
    report.build_seconds = round(time.monotonic() - began, 3)
    report.save()
    return report


def report_render_files(*, report: Report) -> None:
    """Makes the files again from the frozen figures (e.g. after the office replaced its template)."""
    _store_files(report)
    report.save(update_fields=["docx", "xlsx", "pdf"])


def _store_files(report: Report) -> None:
    slug = report.organisation.slug
    docx = exports.render_docx(report)
    files = {"docx": docx, "xlsx": exports.render_xlsx(report)}
    if settings.REPORTS_PDF and exports.soffice():
        files["pdf"] = exports.docx_to_pdf(docx)
    for name in ("docx", "xlsx", "pdf"):
        field = getattr(report, name)
        if field:
            field.delete(save=False)
        if name in files:
            field.save(f"bao-cao-{slug}.{name}", ContentFile(files[name]), save=False)


def report_admin_url(report: Report) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + reverse("reports_report", args=[report.pk])


def report_notify(*, report: Report) -> int:
    """E-mails the link to the organisation's active recipients, once per report; returns how many."""
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if report.notified_at is not None or report.status != ReportStatus.READY:
            return 0
        recipients = list(
            report.organisation.report_recipients.filter(active=True).values_list("email", flat=True)
        )
        if recipients:
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "report": report,
                    "url": report_admin_url(report),
                    **exports._period_text(report.figures),
                }
                subject = render_to_string("reports/email/report_subject.txt", context).strip()
                body = render_to_string("reports/email/report.txt", context)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
        report.notified_at = timezone.now()
        report.save(update_fields=["notified_at"])
    return len(recipients)


def reports_build_due(*, now=None) -> list[Report]:
    """The latest due monthly report of every organisation, built if missing, its recipients told."""
    from hub.models import Organisation

    period = due_period(now=now)
    built = []
    for organisation in Organisation.objects.select_related("site__root_page", "region", "parent"):
        try:
            report = report_build(organisation=organisation, period=period)
        except Exception:
            logger.exception("Monthly report of %s failed", organisation)
            continue
        report_notify(report=report)
        built.append(report)
    return built
