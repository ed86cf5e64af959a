"""Agreements in the many layouts real files have had over the years, with the facts they must yield.

One `AgreementSpec` (fictional district, year, budget, projects by Maßnahmenart, signatories, the
Regierungspräsidium issuing the Bescheid) is drawn from a seed and rendered in a random `Style`: PDF
(fpdf2: drawn tables, a table across a page break, signature blocks side by side, running headers and
"Seite 2 von 4" footers), DOCX (python-docx: heading styles, Word tables, auto-numbered lists whose
markers live in the numbering part), TXT (hard-wrapped at about 70 characters, hyphenated) or Markdown.
Every district, name and figure is invented; none is presented as real.

    python -m tests.layouts --seed 7 --format pdf --out /tmp/layouts   # writes one file, prints its facts

Two splits: `dev` draws from every style except those in `HELD_OUT_ONLY`; `held-out` uses one of those
in each document (chosen by the seed), so a parser tuned on dev meets layouts it has never seen.
"""

from __future__ import annotations

import argparse
import json
import random
import textwrap
from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

DEV, HELD_OUT = "dev", "held-out"
FORMATS = ("pdf", "docx", "txt", "md")

CATEGORIES = {
    1: "Ausbildungsvorbereitung",
    2: "Ausbildung und Ausbildungscoaching in anerkannten Ausbildungsberufen",
    3: "Qualifizierungsprojekte zur Arbeitsmarktintegration, Fachkräftesicherung",
    4: "Weiterbildungsmaßnahmen für Personal der Landkreise und kreisfreien Städte in der fachlichen "
    "Verantwortung für Benachteiligte im Kontext der Arbeitsmarktförderung",
}

# Invented project names in the manner of real ones: dashes, commas, quotes, years, abbreviations.
PROJECT_NAMES = {
    1: ["BOM – Berufsorientierung", "Ausbildungscamp", "Startklar", "Dreiklang Übergang", "Berufsstart Plus",
        "Ausbildungslotsen Süd", "Praxistage, Werkstatt und Bewerbung", "„Fit für die Ausbildung“",
        "Kompass - Orientierung im Übergang", "Schule trifft Handwerk"],
    2: ["Teilzeit BaE {year} - Berufsausbildung in außerbetrieblichen Einrichtungen", "Ausbildungscoaching Plus",
        "Verbundausbildung Mitte", "Teilzeitausbildung Kompakt", "Assistierte Ausbildung regional (AsA-R)",
        "Ausbildung in Teilzeit – „Familie und Beruf“"],
    3: ["Jobcoach Plus", "Werkstatt Zukunft", "Plan B", "Sprungbrett Pflege", "Digital Fit", "Jobagent Nord",
        "Power Up. Perspektive Beruf – Empowerment für Frauen", "„Frauen in Fahrt“ – Qualifizierung zum Wiedereinstieg",
        "Wegbereiter", "Sprache und Beruf B1/B2", "Brückenbau Beruf, Qualifizierung für Geflüchtete",
        "Neustart 50+", "Grüne Berufe – Qualifizierung im Gartenbau"],
    4: ["Fachforum Fachkräftebedarf in der Pflege", "Fachtag Übergänge", "Fortbildung Fallmanagement",
        "Schulung „Interkulturelle Beratung“"],
}

# (written district, place of the signing district office, kind of district)
DISTRICTS = [
    ("Landkreis Musterstadt", "Musterstadt", "landkreis"),
    ("Landkreis Beispielfeld", "Beispielfeld", "landkreis"),
    ("Kreis Mustertal", "Mustertal", "kreis"),
    ("Musterwaldkreis", "Waldhausen", "kreis_suffix"),
    ("Main-Musterau-Kreis", "Musterau", "kreis_suffix"),
    ("Stadt Beispielhausen", "Beispielhausen", "stadt"),
    ("Stadt Neu-Musterburg", "Neu-Musterburg", "stadt"),
    ("Landeshauptstadt Musterhafen", "Musterhafen", "landeshauptstadt"),
    ("Wissenschaftsstadt Musterheim", "Musterheim", "wissenschaftsstadt"),
]
MINISTRY_CURRENT = "Hessisches Ministerium für Arbeit, Integration, Jugend und Soziales"
MINISTRY_EARLIER = "Hessisches Ministerium für Soziales und Integration"
AUTHORITIES = ["Regierungspräsidium Darmstadt", "Regierungspräsidium Gießen", "Regierungspräsidium Kassel"]
MINISTERS = [("Dr. Max Beispiel", "Staatsminister"), ("Erika Musterfrau", "Staatsministerin"),
             ("Heinz Probe", "Staatssekretär"), ("Dr. Sabine Testmann-Kühn", "Staatsministerin")]
LOCAL_NAMES = ["Anna-Lena Beispiel", "Dr. Jürgen Muster", "Karl Kreismann", "Olga Ortmann", "Hans-Peter Probst",
               "Sevim Yılmaz-Beispiel", "Dr. Ute Exempel"]
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
          "November", "Dezember"]

# Style options. HELD_OUT_ONLY never appears in the dev split.
CATEGORY_MARKERS = ["1.", "1)", "a)", "I.", "(1)", "none"]
PROJECT_MARKERS = ["•", "▪", "–", "-", "*", "o", "a)", "none", "indent"]
SECTION_HEADINGS = ["own_line", "inline", "dash", "paragraph"]
LAYOUTS = ["list", "table", "table_grouped"]
AMOUNT_PLACES = ["colon", "paren", "dash", "tab", "next_line"]
MONEY = ["plain", "cents", "eur", "dash"]
BUDGET_MONEY = MONEY + ["mio"]
HELD_OUT_ONLY = {"project_marker": "▪", "layout": "table_grouped", "section_heading": "paragraph"}


# ---------------------------------------------------------------------------------------------- facts
@dataclass
class ProjectSpec:
    name: str
    amount: int | None = None
    former: str | None = None  # the name it had before ("bisher: …"), written beside the current one
    carrier: str | None = None  # Träger
    runtime: str | None = None  # Laufzeit as written
    participants: int | None = None


@dataclass
class CategorySpec:
    number: int
    projects: list[ProjectSpec]
    written: str | None = None  # the title as this document writes it, where it differs from the full one
    labelled: bool = False  # written after its label: "Maßnahmenart 2: Ausbildung …"

    @property
    def title(self) -> str:
        return self.written or CATEGORIES[self.number]

    @property
    def shown(self) -> str:
        return f"Maßnahmenart {self.number}: {self.title}" if self.labelled else self.title


@dataclass
class SignerSpec:
    place: str
    date: str  # ISO
    name: str
    role: str
    ministry: bool


@dataclass
class AgreementSpec:
    district: str
    district_type: str  # landkreis | kreis | kreis_suffix | stadt | landeshauptstadt | wissenschaftsstadt
    year: int
    kind: str  # agreement | amendment
    budget: int | None  # the total (agreement) or the new total (amendment), where the document states it
    budget_change: int | None  # signed difference, for amendments
    categories: list[CategorySpec]
    signers: list[SignerSpec]
    authority: str | None
    ministry: str
    amendment_form: str = ""  # new_wording | from_to | raised_to | reduced_by | raised_by
    previous_budget: int | None = None
    budget_parts: list[tuple[str, int]] | None = None  # (label, amount) where the budget is given only as parts
    original_budget: int | None = None  # an agreement amended by a Nachtrag appended to its own file

    @property
    def proper(self) -> str:
        return self.district.split(" ", 1)[1] if " " in self.district else self.district


@dataclass
class Expected:
    """What `parse_document` must return, in comparable form."""

    district: str
    year: int
    kind: str
    budget_eur: int | None
    budget_change_eur: int | None
    change_optional: bool  # the document states the new total and the difference: the change may also be left None
    projects: list[tuple[int, str, str, int | None]]  # (category_no, category, name, amount)
    signatures: list[tuple[str, str, str]]  # (name, place, ISO date), sorted
    authority: str | None


@dataclass
class Style:
    format: str
    section_heading: str
    layout: str
    category_marker: str
    project_marker: str
    amount_place: str
    money: str
    budget_money: str
    signatures_side_by_side: bool
    ministry_signs_first: bool
    date_style: str  # short | padded | long
    header_form: str  # classic | sentence | parties
    wording: int  # picks § titles and sentences
    table_category_cell: str = "numbered"  # numbered | title | first_only
    sum_row: bool = False
    drop_section_3: bool = False
    page_furniture: bool = True
    table_across_pages: bool = True  # PDF: text before a table pushes it across a page break
    budget_sentence: int = 0  # 0 amount on its own line (as in 2025), 1 "stellt … Mittel in Höhe von", 2 "beträgt", 3 "erhält … bis zu"
    budget_share: bool = False  # "Davon sind … für Teilzeitausbildung vorgesehen."
    intro: int = 0  # the sentence before the project list; 4: none
    authority_sentence: int = 0  # 0 "vom RP … erlassenen Bescheides", 1 "Bewilligungsbehörde ist", 2 "durch Bescheid des RPs"
    authority_in_projects: bool = True  # in the project section, else in the next one
    signature_den: bool = True  # "Wiesbaden, den 2.8.2025"
    signature_org_above: bool = False  # "Für den Landkreis …" above the place and date
    variation: "Variation | None" = None  # the wordings of issue 18 (`plan(..., varied=True)`)

    def describe(self) -> str:
        parts = [self.format, f"§:{self.section_heading}", self.layout]
        if self.layout == "list":
            parts += [f"kat:{self.category_marker}", f"proj:{self.project_marker}", f"betrag:{self.amount_place}"]
        else:
            parts.append(f"zelle:{self.table_category_cell}" + ("+summe" if self.sum_row else ""))
        parts += [f"geld:{self.money}/{self.budget_money}", "unterschr:nebeneinander" if self.signatures_side_by_side
                  else "unterschr:untereinander", f"kopf:{self.header_form}", f"datum:{self.date_style}",
                  f"budgetsatz:{self.budget_sentence}" + ("+davon" if self.budget_share else ""),
                  f"behörde:{self.authority_sentence}"]
        if self.variation is not None:
            parts.append(self.variation.describe())
        return " ".join(parts)


