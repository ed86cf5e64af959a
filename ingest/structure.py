"""Split a document's text into its structure: § sections with titles, and the paragraphs under each.

A paragraph is one chunk; paragraphs longer than `PARAGRAPH_CAP` are split at sentence ends. A list
(items with any marker, unmarked lines under an introducing sentence, or a table written one row a
line with " | " between cells) stays one chunk together with the sentence that introduces it. The
signature block is a chunk of its own ("Unterschriften"); what follows it ("Anlage 1 …") becomes
sections of their own. Works on text files (blank lines between paragraphs) and on PDF text (page
breaks, wrapped lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from domain.records import NUMBERED_SECTIONS

HEAD = "Kopf"
APPENDED = "Nachtrag"  # an amendment appended after the signatures inside the agreement's own file
BODY = "Text"  # prose of a document without § sections (a Bescheid, a Sachbericht …)
PREAMBLE = "Präambel"
SIGNATURES = "Unterschriften"

PARAGRAPH_CAP = 1500
HEADING_MAX = 80
CONTINUATION_MIN = 60
HEAD_PROSE_MIN = 200  # a line this long in the head is prose: the head has ended

_MARKUP = re.compile(r"^(?:#{1,6}\s*|\*\*|__)+|(?:\*\*|__)+$")
_SECTION = re.compile(r"^(§\s*|Paragraph\s+|Artikel\s+|Art\.\s*|Ziffer\s+|Abschnitt\s+)(\d+[a-z]?)\b\s*[.:–—-]?\s*(.*)$",
                      re.IGNORECASE)
_ANNEX = re.compile(r"^Anlage\b\s*(\d+[a-z]?)?\s*[.:–—-]?\s*(.*)$")
_PREAMBLE = re.compile(r"^Pr(ä|ae)ambel\b", re.IGNORECASE)
# a numbered heading of a document without § sections (a Bescheid's "2. Abweichung vom Antrag", minutes' "TOP 3 – …"),
# standing on a line of its own: its number, and its title in capitals without a sentence's end
NUMBERED_HEADING = re.compile(r"^(?P<kind>TOP\s*|Nr\.\s*)?(?P<no>\d{1,2})\.?(?:\s*[–—:-])?\s+(?P<title>[A-ZÄÖÜ][^.!?;:]{2,70})$")
_DOCUMENT_TITLE = re.compile(r"Nachtrag|vereinbarung|Bescheid|Änderung", re.IGNORECASE)  # "1. Nachtrag zur …" titles the document
OUTLINE = "Nr."  # how such a section is cited: "Nr. 2 Abweichung vom Antrag"
# the title of an amendment appended after the signatures: "1. Nachtrag zur Zielvereinbarung 2025", "Änderungsvereinbarung"
_APPENDED_TITLE = re.compile(r"^(?:\d+\.\s*)?(?:Nachtrag|(?:Ä|Ae)nderungsvereinbarung|Ergänzungsvereinbarung)\b(?!.*\.$)",
                             re.IGNORECASE)
# "Wiesbaden, den 2.8.2025", "Gießen, 25. August 2025", "Ort, Datum: Gießen, 25.08.2025"
MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "dezember")
DATE_TEXT = r"\d{1,2}\.\s?(?:\d{1,2}\.\s?|(?:" + "|".join(MONTHS) + r")\s+)\d{2,4}"
_PLACE_DATE = (r"^(?:Ort\s*(?:,|/|und)\s*Datum\s*:?\s*)?(?P<place>[A-ZÄÖÜ][\wäöüß .\-/()]{1,60}?),\s*(?:den\s+|am\s+)?"
               r"(?P<date>" + DATE_TEXT + r")")
SIGN = re.compile(_PLACE_DATE + r"$", re.IGNORECASE)
# the signer's office, to tell name from role where a block's lines were run together into one
ROLE = re.compile(
    r"\b(?:Staatsminister(?:in)?|Staatssekretär(?:in)?|Minister(?:in)?|Landrätin|Landrat|Oberbürgermeister(?:in)?|"
    r"Bürgermeister(?:in)?|(?:Erster?\s+)?Kreisbeigeordneter?|Beigeordneter?|Stadträtin|Stadtrat|Dezernent(?:in)?|"
    r"Abteilungsleiter(?:in)?|Referatsleiter(?:in)?|Ministerialdirigent(?:in)?|Ministerialdirektor(?:in)?)\b"
)
SIGN_RUN_TOGETHER = re.compile(_PLACE_DATE + r"\s+(?P<rest>\S.*)$", re.IGNORECASE)
# two blocks side by side whose columns were run together line by line: "Gießen, 25.08.2025 Wiesbaden, 2.8.2025"
SIGN_PAIR = re.compile(_PLACE_DATE + r"\s+" + _PLACE_DATE.replace("?P<place>", "?P<place2>").replace("?P<date>", "?P<date2>")
                       .lstrip("^") + r"$", re.IGNORECASE)


_PLACE_DATE_INSIDE = re.compile(
    r"(?P<place>(?:Bad\s+)?[A-ZÄÖÜ][\wäöüß\-]+(?:\s+(?:am|an\s+der)\s+[A-ZÄÖÜ][\wäöüß]+|\s+a\.\s?M\.)?),\s*"
    r"(?:den\s+|am\s+)?(?:" + DATE_TEXT + r")(?=\s|$)",
    re.IGNORECASE,
)


def signer_for_apart(text: str) -> tuple[str, str]:
    """('Für den Landkreis X', 'X, den 20.01.2026 …') from a block whose 'Für …' line was run into its place and date."""
    if text.startswith("Für ") and not SIGN.match(text) and (match := _PLACE_DATE_INSIDE.search(text)):
        return text[: match.start()].strip(), text[match.start() :]
    return "", text


def signs(text: str) -> bool:
    """A place and date that open a signature block, alone or with the block's other lines run into it."""
    if SIGN.match(text) or SIGN_PAIR.match(text):
        return True
    signer_for, text = signer_for_apart(text)
    if signer_for and SIGN.match(text):
        return True
    match = SIGN_RUN_TOGETHER.match(text)
    return bool(match and ROLE.search(match.group("rest")))
