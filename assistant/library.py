"""The library service: what the web chat's library and Steckbrief show, computed from the facts catalog.

Rows of the agreements on file, budgets of a year with the change from the year before, one Steckbrief
(profile) per agreement and the "Stand" line. Numbers are formatted here, German or English (babel);
the web layer only lays them out and escapes every piece of document text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from babel.numbers import format_decimal, format_percent

from assistant.catalog import Group, granted, group_agreements
from domain.districts import BY_NAME, STADT, genitive
from domain.records import AMENDMENT, SUPPORTING, AgreementFacts

LOCALES = {"de": "de_DE", "en": "en_GB"}


# -- numbers and words ---------------------------------------------------------------------------------
def number(value: int | float, lang: str = "de") -> str:
    """1516560 -> '1.516.560' (de) or '1,516,560' (en)."""
    return format_decimal(value, locale=LOCALES.get(lang, "de_DE"))


def euro(value: int | None, lang: str = "de") -> str:
    """1516560 -> '1.516.560 €' (de) or '€1,516,560' (en); '–' when unknown."""
    if value is None:
        return "–"
    return f"{number(value, lang)} €" if lang == "de" else f"€{number(value, lang)}"


def signed_euro(value: int, lang: str = "de") -> str:
    """+114260 -> '+114.260 €', -5000 -> '−5.000 €', 0 -> '±0 €'."""
    sign = "+" if value > 0 else "−" if value < 0 else "±"
    return f"{sign}{euro(abs(value), lang)}"


def signed_percent(change: int, before: int, lang: str = "de") -> str:
    """+114260 of 1402300 -> '+8,1 %'; '' when there is no base to compare with."""
    if not before:
        return ""
    share = change / before
    sign = "+" if change > 0 else "−" if change < 0 else "±"
    return sign + format_percent(abs(share), "#,##0.0 %", locale=LOCALES.get(lang, "de_DE"))


def count(n: int, singular: str, plural: str) -> str:
    """'1 Vereinbarung', '3 Vereinbarungen'."""
    return f"{number(n)} {singular if n == 1 else plural}"


def date_de(iso: str) -> str:
    """'2025-08-02' -> '02.08.2025'; the text unchanged if it is no ISO date."""
    try:
        return datetime.fromisoformat(iso).strftime("%d.%m.%Y")
    except (TypeError, ValueError):
        return iso or ""


def timestamp_de(iso: str) -> str:
    """'2026-11-25T17:04:44+00:00' -> '25.11.2026, 18:04 Uhr' (German local time, as the staff read clocks)."""
    try:
        when = datetime.fromisoformat(iso)
    except (TypeError, ValueError):
        return iso or ""
    if when.utcoffset() is not None:
        when = when.astimezone(ZoneInfo("Europe/Berlin"))
    return when.strftime("%d.%m.%Y, %H:%M Uhr")


def kind_label(doc: AgreementFacts) -> str:
    if doc.kind == AMENDMENT:
        return "Änderungsvereinbarung"
    if doc.kind == SUPPORTING:
        return doc.doc_type or "weiteres Dokument"
    return "Zielvereinbarung"


# -- the library's rows --------------------------------------------------------------------------------
def document_rows(catalog: list[AgreementFacts]) -> list[dict[str, str]]:
    """One row per document on file, formatted for display (district, year, kind, budget, projects, file)."""
    rows = []
    for d in sorted(catalog, key=lambda d: (d.district, d.year, d.kind != "agreement", d.doc_id)):
        rows.append({
            "Gebietskörperschaft": d.district or "–", "Jahr": str(d.year) if d.year else "–", "Art": kind_label(d),
            "Budget": euro(d.budget_eur) if d.budget_eur is not None else
            (signed_euro(d.budget_change_eur) if d.budget_change_eur is not None else "–"),
            "Projekte": str(len(d.projects)) if d.kind != SUPPORTING else "–",
            "Hinweise": str(len(d.warnings)) if d.warnings else "",
            "Datei": d.doc_id,
        })
    return rows


@dataclass
class BudgetRow:
    district: str
    year: int
    budget: int
    previous: int | None  # the budget in force the year before, if on file
    doc_id: str

    @property
    def change(self) -> int | None:
        return None if self.previous is None else self.budget - self.previous

    def cells(self, lang: str = "de") -> dict[str, str]:
        change = self.change
        return {
            "Gebietskörperschaft": self.district,
            "Budget": euro(self.budget, lang),
            "Vorjahr": euro(self.previous, lang) if self.previous is not None else "–",
            "Veränderung": "–" if change is None else
            f"{signed_euro(change, lang)} ({signed_percent(change, self.previous, lang)})".replace(" ()", ""),
        }


def budget_years(catalog: list[AgreementFacts]) -> list[int]:
    """The years with a budget on file, newest first."""
    return sorted({g.year for g in group_agreements(catalog) if g.current_budget}, reverse=True)


def budgets(catalog: list[AgreementFacts], year: int | None = None) -> tuple[int | None, list[BudgetRow]]:
    """The budgets in force (amendments applied) of one year (default: the newest), largest first, each with
    the budget of the year before."""
    groups = group_agreements(catalog)
    in_force = {(g.district, g.year): g.current_budget for g in groups if g.current_budget}
    years = sorted({y for _, y in in_force}, reverse=True)
    if year is None:
        year = years[0] if years else None
    rows = []
    for (district, y), doc in in_force.items():
        if y != year:
            continue
        before = in_force.get((district, y - 1))
        rows.append(BudgetRow(district, y, doc.budget_eur, before.budget_eur if before else None, doc.doc_id))
    rows.sort(key=lambda r: (-r.budget, r.district))
    return year, rows


def budgets_csv(rows: list[BudgetRow]) -> str:
    """The budget table as CSV for spreadsheets (semicolons, plain integers, German headings)."""
    lines = ["Gebietskörperschaft;Jahr;Budget (Euro);Vorjahr (Euro);Veränderung (Euro);Veränderung (%)"]
    for r in rows:
        pct = "" if r.change is None or not r.previous else f"{r.change / r.previous * 100:.1f}".replace(".", ",")
        lines.append(";".join([_csv_cell(r.district), str(r.year), str(r.budget),
                               "" if r.previous is None else str(r.previous),
                               "" if r.change is None else str(r.change), pct]))
    return "\n".join(lines) + "\n"


def _csv_cell(text: str) -> str:
    text = text.replace('"', '""')
    if text[:1] in ("=", "+", "-", "@"):  # no formulas in a spreadsheet from document text
        text = "'" + text
    return f'"{text}"'


# -- Stand ---------------------------------------------------------------------------------------------
def stand(catalog: list[AgreementFacts]) -> str:
    """'3 Vereinbarungen (2 Gebietskörperschaften, 2024–2025), zuletzt eingelesen am 25.11.2026, 17:04 Uhr'."""
    agreements = [d for d in catalog if d.kind != SUPPORTING]
    others = len(catalog) - len(agreements)
    if not catalog:
        return "Noch keine Vereinbarungen eingelesen."
    districts = {d.district for d in agreements}
    years = sorted({d.year for d in agreements})
    span = "" if not years else str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
    text = count(len(agreements), "Vereinbarung", "Vereinbarungen")
    if agreements:
        text += f" ({count(len(districts), 'Gebietskörperschaft', 'Gebietskörperschaften')}, {span})"
    if others:
        text += f" und {count(others, 'weiteres Dokument', 'weitere Dokumente')}"
    latest = max((d.ingested_at for d in catalog if d.ingested_at), default="")
    if latest:
        text += f", zuletzt eingelesen am {timestamp_de(latest)}"
    return text


# -- Steckbrief ----------------------------------------------------------------------------------------
@dataclass
class Signatory:
    name: str
    role: str
    organisation: str
    place: str
    date: str


@dataclass
class Profile:
    """The Steckbrief of one district's agreement for a year (with its amendments)."""

    key: str  # "Landkreis Gießen|2025"
    title: str  # "Zielvereinbarung 2025 des Landkreises Gießen"
    district: str
    year: int
    parties: list[str]
    budget: str  # in force, amendments applied
    budget_original: str  # as the agreement itself states it ("" if no amendment changed it)
    change_to_previous: str
    projects: dict[str, list[str]]  # Maßnahmenart -> project lines
    signatories: list[Signatory]
    authority: str
    amendments: list[str]  # "Änderungsvereinbarung (datei.txt): Budget 1.600.000 €, unterzeichnet am …"
    warnings: list[str]
    files: list[tuple[str, str]]  # (file name, path on disk) of every document of the group
    question: str  # a question to ask about it in the chat
    conflicts: list[str] = field(default_factory=list)
    # the Bescheide of the district-year: "Bescheid vom 22.09.2025 (datei.txt), Az. …: bewilligt …; Fristen: …"
    bescheide: list[str] = field(default_factory=list)
    granted_difference: str = ""  # "Bescheid bewilligt 1.187.455 €, 61.445 € weniger als die Zielvereinbarung"


