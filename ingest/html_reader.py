"""HTML files to text: pages saved from a portal, Word's and LibreOffice's HTML export.

Parsed with lxml's HTML parser (no network, no entities beyond HTML's own). First what is not the
document goes: scripts, styles, forms' controls, hidden elements, navigation, headers and footers of the
page, sidebars, cookie notes, share bars and link lists (by element, ARIA role, id/class words and link
density). Then the main content is chosen — Word's export is its whole body; on a portal page the
`<main>` element, the largest `<article>` or content container — and walked in order: headings and
paragraphs as paragraphs, `<ol>`/`<ul>` as list lines with their markers and nesting, Word's list
paragraphs (mso-list) with the marker Word wrote, and data tables as "cell | cell" rows (layout tables
are read as the blocks they hold).
"""

from __future__ import annotations

import codecs
import re

from ingest.limits import Budget, megabytes
from ingest.readers import (MIN_TEXT_CHARS, DocumentText, IngestError, cell_text, clean_lines, letter_numeral,
                            roman_numeral, table_lines)

BULLET = "•"
INDENT = "  "
DROPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "canvas", "object", "embed", "nav",
                "aside", "button", "select", "input", "textarea", "dialog", "head", "video", "audio", "map", "menu",
                "option", "datalist", "math"}
PAGE_FRAME_TAGS = {"header", "footer"}  # dropped unless inside the content (an article's own header stays)
DROPPED_ROLES = {"navigation", "banner", "contentinfo", "search", "complementary", "dialog", "alertdialog", "menu",
                 "menubar", "toolbar", "tablist"}
# id/class words of page furniture: whole words, and parts of run-together names ("cookieBanner")
FURNITURE_WORDS = {"nav", "navbar", "menu", "header", "footer", "share", "social", "skip", "search", "teaser",
                   "related", "banner", "toolbar", "pagination", "pager", "sidebar", "randspalte", "marginalspalte",
                   "servicenavigation", "metanavigation", "subnav", "topbar", "overlay", "popup", "modal", "print",
                   "sharing", "socialmedia", "footnote", "breadcrumbs", "tags", "rating", "feedback"}
FURNITURE_PARTS = ("cookie", "consent", "breadcrumb", "navigation", "sidebar", "newsletter", "gdpr", "datenschutzhinweis",
                   "skiplink", "sprungmarke", "socialshare", "sharebar")
CONTENT_NAMES = ("main-content", "maincontent", "content-main", "inhalt", "hauptinhalt", "content", "main", "article",
                 "primary", "text", "body-text", "bodytext", "wordsection1")
BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "footer", "blockquote", "address", "figure",
              "figcaption", "center", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "dt", "dd", "li",
              "table", "hr", "form", "fieldset", "details", "summary", "body", "html", "caption"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_MSO_LEVEL = re.compile(r"mso-list\s*:\s*l\d+\s+level(\d+)", re.IGNORECASE)
# hidden, or Word's footnote list, running header and footer (mso-element)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden|mso-hide\s*:\s*all|"
                           r"mso-element\s*:\s*(?:footnote|endnote|comment|header|footer)", re.IGNORECASE)