# list markers: bullets, "1." "1)" "a)" "a." "I." "(1)" "(a)"
BULLET = re.compile(r"^(?:[-–—•▪◦●○■□◆◇‣⁃∙*·►➢➤→✓✔]|o(?=\s))\s*")
ENUMERATION = re.compile(
    r"^(?:\(\d{1,2}\)|\([a-z]\)|\d{1,2}\.\d{1,2}\.?|\d{1,2}\.\)|\d{1,2}[.)]|[a-z][.)]|[A-H]\)|[IVX]{1,5}[.)]|[A-H]\.)\s+(?=\S)")
_PAGE_FURNITURE = re.compile(r"^(?:Seite\s+\d+(?:\s+von\s+\d+)?|[-–]\s*\d{1,3}\s*[-–]|\d{1,3})$", re.IGNORECASE)
_TABLE_RULE = re.compile(r"^\|?\s*:?-{3,}")
_RUNNING_HEAD = re.compile(r"^(?:(?:Ziel|Änderungs)vereinbarung|Änderung\s+der\s+Zielvereinbarung|\d+\.\s*Nachtrag)\s+"
                           r"(?:(?:zur\s+Zielvereinbarung\s+)?\d{4}\s*)?[–—-]\s+[^.:]{3,80}$")
_TERMINAL = tuple(".!?:;\"“”)»'")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[„\"A-ZÄÖÜ(§])")
_ABBREVIATION = re.compile(r"(?:\b(?:Nr|Abs|Art|bzw|ca|vgl|ggf|z|B|d|h|u|a|S|Dr|Prof|gem|inkl|zzgl|Mio|Tsd)|\d)\.$")


