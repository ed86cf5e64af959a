"""Word files (.docx) to text with python-docx: paragraphs and tables in body order, headings on lines
of their own, and list markers that Word numbers itself ("1.", "a)", "I.", "(1)", bullets) written out."""

from __future__ import annotations

import io
import zipfile

from ingest.limits import Budget, open_archive
from ingest.readers import (MIN_TEXT_CHARS, DocumentText, IngestError, cell_text, clean_lines, letter_numeral,
                            roman_numeral, short_reason, table_lines)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
BULLET = "•"
INDENT = "  "
FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def read_docx(path, data: bytes, budget: Budget | None = None) -> DocumentText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise IngestError("altes Word-Format mit Endung .docx; bitte als DOCX oder PDF speichern")
        raise IngestError("keine Word-Datei (Inhalt passt nicht zur Endung .docx)")
    open_archive(data, "Word-Datei", budget).close()  # declared sizes checked before python-docx unpacks a part
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise IngestError(f"beschädigte Word-Datei ({short_reason(exc)})") from exc
    numbering = Numbering(document)
    parts: list[str] = []  # paragraphs and tables; list items of one list stay together
    list_lines: list[str] = []

    def end_list() -> None:
        if list_lines:
            parts.append("\n".join(list_lines))
            list_lines.clear()

    for element in _body_elements(document.element.body):
        if element.tag == f"{W}tbl":
            end_list()
            rows = _table_rows(element)
            if rows:
                parts.append(table_lines(rows))
            continue
        text = _paragraph_text(element)
        marker, level = numbering.marker(element)
        if marker is None:
            end_list()
            if text.strip():
                parts.append(text.strip())
            continue
        if not text.strip():
            continue
        item = f"{marker} {text.strip()}" if marker else text.strip()
        list_lines.append(INDENT * level + item)
    end_list()
    text = clean_lines("\n\n".join(parts))
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError("leere Datei" if not text else "Datei enthält fast keinen Text")
    return DocumentText(text, [])


def _body_elements(container):
    """Paragraphs and tables in document order, also inside content controls (w:sdt)."""
    for child in container.iterchildren():
        if child.tag in (f"{W}p", f"{W}tbl"):
            yield child
        elif child.tag == f"{W}sdt":
            content = child.find(f"{W}sdtContent")
            if content is not None:
                yield from _body_elements(content)


def _paragraph_text(paragraph) -> str:
    """The visible text of a w:p: runs, hyperlinks, tabs and line breaks; deleted text left out."""
    pieces: list[str] = []
    for node in paragraph.iter():
        if node.tag == f"{W}t":
            if not any(a.tag in (f"{W}del", FALLBACK) for a in node.iterancestors()):
                pieces.append(node.text or "")  # a text box's Fallback copy would repeat its text
        elif node.tag == f"{W}tab" and node.getparent().tag == f"{W}r":  # not a tab stop definition
            pieces.append(" ")
        elif node.tag in (f"{W}br", f"{W}cr"):
            pieces.append("\n")
        elif node.tag == f"{W}noBreakHyphen":
            pieces.append("-")
    return "".join(pieces)


def _table_rows(table) -> list[list[str]]:
    rows = []
    for row in table.iterchildren(f"{W}tr"):
        cells = []
        for cell in row.iterchildren(f"{W}tc"):
            paragraphs = [_paragraph_text(p) for p in cell.iter(f"{W}p")]
            cells.append(cell_text(" ".join(paragraphs)))
        if cells:
            rows.append(cells)
    return rows


# --- Word numbering ---------------------------------------------------------------------------------



