"""Structure and facts of agreements written in the common German styles, amendments, supporting
documents and the extraction checks. Fictional districts and invented figures throughout."""

from __future__ import annotations

import pytest

from domain.records import AGREEMENT, AMENDMENT, SUPPORTING, Chunk
from ingest.facts import extract_facts, identify
from ingest.readers import IngestError
from ingest.structure import PARAGRAPH_CAP, SIGNATURES, split_blocks

MINISTRY = "dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales"
PROSE = (
    "Das HMSI verfolgt mit dem Ausbildungs- und Qualifizierungsbudget das Ziel, die Ausbildungsfähigkeit von "
    "benachteiligten Menschen zu steigern und ihre Beschäftigungsfähigkeit zu sichern."
)
SIGNED = (
    "Wiesbaden, den 3.7.2025\n\nDr. Max Beispiel\nStaatsminister\nHessisches Ministerium\n"
    "für Arbeit, Integration,\nJugend und Soziales\n\nMusterstadt, den 14.07.2025\n\nErika Mustermann\nLandrätin\n"
    "des Landkreises Musterstadt\n"
)
INTRO = "Der Landkreis Musterstadt finanziert mit den Mitteln des Budgets 2025 in den jeweiligen Maßnahmenarten folgende Projekte:"


def parse(text: str, name: str = "doc.txt"):
    """Facts and chunks of a text, built the way ingest.pipeline.parse_document builds them."""
    kind, district, year = identify(text)
    chunks = [
        Chunk(id=f"{name}::{n:03d}", doc_id=name, content_hash="0" * 64, district=district, year=year, kind=kind,
              section=b.section, title=b.title, text=b.text, ordinal=n, start=b.start, end=b.end)
        for n, b in enumerate(split_blocks(text))
    ]
    return extract_facts(name, "0" * 64, kind, district, year, chunks), chunks


def agreement(project_list: str, party: str = "und dem Landkreis Musterstadt",
              budget: str = "1.234.567 Euro", heading: str = "§ {n}\n\n{title}", signatures: str = SIGNED,
              title: str = "Zielvereinbarung 2025") -> str:
    def head(n: int, name: str) -> str:
        return heading.format(n=n, title=name)

    return "\n\n".join([
        title, "zwischen", MINISTRY, party, "zur Umsetzung des hessischen Ausbildungs- und Qualifizierungsbudgets",
        head(1, "Ziele des Landes"), PROSE,
        head(4, "Haushaltsmittel und Eckdaten"),
        f"Das HMSI stellt dem Landkreis Musterstadt im Jahr 2025 Haushaltsmittel in Höhe von insgesamt {budget} "
        "aus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung.",
        head(5, "Ziele für die Umsetzung"), project_list,
        "Die Förderung der aufgeführten Maßnahmen erfolgt auf Basis und nach Maßgabe des – nach Antragstellung durch "
        "den Landkreis Musterstadt vom Regierungspräsidium Gießen erlassenen – Bescheides.",
        head(6, "Zielsteuerung"), "Der Landkreis Musterstadt und das HMSI bleiben über die Entwicklung des Budgets im engen Austausch.",
        signatures,
    ])


def listing(facts) -> list[tuple]:
    return [(p.category_no, p.name, p.amount_eur) for p in facts.projects]


KOMPASS = f"{INTRO}\n- Kompass"
EXPECTED = [(1, "Berufsstart Plus", None), (1, "Lotsen Süd", None), (3, "Jobbrücke", None), (3, "Werkstatt Zukunft", None)]


# --- structure ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("heading", [
    "§ {n}\n{title}", "§ {n}\n\n{title}", "§ {n} {title}", "§{n} – {title}", "§ {n}: {title}", "Paragraph {n}: {title}",
    "Paragraph {n} {title}", "## § {n} {title}", "**§ {n}**\n\n{title}",
])
def test_section_headings_in_every_style(heading):
    text = agreement(KOMPASS, heading=heading)
    blocks = split_blocks(text)
    budget = next(b for b in blocks if "Haushaltsmittel in Höhe" in b.text)
    assert (budget.section, budget.title) == ("§ 4", "Haushaltsmittel und Eckdaten")
    assert [b.section for b in blocks if b.text.startswith("Das HMSI verfolgt")] == ["§ 1"]
    facts, _ = parse(text)
    assert facts.budget_eur == 1_234_567 and [p.name for p in facts.projects] == ["Kompass"]


def test_section_reference_in_a_sentence_is_no_heading():
    blocks = split_blocks("Änderungsvereinbarung\n\n§ 1 Änderung\n\n§ 4 erhält folgende Fassung: Das HMSI stellt 5 Euro bereit.")
    assert [(b.section, b.text[:3]) for b in blocks][-1] == ("§ 1", "§ 4")


