"""Split an agreement's text into its structure: § sections with titles, and the paragraphs under each.

A paragraph is one chunk. A list (the projects by Maßnahmenart) stays one chunk together with the
sentence that introduces it. The signature block at the end is a chunk of its own ("Unterschriften").
Works on text files (blank lines between paragraphs) and on PDF text (page breaks, wrapped lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

HEAD = "Kopf"
PREAMBLE = "Präambel"
SIGNATURES = "Unterschriften"

_SECTION = re.compile(r"^§\s*(\d+[a-z]?)\b\.?\s*(.*)$")
_PREAMBLE = re.compile(r"^Pr(ä|ae)ambel\b", re.IGNORECASE)
_SIGN = re.compile(r"^([A-ZÄÖÜ][\wäöüß .\-/()]{1,60}?),\s*(?:den\s+|am\s+)?\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4}$")
_CATEGORY = re.compile(r"^\d{1,2}\.\s+\S")
_BULLET = re.compile(r"^(?:[-–—•▪◦*·]|o(?=\s))\s*")
_PAGE_FURNITURE = re.compile(r"^(?:Seite\s+\d+(?:\s+von\s+\d+)?|[-–]\s*\d{1,3}\s*[-–]|\d{1,3})$", re.IGNORECASE)
_TERMINAL = tuple(".!?:;\"“”)»'")
HEADING_MAX = 80
CONTINUATION_MIN = 60


@dataclass
class Block:
    section: str
    title: str
    text: str
    start: int
    end: int
    is_list: bool = False


@dataclass
class _Paragraph:
    lines: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0
    is_list: bool = False

    @property
    def text(self) -> str:
        return ("\n" if self.is_list else " ").join(self.lines)

    def looks_like_heading(self) -> bool:
        text = self.text
        return not self.is_list and len(text) <= HEADING_MAX and not text.endswith(_TERMINAL)

    def is_unfinished(self) -> bool:
        text = self.text
        return not self.is_list and len(text) >= CONTINUATION_MIN and not text.endswith(_TERMINAL)


def _is_heading(rest: str) -> bool:
    """'§ 4' or '§ 4 Haushaltsmittel' start a section; '§ 4 der Vereinbarung erhält folgende Fassung: …' does not."""
    rest = rest.strip()
    return not rest or (len(rest) <= HEADING_MAX and rest[0].isupper() and not rest.endswith(_TERMINAL))


def _lines_with_offsets(text: str):
    offset = 0
    for line in text.split("\n"):
        yield line.strip(), offset, offset + len(line)
        offset += len(line) + 1


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    section, title = HEAD, ""
    expect_title = False
    para: _Paragraph | None = None
    pending_heading: _Paragraph | None = None
    gap = False

    def emit(p: _Paragraph) -> None:
        blocks.append(Block(section, title, p.text, p.start, p.end, p.is_list))

    def flush() -> None:
        nonlocal para, pending_heading
        if para is None:
            return
        if section not in (HEAD, SIGNATURES) and para.looks_like_heading():
            if pending_heading is not None:
                emit(pending_heading)
            pending_heading = para
        else:
            if pending_heading is not None:
                para.lines.insert(0, pending_heading.text + (":" if not para.is_list else ""))
                para.start = pending_heading.start
                pending_heading = None
            emit(para)
        para = None

    def close_section() -> None:
        nonlocal pending_heading
        flush()
        if pending_heading is not None:
            emit(pending_heading)
            pending_heading = None

    def start(line: str, begin: int, end: int, is_list: bool = False) -> None:
        nonlocal para
        para = _Paragraph([line], begin, end, is_list)

    for line, begin, end in _lines_with_offsets(text):
        if not line:
            gap = True
            continue
        if _PAGE_FURNITURE.match(line) and section != HEAD:
            continue
        was_gap, gap = gap, False

        if section == SIGNATURES:
            para.lines.append(line)
            para.end = end
            continue
        if (match := _SECTION.match(line)) and _is_heading(match.group(2)):
            close_section()
            section, title = f"§ {match.group(1)}", match.group(2).strip()
            expect_title = not title
            continue
        if expect_title:
            expect_title = False
            if len(line) <= HEADING_MAX and not line.endswith("."):
                title = line
                continue
        if _PREAMBLE.match(line) and section == HEAD:
            close_section()
            section, title = PREAMBLE, ""
            rest = _PREAMBLE.sub("", line).strip(" :")
            if rest:
                start(rest, begin, end)
            continue
        if _SIGN.match(line):
            close_section()
            section, title = SIGNATURES, ""
            start(line, begin, end, is_list=True)
            continue
        if section == HEAD:
            if para is None:
                start(line, begin, end, is_list=True)
            else:
                para.lines.append(line)
                para.end = end
            continue

        is_item = bool(_BULLET.match(line) or _CATEGORY.match(line))
        if is_item:
            if para is not None and (para.is_list or para.text.endswith(":")):
                para.is_list = True
                para.lines.append(line)
                para.end = end
            else:
                flush()
                start(line, begin, end, is_list=True)
            continue
        if para is None:
            start(line, begin, end)
        elif para.is_list:
            if not was_gap or not (len(line) >= CONTINUATION_MIN or line.endswith(_TERMINAL)):
                para.lines[-1] += " " + line  # a wrapped list item
                para.end = end
            else:
                flush()
                start(line, begin, end)
        elif not was_gap or para.is_unfinished():
            para.lines[-1] += " " + line  # a wrapped line or a paragraph broken by a page
            para.end = end
        else:
            flush()
            start(line, begin, end)
    close_section()
    return [b for b in blocks if b.text.strip()]