@dataclass
class Generated:
    seed: int
    split: str
    path: Path
    spec: AgreementSpec
    style: Style
    expected: Expected


# ---------------------------------------------------------------------------------------------- drawing
def draw_spec(rng: random.Random, kind: str | None = None) -> AgreementSpec:
    district, place, district_type = rng.choice(DISTRICTS)
    year = rng.randint(2019, 2027)
    kind = kind or ("amendment" if rng.random() < 0.25 else "agreement")
    ministry = MINISTRY_CURRENT if year >= 2024 else MINISTRY_EARLIER
    numbers = sorted(rng.sample([1, 2, 3, 4], rng.randint(2, 4)))
    categories = []
    for number in numbers:
        names = rng.sample(PROJECT_NAMES[number], min(len(PROJECT_NAMES[number]), rng.randint(1, 5)))
        categories.append(CategorySpec(number, [ProjectSpec(n.format(year=year)) for n in names]))
    budget = rng.randint(40, 350) * 10_000 + rng.choice([0, 0, rng.randint(1, 999) * 10, rng.randint(1, 9999)])
    budget_change = None
    amendment_form = ""
    previous = None
    with_amounts = rng.random() < 0.5
    if kind == "amendment":
        amendment_form = rng.choice(["new_wording", "from_to", "raised_to", "reduced_by", "raised_by"])
        difference = rng.randint(1, 30) * 5_000
        if amendment_form == "reduced_by":
            budget_change, budget = -difference, None
        elif amendment_form == "raised_by":
            budget_change, budget = difference, None
        else:
            previous = budget - difference if rng.random() < 0.6 else budget + difference
            if amendment_form == "from_to":
                budget_change = budget - previous
        with_amounts = False
        if rng.random() < 0.6:  # most amendments change only the money
            categories = []
    if with_amounts:
        projects = [p for c in categories for p in c.projects]
        weights = [rng.uniform(0.5, 3) for _ in projects]
        left = budget
        for n, project in enumerate(projects):
            if n == len(projects) - 1:
                project.amount = left
            else:
                share = int(budget * weights[n] / sum(weights))
                share -= share % rng.choice([1, 10, 50, 500])
                project.amount = max(share, 1_000)
                left -= project.amount
        if projects[-1].amount <= 0:  # rounding pushed the remainder negative: spread evenly instead
            even = budget // len(projects)
            for project in projects:
                project.amount = even
            projects[-1].amount = budget - even * (len(projects) - 1)
    minister, minister_role = rng.choice(MINISTERS)
    local = rng.choice(LOCAL_NAMES)
    first_name = local.removeprefix("Dr. ").split()[0]
    female = first_name in {"Anna-Lena", "Olga", "Sevim", "Ute"}
    if district_type in {"landkreis", "kreis", "kreis_suffix"}:
        local_role = "Landrätin" if female else "Landrat"
    else:
        local_role = "Oberbürgermeisterin" if female else "Oberbürgermeister"
    start = date(year, 1, 10) if kind == "agreement" else date(year, 6, 1)
    first = start + timedelta(days=rng.randint(0, 150))
    second = first + timedelta(days=rng.randint(1, 40))
    ministry_date, local_date = (first, second) if rng.random() < 0.5 else (second, first)
    signers = [
        SignerSpec("Wiesbaden", ministry_date.isoformat(), minister, minister_role, True),
        SignerSpec(place, local_date.isoformat(), local, local_role, False),
    ]
    authority = rng.choice(AUTHORITIES)
    if kind == "amendment" and rng.random() < 0.5:
        authority = None
    return AgreementSpec(district, district_type, year, kind, budget, budget_change, categories, signers, authority,
                         ministry, amendment_form, previous)


def draw_style(rng: random.Random, split: str, seed: int, fmt: str | None = None) -> Style:
    def pick(option: str, values: list[str]) -> str:
        if split == DEV:
            values = [v for v in values if HELD_OUT_ONLY.get(option) != v]
        return rng.choice(values)

    style = Style(
        format=rng.choice(FORMATS),
        section_heading=pick("section_heading", SECTION_HEADINGS),
        layout=pick("layout", ["list", "list", "table", "table_grouped"]),
        category_marker=rng.choice(CATEGORY_MARKERS),
        project_marker=pick("project_marker", PROJECT_MARKERS),
        amount_place=rng.choice(AMOUNT_PLACES),
        money=rng.choice(MONEY),
        budget_money=rng.choice(BUDGET_MONEY),
        signatures_side_by_side=rng.random() < 0.5,
        ministry_signs_first=rng.random() < 0.7,
        date_style=rng.choice(["short", "padded", "long"]),
        header_form=rng.choice(["classic", "sentence", "parties"]),
        wording=rng.randrange(4),
        table_category_cell=rng.choice(["numbered", "title", "first_only"]),
        sum_row=rng.random() < 0.5,
        drop_section_3=rng.random() < 0.3,
        page_furniture=rng.random() < 0.7,
        table_across_pages=rng.random() < 0.7,
        budget_sentence=rng.randrange(4),
        budget_share=rng.random() < 0.25,
        intro=rng.randrange(5),
        authority_sentence=rng.randrange(3),
        authority_in_projects=rng.random() < 0.7,
        signature_den=rng.random() < 0.7,
        signature_org_above=rng.random() < 0.3,
    )
    style.format = fmt or FORMATS[seed % len(FORMATS)]  # every format equally often in a range of seeds
    if split == HELD_OUT:  # each held-out document uses one layout dev never shows
        option = sorted(HELD_OUT_ONLY)[seed % len(HELD_OUT_ONLY)]
        setattr(style, option, HELD_OUT_ONLY[option])
        if option == "project_marker":
            style.layout = "list"
    if style.category_marker == "a)" and style.project_marker == "a)":
        style.project_marker = "-"
    return style


def expected_facts(spec: AgreementSpec) -> Expected:
    return Expected(
        district=spec.district,
        year=spec.year,
        kind=spec.kind,
        budget_eur=spec.budget,
        budget_change_eur=spec.budget_change,
        change_optional=spec.amendment_form == "from_to",
        projects=[(c.number, c.title, p.name, p.amount) for c in spec.categories for p in c.projects],
        signatures=sorted([(s.name, s.place, s.date) for s in spec.signers] + (
            [(s.name, s.place, (date.fromisoformat(s.date) + timedelta(days=120)).isoformat()) for s in spec.signers]
            if spec.original_budget else [])),
        authority=spec.authority,
    )


# ---------------------------------------------------------------------------------------------- wording
def money(value: int, style: str) -> str:
    dotted = f"{value:,}".replace(",", ".")
    if style == "cents":
        return f"{dotted},00 €"
    if style == "eur":
        return f"EUR {dotted}"
    if style == "dash":
        return f"{dotted},- €"
    if style == "mio":
        millions = f"{value / 1_000_000:.2f}".replace(".", ",")
        return f"{millions} Mio. Euro ({dotted} Euro)"
    return f"{dotted} Euro"


def written_date(iso: str, style: str) -> str:
    d = date.fromisoformat(iso)
    if style == "padded":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "long":
        return f"{d.day}. {MONTHS[d.month - 1]} {d.year}"
    return f"{d.day}.{d.month}.{d.year}"


class Phrases:
    """The district and the ministry in the grammatical cases the text needs."""

    def __init__(self, spec: AgreementSpec):
        self.spec = spec
        feminine = spec.district_type in {"stadt", "landeshauptstadt", "wissenschaftsstadt"}
        self.feminine = feminine
        name = spec.district
        self.nominative = f"{'die' if feminine else 'der'} {name}"
        self.dative = f"{'der' if feminine else 'dem'} {name}"
        self.accusative = f"{'die' if feminine else 'den'} {name}"
        if feminine:
            self.genitive = f"der {name}"
        elif spec.district_type == "kreis_suffix":
            self.genitive = f"des {name}es"
        else:
            first, _, rest = name.partition(" ")
            self.genitive = f"des {first}es {rest}"
        self.ministry = spec.ministry
        self.ministry_dative = "dem " + spec.ministry.replace("Hessisches", "Hessischen", 1)
        self.ministry_genitive = "des " + spec.ministry.replace("Hessisches", "Hessischen", 1)


def section_titles(spec: AgreementSpec, style: Style, p: Phrases) -> dict[str, str]:
    w = style.wording
    return {
        "goals": ["Ausbildungs- und Qualifizierungsbudget", "Ziele des Landes", "Gegenstand der Vereinbarung",
                  "Ausbildungs- und Qualifizierungsbudget – Ziele des Landes"][w],
        "duties": ["Verpflichtungen der Vereinbarungspartner", "Zusammenarbeit", "Verpflichtungen der Partner",
                   "Verpflichtungen der Vereinbarungspartner"][w],
        "un": ["Umsetzung der UN-Behindertenrechtskonvention", "Inklusion", "UN-Behindertenrechtskonvention",
               "Teilhabe von Menschen mit Behinderungen"][w],
        "budget": ["Haushaltsmittel und Eckdaten", "Haushaltsmittel", "Finanzierung", f"Budget {spec.year}"][w],
        "projects": [f"Ziele für die Umsetzung {p.genitive}", "Maßnahmen und Projekte", f"Ziele und Maßnahmen {spec.year}",
                     "Geförderte Projekte"][w],
        "steering": ["Zielsteuerung", "Berichtswesen", "Zielsteuerung und Berichtswesen", "Steuerung"][w],
        "improve": ["Kontinuierlicher Verbesserungsprozess", "Veröffentlichung", "Erfahrungsaustausch",
                    "Kontinuierlicher Verbesserungsprozess"][w],
    }


