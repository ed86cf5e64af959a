"""Read a file into plain text with page boundaries: PDF (pypdf), TXT and Markdown."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import PdfReadError

SUFFIXES = {".pdf", ".txt", ".md", ".markdown"}
MIN_TEXT_CHARS = 40

logging.getLogger("pypdf").setLevel(logging.ERROR)


class IngestError(Exception):
    """A file that cannot be ingested; the message says why, for the user."""


@dataclass
class DocumentText:
    text: str
    page_starts: list[int]  # offset in `text` where each page begins; empty for text files

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        page = 1
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
        return page


def _clean_lines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u00ad", "")
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in text.split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def _read_pdf(path: Path) -> DocumentText:
    data = path.read_bytes()
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError("keine PDF-Datei (Inhalt passt nicht zur Endung .pdf)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError("abgeschnittene PDF-Datei (das Dateiende %%EOF fehlt)")
    try:
        reader = PdfReader(path)
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise IngestError("verschlüsselte PDF-Datei (Passwort nötig)")
            except IngestError:
                raise
            except Exception as exc:
                raise IngestError(f"verschlüsselte PDF-Datei, nicht lesbar ({exc})") from exc
        pages = []
        for page in reader.pages:
            try:
                raw = page.extract_text(extraction_mode="layout")
            except Exception:
                raw = page.extract_text()
            pages.append(_clean_lines(raw or ""))
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError) as exc:
        raise IngestError(f"beschädigte oder abgeschnittene PDF-Datei ({exc.__class__.__name__}: {exc})") from exc
    if not pages:
        raise IngestError("PDF-Datei ohne Seiten")
    text, starts = "", []
    for page_text in pages:
        if text:
            text += "\n\n"
        starts.append(len(text))
        text += page_text
    if len(text.strip()) < MIN_TEXT_CHARS:
        raise IngestError("PDF-Datei ohne Text (nur Bilder/gescannt? Bitte zuerst OCR anwenden)")
    return DocumentText(text, starts)


def _read_text(path: Path) -> DocumentText:
    data = path.read_bytes()
    if b"\x00" in data[:4096] or data[:5] == b"%PDF-":
        raise IngestError("keine Textdatei (Binärinhalt; falsche Endung?)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    text = _clean_lines(text.replace("**", ""))
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError("leere Datei" if not text else "Datei enthält fast keinen Text")
    if path.suffix.lower() in {".md", ".markdown"}:
        text = re.sub(r"^#{1,6}\s*", "", text, flags=re.MULTILINE)
    return DocumentText(text, [])


def read_document(path: Path) -> DocumentText:
    """The text of a PDF, TXT or Markdown file; raises IngestError with a reason a user understands."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise IngestError(f"nicht unterstützter Dateityp '{suffix or path.name}' (erlaubt: PDF, TXT, Markdown)")
    if path.stat().st_size == 0:
        raise IngestError("leere Datei")
    if suffix == ".pdf":
        return _read_pdf(path)
    return _read_text(path)