def format_number(number: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return letter_numeral(number)
    if fmt == "upperLetter":
        return letter_numeral(number).upper()
    if fmt == "lowerRoman":
        return roman_numeral(number).lower()
    if fmt == "upperRoman":
        return roman_numeral(number)
    if fmt in ("none", ""):
        return ""
    if fmt == "decimalZero":
        return f"{number:02d}"
    return str(number)  # decimal, decimalZero and unknown formats


class Numbering:
    """The numbering definitions of a document and the running counters of each list."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, dict]] = {}  # numId -> ilvl -> {fmt, text, start}
        self.counters: dict[str, dict[int, int]] = {}
        try:
            self.styles = document.styles.element
        except (KeyError, AttributeError, NotImplementedError):
            self.styles = None
        try:
            root = document.part.numbering_part.element
        except (KeyError, NotImplementedError, AttributeError):
            root = None
        if root is None:
            return
        abstract: dict[str, dict[int, dict]] = {}
        style_links: dict[str, str] = {}  # abstractNumId -> list style whose numbering it uses
        for definition in root.iterchildren(f"{W}abstractNum"):
            levels = {}
            for lvl in definition.iterchildren(f"{W}lvl"):
                levels[int(lvl.get(f"{W}ilvl", "0"))] = _level(lvl)
            abstract_id = definition.get(f"{W}abstractNumId")
            abstract[abstract_id] = levels
            link = definition.find(f"{W}numStyleLink")
            if link is not None and not levels:
                style_links[abstract_id] = link.get(f"{W}val")
        num_to_abstract = {
            num.get(f"{W}numId"): num.find(f"{W}abstractNumId").get(f"{W}val")
            for num in root.iterchildren(f"{W}num") if num.find(f"{W}abstractNumId") is not None
        }
        for abstract_id, style_id in style_links.items():
            style = self._style(style_id)
            num_pr = style.find(f"{W}pPr/{W}numPr") if style is not None else None
            num_id = num_pr.find(f"{W}numId") if num_pr is not None else None
            if num_id is not None:
                abstract[abstract_id] = abstract.get(num_to_abstract.get(num_id.get(f"{W}val")), {})
        for num in root.iterchildren(f"{W}num"):
            ref = num.find(f"{W}abstractNumId")
            if ref is None:
                continue
            levels = {k: dict(v) for k, v in abstract.get(ref.get(f"{W}val"), {}).items()}
            for override in num.iterchildren(f"{W}lvlOverride"):
                ilvl = int(override.get(f"{W}ilvl", "0"))
                lvl = override.find(f"{W}lvl")
                if lvl is not None:
                    levels[ilvl] = _level(lvl)
                start = override.find(f"{W}startOverride")
                if start is not None and ilvl in levels:
                    levels[ilvl]["start"] = int(start.get(f"{W}val", "1"))
            self.levels[num.get(f"{W}numId")] = levels

    def _style(self, style_id: str):
        if self.styles is None:
            return None
        return next((s for s in self.styles.iterchildren(f"{W}style") if s.get(f"{W}styleId") == style_id), None)

    def _numbering_of(self, paragraph) -> tuple[str | None, int]:
        """numId and level of a paragraph: its own numPr, completed from its style (and the styles
        that style is based on); Word often sets only the level on the paragraph."""
        num_id: str | None = None
        level: int | None = None
        ppr = paragraph.find(f"{W}pPr")
        candidates = [ppr.find(f"{W}numPr")] if ppr is not None else []
        style = ppr.find(f"{W}pStyle") if ppr is not None else None
        style_id = style.get(f"{W}val") if style is not None else None
        seen = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            definition = self._style(style_id)
            if definition is None:
                break
            candidates.append(definition.find(f"{W}pPr/{W}numPr"))
            based = definition.find(f"{W}basedOn")
            style_id = based.get(f"{W}val") if based is not None else None
        for num_pr in candidates:
            if num_pr is None:
                continue
            if num_id is None and num_pr.find(f"{W}numId") is not None:
                num_id = num_pr.find(f"{W}numId").get(f"{W}val")
            if level is None and num_pr.find(f"{W}ilvl") is not None:
                level = int(num_pr.find(f"{W}ilvl").get(f"{W}val", "0"))
        return num_id, level or 0

    def marker(self, paragraph) -> tuple[str | None, int]:
        """The list marker Word shows before this paragraph ("a)", "•", …) and its level; (None, 0) if none."""
        num_id, level = self._numbering_of(paragraph)
        if not num_id or num_id == "0" or num_id not in self.levels:
            return None, 0
        levels = self.levels[num_id]
        definition = levels.get(level, {"fmt": "decimal", "text": f"%{level + 1}.", "start": 1})
        counters = self.counters.setdefault(num_id, {})
        counters[level] = counters.get(level, definition["start"] - 1) + 1
        for deeper in [k for k in counters if k > level]:
            del counters[deeper]
        if definition["fmt"] == "bullet":
            return BULLET, level

        def number_of(match_level: int) -> str:
            own = levels.get(match_level, {"fmt": "decimal", "start": 1})
            value = counters.get(match_level, own["start"])
            return format_number(value, own["fmt"])

        text = definition["text"]
        for ilvl in range(9):
            text = text.replace(f"%{ilvl + 1}", number_of(ilvl))
        return text.strip(), level


def _level(lvl) -> dict:
    fmt = lvl.find(f"{W}numFmt")
    text = lvl.find(f"{W}lvlText")
    start = lvl.find(f"{W}start")
    return {
        "fmt": fmt.get(f"{W}val", "decimal") if fmt is not None else "decimal",
        "text": text.get(f"{W}val", "") if text is not None else "",
        "start": int(start.get(f"{W}val", "1")) if start is not None else 1,
    }
