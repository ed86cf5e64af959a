"""PDF to text by word positions (pdfplumber): reading order, tables with cells, tables running over
a page break, two-column signature blocks, running headers and footers removed.

pypdf checks the file first (not a PDF, truncated, encrypted) and reads any page pdfplumber cannot.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from dataclasses import dataclass, field

from ingest.readers import (
    MIN_TEXT_CHARS,
    DocumentText,
    IngestError,
    cell_text,
    clean_lines,
    join_hyphenated,
    short_reason,
    table_lines,
)

for _name in ("pypdf", "pdfminer", "pdfplumber"):
    logging.getLogger(_name).setLevel(logging.ERROR)

MAX_PAGE_CONTENT = 10_000_000  # bytes of unpacked drawing instructions on one page; text pages have kilobytes
EDGE_SHARE = 0.15  # headers and footers live in the top and bottom 15 % of a page
EDGE_LINES = 2  # … among the first and last two lines
COLUMN_GAP_FACTOR = 2.5  # a gap wider than 2.5 line heights separates two columns on one line
PAGE_NUMBER = re.compile(r"^(?:Seite|Page|S\.)\s*\d{1,4}(?:\s*(?:von|of|/)\s*\d{1,4})?$|^[-–—]\s*\d{1,4}\s*[-–—]$", re.IGNORECASE)
BARE_PAGE_NUMBER = re.compile(r"^(\d{1,4})(?:\s*/\s*\d{1,4})?$")  # "3" or "3/4": only when it is this page's number
LIST_MARKER = re.compile(r"^(?:[-–—•▪◦*·o\uf0b7]|\d{1,2}[.)]|[a-zA-Z][.)]|\(\d{1,2}\)|\([a-z]\)|[IVXLC]{1,6}\.)$")  # "•", "1.", "a)"
AMOUNT = re.compile(r"^(?:EUR\s*|€\s*)?[-–]?\d{1,3}(?:[.\s]\d{3})*(?:,\d{1,2}|,-{1,2})?\s*(?:€|EUR|Euro)?$")


@dataclass
class Segment:
    text: str
    x0: float
    x1: float


@dataclass
class Line:
    top: float
    bottom: float
    size: float
    segments: list[Segment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segments)

    @property
    def x0(self) -> float:
        return self.segments[0].x0

    @property
    def x1(self) -> float:
        return self.segments[-1].x1


@dataclass
class Table:
    top: float
    bottom: float
    rows: list[list[str]]


@dataclass
class Block:
    """What a page contributes: a text paragraph or a table (tables may continue on the next page)."""

    text: str = ""
    rows: list[list[str]] | None = None

    def render(self) -> str:
        return table_lines(self.rows) if self.rows is not None else self.text


def read_pdf(path, data: bytes) -> DocumentText:
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError("keine PDF-Datei (Inhalt passt nicht zur Endung .pdf)")
    if b"%%EOF" not in data[-2048:]:
        raise IngestError("abgeschnittene PDF-Datei (das Dateiende %%EOF fehlt)")
    fallback = _open_with_pypdf(data)
    page_items = _read_pages(data, fallback)
    if not page_items:
        raise IngestError("PDF-Datei ohne Seiten")
    _remove_running_lines([(page.items, page.height) for page in page_items])
    recognised = _ocr_picture_pages(data, page_items)
    pages = [
        [Block(text=recognised[index])] if index in recognised
        else _page_blocks(page.items) if isinstance(page.items, list) else [Block(text=page.items)]
        for index, page in enumerate(page_items)
    ]
    document = _assemble(pages)
    if len(document.text.strip()) < MIN_TEXT_CHARS:
        from ingest.ocr import read_scanned_pdf

        return read_scanned_pdf(data)
    document.ocr = bool(recognised)
    return document


def _ocr_picture_pages(data: bytes, pages: list[PageRead]) -> dict[int, str]:
    """In a PDF with text, pages that are only a picture (a scanned signature page) read by OCR, if installed."""
    pictures = [index for index, page in enumerate(pages) if page.has_images and not page.items]
    if not pictures or len(pictures) == len(pages):
        return {}  # nothing to do, or a whole scan (read_scanned_pdf does that)
    from ingest.ocr import missing_ocr, ocr_pages

    if missing_ocr():
        return {}
    return {index: text for index, text in ocr_pages(data, pictures).items() if text}


def _open_with_pypdf(data: bytes):
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                if not reader.decrypt(""):
                    raise IngestError("verschlüsselte PDF-Datei (Passwort nötig)")
            except IngestError:
                raise
            except Exception as exc:
                raise IngestError(f"verschlüsselte PDF-Datei, nicht lesbar ({short_reason(exc)})") from exc
        if len(reader.pages) == 0:
            raise IngestError("PDF-Datei ohne Seiten")
        _check_content_sizes(reader)
        return reader
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(f"beschädigte oder abgeschnittene PDF-Datei ({short_reason(exc)})") from exc


def _check_content_sizes(reader) -> None:
    """Refuse a page whose drawing instructions unpack to more than MAX_PAGE_CONTENT (a "zip bomb"):
    pdfminer would unpack and interpret all of it, for minutes."""
    from pypdf.errors import LimitReachedError

    for number, page in enumerate(reader.pages, start=1):
        try:
            contents = page.get_contents()
            size = len(contents.get_data()) if contents is not None else 0
        except LimitReachedError as exc:
            raise IngestError(f"PDF-Seite {number} entpackt zu groß ({short_reason(exc)})") from exc
        except Exception:
            continue  # pdfplumber may still read it; if not, that page falls back or fails on its own
        if size > MAX_PAGE_CONTENT:
            raise IngestError(f"PDF-Seite {number} entpackt zu groß ({size // 1_000_000} MB Seiteninhalt, "
                              f"erlaubt {MAX_PAGE_CONTENT // 1_000_000} MB)")


@dataclass
class PageRead:
    items: list[Line | Table] | str  # lines and tables (pdfplumber), or pypdf's plain text
    height: float = 0.0
    has_images: bool = False


def _read_pages(data: bytes, fallback) -> list[PageRead]:
    """Per page: its lines and tables in vertical order (pdfplumber), or pypdf's plain text if that failed."""
    import pdfplumber

    result: list[PageRead] = []
    failures: list[str] = []
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
        plumber_pages = list(pdf.pages)
    except Exception as exc:
        pdf, plumber_pages = None, []
        failures.append(short_reason(exc))
    try:
        for index, fallback_page in enumerate(fallback.pages):
            items: list | str | None = None
            height = 0.0
            has_images = False
            if index < len(plumber_pages):
                page = plumber_pages[index]
                try:
                    height = float(page.height)
                    has_images = bool(page.images)
                    items = _page_items(page)
                except Exception as exc:
                    failures.append(short_reason(exc))
                finally:
                    page.flush_cache()
            if items is None:
                try:
                    items = clean_lines(fallback_page.extract_text() or "")
                except Exception as exc:
                    failures.append(short_reason(exc))
                    items = ""
            result.append(PageRead(items, height, has_images))
    finally:
        if pdf is not None:
            pdf.close()
    if failures and not any(page.items for page in result):
        raise IngestError(f"beschädigte PDF-Datei, keine Seite lesbar ({failures[0]})")
    return result


