"""Extract the facts of one agreement from its chunks: who, which year, how much, which projects, who signed.

Each fact keeps the id of the chunk it came from, so an answer can cite it.
"""

from __future__ import annotations

import re

from ingest.readers import IngestError
from ingest.structure import HEAD, SIGNATURES
from domain.german import find_amounts, parse_date
from domain.records import AGREEMENT, AMENDMENT, AgreementFacts, Chunk, Project, Signature

_DISTRICT = re.compile(
    r"\bund\s+(?:dem|der|des)\s+(?P<d>(?:(?:Landkreis|Kreis|Stadt|Wissenschaftsstadt|Universitätsstadt|"
    r"Landeshauptstadt)\s+)?[A-ZÄÖÜ][\w\-äöüß]*(?:\s+(?:am|an\s+der|a\.\s?M\.)\s+[A-ZÄÖÜ][\w\-äöüß]*)?)",
)
_YEAR_PATTERNS = [
    re.compile(r"Zielvereinbarung(?:en)?\s+(?:für\s+(?:das\s+Jahr\s+)?)?(?P<y>20\d{2})\b"),
    re.compile(r"Qualifizierungsbudget(?:s)?\s+(?P<y>20\d{2})\b"),
    re.compile(r"\bim\s+Jahr(?:e)?\s+(?P<y>20\d{2})\b"),
]
_AMENDMENT = re.compile(r"(Ä|Ae)nderungsvereinbarung|Nachtrag\s+zur\s+Zielvereinbarung", re.IGNORECASE)
_CATEGORY = re.compile(r"^(?P<no>\d{1,2})\.\s+(?P<title>.+)$")
_BULLET = re.compile(r"^(?:[-–—•▪◦*·]|o(?=\s))\s*")
_SIGN = re.compile(
    r"^(?P<place>[A-ZÄÖÜ][\wäöüß .\-/()]{1,60}?),\s*(?:den\s+|am\s+)?(?P<date>\d{1,2}\.\s?\d{1,2}\.\s?\d{2,4})$"
)
_AUTHORITY = re.compile(r"\bvom\s+(?P<a>(?:Regierungspräsidium|Landesamt|Ministerium|Amt)\b[^–—,;]*?)\s+erlassenen")
_AUTHORITY_FALLBACK = re.compile(r"\b(?P<a>Regierungspräsidium\s+[A-ZÄÖÜ][\wäöüß]+)")
_QUOTES = "„“”\"'‚‘’«»"


def _head_text(chunks: list[Chunk], limit: int = 1500) -> str:
    text = " ".join(c.text for c in chunks[:3])[:limit]
    return re.sub(r"\s+", " ", text)


def find_district(text: str) -> str | None:
    match = _DISTRICT.search(text)
    if not match:
        return None
    return re.sub(r"\s+", " ", match.group("d")).strip()


def find_year(text: str) -> int | None:
    for pattern in _YEAR_PATTERNS:
        if match := pattern.search(text):
            return int(match.group("y"))
    return None


def identify(text: str) -> tuple[str, str, int]:
    """Kind, district and year of a document from its opening text; IngestError if it is no agreement."""
    head = re.sub(r"\s+", " ", text[:2500])
    if "Zielvereinbarung" not in head and not _AMENDMENT.search(head):
        raise IngestError("keine Zielvereinbarung erkannt (das Wort 'Zielvereinbarung' fehlt am Anfang)")
    kind = AMENDMENT if _AMENDMENT.search(head[:600]) else AGREEMENT
    district = find_district(head)
    year = find_year(head)
    if not district:
        raise IngestError("keine Gebietskörperschaft erkannt (erwartet: 'zwischen dem HMSI und dem Landkreis …')")
    if not year:
        raise IngestError("kein Jahr erkannt (erwartet: 'Zielvereinbarung 2025')")
    return kind, district, year


