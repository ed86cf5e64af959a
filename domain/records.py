"""The records every stage passes along: chunks of agreement text and the facts of one agreement.

`ingest` produces them, `vectorstore` keeps them, `assistant` reads them. They are plain
dataclasses that turn into Chroma metadata or JSON and back.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, dataclass, field

AGREEMENT = "agreement"
AMENDMENT = "amendment"
SUPPORTING = "supporting"  # Bescheid, Fördergrundsätze, Sachbericht …: searchable and cited, no catalog facts

# the kinds of supporting document, (name, pattern), most specific first: the first found in a document's head
# names its kind (ingest); a question that names one ranks that kind's documents first (assistant)
SUPPORTING_TYPES = [
    ("Änderungsbescheid", re.compile(r"(?:Ä|Ae)nderungsbescheid", re.IGNORECASE)),
    ("Bescheid", re.compile(r"bescheid\b", re.IGNORECASE)),
    ("Fördergrundsätze", re.compile(r"Fördergrundsätze|Förderrichtlinie|Richtlinie\b", re.IGNORECASE)),
    ("Sachbericht", re.compile(r"Sachbericht|Verwendungsnachweis\b|Jahresbericht", re.IGNORECASE)),
    ("Pressemitteilung", re.compile(r"Pressemitteilung|Presseinformation|Pressemeldung", re.IGNORECASE)),
    ("Protokoll", re.compile(r"Protokoll|Niederschrift|Ergebnisvermerk|Gesprächsvermerk", re.IGNORECASE)),
    ("Kooperationsvereinbarung", re.compile(r"Kooperationsvereinbarung|Kooperationsvertrag", re.IGNORECASE)),
]


# the numbered sections an agreement is divided into, as its drafters name them ("§ 4", "Artikel 2", "Ziffer 4")
NUMBERED_SECTIONS = ("§", "Artikel", "Ziffer", "Abschnitt")


@dataclass
class Chunk:
    """One paragraph (or one list with its heading) of an agreement, with where it stands."""

    id: str
    doc_id: str
    content_hash: str
    district: str
    year: int
    kind: str
    section: str  # "§ 4" (or "Artikel 2", "Ziffer 4"), "Präambel", "Kopf", "Unterschriften"
    title: str  # "Haushaltsmittel und Eckdaten"
    text: str
    ordinal: int  # position of the chunk in its document
    page: int | None = None  # 1-based, for PDFs
    start: int = 0  # character offsets into the document's extracted text
    end: int = 0

    @property
    def numbered(self) -> bool:
        """In one of the agreement's numbered sections (not its head, preamble, signatures or free text)."""
        return self.section.startswith(NUMBERED_SECTIONS)

    @property
    def header(self) -> str:
        """The line that places the chunk: district, year, section and title."""
        heading = f"{self.section} {self.title}".strip()
        return f"{self.district} | {self.year} | {heading}"

    def metadata(self) -> dict:
        meta = {
            "doc_id": self.doc_id,
            "content_hash": self.content_hash,
            "district": self.district,
            "year": self.year,
            "kind": self.kind,
            "section": self.section,
            "title": self.title,
            "ordinal": self.ordinal,
            "start": self.start,
            "end": self.end,
        }
        if self.page is not None:
            meta["page"] = self.page
        return meta

    @classmethod
    def from_stored(cls, chunk_id: str, text: str, meta: dict) -> "Chunk":
        return cls(
            id=chunk_id,
            doc_id=meta["doc_id"],
            content_hash=meta["content_hash"],
            district=meta["district"],
            year=int(meta["year"]),
            kind=meta["kind"],
            section=meta["section"],
            title=meta.get("title", ""),
            text=text,
            ordinal=int(meta.get("ordinal", 0)),
            page=meta.get("page"),
            start=int(meta.get("start", 0)),
            end=int(meta.get("end", 0)),
        )


@dataclass
class Project:
    name: str
    category: str | None
    category_no: int | None
    chunk_id: str
    amount_eur: int | None = None
    amount_text: str | None = None  # the amount as the agreement writes it
    former_name: str | None = None  # "Neustart (bisher: Jobstarter)": the name it had before
    carrier: str | None = None  # Träger, where the list names one beside the project
    runtime: str | None = None  # Laufzeit as written ("01.02.2025 – 31.12.2025")
    participants: int | None = None  # Teilnehmende / Plätze


