"""The facts catalog seen as district-years: each district's agreement for a year with its amendments.

Pure functions over `AgreementFacts`; the answer engine, the library view and `agreements list` use them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from domain.records import AMENDMENT, SUPPORTING, AgreementFacts


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
