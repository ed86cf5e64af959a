"""Read a file into plain text with page boundaries: PDF, Word (.docx), TXT and Markdown.

The text keeps one shape for every format, which `ingest.structure` and `ingest.facts` rely on:
paragraphs separated by a blank line, headings and list items on lines of their own (list markers
written out), table rows as "cell | cell" lines framed by blank lines, running page headers and
footers removed, and `page_starts` giving the offset where each PDF page begins.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

SUFFIXES = {".pdf", ".docx", ".txt", ".md", ".markdown", ".doc"}  # .doc only to answer "save it as DOCX"
ACCEPTED = "PDF, DOCX, TXT, Markdown"
MIN_TEXT_CHARS = 40
MAX_BYTES = 50 * 1024 * 1024
MARKDOWN = {".md", ".markdown"}
CELL_SEPARATOR = " | "
# Code pages German text files come in besides UTF-8, preferred in this order on a tie
LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "cp850", "mac_roman"]
GERMAN_LETTERS = set("äöüÄÖÜß§€„“–")
ODD_IN_GERMAN = set("¸‹‰ﬂƒ³¤")  # what German text read in the wrong code page shows


class IngestError(Exception):
    """A file that cannot be ingested; the message says why, for the user."""


@dataclass
class DocumentText:
    text: str
    page_starts: list[int]  # offset in `text` where each page begins; empty for files without pages
    ocr: bool = False  # the text was recognised from page images (a scan)

    def page_at(self, offset: int) -> int | None:
        if not self.page_starts:
            return None
        page = 1
        for number, start in enumerate(self.page_starts, start=1):
            if start <= offset:
                page = number
        return page


# --- text clean-up shared by every format -----------------------------------------------------

_LIST_ITEM = re.compile(r"^(?:[-–—•▪◦*·+o]|\d{1,2}[.)]|[a-z][.)]|\(\d{1,2}\)|\([a-z]\)|[IVXLC]{1,6}\.)\s")


BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def clean_lines(text: str) -> str:
    """Unify line ends and spaces, drop soft hyphens, at most one blank line in a row; table rows stay as
    they are and list items keep their indent (two spaces a nesting level)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ").replace("\u202f", " ")
    text = text.replace("\u00ad", "").replace("\f", "\n").replace("\t", " ")
    text = BIDI_CONTROLS.sub("", text)  # a right-to-left override shows "065.615.1" as a figure it is not
    lines = []
    for line in text.split("\n"):
        if CELL_SEPARATOR in line:  # a table row: empty cells at either end must keep their separators
            lines.append(line)
            continue
        stripped = re.sub(r" +", " ", line.strip())
        indent = len(line) - len(line.lstrip(" ")) if _LIST_ITEM.match(stripped) else 0
        lines.append(" " * min(indent, 8) + stripped)
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


# Words that follow a hyphen at a line end as words of their own: "Garten-\nund Landschaftsbau".
_STANDALONE_AFTER_HYPHEN = {
    "und", "oder", "bzw", "bzw.", "sowie", "bis", "als", "wie", "noch", "respektive", "resp.", "u.", "o.",
    "beziehungsweise", "sondern", "aber", "plus", "&",
}
_HYPHEN_AT_END = re.compile(r"(?<=[A-Za-zÄÖÜäöüß])-$")
_LOWER_START = re.compile(r"^[a-zäöüß]")


def join_hyphenated(text: str) -> str:
    """Join a word split by a hyphen at a line end ("Ausbildungs-\\nvorbereitung" becomes one word);
    keep the hyphen when the next line starts with a word of its own ("Garten- und Landschaftsbau")."""
    lines = text.split("\n")
    out: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        while index + 1 < len(lines) and _HYPHEN_AT_END.search(line) and lines[index + 1].strip():
            following = lines[index + 1].strip()
            first_word = following.split(" ", 1)[0]
            if first_word.lower() in _STANDALONE_AFTER_HYPHEN:
                line = line + " " + following
            elif _LOWER_START.match(following):
                head, _, rest = following.partition(" ")
                line = line[:-1] + head
                if rest:  # the rest of the next line stays its own line (hard wraps are kept)
                    lines[index + 1] = rest
                    break
            else:
                break
            index += 1
        out.append(line)
        index += 1
    return "\n".join(out)


