"""Readers on files the tests write: PDF (tables over pages, signature columns, running lines, scans),
DOCX (Word numbering, tables), Markdown, text encodings and hyphenation, odd and broken files."""

from __future__ import annotations

import os
import re
import threading
from pathlib import Path

import pytest

from bench import fictional as factory
from ingest.readers import IngestError, read_document

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
RUNNING_HEADER = "Zielvereinbarung 2025 · Landkreis Musterstadt · Anlage"


def _pdf(header: str | None = None, footer: bool = False):
    """An FPDF with a Unicode font and, if asked, a running header and a 'Seite n von m' footer."""
    from fpdf import FPDF

    class Document(FPDF):
        def header(self):
            if header:
                self.set_font("DejaVu", size=8)
                self.cell(0, 6, header, align="C")
                self.ln(10)

        def footer(self):
            if footer:
                self.set_y(-15)
                self.set_font("DejaVu", size=8)
                self.cell(0, 8, f"Seite {self.page_no()} von {{nb}}", align="C")

    pdf = Document(format="A4")
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=BOLD)
    pdf.set_font("DejaVu", size=11)
    return pdf


def _paragraphs(pdf, text: str) -> None:
    for paragraph in text.strip().split("\n\n"):
        pdf.multi_cell(0, 6, paragraph)
        pdf.ln(4)


# --- PDF -------------------------------------------------------------------------------------------

PROJECTS = [(f"{n:02d}", f"Projekt {name}", "Ausbildungsvorbereitung" if n % 2 else "", f"{n * 1_000 + 500:,} €".replace(",", "."))
            for n, name in enumerate(["Jobbrücke", "Startklar", "Kompass", "Werkstatt Zukunft", "Lotsen Süd", "Brückenjahr",
                                      "Fit für Pflege", "Neustart", "Perspektive", "Sprungbrett"] * 4, start=1)]
TOTAL = f"{sum(n * 1_000 + 500 for n in range(1, 41)):,} €".replace(",", ".")


def test_pdf_table_over_two_pages_is_one_table_with_its_summe_row(tmp_path):
    pdf = _pdf(header=RUNNING_HEADER, footer=True)
    pdf.add_page()
    _paragraphs(pdf, "§ 5 Projekte\n\nDer Landkreis Musterstadt finanziert die folgenden Projekte:")
    with pdf.table(col_widths=(15, 70, 60, 35), repeat_headings=1) as table:
        for row in [("Nr.", "Projekt", "Maßnahmenart", "Betrag"), *PROJECTS, ("", "Summe", "", TOTAL)]:
            cells = table.row()
            for value in row:
                cells.cell(value)
    pdf.ln(4)
    _paragraphs(pdf, "Die Beträge sind Höchstbeträge.")
    path = tmp_path / "tabelle.pdf"
    pdf.output(str(path))

    document = read_document(path)
    lines = document.text.split("\n")
    header = "Nr. | Projekt | Maßnahmenart | Betrag"
    assert lines.count(header) == 1  # the heading row repeated on page 2 is dropped
    first = lines.index(header)
    expected = [header] + [" | ".join(row) for row in PROJECTS] + [f" | Summe |  | {TOTAL}"]
    assert lines[first : first + len(expected)] == expected  # one table: no blank line at the page break
    assert lines[first - 1] == "" and lines[first + len(expected)] == ""
    assert "Die Beträge sind Höchstbeträge." in lines
    assert len(document.page_starts) == 2
    row_on_page_two = next(n for n, row in enumerate(PROJECTS) if document.text.index(" | ".join(row)) >= document.page_starts[1])
    assert 10 < row_on_page_two < 40
    assert document.page_at(document.text.index(" | ".join(PROJECTS[row_on_page_two]))) == 2
    assert document.page_at(document.text.index(" | ".join(PROJECTS[row_on_page_two - 1]))) == 1
    assert document.page_at(document.text.index("Summe")) == 2
    assert RUNNING_HEADER not in document.text and "Seite" not in document.text


