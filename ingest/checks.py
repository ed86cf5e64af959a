"""Checks on the facts extracted from one agreement before they are stored: what was not found, what does
not add up, what stands where it does not belong.

They fill `facts.warnings` (German lines for the person who ingests) and `facts.uncertain` (the names of
facts an answer should not state on their own, but quote the passage for instead). A catalog entry is
either exact or flagged: whatever a check cannot confirm is marked uncertain.

- every entry of the project list is a Maßnahmenart, a project, an amount or detail line, or a known
  sentence; an entry that is none of these is reported;
- no sentence (a finite verb and a full stop) and no fragment of a wrapped line ("Teilnehmende)",
  "01.02.2025 – 31.12.2025") is a project; a Maßnahmenart without a project is reported;
- the list's items with the projects' marker are as many as the projects read from them;
- where every project carries an amount, they add up to the budget, to the budget before an appended
  Nachtrag, to one of the budget's stated parts, or to the list's own sum row;
- the budget comes from a § section (or the list's sum row), the year it names is the agreement's year,
  the district it is given to is the one in the head.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from domain.german import format_euro
from domain.records import AGREEMENT, AgreementFacts, Chunk, Project
from domain.german import find_amounts
from ingest.structure import DETAIL_LINE, OPEN_ENDINGS, ROLE, is_category_line, is_item, is_sentence

if TYPE_CHECKING:
    from ingest.facts import ProjectList

_DATE_RANGE = re.compile(r"\d{1,2}\.\d{1,2}\.(?:\d{2}){1,2}")
_DETAIL_WORD = re.compile(r"\b(?:Träger(?:in)?|Laufzeit|Teilnehmende|Fördersumme)\s*:")
_OPENERS = {"(": ")", "[": "]", "„": "“"}
_STATED_YEAR = re.compile(r"\b(?:im\s+(?:Haushalts)?[Jj]ahr|für\s+das\s+(?:Haushalts|Förder)?[Jj]ahr|Budget(?:s)?)\s+(?P<y>20\d{2})\b")
NAME_MAX = 120
# short words in lower case that names have; any other ('ung', 'te') is the rest of a word a narrow cell broke
_SMALL_WORDS = OPEN_ENDINGS | {"und", "oder", "mit", "ohne", "vor", "bis", "als", "wie", "plus", "fit", "neu", "neue",
                               "e", "v", "ev", "gmbh", "ggmbh", "am", "im", "ins", "zur", "zum", "aus", "bei", "durch"}
_RUNNING_HEAD_NAME = re.compile(r"(?:Ziel|Änderungs)vereinbarung\s+(?:zur\s+Zielvereinbarung\s+)?20\d{2}\s*[–—-]|^Seite\s+\d")


def _doubt(facts: AgreementFacts, fact: str, warning: str) -> None:
    if warning not in facts.warnings:
        facts.warnings.append(warning)
    if fact not in facts.uncertain:
        facts.uncertain.append(fact)


def name_problem(project: Project) -> str | None:
    """Why a project's name cannot be a name (a sentence, a fragment of a wrapped line, a run-on), or None."""
    name = project.name.strip()
    if is_sentence(name):
        return "ein Satz"
    if not name or name[0].islower() or name[0] in ")]“”,;:.-–€" or name[0].isdigit() and _DATE_RANGE.match(name):
        return "ein Zeilenrest"
    if any(name.count(opener) < name.count(closer) or name.count(opener) > name.count(closer)
           for opener, closer in _OPENERS.items() if opener != "„") or name.count("„") < name.count("“") and name[0] != "“":
        return "unvollständige Klammer"
    if _DETAIL_WORD.search(name) or _DATE_RANGE.search(name):
        return "Angaben neben dem Namen"
    if len(name) > NAME_MAX:
        return "zu lang für einen Namen"
    if _RUNNING_HEAD_NAME.search(name):
        return "eine Kopfzeile"
    if any(len(word) <= 4 and word.isalpha() and word.islower() and word not in _SMALL_WORDS for word in name.split()[1:]):
        return "ein getrenntes Wort"
    if name.split()[-1].lower() in OPEN_ENDINGS and len(name.split()) > 1:
        return "ein abgebrochener Zeilenanfang"
    return None