@dataclass
class BudgetPart:
    """A part of the budget the text states on its own: the Landesmittel and ESF-Plus-Mittel a budget is made
    of ("part"), or an amount set aside within it ("share": "davon 120.000 Euro für Teilzeitausbildung")."""

    label: str  # "Landesmittel", "ESF-Plus-Mittel", "Teilzeitausbildung"
    amount_eur: int
    amount_text: str
    chunk_id: str
    role: str = "part"  # part | share | earlier (a budget of an earlier year, stated for comparison)


@dataclass
class DocumentFact:
    """A fact of a supporting document with the chunk it stands in: a Bescheid's granted amount, its date,
    Aktenzeichen, instalments and deadlines."""

    name: str  # "bewilligt", "datum", "aktenzeichen", "rate", "frist"
    text: str  # as written, for the citation
    chunk_id: str
    amount_eur: int | None = None
    date: str | None = None  # ISO


@dataclass
class Signature:
    place: str
    date: str  # ISO date
    date_text: str  # as written: "2.8.2025"
    name: str | None
    role: str | None
    organisation: str | None
    chunk_id: str


@dataclass
class AgreementFacts:
    """What the catalog knows of one ingested document. `doc_id` is the file name as ingested."""

    doc_id: str
    content_hash: str
    kind: str
    district: str
    year: int
    title: str
    budget_eur: int | None = None
    budget_text: str | None = None
    budget_chunk: str | None = None
    projects: list[Project] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    authority: str | None = None
    authority_chunk: str | None = None
    pages: int | None = None
    chunks: int = 0
    source_path: str = ""
    ingested_at: str = ""
    # amendments that state only the change ("erhöht um 50.000 Euro"): the signed difference in euro
    budget_change_eur: int | None = None
    doc_type: str = ""  # for SUPPORTING documents: "Bescheid", "Fördergrundsätze", …
    ocr: bool = False  # the text was read from a scan by OCR
    # extraction checks: one line per problem ("§ 5: 7 Listeneinträge, 0 Projekte erkannt") and the names of
    # the facts that are not certain ("budget", "projects", "signatures", "district", "year", "authority")
    warnings: list[str] = field(default_factory=list)
    uncertain: list[str] = field(default_factory=list)
    # a budget stated only as its parts (Landesmittel + ESF-Plus-Mittel): the total is their sum, computed here
    budget_computed: bool = False
    budget_parts: list[BudgetPart] = field(default_factory=list)
    # a Nachtrag appended inside the agreement's own file changed the budget: what § 4 first said, and where
    original_budget_eur: int | None = None
    original_budget_chunk: str | None = None
    details: list[DocumentFact] = field(default_factory=list)  # supporting documents' own facts (Bescheid)
    # a budget of an earlier year the agreement states for comparison ("nachrichtlich: Mittel im Vorjahr 2024 | …"),
    # each with that year as its name
    earlier_budgets: list[BudgetPart] = field(default_factory=list)
    # projects an amendment takes out of the agreement's list ("Das Vorhaben „Brückenjahr Handwerk“ entfällt"),
    # as named there, each with the chunk that says so
    removed_projects: list[Project] = field(default_factory=list)

    def is_certain(self, fact: str) -> bool:
        """Whether an answer may state `fact` ("budget", "projects", "signatures", "district", "year",
        "authority", "kind") from the catalog; if not, it quotes the passage instead."""
        return fact not in self.uncertain

    @property
    def confident(self) -> bool:
        """Every check passed: no fact of this catalog entry is flagged uncertain."""
        return not self.uncertain

    @property
    def categories(self) -> list[str]:
        seen: list[str] = []
        for project in self.projects:
            if project.category and project.category not in seen:
                seen.append(project.category)
        return seen

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "AgreementFacts":
        data = json.loads(text)
        data["projects"] = [Project(**p) for p in data.get("projects", [])]
        data["signatures"] = [Signature(**s) for s in data.get("signatures", [])]
        data["budget_parts"] = [BudgetPart(**b) for b in data.get("budget_parts", [])]
        data["details"] = [DocumentFact(**d) for d in data.get("details", [])]
        data["earlier_budgets"] = [BudgetPart(**b) for b in data.get("earlier_budgets", [])]
        data["removed_projects"] = [Project(**p) for p in data.get("removed_projects", [])]
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in data.items() if k in known})
