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