def test_list_stays_with_its_introduction_whatever_the_markers():
    lists = [
        f"{INTRO}\n\na) Ausbildungsvorbereitung\n\n  • Berufsstart Plus\n  • Lotsen Süd\n\nb) Qualifizierungsprojekte zur Arbeitsmarktintegration\n\n  • Jobbrücke",
        f"{INTRO}\n\nAusbildungsvorbereitung\n\nBerufsstart Plus\nLotsen Süd\n\nQualifizierungsprojekte zur Arbeitsmarktintegration\n\nJobbrücke",
        f"{INTRO}\n\nMaßnahmenart | Projekt | Fördersumme\n1. Ausbildungsvorbereitung | Berufsstart Plus | 10.000 €\n | Lotsen Süd | 5.000 €\nSumme | | 15.000 €",
    ]
    for text in lists:
        blocks = [b for b in split_blocks(agreement(text)) if b.section == "§ 5"]
        assert blocks[0].text.startswith("Der Landkreis Musterstadt finanziert") and "Berufsstart Plus" in blocks[0].text
        assert "Lotsen Süd" in blocks[0].text and blocks[0].is_list
        assert blocks[1].text.startswith("Die Förderung")


def test_signature_block_ends_before_the_annex():
    text = agreement(KOMPASS) + "\n\nAnlage 1 Projektübersicht\n\nProjekt | Betrag\nKompass | 12.000 €\n\nAnlage: Ansprechpartner\n\nFrau Beispiel, Telefon 0000 12345"
    blocks = split_blocks(text)
    signatures = [b for b in blocks if b.section == SIGNATURES]
    assert len(signatures) == 1 and "Anlage" not in signatures[0].text and "Kompass" not in signatures[0].text
    assert [b.section for b in blocks if "Kompass |" in b.text] == ["Anlage 1"]
    assert [(b.section, b.title) for b in blocks if "Telefon" in b.text] == [("Anlage", "Ansprechpartner")]
    facts, _ = parse(text)
    assert [(p.name, p.amount_eur) for p in facts.projects] == [("Kompass", 12_000)]  # the annex adds the amount
    assert len(facts.signatures) == 2


def test_long_paragraphs_are_split_at_sentence_ends():
    sentence = "Der Landkreis Musterstadt setzt die Mittel nach Abs. 2 für die Qualifizierung von jungen Menschen ein. "
    long = sentence * 40
    blocks = split_blocks(agreement(KOMPASS).replace(PROSE, long.strip()))
    pieces = [b for b in blocks if b.section == "§ 1"]
    assert len(pieces) >= 3 and all(len(b.text) <= PARAGRAPH_CAP for b in pieces)
    assert all(b.text.endswith("ein.") and b.text.startswith("Der Landkreis") for b in pieces)
    assert " ".join(b.text for b in pieces) == long.strip()


# --- who, when, which kind ---------------------------------------------------------------------------
@pytest.mark.parametrize("party, expected", [
    ("und dem Landkreis Gießen", "Landkreis Gießen"),
    ("und Landkreis Gießen", "Landkreis Gießen"),
    ("und der Stadt Kassel", "Stadt Kassel"),
    ("und dem Landkreis Kassel", "Landkreis Kassel"),
    ("und Vogelsbergkreis", "Vogelsbergkreis"),
    ("und dem Main-Kinzig-Kreis", "Main-Kinzig-Kreis"),
    ("und der Landeshauptstadt Wiesbaden", "Landeshauptstadt Wiesbaden"),
    ("und der Wissenschaftsstadt Darmstadt", "Wissenschaftsstadt Darmstadt"),
    ("und dem Kreis Offenbach", "Kreis Offenbach"),
    ("und der Stadt Frankfurt a. M.", "Stadt Frankfurt am Main"),
    ("und dem Landkreis Musterstadt", "Landkreis Musterstadt"),
    ("und Stadt Beispielhausen", "Stadt Beispielhausen"),
])
def test_district_with_or_without_article(party, expected):
    kind, district, year = identify(agreement(KOMPASS, party=party))
    assert (kind, district, year) == (AGREEMENT, expected, 2025)


@pytest.mark.parametrize("ministry", [
    "dem Hessischen Ministerium für Soziales und Integration", "dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales",
    "dem HMSI",
])
def test_ministry_is_never_the_district(ministry):
    text = agreement(KOMPASS, party="und Vogelsbergkreis").replace(MINISTRY, ministry)
    assert identify(text)[1] == "Vogelsbergkreis"


def test_district_found_later_when_the_head_names_none():
    text = agreement(KOMPASS, party="und dem Kreis").replace("dem Landkreis Musterstadt im Jahr", "dem Landkreis Beispieltal im Jahr")
    assert identify(text)[1] == "Landkreis Beispieltal"