def decode_html(data: bytes) -> str:
    """The page as text: a byte order mark, else the charset its <meta> names, else UTF-8, else Windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if match := _META_CHARSET.search(data[:8192]):
        name = match.group(1).decode("ascii", "replace").lower()
        try:
            codecs.lookup(name)
            if name.replace("-", "").replace("_", "") in ("utf8",):
                return data.decode("utf-8", errors="replace")
            if not name.startswith("utf-16"):  # a page that says UTF-16 but was read as bytes here is not
                return data.decode(name, errors="replace")
        except LookupError:
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_html(path, data: bytes, budget: Budget | None = None) -> DocumentText:
    from lxml import etree, html

    budget = budget or Budget()
    if len(data) > budget.max_markup:
        raise IngestError(f"HTML-Datei abgelehnt: {megabytes(len(data))} (erlaubt sind höchstens "
                          f"{megabytes(budget.max_markup)} HTML)")
    if data[:5] == b"%PDF-" or data[:4] == b"PK\x03\x04" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise IngestError("keine HTML-Datei (Inhalt passt nicht zur Endung)")
    markup = _XML_DECLARATION.sub("", decode_html(data), count=1)
    if not markup.strip():
        raise IngestError("leere Datei")
    parser = html.HTMLParser(remove_comments=True, remove_pis=True, no_network=True, recover=True)
    try:
        root = html.document_fromstring(markup, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise IngestError(f"HTML-Datei nicht lesbar ({exc})") from exc
    _strip_namespaces(root)
    body = root.find("body") if root.find("body") is not None else root
    word_export = _is_word_export(root)
    _drop_furniture(body, len(_text(body)))
    content = body if word_export else _main_content(body)
    walker = _Walker(budget)
    walker.blocks(content)
    walker.flush()
    walker.end_list()
    text = clean_lines("\n\n".join(walker.parts))
    if len(text) < MIN_TEXT_CHARS:
        raise IngestError("leere Datei" if not text else "Datei enthält fast keinen Text")
    return DocumentText(text, [])


# --- what is not the document -------------------------------------------------------------------------

def _tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def _strip_namespaces(root) -> None:
    """XHTML and Word's <o:p>, <w:…> elements: local names only."""
    for element in root.iter():
        if isinstance(element.tag, str) and ("}" in element.tag or ":" in element.tag):
            element.tag = element.tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1]


def _is_word_export(root) -> bool:
    generator = " ".join(m.get("content", "") for m in root.iter("meta") if (m.get("name") or "").lower() in ("generator", "progid"))
    return "Microsoft Word" in generator or "Word.Document" in generator or root.find(".//div[@class='WordSection1']") is not None


def _text(element) -> str:
    return _SPACES.sub(" ", element.text_content() or "").strip()


def _names(element) -> list[str]:
    raw = f"{element.get('id') or ''} {element.get('class') or ''} {element.get('title') or ''}".lower()
    return [word for word in re.split(r"[^a-z0-9äöüß]+", raw) if word]


def _is_furniture(element, tag: str) -> bool:
    if element.get("hidden") is not None or (element.get("aria-hidden") or "").lower() == "true":
        return True
    if _HIDDEN_STYLE.search(element.get("style") or ""):
        return True
    if (element.get("role") or "").lower() in DROPPED_ROLES:
        return True
    if tag in ("table", "tr", "td", "th", "tbody", "thead") or tag in HEADINGS:
        return False  # a table's "header" row or a heading is content
    names = _names(element)
    if any(word in FURNITURE_WORDS for word in names):
        return True
    joined = "".join(names)
    return any(part in joined for part in FURNITURE_PARTS)


def _link_list(element, tag: str) -> bool:
    """A container that is mostly links: a menu, a list of related pages, a footer's link block."""
    if tag not in ("ul", "ol", "div", "section", "p", "dl"):
        return False
    links = [a for a in element.iter("a")]
    if len(links) < 3:
        return False
    total = len(_text(element))
    linked = sum(len(_text(a)) for a in links)
    return total > 0 and linked / total > 0.8


def _drop_furniture(body, body_chars: int) -> None:
    """Remove page furniture; never an element that holds half of the page's text (a wrapper named
    'page-header-and-content' is the page, not its header)."""
    doomed = []
    for element in body.iter():
        tag = _tag(element)
        if not tag or element is body:
            continue
        if tag in DROPPED_TAGS:
            doomed.append(element)
            continue
        furniture = tag in PAGE_FRAME_TAGS and not any(_tag(a) in ("article", "main") for a in element.iterancestors())
        furniture = furniture or _is_furniture(element, tag) or _link_list(element, tag)
        if furniture and (tag in DROPPED_TAGS or len(_text(element)) < 0.5 * body_chars):
            doomed.append(element)
    for element in doomed:
        parent = element.getparent()
        if parent is not None and not any(a in doomed for a in element.iterancestors()):
            _remove(element)


