"""The report's files, made from its frozen figures: XLSX (one sheet per table), DOCX, and PDF.

The DOCX follows the layout of a Vietnamese administrative report (Decree 30/2020/ND-CP): the
issuing body and number on the left, the national motto on the right, the place and date line,
the title, numbered sections, signature block. Styles, page size and margins come from a
template .docx that an office may replace (settings.REPORTS_DOCX_TEMPLATE).

PDF: no well-kept pure-Python converter of DOCX exists, so a PDF is made by LibreOffice
(`soffice --headless --convert-to pdf`) when REPORTS_PDF is on and LibreOffice is installed.
"""

import contextlib
import datetime
import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from publishing.reports.present import present

BUNDLED_TEMPLATE = Path(__file__).parent / "templates" / "reports" / "report_template.docx"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV"]
SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
PDF_TIMEOUT_SECONDS = 120


def _period_text(figures: dict) -> dict:
    period = figures["period"]
    first = datetime.date.fromisoformat(period["first_day"])
    last = datetime.date.fromisoformat(period["last_day"])
    return {"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}


def report_title(figures: dict) -> str:
    scope = figures.get("scope", {})
    title = _("Results of information and communication work from %(first)s to %(last)s") % _period_text(
        figures
    )
    if scope.get("region"):
        title += " — " + scope["region"]
    return title


def render_xlsx(report) -> bytes:
    """One sheet per table; a first sheet says whose report it is, for which period."""
    with translation.override(settings.LANGUAGE_CODE):
        figures = report.figures
        workbook = Workbook()
        summary = workbook.active
        summary.title = _sheet_name(_("Summary"), set())
        summary.append([_("REPORT")])
        summary["A1"].font = Font(bold=True, size=14)
        summary.append([report_title(figures)])
        summary.append([_("Organisation"), figures["organisation"]["name"]])
        summary.append([_("From"), _period_text(figures)["first"]])
        summary.append([_("To"), _period_text(figures)["last"]])
        summary.append([])
        used = {summary.title}
        for section in present(figures):
            summary.append([f"{ROMAN[section.number - 1]}. {section.title}"])
            summary.cell(row=summary.max_row, column=1).font = Font(bold=True)
            for note in section.notes:
                summary.append([note])
            for table in section.tables:
                sheet = workbook.create_sheet(_sheet_name(table.title, used))
                used.add(sheet.title)
                sheet.append([table.title])
                sheet["A1"].font = Font(bold=True, size=12)
                sheet.append(table.headers)
                for cell in sheet[2]:
                    cell.font = Font(bold=True)
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
                for row in table.values():
                    sheet.append(row)
                for index, header in enumerate(table.headers, start=1):
                    sheet.column_dimensions[get_column_letter(index)].width = max(
                        12, min(48, len(header) + 4)
                    )
                sheet.freeze_panes = "A3"
        summary.column_dimensions["A"].width = 90
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    base = SHEET_NAME_FORBIDDEN.sub(" ", title)[:28].strip() or "Sheet"
    name, number = base, 2
    while name in used:
        name = f"{base[:25]} ({number})"
        number += 1
    return name


def template_path() -> Path:
    configured = getattr(settings, "REPORTS_DOCX_TEMPLATE", "")
    return Path(configured) if configured else BUNDLED_TEMPLATE


def date_line(place: str, day: datetime.date) -> str:
    """'Điện Biên, ngày 05 tháng 01 năm 2027': days below 10 and months below 3 take a leading zero."""
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": place,
        "day": f"{day.day:02d}",
        "month": f"{day.month:02d}" if day.month < 3 else str(day.month),
        "year": day.year,
    }


def _paragraph(
    container, text="", *, bold=False, italic=False, underline=False, size=None, align=None, space_after=0
):
    paragraph = container.add_paragraph()
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.underline = bold, italic, underline
        if size:
            run.font.size = Pt(size)
    if align is not None:
        paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    return paragraph


def _cell_paragraph(cell, text, **kwargs):
    """Writes into a table cell, reusing its first empty paragraph."""
    first = cell.paragraphs[0]
    if not first.text and len(cell.paragraphs) == 1 and not getattr(cell, "_used", False):
        cell._used = True
        run = first.add_run(text)
        run.bold = kwargs.get("bold", False)
        run.italic = kwargs.get("italic", False)
        run.underline = kwargs.get("underline", False)
        if kwargs.get("size"):
            run.font.size = Pt(kwargs["size"])
        first.alignment = kwargs.get("align", WD_ALIGN_PARAGRAPH.CENTER)
        first.paragraph_format.space_after = Pt(0)
        return first
    return _paragraph(cell, text, align=kwargs.pop("align", WD_ALIGN_PARAGRAPH.CENTER), **kwargs)


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _widths(table, widths) -> None:
    table.autofit = False
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width  # the grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _grid(document, rows: int, cols: int):
    """A bordered table; its text is 11 pt through the table style (one setting, not one per cell)."""
    table = document.add_table(rows=rows, cols=cols)
    with contextlib.suppress(KeyError):
        style = document.styles["Table Grid"]
        style.font.size = Pt(11)
        table.style = style
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    return table


def _clear_body(document) -> None:
    """Drops the empty paragraphs a template may start with; keeps anything the office wrote."""
    body = document.element.body
    for paragraph in list(document.paragraphs):
        if not paragraph.text.strip() and not paragraph._p.xpath(".//w:drawing"):
            body.remove(paragraph._p)