@pytest.mark.parametrize("title, year", [
    ("Zielvereinbarung 2026", 2026), ("Zielvereinbarung für das Jahr 2027", 2027),
    ("Vereinbarung über das Ausbildungs- und Qualifizierungsbudget 2028", 2028),
    ("Zielvereinbarung\n\nLaufzeit: 01.01.2029 – 31.12.2029", 2029),
    ("Zielvereinbarung AQB – 2030", 2030),
])
def test_year_in_every_wording(title, year):
    text = agreement(KOMPASS, title=title).replace("2025", "")
    kind, _, found = identify(text)
    assert (kind, found) == (AGREEMENT, year)


def test_a_clause_on_amending_does_not_make_an_amendment():
    text = agreement(KOMPASS).replace(PROSE, PROSE + " Eine Änderung der Zielvereinbarung bedarf der Schriftform.")
    assert identify(text)[0] == AGREEMENT


def test_agreement_without_the_word_zielvereinbarung():
    text = agreement(KOMPASS, title="Vereinbarung zum Ausbildungs- und Qualifizierungsbudget 2025")
    facts, _ = parse(text)
    assert (facts.kind, facts.district, facts.year, facts.budget_eur) == (AGREEMENT, "Landkreis Musterstadt", 2025, 1_234_567)


# --- budget -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("written, value", [
    ("1.516.560 Euro", 1_516_560), ("1.516.560,00 €", 1_516_560), ("EUR 1.516.560", 1_516_560),
    ("1,52 Mio. Euro (1.516.560 Euro)", 1_516_560), ("1.516.560,- €", 1_516_560),
])
def test_budget_formats(written, value):
    facts, chunks = parse(agreement(KOMPASS, budget=written))
    assert facts.budget_eur == value
    assert next(c for c in chunks if c.id == facts.budget_chunk).section == "§ 4"
    assert "budget" not in facts.uncertain


def test_budget_from_the_sum_row_when_the_text_gives_none():
    table = f"{INTRO}\n\nProjekt | Betrag\nBerufsstart Plus | 600.000 €\nJobbrücke | 400.000 €\nGesamt | 1.000.000 €"
    text = agreement(table).replace("in Höhe von insgesamt 1.234.567 Euro ", "")
    facts, chunks = parse(text)
    assert facts.budget_eur == 1_000_000 and next(c for c in chunks if c.id == facts.budget_chunk).section == "§ 5"
    assert [(p.name, p.amount_eur) for p in facts.projects] == [("Berufsstart Plus", 600_000), ("Jobbrücke", 400_000)]
    assert facts.warnings == []