# Sentences about the projects in general, as § 5 of some years has them: no figures, no project names.
FILLER = [
    "Die Projekte richten sich an junge Menschen ohne Ausbildungsplatz, an Erwachsene ohne Berufsabschluss und an "
    "Menschen, die nach einer Familienphase in den Beruf zurückkehren wollen.",
    "Die Auswahl der Projekte erfolgte in Abstimmung mit den regionalen Akteuren des Arbeitsmarktes.",
    "Die Träger berichten über den Verlauf der Projekte im Rahmen des jährlichen Sachberichts.",
    "Verschiebungen zwischen den Projekten einer Maßnahmenart sind im Rahmen der Bewilligung möglich.",
    "Bei der Umsetzung werden die Belange von Menschen mit Behinderungen besonders berücksichtigt.",
    "Die Teilnahme an den Angeboten ist freiwillig und für die Teilnehmenden kostenfrei.",
    "Die Angebote werden in enger Zusammenarbeit mit den Jobcentern und der Agentur für Arbeit umgesetzt.",
    "Soweit möglich, sollen Betriebe der Region frühzeitig in die Angebote einbezogen werden.",
    "Für Teilnehmende mit Kindern wird bei Bedarf eine Betreuung während der Maßnahmezeiten organisiert.",
    "Die Erfahrungen aus den Vorjahren sind in die Konzeption der Projekte eingeflossen.",
    "Die Angebote stehen Teilnehmenden aller Rechtskreise offen.",
    "Übergänge in Ausbildung und Beschäftigung werden von den Trägern nachgehalten und dokumentiert.",
]


def filler_paragraphs(count: int) -> list[str]:
    return [" ".join(FILLER[i : i + 2]) for i in range(0, 2 * count, 2)]


# ---------------------------------------------------------------------------------------------- document model
# A document is a list of blocks: ("title", text) ("heading", number, title) ("para", text) ("amount", text)
# ("projects", [CategorySpec]) ("signatures", [[line, …], [line, …]]).


def build_blocks(spec: AgreementSpec, style: Style, rng: random.Random) -> list[tuple]:
    p = Phrases(spec)
    y = spec.year
    blocks: list[tuple] = []
    doc_name = "Zielvereinbarung"
    if spec.kind == "amendment":
        doc_name = rng.choice(["Änderungsvereinbarung", "1. Nachtrag zur Zielvereinbarung",
                               "Änderungsvereinbarung zur Zielvereinbarung"])
    if style.header_form == "classic":
        if spec.kind == "amendment":
            blocks += [("title", doc_name), ("title", f"zur Zielvereinbarung {y}" if doc_name == "Änderungsvereinbarung" else str(y))]
        else:
            blocks += [("title", "Zielvereinbarung"), ("title", str(y))]
        blocks += [("title", "zwischen"), ("title", p.ministry_dative), ("title", f"und {p.dative}"),
                   ("title", "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets")]
    elif style.header_form == "sentence":
        head = f"{doc_name} {y}" if spec.kind == "agreement" or doc_name != "Änderungsvereinbarung" else f"{doc_name} zur Zielvereinbarung {y}"
        blocks += [("title", head),
                   ("para", f"zwischen {p.ministry_dative} (HMSI) und {p.dative} über das Ausbildungs- und "
                            f"Qualifizierungsbudget {y}")]
    else:
        head = f"{doc_name} {y}" if doc_name != "Änderungsvereinbarung" else f"Änderungsvereinbarung zur Zielvereinbarung {y}"
        blocks += [("title", head), ("title", "über das Ausbildungs- und Qualifizierungsbudget"), ("title", "zwischen"),
                   ("title", f"{p.ministry} (HMSI)"), ("title", "und"), ("title", spec.district)]
    if spec.kind == "amendment":
        blocks += amendment_body(spec, style, rng, p)
    else:
        blocks += agreement_body(spec, style, rng, p)
    blocks.append(("signatures", signature_blocks(spec, style, p)))
    variation = style.variation or Variation()
    if spec.kind == "agreement" and variation.appended_amendment:
        blocks += appended_amendment(spec, style, p)
    if spec.kind == "agreement" and variation.annex:
        blocks += [("annex", "Anlage 1", "Übersicht der geförderten Projekte"), ("projects", spec.categories)]
    return blocks


def appended_amendment(spec: AgreementSpec, style: Style, p: Phrases) -> list[tuple]:
    """A Nachtrag after the signatures, inside the agreement's own file: it raises the budget."""
    y = spec.year
    later = [SignerSpec(s.place, (date.fromisoformat(s.date) + timedelta(days=120)).isoformat(), s.name, s.role, s.ministry)
             for s in spec.signers]
    amended = AgreementSpec(spec.district, spec.district_type, y, "amendment", spec.budget, None, [], later, None,
                            spec.ministry)
    return [("title", f"1. Nachtrag zur Zielvereinbarung {y}"),
            ("para", f"Die zwischen {p.ministry_dative} und {p.dative} geschlossene Zielvereinbarung {y} wird wie "
                     "folgt geändert:"),
            ("para", f"Die in § 4 genannten Haushaltsmittel werden auf {money(spec.budget, style.money)} erhöht. Im "
                     "Übrigen gilt die Zielvereinbarung unverändert fort."),
            ("signatures", signature_blocks(amended, style, p))]


def agreement_body(spec: AgreementSpec, style: Style, rng: random.Random, p: Phrases) -> list[tuple]:
    y, t = spec.year, section_titles(spec, style, p)
    numbers = iter(range(1, 10))
    blocks: list[tuple] = [("heading", None, "Präambel"), ("para", (
        "Erfolgreiche Arbeitsmarktpolitik bindet die regionalen Akteure des Arbeitsmarktes in eine gemeinsame, auf "
        "die Zukunftsanforderungen fokussierte Strategie ein. Dafür will das HMSI regionale Handlungs- und "
        "Entscheidungsspielräume eröffnen und vereinbart dazu Ziele mit den Kreisen und kreisfreien Städten. Die "
        "Maßnahmen sind grundsätzlich genderadäquat, ohne Altersbegrenzungen und inklusiv angelegt."))]
    project_section = 5 - style.drop_section_3
    blocks += [("heading", next(numbers), t["goals"]), ("para", (
        f"Das HMSI verfolgt mit dem Ausbildungs- und Qualifizierungsbudget {y} das Ziel, die Ausbildungsfähigkeit von "
        "benachteiligten Menschen zu steigern, ihre Beschäftigungsfähigkeit zu sichern und ihnen Ausbildungsabschlüsse "
        "zu ermöglichen.")), ("para", (
        "Dem Land Hessen ist es wichtig, Menschen mit familiensorgenden Tätigkeiten einen vollqualifizierenden "
        "Berufsabschluss zu ermöglichen. Daher werden spezifisch Mittel für Maßnahmen zur Ermöglichung von "
        "Teilzeitausbildungen bereitgestellt."))]
    blocks += [("heading", next(numbers), t["duties"]), ("para", (
        f"Das {p.ministry.replace('Hessisches', 'Hessische', 1)} und {p.nominative} setzen die ihnen zur Verfügung stehenden Kompetenzen dafür ein, dass die "
        f"in § {project_section} vereinbarten Ziele erreicht werden. Die Entscheidung über den Mitteleinsatz erfolgt "
        "im Kontext der regionalen Ausbildungs- und Arbeitsmarktstrategie."))]
    if not style.drop_section_3:
        blocks += [("heading", next(numbers), t["un"]), ("para", (
            "Die Integration in das Erwerbsleben stellt eine der vordringlichsten Maßnahmen zur Förderung der Teilhabe "
            "von Menschen mit Behinderungen dar."))]
    blocks.append(("heading", next(numbers), t["budget"]))
    variation = style.variation or Variation()
    agreed = spec.original_budget or spec.budget
    amount = varied_money(agreed, style, budget=True) if style.variation else money(agreed, style.budget_money)
    form = style.budget_sentence
    if spec.budget_parts and variation.budget_form == "parts":
        (label_a, a), (_, b) = spec.budget_parts
        blocks.append(("para", f"Das HMSI stellt {p.dative} im Jahr {y} {label_a} in Höhe von {varied_money(a, style)} "
                               f"sowie Mittel aus dem ESF Plus in Höhe von {varied_money(b, style)} zur Verfügung."))
    elif spec.budget_parts:
        blocks += [("para", f"Für das Jahr {y} stellt das HMSI {p.dative} folgende Mittel zur Verfügung:"),
                   ("lines", [f"- {label}: {varied_money(value, style)}" for label, value in spec.budget_parts])]
    elif form == 0:
        blocks += [("para", f"Das HMSI stellt {p.dative} im Jahr {y} Haushaltsmittel in Höhe von insgesamt"),
                   ("amount", amount), ("para", f"aus dem Ausbildungs- und Qualifizierungsbudget {y} zur Verfügung.")]
    elif form == 1:
        blocks.append(("para", f"Für das Jahr {y} stellt das HMSI {p.dative} Mittel in Höhe von {amount} aus dem "
                               "Ausbildungs- und Qualifizierungsbudget zur Verfügung."))
    elif form == 2:
        blocks.append(("para", f"Das Budget {p.genitive} für das Jahr {y} beträgt {amount}."))
    else:
        blocks.append(("para", f"{p.nominative[0].upper()}{p.nominative[1:]} erhält im Jahr {y} aus dem Ausbildungs- "
                               f"und Qualifizierungsbudget Landesmittel in Höhe von bis zu {amount}."))
    if style.budget_share:
        share = spec.budget // 10 - (spec.budget // 10) % 1000
        blocks.append(("para", f"Davon sind {money(share, style.money)} für Maßnahmen der Teilzeitausbildung vorgesehen."))
    blocks.append(("heading", next(numbers), t["projects"]))
    intro = [
        f"{p.nominative[0].upper()}{p.nominative[1:]} finanziert mit den Mitteln des Ausbildungs- und "
        f"Qualifizierungsbudgets {y} in den jeweiligen Maßnahmenarten folgende Projekte:",
        "Mit den Mitteln werden folgende Maßnahmen gefördert:",
        f"Folgende Projekte werden im Jahr {y} umgesetzt:",
        "Die Mittel verteilen sich wie folgt auf die Maßnahmenarten:",
        None,
    ][style.intro]
    blocks.append(("filler", rng.choice([0, 0, 1, 2])))
    authority_sentence = authority_text(spec, style, p)
    in_projects = style.authority_in_projects
    if variation.annex:
        blocks.append(("para", f"{p.nominative[0].upper()}{p.nominative[1:]} finanziert mit den Mitteln die in "
                               "Anlage 1 aufgeführten Projekte (siehe Anlage 1)."))
    else:
        if intro:
            blocks.append(("para", intro))
        if variation.tight_closing and in_projects:
            blocks.append(("projects", spec.categories, authority_sentence))
            in_projects = False
            authority_sentence = None
        else:
            blocks.append(("projects", spec.categories))
    if in_projects:
        blocks.append(("para", authority_sentence))
    blocks += [("heading", next(numbers), t["steering"]), ("para", (
        f"{p.nominative[0].upper()}{p.nominative[1:]} und das HMSI bleiben über die Entwicklung des Budgets {y} im "
        "engen Austausch. Dazu wird unter anderem eine Umsetzungsbesprechung im Herbst angesetzt."))]
    if not in_projects and authority_sentence:
        blocks.append(("para", authority_sentence))
    blocks += [("heading", next(numbers), t["improve"]), ("para", (
        f"{p.nominative[0].upper()}{p.nominative[1:]} beteiligt sich an Umfragen und Tagungen des HMSI mit dem Ziel, "
        "Erfahrungen auszutauschen und gute Praxis zu identifizieren.")),
        ("para", "Die Zielvereinbarungen werden auf dem Internetportal des HMSI veröffentlicht.")]
    return blocks