def test_pdf_running_headers_and_footers_are_removed_and_pages_kept(tmp_path):
    pdf = _pdf(header=RUNNING_HEADER, footer=True)
    body = factory.musterstadt().text().split("Wiesbaden, den")[0]
    for number, section in enumerate(body.split("\n\n§ ")):
        pdf.add_page()
        _paragraphs(pdf, section if number == 0 else "§ " + section)
    path = tmp_path / "zv.pdf"
    pdf.output(str(path))

    document = read_document(path)
    assert len(document.page_starts) == pdf.page_no() >= 5
    assert RUNNING_HEADER not in document.text
    assert "Seite" not in document.text and "von 8" not in document.text
    assert document.text.startswith("Zielvereinbarung")
    for number in range(1, 8):
        assert document.page_at(document.text.index(f"\n§ {number}\n") + 1) == number + 1
    assert "1.234.567 Euro" in document.text


@pytest.mark.parametrize("right_lower_by", [0, 3.5], ids=["same-lines", "right-column-lower"])
def test_pdf_two_column_signature_block_is_read_column_by_column(tmp_path, right_lower_by):
    from pypdf import PdfReader

    from ingest.pipeline import parse_document

    pdf = _pdf()
    pdf.add_page()
    before, after = factory.musterstadt().text().split("Wiesbaden, den")[0].split("\n\n§ 5\n\n")
    _paragraphs(pdf, before)
    pdf.add_page()
    _paragraphs(pdf, "§ 5\n\n" + after)
    left = ["Wiesbaden, den 2.8.2025", "Dr. Erika Muster", "Staatsministerin für Arbeit"]
    right = ["Musterstadt, den 25.08.2025", "Max Beispiel", "Landrat", "Landkreis Musterstadt"]
    if pdf.get_y() > 220:
        pdf.add_page()
    top = pdf.get_y() + 10
    for row in range(len(right)):  # row by row, as a word processor's borderless table writes it
        for x, shift, column in [(20, 0, left), (115, right_lower_by, right)]:
            if row < len(column):
                pdf.set_xy(x, top + row * 7 + shift)
                pdf.cell(80, 6, column[row])
    path = tmp_path / "unterschriften.pdf"
    pdf.output(str(path))
    plain = PdfReader(path).pages[-1].extract_text()
    assert "Wiesbaden, den 2.8.2025\nDr. Erika Muster" not in plain  # pypdf's own order is no help here

    document = read_document(path)
    assert document.text.startswith("Zielvereinbarung\n\n2025\n\nzwischen")  # a year under the title is no page number
    assert document.text.endswith("\n".join(left) + "\n\n" + "\n".join(right))
    facts, _ = parse_document(path, path.read_bytes())
    assert [(s.place, s.date, s.name) for s in facts.signatures] == [
        ("Wiesbaden", "2025-08-02", "Dr. Erika Muster"), ("Musterstadt", "2025-08-25", "Max Beispiel")]
    assert [p.name for p in facts.projects][:2] == ["Berufsstart Plus", "Ausbildungslotsen Süd"]


