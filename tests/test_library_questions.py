"""Questions over a part of the library: only the kreisfreie Städte, only the Landkreise, a Regierungsbezirk
(which the catalog does not know), and a sum or ranking over agreements some of whose budgets were not read
with certainty. A table of every district, or a sum with parts missing, shown as the answer would be a bold
wrong figure. Fictional districts written by the test; real store and embedder."""

from __future__ import annotations

import pytest

from assistant.engine import Assistant
from domain.answer import Turn
from bench import fictional as factory
from ingest.pipeline import ingest_paths
from vectorstore.store import AgreementStore

PROJECTS = {1: [("Berufsstart Plus", None)], 3: [("Jobbrücke", None)]}
DISTRICTS = [("Landkreis Musterstadt", 1_200_000), ("Landkreis Nordwald", 2_400_000), ("Stadt Beispielhausen", 900_000),
             ("Stadt Fantasia", 1_500_000)]


def _write(folder, district, budget):
    text = factory.Agreement(district, 2025, budget, PROJECTS, place=district.split()[-1]).text()
    factory.write_txt(text, folder / f"zv-2025-{district.lower().replace(' ', '-')}.txt")


@pytest.fixture(scope="module")
def library(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("library")
    for district, budget in DISTRICTS:
        _write(folder, district, budget)
    store = AgreementStore.open(str(tmp_path_factory.mktemp("library-store")), embedder)
    assert not [r.line() for r in ingest_paths([folder], store) if r.failed]
    return Assistant(store)


def test_a_ranking_of_the_cities_ranks_only_the_cities(library):
    answer = library.ask("Welche der kreisfreien Städte hat 2025 das höchste Budget?")
    assert not answer.abstained, answer.answer
    assert answer.headline.startswith("1.500.000") and "Stadt Fantasia" in answer.answer
    assert "Nordwald" not in answer.answer and "Musterstadt" not in answer.answer


def test_a_sum_over_the_landkreise_sums_only_the_landkreise(library):
    answer = library.ask("Summe der Budgets aller Landkreise 2025?")
    assert answer.headline.startswith("3.600.000"), answer.answer
    assert "Beispielhausen" not in answer.answer


def test_a_regierungsbezirk_the_catalog_does_not_know_gets_no_table_of_every_district(library):
    answer = library.ask("Welcher Kreis im Regierungsbezirk Darmstadt hat 2025 das höchste Budget?")
    assert not answer.answer.startswith("Höchstes Budget"), answer.answer
    assert answer.headline != "2.400.000 Euro"


def test_a_sum_with_a_budget_not_read_is_said_incomplete(tmp_path, embedder):
    for district, budget in DISTRICTS[:2]:
        _write(tmp_path, district, budget)
    text = factory.Agreement("Stadt Beispielhausen", 2025, 900_000, PROJECTS, place="Beispielhausen").text()
    text = text.replace("900.000 Euro", "(Betrag siehe Anlage)")  # the budget stands nowhere in the text
    assert "900.000" not in text
    factory.write_txt(text, tmp_path / "zv-2025-stadt-beispielhausen.txt")
    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    ingest_paths([tmp_path], store)
    answer = Assistant(store).ask("Summe aller Budgets 2025?")
    assert answer.abstained and not answer.headline, answer.answer
    assert "Nicht mitgezählt" in answer.answer and "Stadt Beispielhausen 2025" in answer.answer


def test_kreise_and_staedte_together_are_every_district(library):
    answer = library.ask("Summe der Budgets aller Kreise und Städte 2025?")
    assert answer.headline.startswith("6.000.000"), answer.answer


def test_a_part_of_the_library_with_nothing_on_file_is_no_table(tmp_path, embedder):
    for district, budget in DISTRICTS[:2]:  # two Landkreise, no city
        _write(tmp_path, district, budget)
    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    ingest_paths([tmp_path], store)
    assistant = Assistant(store)
    for question in ("Welche der kreisfreien Städte hat 2025 das höchste Budget?", "Summe der Budgets aller Städte 2025?",
                     "Welche Projekte haben die kreisfreien Städte?"):
        answer = assistant.ask(question)
        assert not answer.headline or "Nordwald" not in answer.headline, answer.answer
        assert "2.400.000" not in answer.answer and "Jobbrücke" not in answer.answer, answer.answer
        assert "Für die kreisfreien Städte liegt keine Zielvereinbarung vor" in answer.answer


def test_the_districts_a_traeger_works_for(tmp_path, embedder):
    """A Träger named in the question: every agreement whose projects it runs, from the catalog or, where the list
    was not split into projects, from the passage that names it; a place in its name is no district asked for."""
    carrier = "Bildungswerk Nordwald gGmbH"
    texts = {
        "Landkreis Musterstadt": factory.Agreement("Landkreis Musterstadt", 2025, 1_200_000, {1: [("Berufsstart Plus", None)]},
                                                   place="Musterstadt").text().replace(
            "- Berufsstart Plus", f"- Berufsstart Plus (Träger: {carrier})"),
        "Stadt Beispielhausen": factory.Agreement("Stadt Beispielhausen", 2025, 900_000, {3: [("Jobbrücke", None)]},
                                                  place="Beispielhausen").text().replace(
            "- Jobbrücke", f"- Jobbrücke (Träger: {carrier})"),
        "Landkreis Nordwald": factory.Agreement("Landkreis Nordwald", 2025, 2_400_000, {3: [("Werkstatt Zukunft", None)]},
                                                place="Nordwald").text().replace(
            "- Werkstatt Zukunft", "- Werkstatt Zukunft (Träger: Caritas Nordwald e.V.)"),
    }
    for district, text in texts.items():
        assert "Träger:" in text
        factory.write_txt(text, tmp_path / f"zv-2025-{district.lower().replace(' ', '-')}.txt")
    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    ingest_paths([tmp_path], store)
    answer = Assistant(store).ask("Für welche Kreise arbeitet das Bildungswerk Nordwald?")
    assert answer.intent == "carrier" and not answer.abstained, answer.answer
    assert "Landkreis Musterstadt 2025: Berufsstart Plus" in answer.answer
    assert "Stadt Beispielhausen 2025: Jobbrücke" in answer.answer
    assert "Landkreis Nordwald" not in answer.answer  # its name holds the place; its projects have another Träger
    assert all(carrier in c.quote for c in answer.citations)


def test_a_follow_up_that_names_only_the_other_type_of_the_same_place(tmp_path, embedder):
    """'Wie viel bekommt der Landkreis Musterstadt?' → 'und die Stadt?' is Stadt Musterstadt; 'nein, ich meinte den
    Landkreis' goes back."""
    for district, budget in (("Landkreis Musterstadt", 1_200_000), ("Stadt Musterstadt", 800_000)):
        _write(tmp_path, district, budget)
    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    ingest_paths([tmp_path], store)
    assistant = Assistant(store)
    history = []
    for text, expected in (("Wie viel bekommt der Landkreis Musterstadt 2025?", "1.200.000"), ("und die Stadt?", "800.000"),
                           ("nein, ich meinte den Landkreis", "1.200.000")):
        answer = assistant.ask(text, history=list(history))
        history.append(Turn(text, answer))
        assert answer.headline.startswith(expected), (text, answer.answer)