# --- projects ---------------------------------------------------------------------------------------
CATEGORY_STYLES = {
    "1.": ("1. Ausbildungsvorbereitung", "3. Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "1)": ("1) Ausbildungsvorbereitung", "3) Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "a)": ("a) Ausbildungsvorbereitung", "c) Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "I.": ("I. Ausbildungsvorbereitung", "III. Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "(1)": ("(1) Ausbildungsvorbereitung", "(3) Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "none": ("Ausbildungsvorbereitung", "Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "label": ("Maßnahmenart 1: Ausbildungsvorbereitung", "Maßnahmenart 3: Qualifizierungsprojekte"),
    "A.": ("A. Ausbildungsvorbereitung", "C. Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "1.1": ("1.1 Ausbildungsvorbereitung", "1.3 Qualifizierungsprojekte zur Arbeitsmarktintegration"),
    "1.)": ("1.) Ausbildungsvorbereitung", "3.) Qualifizierungsprojekte zur Arbeitsmarktintegration"),
}


@pytest.mark.parametrize("category_style", sorted(CATEGORY_STYLES))
@pytest.mark.parametrize("bullet", ["•", "▪", "–", "-", "*", "o", "◦", "►", "", "  "])
def test_projects_in_every_list_style(category_style, bullet):
    first, third = CATEGORY_STYLES[category_style]
    mark = f"{bullet} " if bullet.strip() else bullet
    lines = [INTRO, "", first, f"{mark}Berufsstart Plus", f"{mark}Lotsen Süd", "", third, f"{mark}Jobbrücke", f"{mark}Werkstatt Zukunft"]
    facts, chunks = parse(agreement("\n".join(lines)))
    assert listing(facts) == EXPECTED
    assert facts.categories[0] == "Ausbildungsvorbereitung"
    assert {next(c for c in chunks if c.id == p.chunk_id).section for p in facts.projects} == {"§ 5"}
    assert facts.warnings == [] and facts.uncertain == []


@pytest.mark.parametrize("amounts, expected", [
    (["Berufsstart Plus: 120.000 Euro", "Lotsen Süd: 45.500,00 €"], [120_000, 45_500]),
    (["Berufsstart Plus – 120.000 Euro", "Lotsen Süd - 45.500 €"], [120_000, 45_500]),
    (["Berufsstart Plus        120.000 €", "Lotsen Süd\t\t45.500"], [120_000, 45_500]),
    (["Berufsstart Plus (120.000 Euro)", "Lotsen Süd (Fördersumme: 45.500 Euro)"], [120_000, 45_500]),
    (["Berufsstart Plus ........ 120.000 €", "Lotsen Süd … 45.500 €"], [120_000, 45_500]),
    (["Berufsstart Plus", "  Fördersumme: 120.000 €", "Lotsen Süd", "  Fördersumme: 45.500 €"], [120_000, 45_500]),
])
def test_project_amounts_inline_after_a_dash_aligned_or_on_the_next_line(amounts, expected):
    lines = [INTRO, "1. Ausbildungsvorbereitung"] + [
        ("  " + line if line.startswith("  ") else "• " + line) for line in amounts]
    facts, _ = parse(agreement("\n".join(lines), budget="165.500 Euro"))  # the amounts add up to the budget
    assert [(p.name, p.amount_eur) for p in facts.projects] == list(zip(["Berufsstart Plus", "Lotsen Süd"], expected))
    assert facts.warnings == []


@pytest.mark.parametrize("table", [
    "Maßnahmenart | Projekt | Fördersumme\n1. Ausbildungsvorbereitung | Berufsstart Plus | 100.000 €\n | Lotsen Süd | 50.000 €\n"
    "3. Qualifizierungsprojekte | Jobbrücke | 200.000 €\nQualifizierungsprojekte | Werkstatt Zukunft | 150.000 €\nSumme | | 500.000 €",
    "| Maßnahmenart | Projekt | Fördersumme |\n|---|---|---|\n| Ausbildungsvorbereitung | Berufsstart Plus | 100.000 |\n"
    "| Ausbildungsvorbereitung | Lotsen Süd | 50.000 |\n| Qualifizierungsprojekte | Jobbrücke | 200.000 |\n"
    "| Qualifizierungsprojekte | Werkstatt Zukunft | 150.000 |\n| Gesamt | | 500.000 |",
    "Ausbildungsvorbereitung\nProjekt | Betrag\nBerufsstart Plus | 100.000 Euro\nLotsen Süd | 50.000 Euro\n"
    "Qualifizierungsprojekte\nProjekt | Betrag\nJobbrücke | 200.000 Euro\nWerkstatt Zukunft | 150.000 Euro",
    "Maßnahmenbereich | Projekt | Gesamtkosten | Fördersumme\nAusbildungsvorbereitung | Berufsstart Plus | 180.000 € | 100.000 €\n"
    " | Lotsen Süd | 70.000 € | 50.000 €\nZwischensumme | | | 150.000 €\nQualifizierungsprojekte | Jobbrücke | 250.000 € | 200.000 €\n"
    " | Werkstatt Zukunft | 150.000 € | 150.000 €\nZwischensumme | | | 350.000 €\nGesamt | | | 500.000 €",
    "Nr. | Projekt | Fördersumme in Euro\n | 1. Ausbildungsvorbereitung | \n1 | Berufsstart Plus | 100000\n2 | Lotsen Süd | 50000\n"
    " | 3. Qualifizierungsprojekte zur Arbeitsmarktintegration | \n3 | Jobbrücke | 200000\n4 | Werkstatt Zukunft | 150000",
])
def test_projects_from_tables(table):
    facts, _ = parse(agreement(f"{INTRO}\n\n{table}", budget="500.000 Euro"))  # the amounts add up to the budget
    assert listing(facts) == [(n, name, amount) for (n, name, _), amount in zip(EXPECTED, [100_000, 50_000, 200_000, 150_000])]
    assert facts.budget_eur == 500_000 and facts.warnings == []


def test_projects_numbered_below_their_category():
    lines = [INTRO, "1. Ausbildungsvorbereitung", "1.1 Berufsstart Plus", "1.2 Lotsen Süd", "3. Qualifizierungsprojekte",
             "3.1 Jobbrücke", "3.2 Werkstatt Zukunft"]
    facts, _ = parse(agreement("\n".join(lines)))
    assert listing(facts) == EXPECTED


def test_projects_indented_without_markers():
    lines = [INTRO, "Ausbildungsvorbereitung", "    Berufsstart Plus", "    Lotsen Süd", "Qualifizierungsprojekte zur Arbeitsmarktintegration",
             "    Jobbrücke", "    Werkstatt Zukunft"]
    facts, _ = parse(agreement("\n".join(lines)))
    assert listing(facts) == EXPECTED


def test_project_list_found_by_what_it_is_not_by_one_sentence():
    lines = ["Es werden die nachstehenden Projekte gefördert:", "", "1. Ausbildungsvorbereitung", "- Berufsstart Plus",
             "- Lotsen Süd", "3. Qualifizierungsprojekte", "- Jobbrücke", "- Werkstatt Zukunft"]
    facts, _ = parse(agreement("\n".join(lines)))
    assert listing(facts) == EXPECTED


# --- signatures, authority ----------------------------------------------------------------------------
@pytest.mark.parametrize("block", [
    SIGNED,
    "Wiesbaden, 3.7.2025\nDr. Max Beispiel\nStaatsminister\nHessisches Ministerium\n\nMusterstadt, 14.07.2025\nErika Mustermann\nLandrätin\nLandkreis Musterstadt",
    "Für das Hessische Ministerium\nOrt, Datum: Wiesbaden, 3.7.2025\n____________________\nDr. Max Beispiel\nStaatsminister\n\n"
    "Für den Landkreis Musterstadt\nOrt, Datum: Musterstadt, 14.07.2025\n____________________\nErika Mustermann\nLandrätin",
    "Wiesbaden, den 3. Juli 2025\n\nDr. Max Beispiel\nStaatsminister\n\nMusterstadt, den 14. Juli 2025\n\nErika Mustermann\nLandrätin",
    "| | |\n|---|---|\n| Wiesbaden, den 3.7.2025 | Musterstadt, den 14.07.2025 |\n| Dr. Max Beispiel | Erika Mustermann |\n"
    "| Staatsminister | Landrätin |\n| Hessisches Ministerium | des Landkreises Musterstadt |",
    "Wiesbaden, den 3.7.2025 Dr. Max Beispiel Staatsminister Hessisches Ministerium | "
    "Musterstadt, den 14.07.2025 Erika Mustermann Landrätin des Landkreises Musterstadt",
    "Für das Hessische Ministerium für Arbeit, Integration, Jugend und Soziales Wiesbaden, den 3.7.2025 Dr. Max Beispiel "
    "Staatsminister | Für den Landkreis Musterstadt Musterstadt, den 14.07.2025 Erika Mustermann Landrätin",
])
def test_signatures_in_every_layout(block):
    facts, _ = parse(agreement(KOMPASS, signatures=block))
    assert [(s.place, s.date, s.name, s.role) for s in facts.signatures] == [
        ("Wiesbaden", "2025-07-03", "Dr. Max Beispiel", "Staatsminister"),
        ("Musterstadt", "2025-07-14", "Erika Mustermann", "Landrätin"),
    ]
    if "Landkreis" in block:  # the district's signer's organisation, from its own line or from "Für den Landkreis …"
        assert "Landkreis" in (facts.signatures[1].organisation or "") and "Musterstadt" in facts.signatures[1].organisation
    assert facts.authority == "Regierungspräsidium Gießen"
    assert "signatures" not in facts.uncertain


# --- amendments -------------------------------------------------------------------------------------
def amendment(title: str, body: str) -> str:
    return "\n\n".join([title, "zwischen", MINISTRY, "und dem Landkreis Musterstadt", "§ 1 Änderung der Haushaltsmittel", body,
                        "§ 2 Inkrafttreten", "Im Übrigen gilt die Zielvereinbarung 2025 unverändert fort.",
                        "Wiesbaden, den 1.10.2025\n\nDr. Max Beispiel\nStaatsminister"])


@pytest.mark.parametrize("title", [
    "Änderungsvereinbarung zur Zielvereinbarung 2025", "1. Nachtrag zur Zielvereinbarung 2025", "Änderung der Zielvereinbarung 2025",
    "Nachtrag Nr. 2 zur Zielvereinbarung 2025",
])
@pytest.mark.parametrize("body, budget, change", [
    ("§ 4 erhält folgende Fassung: Das HMSI stellt dem Landkreis Musterstadt im Jahr 2025 Haushaltsmittel in Höhe von insgesamt "
     "1.600.000 Euro zur Verfügung.", 1_600_000, None),
    ("Die Haushaltsmittel nach § 4 werden von 1.516.560 Euro auf 1.600.000 Euro erhöht.", 1_600_000, None),
    ("Die Haushaltsmittel nach § 4 werden erhöht auf 1.600.000 Euro.", 1_600_000, None),
    ("Die Haushaltsmittel nach § 4 werden um 50.000 Euro erhöht.", None, 50_000),
    ("Die Haushaltsmittel nach § 4 werden um 20.000 Euro reduziert.", None, -20_000),
    ("Die Haushaltsmittel nach § 4 werden um 50.000 Euro auf 1.566.560 Euro erhöht.", 1_566_560, 50_000),
    ("Die Haushaltsmittel verringern sich um 20.000 Euro.", None, -20_000),
    ("Der Landkreis Musterstadt erhält zusätzlich 50.000 Euro. Die Haushaltsmittel betragen nunmehr 1.566.560 Euro.",
     1_566_560, 50_000),
    ("Die Haushaltsmittel werden um einen Betrag von 50.000 Euro aufgestockt.", None, 50_000),
    ("Die Haushaltsmittel werden gekürzt auf einen Betrag von 1.496.560 Euro.", 1_496_560, None),
    ("§ 4 erhält folgende Fassung: Das HMSI stellt dem Landkreis Musterstadt Haushaltsmittel in Höhe von 1.566.560 Euro "
     "zur Verfügung.\n\nDie bisherigen Haushaltsmittel von 1.516.560 Euro werden damit um 50.000 Euro erhöht.", 1_566_560, 50_000),
])
def test_amendments(title, body, budget, change):
    facts, _ = parse(amendment(title, body))
    assert (facts.kind, facts.district, facts.year) == (AMENDMENT, "Landkreis Musterstadt", 2025)
    assert (facts.budget_eur, facts.budget_change_eur) == (budget, change)
    assert facts.budget_chunk is not None and "budget" not in facts.uncertain


# --- supporting documents -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, doc_type, district, year", [
    ("Zuwendungsbescheid\n\nRegierungspräsidium Kassel\n\nAuf Ihren Antrag vom 3.2.2025 bewillige ich dem Landkreis Musterstadt "
     "für das Jahr 2025 eine Zuwendung aus dem Ausbildungs- und Qualifizierungsbudget in Höhe von 1.234.567 Euro auf Grundlage "
     "der Zielvereinbarung 2025.", "Bescheid", "Landkreis Musterstadt", 2025),
    ("Änderungsbescheid\n\nDer Bescheid vom 3.2.2025 an die Stadt Beispielhausen wird wie folgt geändert: Die Zuwendung "
     "wird um 20.000 Euro erhöht. Die übrigen Bestimmungen gelten weiter fort und sind zu beachten.", "Änderungsbescheid", "Stadt Beispielhausen", 0),
    ("Fördergrundsätze des Landes Hessen für das Ausbildungs- und Qualifizierungsbudget\n\nDie Kreise und kreisfreien Städte "
     "erhalten die Mittel auf der Grundlage einer Zielvereinbarung mit dem Ministerium. Gefördert werden Maßnahmen der "
     "Ausbildungsvorbereitung und der Qualifizierung.", "Fördergrundsätze", "", 0),
    ("Sachbericht zur Zielvereinbarung 2024\n\nVogelsbergkreis\n\nIm Jahr 2024 wurden mit den Mitteln des Budgets vier Projekte "
     "umgesetzt. Die Teilnehmenden haben die Maßnahmen zu einem großen Teil erfolgreich abgeschlossen.", "Sachbericht", "Vogelsbergkreis", 2024),
    ("Protokoll der Umsetzungsbesprechung\n\nAm 12. Oktober trafen sich die Vertreter des Landkreises Musterstadt und des "
     "Ministeriums, um über die Umsetzung der Projekte im laufenden Jahr zu sprechen. Es wurden keine Probleme festgestellt.",
     "Protokoll", "Landkreis Musterstadt", 0),
])
def test_supporting_documents_are_kept_with_their_type_only(text, doc_type, district, year):
    facts, chunks = parse(text)
    assert (facts.kind, facts.doc_type, facts.district, facts.year) == (SUPPORTING, doc_type, district, year)
    assert facts.budget_eur is None and facts.projects == [] and facts.signatures == [] and facts.warnings == []
    assert len(chunks) >= 2


