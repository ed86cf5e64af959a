"""Score answers against expectations in the question-file format (`turns`, `expect.*`)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from assistant.engine import Assistant, contains_only_cited_numbers
from assistant.types import Answer, Turn
from vectorstore.german import numbers_in


@dataclass
class Scored:
    item: dict
    answer: Answer
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def load_questions(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def score(item: dict, answer: Answer) -> Scored:
    expect = item["expect"]
    failures = []
    if answer.abstained != expect.get("abstain", False):
        failures.append(f"abstained={answer.abstained}, expected {expect.get('abstain', False)}")
    if not expect.get("abstain", False):
        found = numbers_in(answer.answer)
        failures += [f"number {n} missing" for n in expect.get("numbers", []) if n not in found]
        text = answer.answer.lower()
        failures += [f"'{s}' missing" for s in expect.get("all_of", []) if s.lower() not in text]
        failures += [f"'{s}' must not appear" for s in expect.get("none_of", []) if s.lower() in text]
        cited = {c.file for c in answer.citations}
        failures += [f"{d} not cited" for d in expect.get("docs", []) if d not in cited]
    if not contains_only_cited_numbers(answer, item["turns"][-1]):
        failures.append("a number in the answer stands in no cited quote")
    return Scored(item, answer, failures)


def run(assistant: Assistant, items: list[dict]) -> list[Scored]:
    results = []
    for item in items:
        history: list[Turn] = []
        answer = None
        for turn in item["turns"]:
            answer = assistant.ask(turn, history)
            history.append(Turn(turn, answer))
        results.append(score(item, answer))
    return results