def authority_text(spec: AgreementSpec, style: Style, p: Phrases) -> str:
    authority = spec.authority
    form = style.authority_sentence
    if form == 0:
        return (f"Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach "
                f"Antragstellung durch {p.accusative} vom {authority} erlassenen – Bescheides.")
    if form == 1:
        return f"Bewilligungsbehörde ist das {authority}."
    return f"Die Bewilligung erfolgt durch Bescheid des {genitive_authority(authority)}."


def genitive_authority(authority: str) -> str:
    return authority.replace("Regierungspräsidium", "Regierungspräsidiums", 1)


def amendment_body(spec: AgreementSpec, style: Style, rng: random.Random, p: Phrases) -> list[tuple]:
    y = spec.year
    blocks: list[tuple] = [("para", (
        f"Die zwischen {p.ministry_dative} und {p.dative} geschlossene Zielvereinbarung {y} wird wie folgt geändert:"))]
    blocks.append(("heading", 1, rng.choice(["Änderung der Haushaltsmittel", "Änderung von § 4", "Haushaltsmittel"])))
    form = spec.amendment_form
    m = style.budget_money if style.budget_money != "mio" or form in {"new_wording", "raised_to"} else "plain"
    if form == "new_wording":
        blocks += [("para", f"§ 4 der Zielvereinbarung {y} erhält folgende Fassung:"),
                   ("para", f"„Das HMSI stellt {p.dative} im Jahr {y} Haushaltsmittel in Höhe von insgesamt "
                            f"{money(spec.budget, m)} aus dem Ausbildungs- und Qualifizierungsbudget {y} zur Verfügung.“")]
    elif form == "from_to":
        verb = "erhöht" if spec.budget > spec.previous_budget else "reduziert"
        blocks.append(("para", f"Die in § 4 genannten Haushaltsmittel werden von {money(spec.previous_budget, m)} um "
                               f"{money(abs(spec.budget - spec.previous_budget), m)} auf {money(spec.budget, m)} {verb}."))
    elif form == "raised_to":
        verb = "erhöht" if spec.budget > spec.previous_budget else "reduziert"
        blocks.append(("para", f"Die Haushaltsmittel für das Jahr {y} werden {verb} auf {money(spec.budget, m)}."))
    elif form == "reduced_by":
        blocks.append(("para", f"Die in § 4 der Zielvereinbarung vereinbarten Haushaltsmittel werden um "
                               f"{money(-spec.budget_change, m)} reduziert."))
    else:
        blocks.append(("para", f"Die Haushaltsmittel nach § 4 der Zielvereinbarung {y} erhöhen sich um "
                               f"{money(spec.budget_change, m)}."))
    number = 2
    if spec.categories:
        blocks += [("heading", number, rng.choice(["Änderung der Maßnahmen", "Änderung von § 5"])),
                   ("para", f"§ 5 der Zielvereinbarung {y} erhält folgende Fassung: {p.nominative[0].upper()}"
                            f"{p.nominative[1:]} finanziert folgende Projekte:"),
                   ("projects", spec.categories)]
        number += 1
    if spec.authority:
        blocks.append(("para", f"Der Bescheid des {genitive_authority(spec.authority)} wird entsprechend angepasst."))
    blocks += [("heading", number, "Inkrafttreten"),
               ("para", "Diese Änderungsvereinbarung tritt mit ihrer Unterzeichnung in Kraft. Im Übrigen gilt die "
                        "Zielvereinbarung unverändert fort.")]
    return blocks


def signature_blocks(spec: AgreementSpec, style: Style, p: Phrases) -> list[list[str]]:
    den, org_above = style.signature_den, style.signature_org_above
    out = []
    for signer in spec.signers:
        when = f"{signer.place}, {'den ' if den else ''}{written_date(signer.date, style.date_style)}"
        if signer.ministry:
            org = ["Hessisches Ministerium", spec.ministry.removeprefix("Hessisches Ministerium ")]
            above = f"Für das {spec.ministry.replace('Hessisches', 'Hessische', 1)}"
        else:
            org = p.genitive.split(" ", 1) if len(p.genitive) > 24 else [p.genitive]
            above = f"Für {p.accusative}"
        if org_above:
            out.append([above, when, "", signer.name, signer.role])
        else:
            out.append([when, "", signer.name, signer.role] + org)
    if not style.ministry_signs_first:
        out.reverse()
    return out


# ---------------------------------------------------------------------------------------------- text pieces
def heading_lines(style: Style, number: int | None, title: str) -> list[str]:
    if number is None:
        return [title]
    form = style.section_heading
    if form == "own_line":
        return [f"§ {number}", title]
    if form == "dash":
        return [f"§{number} – {title}"]
    if form == "paragraph":
        return [f"Paragraph {number}: {title}"]
    return [f"§ {number} {title}"]


def roman(n: int) -> str:
    return ["I", "II", "III", "IV"][n - 1]


def category_marker(marker: str, number: int) -> str:
    return {"1.": f"{number}.", "1)": f"{number})", "a)": f"{'abcd'[number - 1]})", "I.": f"{roman(number)}.",
            "(1)": f"({number})", "none": ""}[marker]


def project_marker(marker: str, index: int) -> str:
    if marker == "a)":
        return f"{'abcdefgh'[index]})"
    if marker in {"none", "indent"}:
        return ""
    return marker


DETAIL_LABELS = ("Fördersumme:", "Träger:", "Laufzeit:", "Teilnehmende:")


def project_line(project: ProjectSpec, style: Style) -> list[str]:
    """The project's text lines in a list (without marker); more lines for 'Fördersumme: …', 'Träger: …'."""
    variation = style.variation
    name = written_name(project, variation)
    details = variation.details if variation else "none"
    extra = []
    if details == "inline":
        name = f"{name} ({detail_text(project)})"
    elif details == "next_lines":
        extra = [f"Träger: {project.carrier}", f"Laufzeit: {project.runtime}", f"Teilnehmende: {project.participants}"]
    if project.amount is None:
        return [name] + extra
    amount = varied_money(project.amount, style) if variation else money(project.amount, style.money)
    place = style.amount_place
    if place == "colon":
        return [f"{name}: {amount}"] + extra
    if place == "paren":
        return [f"{name} ({amount})"] + extra
    if place == "dash":
        return [f"{name} – {amount}"] + extra
    if place == "next_line":
        return [name] + extra + [f"Fördersumme: {amount}"]
    return [f"{name}\t{amount}"] + extra


def table_rows(categories: list[CategorySpec], style: Style) -> tuple[list[str], list[list[str]], list[int]]:
    """Header, rows, and the indices of rows that are category group rows (grouped layout)."""
    with_amounts = any(p.amount is not None for c in categories for p in c.projects)
    amount_head = ["Fördersumme", "Betrag", "Fördersumme in Euro"][style.wording % 3]
    variation = style.variation
    columns = variation is not None and variation.details == "columns"
    if variation is not None and variation.notation in ("tsd", "teur") and with_amounts:
        amount_head = "Fördersumme in T€" if variation.notation == "tsd" else "Betrag (TEUR)"

    def amount_cells(project: ProjectSpec) -> list[str]:
        cells = [project.carrier or "", project.runtime or "", str(project.participants or "")] if columns else []
        if not with_amounts:
            return cells
        if variation is not None and variation.notation in ("tsd", "teur"):
            return cells + [f"{project.amount // 1000:,}".replace(",", ".")]  # the unit stands in the header
        return cells + [money(project.amount, style.money)]

    detail_heads = ["Träger", "Laufzeit", "Teilnehmende"] if columns else []
    rows: list[list[str]] = []
    groups: list[int] = []
    if style.layout == "table_grouped":  # a spanning row per Maßnahmenart, its projects numbered below it
        header = ["Nr.", "Projekt"] + detail_heads + ([amount_head] if with_amounts else [])
        for c in categories:
            groups.append(len(rows))
            rows.append([f"{c.number}. {c.shown}"] + [""] * (len(header) - 1))
            for n, project in enumerate(c.projects, start=1):
                rows.append([f"{c.number}.{n}", written_name(project, variation)] + amount_cells(project))
    else:
        header = ["Maßnahmenart", "Projekt"] + detail_heads + ([amount_head] if with_amounts else [])
        for c in categories:
            for n, project in enumerate(c.projects):
                if style.table_category_cell == "numbered":
                    cell = f"{c.number}. {c.shown}"
                elif style.table_category_cell == "title":
                    cell = c.shown
                else:
                    cell = f"{c.number}. {c.shown}" if n == 0 else ""
                rows.append([cell, written_name(project, variation)] + amount_cells(project))
    if with_amounts and style.sum_row:
        total = sum(p.amount for c in categories for p in c.projects)
        written_total = (f"{total // 1000:,}".replace(",", ".") if variation is not None and variation.notation in ("tsd", "teur")
                         else money(total, style.money))
        rows.append(["Summe"] + [""] * (len(header) - 2) + [written_total])
    return header, rows, groups