def _page_items(page) -> list[Line | Table]:
    page = _without_overprint(page)
    tables = []
    for found in page.find_tables():
        rows = [[cell_text(join_hyphenated(cell or "")) for cell in row] for row in found.extract()]
        rows = [row for row in rows if any(row)]
        if len(rows) >= 2 and max(len(row) for row in rows) >= 2:
            x0, top, x1, bottom = found.bbox
            tables.append((Table(float(top), float(bottom), rows), (x0, top, x1, bottom)))

    def in_table(word) -> bool:
        cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
        return any(x0 <= cx <= x1 and top <= cy <= bottom for _, (x0, top, x1, bottom) in tables)

    words = [w for w in page.extract_words(extra_attrs=["size"]) if w["text"].strip() and not in_table(w)]
    items: list[Line | Table] = _lines(words) + [table for table, _ in tables]
    items.sort(key=lambda item: item.top)
    return items


def _without_overprint(page):
    """The page without characters printed twice at one place ("fake bold"); pdfplumber's dedupe is
    slow, so it runs only when such a character is there."""
    seen: set[tuple[str, int, int]] = set()
    for char in page.chars:
        if char["text"].isspace():
            continue
        key = (char["text"], round(char["x0"]), round(char["top"]))
        if key in seen:
            return page.dedupe_chars()
        seen.add(key)
    return page