# a sentence is no project: a finite verb and a full stop ("Die Förderung der aufgeführten Maßnahmen erfolgt …")
_FINITE = {"ist", "sind", "wird", "werden", "wurde", "wurden", "erfolgt", "erfolgen", "hat", "haben", "kann", "können",
           "soll", "sollen", "muss", "müssen", "gilt", "gelten", "steht", "stehen", "bleibt", "bleiben", "erhält",
           "erhalten", "umfasst", "umfassen", "dient", "dienen", "liegt", "liegen", "beträgt", "betragen", "finanziert",
           "fördert", "richtet", "richten", "sieht", "bildet", "enthält", "gibt", "geht", "läuft", "laufen", "findet",
           "finden", "entfällt", "entfallen", "verteilt", "verteilen", "bezieht", "beziehen", "trägt", "tragen"}


def is_sentence(text: str) -> bool:
    """Running text rather than a name: it ends with a full stop and has a finite verb ("… erfolgt …", "… ist …")."""
    text = text.strip()
    if not text.endswith((".", "!")) or re.search(r"(?:\be\.\s?V|\bNr|\bggf|\bu\.\s?a|\bgGmbH|\bGmbH)\.$", text):
        return False
    tokens = re.findall(r"[A-Za-zÄÖÜäöüß]+", text)
    return len(tokens) >= 4 and any(t in _FINITE for t in tokens[1:])


def is_table_row(line: str) -> bool:
    """Cells joined by ' | ' (the readers' tables) or a Markdown table row; a row may start or end with an empty cell."""
    line = line.strip()
    return " | " in line or line.startswith("| ") or line.endswith(" |") or (
        line.startswith("|") and line.endswith("|") and line.count("|") >= 3)


def is_item(line: str) -> bool:
    """A list item by its marker, or a table row."""
    return bool(BULLET.match(line) or ENUMERATION.match(line) or is_table_row(line))


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
        return ("\n" if self.is_list else " ").join(self.lines).strip("\n")

    def add(self, line: str, end: int) -> None:
        self.lines.append(line)
        self.end = end

    def looks_like_heading(self) -> bool:
        text = self.text
        return not self.is_list and len(text) <= HEADING_MAX and not text.endswith(_TERMINAL)

    def is_unfinished(self) -> bool:
        text = self.text
        return not self.is_list and len(text) >= CONTINUATION_MIN and not text.endswith(_TERMINAL)

    def introduces_list(self) -> bool:
        text = self.text
        return not self.is_list and len(text) <= 600 and not self.looks_like_heading()


def joined(previous: str, line: str) -> str:
    """A line continued on the next: 'Haus-' + 'haltsmittel' -> 'Haushaltsmittel'; 'Ausbildungs-' + 'und' keeps its hyphen."""
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha() and line[:1].islower():
        if line.split()[0].rstrip(",") not in ("und", "oder", "bzw.", "sowie", "bis"):
            return previous[:-1] + line
    return previous + " " + line


# the four Maßnahmenarten as the agreements title them: a line that continues one of them is a wrapped title
MASSNAHMENARTEN = (
    "Ausbildungsvorbereitung",
    "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
    "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
    "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der fachlichen Verantwortung "
    "für Benachteiligte im Kontext der Arbeitsmarktförderung",
)
# the four Maßnahmenarten of the AQB and their usual wording; number = their place in the agreements
CATEGORY_WORDS = [
    (1, re.compile(r"^Ausbildungsvorbereitung\b|^Maßnahmen\s+zur\s+Ausbildungs(?:- und Qualifizierungs)?vorbereitung", re.I)),
    (2, re.compile(r"^Ausbildung\s+und\s+Ausbildungscoaching|^Ausbildung\s+in\s+anerkannten", re.I)),
    (3, re.compile(r"^Qualifizierungsprojekte\b|^Qualifizierung\s+(?:zur|und)\b", re.I)),
    (4, re.compile(r"^Weiterbildungsmaßnahmen\b|^Weiterbildung\s+(?:für|von)\s+(?:das\s+)?(?:Fach)?[Pp]ersonal", re.I)),
]
CATEGORY_LABEL = re.compile(r"^Maßnahmen(?:art|bereich)\s*(?P<no>\d{1,2}|[IVX]{1,5})?\s*[:.–—-]?\s*(?P<title>.*)$", re.I)