def _remove(element) -> None:
    """Remove an element but keep the text that follows it (its tail)."""
    parent = element.getparent()
    if element.tail:
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _main_content(body):
    """The element that holds the document: <main>, else the largest article or content container when it
    holds enough of the page's text, else the body."""
    total = len(_text(body)) or 1
    mains = [e for e in body.iter() if _tag(e) == "main" or (e.get("role") or "").lower() == "main"]
    if mains:
        return max(mains, key=lambda e: len(_text(e)))
    candidates = [e for e in body.iter() if _tag(e) == "article"]
    candidates += [e for e in body.iter() if _tag(e) in ("div", "section") and any(
        name in CONTENT_NAMES for name in [(e.get("id") or "").lower(), *((e.get("class") or "").lower().split())])]
    if candidates:
        best = max(candidates, key=lambda e: len(_text(e)))
        if len(_text(best)) >= 0.4 * total:
            return best
    return body


# --- the content, in order ----------------------------------------------------------------------------

class _Walker:
    def __init__(self, budget: Budget):
        self.budget = budget
        self.parts: list[str] = []
        self.inline: list[str] = []
        self.list_lines: list[str] = []
        self.seen = 0

    def tick(self) -> None:
        self.seen += 1
        if self.seen % 2000 == 0:
            self.budget.check_time()

    def flush(self) -> None:
        text = "".join(self.inline)
        self.inline = []
        text = "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))
        text = re.sub(r"\n{2,}", "\n", text).strip()
        if text:
            self.end_list()
            self.parts.append(text)

    def end_list(self) -> None:
        if self.list_lines:
            self.parts.append("\n".join(self.list_lines))
            self.list_lines = []

    def blocks(self, element) -> None:
        """Walk an element's content: inline text gathers into a paragraph, blocks end it."""
        if element.text:
            self.inline.append(_SPACES.sub(" ", element.text))
        for child in element:
            self.tick()
            tag = _tag(child)
            if not tag:
                pass
            elif tag == "br":
                self.inline.append("\n")
            elif tag in HEADINGS:
                self.flush()
                self.end_list()
                self.parts.append(self.inline_text(child))
            elif tag in ("ul", "ol"):
                self.flush()
                self.list(child, 0)
            elif tag == "table":
                self.flush()
                self.table(child)
            elif tag == "p" and _MSO_LEVEL.search(child.get("style") or ""):
                self.flush()  # a Word list paragraph: the marker is in its text (span mso-list:Ignore)
                level = int(_MSO_LEVEL.search(child.get("style")).group(1)) - 1
                line = self.inline_text(child)
                if line:
                    self.list_lines.append(INDENT * max(0, min(level, 8)) + line)
            elif tag == "pre":
                self.flush()
                self.end_list()
                self.parts.append(child.text_content().strip("\n"))
            elif tag in BLOCK_TAGS:
                self.flush()
                self.blocks(child)
                self.flush()
            else:
                self.inline_into(child, self.inline)
            if child.tail:
                self.inline.append(_SPACES.sub(" ", child.tail))

    def inline_text(self, element) -> str:
        pieces: list[str] = []
        self.content_into(element, pieces)
        text = "".join(pieces)
        return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n")).strip()

    def content_into(self, element, pieces: list[str]) -> None:
        """An element's own text, its children inline, and each child's tail."""
        if element.text:
            pieces.append(_SPACES.sub(" ", element.text))
        for child in element:
            self.inline_into(child, pieces)
            if child.tail:
                pieces.append(_SPACES.sub(" ", child.tail))

    def inline_into(self, element, pieces: list[str]) -> None:
        """An inline element's text; Word's list marker span becomes its marker (a symbol bullet '•')."""
        self.tick()
        tag = _tag(element)
        if not tag:
            return
        if tag == "br":
            pieces.append("\n")
            return
        if "mso-list:ignore" in (element.get("style") or "").lower().replace(" ", ""):
            marker = _SPACES.sub(" ", element.text_content().replace("\u00a0", " ")).strip()
            if marker == "o" or (len(marker) == 1 and not marker.isalnum()):
                marker = BULLET
            pieces.append(marker + " ")
            return
        if tag in ("ul", "ol", "table", "p", "div", "li") and pieces and not "".join(pieces).endswith((" ", "\n")):
            pieces.append(" ")
        self.content_into(element, pieces)
        if tag in ("p", "div", "li", "td", "th"):
            pieces.append(" ")

    def list(self, element, depth: int) -> None:
        ordered = _tag(element) == "ol"
        kind = (element.get("type") or "1") if ordered else ""
        try:
            number = int(element.get("start") or "1") - 1
        except ValueError:
            number = 0
        for item in element:
            self.tick()
            if _tag(item) in ("ul", "ol"):  # a list put straight into a list: one level deeper
                self.list(item, depth + 1)
                continue
            if _tag(item) != "li":
                continue
            if ordered:
                try:
                    number = int(item.get("value")) if item.get("value") else number + 1
                except ValueError:
                    number += 1
                marker = _ordinal(number, kind)
            else:
                marker = BULLET
            pieces: list[str] = []
            nested = []
            if item.text:
                pieces.append(_SPACES.sub(" ", item.text))
            for child in item:
                if _tag(child) in ("ul", "ol"):
                    nested.append(child)
                else:
                    self.inline_into(child, pieces)
                if child.tail:
                    pieces.append(_SPACES.sub(" ", child.tail))
            text = _SPACES.sub(" ", "".join(pieces)).strip()
            if text:
                self.list_lines.append(INDENT * depth + f"{marker} {text}")
            for child in nested:
                self.list(child, depth + 1)

    def table(self, element) -> None:
        rows = [row for row in element.iter("tr") if _nearest_table(row) is element]
        cells_per_row = [[c for c in row if _tag(c) in ("td", "th")] for row in rows]
        if _is_layout_table(cells_per_row):
            for cells in cells_per_row:
                for cell in cells:
                    self.blocks(cell)
                    self.flush()
            return
        out = []
        for cells in cells_per_row:
            texts = [cell_text(self.inline_text(cell)) for cell in cells]
            if any(texts):
                out.append(texts)
        if out:
            self.end_list()
            self.parts.append(table_lines(out))


