"""A Bescheid beside its agreement: its own facts read from a letter with numbered headings, its granted amount
shown beside the agreement's budget (in answers and in the Steckbrief), the difference computed and the
Bescheid's own reason quoted.

Fictional "Landkreis Musterstadt" documents written by the test; real store and embedder."""

from __future__ import annotations

import re

import pytest

from app.web_layout import profile_html
from assistant.engine import Assistant
from assistant.library import profile
from bench import fictional as factory
from domain.answer import Turn
from ingest.pipeline import ingest_paths, parse_document
from vectorstore.store import AgreementStore

PROJECTS = {1: [("Berufsstart Plus", None)], 3: [("Jobbrücke", None), ("Werkstatt Zukunft", None)]}

# a letter as the RP writes it: the amount set apart on its own lines inside the sentence that grants it,
# numbered headings standing alone, the reduction stated in a later section
BESCHEID = """Regierungspräsidium Kassel
Dezernat 34

Landkreis Musterstadt
Der Kreisausschuss

Aktenzeichen: RPKS 34-AQB-2025/042
Datum: 15.09.2025

Zuwendungsbescheid
Ausbildungs- und Qualifizierungsbudget 2025

Sehr geehrte Damen und Herren,

auf Ihren Antrag ergeht folgender Bescheid:


1. Bewilligung

Dem Landkreis Musterstadt wird für die in der Zielvereinbarung 2025 genannten Vorhaben eine Zuwendung in Höhe von

    1.150.000,00 Euro
    (in Worten: eine Million einhundertfünfzigtausend Euro)

als Projektförderung bewilligt.


2. Abweichung vom Antrag

Für das Vorhaben „Werkstatt Zukunft“ konnten die Ausgaben nur anteilig anerkannt werden. Die Zuwendung verringert sich deshalb um 50.000,00 Euro.


3. Nachweise und Fristen

Der Verwendungsnachweis ist bis spätestens 30.06.2026 vorzulegen.


Mit freundlichen Grüßen
Im Auftrag
Erika Beispiel
"""


@pytest.fixture(scope="module")
def with_bescheid(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("bescheid")
    agreement = factory.Agreement("Landkreis Musterstadt", 2025, 1_200_000, PROJECTS, place="Musterstadt")
    factory.write_txt(agreement.text(), folder / "zv-2025-landkreis-musterstadt.txt")
    (folder / "bescheid-2025-landkreis-musterstadt.txt").write_text(BESCHEID, encoding="utf-8")
    store = AgreementStore.open(str(tmp_path_factory.mktemp("bescheid-store")), embedder)
    assert not [r.line() for r in ingest_paths([folder], store) if r.failed]
    return Assistant(store), folder


def test_a_letter_with_numbered_headings_is_read_by_its_sections(with_bescheid):
    _, folder = with_bescheid
    path = folder / "bescheid-2025-landkreis-musterstadt.txt"
    facts, chunks = parse_document(path, path.read_bytes())
    sections = {c.section: c for c in chunks}
    assert sections["Nr. 1"].title == "Bewilligung" and sections["Nr. 2"].title == "Abweichung vom Antrag"
    # the granting sentence stays one passage though its amount stands apart on lines of its own
    assert "1.150.000,00 Euro" in sections["Nr. 1"].text and "als Projektförderung bewilligt" in sections["Nr. 1"].text
    details = {d.name: d for d in facts.details}
    assert details["bewilligt"].amount_eur == 1_150_000  # not the reduction of 50.000 stated under Nr. 2
    assert details["aktenzeichen"].text == "RPKS 34-AQB-2025/042"
    assert details["frist"].date == "2026-06-30"


def test_the_budget_answer_shows_where_the_bescheid_differs(with_bescheid):
    assistant, _ = with_bescheid
    answer = assistant.ask("Wie viel bekommt Musterstadt 2025?")
    assert answer.headline.startswith("1.200.000")  # the agreement's budget answers a question about the budget
    plain = re.sub(r" \[\d+\]", "", answer.answer)
    assert "Der Bescheid vom 15.09.2025 bewilligt 1.150.000 Euro" in plain  # its date and its amount, each cited
    assert "50.000 Euro weniger als in der Zielvereinbarung (berechnet)" in plain
    assert {c.file for c in answer.citations} == {"zv-2025-landkreis-musterstadt.txt", "bescheid-2025-landkreis-musterstadt.txt"}


@pytest.mark.parametrize("turns", [["Wie viel wurde Musterstadt 2025 bewilligt?"],
                                   ["Wie viel bekommt Musterstadt 2025?", "und laut Bescheid?"],
                                   ["Bescheid Musterstadt vs Zielvereinbarung – was ist der Unterschied?"]])
def test_a_question_about_the_bescheid_heads_with_its_amount_and_its_reason(with_bescheid, turns):
    assistant, _ = with_bescheid
    history: list[Turn] = []
    for text in turns:
        answer = assistant.ask(text, history=list(history))
        history.append(Turn(text, answer))
    assert not answer.abstained and answer.intent == "amount", answer.answer
    assert answer.headline.startswith("1.150.000"), answer.answer
    assert "1.200.000" in answer.answer and 50_000 in answer.computed
    reason = next(c for c in answer.citations if c.section == "Nr. 2")  # the Bescheid's own words for the cut
    assert "Werkstatt Zukunft" in reason.quote and "50.000,00 Euro" in reason.quote


def test_the_steckbrief_lists_the_bescheid_and_the_difference(with_bescheid):
    assistant, _ = with_bescheid
    found = profile(assistant.store.documents(), "Landkreis Musterstadt|2025")
    assert found.bescheide == ["Bescheid vom 15.09.2025 (bescheid-2025-landkreis-musterstadt.txt): Az. RPKS 34-AQB-2025/042; "
                               "bewilligt 1.150.000 €; Fristen: 30.06.2026"]
    assert found.granted_difference == "Bescheid bewilligt 1.150.000 €, 50.000 € weniger als die Zielvereinbarung"
    html = profile_html(found)
    assert "RPKS 34-AQB-2025/042" in html and "weniger als die Zielvereinbarung" in html


def test_without_a_bescheid_the_budget_answer_says_nothing_of_one(tmp_path, embedder):
    agreement = factory.Agreement("Landkreis Musterstadt", 2025, 1_200_000, PROJECTS, place="Musterstadt")
    factory.write_txt(agreement.text(), tmp_path / "zv-2025-landkreis-musterstadt.txt")
    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    ingest_paths([tmp_path / "zv-2025-landkreis-musterstadt.txt"], store)
    answer = Assistant(store).ask("Wie viel bekommt Musterstadt 2025?")
    assert answer.headline.startswith("1.200.000") and "Bescheid vom" not in answer.answer
    assert profile(store.documents(), "Landkreis Musterstadt|2025").bescheide == []


def test_a_question_for_an_amount_is_not_answered_with_an_office(with_bescheid):
    """'wie viel' asks for an amount: the example matcher's nearest example ("wer erlässt den Bescheid") does not
    decide the kind of answer where the question word asks for another."""
    assistant, _ = with_bescheid
    answer = assistant.ask("Wie viel Geld hat der Bescheid für Musterstadt festgesetzt?")
    assert answer.intent != "authority" and "1.150.000" in answer.answer, answer.answer


def test_budget_questions_that_name_the_agreement_as_source_are_answered(with_bescheid):
    assistant, _ = with_bescheid
    answer = assistant.ask("Wie hoch ist das AQB-Budget des Landkreises Musterstadt 2025 laut Zielvereinbarung?")
    assert not answer.abstained and answer.headline.startswith("1.200.000"), answer.answer