def table_lines(rows: list[list[str]]) -> str:
    """A table as text: one row a line, cells joined by " | ", empty cells kept."""
    return "\n".join(CELL_SEPARATOR.join(cell for cell in row) for row in rows)


def cell_text(value: str | None) -> str:
    return re.sub(r"\s+", " ", (value or "").replace("\u00ad", "")).strip()


# --- text and Markdown --------------------------------------------------------------------------

def decode_text(data: bytes) -> str:
    """Decode one text file: UTF-16 with its mark, UTF-8 (a few invalid bytes become U+FFFD), else the
    legacy code page that gives the most German letters (Windows, ISO, DOS, old Mac), else what
    charset-normalizer finds for the file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8-sig", errors="replace")
    invalid = lenient.count("\ufffd")
    multibyte = sum(1 for char in lenient if ord(char) > 0x7F and char != "\ufffd")
    if multibyte and invalid <= max(2, multibyte // 10):
        return lenient  # UTF-8 with a stray bad byte: keep "§" and umlauts, mark the byte
    scored = [(_german_score(data.decode(encoding, errors="replace")), -rank, encoding)
              for rank, encoding in enumerate(LEGACY_ENCODINGS)]
    score, _, encoding = max(scored)
    if score > 0:
        return data.decode(encoding, errors="replace")
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return str(best) if best is not None else data.decode("cp1252", errors="replace")


def _german_score(text: str) -> int:
    letters = sum(1 for char in text if char in GERMAN_LETTERS)
    odd = sum(1 for char in text if char == "\ufffd" or ("\x80" <= char <= "\x9f") or char in ODD_IN_GERMAN)
    return letters - 3 * odd


_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$")
_MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")


def markdown_to_text(text: str) -> str:
    """Markdown marks removed: '#' headings, '|---|' rules, table pipes at the row ends; lists stay."""
    out: list[str] = []
    in_table = False
    for line in text.split("\n"):
        if _MD_TABLE_RULE.match(line) and in_table:
            continue
        if _MD_TABLE_ROW.match(line):
            if not in_table and out and out[-1].strip():
                out.append("")
            in_table = True
            cells = [cell_text(cell) for cell in line.strip().strip("|").split("|")]
            out.append(CELL_SEPARATOR.join(cells))
            continue
        if in_table and line.strip():
            out.append("")
        in_table = False
        if match := _MD_HEADING.match(line):
            line = match.group(1)
        out.append(line)
    return "\n".join(out)


_COLUMN_GAP = re.compile(r"(?<=\S)(?:[ ]*\t[\t ]*|[ ]{5,})(?=\S)")


def tab_columns(text: str) -> str:
    """Columns set with tabs (or a wide run of spaces) inside a line become table cells: a project and its
    amount ("* Jobcafé\t\t118.000,00"), two signature blocks side by side ("Wiesbaden, …\t\tKassel, …")."""
    lines = []
    for line in text.split("\n"):
        body = line.strip()
        if CELL_SEPARATOR not in body and _COLUMN_GAP.search(body):
            cells = _COLUMN_GAP.split(body)
            if _LIST_ITEM.fullmatch(cells[0] + " "):  # "I.<tab>Ausbildungsvorbereitung": a marker set apart, no column
                cells[:2] = [f"{cells[0]} {cells[1]}"]
            indent = line[: len(line) - len(line.lstrip())].replace("\t", "    ")
            line = indent + CELL_SEPARATOR.join(cells) if len(cells) > 1 else indent + cells[0]
        lines.append(line)
    return "\n".join(lines)


def _read_text(path: Path, data: bytes) -> DocumentText:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:5] == b"%PDF-":
        raise IngestError("keine Textdatei (Binärinhalt; falsche Endung?)")
    if data[:4] == b"PK\x03\x04":
        raise IngestError("keine Textdatei (ein ZIP-/Office-Dokument; falsche Endung?)")
    text = decode_text(data).replace("\r\n", "\n").replace("\r", "\n")
    if path.suffix.lower() in MARKDOWN:
        text = markdown_to_text(text)
    if path.suffix.lower() in MARKDOWN:
        text = re.sub(r"(?<!!)\[([^\]\n]+)\]\([^)\s]+\)", r"\1", text)  # [link text](address)
        text = re.sub(r"__(?=\S)(.+?)(?<=\S)__", r"\1", text)
    text = text.replace("**", "")
    text = clean_lines(join_hyphenated(clean_lines(tab_columns(text))))
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError("leere Datei" if not text else "Datei enthält fast keinen Text")
    return DocumentText(text, [])


# --- entry point --------------------------------------------------------------------------------

def check_file(path: Path, max_bytes: int = MAX_BYTES) -> os.stat_result:
    """Refuse without opening: missing files, FIFOs, devices, sockets, folders, files over the limit."""
    try:
        info = path.stat()
    except FileNotFoundError as exc:
        raise IngestError("Datei nicht gefunden") from exc
    except OSError as exc:
        raise IngestError(f"nicht lesbar ({exc.strerror or exc})") from exc
    if not stat.S_ISREG(info.st_mode):
        kind = ("ein Ordner" if stat.S_ISDIR(info.st_mode) else "eine Pipe (FIFO)" if stat.S_ISFIFO(info.st_mode)
                else "ein Socket" if stat.S_ISSOCK(info.st_mode) else "ein Gerät" if stat.S_ISCHR(info.st_mode)
                or stat.S_ISBLK(info.st_mode) else "keine normale Datei")
        raise IngestError(f"keine normale Datei ({kind}); nicht geöffnet")
    if info.st_size == 0:
        raise IngestError("leere Datei")
    if info.st_size > max_bytes:
        raise IngestError(f"Datei zu groß ({_megabytes(info.st_size)}; erlaubt sind höchstens {_megabytes(max_bytes)})")
    return info


def _megabytes(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB").replace(".", ",")
    return f"{size} Bytes"


def unsupported_message(suffix: str) -> str:
    return f"nicht unterstützter Dateityp '{suffix}' (erlaubt: {ACCEPTED})"


def read_document(path: Path, max_bytes: int = MAX_BYTES) -> DocumentText:
    """The text of a PDF, DOCX, TXT or Markdown file; raises IngestError with a reason a user understands."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".doc":
        raise IngestError("altes Word-Format (.doc) wird nicht gelesen; bitte als DOCX oder PDF speichern")
    if suffix not in SUFFIXES:
        raise IngestError(unsupported_message(suffix or path.name))
    check_file(path, max_bytes)
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(f"nicht lesbar ({exc.strerror or exc})") from exc
    if len(data) > max_bytes:
        raise IngestError(f"Datei zu groß (erlaubt sind höchstens {_megabytes(max_bytes)})")
    if not data:
        raise IngestError("leere Datei")
    try:
        if suffix == ".pdf":
            from ingest.pdf_reader import read_pdf

            return read_pdf(path, data)
        if suffix == ".docx":
            from ingest.docx_reader import read_docx

            return read_docx(path, data)
        return _read_text(path, data)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError("Datei nicht lesbar (zu tief verschachtelt oder Selbstbezug)") from exc
    except MemoryError as exc:
        raise IngestError("Datei nicht lesbar (zu viel Speicher nötig)") from exc
    except Exception as exc:  # any library error on one odd file becomes a reason, never a crash
        raise IngestError(f"Datei nicht lesbar ({short_reason(exc)})") from exc


def short_reason(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    if len(message) > 120:
        message = message[:117] + "…"
    return f"{exc.__class__.__name__}: {message}" if message else exc.__class__.__name__