def is_category_line(line: str) -> bool:
    """A line that names a Maßnahmenart on its own, unmarked: 'Ausbildungsvorbereitung', 'Maßnahmenart 2: Ausbildung …'.
    It opens (or goes on with) a project list even where no marker and no introducing sentence says so."""
    line = line.strip()
    if not line or len(line) > 170 or line.endswith((".", "!", "?", ";")) or is_item(line):
        return False
    label = CATEGORY_LABEL.match(line)
    if label and label.group("no") and label.group("title"):
        return True
    return is_massnahmenart(line) or any(pattern.search(line) for _, pattern in CATEGORY_WORDS) and len(line) <= 100


OPEN_ENDINGS = {"und", "oder", "sowie", "der", "die", "das", "den", "dem", "des", "in", "im", "für", "zur", "zum", "von",
                 "vom", "mit", "an", "am", "auf", "bei", "aus", "nach", "über", "ein", "eine", "einer", "eines", "zu"}


def is_massnahmenart(line: str) -> bool:
    """A line that is one of the four Maßnahmenarten's full titles (after its marker, if any)."""
    content = ENUMERATION.sub("", line.strip(), count=1) if ENUMERATION.match(line.strip()) else line.strip()
    content = re.sub(r"^Maßnahmenart\s*\d*\s*[:.–—-]?\s*", "", content)
    return content.rstrip(":").lower() in (title.lower() for title in MASSNAHMENARTEN)


def wraps_inside_brackets(previous: str, line: str) -> bool:
    """A line that goes on inside a bracket the previous one opened, though it starts like a dash item ('– 31.12.2022')."""
    return previous.count("(") > previous.count(")") and bool(re.match(r"^[-–—]\s*\d", line.strip()))


def continues(previous: str, line: str) -> bool:
    """Whether `line` is the rest of the list item `previous`, wrapped: it starts in lower case, the item
    ends open ('… und', '… für', a comma, a hyphen), or together they run on in a Maßnahmenart's title."""
    if is_item(line):
        return False
    if previous.count("(") > previous.count(")"):  # "(Träger: …, Laufzeit:" goes on below
        return True
    if previous.endswith(_TERMINAL):
        return False
    if line[:1].islower() or previous.endswith((",", "-", "–")) or re.match(r"(?:Euro|EUR|€)\b", line):
        return True
    last = previous.split()[-1]
    if last.lower() in OPEN_ENDINGS or last[:1].islower():  # names and titles end in a noun, written in capitals
        return True
    content = (ENUMERATION.sub("", previous, count=1) if ENUMERATION.match(previous) else BULLET.sub("", previous, count=1))
    together = f"{content.strip()} {line}".lower()
    return any(title.lower().startswith(together) for title in MASSNAHMENARTEN)


def _content_column(line: str, indent: int) -> int:
    marker = ENUMERATION.match(line) or BULLET.match(line)
    return indent + (marker.end() if marker else 0)


def table_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|") and line.endswith("|"):
        line = line[1:-1]
    return [cell.strip() for cell in line.split("|")]


def _signature_row(line: str) -> bool:
    """A table row of side-by-side signature blocks: 'Wiesbaden, den 2.8.2025 | Gießen, den 25.08.2025'."""
    return is_table_row(line) and any(signs(cell) for cell in table_cells(line))


def _is_heading(rest: str) -> bool:
    """'§ 4' or '§ 4 Haushaltsmittel' start a section; '§ 4 der Vereinbarung erhält folgende Fassung: …' does not."""
    rest = rest.strip()
    closes = rest.endswith(_TERMINAL) and not _HEADING_NOTE.search(rest)  # "Änderung der Ziffer 4 (Budget 2025)"
    return not rest or (len(rest) <= HEADING_MAX and rest[0].isupper() and not closes)


_HEADING_NOTE = re.compile(r"\s\([^().;:]{1,40}\)$")  # a short note in brackets ends a heading, not a sentence


