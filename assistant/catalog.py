"""The facts catalog seen as district-years: each district's agreement for a year with its amendments.

Pure functions over `AgreementFacts`; the answer engine, the library view and `agreements list` use them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import cached_property

from domain.districts import is_city
from domain.german import fold
from domain.records import AMENDMENT, SUPPORTING, AgreementFacts, DocumentFact, Project


@dataclass
class Group:
    """One district's year: the agreement and its amendments (oldest first)."""

    district: str
    year: int
    agreement: AgreementFacts | None
    amendments: list[AgreementFacts]
    conflicts: list[AgreementFacts] = field(default_factory=list)  # further agreements for the same district and year

    @property
    def main(self) -> AgreementFacts:
        return self.agreement or self.amendments[0]

    @property
    def documents(self) -> list[AgreementFacts]:
        """The agreement (if on file), any conflicting agreements, then its amendments."""
        return [d for d in [self.agreement, *self.conflicts, *self.amendments] if d]

    @cached_property
    def project_changes(self) -> tuple[list[Project], list[Project]]:
        """What the amendments did to the agreement's project list: (projects added, projects taken out), each as
        the amendment names it. An amendment that lists most of the agreement's projects restates the list."""
        if self.agreement is None:
            return [], []
        listed = {fold(p.name): p for p in self.agreement.projects}
        added: list[Project] = []
        removed: list[Project] = []
        for doc in self.amendments:
            if "projects" in doc.uncertain:
                continue
            its = {fold(p.name) for p in doc.projects}
            added += [p for p in doc.projects if fold(p.name) not in listed]
            if listed and len(its & set(listed)) * 2 >= len(listed):  # the whole list restated: what it leaves out is gone
                removed += [p for key, p in listed.items() if key not in its]
            removed += [replace(p, category=listed[fold(p.name)].category) for p in doc.removed_projects
                        if fold(p.name) in listed]
        gone = {fold(p.name) for p in removed}
        return [p for p in added if fold(p.name) not in gone], removed

    @cached_property
    def listing(self) -> AgreementFacts:
        """The agreement as its project list stands after the amendments (the main document if none changed it)."""
        added, removed = self.project_changes
        if not added and not removed:
            return self.main
        gone = {fold(p.name) for p in removed}
        projects = [p for p in self.agreement.projects if fold(p.name) not in gone]
        for project in added:  # after the last project of its Maßnahmenart, or at the end
            same = [i for i, p in enumerate(projects) if (p.category_no and p.category_no == project.category_no)
                    or (p.category and project.category and fold(p.category) == fold(project.category))]
            projects.insert(same[-1] + 1 if same else len(projects), replace(project, category=projects[same[-1]].category)
                            if same else project)
        return replace(self.agreement, projects=projects)

    @property
    def current_budget(self) -> AgreementFacts | None:
        """The document that holds the budget in force: the newest amendment that states one, else the agreement."""
        for doc in reversed(self.amendments):
            if doc.budget_eur is not None:
                return doc
        return self.agreement if self.agreement and self.agreement.budget_eur is not None else None


def agreements_only(catalog: list[AgreementFacts]) -> list[AgreementFacts]:
    """Agreements and amendments; supporting documents (Bescheide, Fördergrundsätze …) have no catalog facts."""
    return [d for d in catalog if d.kind != SUPPORTING]


def group_agreements(catalog: list[AgreementFacts]) -> list[Group]:
    """Each district's year with its agreement and its amendments (oldest first)."""
    by_key: dict[tuple[str, int], Group] = {}
    for doc in agreements_only(catalog):
        group = by_key.setdefault((doc.district, doc.year), Group(doc.district, doc.year, None, []))
        if doc.kind == AMENDMENT:
            group.amendments.append(doc)
        elif group.agreement is None:
            group.agreement = doc
        else:
            group.conflicts.append(doc)
    for group in by_key.values():
        group.amendments.sort(key=lambda d: (max((s.date for s in d.signatures), default=""), d.doc_id))
    return sorted(by_key.values(), key=lambda g: (g.district, g.year))


def amended_agreement(doc: AgreementFacts, catalog: list[AgreementFacts]) -> str | None:
    """The file of the agreement an amendment changes (same district and year), if ingested."""
    if doc.kind != AMENDMENT:
        return None
    for other in agreements_only(catalog):
        if other.kind != AMENDMENT and other.district == doc.district and other.year == doc.year:
            return other.doc_id
    return None


def granted(catalog: list[AgreementFacts], district: str, year: int) -> tuple[AgreementFacts, DocumentFact] | None:
    """The newest Bescheid of a district-year that states the amount it grants, with that fact."""
    found = [(d, f) for d in catalog if d.kind == SUPPORTING and d.district == district and d.year == year
             for f in d.details if f.name == "bewilligt" and f.amount_eur is not None]
    issued = {d.doc_id: next((f.date or "" for f in d.details if f.name == "datum"), "") for d, _ in found}
    return max(found, key=lambda pair: (issued[pair[0].doc_id], pair[0].doc_type == "Änderungsbescheid"), default=None)


# a part of the library a question is asked over: "die kreisfreien Städte", "alle Landkreise"; "Kreise und Städte" is all
_CITIES = re.compile(r"\bstaedte[n]?\b|\bcities\b")
_LANDKREISE = re.compile(r"\blandkreise[n]?\b|\bcounties\b")


def named_part(folded_question: str, groups: list[Group]) -> tuple[list[Group], str]:
    """Only the cities, or only the Landkreise, where the question asks over that part of the library; with the
    part's name ("" for all)."""
    cities, kreise = bool(_CITIES.search(folded_question)), bool(_LANDKREISE.search(folded_question))
    if cities and not kreise and not re.search(r"\bkreise\b", folded_question):
        return [g for g in groups if is_city(g.district)], "die kreisfreien Städte"
    if kreise and not cities:
        return [g for g in groups if not is_city(g.district)], "die Landkreise"
    return groups, ""
