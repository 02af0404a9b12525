"""The DOCX renders: LibreOffice converts it to a PDF (`./run test` installs LibreOffice)."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from publishing.reports import exports
from publishing.reports.services import report_build
from tests.factories.sms import PublicationFactory
from tests.reports.conftest import PERIOD, at

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "reports"
pytestmark = pytest.mark.skipif(exports.soffice() is None, reason="LibreOffice (soffice) is not installed")


def test_docx_converts_to_pdf_with_libreoffice(organisation, story_page):
    when = at(2026, 11, 1)
    PublicationFactory(
        page=story_page, published_at=when, valid_from=when, valid_until=when, kind="vaccination"
    )

    with override_settings(REPORTS_PDF=True):
        report = report_build(organisation=organisation, period=PERIOD)

    pdf = report.pdf.open("rb").read()
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 10_000  # text, tables and chart pictures, not an empty page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "report.pdf").write_bytes(pdf)  # to look at: pdftoppm -png report.pdf page
    assert b"/Type /Page" in pdf or b"/Type/Page" in pdf
    assert io.BytesIO(report.docx.open("rb").read()).getbuffer().nbytes > 0
