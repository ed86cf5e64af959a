"""Text and Markdown files, in any common encoding, read as a stream.

The encoding is decided for the whole file before any of it is kept: UTF-32/UTF-16/UTF-8 by their byte
order mark, UTF-16 without a mark by its zero bytes, UTF-8 (a few invalid bytes become U+FFFD), else the
legacy code page that gives the most German letters (Windows, ISO, DOS, old Mac), else what
charset-normalizer finds. Then the file is decoded and cleaned a piece at a time, each piece ending at a
blank line, so a large file is never held as bytes, raw text and cleaned text at once.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from ingest.limits import Budget
from ingest.readers import (
    CELL_SEPARATOR,
    LIST_ITEM,
    MIN_TEXT_CHARS,
    DocumentText,
    IngestError,
    cell_text,
    clean_lines,
    join_hyphenated,
)

MARKDOWN = {".md", ".markdown"}
# Code pages German text files come in besides UTF-8, preferred in this order on a tie
LEGACY_ENCODINGS = ["cp1252", "iso8859_15", "cp850", "mac_roman"]
GERMAN_LETTERS = set("äöüÄÖÜß§€„“–")
ODD_IN_GERMAN = set("¸‹‰ﬂƒ³¤")  # what German text read in the wrong code page shows
PIECE = 1024 * 1024  # bytes read at a time
SAMPLE = 64 * 1024  # bytes looked at to tell UTF-16 without a mark, and given to charset-normalizer

_BOMS = [  # longest first: the UTF-32 LE mark begins with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]


# --- which encoding ----------------------------------------------------------------------------------

def _pieces(path: Path, size: int = PIECE):
    with open(path, "rb") as handle:
        while chunk := handle.read(size):
            yield chunk


def bom_encoding(head: bytes) -> str | None:
    return next((encoding for bom, encoding in _BOMS if head.startswith(bom)), None)


def utf16_without_mark(head: bytes) -> str | None:
    """'utf-16-le' or '-be' when every other byte of the sample is zero (German text in UTF-16 without a mark)."""
    sample = head[: SAMPLE - SAMPLE % 2]
    if len(sample) < 16:
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) > 0.6 * len(odd) and even.count(0) < 0.1 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.6 * len(even) and odd.count(0) < 0.1 * len(odd):
        return "utf-16-be"
    return None


_ODD_CHARS = "".join(sorted(ODD_IN_GERMAN)) + "\ufffd" + "".join(chr(code) for code in range(0x80, 0xA0))


def _german_score(text: str) -> int:
    """German letters minus three times what a wrong code page shows ("str.count" runs at C speed)."""
    letters = sum(text.count(char) for char in GERMAN_LETTERS)
    return letters - 3 * sum(text.count(char) for char in _ODD_CHARS)


def detect_encoding(path: Path, head: bytes) -> str:
    """The encoding of the whole file; reads it once in pieces when the first bytes do not tell."""
    if encoding := bom_encoding(head) or utf16_without_mark(head):
        return encoding
    strict = codecs.getincrementaldecoder("utf-8")()
    try:
        for chunk in _pieces(path):
            strict.decode(chunk)
        strict.decode(b"", final=True)
        return "utf-8"
    except UnicodeDecodeError:
        pass  # a second pass counts what each candidate makes of the file
    lenient = codecs.getincrementaldecoder("utf-8")(errors="replace")
    legacy = {encoding: codecs.getincrementaldecoder(encoding)(errors="replace") for encoding in LEGACY_ENCODINGS}
    invalid, multibyte = 0, 0
    scores = dict.fromkeys(LEGACY_ENCODINGS, 0)
    for chunk in _pieces(path):
        text = lenient.decode(chunk)
        invalid += text.count("\ufffd")
        multibyte += len(text.encode("utf-8")) - len(text) - 2 * text.count("\ufffd")  # > 0 with any non-ASCII
        for encoding, decoder in legacy.items():
            scores[encoding] += _german_score(decoder.decode(chunk))
    invalid += lenient.decode(b"", final=True).count("\ufffd")
    if multibyte and invalid <= max(2, multibyte // 10):
        return "utf-8"  # UTF-8 with a stray bad byte: keep "§" and umlauts, mark the byte
    score, _, encoding = max((scores[e], -rank, e) for rank, e in enumerate(LEGACY_ENCODINGS))
    if score > 0:
        return encoding
    from charset_normalizer import from_bytes

    best = from_bytes(head[:SAMPLE]).best()
    return best.encoding if best is not None else "cp1252"


# --- Markdown and columns ---------------------------------------------------------------------------

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
    text = "\n".join(out)
    text = re.sub(r"(?<!!)\[([^\]\n]+)\]\([^)\s]+\)", r"\1", text)  # [link text](address)
    return re.sub(r"__(?=\S)(.+?)(?<=\S)__", r"\1", text)


_COLUMN_GAP = re.compile(r"(?<=\S)(?:[ ]*\t[\t ]*|[ ]{5,})(?=\S)")


def tab_columns(text: str) -> str:
    """Columns set with tabs (or a wide run of spaces) inside a line become table cells: a project and its
    amount ("* Jobcafé\t\t118.000,00"), two signature blocks side by side ("Wiesbaden, …\t\tKassel, …")."""
    lines = []
    for line in text.split("\n"):
        body = line.strip()
        if CELL_SEPARATOR not in body and _COLUMN_GAP.search(body):
            cells = _COLUMN_GAP.split(body)
            if LIST_ITEM.fullmatch(cells[0] + " "):  # "I.<tab>Ausbildungsvorbereitung": a marker set apart, no column
                cells[:2] = [f"{cells[0]} {cells[1]}"]
            indent = line[: len(line) - len(line.lstrip())].replace("\t", "    ")
            line = indent + CELL_SEPARATOR.join(cells) if len(cells) > 1 else indent + cells[0]
        lines.append(line)
    return "\n".join(lines)


# --- reading ----------------------------------------------------------------------------------------

def _clean_piece(text: str, markdown: bool) -> str:
    """One piece of a file (whole paragraphs) in the readers' shape."""
    if markdown:
        text = markdown_to_text(text)
    text = text.replace("**", "")
    return clean_lines(join_hyphenated(clean_lines(tab_columns(text))))


