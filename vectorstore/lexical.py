"""A BM25 index over chunks with German-aware terms: folded umlauts, light stems, split compounds."""

from __future__ import annotations

import math
from collections import Counter, defaultdict

from domain.german import split_compound, terms
from domain.records import Chunk

K1, B = 1.2, 0.75


class LexicalIndex:
    def __init__(self, chunks: list[Chunk], state: dict | None = None) -> None:
        """The index over `chunks`; `state` (from `state()` of an index over the same chunks) instead of
        counting their terms again."""
        self.chunks = {c.id: c for c in chunks}
        self.doc_chunks: dict[str, set[str]] = defaultdict(set)  # doc_id -> its chunk ids
        for c in chunks:
            self.doc_chunks[c.doc_id].add(c.id)
        if state is not None:
            self.vocabulary = set(state["vocabulary"])
            self.postings = state["postings"]
            self.lengths = state["lengths"]
        else:
            raw = {c.id: terms(f"{c.section} {c.title} {c.text}") for c in chunks}
            self.vocabulary = {t for ts in raw.values() for t in ts if len(t) >= 4}
            self.postings: dict[str, dict[str, int]] = defaultdict(dict)
            self.lengths: dict[str, int] = {}
            for chunk_id, chunk_terms in raw.items():
                counts = Counter(self.expand(chunk_terms))
                self.lengths[chunk_id] = sum(counts.values())
                for term, n in counts.items():
                    self.postings[term][chunk_id] = n
        self.average = (sum(self.lengths.values()) / len(self.lengths)) if self.lengths else 1.0

    def state(self) -> dict:
        """The counted terms as JSON-able data, to be kept beside the store (`LexicalIndex(chunks, state)`)."""
        return {"vocabulary": sorted(self.vocabulary), "postings": self.postings, "lengths": self.lengths}

    def chunk_ids(self, doc_ids: list[str]) -> set[str]:
        """The ids of every chunk of some documents."""
        return set().union(*(self.doc_chunks.get(d, set()) for d in doc_ids))

    def expand(self, chunk_terms: list[str]) -> list[str]:
        out = list(chunk_terms)
        for term in chunk_terms:
            out.extend(split_compound(term, self.vocabulary))
        return out

    def search(self, query: str, k: int = 8, allowed: set[str] | None = None) -> list[tuple[Chunk, float]]:
        return self.search_terms(terms(query), k, allowed)

    def search_terms(self, query_terms: list[str], k: int = 8, allowed: set[str] | None = None) -> list[tuple[Chunk, float]]:
        """BM25 for terms already stemmed (`domain.german.terms`): a stem is not stemmed again."""
        n_docs = len(self.lengths) or 1
        scores: dict[str, float] = defaultdict(float)
        for term in set(self.expand(list(query_terms))):
            posting = self.postings.get(term)
            if not posting:
                continue
            idf = math.log(1 + (n_docs - len(posting) + 0.5) / (len(posting) + 0.5))
            for chunk_id, tf in posting.items():
                if allowed is not None and chunk_id not in allowed:
                    continue
                norm = tf + K1 * (1 - B + B * self.lengths[chunk_id] / self.average)
                scores[chunk_id] += idf * tf * (K1 + 1) / norm
        best = sorted(scores.items(), key=lambda item: -item[1])[:k]
        return [(self.chunks[i], s) for i, s in best]