def render_docx(report, *, organisation=None) -> bytes:
    organisation = organisation or report.organisation
    with translation.override(settings.LANGUAGE_CODE):
        figures = report.figures
        document = Document(str(template_path()))
        _clear_body(document)
        built = timezone.localtime(report.built_at or timezone.now()).date()

        header = document.add_table(rows=1, cols=2)
        _no_borders(header)
        left, right = header.rows[0].cells
        _widths(header, (Cm(6.5), Cm(10)))  # the motto fits on one line
        if organisation.parent_id:
            _cell_paragraph(left, organisation.parent.name.upper(), size=12)
        _cell_paragraph(left, organisation.name.upper(), bold=True, size=12)
        _cell_paragraph(left, "———", size=10)
        number = report.number or "      "
        _cell_paragraph(
            left, _("No.: %(number)s/BC-%(code)s") % {"number": number, "code": organisation.slug.upper()}
        )
        _cell_paragraph(right, _("SOCIALIST REPUBLIC OF VIETNAM"), bold=True, size=12)
        _cell_paragraph(right, _("Independence - Freedom - Happiness"), bold=True, underline=True)
        _cell_paragraph(right, "")
        place = settings.REPORTS_PLACE
        _cell_paragraph(right, date_line(place, built), italic=True)

        _paragraph(document, "", space_after=6)
        _paragraph(document, _("REPORT"), bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
        _paragraph(
            document, report_title(figures), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12
        )
        scope = figures.get("scope", {})
        intro = _(
            "%(organisation)s reports the results of information and communication work from %(first)s to %(last)s as follows."
        ) % {"organisation": organisation.name, **_period_text(figures)}
        if scope.get("kind"):
            intro += " " + _("Only stories of one kind are counted: %(kind)s.") % {"kind": scope["kind"]}
        _paragraph(document, intro, space_after=6)

        for section in present(figures):
            heading = _paragraph(
                document, f"{ROMAN[section.number - 1]}. {section.title}", bold=True, space_after=4
            )
            heading.paragraph_format.space_before = Pt(8)
            heading.paragraph_format.keep_with_next = True
            for note in section.notes:
                _paragraph(document, note, space_after=4).paragraph_format.first_line_indent = Cm(1)
            for number, table in enumerate(section.tables, start=1):
                caption = _paragraph(
                    document, f"{section.number}.{number}. {table.title}", italic=True, space_after=2
                )
                caption.paragraph_format.keep_with_next = True
                grid = _grid(document, rows=1 + max(1, len(table.rows)), cols=len(table.headers))
                grid_rows = [
                    row.cells for row in grid.rows
                ]  # each .cells walks the whole table: once per row
                for index, header_text in enumerate(table.headers):
                    grid_rows[0][index].paragraphs[0].add_run(header_text).bold = True
                if not table.rows:
                    empty = grid_rows[1][0].merge(grid_rows[1][-1])
                    empty.text = _("No data in this period.")
                for row_index, row in enumerate(table.rows, start=1):
                    for index, value in enumerate(row):
                        paragraph = grid_rows[row_index][index].paragraphs[0]
                        paragraph.add_run(value)
                        if table.numeric[index]:
                            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                _paragraph(document, "", space_after=4)
            for chart in section.charts:
                picture = document.add_paragraph()
                picture.alignment = WD_ALIGN_PARAGRAPH.CENTER
                picture.add_run().add_picture(io.BytesIO(chart.png()), width=Cm(16))
                _paragraph(
                    document,
                    chart.title,
                    italic=True,
                    size=11,
                    align=WD_ALIGN_PARAGRAPH.CENTER,
                    space_after=6,
                )

        _paragraph(document, "", space_after=6)
        signature = document.add_table(rows=1, cols=2)
        _no_borders(signature)
        _widths(signature, (Cm(7.5), Cm(9)))
        to, signer = signature.rows[0].cells
        _cell_paragraph(to, _("Recipients:"), bold=True, italic=True, size=12, align=WD_ALIGN_PARAGRAPH.LEFT)
        for line in (
            _("- As above;"),
            _("- Provincial People's Committee (to report);"),
            _("- Archived: Office."),
        ):
            _cell_paragraph(to, line, size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
        _cell_paragraph(signer, _("HEAD OF THE AGENCY"), bold=True)
        _cell_paragraph(signer, _("(Signature, full name and seal)"), italic=True)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    """Converts with LibreOffice in a private profile; raises RuntimeError when it cannot."""
    program = soffice()
    if program is None:
        raise RuntimeError("LibreOffice (soffice) is not installed.")
    with tempfile.TemporaryDirectory(prefix="hub-report-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        profile = Path(folder) / "profile"
        result = subprocess.run(
            [
                program,
                f"-env:UserInstallation={profile.as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                "pdf",
                "--outdir",
                folder,
                str(source),
            ],
            capture_output=True,
            timeout=PDF_TIMEOUT_SECONDS,
            check=False,
        )
        target = Path(folder) / "report.pdf"
        if result.returncode != 0 or not target.exists():
            raise RuntimeError(
                f"LibreOffice could not convert the report: {result.stderr.decode(errors='replace')[:500]}"
            )
        return target.read_bytes()


def build_template(path: Path) -> None:
    """Writes the bundled template: A4, the decree's margins, Times New Roman 13 pt."""
    document = Document()
    for section in document.sections:
        section.page_height, section.page_width = Cm(29.7), Cm(21)
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(13)
    normal.element.rPr.rFonts.set(qn("w:eastAsia"), "Times New Roman")
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.alignment = None
    document.core_properties.title = "Báo cáo"
    path.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(path))