def test_pdf_borderless_amount_columns_stay_rows(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    _paragraphs(pdf, "Die Mittel verteilen sich auf diese Projekte der Stadt Beispielhausen:")
    for row, (name, amount) in enumerate([("Jobbrücke", "150.000,00 €"), ("Startklar", "95.500,00 €"), ("Summe", "245.500,00 €")]):
        y = 40 + row * 7
        pdf.set_xy(20, y)
        pdf.cell(60, 6, name)
        pdf.set_xy(140, y)
        pdf.cell(40, 6, amount, align="R")
    path = tmp_path / "betraege.pdf"
    pdf.output(str(path))
    assert read_document(path).text.split("\n\n")[-1] == (
        "Jobbrücke | 150.000,00 €\nStartklar | 95.500,00 €\nSumme | 245.500,00 €")


def test_pdf_wide_list_indents_and_label_value_lines_stay_lines(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    rows = [("Gebietskörperschaft:", "Landkreis Musterstadt"), ("Jahr:", "2025"), ("Budget:", "1.234.567 Euro")]
    items = [("•", "Berufsstart Plus"), ("•", "Ausbildungslotsen Süd"), ("a)", "Werkstatt Zukunft")]
    for number, (left, right) in enumerate(rows + items):
        y = 30 + number * 7 + (10 if number >= len(rows) else 0)
        pdf.set_xy(20, y)
        pdf.cell(15, 6, left)
        pdf.set_xy(90 if number < len(rows) else 35, y)
        pdf.cell(100, 6, right)
    path = tmp_path / "liste.pdf"
    pdf.output(str(path))
    assert read_document(path).text == (
        "Gebietskörperschaft: Landkreis Musterstadt\nJahr: 2025\nBudget: 1.234.567 Euro\n\n"
        "• Berufsstart Plus\n• Ausbildungslotsen Süd\na) Werkstatt Zukunft")


# --- DOCX ------------------------------------------------------------------------------------------

def _abstract_numbering(abstract_id: int, levels: list[tuple[str, str]]):
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    body = "".join(
        f'<w:lvl w:ilvl="{n}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:pPr><w:ind w:left="{720 * (n + 1)}" w:hanging="360"/></w:pPr></w:lvl>'
        for n, (fmt, text) in enumerate(levels)
    )
    return parse_xml(f'<w:abstractNum {w} w:abstractNumId="{abstract_id}">{body}</w:abstractNum>')


def _add_numbering(document, abstract_id: int, num_id: int, levels: list[tuple[str, str]]) -> int:
    """A real Word list definition (abstractNum and num) in the numbering part; returns its numId."""
    from docx.oxml import parse_xml

    numbering = document.part.numbering_part.element
    abstract = _abstract_numbering(abstract_id, levels)
    existing_nums = numbering.findall("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}num")
    if existing_nums:
        existing_nums[0].addprevious(abstract)
    else:
        numbering.append(abstract)
    numbering.append(parse_xml(
        '<w:num xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'))
    return num_id


def _numbered(document, text: str, num_id: int, level: int):
    from docx.oxml import parse_xml

    paragraph = document.add_paragraph(text)
    paragraph._p.get_or_add_pPr().append(parse_xml(
        '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f'<w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'))
    return paragraph


def test_docx_auto_numbering_bullets_headings_and_table_in_body_order(tmp_path):
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.oxml import parse_xml

    document = docx.Document()
    letters = _add_numbering(document, 90, 91, [("lowerLetter", "%1)"), ("bullet", "\uf0b7")])
    romans = _add_numbering(document, 92, 93, [("upperRoman", "%1."), ("decimal", "(%2)")])
    document.add_heading("Zielvereinbarung 2025", level=0)
    document.add_heading("§ 5 Ziele für die Umsetzung", level=1)
    document.add_paragraph("Der Landkreis Musterstadt finanziert folgende Projekte:")
    project_style = document.styles.add_style("Projektliste", WD_STYLE_TYPE.PARAGRAPH)
    project_style.element.get_or_add_pPr().append(parse_xml(  # the list comes from the style …
        f'<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:numId w:val="{letters}"/></w:numPr>'))
    for category, projects in [("Ausbildungsvorbereitung", ["Berufsstart Plus", "Ausbildungslotsen Süd"]),
                               ("Qualifizierungsprojekte", ["Werkstatt Zukunft"])]:
        _numbered(document, category, letters, 0)
        for project in projects[:-1]:
            _numbered(document, project, letters, 1)
        last = document.add_paragraph(projects[-1], style="Projektliste")
        last._p.get_or_add_pPr().append(parse_xml(  # … and only the level from the paragraph
            '<w:numPr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:ilvl w:val="1"/></w:numPr>'))
    document.add_paragraph("Die Mittel im Einzelnen:")
    table = document.add_table(rows=0, cols=3)
    for row in [("Projekt", "Träger", "Betrag"), ("Berufsstart Plus", "", "120.000 €"), ("Summe", "", "120.000 €")]:
        cells = table.add_row().cells
        for cell, value in zip(cells, row):
            cell.text = value
    _numbered(document, "Grundsätze", romans, 0)
    _numbered(document, "Gleichstellung", romans, 1)
    _numbered(document, "Inklusion", romans, 1)
    _numbered(document, "Berichte", romans, 0)
    _numbered(document, "Zwischenbericht", romans, 1)
    document.add_paragraph("Wiesbaden, den 2.8.2025")
    path = tmp_path / "zv-musterstadt.docx"
    document.save(str(path))

    assert read_document(path).text == (
        "Zielvereinbarung 2025\n\n"
        "§ 5 Ziele für die Umsetzung\n\n"
        "Der Landkreis Musterstadt finanziert folgende Projekte:\n\n"
        "a) Ausbildungsvorbereitung\n  • Berufsstart Plus\n  • Ausbildungslotsen Süd\n"
        "b) Qualifizierungsprojekte\n  • Werkstatt Zukunft\n\n"
        "Die Mittel im Einzelnen:\n\n"
        "Projekt | Träger | Betrag\nBerufsstart Plus |  | 120.000 €\nSumme |  | 120.000 €\n\n"
        "I. Grundsätze\n  (1) Gleichstellung\n  (2) Inklusion\nII. Berichte\n  (1) Zwischenbericht\n\n"
        "Wiesbaden, den 2.8.2025"
    )


def test_docx_agreement_with_word_lists_gives_the_projects(tmp_path):
    """The fictional agreement as Word would hold it: list styles number the categories and bullet the projects."""
    import docx

    from ingest.pipeline import parse_document

    agreement = factory.musterstadt()
    document = docx.Document()
    for paragraph in agreement.text().strip().split("\n\n"):
        if re.match(r"\d\. ", paragraph):
            document.add_paragraph(paragraph.split(" ", 1)[1], style="List Number")
        elif paragraph.startswith("- "):
            document.add_paragraph(paragraph[2:], style="List Bullet")
        else:
            document.add_paragraph(paragraph)
    path = tmp_path / "zv-2025-landkreis-musterstadt.docx"
    document.save(str(path))

    text = read_document(path).text
    assert "1. Ausbildungsvorbereitung\n• Berufsstart Plus\n• Ausbildungslotsen Süd\n2. Ausbildung" in text
    facts, _ = parse_document(path, path.read_bytes())
    assert (facts.district, facts.year, facts.budget_eur) == ("Landkreis Musterstadt", 2025, 1_234_567)
    assert [(p.category_no, p.name) for p in facts.projects] == [
        (number, name) for number, projects in agreement.projects.items() for name, _ in projects]


def test_doc_and_unknown_types_get_clear_messages(tmp_path):
    old = tmp_path / "zv.doc"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(IngestError, match="bitte als DOCX oder PDF speichern"):
        read_document(old)
    sheet = tmp_path / "zv.xlsx"
    sheet.write_bytes(b"PK\x03\x04 not really")
    with pytest.raises(IngestError, match=r"nicht unterstützter Dateityp '\.xlsx' \(erlaubt: PDF, DOCX, ODT, RTF, HTML, TXT, Markdown; "
                       r"mit LibreOffice auch DOC, "):
        read_document(sheet)


# --- Markdown and text -----------------------------------------------------------------------------

def test_markdown_headings_tables_lists_and_bold(tmp_path):
    path = tmp_path / "zv.md"
    path.write_text(
        "# Zielvereinbarung 2025\n\n## § 4 Haushaltsmittel\n\nDas HMSI stellt **1.234.567 Euro** bereit.\n"
        "| Projekt | Träger | Betrag |\n|:---|---|---:|\n| **Jobbrücke** | Verein A | 150.000 € |\n| Summe | | 150.000 € |\n"
        "Weitere Projekte:\n\n- Startklar\n  - Modul Holz\n1. Kompass\n",
        encoding="utf-8",
    )
    assert read_document(path).text == (
        "Zielvereinbarung 2025\n\n§ 4 Haushaltsmittel\n\nDas HMSI stellt 1.234.567 Euro bereit.\n\n"
        "Projekt | Träger | Betrag\nJobbrücke | Verein A | 150.000 €\nSumme |  | 150.000 €\n\n"
        "Weitere Projekte:\n\n- Startklar\n  - Modul Holz\n1. Kompass"
    )


def test_text_hyphenation_joined_or_kept(tmp_path):
    path = tmp_path / "zv.txt"
    path.write_text(
        "Gefördert werden Maßnahmen der Ausbildungs-\nvorbereitung und der Qualifizierung im Garten-\n"
        "und Landschaftsbau, in der Alten-\noder Krankenpflege sowie bei Teilzeit-\nAusbildungen im Landkreis.\n",
        encoding="utf-8",
    )
    assert read_document(path).text == (
        "Gefördert werden Maßnahmen der Ausbildungsvorbereitung\nund der Qualifizierung im Garten- und Landschaftsbau,"
        " in der Alten- oder Krankenpflege sowie bei Teilzeit-\nAusbildungen im Landkreis."
    )


def test_one_bad_byte_is_replaced_and_legacy_encodings_still_read(tmp_path):
    good = "§ 4 Haushaltsmittel: Der Landkreis Gießen erhält 1.516.560 Euro für Maßnahmen."
    damaged = tmp_path / "utf8.txt"
    damaged.write_bytes(good.encode("utf-8").replace(b"erh", b"\xffrh"))
    text = read_document(damaged).text
    assert text.startswith("§ 4 Haushaltsmittel") and "Gießen" in text and "Maßnahmen" in text
    assert "\ufffdrhält" in text
    for encoding in ["cp1252", "cp850", "mac_roman"]:  # Windows, DOS and old Mac files
        legacy = tmp_path / f"{encoding}.txt"
        legacy.write_bytes((good + "\nÜbergänge zählen.").encode(encoding))
        assert read_document(legacy).text == good + "\nÜbergänge zählen.", encoding


def test_soft_hyphens_non_breaking_spaces_and_carriage_returns(tmp_path):
    path = tmp_path / "zv.txt"
    path.write_bytes("Ausbildungs\u00adbudget\u00a02025\r\nzweite  Zeile\rdritte Zeile und noch etwas Text".encode("utf-8"))
    assert read_document(path).text == "Ausbildungsbudget 2025\nzweite Zeile\ndritte Zeile und noch etwas Text"


# --- limits and odd files --------------------------------------------------------------------------

def test_fifo_is_refused_without_opening_it(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    outcome: list[BaseException | object] = []

    def read():
        try:
            outcome.append(read_document(fifo))
        except BaseException as exc:  # noqa: BLE001 - the test inspects it
            outcome.append(exc)

    worker = threading.Thread(target=read, daemon=True)
    worker.start()
    worker.join(5)
    assert not worker.is_alive(), "read_document blocked on a FIFO"
    assert isinstance(outcome[0], IngestError) and "FIFO" in str(outcome[0])


def test_size_limit(tmp_path):
    small = factory.write_txt(factory.musterstadt().text(), tmp_path / "zv.txt")
    size = small.stat().st_size
    assert read_document(small, max_bytes=size).text.startswith("Zielvereinbarung")
    with pytest.raises(IngestError, match="Datei zu groß .*höchstens 1000 Bytes"):
        read_document(small, max_bytes=1000)
    huge = tmp_path / "riesig.pdf"
    with open(huge, "wb") as handle:
        handle.truncate(51 * 1024 * 1024)  # sparse: no disk space used
    with pytest.raises(IngestError, match="höchstens 50 MB"):
        read_document(huge)


SELF_LOOP = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


def _build_pdf(objects: list[bytes]) -> bytes:
    """A PDF with a correct cross-reference table around the given objects (object 1 is the catalog)."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _page_with_content(content: bytes) -> bytes:
    import zlib

    stream = zlib.compress(content, 6)
    return _build_pdf([
        b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ])


def _corrupt_files(folder: Path) -> list[Path]:
    good = factory.write_pdf(factory.musterstadt().text(), folder / "good.pdf")
    data = good.read_bytes()
    files = {
        "loop.pdf": SELF_LOOP,
        "cyclic-pages.pdf": _build_pdf([b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>"]),
        "bomb-12mb.pdf": _page_with_content(b"0 0 m " * 2_000_000),  # over our 10 MB a page
        "bomb-84mb.pdf": _page_with_content(b"0 0 m " * 14_000_000),  # over pypdf's unpacking limit
        "garbage.pdf": b"%PDF-1.7\n" + bytes((n * 37) % 256 for n in range(5000)) + b"\n%%EOF\n",
        "scrambled.pdf": data[:200] + bytes(reversed(data[200:-300])) + data[-300:],
        "no-root.pdf": b"%PDF-1.4\ntrailer << /Size 1 >>\n%%EOF\n",
        "zip.docx": b"PK\x03\x04" + b"\x00" * 200,
        "ole.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
    }
    import zipfile

    with zipfile.ZipFile(folder / "leer.docx", "w") as archive:
        archive.writestr("hallo.txt", "kein Word-Dokument")
    paths = [folder / "leer.docx"]
    for name, content in files.items():
        (folder / name).write_bytes(content)
        paths.append(folder / name)
    return paths


def test_corrupt_files_raise_ingest_error_only(tmp_path):
    import time

    reasons = {}
    for path in _corrupt_files(tmp_path):
        started = time.monotonic()
        with pytest.raises(IngestError) as caught:
            read_document(path)
        assert time.monotonic() - started < 10, path.name
        reasons[path.name] = str(caught.value)
    assert all(0 < len(reason) < 200 for reason in reasons.values()), reasons
    assert "DOCX oder PDF" in reasons["ole.docx"]
    assert "cyclic" in reasons["cyclic-pages.pdf"]
    assert "entpackt zu groß" in reasons["bomb-12mb.pdf"] and "LimitReachedError" in reasons["bomb-84mb.pdf"]


# --- scans -----------------------------------------------------------------------------------------

SCAN_TEXT = ("Zielvereinbarung 2025\n\nzwischen dem Ministerium und dem Landkreis Musterstadt\n\n"
             "Haushaltsmittel und Ausbildungsvorbereitung für Jugendliche")


def _scan(path: Path) -> Path:
    """A text PDF rendered to a picture, saved as a PDF that holds only that picture (like a scanner)."""
    import pypdfium2

    source = path.with_suffix(".source.pdf")
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("DejaVu", size=16)
    _paragraphs(pdf, SCAN_TEXT)
    pdf.output(str(source))
    document = pypdfium2.PdfDocument(str(source))
    image = document[0].render(scale=200 / 72).to_pil().convert("L")
    document.close()
    image.save(path, "PDF", resolution=200)
    return path


def test_scanned_pdf_is_read_by_ocr(tmp_path):
    from pypdf import PdfReader

    scan = _scan(tmp_path / "scan.pdf")
    assert not PdfReader(scan).pages[0].extract_text().strip()  # really no text layer
    document = read_document(scan)
    assert document.ocr is True and document.page_starts == [0]
    for word in ["Zielvereinbarung", "2025", "Ministerium", "Landkreis", "Musterstadt", "Haushaltsmittel",
                 "Ausbildungsvorbereitung", "für", "Jugendliche"]:
        assert word in document.text, (word, document.text)


def test_text_pdf_with_a_scanned_signature_page_reads_that_page_by_ocr(tmp_path):
    import pypdfium2

    signature = tmp_path / "unterschrift.pdf"
    pdf = _pdf()
    pdf.add_page()
    pdf.set_font("DejaVu", size=16)
    _paragraphs(pdf, "Wiesbaden, den 2.8.2025\n\nStaatsministerin für Arbeit\n\nMusterstadt, den 25.08.2025\n\nLandrätin")
    pdf.output(str(signature))
    rendered = pypdfium2.PdfDocument(str(signature))
    picture = rendered[0].render(scale=200 / 72).to_pil().convert("L")
    rendered.close()
    pdf = _pdf()
    pdf.add_page()
    _paragraphs(pdf, factory.musterstadt().text().split("Wiesbaden, den")[0])
    pdf.add_page()
    pdf.image(picture, x=0, y=0, w=pdf.w)
    path = tmp_path / "zv-mit-scan.pdf"
    pdf.output(str(path))

    document = read_document(path)
    assert document.ocr is True and len(document.page_starts) == pdf.page_no()
    for word in ["Wiesbaden", "Staatsministerin", "Musterstadt", "Landrätin"]:
        assert document.page_at(document.text.rindex(word)) == pdf.page_no(), word
    assert document.text.startswith("Zielvereinbarung\n\n2025")


def test_overprinted_fake_bold_is_read_once(tmp_path):
    pdf = _pdf()
    pdf.add_page()
    for dx in (0, 0.25):  # the same words twice, a quarter point apart
        pdf.set_xy(20 + dx, 30)
        pdf.multi_cell(170, 6, "Zielvereinbarung 2025 zwischen dem Ministerium und dem Landkreis Musterstadt")
    path = tmp_path / "fett.pdf"
    pdf.output(str(path))
    assert read_document(path).text == "Zielvereinbarung 2025 zwischen dem Ministerium und dem Landkreis Musterstadt"


def test_scan_without_tesseract_names_what_to_install(tmp_path, monkeypatch):
    scan = _scan(tmp_path / "scan.pdf")
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract program on this PATH
    with pytest.raises(IngestError) as caught:
        read_document(scan)
    message = str(caught.value)
    assert "ohne Text" in message and "pip install '.[ocr]'" in message and "tesseract-ocr-deu" in message