def profile_keys(catalog: list[AgreementFacts]) -> list[tuple[str, str]]:
    """(label, key) of every district-year, newest year first: ('Landkreis Gießen 2025', 'Landkreis Gießen|2025')."""
    groups = sorted(group_agreements(catalog), key=lambda g: (-g.year, g.district))
    return [(f"{g.district} {g.year}", f"{g.district}|{g.year}") for g in groups]


def profile(catalog: list[AgreementFacts], key: str) -> Profile | None:
    district, _, year = key.rpartition("|")
    groups = group_agreements(catalog)
    group = next((g for g in groups if g.district == district and str(g.year) == year), None)
    if group is None:
        return None
    found = _profile(group, groups)
    _add_bescheide(found, catalog, group)
    return found


def _add_bescheide(found: Profile, catalog: list[AgreementFacts], group: Group) -> None:
    """The Bescheide on file for the district-year, with their own facts, and where the granted amount differs
    from the budget in force."""
    for doc in catalog:
        if doc.kind != SUPPORTING or doc.doc_type not in ("Bescheid", "Änderungsbescheid") \
                or (doc.district, doc.year) != (group.district, group.year):
            continue
        facts = {f.name: f for f in reversed(doc.details)}
        line = kind_label(doc) + (f" vom {facts['datum'].text}" if "datum" in facts else "") + f" ({doc.doc_id})"
        parts = [f"Az. {facts['aktenzeichen'].text}"] if "aktenzeichen" in facts else []
        if (grant := facts.get("bewilligt")) and grant.amount_eur is not None:
            parts.append(f"bewilligt {euro(grant.amount_eur)}")
        deadlines = sorted({f.date for f in doc.details if f.name == "frist" and f.date})
        if deadlines:
            parts.append("Fristen: " + ", ".join(date_de(d) for d in deadlines))
        found.bescheide.append(line + (": " + "; ".join(parts) if parts else ""))
    current = group.current_budget
    grant = granted(catalog, group.district, group.year)
    if grant and current and grant[1].amount_eur != current.budget_eur:
        difference = grant[1].amount_eur - current.budget_eur
        found.granted_difference = (f"Bescheid bewilligt {euro(grant[1].amount_eur)}, {euro(abs(difference))} "
                                    f"{'weniger' if difference < 0 else 'mehr'} als die Zielvereinbarung")


