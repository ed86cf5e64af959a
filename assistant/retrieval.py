"""Find the passages for a question: dense (the store's embedder), lexical (BM25), or both fused."""

from __future__ import annotations

import re

from domain.german import terms
from vectorstore.lexical import LexicalIndex
from domain.records import Chunk
from vectorstore.store import AgreementStore

MODES = ("hybrid", "dense", "lexical")
RRF_K = 60

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÄÖÜ„\"])")
_ABBREVIATION = re.compile(r"\b(?:sog|z|B|Nr|Abs|bzw|ca|u|a|d|h|vgl|Dr|St|Mio|ggf|insb|i)\.$")


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph (lines of a list), abbreviations such as 'sog.' kept inside."""
    out: list[str] = []
    for line in text.split("\n"):
        parts = _SENTENCE_END.split(line)
        for part in parts:
            if out and _ABBREVIATION.search(out[-1]) and not out[-1].endswith("\n"):
                out[-1] = f"{out[-1]} {part}"
            else:
                out.append(part)
    return [s.strip() for s in out if s.strip()]


def fuse(rankings: list[list[Chunk]], k: int) -> list[Chunk]:
    """Reciprocal rank fusion of several rankings."""
    scores: dict[str, float] = {}
    by_id: dict[str, Chunk] = {}
    for ranking in rankings:
        for rank, chunk in enumerate(ranking):
            scores[chunk.id] = scores.get(chunk.id, 0.0) + 1.0 / (RRF_K + rank + 1)
            by_id[chunk.id] = chunk
    return [by_id[i] for i, _ in sorted(scores.items(), key=lambda s: -s[1])[:k]]


class Retriever:
    def __init__(self, store: AgreementStore, index: LexicalIndex, mode: str = "hybrid") -> None:
        if mode not in MODES:
            raise ValueError(f"retrieval mode must be one of {MODES}")
        self.store, self.index, self.mode = store, index, mode

    def lexical(self, query: str | list[str], doc_ids: list[str] | None, k: int) -> list[Chunk]:
        """The best BM25 passages (within some documents), whatever the mode; `query` as text or as stems."""
        allowed = None if doc_ids is None else self.index.chunk_ids(doc_ids)
        if isinstance(query, str):
            return [c for c, _ in self.index.search(query, k=k, allowed=allowed)]
        return [c for c, _ in self.index.search_terms(query, k=k, allowed=allowed)]

    def retrieve(self, query: str, doc_ids: list[str] | None, k: int = 6) -> list[Chunk]:
        if doc_ids is not None and not doc_ids:
            return []
        rankings = []
        if self.mode in ("hybrid", "dense"):
            where = None
            if doc_ids is not None:
                where = {"doc_id": {"$in": list(doc_ids)}} if len(doc_ids) > 1 else {"doc_id": doc_ids[0]}
            rankings.append([c for c, _ in self.store.search(query, k=max(k, 12), where=where)])
        if self.mode in ("hybrid", "lexical"):
            rankings.append(self.lexical(query, doc_ids, k=max(k, 12)))
        return fuse(rankings, k)


def _holds(term: str, text_terms: set[str]) -> bool:
    """A text holds a term itself, as part of a compound ("ausbildung" in "teilzeitausbildung"), or as the
    same word with another ending ("altersbegrenzt" ~ "altersbegrenz")."""
    if term in text_terms:
        return True
    if len(term) < 5:
        return False
    for t in text_terms:
        if len(t) >= 5 and (t.endswith(term) or t.startswith(term) or term.startswith(t)):
            return True
        if len(t) >= 6 and term.endswith(t):  # "fachpersonal" ~ "personal"
            return True
    return False


def overlap(question_terms: set[str], text: str) -> int:
    """How many of the question's terms a text holds (compound parts count)."""
    text_terms = set(terms(text))
    return sum(_holds(q, text_terms) for q in question_terms)


def coverage(groups: list[set[str]], text: str) -> int:
    """How many of the question's topic terms a text holds, each as itself or one of its synonyms."""
    text_terms = set(terms(text))
    return sum(any(_holds(t, text_terms) for t in group) for group in groups)
