"""RTF files (Word, WordPad, LibreOffice) to text, from the RTF structure.

A small tokenizer reads groups, control words and text: paragraphs end at \\par, list items get the
marker the writing program rendered into their {\\listtext …} group ("1.", "a)", a bullet; a symbol-font
bullet such as Wingdings' "§" becomes "•", never a §), nested by \\ilvl; table cells (\\cell) and rows
(\\row) become "cell | cell" lines. Text is decoded by the document's and each font's code page and \\u
escapes. Font, colour and style tables, pictures, headers and footers, footnotes, field instructions,
hidden and deleted text and every ignorable {\\* …} group are left out. No recursion: any nesting depth
is refused above a limit instead of overflowing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ingest.limits import Budget
from ingest.readers import MIN_TEXT_CHARS, DocumentText, IngestError, cell_text, clean_lines, table_lines

MAX_DEPTH = 1000
BULLET = "•"
INDENT = "  "
# Destinations whose content is not document text (those written {\* …} are skipped anyway)
SKIPPED = {
    "fonttbl", "colortbl", "stylesheet", "info", "pict", "header", "headerl", "headerr", "headerf", "footer",
    "footerl", "footerr", "footerf", "footnote", "annotation", "fldinst", "xe", "tc", "txe", "rxe", "listtable",
    "listoverridetable", "revtbl", "rsidtbl", "generator", "themedata", "colorschememapping", "datastore",
    "latentstyles", "pgdsctbl", "pntxta", "pntxtb", "nonshppict", "shpinst", "objdata", "bkmkstart", "bkmkend",
    "filetbl", "mmathPr", "xmlnstbl", "wgrffmtfilter", "passwordhash", "docvar", "template", "atnid", "atnauthor",
    "atndate", "atnref", "userprops", "background", "fchars", "lchars", "listpicture", "pgdsc",
}
TEXT_WORDS = {
    "tab": " ", "emdash": "—", "endash": "–", "bullet": "•", "lquote": "‘", "rquote": "’", "ldblquote": "“",
    "rdblquote": "”", "emspace": " ", "enspace": " ", "qmspace": " ", "zwj": "", "zwnj": "", "zwbo": "", "zwnbo": "",
}
# \fcharsetN -> code page of the font's \'hh bytes (2 = symbol font)
CHARSETS = {0: "cp1252", 161: "cp1253", 162: "cp1254", 177: "cp1255", 178: "cp1256", 186: "cp1257",
            204: "cp1251", 238: "cp1250", 222: "cp874", 163: "cp1258", 77: "mac_roman", 255: "cp437"}
SYMBOL = "symbol"
_TOKEN = re.compile(rb"\\([a-zA-Z]{1,32})(-?\d{1,10})? ?|\\'([0-9a-fA-F]{2})|\\([^a-zA-Z'])|([{}])|[\r\n]+|([^\\{}\r\n]+)")
_SKIP_SCAN = re.compile(rb"[{}\\]")


@dataclass
class State:
    """Properties that RTF scopes to a group: what is skipped, character and paragraph formatting."""

    skip: bool = False
    destination: str = ""
    uc: int = 1
    hidden: bool = False
    font: int = -1
    in_table: bool = False
    level: int = 0
    listed: bool = False  # \ls: the paragraph belongs to a list


class _Reader:
    def __init__(self, data: bytes, budget: Budget):
        self.data = data
        self.budget = budget
        self.codepage = "cp1252"
        self.default_font = 0
        self.fonts: dict[int, str] = {}  # font number -> code page or SYMBOL
        self.parts: list[str] = []
        self.list_lines: list[str] = []
        self.text: list[str] = []  # the paragraph being read
        self.marker: list[str] = []  # its {\listtext} content
        self.cell_parts: list[str] = []
        self.row: list[str] = []
        self.rows: list[list[str]] = []
        self.font_entry: dict = {}

    # -- output ------------------------------------------------------------------------------------
    def end_list(self) -> None:
        if self.list_lines:
            self.parts.append("\n".join(self.list_lines))
            self.list_lines = []

    def end_table(self) -> None:
        if self.row:
            self.rows.append(self.row)
            self.row = []
        if self.rows:
            self.end_list()
            self.parts.append(table_lines(self.rows))
            self.rows = []

    def paragraph(self, state: State) -> None:
        text = "".join(self.text).strip()
        marker = _marker("".join(self.marker))
        self.text, self.marker = [], []
        if state.in_table:
            if text:
                self.cell_parts.append(text)
            return
        self.end_table()
        if marker or (state.listed and text):
            self.list_lines.append(INDENT * state.level + f"{marker} {text}".strip())
            return
        self.end_list()
        if text:
            self.parts.append(text)

    def cell(self) -> None:
        text = "".join(self.text).strip()
        self.text, self.marker = [], []
        self.row.append(cell_text(" ".join(self.cell_parts + [text])))
        self.cell_parts = []

    # -- reading -----------------------------------------------------------------------------------
    def run(self) -> str:
        data = self.data
        if not data.lstrip()[:5] == b"{\\rtf":
            raise IngestError("keine RTF-Datei (Inhalt passt nicht zur Endung .rtf)")
        stack: list[State] = []
        state = State()
        skip_chars = 0  # characters after \uN that stand in for it
        position, length, tokens = 0, len(data), 0
        while position < length:
            match = _TOKEN.match(data, position)
            if match is None:  # a lone backslash at the end
                break
            position = match.end()
            tokens += 1
            if tokens % 20000 == 0:
                self.budget.check_time()
            word, argument, hexa, symbol, brace, chunk = match.groups()
            if brace == b"{":
                if len(stack) >= MAX_DEPTH:
                    raise IngestError(f"RTF-Datei abgelehnt: mehr als {MAX_DEPTH} Gruppen ineinander")
                stack.append(state)
                state = replace(state)  # a destination goes on into the groups inside it
                if data.startswith(b"\\*", position) or state.skip:
                    position = self._skip_group(position, stack)
                    state = stack.pop()
                continue
            if brace == b"}":
                if state.destination == "fonttbl" and self.font_entry:
                    self._font_done()
                if not stack:
                    break  # the end of the document group
                state = stack.pop()
                continue
            if chunk is not None or hexa is not None:
                if hexa is not None:
                    raw = bytes([int(hexa, 16)])
                else:
                    raw = chunk
                if skip_chars:
                    take = min(skip_chars, len(raw))
                    skip_chars -= take
                    raw = raw[take:]
                    if not raw:
                        continue
                if state.destination == "fonttbl":
                    self.font_entry.setdefault("name", b"")
                    self.font_entry["name"] += raw
                    continue
                if state.skip or state.hidden:
                    continue
                codepage = self._codepage(state)
                text = raw.decode("cp1252" if codepage == SYMBOL else codepage, errors="replace")
                self._append(BULLET if codepage == SYMBOL and state.destination == "listtext" and text.strip() else text,
                             state)
                continue
            if symbol is not None:
                skip_chars = max(0, skip_chars - 1)
                if symbol in (b"\n", b"\r"):
                    self.paragraph(state)
                elif not (state.skip or state.hidden):
                    self._append({b"~": "\u00a0", b"_": "-", b"-": "", b"{": "{", b"}": "}", b"\\": "\\"}.get(symbol, ""), state)
                continue
            if word is None:
                continue  # a line end in the file: not text in RTF
            name = word.decode("ascii")
            value = int(argument) if argument is not None else None
            if skip_chars and name != "bin":
                skip_chars -= 1
                continue
            if name == "bin":
                position += max(0, value or 0)  # binary data: not text
                continue
            position, skip_chars, state = self._word(name, value, state, stack, position, skip_chars)
        self.paragraph(state)
        self.end_table()
        self.end_list()
        text = "\n\n".join(self.parts)
        text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")  # \u pairs beyond the BMP
        return clean_lines(text)

    def _word(self, name: str, value: int | None, state: State, stack: list, position: int, skip_chars: int):
        if name in SKIPPED and name != "fonttbl":
            state.skip = True
            position = self._skip_group(position, stack)
            return position, 0, stack.pop() if stack else state
        if name == "fonttbl":
            state.destination = "fonttbl"
            return position, skip_chars, state
        if state.destination == "fonttbl":
            if name == "f" and value is not None:
                self._font_done()
                self.font_entry = {"number": value}
            elif name == "fcharset" and value is not None:
                self.font_entry["charset"] = value
            return position, skip_chars, state
        if state.skip:
            return position, skip_chars, state
        if name == "u" and value is not None:
            if not state.hidden:
                self._append(chr(value % 65536), state)  # surrogate pairs are joined at the end
            return position, state.uc, state
        if name == "uc" and value is not None:
            state.uc = max(0, value)
        elif name == "ansicpg" and value:
            self.codepage = _known(f"cp{value}", self.codepage)
        elif name == "deff" and value is not None:
            self.default_font = value
        elif name == "f" and value is not None:
            state.font = value
        elif name == "plain":
            state.hidden = False
            state.font = -1
        elif name in ("v", "deleted"):
            state.hidden = value != 0
        elif name == "pard":
            state.in_table, state.level, state.listed = False, 0, False
        elif name == "intbl":
            state.in_table = value != 0
        elif name == "ilvl" and value is not None:
            state.level = max(0, min(value, 8))
        elif name == "ls" and value:
            state.listed = True
        elif name in ("listtext", "pntext"):
            state.destination = "listtext"
        elif name in ("par", "sect", "page", "column"):
            self.paragraph(state)
        elif name == "line":
            self._append("\n", state)
        elif name == "cell":
            self.cell()
        elif name in ("nestcell", "nestrow"):
            self.text.append(" ")
        elif name == "row":
            if "".join(self.text).strip() or self.cell_parts:
                self.cell()
            self.text = []
            if self.row:
                self.rows.append(self.row)
                self.row = []
        elif name in TEXT_WORDS and not state.hidden:
            self._append(TEXT_WORDS[name], state)
        return position, skip_chars, state

    def _append(self, text: str, state: State) -> None:
        (self.marker if state.destination == "listtext" else self.text).append(text)

    def _codepage(self, state: State) -> str:
        font = state.font if state.font >= 0 else self.default_font
        return self.fonts.get(font, self.codepage)

    def _font_done(self) -> None:
        entry, self.font_entry = self.font_entry, {}
        if "number" not in entry:
            return
        name = entry.get("name", b"").decode("latin-1").strip().rstrip(";").lower()
        charset = entry.get("charset", 0)
        if charset == 2 or any(symbol in name for symbol in ("symbol", "wingdings", "webdings", "dingbats")):
            self.fonts[entry["number"]] = SYMBOL
        elif charset in CHARSETS and charset != 0:
            self.fonts[entry["number"]] = _known(CHARSETS[charset], self.codepage)

    def _skip_group(self, position: int, stack: list) -> int:
        """The position after the group that has just been opened (its "{" is before `position`)."""
        depth = 1
        data = self.data
        scans = 0
        while depth:
            found = _SKIP_SCAN.search(data, position)
            if found is None:
                return len(data)
            scans += 1
            if scans % 50000 == 0:
                self.budget.check_time()
            char = data[found.start()]
            position = found.end()
            if char == 0x5C:  # backslash: an escaped brace, or \binN whose bytes may hold braces
                bin_word = re.match(rb"bin(\d{1,10}) ?", data[position : position + 16])
                if bin_word:
                    position += bin_word.end() + int(bin_word.group(1))
                else:
                    position += 1
            elif char == 0x7B:
                depth += 1
                if depth > MAX_DEPTH:
                    raise IngestError(f"RTF-Datei abgelehnt: mehr als {MAX_DEPTH} Gruppen ineinander")
            else:
                depth -= 1
        return position


def _marker(text: str) -> str:
    """The rendered list marker; a bullet of any shape ('·', 'o', a symbol font's '§' or private-use
    character) is '•', as the other readers write it."""
    text = " ".join(text.replace("\u00a0", " ").split())
    if text == "o" or (len(text) == 1 and not text.isalnum()):  # "o" is Word's Courier bullet
        return BULLET
    return text


def _known(codepage: str, fallback: str) -> str:
    import codecs

    try:
        codecs.lookup(codepage)
        return codepage
    except LookupError:
        return fallback


def read_rtf(path, data: bytes, budget: Budget | None = None) -> DocumentText:
    reader = _Reader(data, budget or Budget())
    text = reader.run()
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError("leere Datei" if not text else "Datei enthält fast keinen Text")
    return DocumentText(text, [])