_OPEN_ABBREVIATION = re.compile(r"\b(?:e|u|z|d|i|o)\.$|\be\.\s?V\.$|\bgGmbH\.?$")  # "… Zukunft e." goes on with "V."
# what stands under a project on a line of its own: never running text
DETAIL_LINE = re.compile(r"^(?:Träger(?:in)?|Projektträger|Laufzeit|Zeitraum|Teilnehmende|Teilnehmer(?:innen)?|TN|Plätze|"
                         r"Fördersumme|Förderbetrag|Betrag|Kosten)\s*:")


def _is_prose(line: str) -> bool:
    """A sentence of running text rather than a list entry or a heading. A long line is prose unless it is a
    Maßnahmenart's title or a list entry with what stands beside it ('… (Träger: …, 20 Teilnehmende)')."""
    if len(line) > 150:
        return not is_massnahmenart(line) and (line.endswith((".", "!", "?", ":")) or is_sentence(line + ".")
                                                and not line.endswith((")", "€", "Euro", "EUR")))
    return (line.endswith((".", "!", "?")) and (len(line) >= CONTINUATION_MIN or len(line.split()) >= 4) and not is_item(line)
            and line.count("(") <= line.count(")") and not _OPEN_ABBREVIATION.search(line) and not DETAIL_LINE.match(line))


def opens_category(para: "_Paragraph | None", line: str, was_gap: bool) -> bool:
    """Whether a line naming a Maßnahmenart stands on its own (a list's category) rather than wrapping running text
    ('… die Qualifizierung und\nQualifizierung zur …') or a list item."""
    if para is None:
        return True
    previous = para.lines[-1].strip()
    if para.is_list:
        return not (not was_gap and continues(previous, line))
    return was_gap or para.text.endswith((".", ":", "!", "?")) or para.looks_like_heading() and len(para.lines) == 1


def _lines(text: str):
    """(line without markup and outer white space, indentation, start offset, end offset)."""
    offset = 0
    for raw in text.split("\n"):
        expanded = raw.replace("\t", "    ")
        stripped = expanded.strip()
        indent = len(expanded) - len(expanded.lstrip())
        clean = _MARKUP.sub("", stripped).strip() if stripped.startswith(("#", "**", "__")) else stripped
        yield clean, indent, offset, offset + len(raw)
        offset += len(raw) + 1


def _split_long(block: Block) -> list[Block]:
    """Blocks of running text above the cap, cut at sentence ends into pieces below it."""
    if block.is_list or len(block.text) <= PARAGRAPH_CAP:
        return [block]
    cuts = [m.start() for m in _SENTENCE_END.finditer(block.text) if not _ABBREVIATION.search(block.text[: m.start()])]
    pieces: list[Block] = []
    begin = 0
    last_cut = 0
    for cut in cuts + [len(block.text)]:
        if cut - begin > PARAGRAPH_CAP and last_cut > begin:
            pieces.append(_piece(block, begin, last_cut))
            begin = last_cut
            while begin < len(block.text) and block.text[begin] == " ":
                begin += 1
        last_cut = cut
    pieces.append(_piece(block, begin, len(block.text)))
    return [p for p in pieces if p.text]


