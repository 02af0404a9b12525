"""Building, storing, exporting and sending reports; the schedule; the command; idempotence."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from docx import Document
from openpyxl import load_workbook

from hub.tenancy import organisation_for_site
from publishing.models import Delivery
from publishing.reports import exports
from publishing.reports.models import Report, ReportStatus
from publishing.reports.periods import Period, due_period, monthly_period
from publishing.reports.services import report_build, report_notify, reports_build_due
from publishing.reports.tasks import reports_monthly_task
from tests.factories.reports import ReportRecipientFactory
from tests.factories.sms import PublicationFactory
from tests.reports.conftest import PERIOD, at


def published(page, when, **kwargs):
    kwargs.setdefault("organisation", organisation_for_site(page.get_site()))
    return PublicationFactory(page=page, published_at=when, valid_from=when, valid_until=when, **kwargs)


@pytest.mark.parametrize(
    ("today", "first", "last"),
    [
        (datetime.date(2026, 11, 23), datetime.date(2026, 10, 23), datetime.date(2026, 11, 22)),
        (datetime.date(2026, 11, 30), datetime.date(2026, 10, 23), datetime.date(2026, 11, 22)),
        (datetime.date(2026, 11, 22), datetime.date(2026, 9, 23), datetime.date(2026, 10, 22)),
        (datetime.date(2027, 1, 23), datetime.date(2026, 12, 23), datetime.date(2027, 1, 22)),
    ],
)
def test_monthly_period_runs_from_the_23rd_to_the_22nd(today, first, last):
    period = monthly_period(today=today)
    assert (period.first_day, period.last_day) == (first, last)


def test_due_period_turns_on_the_23rd_at_seven_local_time():
    assert due_period(now=at(2026, 11, 23, 6, 59)).last_day == datetime.date(2026, 10, 22)
    assert due_period(now=at(2026, 11, 23, 7, 0)).last_day == datetime.date(2026, 11, 22)
    with override_settings(REPORTS_HOUR=9):
        assert due_period(now=at(2026, 11, 23, 8, 0)).last_day == datetime.date(2026, 10, 22)


def test_periodic_task_runs_hourly_at_the_configured_minute():
    assert reports_monthly_task.task_class().validate_datetime(datetime.datetime(2026, 11, 23, 0, 0))
    assert not reports_monthly_task.task_class().validate_datetime(datetime.datetime(2026, 11, 23, 0, 30))


def test_schedule_builds_each_organisation_once_and_mails_the_link_once(organisation, story_page, other_page):
    ReportRecipientFactory(organisation=organisation, email="vanphong@dienbien.example")
    ReportRecipientFactory(organisation=organisation, email="cu@dienbien.example", active=False)
    published(story_page, at(2026, 11, 1))

    reports_build_due(now=at(2026, 11, 23, 7, 0))
    reports_build_due(now=at(2026, 11, 23, 8, 0))  # the next hourly run: nothing new

    assert Report.objects.count() == 2  # both organisations, once each
    report = Report.objects.get(organisation=organisation)
    assert report.status == ReportStatus.READY
    assert (report.period_start, report.period_end) == (PERIOD.start, PERIOD.end)
    assert report.docx and report.xlsx and report.notified_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["vanphong@dienbien.example"]
    assert f"/admin/reports/monthly/{report.pk}/" in mail.outbox[0].body
    assert "Sở Thông tin và Truyền thông" in mail.outbox[0].subject


def test_a_built_report_keeps_its_figures_when_data_changes(organisation, story_page):
    story = published(story_page, at(2026, 11, 1), kind="vaccination")
    report = report_build(organisation=organisation, period=PERIOD)
    published(story_page, at(2026, 11, 2), kind="vaccination")
    Delivery.objects.create(publication=story, channel="x", target="a", status="failed")

    again = report_build(organisation=organisation, period=PERIOD)

    assert again.pk == report.pk and Report.objects.count() == 1
    assert again.figures == report.figures
    stories = again.figures["sections"][0]
    assert stories["notes"][0][1]["first"] == 1

    recounted = report_build(organisation=organisation, period=PERIOD, force=True)
    assert recounted.pk == report.pk and Report.objects.count() == 1
    assert recounted.figures["sections"][0]["notes"][0][1]["first"] == 2


def test_docx_opens_with_python_docx_in_the_administrative_layout(organisation, story_page):
    published(story_page, at(2026, 11, 1), kind="vaccination")
    report = report_build(organisation=organisation, period=PERIOD, number="15")

    document = Document(io.BytesIO(report.docx.open("rb").read()))

    header = [p.text for cell in document.tables[0].rows[0].cells for p in cell.paragraphs]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header
    assert "Độc lập - Tự do - Hạnh phúc" in header
    assert "SỞ THÔNG TIN VÀ TRUYỀN THÔNG" in header
    assert "Số: 15/BC-STTTT" in header
    built = report.built_at.astimezone(datetime.UTC).astimezone(
        datetime.timezone(datetime.timedelta(hours=7))
    )
    assert any(line.startswith(f"Điện Biên, ngày {built.day:02d} tháng ") for line in header)
    body = [p.text for p in document.paragraphs]
    assert "BÁO CÁO" in body
    assert any(text.startswith("Kết quả") and "23/10/2026" in text and "22/11/2026" in text for text in body)
    assert any(text.startswith("I. ") for text in body) and any(text.startswith("II. ") for text in body)
    signature = [p.text for cell in document.tables[-1].rows[0].cells for p in cell.paragraphs]
    assert "Nơi nhận:" in signature
    assert len(document.inline_shapes) >= 1  # the charts, as pictures


def test_xlsx_opens_with_openpyxl_one_sheet_per_table(organisation, story_page):
    published(story_page, at(2026, 11, 1), kind="vaccination")
    report = report_build(organisation=organisation, period=PERIOD)

    workbook = load_workbook(io.BytesIO(report.xlsx.open("rb").read()))

    tables = [t for s in report.figures["sections"] for t in s["tables"]]
    assert len(workbook.sheetnames) == 1 + len(tables)
    assert workbook.sheetnames[0] == "Tóm tắt"
    sheet = (
        workbook["Truyện theo loại"] if "Truyện theo loại" in workbook.sheetnames else workbook.worksheets[1]
    )
    assert sheet["A2"].value == "Loại tin"
    assert sheet["B3"].value == 1  # numbers stay numbers


def test_date_line_pads_days_and_early_months():
    from django.utils import translation

    with translation.override("vi"):
        assert (
            exports.date_line("Điện Biên", datetime.date(2027, 1, 5))
            == "Điện Biên, ngày 05 tháng 01 năm 2027"
        )
        assert (
            exports.date_line("Điện Biên", datetime.date(2026, 11, 23))
            == "Điện Biên, ngày 23 tháng 11 năm 2026"
        )


def test_notify_sends_nothing_twice(organisation):
    ReportRecipientFactory(organisation=organisation)
    report = report_build(organisation=organisation, period=PERIOD)
    assert report_notify(report=report) == 1
    assert report_notify(report=report) == 0
    assert len(mail.outbox) == 1


def test_build_report_command_shows_progress(organisation, story_page):
    published(story_page, at(2026, 11, 1))
    out = io.StringIO()

    call_command(
        "build_report", "--organisation", "stttt", "--from", "2026-10-23", "--to", "2026-11-22", stdout=out
    )

    lines = out.getvalue().splitlines()
    assert "23/10/2026 – 22/11/2026 (31 days)" in lines[0]
    assert any(line.strip().startswith("[1/10] stories") for line in lines)
    assert any(line.strip().startswith("[9/10] phases") for line in lines)
    assert any(line.strip().startswith("[10/10] exercises") for line in lines)
    assert (
        Report.objects.get().period_start
        == Period.from_dates(datetime.date(2026, 10, 23), datetime.date(2026, 11, 22)).start
    )
