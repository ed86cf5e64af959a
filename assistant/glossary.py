"""The glossary for new coordinators: AQB, HMSI, BaE, OloV, … with a short definition each.

The entries live in `prompts/glossary.toml` (data, versioned with the code). `lookup` finds the term a
definition question asks about ("was ist BaE?", "was bedeutet OloV", "AQB?"); `passages` finds where a term
stands in the agreements on file, so a definition can come with a cited passage.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from typing import Iterable

from domain.german import fold
from domain.records import Chunk
from prompts import FOLDER

_DEFINITION_QUESTION = re.compile(
    r"^\s*(?:(?:was|wofür|wofuer|wozu)\s+(?:ist|sind|bedeutet|bedeuten|heißt|heisst|meint|steht)(?:\s+(?:eigentlich|genau|denn))*"
    r"|was\s+versteht\s+man\s+unter|was\s+(?:ist|sind)\s+mit|erkläre?|erklären\s+sie|erklaere?|definiere|definition\s+(?:von|für)?"
    r"|bedeutung\s+(?:von|des|der)?|what\s+(?:is|are|does)(?:\s+an?|\s+the)?|explain|meaning\s+of)\b(?P<rest>.*)$",
    re.IGNORECASE,
)
_FILLER = {"der", "die", "das", "ein", "eine", "einer", "eines", "einem", "einen", "den", "dem", "des", "the", "a", "an",
           "eigentlich", "genau", "denn", "bitte", "abkuerzung", "abkürzung", "begriff", "kurz", "mean", "stand", "for",
           "fuer", "für", "im", "in", "aqb-kontext", "kontext", "gemeint", "damit", "hier", "mit", "unter", "steht", "stehen",
           "hinter", "dahinter"}


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The term and its aliases, longest first (the most specific match wins)."""
        return tuple(sorted({self.term, *self.aliases}, key=len, reverse=True))


@cache
def entries() -> list[GlossaryEntry]:
    """Every glossary entry, sorted by term (case-insensitive)."""
    table = tomllib.loads((FOLDER / "glossary.toml").read_text(encoding="utf-8"))
    found = [GlossaryEntry(e["term"], " ".join(e["definition"].split()), tuple(e.get("aliases", ())))
             for e in table.get("entry", [])]
    return sorted(found, key=lambda e: fold(e.term))


def _pattern(name: str) -> re.Pattern:
    words = [re.escape(w) for w in fold(name).split()]
    return re.compile(r"(?<!\w)" + r"[\s-]+".join(words) + r"(?!\w)")


@cache
def _patterns() -> list[tuple[GlossaryEntry, str, re.Pattern]]:
    """(entry, name, pattern) for every name of every entry, longest name first."""
    pairs = [(e, n) for e in entries() for n in e.names]
    pairs.sort(key=lambda p: len(p[1]), reverse=True)
    return [(e, n, _pattern(n)) for e, n in pairs]


def _only_filler(text: str) -> bool:
    return all(w in _FILLER for w in re.findall(r"[\wäöüß-]+", text))


def lookup(text: str) -> GlossaryEntry | None:
    """The entry a definition question asks about: "was ist BaE?", "Was bedeutet OloV", "AQB?",
    "Was versteht man unter einem Verwendungsnachweis?". None for other questions ("Wie viel Geld bekommt
    der Landkreis Gießen?"), also when they mention a glossary term in passing."""
    folded = fold(text or "").strip()
    if not folded or len(folded) > 300:
        return None
    asked = _DEFINITION_QUESTION.match(folded)
    rest = asked.group("rest") if asked else folded
    rest = rest.strip(" ?!.:;,\"'„“”")
    for entry, _name, pattern in _patterns():
        match = pattern.search(rest)
        if match and _only_filler(rest[: match.start()] + " " + rest[match.end():]):
            return entry
    return None


def passages(entry: GlossaryEntry, chunks: Iterable[Chunk], limit: int = 3) -> list[Chunk]:
    """The passages of the agreements on file that use the term (or one of its names), newest year first,
    at most one per document."""
    patterns = [_pattern(n) for n in entry.names]
    seen: set[str] = set()
    found: list[Chunk] = []
    for chunk in sorted(chunks, key=lambda c: (-c.year, c.district, c.doc_id, c.ordinal)):
        if chunk.doc_id in seen:
            continue
        text = fold(chunk.text)
        if any(p.search(text) for p in patterns):
            found.append(chunk)
            seen.add(chunk.doc_id)
            if len(found) >= limit:
                break
    return found


def excerpt(entry: GlossaryEntry, text: str, width: int = 120) -> tuple[str, str, str]:
    """The words around the first use of the term in a text: (before, the term as written, after), each
    shortened to about `width` characters; ("", "", start of the text) when the term does not occur."""
    flat = " ".join(text.split())
    folded = fold(flat)
    spans = [m.span() for m in (_pattern(n).search(folded) for n in entry.names) if m]
    if not spans or len(folded) != len(flat):  # folding changed the length (ä -> ae): search the text itself
        spans = [m.span() for m in (re.search(r"(?<!\w)" + r"[\s-]+".join(map(re.escape, n.split())) + r"(?!\w)", flat,
                                              re.IGNORECASE) for n in entry.names) if m]
    if not spans:
        return "", "", flat[: 2 * width]
    start, end = min(spans)
    before, after = flat[:start], flat[end:]
    if len(before) > width:
        before = "… " + before[-width:].split(" ", 1)[-1]
    if len(after) > width:
        after = after[:width].rsplit(" ", 1)[0] + " …"
    return before, flat[start:end], after
