"""Headlines that answer: a comparison of two budgets heads with its verdict, an answer over several districts
with all of them (or, for many, their sum), never with one district's figure alone.

The agreements are the fictional ones of `bench.fictional` (Landkreis Musterstadt 1.234.567 Euro, Stadt
Beispielhausen 2.050.000 Euro, Stadt and Landkreis Musterburg), written here; no figure is a real one."""

from __future__ import annotations

import pytest

from assistant.engine import Assistant, contains_only_cited_numbers
from bench import fictional as factory
from ingest.pipeline import ingest_paths

VERDICT = "Stadt Beispielhausen erhält 815.433 Euro mehr als Landkreis Musterstadt"  # 2.050.000 − 1.234.567


@pytest.fixture(scope="module")
def four_districts(tmp_path_factory, embedder):
    from vectorstore.store import AgreementStore

    folder = tmp_path_factory.mktemp("headline-docs")
    city, county = factory.musterburg_pair()
    for agreement in (factory.musterstadt(), factory.beispielhausen(), city, county):
        factory.write_txt(agreement.text(), folder / f"zv-2025-{agreement.place.lower()}-{agreement.district.split()[0].lower()}.txt")
    store = AgreementStore.open(str(tmp_path_factory.mktemp("headline-store")), embedder)
    assert not [r.line() for r in ingest_paths([folder], store) if r.failed]
    return Assistant(store)


@pytest.mark.parametrize("question", ["mehr Geld Musterstadt oder Beispielhausen?",  # the smaller one named first
                                      "Wer bekommt mehr, Landkreis Musterstadt oder Stadt Beispielhausen?"])
def test_a_comparison_heads_with_its_verdict(four_districts, question):
    answer = four_districts.ask(question)
    assert not answer.abstained
    assert answer.headline == VERDICT and answer.scope == "2025"
    assert answer.answer.startswith(VERDICT)  # the text says it first too, marked as computed
    assert "1.234.567" in answer.answer and "2.050.000" in answer.answer  # with both figures, each cited
    assert contains_only_cited_numbers(answer, question)
    assert "Musterburg" not in answer.answer  # only the two asked about


def test_a_comparison_asked_the_other_way_round_says_less(four_districts):
    answer = four_districts.ask("wer kriegt weniger: Beispielhausen oder Musterstadt")
    assert answer.headline == "Landkreis Musterstadt erhält 815.433 Euro weniger als Stadt Beispielhausen"
    assert "Niedrigstes Budget 2025: Landkreis Musterstadt" in answer.answer
    english = four_districts.ask("Does Musterstadt get more money than Beispielhausen?")
    assert english.headline == "Stadt Beispielhausen receives 815.433 Euro more than Landkreis Musterstadt"


def test_budgets_of_two_districts_head_with_both(four_districts):
    answer = four_districts.ask("Budget Musterstadt und Beispielhausen")
    assert answer.headline == "Landkreis Musterstadt: 1.234.567 Euro · Stadt Beispielhausen: 2.050.000 Euro"
    assert answer.scope == "2025"


def test_budgets_of_many_districts_head_with_their_sum(four_districts):
    answer = four_districts.ask("Budget 2025")
    assert answer.headline == "4 Vereinbarungen, zusammen 5.382.567 Euro"  # 1.234.567 + 2.050.000 + 987.000 + 1.111.000
    assert 5_382_567 in answer.computed


def test_a_two_part_answer_heads_with_both_parts(four_districts):
    answer = four_districts.ask("Budget Musterstadt und Projekte Beispielhausen")
    assert "1.234.567 Euro (Landkreis Musterstadt 2025" in answer.headline
    assert "Projekte (Stadt Beispielhausen 2025" in answer.headline


def test_one_districts_budget_keeps_its_figure_as_headline(four_districts):
    answer = four_districts.ask("Wie viel Geld bekommt Beispielhausen?")
    assert answer.headline == "2.050.000 Euro" and answer.scope.startswith("Stadt Beispielhausen 2025")
