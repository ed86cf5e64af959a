"""Supporting documents as documents of their own: what kind each is, which year it belongs to, and a
Bescheid's own facts (granted amount, date, Aktenzeichen, instalments, deadlines), each with its chunk.

The year comes from where it belongs for the kind: a Protokoll's meeting date and a Pressemitteilung's
date first (not a year named in their outlook), a Bescheid's and a Sachbericht's budget year first (a
Bescheid for 2025 may be dated December 2024).
"""

from __future__ import annotations

import re

from domain.german import find_amounts, parse_date
from domain.records import SUPPORTING_TYPES, Chunk, DocumentFact

OTHER = "Dokument"

MONTHS = ("januar", "februar", "märz", "april", "mai", "juni", "juli", "august", "september", "oktober",
          "november", "dezember")
_DATE = r"\d{1,2}\.\s?(?:\d{1,2}\.\s?|(?:" + "|".join(MONTHS) + r")\s+)(?:19|20)\d{2}"
# the date a meeting was held or a release was issued: "Sitzung am 14.10.2025", "Datum: 14. Oktober 2025",
# "Am 14. Oktober 2025 trafen sich …", "Wiesbaden, 12.03.2023"
_EVENT_DATE = re.compile(
    r"(?:(?:Sitzung|Besprechung|Umsetzungsbesprechung|Termin|Treffen|Datum|Tag|Ort\s+und\s+Zeit|Zeit)\s*(?:am|vom|:)?\s*"
    r"|\b[Aa]m\s+|\bvom\s+|^[A-ZÄÖÜ][\wäöüß .\-]{1,40},\s*(?:den\s+)?)(?:\w+,?\s+(?:den\s+)?)?(?P<date>" + _DATE + r")",
    re.IGNORECASE | re.MULTILINE)
_ANY_DATE = re.compile(_DATE, re.IGNORECASE)
_BUDGET_YEAR = re.compile(
    r"(?:für\s+das\s+(?:Haushalts|Förder|Kalender)?[Jj]ahr|Haushaltsjahr|Förderjahr|Berichtsjahr|Bewilligungszeitraum\s*:?\s*"
    r"(?:\d{1,2}\.\d{1,2}\.)?|Zielvereinbarung(?:en)?|Qualifizierungsbudget(?:s)?|im\s+Jahr(?:e)?)\s+(?P<y>20\d{2})\b")


def doc_type(text: str) -> str:
    """The kind of a supporting document by the first kind word in its head; "Dokument" when none stands there."""
    head = " ".join(text[:800].split())
    found = [(m.start(), name) for name, pattern in SUPPORTING_TYPES if (m := pattern.search(head))]
    if not found:
        return OTHER
    first = min(position for position, _ in found)
    return next(name for position, name in found if position == first)  # Änderungsbescheid before Bescheid


def first_kind_word(head: str) -> int | None:
    """Where the first word naming a supporting document stands in a head, or None."""
    return min((m.start() for _, pattern in SUPPORTING_TYPES if (m := pattern.search(head))), default=None)


def _year_of(date_text: str) -> int | None:
    match = re.search(r"(?:19|20)\d{2}", date_text)
    return int(match.group(0)) if match else None


def supporting_year(text: str, kind: str, fallback: int | None) -> int | None:
    """The year a supporting document belongs to, from the place that says so for its kind."""
    head = text[:1500]
    if kind in ("Protokoll", "Pressemitteilung"):
        if match := _EVENT_DATE.search(head):
            return _year_of(match.group("date"))
        if match := _ANY_DATE.search(head[:600]):
            return _year_of(match.group(0))
        return fallback
    if kind in ("Bescheid", "Änderungsbescheid", "Sachbericht"):
        if match := _BUDGET_YEAR.search(" ".join(text.split())):
            return int(match.group("y"))
    return fallback