@pytest.mark.parametrize("text", [
    "Einkaufsliste: Brot, Milch, Käse, Äpfel und Öl für die Woche.",
    "lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna "
    "aliqua ut enim ad minim veniam quis nostrud exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat",
])
def test_too_short_or_not_german_is_refused(text):
    with pytest.raises(IngestError, match="keine Zielvereinbarung"):
        identify(text)


# --- checks -----------------------------------------------------------------------------------------
def test_check_list_entries_without_projects():
    """Projects written into the Maßnahmenart's line are not read: the check says so."""
    lines = [INTRO, "1. Ausbildungsvorbereitung: Berufsstart Plus; Lotsen Süd", "3. Qualifizierungsprojekte: Jobbrücke"]
    facts, _ = parse(agreement("\n".join(lines)))
    assert facts.projects == []
    assert "§ 5: 2 Listeneinträge, 0 Projekte erkannt" in facts.warnings and facts.uncertain == ["projects"]


def test_check_project_amounts_above_the_budget():
    lines = [INTRO, "1. Ausbildungsvorbereitung", "• Berufsstart Plus: 1.000.000 Euro", "• Lotsen Süd: 620.000 Euro"]
    facts, _ = parse(agreement("\n".join(lines), budget="1.516.560 Euro"))
    assert "Projektbeträge (1.620.000 Euro) übersteigen das Budget (1.516.560 Euro)" in facts.warnings
    assert {"projects", "budget"} <= set(facts.uncertain)