def signer_problem(name: str | None) -> bool:
    """A signer's 'name' that is an office or part of an organisation's name: columns read in the wrong order."""
    if not name:
        return False
    return bool(ROLE.fullmatch(name.strip()) or "," in name or re.search(r"\s(?:und|für|der|des)(?:\s|$)", name)
                or re.search(r"Ministerium|Landkreis|Kreises|Stadt\b|Hessisch", name))


def check_facts(facts: AgreementFacts, lists: list["ProjectList"], recipient: tuple[str, str] | None = None,
                chunks: list[Chunk] | None = None) -> None:
    """Fill the warnings and uncertain facts of an agreement or amendment. `recipient` is the district the
    text gives the budget to, and the section saying so; `chunks` the document's chunks (where facts stand)."""
    if not facts.district:
        _doubt(facts, "district", "keine Gebietskörperschaft erkannt")
    elif recipient and recipient[0] != facts.district:
        _doubt(facts, "district", f"Gebietskörperschaft: der Kopf nennt {facts.district}, {recipient[1]} nennt {recipient[0]}")
    if not facts.year:
        _doubt(facts, "year", "kein Jahr erkannt")
    if facts.budget_eur is None and facts.budget_change_eur is None and facts.kind == AGREEMENT:
        _doubt(facts, "budget", "kein Budget gefunden")
    if not facts.signatures:
        _doubt(facts, "signatures", "keine Unterschriften gefunden")
    elif any(not s.place or not s.date or not s.name for s in facts.signatures):
        _doubt(facts, "signatures", "Unterschriften unvollständig erkannt (Ort, Datum oder Name fehlt)")
    elif any(signer_problem(s.name) for s in facts.signatures):
        _doubt(facts, "signatures", "Unterschriften: ein Name ist ein Amt oder Teil einer Behörde (Spalten vertauscht?)")

    if not lists and facts.kind == AGREEMENT:
        _doubt(facts, "projects", "keine Projektliste gefunden")
    for found in lists:
        _check_list(facts, found)
    for project in facts.projects:
        if problem := name_problem(project):
            _doubt(facts, "projects", f"Projektname „{project.name[:60]}“ ist {problem}")
    for category in facts.categories:
        if (problem := name_problem(Project(category, None, None, ""))) and problem != "zu lang für einen Namen":
            _doubt(facts, "projects", f"Maßnahmenart „{category[:60]}“ ist {problem}")
    _check_amounts(facts, lists)
    if chunks is not None:
        _check_places(facts, chunks, lists)
        _check_region(facts, chunks, lists)


def _check_list(facts: AgreementFacts, found: "ProjectList") -> None:
    section = found.chunk.section
    if not found.projects or found.unread:
        _doubt(facts, "projects", f"{section}: {found.entries} Listeneinträge, {len(found.projects)} Projekte erkannt")
    # numbered paragraphs ("(1) … (2) In die Tabelle werden … aufgenommen:") around a table of projects are no list
    # of projects: the check counts marked items only where some of them gave projects
    if found.marked_items != found.marked_projects and (found.marked_projects or not found.projects):
        _doubt(facts, "projects", f"{section}: {found.marked_items} Aufzählungspunkte, {found.marked_projects} Projekte daraus")
    if found.empty_categories:
        _doubt(facts, "projects", f"{section}: Maßnahmenart ohne Projekte ({found.empty_categories[0][:60]})")
    if found.sum_eur is not None:
        amounts = [p.amount_eur for p in found.projects if p.amount_eur is not None]
        total = sum(amounts)
        complete = len(amounts) == len(found.projects)
        if found.projects and total != found.sum_eur and (complete or total > found.sum_eur):
            _doubt(facts, "projects", f"Summenzeile {format_euro(found.sum_eur)} ≠ Summe der Projekte {format_euro(total)}")