def _lines(words: list[dict]) -> list[Line]:
    """Words grouped into lines by their vertical position, each line cut where a wide gap is."""
    words = sorted(words, key=lambda w: (round(w["top"]), w["x0"]))
    rows: list[list[dict]] = []
    for word in words:
        height = word["bottom"] - word["top"]
        for row in reversed(rows[-3:]):
            if abs(row[0]["top"] - word["top"]) <= max(2.0, 0.4 * height):
                row.append(word)
                break
        else:
            rows.append([word])
    lines = []
    for row in rows:
        row.sort(key=lambda w: w["x0"])
        size = statistics.median(w.get("size") or (w["bottom"] - w["top"]) for w in row)
        height = statistics.median(w["bottom"] - w["top"] for w in row)
        line = Line(min(w["top"] for w in row), max(w["bottom"] for w in row), float(size))
        current: list[dict] = []
        for word in row:
            wide_gap = word["x0"] - current[-1]["x1"] > max(20.0, COLUMN_GAP_FACTOR * height) if current else False
            if wide_gap and not (len(current) == 1 and LIST_MARKER.match(current[0]["text"])):
                line.segments.append(_segment(current))
                current = []
            current.append(word)
        line.segments.append(_segment(current))
        lines.append(line)
    lines.sort(key=lambda line: line.top)
    return lines


def _segment(words: list[dict]) -> Segment:
    return Segment(" ".join(w["text"] for w in words), float(words[0]["x0"]), float(words[-1]["x1"]))


# --- running headers and footers ------------------------------------------------------------------

def _running_key(text: str) -> str:
    return re.sub(r"\bSeite\s+\d+(?:\s*(?:von|/)\s*\d+)?", "Seite #", text, flags=re.IGNORECASE).strip()


def _edge_lines(items: list, height: float) -> list[Line]:
    lines = [item for item in items if isinstance(item, Line)]
    if not lines or not height:
        return []
    top = [line for line in lines[:EDGE_LINES] if line.bottom <= height * EDGE_SHARE]
    bottom = [line for line in lines[-EDGE_LINES:] if line.top >= height * (1 - EDGE_SHARE)]
    return top + [line for line in bottom if line not in top]


def _remove_running_lines(pages: list[tuple[list | str, float]]) -> None:
    """Drop page numbers at a page's edge, and lines repeated at the edge of most pages."""
    counts: dict[str, int] = {}
    for items, height in pages:
        if isinstance(items, list):
            for key in {_running_key(line.text) for line in _edge_lines(items, height)}:
                counts[key] = counts.get(key, 0) + 1
    needed = max(2, (len(pages) + 1) // 2)
    for number, (items, height) in enumerate(pages, start=1):
        if not isinstance(items, list):
            continue
        for line in _edge_lines(items, height):
            if _is_page_number(line.text, number) or counts.get(_running_key(line.text), 0) >= needed:
                items.remove(line)


def _is_page_number(text: str, number: int) -> bool:
    """'Seite 3 von 4', '- 3 -', or a bare '3' / '3/4' on page 3 (a bare '2025' under a title stays)."""
    if PAGE_NUMBER.match(text):
        return True
    bare = BARE_PAGE_NUMBER.match(text)
    return bool(bare) and int(bare.group(1)) == number


# --- one page to blocks ---------------------------------------------------------------------------

def _page_blocks(items: list[Line | Table]) -> list[Block]:
    blocks: list[Block] = []
    paragraph: list[str] = []
    typical_gap = _typical_gap([item for item in items if isinstance(item, Line)])
    previous: Line | None = None

    def flush() -> None:
        nonlocal paragraph
        if paragraph:
            blocks.append(Block(text=join_hyphenated("\n".join(paragraph))))
        paragraph = []

    index = 0
    while index < len(items):
        item = items[index]
        if isinstance(item, Table):
            flush()
            blocks.append(Block(rows=item.rows))
            previous = None
            index += 1
            continue
        run_end, right_x0 = _column_run(items, index)
        if run_end > index:
            flush()
            blocks.extend(_column_blocks(items[index:run_end], right_x0))
            previous = None
            index = run_end
            continue
        if previous is not None and _starts_paragraph(previous, item, typical_gap):
            flush()
        paragraph.append(item.text)
        previous = item
        index += 1
    flush()
    return blocks


def _typical_gap(lines: list[Line]) -> float:
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if 0 <= b.top - a.bottom < (a.bottom - a.top)]
    return statistics.median(gaps) if gaps else 0.0