def _profile(group: Group, groups: list[Group]) -> Profile:
    main = group.main
    current = group.current_budget
    previous = next((g.current_budget for g in groups if g.district == group.district and g.year == group.year - 1
                     and g.current_budget), None)
    budget = current.budget_eur if current else None
    original = group.agreement.budget_eur if group.agreement else None
    change = ""
    if budget is not None and previous is not None:
        diff = budget - previous.budget_eur
        change = f"{signed_euro(diff)} ({signed_percent(diff, previous.budget_eur)}) gegenüber {group.year - 1}"
    projects: dict[str, list[str]] = {}
    holder = group.listing if group.agreement else next((d for d in reversed(group.documents) if d.projects), None)
    added, removed = group.project_changes
    for p in holder.projects if holder else []:
        line = p.name + (f" – {p.amount_text}" if p.amount_text else "")
        line += " (neu laut Änderungsvereinbarung)" if any(p.name == a.name for a in added) else ""
        projects.setdefault(p.category or "Ohne Maßnahmenart", []).append(line)
    signer_doc = group.agreement or main
    signatories = [Signatory(s.name or "", s.role or "", (s.organisation or "").strip(), s.place, date_de(s.date) or s.date_text)
                   for s in signer_doc.signatures]
    organisations = [s.organisation for s in signatories if s.organisation]
    ministry = next((o for o in organisations if "Ministerium" in o), "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales (HMSI)")
    amendments = []
    for a in group.amendments:
        parts = [f"{kind_label(a)} ({a.doc_id})"]
        if a.budget_eur is not None:
            parts.append(f"Budget {euro(a.budget_eur)}")
        elif a.budget_change_eur is not None:
            parts.append(f"Budget {signed_euro(a.budget_change_eur)}")
        gone = [p.name for p in removed if p.chunk_id.startswith(f"{a.doc_id}::")]
        if gone:
            parts.append("entfallen: " + ", ".join(gone))
        signed = max((s.date for s in a.signatures), default="")
        if signed:
            parts.append(f"unterzeichnet am {date_de(signed)}")
        amendments.append(", ".join(parts))
    warnings = [f"{d.doc_id}: {w}" for d in group.documents for w in d.warnings]
    warnings += [f"{d.doc_id}: unsicher erkannt: {', '.join(d.uncertain)}" for d in group.documents if d.uncertain]
    conflicts = [f"Weitere Zielvereinbarung für dasselbe Jahr: {d.doc_id}" for d in group.conflicts]
    return Profile(
        key=f"{group.district}|{group.year}",
        title=f"Zielvereinbarung {group.year} {genitive(group.district)}",
        district=group.district, year=group.year,
        parties=[ministry, group.district],
        budget=euro(budget), budget_original=euro(original) if group.amendments and original is not None and original != budget else "",
        change_to_previous=change, projects=projects, signatories=signatories,
        authority=next((d.authority for d in group.documents if d.authority), "") or "",
        amendments=amendments, warnings=warnings,
        files=[(d.doc_id, d.source_path) for d in group.documents],
        question=f"Welche Projekte fördert die Zielvereinbarung {group.year} {genitive(group.district)}?",
        conflicts=conflicts,
    )


def districts(catalog: list[AgreementFacts]) -> list[str]:
    """The districts documents on file name (a supporting document that names none adds nothing)."""
    return sorted({d.district for d in catalog if d.district})


def years(catalog: list[AgreementFacts]) -> list[int]:
    return sorted({d.year for d in catalog if d.year}, reverse=True)
