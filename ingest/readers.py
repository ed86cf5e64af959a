"""Read a file into plain text with page boundaries, and the registry of readers: one module per format.

The text keeps one shape for every format, which `ingest.structure` and `ingest.facts` rely on:
paragraphs separated by a blank line, headings and list items on lines of their own (list markers
written out), table rows as "cell | cell" lines framed by blank lines, running page headers and
footers removed, and `page_starts` giving the offset where each PDF page begins.

`READERS` names every format ingest accepts; the error for an unknown type, the web upload box and
the README's format table are all made from (or checked against) it.
"""

from __future__ import annotations

import importlib
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from ingest.limits import Budget, megabytes

MIN_TEXT_CHARS = 40
MAX_BYTES = 50 * 1024 * 1024
CELL_SEPARATOR = " | "


@dataclass(frozen=True)
class Reader:
    """One format: its name as users know it, its file endings, and the function that reads it
    ("module:function", imported only when such a file comes)."""

    name: str
    suffixes: tuple[str, ...]
    function: str
    streams: bool = False  # reads the file itself in pieces: called with (path, budget), not the bytes
    budgeted: bool = True  # takes the file's Budget as third argument
    extra: str = ""  # what must be installed besides the default install ("" = nothing)

    def read(self, path: Path, data: bytes | None, budget: Budget) -> "DocumentText":
        module, _, name = self.function.partition(":")
        function = getattr(importlib.import_module(module), name)
        if self.streams:
            return function(path, budget)
        return function(path, data, budget) if self.budgeted else function(path, data)


READERS: tuple[Reader, ...] = (
    Reader("PDF", (".pdf",), "ingest.pdf_reader:read_pdf", budgeted=False),
    Reader("DOCX", (".docx",), "ingest.docx_reader:read_docx"),
    Reader("ODT", (".odt", ".ott", ".fodt"), "ingest.odt_reader:read_odt"),
    Reader("RTF", (".rtf",), "ingest.rtf_reader:read_rtf"),
    Reader("HTML", (".html", ".htm", ".xhtml"), "ingest.html_reader:read_html"),
    Reader("TXT", (".txt", ".text"), "ingest.text_reader:read_text", streams=True),
    Reader("Markdown", (".md", ".markdown"), "ingest.text_reader:read_text", streams=True),
    Reader("DOC", (".doc", ".dot", ".docm", ".dotm", ".dotx", ".wpd", ".wps", ".sxw"),
           "ingest.office_reader:read_with_libreoffice", extra="LibreOffice"),
)
BY_SUFFIX: dict[str, Reader] = {suffix: reader for reader in READERS for suffix in reader.suffixes}
SUFFIXES = set(BY_SUFFIX)
ACCEPTED = ", ".join(r.name for r in READERS if not r.extra) + "; mit LibreOffice auch " + ", ".join(
    s.lstrip(".").upper() for r in READERS if r.extra for s in r.suffixes)


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

LIST_ITEM = re.compile(r"^(?:[-–—•▪◦*·+o]|\d{1,2}[.)]|[a-z][.)]|\(\d{1,2}\)|\([a-z]\)|[IVXLC]{1,6}\.)\s")


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
        indent = len(line) - len(line.lstrip(" ")) if LIST_ITEM.match(stripped) else 0
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


def roman_numeral(number: int) -> str:
    """4 -> 'IV': outline numbering in Roman numerals (ODT, DOCX, Word's HTML)."""
    out = ""
    for value, letters in [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                           (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]:
        while number >= value:
            out += letters
            number -= value
    return out


def letter_numeral(number: int) -> str:
    """1 -> 'a', 27 -> 'aa': outline numbering in letters."""
    out = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


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
        raise IngestError(f"Datei zu groß ({megabytes(info.st_size)}; erlaubt sind höchstens {megabytes(max_bytes)})")
    return info


def unsupported_message(suffix: str) -> str:
    return f"nicht unterstützter Dateityp '{suffix}' (erlaubt: {ACCEPTED})"


def read_document(path: Path, max_bytes: int = MAX_BYTES, budget: Budget | None = None) -> DocumentText:
    """The text of a file of any type in `READERS`; raises IngestError with a reason a user understands.

    Text files are read in pieces by their reader; every other file is read whole (it is at most
    `max_bytes`) and its reader checks what it would unpack against the file's `budget`."""
    path = Path(path)
    suffix = path.suffix.lower()
    reader = BY_SUFFIX.get(suffix)
    if reader is None:
        raise IngestError(unsupported_message(suffix or path.name))
    check_file(path, max_bytes)
    budget = budget or Budget()
    data = None
    if not reader.streams:
        try:
            with open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        except OSError as exc:
            raise IngestError(f"nicht lesbar ({exc.strerror or exc})") from exc
        if len(data) > max_bytes:
            raise IngestError(f"Datei zu groß (erlaubt sind höchstens {megabytes(max_bytes)})")
        if not data:
            raise IngestError("leere Datei")
    try:
        return reader.read(path, data, budget)
    except IngestError:
        raise
    except RecursionError as exc:
        raise IngestError("Datei nicht lesbar (zu tief verschachtelt oder Selbstbezug)") from exc
    except MemoryError as exc:
        raise IngestError("Datei nicht lesbar (zu viel Speicher nötig)") from exc
    except OSError as exc:
        raise IngestError(f"nicht lesbar ({exc.strerror or exc})") from exc
    except Exception as exc:  # any library error on one odd file becomes a reason, never a crash
        raise IngestError(f"Datei nicht lesbar ({short_reason(exc)})") from exc


def short_reason(exc: BaseException) -> str:
    message = " ".join(str(exc).split())
    if len(message) > 120:
        message = message[:117] + "…"
    return f"{exc.__class__.__name__}: {message}" if message else exc.__class__.__name__