def _check_amounts(facts: AgreementFacts, lists: list["ProjectList"]) -> None:
    """Project amounts against the budget: never above it; where every project has one, their sum is the budget
    (or what it was before an appended Nachtrag, or one of its stated parts, or the list's sum row)."""
    amounts = [p.amount_eur for p in facts.projects if p.amount_eur is not None]
    project_total = sum(amounts)
    if facts.budget_eur is not None and project_total > facts.budget_eur and (
            facts.original_budget_eur is None or project_total > facts.original_budget_eur):
        _doubt(facts, "projects",
               f"Projektbeträge ({format_euro(project_total)}) übersteigen das Budget ({format_euro(facts.budget_eur)})")
        _doubt(facts, "budget",
               f"Projektbeträge ({format_euro(project_total)}) übersteigen das Budget ({format_euro(facts.budget_eur)})")
        return
    if not amounts or len(amounts) != len(facts.projects) or facts.budget_eur is None or facts.kind != AGREEMENT:
        return
    allowed = {facts.budget_eur, facts.original_budget_eur}
    allowed |= {part.amount_eur for part in facts.budget_parts}
    allowed |= {found.sum_eur for found in lists if found.sum_eur is not None}
    if project_total not in allowed:
        if any(found.sum_eur == facts.budget_eur for found in lists):
            return  # the list's sum row confirms the budget; the Summenzeile check has flagged the projects
        warning = f"Summe der Projektbeträge ({format_euro(project_total)}) ≠ Budget ({format_euro(facts.budget_eur)})"
        if project_total > facts.budget_eur or facts.budget_chunk is None or facts.budget_computed:
            _doubt(facts, "projects", warning)
            _doubt(facts, "budget", warning)
        elif warning not in facts.warnings:  # below a budget § 4 states: said, not doubted (part of it may be unassigned)
            facts.warnings.append(warning)


def _project_like(line: str) -> bool:
    """A line that reads like an entry of a project list: a marker, an amount, a detail label, a Maßnahmenart."""
    line = line.strip()
    return bool(line) and not is_sentence(line) and (
        is_item(line) or bool(find_amounts(line)) or bool(DETAIL_LINE.match(line)) or is_category_line(line))


def _check_region(facts: AgreementFacts, chunks: list[Chunk], lists: list["ProjectList"]) -> None:
    """Every line of the project region is read: after a project list, its section holds no further entries
    (a list cut in two by a line the reader took for a sentence leaves its rest behind)."""
    used = {found.chunk.id for found in lists}
    for found in lists:
        after = [c for c in chunks if c.section == found.chunk.section and c.ordinal > found.chunk.ordinal and c.id not in used]
        for chunk in after:
            left = [line for line in chunk.text.split("\n") if _project_like(line)]
            if left:
                _doubt(facts, "projects", f"{chunk.section}: nach der Projektliste nicht gelesen: „{left[0].strip()[:60]}“")
                return


def _check_places(facts: AgreementFacts, chunks: list[Chunk], lists: list["ProjectList"]) -> None:
    """A budget from a § section or the list's sum row, naming the agreement's own year."""
    if facts.budget_chunk is None:
        return
    chunk = next((c for c in chunks if c.id == facts.budget_chunk), None)
    if chunk is None:
        return
    from_list = any(found.chunk.id == chunk.id for found in lists)
    if not from_list and not (chunk.numbered or chunk.section.startswith("Nachtrag")):
        _doubt(facts, "budget", f"Budget steht nicht in einem Paragraphen ({chunk.section})")
    years = {int(m.group("y")) for m in _STATED_YEAR.finditer(" ".join(chunk.text.split()))}
    if facts.year and years and facts.year not in years:
        _doubt(facts, "year", f"Jahr: der Kopf nennt {facts.year}, {chunk.section} nennt {min(years)}")
