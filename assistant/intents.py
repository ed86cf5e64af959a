"""The kind of answer a question wants, from the nearest example questions in `prompts/intents.toml`.

The examples are embedded once per process with the store's embedder (as queries, like the question);
a question gets the intent of its most similar example. Below `MIN_SIMILARITY` the question is
answered from passages ("text"), which never states a fact the catalog does not hold.
"""

from __future__ import annotations

import threading

import numpy as np

import prompts
from domain.german import terms

MIN_SIMILARITY = 0.86  # below this the nearest example is too far to trust (measured on the phrasing sets)
_EXAMPLE_VECTORS: dict[str, np.ndarray] = {}  # embedder name -> the examples' vectors, shared by every assistant
_SHARED = threading.Lock()


class IntentClassifier:
    def __init__(self, embeddings) -> None:
        self.embeddings = embeddings
        self._lock = threading.Lock()
        self._vectors: np.ndarray | None = None
        self._labels: list[str] = []
        self._examples: list[str] = []
        self._memo: dict[str, tuple[str, float]] = {}
        self._vocabularies: dict[str, set[str]] = {}

    def _load(self) -> None:
        with self._lock:
            if self._vectors is not None:
                return
            table = prompts.intent_examples()
            labels, examples = [], []
            for intent, items in table.items():
                for example in items:
                    labels.append(intent)
                    examples.append(example)
            key = getattr(self.embeddings, "name", type(self.embeddings).__name__)
            with _SHARED:
                if key not in _EXAMPLE_VECTORS:
                    batch = getattr(self.embeddings, "embed_queries", None)
                    raw = batch(examples) if batch else [self.embeddings.embed_query(e) for e in examples]
                    vectors = np.asarray(raw, dtype=np.float32)
                    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-9
                    _EXAMPLE_VECTORS[key] = vectors
            self._labels, self._examples, self._vectors = labels, examples, _EXAMPLE_VECTORS[key]

    def nearest(self, text: str, k: int = 3) -> list[tuple[str, str, float]]:
        """The k nearest examples as (intent, example, similarity)."""
        self._load()
        vector = np.asarray(self.embeddings.embed_query(text), dtype=np.float32)
        vector /= np.linalg.norm(vector) + 1e-9
        sims = self._vectors @ vector
        order = np.argsort(-sims)[:k]
        return [(self._labels[i], self._examples[i], float(sims[i])) for i in order]

    def vocabulary(self, intent: str) -> set[str]:
        """The terms of an intent's example questions: words that belong to asking for that kind of answer."""
        if intent not in self._vocabularies:
            examples = prompts.intent_examples().get(intent, [])
            self._vocabularies[intent] = {t for e in examples for t in terms(e)}
        return self._vocabularies[intent]

    def __call__(self, text: str) -> tuple[str, float]:
        if text in self._memo:
            return self._memo[text]
        if not text.strip():
            return "text", 0.0
        intent, _, similarity = self.nearest(text, k=1)[0]
        result = (intent, similarity) if similarity >= MIN_SIMILARITY else ("text", similarity)
        if len(self._memo) < 10_000:
            self._memo[text] = result
        return result
