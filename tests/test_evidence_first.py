"""Search first, decide after: no refusal before the documents were searched, scope ranks instead of
gating, and an answer answers the question asked or says what it covers (issue: evidence first).

Asked over the fourth author's shelf (tests/fourth): the questions here are the issue's own examples in
words of their own, not the set's wording."""

from __future__ import annotations

from assistant.evaluation import score
from domain.answer import Answer

PRESS = "pressemitteilung-2023-hmsi-aqb.txt"
RP_PAGE = "rp-kassel-programmseite-aqb.md"


def cited(answer) -> set[str]:
    return {c.file for c in answer.citations}


def test_a_year_without_an_agreement_still_finds_that_years_press_release(fourth_assistant):
    answer = fourth_assistant.ask("Was hat das Ministerium 2023 zur Teilzeitausbildung mitgeteilt?")
    assert not answer.abstained, answer.answer
    assert PRESS in cited(answer)
    assert "Für 2023 liegt keine Zielvereinbarung vor" in answer.answer  # said beside the evidence, not instead


def test_a_regierungspraesidium_is_no_district(fourth_assistant):
    answer = fourth_assistant.ask("Welche Unterlagen muss man beim RP Kassel einreichen?")
    assert not answer.abstained, answer.answer
    assert RP_PAGE in cited(answer)
    assert "Landkreis Kassel" not in answer.answer


def test_text_the_same_in_every_agreement_needs_no_district(fourth_assistant):
    answer = fourth_assistant.ask("Wer entscheidet über den Mitteleinsatz?")
    assert "Bitte nennen Sie" not in answer.answer
    assert not answer.abstained, answer.answer
    assert answer.citations


def test_a_district_not_on_file_is_said_and_another_districts_figure_is_not_shown(fourth_assistant):
    answer = fourth_assistant.ask("Wie viel Geld bekommt der Landkreis Waldeck-Frankenberg 2025?")
    assert answer.abstained
    assert "Waldeck-Frankenberg" in answer.answer
    assert not answer.headline


def test_a_wrong_answer_shown_is_counted_apart_from_a_refusal():
    item = {"id": "x1", "turns": ["Budget Gießen?"], "expect": {"numbers": [1516560], "abstain": False}}
    shown = score(item, Answer(answer="Der Landkreis erhält 999 Euro.", citations=[], computed=[999]))
    refused = score(item, Answer(answer="Dazu finde ich nichts.", citations=[], abstained=True))
    assert shown.wrong_shown and not shown.ok
    assert not refused.wrong_shown and not refused.ok


def test_a_source_the_question_names_answers_not_the_agreements_catalog(fourth_assistant):
    """'laut Fördergrundsätzen': the Fördergrundsätze' own section, not a district's project list."""
    answer = fourth_assistant.ask("Welche Vorhaben zählen nach den Fördergrundsätzen zur Maßnahmenart 2?")
    assert not answer.abstained, answer.answer
    assert [c.file for c in answer.citations] == ["foerdergrundsaetze-aqb-2025.md"]
    assert answer.citations[0].section == "Nr. 2" and "Maßnahmenart 2" in answer.citations[0].quote


def test_a_question_about_no_district_prefers_a_document_of_no_district(fourth_assistant):
    answer = fourth_assistant.ask("Wie lauten die Maßnahmenarten des AQB?")
    assert not answer.abstained, answer.answer
    assert cited(answer) == {"foerdergrundsaetze-aqb-2025.md"}
    assert "Maßnahmenart 4" in answer.citations[0].quote


def test_one_agreements_passage_among_several_is_shown_as_evidence_not_as_the_answer(fourth_assistant):
    """No district named, several agreements on file, and their texts differ: the best passage is shown with the
    agreement it comes from and the note that others may read differently, instead of a bare request to name one."""
    answer = fourth_assistant.ask("Wo werden die Zielvereinbarungen veröffentlicht?")
    assert answer.citations and "Bitte nennen Sie" not in answer.answer
    assert "Diese Stelle stammt aus der Zielvereinbarung" in answer.answer
    assert answer.abstained  # evidence, not the answer for every district


def test_a_typo_in_a_topic_word_still_finds_its_passage(fourth_assistant):
    answer = fourth_assistant.ask("wie viel ist in nebelhain für teilzeitausbildnug zweckgebunden")
    assert not answer.abstained, answer.answer
    assert "96.000,00 Euro" in answer.answer