def _nearest_table(row):
    for ancestor in row.iterancestors():
        if _tag(ancestor) == "table":
            return ancestor
    return None


def _is_layout_table(rows: list[list]) -> bool:
    """A table used to lay out a page (one column, or cells holding headings, lists, long prose or blocks of
    lines), not data."""
    if not rows or max(len(cells) for cells in rows) <= 1:
        return True
    for cells in rows:
        for cell in cells:
            if any(_tag(e) in HEADINGS or _tag(e) in ("ul", "ol", "table") for e in cell.iter() if e is not cell):
                return True
            if len(_text(cell)) > 600:
                return True
            breaks = sum(1 for e in cell.iter() if e is not cell and _tag(e) in ("br", "p", "div"))
            if breaks >= 3:
                return True  # a block of lines (a signature block: place and date, "Für …", name, role), not a value
    return False


def _ordinal(number: int, kind: str) -> str:
    """An <ol> item's marker: "3.", "c)", "C)", "iii.", "III."."""
    if kind in ("a", "A") and number > 0:
        letters = letter_numeral(number)
        return (letters if kind == "a" else letters.upper()) + ")"
    if kind in ("i", "I") and number > 0:
        return (roman_numeral(number).lower() if kind == "i" else roman_numeral(number)) + "."
    return f"{number}."
