"""Checks on the facts extracted from one agreement: what was not found, what does not add up.

They fill `facts.warnings` (German lines for the person who ingests) and `facts.uncertain` (the names
of facts an answer should not state on their own, but quote the passage for instead).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from domain.german import format_euro
from domain.records import AGREEMENT, AgreementFacts

if TYPE_CHECKING:
    from ingest.facts import ProjectList


def _doubt(facts: AgreementFacts, fact: str, warning: str) -> None:
    facts.warnings.append(warning)
    if fact not in facts.uncertain:
        facts.uncertain.append(fact)


def check_facts(facts: AgreementFacts, lists: list["ProjectList"], recipient: tuple[str, str] | None = None) -> None:
    """Fill the warnings and uncertain facts of an agreement or amendment. `recipient` is the district the
    text gives the budget to, and the section saying so."""
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

    if not lists and facts.kind == AGREEMENT:
        _doubt(facts, "projects", "keine Projektliste gefunden")
    for found in lists:
        section = found.chunk.section
        if not found.projects or found.unread:
            _doubt(facts, "projects", f"{section}: {found.entries} Listeneinträge, {len(found.projects)} Projekte erkannt")
        if found.sum_eur is not None:
            amounts = [p.amount_eur for p in found.projects if p.amount_eur is not None]
            total = sum(amounts)
            complete = len(amounts) == len(found.projects)
            if found.projects and total != found.sum_eur and (complete or total > found.sum_eur):
                _doubt(facts, "projects",
                       f"Summenzeile {format_euro(found.sum_eur)} ≠ Summe der Projekte {format_euro(total)}")

    project_total = sum(p.amount_eur for p in facts.projects if p.amount_eur is not None)
    if facts.budget_eur is not None and project_total > facts.budget_eur:
        _doubt(facts, "projects",
               f"Projektbeträge ({format_euro(project_total)}) übersteigen das Budget ({format_euro(facts.budget_eur)})")
        if "budget" not in facts.uncertain:
            facts.uncertain.append("budget")
