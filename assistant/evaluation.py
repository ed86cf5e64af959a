"""Score answers against expectations in the question-file format (`turns`, `expect.*`).

`expect` may hold `numbers` (normalised: 1.516.560 = 1516560 = "1,52 Mio." where written so),
`all_of` / `none_of` (strings), `docs` (files that must be cited), `any_docs` (files one of which must be
cited: text that stands the same in each) and `abstain`. An item may name its
`kind`; otherwise the kind is what the engine understood the question as (amount, projects, text …).
"""

from __future__ import annotations

import json
import re
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.engine import contains_only_cited_numbers
from domain.answer import Answer, Turn
from domain.german import numbers_in
from domain.records import Chunk


@dataclass
class Scored:
    item: dict
    answer: Answer
    failures: list[str] = field(default_factory=list)  # why the answer is not correct
    kind: str = ""
    seconds: float = 0.0  # the last turn's answer time
    recall: float | None = None  # share of the expected documents among the retrieved passages
    cited_ok: bool | None = None  # every expected document cited (None: the item expects none)

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def abstain_ok(self) -> bool:
        return self.answer.abstained == self.item["expect"].get("abstain", False)

    @property
    def wrong_shown(self) -> bool:
        """An answer shown as an answer (not a refusal) that is not right: the worst failure, counted apart
        from refusals that should have been answers."""
        return not self.ok and not self.answer.abstained


def load_questions(path: str | Path) -> list[dict]:
    items = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        if not isinstance(item.get("turns"), list) or "expect" not in item:
            raise ValueError(f"{path}:{number}: jede Zeile braucht \"turns\" (Liste) und \"expect\"")
        item.setdefault("id", f"q{number:03d}")
        items.append(item)
    return items


_DECIMAL = re.compile(r"(?<![\d.,])(\d{1,3}),(\d{1,2})(?![\d.,])|(?<![\d.,])(\d{1,3})\.(\d{1,2})(?![\d.,])")


def decimals_in(text: str) -> set[float]:
    """Numbers written with one or two decimals ("7,1 %", "4.2 million"), which `numbers_in` takes as whole values."""
    return {float(f"{m.group(1) or m.group(3)}.{m.group(2) or m.group(4)}") for m in _DECIMAL.finditer(text)}


def content_failures(item: dict, text: str, cited_files: set[str]) -> list[str]:
    """What an answer text (or a retrieved context) lacks against an item's expectations."""
    expect = item["expect"]
    found = numbers_in(text) | decimals_in(text)
    failures = [f"number {n} missing" for n in expect.get("numbers", []) if n not in found]
    folded = text.lower()
    failures += [f"'{s}' missing" for s in expect.get("all_of", []) if s.lower() not in folded]
    failures += [f"'{s}' must not appear" for s in expect.get("none_of", []) if s.lower() in folded]
    failures += [f"{d} not cited" for d in expect.get("docs", []) if d not in cited_files]
    if expect.get("any_docs") and not set(expect["any_docs"]) & cited_files:  # text the same in several: one suffices
        failures.append("none of " + ", ".join(expect["any_docs"]) + " cited")
    return failures


def quote_is_verbatim(answer: Answer, chunks: dict[str, Chunk]) -> list[str]:
    """The quotes of an answer (its citations and nearby passages) that are not their chunk's own words: a
    quote split on "…" must give pieces that each stand in the chunk's text, whitespace normalised. The
    chunk's title (its heading) is not part of a quote: front ends show it apart, beside the section."""
    offending = []
    for citation in answer.citations + answer.nearby:
        chunk = chunks.get(citation.chunk_id)
        text = " ".join(chunk.text.split()) if chunk else None
        pieces = [" ".join(p.split()) for p in citation.quote.split("…")]
        if text is None or not all(p in text for p in pieces):
            offending.append(citation.quote)
    return offending


def score(item: dict, answer: Answer) -> Scored:
    expect = item["expect"]
    failures = []
    if answer.abstained != expect.get("abstain", False):
        failures.append(f"abstained={answer.abstained}, expected {expect.get('abstain', False)}")
    cited = {c.file for c in answer.citations}
    if not expect.get("abstain", False):
        failures += content_failures(item, answer.answer, cited)
    if not contains_only_cited_numbers(answer, item["turns"][-1]):
        failures.append("a number in the answer stands in no cited quote")
    kind = item.get("kind") or ("abstention" if expect.get("abstain") else answer.intent)
    docs = expect.get("docs", [])
    cited_ok = all(d in cited for d in docs) if docs and not expect.get("abstain") else None
    return Scored(item, answer, failures, kind=kind, cited_ok=cited_ok)