def _refuse_binary(head: bytes, encoding_known: bool) -> None:
    if head[:5] == b"%PDF-" or (b"\x00" in head[:4096] and not encoding_known):
        raise IngestError("keine Textdatei (Binärinhalt; falsche Endung?)")
    if head[:4] == b"PK\x03\x04":
        raise IngestError("keine Textdatei (ein ZIP-/Office-Dokument; falsche Endung?)")


def read_text(path: Path, budget: Budget | None = None) -> DocumentText:
    """A text or Markdown file in the readers' shape, decoded and cleaned a piece at a time."""
    budget = budget or Budget()
    path = Path(path)
    with open(path, "rb") as handle:
        head = handle.read(SAMPLE)
    _refuse_binary(head, bool(bom_encoding(head) or utf16_without_mark(head)))
    encoding = detect_encoding(path, head)
    markdown = path.suffix.lower() in MARKDOWN
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    cleaned: list[str] = []
    pending = ""
    for chunk in _pieces(path):
        budget.check_time()
        pending += decoder.decode(chunk).replace("\r\n", "\n")
        if pending.endswith("\r"):
            continue  # a CR LF split between two pieces
        pending = pending.replace("\r", "\n")
        cut = pending.rfind("\n\n")  # a piece ends at a blank line: no list, table or hyphen spans it
        if cut > 0:
            cleaned.append(_clean_piece(pending[:cut], markdown))
            pending = pending[cut + 2 :]
    pending = (pending + decoder.decode(b"", final=True)).replace("\r\n", "\n").replace("\r", "\n")
    cleaned.append(_clean_piece(pending, markdown))
    text = "\n\n".join(piece for piece in cleaned if piece)
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError("leere Datei" if not text else "Datei enthält fast keinen Text")
    return DocumentText(text, [])