def test_check_sum_row_that_does_not_add_up():
    table = f"{INTRO}\n\nProjekt | Betrag\nBerufsstart Plus | 1.000.000 €\nLotsen Süd | 480.000 €\nSumme | 1.500.000 €"
    facts, _ = parse(agreement(table, budget="1.500.000 Euro"))
    assert facts.warnings == ["Summenzeile 1.500.000 Euro ≠ Summe der Projekte 1.480.000 Euro"]
    assert facts.uncertain == ["projects"]


def test_check_missing_budget_district_year_and_signatures():
    text = agreement(KOMPASS, party="und dem Ministerium", signatures="Die Vereinbarung tritt mit ihrer Unterzeichnung in Kraft.")
    text = text.replace("in Höhe von insgesamt 1.234.567 Euro ", "").replace("2025", "").replace("Landkreis Musterstadt", "Kreis")
    facts, _ = parse(text)
    assert (facts.district, facts.year, facts.budget_eur, facts.signatures) == ("", 0, None, [])
    assert set(facts.uncertain) == {"district", "year", "budget", "signatures"}
    assert {"kein Budget gefunden", "keine Unterschriften gefunden", "keine Gebietskörperschaft erkannt", "kein Jahr erkannt"} <= set(facts.warnings)


def test_side_by_side_signatures_run_together_keep_place_and_date_only():
    block = "Musterstadt, den 14.07.2025 Wiesbaden, den 3.7.2025\n\nErika Mustermann Dr. Max Beispiel\nLandrätin Staatsminister"
    facts, _ = parse(agreement(KOMPASS, signatures=block))
    assert [(s.place, s.date, s.name) for s in facts.signatures] == [("Musterstadt", "2025-07-14", None), ("Wiesbaden", "2025-07-03", None)]
    assert "signatures" in facts.uncertain
    assert "Unterschriften unvollständig erkannt (Ort, Datum oder Name fehlt)" in facts.warnings