def _starts_paragraph(previous: Line, line: Line, typical_gap: float) -> bool:
    height = max(previous.bottom - previous.top, 1.0)
    if line.top - previous.bottom > typical_gap + 0.4 * height:
        return True
    sizes = sorted((previous.size, line.size))
    return sizes[0] > 0 and sizes[1] / sizes[0] > 1.15  # a heading in a larger font


def _is_split(line: Line, page_right_start: float | None = None) -> bool:
    return len(line.segments) == 2 and (page_right_start is None or abs(line.segments[1].x0 - page_right_start) < 40)


def _column_run(items: list, start: int) -> tuple[int, float]:
    """Where a run of side-by-side lines (a two-column block) starting at `start` ends (`start` if none),
    and the x where its right column begins.

    The columns are split where the first line has a wide gap, or between two neighbouring lines that
    do not overlap sideways (a right column set a little higher or lower than the left one). The run
    goes on over lines that stay on one side of the split or are cut at it, until a full-width line,
    a table or a wide vertical gap; it needs two pieces in each column."""
    first = items[start]
    if not isinstance(first, Line):
        return start, 0.0
    right_x0 = _column_split(first, items[start + 1] if start + 1 < len(items) else None)
    if right_x0 is None:
        return start, 0.0
    end = start
    previous = first
    left = right = 0
    while end < len(items):
        line = items[end]
        if not isinstance(line, Line):
            break
        height = max(previous.bottom - previous.top, 1.0)
        if line.top - previous.bottom > 2.5 * height:
            break
        if _is_split(line, right_x0):
            left, right = left + 1, right + 1
        elif len(line.segments) == 1 and line.x1 < right_x0 - 5:
            left += 1
        elif len(line.segments) == 1 and line.x0 >= right_x0 - 40:
            right += 1
        else:
            break
        end += 1
        previous = line
    return (end if left >= 2 and right >= 2 else start), right_x0


def _column_split(first: Line, following) -> float | None:
    """The x where a right column starts, seen from the first line of a possible column block."""
    if _is_split(first):
        return first.segments[1].x0
    if not isinstance(following, Line):
        return None
    height = max(first.bottom - first.top, 1.0)
    if following.top - first.bottom > 0.8 * height:
        return None
    if following.x0 > first.x1 + 20:
        return following.x0
    if following.x1 < first.x0 - 20:
        return first.x0
    return None


def _column_blocks(lines: list[Line], right_x0: float) -> list[Block]:
    left: list[str] = []
    right: list[str] = []
    pairs: list[list[str]] = []
    for line in lines:
        for segment in line.segments:
            (right if segment.x0 >= right_x0 - 40 else left).append(segment.text)
        if len(line.segments) == 2:
            pairs.append([line.segments[0].text, line.segments[1].text])
    if len(pairs) == len(lines) and all(AMOUNT.match(right_text) for _, right_text in pairs):
        return [Block(rows=pairs)]  # a table drawn without lines: names left, amounts right
    if len(pairs) == len(lines) and all(left_text.endswith(":") for left_text, _ in pairs):
        return [Block(text="\n".join(f"{label} {value}" for label, value in pairs))]  # "Jahr:    2025"
    blocks = [Block(text="\n".join(left))] if left else []
    if right:
        blocks.append(Block(text="\n".join(right)))
    return blocks


# --- pages to one text ----------------------------------------------------------------------------

def _assemble(pages: list[list[Block]]) -> DocumentText:
    """Join pages; a table whose rows go on at the top of the next page becomes one table."""
    text = ""
    starts: list[int] = []
    last: Block | None = None
    for blocks in pages:
        blocks = [block for block in blocks if block.rows or block.text.strip()]
        parts: list[str] = []
        separator = "\n\n"
        if (blocks and last is not None and last.rows is not None and blocks[0].rows is not None
                and _same_columns(last.rows, blocks[0].rows)):
            rows = blocks.pop(0).rows
            if rows and rows[0] == last.rows[0]:
                rows = rows[1:]  # the header row repeated on the new page
            last.rows.extend(rows)
            if rows:
                parts.append(table_lines(rows))
                separator = "\n"
        parts.extend(block.render() for block in blocks)
        if blocks:
            last = blocks[-1]
        page_text = clean_lines("\n\n".join(parts))
        if text and page_text:
            text += separator
        starts.append(len(text))
        text += page_text
    return DocumentText(text, starts)


def _same_columns(before: list[list[str]], after: list[list[str]]) -> bool:
    return max(len(r) for r in before) == max(len(r) for r in after)
