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