def test_check_district_of_the_head_differs_from_the_one_given_the_budget():
    text = agreement(KOMPASS).replace("stellt dem Landkreis Musterstadt", "stellt dem Landkreis Beispieltal")
    facts, _ = parse(text)
    assert facts.district == "Landkreis Musterstadt" and facts.uncertain == ["district"]
    assert facts.warnings == ["Gebietskörperschaft: der Kopf nennt Landkreis Musterstadt, § 4 nennt Landkreis Beispieltal"]


def test_clean_agreement_has_no_warnings():
    goals = "Schwerpunkte des Budgets sind:\n- Ausbildungsvorbereitung\n- Qualifizierungsprojekte zur Arbeitsmarktintegration"
    text = agreement("\n".join([INTRO, "1. Ausbildungsvorbereitung", "- Berufsstart Plus", "- Lotsen Süd"])).replace(PROSE, PROSE + "\n\n" + goals)
    facts, _ = parse(text)
    assert facts.warnings == [] and facts.uncertain == [] and len(facts.projects) == 2


# --- whole files through the pipeline -----------------------------------------------------------------
def test_markdown_file_with_tables_through_parse_document(tmp_path):
    from ingest.pipeline import parse_document

    text = agreement(
        f"{INTRO}\n\n| Maßnahmenart | Projekt | Fördersumme |\n|---|---|---|\n| 1. Ausbildungsvorbereitung | Berufsstart Plus | 100.000 € |\n"
        "| | Lotsen Süd | 50.000 € |\n| 3. Qualifizierungsprojekte | Jobbrücke | 200.000 € |\n| Summe | | 350.000 € |",
        heading="## § {n} {title}", budget="350.000 Euro",
        signatures="| | |\n|---|---|\n| Wiesbaden, den 3.7.2025 | Musterstadt, den 14.07.2025 |\n| Dr. Max Beispiel | Erika Mustermann |\n"
                   "| Staatsminister | Landrätin |")
    path = tmp_path / "zv-2025-landkreis-musterstadt.md"
    path.write_text(text, encoding="utf-8")
    facts, chunks = parse_document(path, path.read_bytes())
    assert (facts.kind, facts.district, facts.year, facts.budget_eur) == (AGREEMENT, "Landkreis Musterstadt", 2025, 350_000)
    assert [(p.category_no, p.name, p.amount_eur) for p in facts.projects] == [
        (1, "Berufsstart Plus", 100_000), (1, "Lotsen Süd", 50_000), (3, "Jobbrücke", 200_000)]
    assert [(s.place, s.date, s.name) for s in facts.signatures] == [
        ("Wiesbaden", "2025-07-03", "Dr. Max Beispiel"), ("Musterstadt", "2025-07-14", "Erika Mustermann")]
    assert facts.warnings == [] and {c.section for c in chunks} >= {"Kopf", "§ 1", "§ 4", "§ 5", "§ 6", SIGNATURES}