# --- a Bescheid's own facts --------------------------------------------------------------------------
_SENTENCE_END = re.compile(r"(?<=[.;])\s+(?=[A-ZÄÖÜ0-9(„])|\n")
_GRANT = re.compile(r"bewillig|Zuwendung|gewähr|Förderbetrag|Höchstbetrag|Förderung\s+in\s+Höhe", re.IGNORECASE)
_INSTALMENT = re.compile(r"\bRate\b|\bRaten\b|Teilbetr|Abschlag|Abschlagszahlung|ausgezahlt|Auszahlung", re.IGNORECASE)
_DEADLINE = re.compile(r"\bbis\s+(?:zum|spätestens)|spätestens|Frist|vorzulegen|einzureichen|nachzuweisen|vorzuweisen",
                       re.IGNORECASE)
_FILE_NUMBER = re.compile(
    r"\b(?:Aktenzeichen|Az\.|Az|Geschäftszeichen|Gz\.|Unser\s+Zeichen)\s*:?[ \t]*(?P<v>[A-Z0-9][^\n,;]{2,60}?)"
    r"(?=[ \t]{2,}|[ \t]*$|[ \t]*[,;]|\s+(?:Datum|vom|Bearbeiter|Telefon)\b)", re.MULTILINE)
_ISSUED = re.compile(r"(?:^|\n)\s*(?:(?:Datum|Ausgestellt\s+am)\s*:?\s*|[A-ZÄÖÜ][\wäöüß .\-]{1,40},\s*(?:den\s+)?)"
                     r"(?P<date>" + _DATE + r")\s*(?:$|\n)", re.IGNORECASE)


def _sentences(chunk: Chunk) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(chunk.text) if s and s.strip()]


def _iso(date_text: str) -> str | None:
    if iso := parse_date(date_text):
        return iso
    match = re.match(r"(?P<d>\d{1,2})\.\s*(?P<m>[A-Za-zäÄ]+)\s+(?P<y>\d{4})", date_text.strip())
    if match and match.group("m").lower() in MONTHS:
        return parse_date(f"{match.group('d')}.{MONTHS.index(match.group('m').lower()) + 1}.{match.group('y')}")
    return None


def bescheid_facts(chunks: list[Chunk]) -> list[DocumentFact]:
    """Granted amount, date, Aktenzeichen, instalments and deadlines of a Bescheid, each with its chunk id."""
    facts: list[DocumentFact] = []
    granted = False
    for chunk in chunks:
        text = chunk.text
        if not any(f.name == "aktenzeichen" for f in facts) and (number := _FILE_NUMBER.search(text)):
            facts.append(DocumentFact("aktenzeichen", number.group("v").strip(" .,;"), chunk.id))
        if not any(f.name == "datum" for f in facts) and chunk.ordinal <= 3 and (issued := _ISSUED.search(text)):
            facts.append(DocumentFact("datum", issued.group("date"), chunk.id, date=_iso(issued.group("date"))))
        for sentence in _sentences(chunk):
            amounts = find_amounts(sentence)
            dates = [m.group(0) for m in _ANY_DATE.finditer(sentence)]
            if _INSTALMENT.search(sentence) and (amounts or dates):
                for n, (value, written, offset) in enumerate(amounts or [(None, "", 0)]):  # one fact per instalment
                    following = amounts[n + 1][2] if n + 1 < len(amounts) else len(sentence)
                    due = _ANY_DATE.search(sentence, offset, following) if amounts else _ANY_DATE.search(sentence)
                    facts.append(DocumentFact("rate", sentence, chunk.id, value, _iso(due.group(0)) if due else None))
            elif amounts and not granted and _GRANT.search(sentence):
                facts.append(DocumentFact("bewilligt", sentence, chunk.id, amounts[0][0]))
                granted = True
            if _DEADLINE.search(sentence) and dates and not _INSTALMENT.search(sentence):
                facts.append(DocumentFact("frist", sentence, chunk.id, date=_iso(dates[-1])))
    return facts

