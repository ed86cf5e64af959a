"""Text of scanned (image-only) PDFs by OCR: pages rendered with pypdfium2, read by Tesseract in German.

Optional: `pip install '.[ocr]'` (pytesseract, pypdfium2) and the Debian packages tesseract-ocr and
tesseract-ocr-deu. Without them a scan is refused with a message that says what to install.
"""

from __future__ import annotations

import re
import shutil
import subprocess

from ingest.readers import MIN_TEXT_CHARS, DocumentText, IngestError, clean_lines, join_hyphenated

DPI = 300
LANGUAGE = "deu"
MAX_PAGES = 100  # a scan longer than this is no agreement; OCR takes seconds a page
OCR_SECONDS_PER_PAGE = 120
INSTALL_HINT = ("Texterkennung installieren: pip install '.[ocr]' und "
                "apt install tesseract-ocr tesseract-ocr-deu")
_PAGE_NUMBER = re.compile(r"^(?:Seite\s+\d+(?:\s*(?:von|/)\s*\d+)?|[-–—]\s*\d{1,4}\s*[-–—]|\d{1,4})$", re.IGNORECASE)


def missing_ocr() -> str | None:
    """What is missing for OCR (in German), or None when pytesseract, pypdfium2 and Tesseract with German are there."""
    try:
        import pypdfium2  # noqa: F401
        import pytesseract
    except ImportError:
        return "das Python-Extra 'ocr' fehlt"
    program = shutil.which(pytesseract.pytesseract.tesseract_cmd)
    if program is None:
        return "das Programm tesseract fehlt"
    try:
        listed = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return "das Programm tesseract lässt sich nicht starten"
    if LANGUAGE not in listed.stdout.split():
        return "die deutschen Tesseract-Sprachdaten (tesseract-ocr-deu) fehlen"
    return None


def read_scanned_pdf(data: bytes) -> DocumentText:
    """OCR every page of an image-only PDF; IngestError when OCR is not installed or finds no text."""
    missing = missing_ocr()
    if missing:
        raise IngestError(f"PDF-Datei ohne Text (nur Bilder/gescannt?); {missing}. {INSTALL_HINT}")
    pages = ocr_pages(data)
    text, starts = "", []
    for page_text in pages.values():
        if text and page_text:
            text += "\n\n"
        starts.append(len(text))
        text += page_text
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise IngestError("PDF-Datei ohne Text (nur Bilder; auch die Texterkennung fand keinen Text)")
    return DocumentText(text, starts, ocr=True)


def ocr_pages(data: bytes, indexes: list[int] | None = None) -> dict[int, str]:
    """The recognised text of the given pages (0-based; all pages if None), page numbers dropped."""
    import pypdfium2
    import pytesseract

    document = pypdfium2.PdfDocument(data)
    try:
        wanted = list(range(len(document))) if indexes is None else indexes
        if len(wanted) > MAX_PAGES:
            raise IngestError(f"{len(wanted)} gescannte PDF-Seiten; Texterkennung nur bis {MAX_PAGES} Seiten")
        pages = {}
        for index in wanted:
            page = document[index]
            try:
                image = page.render(scale=DPI / 72).to_pil()
            finally:
                page.close()
            raw = pytesseract.image_to_string(image, lang=LANGUAGE, timeout=OCR_SECONDS_PER_PAGE)
            lines = clean_lines(raw).split("\n")
            while lines and _PAGE_NUMBER.match(lines[-1].strip()):
                lines.pop()
            while lines and _PAGE_NUMBER.match(lines[0].strip()):
                lines.pop(0)
            pages[index] = clean_lines(join_hyphenated("\n".join(lines)))
        return pages
    finally:
        document.close()