def run(assistant, items: list[dict], k: int = 4) -> list[Scored]:
    """Ask every item's turns in one conversation; score the last answer, time it, and measure
    the retrieval recall@k of the expected documents for the last turn."""
    results = []
    for item in items:
        history: list[Turn] = []
        answer, seconds = None, 0.0
        for turn in item["turns"]:
            started = time.perf_counter()
            answer = assistant.ask(turn, history)
            seconds = time.perf_counter() - started
            history.append(Turn(turn, answer))
        scored = score(item, answer)
        scored.seconds = seconds
        docs = item["expect"].get("docs", [])
        if docs:
            found = {c.doc_id for c in assistant.passages(item["turns"][-1], history[:-1], k=k)}
            scored.recall = sum(d in found for d in docs) / len(docs)
        results.append(scored)
    return results


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else 0.0


def summary(results: list[Scored]) -> list[dict]:
    """One row per kind and one for all: counts, shares and latency."""
    kinds = sorted({r.kind for r in results})
    rows = []
    for kind, group in [(k, [r for r in results if r.kind == k]) for k in kinds] + [("alle", results)]:
        cited = [r.cited_ok for r in group if r.cited_ok is not None]
        recalls = [r.recall for r in group if r.recall is not None]
        times = [r.seconds * 1000 for r in group]
        rows.append({
            "kind": kind, "n": len(group),
            "correct": sum(r.ok for r in group) / len(group) if group else 0.0,
            "wrong_shown": sum(r.wrong_shown for r in group),
            "citations": sum(cited) / len(cited) if cited else None,
            "abstention": sum(r.abstain_ok for r in group) / len(group) if group else 0.0,
            "recall": statistics.mean(recalls) if recalls else None,
            "p50_ms": percentile(times, 0.5), "p95_ms": percentile(times, 0.95),
        })
    return rows


def abstention_scores(results: list[Scored]) -> dict:
    """Precision: of the answers that abstained, the share that should have; recall: of the questions that
    should be refused, the share that was."""
    said = [r for r in results if r.answer.abstained]
    due = [r for r in results if r.item["expect"].get("abstain", False)]
    return {"abstained": len(said), "expected": len(due),
            "precision": sum(r.item["expect"].get("abstain", False) for r in said) / len(said) if said else None,
            "recall": sum(r.answer.abstained for r in due) / len(due) if due else None}


def abstention_line(results: list[Scored]) -> str:
    a = abstention_scores(results)
    return (f"Enthaltungen: {a['abstained']} gegeben, {a['expected']} erwartet; "
            f"Präzision {_share(a['precision'])}, Recall {_share(a['recall'])}")


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def table(rows: list[dict], k: int = 4) -> str:
    lines = [f"| Art | Fragen | richtig | falsch gezeigt | Zitate richtig | Enthaltung richtig | Recall@{k} | p50 | p95 |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        lines.append(f"| {r['kind']} | {r['n']} | {_share(r['correct'])} | {r['wrong_shown']} | {_share(r['citations'])} | "
                     f"{_share(r['abstention'])} | {_share(r['recall'])} | {r['p50_ms']:.0f} ms | {r['p95_ms']:.0f} ms |")
    return "\n".join(lines)


def report(results: list[Scored], rows: list[dict], source: str, k: int = 4) -> str:
    """A Markdown report: the table, then every failing question with its answer and expectation."""
    failing = [r for r in results if not r.ok]
    parts = [f"# Auswertung: {source}", "", table(rows, k), "", abstention_line(results), "", f"## Fehler ({len(failing)} von {len(results)})", ""]
    for r in failing:
        parts += [f"### {r.item['id']} ({r.kind})", "",
                  "**Frage:** " + " → ".join(r.item["turns"]), "",
                  "**Antwort:**", "", "```", r.answer.answer, "```", "",
                  "**Erwartet:** `" + json.dumps(r.item["expect"], ensure_ascii=False) + "`", "",
                  "**Befund:** " + ("FALSCH GEZEIGT: " if r.wrong_shown else "") + "; ".join(r.failures), ""]
    return "\n".join(parts)
