"""OpenDocument text (.odt, .ott, flat .fodt) to text, from the ODF structure itself.

Read with lxml from the archive's content.xml and styles.xml (after `ingest.limits` has checked the
archive's declared sizes; no DTD, no entities, no network): paragraphs, tables and lists in body order;
headings numbered as the outline style numbers them ("§ 5" from a prefix "§ " and format "1"); list
markers computed from the list styles ("1.", "a)", "I.", bullets) with their nesting; table rows as
"cell | cell". Tables of contents, footnotes, annotations, tracked deletions and hidden text are left out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.limits import Budget, open_archive, read_part
from ingest.readers import (MIN_TEXT_CHARS, DocumentText, IngestError, cell_text, clean_lines, letter_numeral,
                            roman_numeral, table_lines)

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
DRAW = "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}"
MANIFEST = "{urn:oasis:names:tc:opendocument:xmlns:manifest:1.0}"
BULLET = "•"
INDENT = "  "
WHAT = "ODT-Datei"
TEXT_TYPES = ("application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.text-template",
              "application/vnd.oasis.opendocument.text-master")
OTHER_TYPES = {"spreadsheet": "eine Tabelle (ODS)", "presentation": "eine Präsentation (ODP)",
               "graphics": "eine Zeichnung (ODG)", "formula": "eine Formel (ODF)"}
_SPACES = re.compile(r"\s+")  # ODF collapses white space in text; text:s and text:tab stand for what is kept
MAX_REPEAT = 50  # a cell or row "repeated 1024 times" (spreadsheet habit) is written at most this often
# Left out with everything inside: tables of contents and indexes, notes, comments, tracked deletions, hidden text
SKIPPED = {f"{TEXT}{name}" for name in (
    "table-of-content", "alphabetical-index", "illustration-index", "table-index", "object-index", "user-index",
    "bibliography", "note", "tracked-changes", "hidden-text", "hidden-paragraph", "sequence-decls",
    "variable-decls", "user-field-decls", "dde-connection-decls", "number")} | {
    f"{OFFICE}annotation", f"{OFFICE}annotation-end", f"{OFFICE}forms", f"{TABLE}table-columns",
    f"{TABLE}table-column", f"{TABLE}table-column-group", f"{TABLE}table-header-columns"}


def parse_xml(data: bytes, name: str):
    """An XML part as a tree, refusing any document type declaration (ODF needs none; it is where
    entity expansion and external references would come from)."""
    from lxml import etree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise IngestError(f"{WHAT} abgelehnt: {name} enthält eine DTD/Entitäten (nicht erlaubt)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True, remove_pis=True)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"beschädigte {WHAT} ({name}: {exc})") from exc


def read_odt(path, data: bytes, budget: Budget | None = None) -> DocumentText:
    budget = budget or Budget()
    if data.lstrip()[:5] == b"<?xml" or data.lstrip()[:1] == b"<":  # flat ODT: one XML file
        if len(data) > budget.max_xml_part:
            raise IngestError(f"{WHAT} abgelehnt: größer als {budget.max_xml_part // (1024 * 1024)} MB XML")
        root = parse_xml(data, "die Datei")
        return _document(root, root, budget)
    if not data.startswith(b"PK"):
        if data.startswith(b"\xd0\xcf\x11\xe0"):
            raise IngestError("keine ODT-Datei (altes Word-Format mit Endung .odt); bitte als ODT, DOCX oder PDF speichern")
        raise IngestError("keine ODT-Datei (Inhalt passt nicht zur Endung)")
    with open_archive(data, WHAT, budget) as archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = read_part(archive, "mimetype", WHAT, 1024).decode("ascii", "replace").strip()
            if mimetype not in TEXT_TYPES:
                kind = next((v for k, v in OTHER_TYPES.items() if k in mimetype), mimetype or "unbekannt")
                raise IngestError(f"kein Textdokument: {kind}; bitte als ODT, DOCX oder PDF speichern")
        if "content.xml" not in names:
            raise IngestError(f"beschädigte {WHAT} (content.xml fehlt)")
        if "META-INF/manifest.xml" in names:
            manifest = read_part(archive, "META-INF/manifest.xml", WHAT, budget.max_xml_part)
            if b"encryption-data" in manifest:
                raise IngestError(f"verschlüsselte {WHAT} (Kennwortschutz); bitte ohne Kennwort speichern")
        content = parse_xml(read_part(archive, "content.xml", WHAT, budget.max_xml_part), "content.xml")
        styles = None
        if "styles.xml" in names:
            styles = parse_xml(read_part(archive, "styles.xml", WHAT, budget.max_xml_part), "styles.xml")
    return _document(content, styles, budget)


# --- styles -------------------------------------------------------------------------------------------

@dataclass
class Level:
    """How one level of a list or of the outline is numbered."""

    bullet: bool = False
    fmt: str = "1"  # ODF style:num-format: "1", "a", "A", "i", "I", "" (no number)
    prefix: str = ""
    suffix: str = ""
    display: int = 1  # how many levels the number shows ("1.2")
    start: int = 1


def _level(element) -> Level:
    if element.tag in (f"{TEXT}list-level-style-bullet", f"{TEXT}list-level-style-image"):
        return Level(bullet=True)
    try:
        display = max(1, int(element.get(f"{TEXT}display-levels", "1")))
        start = int(element.get(f"{TEXT}start-value", "1"))
    except ValueError:
        display, start = 1, 1
    return Level(fmt=element.get(f"{STYLE}num-format", "1"), prefix=element.get(f"{STYLE}num-prefix", ""),
                 suffix=element.get(f"{STYLE}num-suffix", ""), display=display, start=start)


def _levels(style) -> dict[int, Level]:
    levels = {}
    for child in style:
        if child.tag in (f"{TEXT}list-level-style-number", f"{TEXT}list-level-style-bullet",
                         f"{TEXT}list-level-style-image", f"{TEXT}outline-level-style"):
            try:
                levels[int(child.get(f"{TEXT}level", "1")) - 1] = _level(child)
            except ValueError:
                continue
    return levels


@dataclass
class Styles:
    lists: dict[str, dict[int, Level]] = field(default_factory=dict)  # list style name -> level -> Level
    outline: dict[int, Level] = field(default_factory=dict)
    outline_name: str = ""
    paragraph_lists: dict[str, str] = field(default_factory=dict)  # paragraph style -> its list style
    parents: dict[str, str] = field(default_factory=dict)  # paragraph style -> the style it is based on

    def read(self, root) -> None:
        if root is None:
            return
        for container in (root.find(f"{OFFICE}styles"), root.find(f"{OFFICE}automatic-styles")):
            if container is None:
                continue
            for style in container:
                name = style.get(f"{STYLE}name", "")
                if style.tag == f"{TEXT}list-style":
                    self.lists[name] = _levels(style)
                elif style.tag == f"{TEXT}outline-style":
                    self.outline = _levels(style)
                    self.outline_name = name or "Outline"
                elif style.tag == f"{STYLE}style":
                    if style.get(f"{STYLE}list-style-name"):
                        self.paragraph_lists[name] = style.get(f"{STYLE}list-style-name")
                    if style.get(f"{STYLE}parent-style-name"):
                        self.parents[name] = style.get(f"{STYLE}parent-style-name")

    def list_of_paragraph(self, style_name: str | None) -> str | None:
        seen = set()
        while style_name and style_name not in seen:
            seen.add(style_name)
            if style_name in self.paragraph_lists:
                return self.paragraph_lists[style_name]
            style_name = self.parents.get(style_name)
        return None


# --- numbers -----------------------------------------------------------------------------------------



def format_number(number: int, fmt: str) -> str:
    if fmt == "":
        return ""
    if fmt == "a":
        return letter_numeral(number)
    if fmt == "A":
        return letter_numeral(number).upper()
    if fmt == "i":
        return roman_numeral(number).lower()
    if fmt == "I":
        return roman_numeral(number)
    return str(number)  # "1" and anything unknown


class Counter:
    """Running numbers of one list (or of the outline) per level."""

    def __init__(self, levels: dict[int, Level]):
        self.levels = levels
        self.values: dict[int, int] = {}

    def level(self, depth: int) -> Level:
        return self.levels.get(depth) or Level(fmt="1", suffix=".")

    def next(self, depth: int, start: int | None = None) -> str:
        """The marker of the next item at `depth` (0-based); deeper levels start again."""
        own = self.level(depth)
        for deeper in [k for k in self.values if k > depth]:
            del self.values[deeper]
        self.values[depth] = start if start is not None else self.values.get(depth, own.start - 1) + 1
        if own.bullet:
            return BULLET
        if own.fmt == "":
            return (own.prefix + own.suffix).strip()
        shown = range(max(0, depth - own.display + 1), depth + 1)
        number = ".".join(format_number(self.values.get(d, self.level(d).start), self.level(d).fmt or "1")
                          for d in shown)
        return (own.prefix + number + own.suffix).strip()


# --- body --------------------------------------------------------------------------------------------

class _Body:
    """Walks office:text and collects the parts: paragraphs, headings, lists (lines joined), tables."""

    def __init__(self, styles: Styles, budget: Budget):
        self.styles = styles
        self.budget = budget
        self.parts: list[str] = []
        self.list_lines: list[str] = []
        self.outline = Counter(styles.outline)
        self.counters: dict[str, Counter] = {}  # list style -> running numbers, continued across lists
        self.by_id: dict[str, Counter] = {}
        self.seen = 0

    def tick(self) -> None:
        self.seen += 1
        if self.seen % 2000 == 0:
            self.budget.check_time()

    def end_list(self) -> None:
        if self.list_lines:
            self.parts.append("\n".join(self.list_lines))
            self.list_lines = []

    def blocks(self, container) -> None:
        for element in container:
            self.tick()
            tag = element.tag
            if tag in SKIPPED or not isinstance(tag, str):
                continue
            if tag == f"{TEXT}p":
                self.end_list()
                self.paragraph(element)
            elif tag == f"{TEXT}h":
                self.end_list()
                self.heading(element, None)
            elif tag == f"{TEXT}list":
                self.end_list()
                self.list(element, None, None, 0)
                self.end_list()
            elif tag == f"{TABLE}table":
                self.end_list()
                rows = self.table(element)
                if rows:
                    self.parts.append(table_lines(rows))
            elif tag in (f"{TEXT}section", f"{TEXT}index-body", f"{OFFICE}text", f"{TEXT}soft-page-break"):
                self.blocks(element)
            elif tag == f"{DRAW}frame" or tag == f"{DRAW}text-box":
                self.blocks(element)
        self.end_list()

    def paragraph(self, element) -> None:
        text, boxes = self.inline(element)
        if text.strip():
            self.parts.append(text.strip())
        for box in boxes:
            self.blocks(box)

    def heading(self, element, marker: str | None) -> str:
        text, boxes = self.inline(element)
        if marker is None:
            marker = self.heading_number(element)
        line = f"{marker} {text.strip()}".strip() if text.strip() else ""
        if line:
            self.parts.append(line)
        for box in boxes:
            self.blocks(box)
        return line

    def heading_number(self, element) -> str:
        cached = element.find(f"{TEXT}number")
        try:
            depth = max(0, int(element.get(f"{TEXT}outline-level", "1")) - 1)
        except ValueError:
            depth = 0
        if element.get(f"{TEXT}is-list-header") == "true":
            return ""
        start = None
        if element.get(f"{TEXT}restart-numbering") == "true":
            try:
                start = int(element.get(f"{TEXT}start-value", "1"))
            except ValueError:
                start = 1
        computed = self.outline.next(depth, start) if self.styles.outline else ""
        if cached is not None and (cached.text or "").strip():
            return cached.text.strip()  # what the writing program showed
        return computed

    def list(self, element, style: str | None, counter: Counter | None, depth: int) -> None:
        own_style = element.get(f"{TEXT}style-name") or style
        if own_style is None:  # the list style may come from its first paragraph's style
            first = element.find(f".//{TEXT}p")
            own_style = self.styles.list_of_paragraph(first.get(f"{TEXT}style-name")) if first is not None else None
        if counter is None:
            key = own_style or ""
            if element.get(f"{TEXT}continue-list") and element.get(f"{TEXT}continue-list") in self.by_id:
                counter = self.by_id[element.get(f"{TEXT}continue-list")]
            elif element.get(f"{TEXT}continue-numbering") == "true" and key in self.counters:
                counter = self.counters[key]
            else:
                levels = self.styles.outline if own_style and own_style == self.styles.outline_name else \
                    self.styles.lists.get(key, {})
                counter = Counter(levels)
            self.counters[key] = counter
            xml_id = element.get("{http://www.w3.org/XML/1998/namespace}id")
            if xml_id:
                self.by_id[xml_id] = counter
        outline_list = bool(own_style) and own_style == self.styles.outline_name
        for item in element:
            self.tick()
            if item.tag not in (f"{TEXT}list-item", f"{TEXT}list-header"):
                continue
            header = item.tag == f"{TEXT}list-header"
            start = None
            if item.get(f"{TEXT}start-value"):
                try:
                    start = int(item.get(f"{TEXT}start-value"))
                except ValueError:
                    start = None
            first = True
            for child in item:
                self.tick()
                if child.tag in SKIPPED or not isinstance(child.tag, str):
                    continue
                if child.tag == f"{TEXT}list":
                    self.list(child, own_style, counter, depth + 1)
                elif child.tag == f"{TEXT}h":
                    self.end_list()
                    if outline_list or header:  # a numbered heading written inside the outline's list
                        self.heading(child, "" if header else None)
                    else:
                        self.heading(child, counter.next(depth, start) if first else "")
                elif child.tag == f"{TEXT}p":
                    text, boxes = self.inline(child)
                    marker = ""
                    if first and not header:
                        cached = child.find(f"{TEXT}number")
                        marker = counter.next(depth, start)
                        if cached is not None and (cached.text or "").strip():
                            marker = cached.text.strip()
                    if text.strip():
                        self.list_lines.append(INDENT * depth + f"{marker} {text.strip()}".strip())
                    for box in boxes:
                        self.end_list()
                        self.blocks(box)
                elif child.tag == f"{TABLE}table":
                    self.end_list()
                    rows = self.table(child)
                    if rows:
                        self.parts.append(table_lines(rows))
                first = False

    def table(self, element) -> list[list[str]]:
        rows: list[list[str]] = []
        for row in _rows(element):
            self.tick()
            cells: list[str] = []
            for cell in row:
                if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
                    continue
                text = cell_text(" ".join(self.cell_texts(cell)))
                repeat = _int(cell.get(f"{TABLE}number-columns-repeated"), 1)
                cells.extend([text] * min(repeat, MAX_REPEAT))
            while cells and not cells[-1] and len(cells) > 1:
                cells.pop()  # the empty cells a spreadsheet-like table carries at its end
            if any(cells):
                repeat = _int(row.get(f"{TABLE}number-rows-repeated"), 1)
                rows.extend([cells] * min(repeat, MAX_REPEAT))
        return rows

    def cell_texts(self, cell) -> list[str]:
        out = []
        for child in cell.iter(f"{TEXT}p", f"{TEXT}h"):
            if any(a.tag in SKIPPED for a in child.iterancestors()):
                continue
            text, _ = self.inline(child, keep_boxes=False)
            if text.strip():
                out.append(text.strip())
        return out

    def inline(self, element, keep_boxes: bool = True) -> tuple[str, list]:
        """The visible text of a paragraph or heading, and text boxes anchored in it (read after it)."""
        pieces: list[str] = []
        boxes: list = []

        def walk(node) -> None:
            if node.text:
                pieces.append(_SPACES.sub(" ", node.text))
            for child in node:
                self.tick()
                tag = child.tag
                if not isinstance(tag, str) or tag in SKIPPED:
                    pass
                elif tag == f"{TEXT}s":
                    pieces.append(" " * min(_int(child.get(f"{TEXT}c"), 1), 20))
                elif tag == f"{TEXT}tab":
                    pieces.append(" ")
                elif tag == f"{TEXT}line-break":
                    pieces.append("\n")
                elif tag == f"{DRAW}frame":
                    if keep_boxes:
                        boxes.extend(child.iter(f"{DRAW}text-box"))
                else:
                    walk(child)
                if child.tail:
                    pieces.append(_SPACES.sub(" ", child.tail))

        walk(element)
        text = "".join(pieces)
        return "\n".join(line.strip() for line in text.split("\n")), boxes


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, int(value)) if value is not None else default
    except ValueError:
        return default


def _rows(table):
    for child in table:
        if child.tag == f"{TABLE}table-row":
            yield child
        elif child.tag in (f"{TABLE}table-header-rows", f"{TABLE}table-rows", f"{TABLE}table-row-group"):
            yield from _rows(child)


def _document(content, styles_root, budget: Budget) -> DocumentText:
    styles = Styles()
    styles.read(styles_root)
    if styles_root is not content:
        styles.read(content)  # automatic styles of the content (lists defined in the text itself)
    body = content.find(f"{OFFICE}body")
    text_root = body.find(f"{OFFICE}text") if body is not None else None
    if text_root is None:
        if body is not None and len(body):
            kind = next((v for k, v in OTHER_TYPES.items() if body[0].tag == f"{OFFICE}{k}"), "kein Text")
            raise IngestError(f"kein Textdokument: {kind}; bitte als ODT, DOCX oder PDF speichern")
        raise IngestError(f"beschädigte {WHAT} (kein Textkörper)")
    walker = _Body(styles, budget)
    walker.blocks(text_root)
    text = clean_lines("\n\n".join(walker.parts))
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError("leere Datei" if not text else "Datei enthält fast keinen Text")
    return DocumentText(text, [])