def _budget(chunks: list[Chunk]) -> tuple[int, str, str] | None:
    """The total budget: the amount in the sentence on Haushaltsmittel, preferring one said to be 'insgesamt'."""
    candidates = []
    for chunk in chunks:
        amounts = find_amounts(chunk.text)
        if not amounts:
            continue
        text = chunk.text
        score = 0
        if "Haushaltsmittel" in text or "Haushaltsmittel" in chunk.title:
            score += 2
        if re.search(r"insgesamt|Gesamtbudget|Gesamtsumme", text):
            score += 2
        if chunk.title.startswith("Haushaltsmittel") or "Budget" in chunk.title:
            score += 1
        if score:
            value, written, _ = amounts[-1] if "insgesamt" not in text else _after_insgesamt(text, amounts)
            candidates.append((score, -chunk.ordinal, value, written, chunk.id))
    if not candidates:
        return None
    _, _, value, written, chunk_id = max(candidates)
    return value, written, chunk_id


def _after_insgesamt(text: str, amounts):
    position = text.find("insgesamt")
    for amount in amounts:
        if amount[2] > position:
            return amount
    return amounts[-1]


def _clean_name(text: str) -> str:
    text = text.strip().strip(_QUOTES).strip()
    text = re.sub(r"[\s:–—-]+$", "", text)
    return text.strip(_QUOTES).strip()


def _project(line: str, category: str | None, category_no: int | None, chunk_id: str) -> Project:
    amounts = find_amounts(line)
    amount_eur = amount_text = None
    name = line
    if amounts:
        amount_eur, amount_text, offset = amounts[-1]
        name = line[:offset]
        name = re.sub(r"[(\[]\s*$", "", name.rstrip())
    return Project(_clean_name(name), category, category_no, chunk_id, amount_eur, amount_text)


def _projects(chunks: list[Chunk]) -> list[Project]:
    projects: list[Project] = []
    for chunk in chunks:
        lines = chunk.text.split("\n")
        if len(lines) < 2 or not lines[0].rstrip().endswith(":") or chunk.section in (HEAD, SIGNATURES):
            continue
        if not re.search(r"Projekt|Maßnahme", lines[0]):
            continue
        category, category_no = None, None
        for line in lines[1:]:
            if match := _CATEGORY.match(line):
                category_no = int(match.group("no"))
                category = _clean_name(match.group("title"))
            elif _BULLET.match(line):
                projects.append(_project(_BULLET.sub("", line, count=1), category, category_no, chunk.id))
    return projects


def _signatures(chunks: list[Chunk]) -> list[Signature]:
    signatures: list[Signature] = []
    for chunk in chunks:
        if chunk.section != SIGNATURES:
            continue
        blocks: list[list[str]] = []
        for line in chunk.text.split("\n"):
            if _SIGN.match(line):
                blocks.append([line])
            elif blocks:
                blocks[-1].append(line)
        for block in blocks:
            match = _SIGN.match(block[0])
            rest = block[1:]
            signatures.append(
                Signature(
                    place=match.group("place").strip(),
                    date=parse_date(match.group("date")) or "",
                    date_text=match.group("date"),
                    name=rest[0] if rest else None,
                    role=rest[1] if len(rest) > 1 else None,
                    organisation=" ".join(rest[2:]) or None,
                    chunk_id=chunk.id,
                )
            )
    return signatures


def _authority(chunks: list[Chunk]) -> tuple[str, str] | None:
    for pattern in (_AUTHORITY, _AUTHORITY_FALLBACK):
        for chunk in chunks:
            text = re.sub(r"\s+", " ", chunk.text)
            if match := pattern.search(text):
                return match.group("a").strip(), chunk.id
    return None


def extract_facts(doc_id: str, content_hash: str, kind: str, district: str, year: int, chunks: list[Chunk]) -> AgreementFacts:
    facts = AgreementFacts(
        doc_id=doc_id,
        content_hash=content_hash,
        kind=kind,
        district=district,
        year=year,
        title=_head_text(chunks, 300).split(" zwischen ")[0].strip() or "Zielvereinbarung",
        chunks=len(chunks),
    )
    if budget := _budget(chunks):
        facts.budget_eur, facts.budget_text, facts.budget_chunk = budget
    facts.projects = _projects(chunks)
    facts.signatures = _signatures(chunks)
    if authority := _authority(chunks):
        facts.authority, facts.authority_chunk = authority
    return facts