def list_lines(categories: list[CategorySpec], style: Style) -> list[tuple[int, str, str]]:
    """(level: 0 Maßnahmenart, 1 project; marker; text) for a project list in plain-text formats."""
    out = []
    variation = style.variation
    for n, c in enumerate(categories):
        if n == 1 and variation is not None and variation.list_sentence:
            out.append((2, "", "Die Projekte dieser Maßnahmenart werden ganzjährig angeboten."))
        out.append((0, category_marker(style.category_marker, c.number), c.shown))
        for index, project in enumerate(c.projects):
            lines = project_line(project, style)
            level = 1
            out.append((level, project_marker(style.project_marker, index), lines[0]))
            for extra in lines[1:]:
                out.append((level, "", extra))
    return out


# ---------------------------------------------------------------------------------------------- TXT
def hyphenated_wrap(text: str, width: int, rng: random.Random) -> list[str]:
    """Wrap at `width`, breaking some long words with a hyphen the way word processors exported to text do."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= width:
            line = candidate
            continue
        room = width - len(line) - (1 if line else 0) - 1
        cuts = [i for i in break_points(word) if i <= room]
        if cuts and rng.random() < 0.8:
            cut = max(cuts)
            lines.append(f"{line} {word[:cut]}-" if line else f"{word[:cut]}-")
            line = word[cut:]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


# Where the long words of these texts may be broken at a line end, as a word processor's German hyphenation
# would break them ("·" marks the places); words not listed are never broken.
HYPHENATION = """
Al·ters·be·gren·zun·gen An·trag·stel·lung Ar·beits·mark·tes Ar·beits·markt·po·li·tik Ar·beits·markt·stra·te·gie
Aus·bil·dungs·ab·schlüs·se Aus·bil·dungs·fä·hig·keit Aus·bil·dungs·platz Be·hin·de·run·gen Bei·spiel·feld
Bei·spiel·hau·sen Be·rufs·ab·schluss Be·schäf·ti·gung Be·schäf·ti·gungs·fä·hig·keit Be·wil·li·gung
Be·wil·li·gungs·be·hör·de Ent·schei·dung Ent·schei·dungs·spiel·räu·me Ent·wick·lung Er·fah·run·gen
Er·mög·li·chung Er·werbs·le·ben Fa·mi·li·en·pha·se Haus·halts·mit·tel In·ter·net·por·tal Kom·pe·ten·zen
Kon·zep·ti·on Land·kreis Lan·des·haupt·stadt Lan·des·mit·tel Land·krei·ses Maß·nah·men Maß·nah·men·ar·ten
Maß·nah·me·zei·ten Mi·nis·te·ri·um Mit·tel·ein·satz Mus·ter·ha·fen Mus·ter·heim Mus·ter·stadt Mus·ter·wald·kreis
Mus·ter·wald·krei·ses Qua·li·fi·zie·rungs·bud·get Qua·li·fi·zie·rungs·bud·gets Rechts·krei·se
Re·gie·rungs·prä·si·di·um Re·gie·rungs·prä·si·di·ums Sach·be·richts Teil·zeit·aus·bil·dung
Teil·zeit·aus·bil·dun·gen Tä·tig·kei·ten Um·set·zung Um·set·zungs·be·spre·chung Un·ter·zeich·nung
Ver·schie·bun·gen Wis·sen·schafts·stadt Ziel·ver·ein·ba·rung Ziel·ver·ein·ba·run·gen Zu·kunfts·an·for·de·run·gen
Zu·sam·men·ar·beit auf·ge·führ·ten aus·zu·tau·schen be·nach·tei·lig·ten be·reit·ge·stellt be·rück·sich·tigt
do·ku·men·tiert ein·be·zo·gen ein·ge·flos·sen ent·spre·chend fa·mi·li·en·sor·gen·den gen·der·adä·quat
grund·sätz·lich iden·ti·fi·zie·ren je·wei·li·gen nach·ge·hal·ten or·ga·ni·siert voll·qua·li·fi·zie·ren·den
vor·dring·lichs·ten ver·öf·fent·licht zu·rück·keh·ren Än·de·rungs·ver·ein·ba·rung
"""


def syllable_cuts(marked: str) -> list[int]:
    """'Haus·halts·mit·tel' -> [4, 10, 13]: the offsets in the unmarked word."""
    cuts, offset = [], 0
    for part in marked.split("·")[:-1]:
        offset += len(part)
        cuts.append(offset)
    return cuts


BREAKS = {marked.replace("·", ""): syllable_cuts(marked) for marked in HYPHENATION.split()}


def break_points(word: str) -> list[int]:
    """Positions in `word` (punctuation after it allowed) where a hyphenated line break may fall."""
    core = word.rstrip(".,:;)“")
    return [i for i in BREAKS.get(core, []) if 2 <= i <= len(core) - 2]


def render_txt(blocks: list[tuple], style: Style, rng: random.Random, spec: AgreementSpec) -> str:
    width = 70
    out: list[str] = []
    for block in blocks:
        kind = block[0]
        if kind == "title":
            out.append(block[1].center(width).rstrip())
        elif kind == "heading":
            out += heading_lines(style, block[1], block[2])
        elif kind == "para":
            out.append("\n".join(hyphenated_wrap(block[1], width, rng)))
        elif kind == "amount":
            out.append(block[1].center(width).rstrip())
        elif kind == "filler":
            out += ["\n".join(hyphenated_wrap(text, width, rng)) for text in filler_paragraphs(block[1])]
        elif kind == "projects":
            text = txt_projects(block[1], style)
            if len(block) > 2:  # the closing sentence right under the list
                text += "\n" + "\n".join(hyphenated_wrap(block[2], width, rng))
            out.append(text)
        elif kind == "signatures":
            out.append(txt_signatures(block[1], style))
        elif kind == "lines":
            out.append("\n".join(block[1]))
        elif kind == "annex":
            out.append(f"{block[1]}\n{block[2]}")
    return "\n\n".join(out) + "\n"


def txt_projects(categories: list[CategorySpec], style: Style) -> str:
    if style.layout != "list":
        header, rows, groups = table_rows(categories, style)
        return column_text([header] + rows, column_widths(header, text_columns=True), groups)
    lines = []
    hang = ""
    form = style.variation.list_form if style.variation else "default"
    for level, marker, text in list_lines(categories, style):
        if level == 1 and not marker and text.startswith(DETAIL_LABELS):  # the amount line below its project
            lines.append(hang + text)
            continue
        if level == 2:
            lines.append(text)
            continue
        if level == 0 and form == "headings":
            if lines and lines[-1]:
                lines.append("")
            lines += [text, ""]
            continue
        indent = "" if level == 0 or style.project_marker == "none" else ("      " if style.project_marker == "indent" else "    ")
        lead = f"{indent}{marker} " if marker else indent
        # wrapped lines hang under the text after the marker, or deeper than the item where there is none
        hang = " " * len(lead) if marker else lead + "    "
        if "\t" in text:
            name, amount = text.split("\t")
            lines.append(f"{lead}{name}".ljust(56) + " " + amount.rjust(16))
            continue
        wrapped = textwrap.wrap(text, 70 - len(lead)) or [""]
        lines.append(lead + wrapped[0])
        lines += [hang + w for w in wrapped[1:]]
        if level == 0 and style.category_marker != "none":
            lines.append("")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def column_widths(header: list[str], text_columns: bool) -> list[int]:
    """Column widths: characters for text tables, millimetres for PDF tables."""
    grouped = header[0] == "Nr."
    if len(header) > 3:  # Träger, Laufzeit and participants beside the project
        widths = [5 if grouped else 22, 24, 18, 14, 5, 12] if text_columns else [10 if grouped else 30, 40, 38, 32, 18, 22]
        return widths[: len(header)]
    if len(header) == 3:
        return ([5, 44, 19] if grouped else [26, 28, 19]) if text_columns else ([10, 65, 25] if grouped else [38, 42, 20])
    return ([5, 60] if grouped else [30, 38]) if text_columns else ([12, 88] if grouped else [45, 55])


def column_text(rows: list[list[str]], widths: list[int], groups: list[int]) -> str:
    """A table the way text exports of PDFs show it: columns padded with spaces, long cells wrapped."""
    out = []
    for n, row in enumerate(rows):
        if n - 1 in groups:  # a group row: its text spans the line
            out.append(row[0])
            continue
        cells = [textwrap.wrap(cell, width) or [""] for cell, width in zip(row, widths)]
        for k in range(max(len(c) for c in cells)):
            parts = [(c[k] if k < len(c) else "").ljust(w) for c, w in zip(cells, widths)]
            if n > 0 and len(row) > 2 and row[-1] and k == 0:  # amounts right-aligned in their column
                parts[-1] = row[-1].rjust(widths[-1])
            out.append("  ".join(parts).rstrip())
        if n == 0:
            out.append("-" * (sum(widths) + 2 * (len(widths) - 1)))
    return "\n".join(out)


def txt_signatures(signature_blocks_: list[list[str]], style: Style) -> str:
    if not style.signatures_side_by_side:
        return "\n\n\n".join("\n".join(b) for b in signature_blocks_)
    left, right = ([part for line in block for part in (textwrap.wrap(line, 36) or [""])] for block in signature_blocks_)
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    return "\n".join(f"{a:<38}{b}".rstrip() for a, b in zip(left, right))


# ---------------------------------------------------------------------------------------------- Markdown
def render_md(blocks: list[tuple], style: Style, rng: random.Random, spec: AgreementSpec) -> str:
    out: list[str] = []
    first_title = True
    for block in blocks:
        kind = block[0]
        if kind == "title":
            out.append(f"# {block[1]}" if first_title else block[1])
            first_title = False
        elif kind == "heading":
            lines = heading_lines(style, block[1], block[2])
            out.append(f"## {lines[0]}")
            if len(lines) > 1:
                out.append(f"### {lines[1]}" if style.wording % 2 else lines[1])
        elif kind == "para":
            out.append(block[1])
        elif kind == "amount":
            out.append(f"**{block[1]}**")
        elif kind == "filler":
            out += filler_paragraphs(block[1])
        elif kind == "projects":
            out.append(md_projects(block[1], style) + (f"\n{block[2]}" if len(block) > 2 else ""))
        elif kind == "signatures":
            out.append(md_signatures(block[1], style))
        elif kind == "lines":
            out.append("\n".join(block[1]))
        elif kind == "annex":
            out.append(f"## {block[1]}: {block[2]}")
    return "\n\n".join(out) + "\n"


def md_projects(categories: list[CategorySpec], style: Style) -> str:
    if style.layout != "list":
        header, rows, groups = table_rows(categories, style)
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
        for n, row in enumerate(rows):
            if n in groups:
                row = [f"**{row[0]}**"] + row[1:]
            if row[0] == "Summe":
                row = ["**Summe**"] + row[1:-1] + [f"**{row[-1]}**"]
            lines.append("| " + " | ".join(row) + " |")
        return "\n".join(lines)
    lines = []
    form = style.variation.list_form if style.variation else "default"
    for level, marker, text in list_lines(categories, style):
        text = text.replace("\t", " ")
        if level == 2:
            lines.append(text)
            continue
        if level == 0 and form == "headings":
            if lines and lines[-1] != "":
                lines.append("")
            lines += [f"### {text}", ""]
            continue
        if form == "plain":  # plain lines, one under the other
            lines.append(text)
            continue
        if level == 0:
            if lines and lines[-1] != "":
                lines.append("")
            if marker:
                lines.append(f"{marker} {text}")
            else:
                lines.append(f"**{text}**")
            lines.append("")
            continue
        indent = "  " if style.project_marker in {"-", "*"} and style.category_marker != "none" else ""
        if not marker and text.startswith(DETAIL_LABELS):  # the amount line continues its project's item
            if lines and lines[-1] == "":
                lines.pop()
            lines.append(" " * len(lead) + text if style.project_marker != "none" else text)
        else:
            lead = f"{indent}{marker} " if marker else ("    " if style.project_marker == "indent" else "")
            lines.append(f"{lead}{text}")
        if style.project_marker == "none":
            lines.append("")
    return "\n".join(lines).strip("\n").replace("\n\n\n", "\n\n")


def md_signatures(blocks: list[list[str]], style: Style) -> str:
    if not style.signatures_side_by_side:
        return "\n\n".join("  \n".join(line for line in b if line) for b in blocks)
    left, right = [[line for line in b if line] for b in blocks]
    rows = max(len(left), len(right))
    left, right = left + [""] * (rows - len(left)), right + [""] * (rows - len(right))
    lines = ["| | |", "|---|---|"] + [f"| {a} | {b} |" for a, b in zip(left, right)]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------- PDF
def render_pdf(blocks: list[tuple], style: Style, rng: random.Random, spec: AgreementSpec, path: Path) -> None:
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    running = f"Zielvereinbarung {spec.year} – {spec.district}" if spec.kind == "agreement" else \
        f"Änderung der Zielvereinbarung {spec.year} – {spec.district}"
    furniture = style.page_furniture

    class AgreementPDF(FPDF):
        def header(self):
            if furniture and self.page_no() > 1:
                self.set_font("DejaVu", size=8)
                self.cell(0, 5, running, align="R", new_x="LMARGIN", new_y="NEXT")
                self.ln(3)
                self.set_font("DejaVu", size=11)

        def footer(self):
            if furniture:
                self.set_y(-15)
                self.set_font("DejaVu", size=8)
                self.cell(0, 8, f"Seite {self.page_no()} von {{nb}}", align="C")

    pdf = AgreementPDF(format="A4")
    pdf.set_creation_date(datetime(2026, 1, 1, tzinfo=timezone.utc))
    pdf.alias_nb_pages()
    pdf.set_auto_page_break(True, margin=22)
    pdf.add_font("DejaVu", fname=FONT)
    pdf.add_font("DejaVu", style="B", fname=FONT_BOLD)
    pdf.set_font("DejaVu", size=11)
    pdf.add_page()
    for block in blocks:
        kind = block[0]
        if kind == "title":
            pdf.set_font("DejaVu", "B" if block[1].startswith(("Zielvereinbarung", "Änderung", "1. Nachtrag")) else "", 12)
            pdf.multi_cell(0, 7, block[1], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.ln(2)
            pdf.set_font("DejaVu", size=11)
        elif kind == "heading":
            pdf.ln(2)
            pdf.set_font("DejaVu", "B", 11)
            for line in heading_lines(style, block[1], block[2]):
                pdf.multi_cell(0, 6, line, align="C" if style.section_heading == "own_line" else "L",
                               new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", size=11)
            pdf.ln(2)
        elif kind == "para":
            pdf.multi_cell(0, 6, block[1], new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif kind == "amount":
            pdf.set_font("DejaVu", "B", 11)
            pdf.multi_cell(0, 6, block[1], align="C", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", size=11)
            pdf.ln(3)
        elif kind == "filler":
            pdf_filler(pdf, block[1], style, spec)
        elif kind == "projects":
            pdf_projects(pdf, block[1], style, FontFace, tight=len(block) > 2)
            if len(block) > 2:
                pdf.multi_cell(0, 6, block[2], new_x="LMARGIN", new_y="NEXT")
                pdf.ln(3)
        elif kind == "signatures":
            pdf_signatures(pdf, block[1], style)
        elif kind == "lines":
            for line in block[1]:
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(3)
        elif kind == "annex":
            pdf.add_page()
            pdf.set_font("DejaVu", "B", 12)
            pdf.multi_cell(0, 7, f"{block[1]}: {block[2]}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("DejaVu", size=11)
            pdf.ln(3)
    pdf.output(str(path))


def pdf_filler(pdf, count: int, style: Style, spec: AgreementSpec) -> None:
    """Paragraphs before the project list; before a table, as many as make the table run across a page break."""
    from fpdf.enums import MethodReturnValue

    paragraphs = filler_paragraphs(count)
    if style.layout != "list" and style.table_across_pages:
        _, rows, _ = table_rows(spec.categories, style)
        estimate = 6 + sum(5 * (1 + (len(row[0]) > 40) + 2 * (len(row[0]) > 100)) for row in rows)
        room = pdf.h - pdf.b_margin - pdf.get_y() - 16  # the intro sentence and a little air
        if estimate - 15 > 30 and room > estimate - 15:
            paragraphs = filler_paragraphs(len(FILLER) // 2)
            kept = []
            for text in paragraphs:
                height = pdf.multi_cell(0, 6, text, dry_run=True, output=MethodReturnValue.HEIGHT) + 3
                if room - height < 30:
                    break
                kept.append(text)
                room -= height
            paragraphs = kept
    for text in paragraphs:
        pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(3)


def pdf_item(pdf, x: float, width: float, text: str, hanging: bool) -> None:
    """A list item from x; without a marker its wrapped lines hang deeper, so they read as one item."""
    from fpdf.enums import MethodReturnValue

    pdf.set_x(x)
    if not hanging:
        pdf.multi_cell(width, 6, text, new_x="LMARGIN", new_y="NEXT")
        return
    lines = pdf.multi_cell(width, 6, text, dry_run=True, output=MethodReturnValue.LINES)
    pdf.multi_cell(width, 6, lines[0], new_x="LMARGIN", new_y="NEXT")
    if len(lines) > 1:
        pdf.set_x(x + 6)
        pdf.multi_cell(width - 6, 6, " ".join(lines[1:]), new_x="LMARGIN", new_y="NEXT")


def pdf_projects(pdf, categories: list[CategorySpec], style: Style, FontFace, tight: bool = False) -> None:
    if style.layout == "list":
        hang_x = pdf.l_margin
        plain = style.variation is not None and style.variation.list_form == "plain"
        for level, marker, text in list_lines(categories, style):
            pdf.set_font("DejaVu", "B" if level == 0 and not plain else "", 11)
            if level == 2:
                pdf.multi_cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
                continue
            if level and not marker and text.startswith(DETAIL_LABELS):  # the amount line below its project
                pdf.set_x(hang_x)
                pdf.multi_cell(pdf.l_margin + pdf.epw - hang_x, 6, text, new_x="LMARGIN", new_y="NEXT")
                continue
            x = pdf.l_margin + (0 if level == 0 or style.project_marker == "none" else
                                (12 if style.project_marker != "indent" else 16))
            if level == 0 and not plain:
                pdf.ln(1)
            pdf.set_x(x)
            if marker:
                pdf.cell(10, 6, marker)
                x += 10
            hang_x = x if marker else x + 6
            width = pdf.l_margin + pdf.epw - x
            if "\t" in text:  # tab-aligned amount: the amount in a right-aligned column on the first line
                name, amount = text.split("\t")
                y = pdf.get_y()
                pdf_item(pdf, x, width - 42, name, hanging=not marker)
                end = pdf.get_y()
                if end < y:  # the name ran onto a new page
                    y = pdf.t_margin + (8 if style.page_furniture else 0)
                pdf.set_xy(pdf.l_margin + pdf.epw - 40, y)
                pdf.cell(40, 6, amount, align="R")
                pdf.set_y(max(end, y + 6))
            else:
                pdf_item(pdf, x, width, text, hanging=not marker)
        pdf.set_font("DejaVu", size=11)
        if not tight:
            pdf.ln(3)
        return
    header, rows, groups = table_rows(categories, style)
    with_amounts = header[-1] not in ("Projekt", "Teilnehmende")
    pdf.set_font("DejaVu", size=9)
    with pdf.table(col_widths=column_widths(header, text_columns=False), headings_style=FontFace(emphasis="BOLD"),
                   line_height=5, text_align=["LEFT"] * (len(header) - 1) + ["RIGHT" if with_amounts else "LEFT"]) as table:
        head = table.row()
        for cell in header:
            head.cell(cell)
        for n, row in enumerate(rows):
            line = table.row()
            if n in groups:
                line.cell(row[0], colspan=len(header), style=FontFace(emphasis="BOLD"))
            else:
                for cell in row:
                    line.cell(cell)
    pdf.set_font("DejaVu", size=11)
    pdf.ln(4)


def pdf_signatures(pdf, blocks: list[list[str]], style: Style) -> None:
    height = 6 * max(len(b) for b in blocks) + 20
    if pdf.get_y() + height > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(10)
    if not style.signatures_side_by_side:
        for block in blocks:
            if pdf.get_y() + 6 * len(block) > pdf.h - pdf.b_margin:
                pdf.add_page()
            for line in block:
                pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(8)
        return
    top = pdf.get_y()
    half = pdf.epw / 2
    bottoms = []
    for column, block in enumerate(blocks):
        pdf.set_xy(pdf.l_margin + column * half, top)
        for line in block:
            pdf.set_x(pdf.l_margin + column * half)
            pdf.multi_cell(half - 4, 6, line, new_x="LEFT", new_y="NEXT")
        bottoms.append(pdf.get_y())
    pdf.set_xy(pdf.l_margin, max(bottoms))


# ---------------------------------------------------------------------------------------------- DOCX
BULLETS = {"•", "▪", "–", "-", "*", "o"}
CATEGORY_FORMATS = {"1.": ("decimal", "%1."), "1)": ("decimal", "%1)"), "a)": ("lowerLetter", "%1)"),
                    "I.": ("upperRoman", "%1."), "(1)": ("decimal", "(%1)")}


class WordNumbering:
    """Numbering definitions added to the document's numbering part: the markers are not in the text."""

    def __init__(self, document):
        from docx.oxml.ns import qn

        self.qn = qn
        self.root = document.part.numbering_part.element
        self.next_abstract = 1 + max([int(e.get(qn("w:abstractNumId"))) for e in self.root.findall(qn("w:abstractNum"))] or [0])
        self.next_num = 1 + max([int(e.get(qn("w:numId"))) for e in self.root.findall(qn("w:num"))] or [0])

    def define(self, level0: tuple[str, str] | None, level1: tuple[str, str] | None) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        def level(ilvl: int, fmt: tuple[str, str] | None) -> str:
            num_fmt, text = fmt or ("none", "")
            indent = 360 + 360 * ilvl
            return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{num_fmt}"/>'
                    f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
                    f'<w:pPr><w:ind w:left="{indent + 360}" w:hanging="360"/></w:pPr></w:lvl>')

        abstract_id = self.next_abstract
        self.next_abstract += 1
        abstract = parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{abstract_id}">'
                             f'<w:multiLevelType w:val="hybridMultilevel"/>{level(0, level0)}{level(1, level1)}'
                             f'</w:abstractNum>')
        nums = self.root.findall(self.qn("w:num"))
        if nums:
            nums[0].addprevious(abstract)
        else:
            self.root.append(abstract)
        return abstract_id

    def instance(self, abstract_id: int, start: int | None = None) -> int:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        num_id = self.next_num
        self.next_num += 1
        override = (f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
                    if start is not None else "")
        self.root.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="{num_id}">'
                                   f'<w:abstractNumId w:val="{abstract_id}"/>{override}</w:num>'))
        return num_id

    def apply(self, paragraph, num_id: int, ilvl: int) -> None:
        from docx.oxml import parse_xml
        from docx.oxml.ns import nsdecls

        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


