"""The answer engine on the real sample and on a fixture corpus of fictional districts and years."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant.engine import Assistant, contains_only_cited_numbers
from assistant.evaluation import load_questions, quote_is_verbatim, run
from domain.answer import Answer, Citation
from domain.records import Chunk
from ingest.pipeline import ingest_paths
from tests.conftest import ROOT, SAMPLE

DEV_QUESTIONS = ROOT.parent / "shared" / "dev-questions.jsonl"
USER_QUESTIONS = ROOT.parent / "shared" / "user-questions.jsonl"
REGRESSION = Path(__file__).parent / "regression_questions.jsonl"
MIN_REGRESSION_SCORE = 1.0  # only goes up


@pytest.fixture(scope="module")
def sample_assistant(tmp_path_factory, embedder):
    from vectorstore.store import AgreementStore

    store = AgreementStore.open(str(tmp_path_factory.mktemp("sample")), embedder)
    ingest_paths([SAMPLE], store)
    return Assistant(store)


@pytest.fixture(scope="module")
def corpus_assistant(corpus_store):
    return Assistant(corpus_store)


def _report(results):
    return "\n".join(f"{r.item['id']} {r.item['turns']}: {r.failures}\n{r.answer.answer}" for r in results if not r.ok)


def _unverbatim(results, assistant) -> list[tuple[str, str]]:
    return [(r.item["id"], quote) for r in results if not r.answer.abstained
            for quote in quote_is_verbatim(r.answer, assistant.chunks)]


@pytest.mark.skipif(not DEV_QUESTIONS.exists(), reason="shared/dev-questions.jsonl lies beside the checkout")
def test_dev_questions_on_the_sample(sample_assistant):
    results = run(sample_assistant, load_questions(DEV_QUESTIONS))
    assert all(r.ok for r in results), _report(results)
    assert not _unverbatim(results, sample_assistant)


@pytest.mark.skipif(not USER_QUESTIONS.exists(), reason="shared/user-questions.jsonl lies beside the checkout")
def test_user_typed_questions_on_the_sample(sample_assistant):
    """Questions typed the way staff type them (keywords, typos, colloquial, § lookups, definitions): all 48."""
    results = run(sample_assistant, load_questions(USER_QUESTIONS))
    assert all(r.ok for r in results), _report(results)
    assert not _unverbatim(results, sample_assistant)


def test_glossary_question_explains_and_cites_where_the_term_stands(sample_assistant):
    answer = sample_assistant.ask("was ist BaE?")
    assert not answer.abstained and answer.intent == "definition"
    assert "außerbetrieblichen Einrichtungen" in answer.answer and "kein Zitat" in answer.answer
    [citation] = answer.citations
    assert citation.section == "§ 5" and "BaE" in citation.quote


def test_supporting_documents_are_searched_and_cited(tmp_path, embedder):
    """A Bescheid beside the agreement: a question only it answers is answered from it, with its citation."""
    from vectorstore.store import AgreementStore

    (tmp_path / "docs").mkdir()
    shutil.copy(SAMPLE, tmp_path / "docs" / SAMPLE.name)
    (tmp_path / "docs" / "bescheid-2025-landkreis-giessen.txt").write_text(
        "Regierungspräsidium Kassel\n\nZuwendungsbescheid\n\nüber die Förderung aus dem Ausbildungs- und "
        "Qualifizierungsbudget 2025 für den Landkreis Gießen\n\nNebenbestimmungen\n\n"
        "Der Verwendungsnachweis ist bis zum 31.03.2026 beim Regierungspräsidium Kassel vorzulegen. "
        "Nicht verbrauchte Mittel sind zurückzuzahlen.\n", encoding="utf-8")
    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    results = ingest_paths([tmp_path / "docs"], store)
    assert not [r.line() for r in results if r.failed]
    assistant = Assistant(store)
    answer = assistant.ask("bis wann muss der Verwendungsnachweis vorliegen?")
    assert not answer.abstained, answer.answer
    assert "31.03.2026" in answer.answer
    assert answer.citations[0].file == "bescheid-2025-landkreis-giessen.txt"
    budget = assistant.ask("budget gießen")  # the catalog stays the agreement's
    assert "1.516.560" in budget.answer and budget.citations[0].file == SAMPLE.name


def test_regression_questions_on_fixture_corpus(corpus_assistant):
    results = run(corpus_assistant, load_questions(REGRESSION))
    score = sum(r.ok for r in results) / len(results)
    assert score >= MIN_REGRESSION_SCORE, _report(results)
    assert not _unverbatim(results, corpus_assistant)


def test_budget_answer_cites_paragraph_four_exactly(sample_assistant):
    answer = sample_assistant.ask("Wie viel Geld bekommt der Landkreis Gießen 2025?")
    assert "1.516.560 Euro" in answer.answer and not answer.abstained
    [citation] = answer.citations
    assert (citation.file, citation.section, citation.district, citation.year) == (SAMPLE.name, "§ 4", "Landkreis Gießen", 2025)
    assert citation.quote == ("Das HMSI stellt dem Landkreis Gießen im Jahr 2025 Haushaltsmittel in Höhe von insgesamt "
                              "1.516.560 Euro aus dem Ausbildungs- und Qualifizierungsbudget 2025 zur Verfügung.")
    assert "[1]" in answer.answer


def test_category_question_lists_only_that_category(sample_assistant):
    answer = sample_assistant.ask("Welche Projekte fördert Gießen zur Ausbildungsvorbereitung?")
    assert all(p in answer.answer for p in ("BOM", "Ausbildungscamp", "Dreisprung"))
    assert "Jobagent" not in answer.answer and "Teilzeit BaE" not in answer.answer
    assert "Dreisprung" in answer.citations[0].quote and "Jobagent" not in answer.citations[0].quote


def test_pdf_citations_carry_pages(corpus_assistant):
    answer = corpus_assistant.ask("Welche Projekte fördert Beispielhausen 2025?")
    assert answer.citations[0].file == "zv-2025-stadt-beispielhausen.pdf" and answer.citations[0].page == 2


def test_every_number_is_cited_across_many_questions(corpus_assistant):
    questions = [q["turns"][-1] for q in load_questions(REGRESSION)]
    for question in questions:
        answer = corpus_assistant.ask(question)
        assert contains_only_cited_numbers(answer, question), (question, answer.answer)
        assert not quote_is_verbatim(answer, corpus_assistant.chunks), question


def test_a_quote_glued_from_sentences_apart_is_not_verbatim():
    chunk = Chunk("c1", "zv.txt", "h", "Landkreis Musterstadt", 2025, "agreement", "§ 2", "Präambel",
                  "Erster Satz steht hier.\nZweiter Satz folgt.   Dritter Satz schließt.", 0)

    def answer(quote: str) -> Answer:
        return Answer("…", [Citation(1, "zv.txt", "Landkreis Musterstadt", 2025, "§ 2", None, quote, "c1")])

    glued = "Erster Satz steht hier. Dritter Satz schließt."
    assert quote_is_verbatim(answer(glued), {"c1": chunk}) == [glued]
    assert quote_is_verbatim(answer("Präambel Erster Satz steht hier."), {"c1": chunk})  # the title is no quote
    assert quote_is_verbatim(answer("Erster Satz."), {}) == ["Erster Satz."]  # a chunk not on file
    for fine in ("Erster Satz steht hier. … Dritter Satz schließt.", "Erster Satz steht hier. Zweiter Satz folgt.",
                 "Zweiter Satz folgt. Dritter Satz schließt.", "Erster Satz steht …"):
        assert quote_is_verbatim(answer(fine), {"c1": chunk}) == [], fine


def test_a_long_passage_is_quoted_with_its_gaps_marked(sample_assistant):
    """The two best sentences of a long passage that do not stand together are joined by "…" ("was bedeutet
    BaE": the list's heading and the line that names BaE)."""
    answer = sample_assistant.ask("was bedeutet BaE")
    assert not answer.abstained and " … " in answer.citations[0].quote
    assert not quote_is_verbatim(answer, sample_assistant.chunks)


def test_filters_narrow_the_question(corpus_assistant):
    answer = corpus_assistant.ask("Wie viel Geld gibt es?", district="Stadt Beispielhausen", year=2024)
    assert "1.950.000,00 €" in answer.answer and "2.050.000" not in answer.answer


def test_new_documents_are_seen_without_restart(tmp_path, embedder):
    from bench import fictional as factory
    from vectorstore.store import AgreementStore

    store = AgreementStore.open(str(tmp_path / "s"), embedder)
    ingest_paths([SAMPLE], store)
    assistant = Assistant(store)
    assert assistant.ask("Wie viel Geld bekommt Musterstadt?").abstained
    ingest_paths([factory.write_txt(factory.musterstadt().text(), tmp_path / "m.txt")], store)
    assert "1.234.567 Euro" in assistant.ask("Wie viel Geld bekommt Musterstadt?").answer
