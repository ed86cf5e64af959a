"""One district, two years on file: how the budget and the project list changed, both years cited.

Fictional "Landkreis Musterstadt" agreements written by the test (bench.fictional), real store and embedder."""

from __future__ import annotations

import pytest

from assistant.engine import Assistant
from bench import fictional as factory
from ingest.pipeline import ingest_paths
from vectorstore.store import AgreementStore

OLD = {1: [("Berufsstart Plus", None), ("Ausbildungslotsen Süd", None)], 3: [("Jobbrücke", None), ("Werkstatt Zukunft", None)]}
NEW = {1: [("Berufsstart Plus", None), ("Lernwerkstatt Nord", None)], 3: [("Jobbrücke", None), ("Werkstatt Zukunft", None)]}


@pytest.fixture(scope="module")
def two_years(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("two-years")
    for year, budget, projects in ((2024, 1_300_000, OLD), (2025, 1_196_000, NEW)):
        agreement = factory.Agreement("Landkreis Musterstadt", year, budget, projects, place="Musterstadt")
        factory.write_txt(agreement.text(), folder / f"zv-{year}-landkreis-musterstadt.txt")
    store = AgreementStore.open(str(tmp_path_factory.mktemp("two-years-store")), embedder)
    assert not [r.line() for r in ingest_paths([folder], store) if r.failed]
    return Assistant(store)


@pytest.mark.parametrize("question", ["Veränderung Budget Musterstadt gegenüber Vorjahr",
                                      "musterstadt budget 2025 vs 2024",
                                      "ist das budget von musterstadt gestiegen oder gesunken?"])
def test_the_budget_change_with_amount_and_percent(two_years, question):
    answer = two_years.ask(question)
    assert not answer.abstained, question
    assert "1.300.000" in answer.answer and "1.196.000" in answer.answer and "−104.000" in answer.answer
    assert "−8,0 %" in answer.answer
    assert {c.year for c in answer.citations} == {2024, 2025}


def test_new_and_dropped_projects_each_from_its_own_year(two_years):
    answer = two_years.ask("Welche Projekte sind bei Musterstadt 2025 neu dazugekommen?")
    assert "neu: Lernwerkstatt Nord" in answer.answer and "Ausbildungslotsen Süd" not in answer.answer
    answer = two_years.ask("was wurde bei musterstadt 2025 gestrichen")
    assert "nicht mehr dabei: Ausbildungslotsen Süd" in answer.answer and "Lernwerkstatt Nord" not in answer.answer
    assert {c.year for c in answer.citations} == {2024, 2025}  # both lists are cited
    answer = two_years.ask("Was hat sich an den Projekten von Musterstadt 2025 geändert?")
    assert "neu: Lernwerkstatt Nord" in answer.answer and "nicht mehr dabei: Ausbildungslotsen Süd" in answer.answer


def test_the_budget_an_agreement_states_for_the_year_before_gives_the_change(tmp_path, embedder):
    """Only the 2025 agreement is on file, and it states last year's budget for comparison: the change is computed
    from that, said to come from there, and both figures are cited in the one agreement."""
    agreement = factory.Agreement("Landkreis Musterstadt", 2025, 1_200_000, NEW, place="Musterstadt")
    text = agreement.text().replace(
        "zur Verfügung.\n", "zur Verfügung.\n\nNachrichtlich: Im Vorjahr 2024 erhielt der Landkreis Musterstadt 1.150.000 Euro.\n", 1)
    assert "Nachrichtlich" in text
    factory.write_txt(text, tmp_path / "zv-2025-landkreis-musterstadt.txt")
    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    ingest_paths([tmp_path / "zv-2025-landkreis-musterstadt.txt"], store)
    assistant = Assistant(store)
    assert assistant.ask("Wie viel bekommt Musterstadt 2025?").headline.startswith("1.200.000")
    for question in ("Musterstadt 2025 vs 2024 Budget", "Wie hat sich das Budget von Musterstadt gegenüber dem Vorjahr verändert?"):
        answer = assistant.ask(question)
        assert not answer.abstained, answer.answer
        assert "2024: 1.150.000 Euro" in answer.answer and "so genannt in der Zielvereinbarung 2025" in answer.answer
        assert "+50.000 Euro (+4,3 %" in answer.answer
        assert {c.file for c in answer.citations} == {"zv-2025-landkreis-musterstadt.txt"}