def render_docx(blocks: list[tuple], style: Style, rng: random.Random, spec: AgreementSpec, path: Path) -> None:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    document = docx.Document()
    document.core_properties.created = datetime(2026, 1, 1)
    numbering = WordNumbering(document)
    if style.page_furniture:
        section = document.sections[0]
        section.header.paragraphs[0].text = f"Zielvereinbarung {spec.year} – {spec.district}"
        footer = section.footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        add_page_fields(footer)
    first_title = True
    for block in blocks:
        kind = block[0]
        if kind == "title":
            if first_title:
                document.add_heading(block[1], level=0)
                first_title = False
            else:
                paragraph = document.add_paragraph(block[1])
                paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind == "heading":
            lines = heading_lines(style, block[1], block[2])
            document.add_heading(lines[0], level=1)
            if len(lines) > 1:
                document.add_heading(lines[1], level=2)
        elif kind == "para":
            document.add_paragraph(block[1])
        elif kind == "filler":
            for text in filler_paragraphs(block[1]):
                document.add_paragraph(text)
        elif kind == "amount":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.add_run(block[1]).bold = True
        elif kind == "projects":
            docx_projects(document, numbering, block[1], style, Cm)
            if len(block) > 2:
                document.add_paragraph(block[2])
        elif kind == "signatures":
            docx_signatures(document, block[1], style)
        elif kind == "lines":
            for line in block[1]:
                document.add_paragraph(line)
        elif kind == "annex":
            document.add_page_break()
            document.add_heading(f"{block[1]}: {block[2]}", level=1)
    document.save(str(path))