def test_supporting_text_file_through_parse_document(tmp_path):
    from ingest.pipeline import parse_document

    path = tmp_path / "bescheid-2025-musterstadt.txt"
    path.write_text(
        "Zuwendungsbescheid\n\nRegierungspräsidium Gießen\n\nAuf Ihren Antrag bewillige ich dem Landkreis Musterstadt für das "
        "Jahr 2025 eine Zuwendung in Höhe von 1.234.567 Euro aus dem Ausbildungs- und Qualifizierungsbudget.\n\n"
        "Die Zuwendung wird auf der Grundlage der Zielvereinbarung 2025 gewährt und ist zweckgebunden zu verwenden.\n",
        encoding="utf-8")
    facts, chunks = parse_document(path, path.read_bytes())
    assert (facts.kind, facts.doc_type, facts.district, facts.year) == (SUPPORTING, "Bescheid", "Landkreis Musterstadt", 2025)
    assert facts.budget_eur is None and facts.projects == [] and all(c.kind == SUPPORTING for c in chunks)


# --- another drafting: "Ziffer" sections, a budget table with its comparison rows, "Vorhaben" -------------------
ZIFFERN = "\n\n".join([
    "# Zielvereinbarung AQB 2025", "zwischen " + MINISTRY, "und der Stadt Musterstadt (kreisfreie Stadt)",
    "## Ziffer 1 – Ziele", PROSE,
    "## Ziffer 4 – Budget 2025",
    "| Position | Betrag |\n|---|---|\n| Landesmittel aus dem Budget 2025 (gesamt) | 1.400.000,00 € |\n"
    "| darunter: Mittel für Teilzeitausbildung | 200.000,00 € |\n| nachrichtlich: Mittel der Stadt im Vorjahr 2024 | 1.300.000,00 € |",
    "## Ziffer 5 – Vorhaben 2025 (Übersicht)",
    "| Nr. | Maßnahmenart | Vorhaben | Träger |\n|---|---|---|---|\n| 1 | 1 – Ausbildungsvorbereitung | Kompass | Verein A |\n"
    "| 2 | 3 – Qualifizierung | Werkstatt Zukunft | Verein B |",
    "Wiesbaden, den 03.07.2025\n\nFür das Hessische Ministerium für Arbeit, Integration, Jugend und Soziales\nIm Auftrag\n"
    "**Max Beispiel**, Abteilungsleiter Arbeit\n\nMusterstadt, den 14.07.2025\n\nFür die Stadt Musterstadt\n"
    "In Vertretung der Oberbürgermeisterin\n**Erika Mustermann**, Stadträtin",
])


def test_sections_named_ziffer_a_budget_table_with_comparison_rows_and_vorhaben(tmp_path):
    from ingest.pipeline import parse_document

    path = tmp_path / "zv-2025-stadt-musterstadt.md"
    path.write_text(ZIFFERN, encoding="utf-8")
    facts, chunks = parse_document(path, path.read_bytes())
    assert {"Ziffer 1", "Ziffer 4", "Ziffer 5"} <= {c.section for c in chunks}  # cited as the text names them
    assert facts.budget_eur == 1_400_000  # not the share ("darunter") nor last year's ("nachrichtlich … Vorjahr")
    assert [(p.category_no, p.name, p.carrier) for p in facts.projects] == [(1, "Kompass", "Verein A"),
                                                                           (3, "Werkstatt Zukunft", "Verein B")]
    assert [(s.name, s.role) for s in facts.signatures] == [("Max Beispiel", "Abteilungsleiter Arbeit"),
                                                            ("Erika Mustermann", "Stadträtin")]  # not "Im Auftrag"
    assert not facts.uncertain, facts.warnings


def test_a_page_about_agreements_with_no_district_budget_or_signature_is_a_supporting_document(tmp_path):
    from ingest.pipeline import parse_document

    page = tmp_path / "programmseite.md"
    page.write_text("# Zielvereinbarungen im Ausbildungs- und Qualifizierungsbudget\n\n" + PROSE + "\n\n"
                    "Welche Unterlagen sind einzureichen?\n\n- Finanzierungsplan je Vorhaben\n- Kurzbeschreibung je Vorhaben\n\n"
                    "Die Zielvereinbarungen werden jährlich zwischen dem Land und den Gebietskörperschaften geschlossen.",
                    encoding="utf-8")
    facts, chunks = parse_document(page, page.read_bytes())
    assert facts.kind == SUPPORTING and {c.kind for c in chunks} == {SUPPORTING} and not facts.projects
