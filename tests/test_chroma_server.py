"""The scale-out path: the same code against a real `chroma run` server on loopback."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from assistant.engine import Assistant
from ingest.pipeline import ingest_paths
from tests.conftest import SAMPLE, free_port, start_server
from vectorstore.store import AgreementStore


@pytest.fixture
def chroma_server(tmp_path):
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    proc = start_server([exe, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1", "--port", str(port)],
                        port, "chroma server", seconds=60)
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=30)


@pytest.mark.server
def test_two_replicas_share_vectors_and_catalog(chroma_server, embedder):
    writer = AgreementStore.open(chroma_server, embedder)
    reader = Assistant(AgreementStore.open(chroma_server, embedder))  # another web-app replica
    assert reader.ask("Wie viel Geld bekommt Gießen?").abstained
    ingest_paths([SAMPLE], writer)
    answer = reader.ask("Wie viel Geld bekommt der Landkreis Gießen 2025?")
    assert "1.516.560 Euro" in answer.answer and answer.citations[0].section == "§ 4"
    text = reader.ask("Woran beteiligt sich der Landkreis im kontinuierlichen Verbesserungsprozess?")
    assert "Umfragen" in text.answer  # dense search through the server
    assert [r.status for r in ingest_paths([SAMPLE], AgreementStore.open(chroma_server, embedder))] == ["unverändert"]