def _piece(block: Block, begin: int, end: int) -> Block:
    text = block.text[begin:end].strip()
    return Block(block.section, block.title, text, block.start + begin, min(block.end, block.start + end), False)


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    section, title = HEAD, ""
    expect_title = False
    para: _Paragraph | None = None
    pending_heading: _Paragraph | None = None
    list_mode = False  # inside a list that began after an introducing sentence: short lines belong to it
    content_column = -1  # where the text of the last list item starts: a wrapped item continues there
    base_indent = 0
    gap = False
    signed = False  # a signature block has been seen: what follows may be an appended amendment
    appended = False  # inside such an amendment

    def emit(p: _Paragraph) -> None:
        blocks.append(Block(section, title, p.text, p.start, p.end, p.is_list))

    def flush() -> None:
        nonlocal para, pending_heading, list_mode
        list_mode = False
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

    def list_line(line: str, indent: int) -> str:
        depth = max(0, indent - base_indent)
        return " " * depth + line

    lines = list(_lines(text))

    def list_goes_on(i: int) -> bool:
        """Whether the list goes on after line i: the next line (a gap allowed) is a list item or names a Maßnahmenart."""
        following = next((later[0] for later in lines[i + 1 :] if later[0]), "")
        return bool(following) and not _SECTION.match(following) and (is_item(following) or is_category_line(following))

    def starts_paragraph(i: int) -> bool:
        """A wrapped line of running text: long, unfinished, and continued on the very next line."""
        line = lines[i][0]
        if len(line) < CONTINUATION_MIN or line.endswith(_TERMINAL) or i + 1 >= len(lines):
            return False
        following = lines[i + 1][0]
        return bool(following) and not is_item(following) and not SIGN.match(following)

    for i, (line, indent, begin, end) in enumerate(lines):
        if not line:
            gap = True
            if section == SIGNATURES and para is not None and para.lines[-1] != "":
                para.lines.append("")  # keeps two side-by-side blocks apart
            continue
        if _PAGE_FURNITURE.match(line) and section != HEAD:
            continue
        if _TABLE_RULE.match(line) and para is not None and para.is_list or re.fullmatch(r"(?:-\s*){3,}|(?:\*\s*){3,}", line):
            continue  # a Markdown table's |---|---| line, or a horizontal rule
        if _RUNNING_HEAD.match(line) and para is not None and (para.is_list or para.text.endswith(":")):
            continue  # a page's running head left inside a list
        was_gap, gap = gap, False

        section_match = _SECTION.match(line)
        if section_match and _is_heading(section_match.group(3)):
            close_section()
            # a section keeps its own name: an amendment's "Artikel 1" is not the agreement's "§ 1"
            word = section_match.group(1).strip().lower()
            kind = next((k for k in NUMBERED_SECTIONS[1:] if k.lower().startswith(word[:3])), "§")
            section, title = f"{kind} {section_match.group(2)}", section_match.group(3).strip()
            if appended:  # a § of the appended amendment, not the agreement's own
                section = f"{APPENDED} {section}"
            expect_title = not title
            continue
        heading = NUMBERED_HEADING.match(line)
        if heading and section in (HEAD, BODY) or heading and section.startswith(("Nr. ", "TOP ")) and not appended:
            if was_gap and (i + 1 >= len(lines) or not lines[i + 1][0]) and not _DOCUMENT_TITLE.search(heading.group("title")):
                close_section()
                kind = "TOP" if heading.group("kind") and heading.group("kind").startswith("TOP") else OUTLINE
                section, title = f"{kind} {heading.group('no')}", heading.group("title").strip(" –—-")
                continue
        annex = _ANNEX.match(line)
        if annex and (annex.group(1) or line.startswith("Anlage:") or not annex.group(2)) and _is_heading(annex.group(2)):
            close_section()
            section = f"Anlage {annex.group(1)}" if annex.group(1) else "Anlage"
            title = annex.group(2).strip()
            expect_title = not title
            continue
        if (section in (SIGNATURES, BODY) or section.startswith("Anlage")) and signed and _APPENDED_TITLE.match(line) \
                and len(line) <= HEADING_MAX:
            close_section()
            section, title, appended = APPENDED, line, True
            continue
        if section == SIGNATURES:
            if _is_prose(line):
                close_section()
                section, title = BODY, ""
                start(line, begin, end)
            else:
                para.add(line, end)
            continue
        if expect_title:
            expect_title = False
            if len(line) <= HEADING_MAX and not line.endswith(".") and not is_item(line):
                title = line
                continue
        if _PREAMBLE.match(line) and section == HEAD:
            close_section()
            section, title = PREAMBLE, ""
            rest = _PREAMBLE.sub("", line).strip(" :")
            if rest:
                start(rest, begin, end)
            continue
        if "|" in line and not line.replace("|", "").strip():
            continue  # an empty table row (a Markdown table without a header)
        if (signs(line) or _signature_row(line)) and section != HEAD:
            signers = None
            if para is not None and para.text.startswith("Für ") and len(para.text) <= HEADING_MAX:
                signers, para = para, None
            elif pending_heading is not None and pending_heading.text.startswith("Für "):
                signers, pending_heading = pending_heading, None
            close_section()
            section, title, signed = SIGNATURES, "", True
            if signers is not None:
                start(signers.text, signers.start, end, is_list=True)
                para.add(line, end)
            else:
                start(line, begin, end, is_list=True)
            continue
        if section == HEAD:
            if para is not None and (len(line) >= HEAD_PROSE_MIN or (len(line) >= 100 and line.endswith("."))):
                close_section()
                section, title = BODY, ""
                start(line, begin, end)
            elif para is None:
                start(line, begin, end, is_list=True)
            else:
                para.add(line, end)
            continue

        if is_item(line) and para is not None and para.is_list and not was_gap and wraps_inside_brackets(para.lines[-1], line):
            para.lines[-1] = joined(para.lines[-1], line)  # "(Träger: …, Laufzeit: 01.04.2022" / "– 31.12.2022)"
            para.end = end
            continue
        if is_item(line):
            content_column = _content_column(line, indent)
            if para is not None and (para.is_list or para.introduces_list()):
                if not para.is_list:
                    base_indent = indent
                para.is_list = True
                list_mode = True
                para.add(list_line(line, indent), end)
            else:
                flush()
                base_indent = indent
                start(line, begin, end, is_list=True)
            continue
        if is_category_line(line) and opens_category(para, line, was_gap):
            if para is not None and (para.is_list or para.text.endswith(":")):
                if not para.is_list:
                    base_indent = indent
                para.is_list = True
                para.add(list_line(line, indent), end)
            else:
                flush()
                base_indent = indent
                start(line, begin, end, is_list=True)
            list_mode = True  # the unmarked lines below it are its projects
            content_column = -1
            continue
        if para is None:
            start(line, begin, end)
        elif para.is_list:
            previous = para.lines[-1].strip()
            previous_depth = len(para.lines[-1]) - len(para.lines[-1].lstrip())
            wrapped = not was_gap and not is_table_row(previous) and (
                continues(previous, line) or (indent > 0 and indent == content_column and len(previous) >= 40)
                or (list_mode and not is_item(previous) and not is_category_line(previous)
                    and indent - base_indent > previous_depth)) \
                or was_gap and line[:1].islower() and not previous.endswith((".", "!", "?", ":", ";"))  # "… Euro)" / "zur Verfügung."
            if wrapped:
                para.lines[-1] = joined(para.lines[-1], line)  # a list item wrapped onto the next line
                para.end = end
            elif list_mode and not _is_prose(line) and not (was_gap and starts_paragraph(i)):
                para.add(list_line(line, indent), end)  # an unmarked entry or category heading
            elif _is_prose(line) and not continues(previous, line):
                if list_goes_on(i):  # a sentence between two parts of the list stays with it, as a line of its own
                    para.add(list_line(line, indent), end)
                else:  # the sentence after the list ("Die Förderung der aufgeführten Maßnahmen erfolgt …")
                    flush()
                    start(line, begin, end)
            elif not was_gap and not _is_prose(line) and indent > base_indent:
                para.add(list_line(line, indent), end)
            elif not was_gap or not (len(line) >= CONTINUATION_MIN or line.endswith(_TERMINAL)):
                para.lines[-1] = joined(para.lines[-1], line)  # a wrapped list item
                para.end = end
            else:
                flush()
                start(line, begin, end)
        elif para.introduces_list() and para.text.endswith(":") and not _is_prose(line):
            base_indent = indent
            para.is_list = True
            list_mode = True
            para.add(line, end)  # the first unmarked entry after "folgende Projekte:"
        elif not was_gap or para.is_unfinished() or line[:1].islower() and not para.text.endswith((".", "!", "?", ":")):
            # a wrapped line, a paragraph broken by a page, or a sentence that goes on in lower case after an amount set
            # apart ("… in Höhe von" / "1.187.455,00 Euro" / "(in Worten: …)" / "als Projektförderung bewilligt.")
            para.lines[-1] = joined(para.lines[-1], line)
            para.end = end
        else:
            flush()
            start(line, begin, end)
    close_section()
    return [piece for b in blocks if b.text.strip() for piece in _split_long(b)]