def add_page_fields(paragraph) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph.add_run("Seite ")
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    paragraph.add_run(" von ")
    paragraph._p.append(parse_xml(f'<w:fldSimple {nsdecls("w")} w:instr="NUMPAGES"><w:r><w:t>1</w:t></w:r></w:fldSimple>'))


def docx_projects(document, numbering: WordNumbering, categories: list[CategorySpec], style: Style, Cm) -> None:
    if style.layout != "list":
        header, rows, groups = table_rows(categories, style)
        table = document.add_table(rows=1 + len(rows), cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for n, row in enumerate(rows, start=1):
            cells = table.rows[n].cells
            if n - 1 in groups:
                merged = cells[0].merge(cells[-1]) if len(cells) > 1 else cells[0]
                merged.text = row[0]
                merged.paragraphs[0].runs[0].bold = True
                continue
            for cell, text in zip(cells, row):
                cell.text = text
        return
    level0 = CATEGORY_FORMATS.get(style.category_marker)
    marker = style.project_marker
    if marker == "a)":
        level1 = ("lowerLetter", "%2)")
    elif marker in BULLETS:
        level1 = ("bullet", marker)
    else:
        level1 = None
    abstract = numbering.define(level0, level1)
    variation = style.variation
    form = variation.list_form if variation else "default"
    for n, c in enumerate(categories):
        if n == 1 and variation is not None and variation.list_sentence:
            document.add_paragraph("Die Projekte dieser Maßnahmenart werden ganzjährig angeboten.")
        num_id = numbering.instance(abstract, start=c.number)  # one instance per category: it shows its own number
        if form == "headings":
            document.add_heading(c.shown, level=3)
        else:
            paragraph = document.add_paragraph(style="List Paragraph" if level0 else None)
            paragraph.add_run(c.shown).bold = level0 is None and form != "plain"
            if level0:
                numbering.apply(paragraph, num_id, 0)
        for project in c.projects:
            lines = project_line(project, style)
            paragraph = document.add_paragraph(lines[0], style="List Paragraph" if level1 else None)
            if level1:
                numbering.apply(paragraph, num_id, 1)
            elif marker == "indent":
                paragraph.paragraph_format.left_indent = Cm(1.5)
            if "\t" in lines[0]:
                paragraph.paragraph_format.tab_stops.add_tab_stop(Cm(15))
            for extra in lines[1:]:
                more = document.add_paragraph(extra)
                more.paragraph_format.left_indent = Cm(1.9 if level1 or marker == "indent" else 0.6)


def docx_signatures(document, blocks: list[list[str]], style: Style) -> None:
    document.add_paragraph()
    if not style.signatures_side_by_side:
        for block in blocks:
            for line in block:
                document.add_paragraph(line)
            document.add_paragraph()
        return
    table = document.add_table(rows=1, cols=2)  # no style: no borders, as signature blocks are laid out in Word
    for cell, block in zip(table.rows[0].cells, blocks):
        cell.text = block[0]
        for line in block[1:]:
            cell.add_paragraph(line)


# ---------------------------------------------------------------------------------------------- issue 18's wordings
# Drawn from their own random stream (`plan(..., varied=True)`), so the base documents of a seed stay as they were.
# VARIATION_HELD_OUT_ONLY never appears in the dev split; each held-out document uses one of them.
LIST_FORMS = ["default", "plain", "headings"]  # plain: unmarked project lines under unmarked category lines
CATEGORY_TITLES = ["full", "short", "labelled"]
DETAILS = ["none", "inline", "columns", "next_lines"]  # a Träger, a Laufzeit, a participant count beside each project
NOTATIONS = ["default", "tsd", "teur", "mio", "words"]  # "120 T€", "120 TEUR", "1,25 Mio. €", spelled out
BUDGET_FORMS = ["total", "parts", "parts_listed"]  # Landesmittel + ESF-Plus-Mittel without a total
RENAMES = ["", "bisher", "vormals"]
VARIATION_HELD_OUT_ONLY = {"list_form": "headings", "details": "next_lines", "notation": "teur",
                           "budget_form": "parts_listed", "renamed": "vormals"}
SHORT_TITLES = {1: "Ausbildungsvorbereitung", 2: "Ausbildung und Ausbildungscoaching", 3: "Qualifizierungsprojekte",
                4: "Weiterbildungsmaßnahmen für Personal"}
CARRIERS = ["Bildungswerk Musterstadt e. V.", "Jugendwerkstatt Beispiel gGmbH", "Qualifizierung Nord GmbH",
            "Verein Zukunft Arbeit e. V.", "Kreisvolkshochschule", "Berufsförderung Süd gGmbH"]
FORMER_NAMES = ["Berufsstart", "Jobstarter", "Brücke in den Beruf", "Perspektive Arbeit", "Neuer Weg"]


@dataclass
class Variation:
    list_form: str = "default"
    category_title: str = "full"
    details: str = "none"
    notation: str = "default"
    budget_form: str = "total"
    renamed: str = ""
    annex: bool = False  # the project list in "Anlage 1" after the signatures; § 5 points to it
    appended_amendment: bool = False  # a Nachtrag after the signatures inside the agreement's own file
    tight_closing: bool = False  # the closing sentence of § 5 right under the list, no blank line between
    list_sentence: bool = False  # a sentence about the projects between two Maßnahmenarten

    def describe(self) -> str:
        parts = [f"liste:{self.list_form}", f"kat-titel:{self.category_title}", f"details:{self.details}",
                 f"notation:{self.notation}", f"budgetform:{self.budget_form}"]
        parts += [flag for flag, on in (("umbenannt:" + self.renamed, bool(self.renamed)), ("anlage", self.annex),
                                        ("nachtrag-angehängt", self.appended_amendment),
                                        ("schlusssatz-dicht", self.tight_closing), ("satz-in-liste", self.list_sentence)) if on]
        return "[" + " ".join(parts) + "]"


def draw_variation(seed: int, split: str) -> Variation:
    rng = random.Random(f"variation:{split}:{seed}")

    def pick(option: str, values: list[str], weights: list[float] | None = None) -> str:
        if split == DEV:
            kept = [(v, w) for v, w in zip(values, weights or [1] * len(values)) if VARIATION_HELD_OUT_ONLY.get(option) != v]
            values, weights = [v for v, _ in kept], [w for _, w in kept]
        return rng.choices(values, weights=weights)[0]

    variation = Variation(
        list_form=pick("list_form", LIST_FORMS, [2, 2, 1]),
        category_title=rng.choice(CATEGORY_TITLES),
        details=pick("details", DETAILS, [2, 1, 1, 1]),
        notation=pick("notation", NOTATIONS, [2, 1, 1, 1, 1]),
        budget_form=pick("budget_form", BUDGET_FORMS, [3, 1, 1]),
        renamed=pick("renamed", RENAMES, [3, 1, 1]),
        annex=rng.random() < 0.2,
        appended_amendment=rng.random() < 0.2,
        tight_closing=rng.random() < 0.3,
        list_sentence=rng.random() < 0.2,
    )
    if split == HELD_OUT:
        option = sorted(VARIATION_HELD_OUT_ONLY)[seed % len(VARIATION_HELD_OUT_ONLY)]
        setattr(variation, option, VARIATION_HELD_OUT_ONLY[option])
    return variation


def apply_variation(spec: AgreementSpec, style: Style, variation: Variation, rng: random.Random) -> None:
    """Change the spec and the style the way the variation says; the expected facts follow from the spec."""
    style.variation = variation
    if variation.list_form != "default" or variation.details == "next_lines":
        style.layout = "list"
    if variation.list_form == "plain":
        style.category_marker, style.project_marker = "none", "none"
    if variation.list_form == "headings":
        style.category_marker = "none"
        style.project_marker = rng.choice(["none", "•"])
    if variation.details == "columns" and style.layout == "list":
        variation.details = "inline"
    if variation.details == "next_lines" or variation.list_form != "default":
        if style.amount_place in ("tab", "next_line"):
            style.amount_place = "colon"
    for category in spec.categories:
        if variation.category_title == "short":
            category.written = SHORT_TITLES[category.number]
        elif variation.category_title == "labelled":
            category.written, category.labelled = SHORT_TITLES[category.number], True
        for project in category.projects:
            if variation.details != "none":
                project.carrier = rng.choice(CARRIERS)
                begin = rng.randint(1, 4)
                project.runtime = f"01.{begin:02d}.{spec.year} – 31.12.{spec.year}"
                project.participants = rng.randint(8, 60)
    if variation.renamed and spec.categories:
        project = rng.choice([p for c in spec.categories for p in c.projects])
        project.former = rng.choice(FORMER_NAMES)
    if spec.kind != "agreement":
        variation.annex = variation.appended_amendment = False
        variation.budget_form = "total"
        if variation.notation == "words":
            variation.notation = "default"
        return
    projects = [p for c in spec.categories for p in c.projects]
    if variation.notation in ("tsd", "teur", "mio", "words"):  # round figures, as such notations are used for
        spec.budget -= spec.budget % (10_000 if variation.notation in ("mio", "words") else 1_000)
        if projects and projects[0].amount is not None:
            even = spec.budget // len(projects) // 1_000 * 1_000
            for project in projects:
                project.amount = even
            projects[-1].amount = spec.budget - even * (len(projects) - 1)
    if variation.budget_form != "total":
        esf = spec.budget * rng.randint(25, 45) // 100
        esf -= esf % 1_000
        spec.budget_parts = [("Landesmittel", spec.budget - esf), ("ESF-Plus-Mittel", esf)]
        if variation.notation in ("mio", "words"):
            variation.notation = "default"
    if variation.annex and variation.appended_amendment:
        variation.appended_amendment = False
    if variation.appended_amendment:
        spec.original_budget = spec.budget
        spec.budget = spec.budget + rng.randint(1, 20) * 5_000


ONES = ["", "ein", "zwei", "drei", "vier", "fünf", "sechs", "sieben", "acht", "neun", "zehn", "elf", "zwölf",
        "dreizehn", "vierzehn", "fünfzehn", "sechzehn", "siebzehn", "achtzehn", "neunzehn"]
TENS = ["", "", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig", "siebzig", "achtzig", "neunzig"]


def words_below_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    out = (ONES[hundreds] + "hundert") if hundreds else ""
    if rest < 20:
        out += ONES[rest]
    else:
        ten, one = divmod(rest, 10)
        out += (ONES[one] + "und" if one else "") + TENS[ten]
    return out


def number_words(n: int, case: str = "nominative") -> str:
    """1_250_000 -> 'eine Million zweihundertfünfzigtausend' (dative: 'einer Million …')."""
    millions, rest = divmod(n, 1_000_000)
    thousands, ones = divmod(rest, 1000)
    parts = []
    if millions == 1:
        parts.append(("einer" if case == "dative" else "eine") + " Million")
    elif millions:
        parts.append(f"{words_below_thousand(millions)} Millionen")
    tail = (words_below_thousand(thousands) + "tausend" if thousands else "") + (
        words_below_thousand(ones) if ones != 1 else "eins")
    if tail:
        parts.append(tail)
    return " ".join(parts)


def varied_money(value: int, style: Style, budget: bool = False) -> str:
    """An amount in the variation's notation (thousands, millions, words), else in the style's own."""
    variation = style.variation
    notation = variation.notation if variation else "default"
    if notation == "tsd" and value % 1000 == 0:
        return f"{value // 1000:,} T€".replace(",", ".")
    if notation == "teur" and value % 1000 == 0:
        return f"{value // 1000:,} TEUR".replace(",", ".")
    if budget and notation == "mio" and value % 10_000 == 0:
        return f"{value / 1_000_000:.2f}".replace(".", ",") + " Mio. €"
    if budget and notation == "words" and value % 10_000 == 0:
        return f"{number_words(value, 'dative')} Euro"
    return money(value, style.budget_money if budget else style.money)


def detail_text(project: ProjectSpec) -> str:
    return f"Träger: {project.carrier}, Laufzeit: {project.runtime}, {project.participants} Teilnehmende"


def written_name(project: ProjectSpec, variation: Variation | None) -> str:
    """The project's name as the list writes it: with its former name beside it, where it was renamed."""
    if not project.former or variation is None:
        return project.name
    if variation.renamed == "vormals":
        return f"{project.name}, vormals „{project.former}“"
    return f"{project.name} (bisher: {project.former})"


# ---------------------------------------------------------------------------------------------- entry points
def file_name(spec: AgreementSpec, seed: int, fmt: str) -> str:
    slug = spec.district.lower().replace(" ", "-").replace("ö", "oe").replace("ä", "ae").replace("ü", "ue")
    prefix = "aenderung" if spec.kind == "amendment" else "zv"
    return f"{prefix}-{spec.year}-{slug}-s{seed}.{fmt}"


def plan(seed: int, split: str = DEV, fmt: str | None = None, kind: str | None = None, varied: bool = False):
    """The facts and the style a seed draws, and the random stream the rendering goes on with. `varied` adds
    issue 18's wordings (`Variation`), drawn from streams of their own."""
    rng = random.Random(f"{split}:{seed}")
    spec = draw_spec(rng, kind)
    style = draw_style(rng, split, seed, fmt)
    if varied:
        apply_variation(spec, style, draw_variation(seed, split), random.Random(f"apply:{split}:{seed}"))
    return spec, style, rng


def generate(seed: int, out_dir: Path, split: str = DEV, fmt: str | None = None, kind: str | None = None,
             varied: bool = False) -> Generated:
    """Draw facts and a style from the seed, write the document into out_dir, return it with its expected facts."""
    spec, style, rng = plan(seed, split, fmt, kind, varied)
    blocks = build_blocks(spec, style, rng)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / file_name(spec, seed, style.format)
    if style.format == "txt":
        path.write_text(render_txt(blocks, style, rng, spec), encoding="utf-8")
    elif style.format == "md":
        path.write_text(render_md(blocks, style, rng, spec), encoding="utf-8")
    elif style.format == "pdf":
        render_pdf(blocks, style, rng, spec, path)
    else:
        render_docx(blocks, style, rng, spec, path)
    return Generated(seed, split, path, spec, style, expected_facts(spec))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Eine erfundene Zielvereinbarung in einem zufälligen Layout schreiben.")
    parser.add_argument("--seed", type=int, required=True)
    parser.add_argument("--format", choices=FORMATS)
    parser.add_argument("--split", choices=[DEV, HELD_OUT], default=DEV)
    parser.add_argument("--kind", choices=["agreement", "amendment"])
    parser.add_argument("--out", type=Path, default=Path("layouts-out"))
    parser.add_argument("--varied", action="store_true", help="mit den Varianten aus Issue 18")
    args = parser.parse_args(argv)
    generated = generate(args.seed, args.out, args.split, args.format, args.kind, args.varied)
    print(generated.path)
    print(generated.style.describe())
    print(json.dumps(asdict(generated.expected), ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
