"""Ingest files into the store: read, split, extract facts, embed, commit. One result per file.

Every file on its own: whatever goes wrong with one file (a reader error, a parser's exception, a
file too large, a FIFO) is reported with that file's name and a reason, and the run goes on.

A document's identity (`doc_id`) is its path relative to the folder named on the command line
("2024/zielvereinbarung.txt"); a file named directly is known by its name. Two different files never
share an identity (`claim_identities`): a file that was read before keeps its document (same path:
replaced or unchanged); another file whose name is taken gets the folder it lies in as a prefix
("kreis-b/zv.txt"). A name that is not valid UTF-8 is kept with its bytes escaped ("gie\\xdfen.txt"),
so it can be stored and printed.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from domain.districts import HESSE
from ingest.facts import extract_facts, holds_no_agreement, identify, supporting_identity
from ingest.lookalikes import lookalike_warning
from ingest.reflow import reflow
from ingest.readers import SUFFIXES, IngestError, read_document, unsupported_message
from ingest.structure import split_blocks
from domain.records import AMENDMENT, SUPPORTING, AgreementFacts, Chunk
from vectorstore.store import AgreementStore

INGESTED, REPLACED, UNCHANGED, REPAIRED, FAILED = "eingelesen", "ersetzt", "unverändert", "repariert", "fehlgeschlagen"
MAX_CHUNK_CHARS = 3000  # a longer paragraph is split before embedding (the embedder reads ~512 tokens anyway)
PROGRESS_CHUNKS = 200  # files with more chunks than this get their own progress bar


def shown(name: str) -> str:
    """A file name as text that can always be printed and stored: undecodable bytes escaped (\\xe4)."""
    return os.fsencode(name).decode("utf-8", "backslashreplace")


@dataclass
class Source:
    """One file to ingest and the identity its document gets."""

    path: Path
    doc_id: str


@dataclass
class FileResult:
    path: str
    status: str
    reason: str = ""
    facts: AgreementFacts | None = None
    doc_id: str = ""
    replaced: AgreementFacts | None = None  # the catalog entry this file replaced

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    @property
    def name(self) -> str:
        return self.doc_id or shown(Path(self.path).name)

    def line(self) -> str:
        if self.failed:
            return f"{FAILED}: {self.name}: {self.reason}"
        if self.facts is None:
            return f"{self.status}: {self.name}" + (f" ({self.reason})" if self.reason else "")
        f = self.facts
        if f.kind == SUPPORTING:
            kind = f"Begleitdokument ({f.doc_type})" if f.doc_type else "Begleitdokument"
        else:
            kind = "Änderungsvereinbarung" if f.kind == AMENDMENT else "Zielvereinbarung"
        where = f"{f.district or 'ohne Gebietskörperschaft'}, {f.year or 'ohne Jahr'}"
        text = f"{self.status}: {self.name}: {where}, {kind}, {f.chunks} {'Abschnitt' if f.chunks == 1 else 'Abschnitte'}"
        old = self.replaced
        if old is not None and (old.source_path != f.source_path or (old.district, old.year) != (f.district, f.year)):
            text += f" (vorher {old.source_path or old.doc_id}: {old.district}, {old.year}; jetzt {f.source_path})"
        if self.reason:
            text += f" ({self.reason})"
        return text


def expand(paths: Iterable[str | Path]) -> list[Source]:
    """Files named, and the files in folders named (recursively), hidden ones left out, each with its identity."""
    sources: list[Source] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                relative = p.relative_to(path)
                if any(part.startswith(".") for part in relative.parts):
                    continue
                if p.is_file() or _is_special(p):
                    sources.append(Source(p, shown(relative.as_posix())))
        else:
            sources.append(Source(path, shown(path.name)))
    return sources


def _resolved(path: Path) -> str:
    return shown(str(path.resolve()))


def _candidates(source: Source):
    """Identities a file may take, best first: its own, then with the folders above it as a prefix
    ("d2/zv.txt", "ablage/d2/zv.txt"), then numbered ("zv (2).txt")."""
    yield source.doc_id
    above = [shown(p) for p in source.path.resolve().parent.parts[1:]]
    depth = source.doc_id.count("/")
    above = above[: len(above) - depth] if depth else above
    for k in range(1, min(len(above), 4) + 1):
        yield "/".join(above[-k:] + [source.doc_id])
    stem, dot, suffix = source.doc_id.rpartition(".")
    for n in range(2, 10_000):
        yield f"{stem} ({n}).{suffix}" if dot and stem else f"{source.doc_id} ({n})"


def claim_identities(sources: list[Source], known: dict[str, str]) -> list[Source]:
    """Each file's identity, so that two different files never replace each other.

    `known`: doc_id -> the file (resolved path) each stored document was read from ("" if not recorded).
    A file read before keeps that document's identity; otherwise the first candidate no other file
    holds. Replacement therefore needs the same file: `ingest d1 d2` with `zv.txt` in both gives two
    documents ("zv.txt", "d2/zv.txt")."""
    by_path = {path: doc_id for doc_id, path in known.items() if path}
    owners = dict(known)  # doc_id -> path, this run's claims added
    out = []
    for source in sources:
        path = _resolved(source.path)
        doc_id = by_path.get(path)
        if doc_id is None or owners.get(doc_id) != path:
            doc_id = next(c for c in _candidates(source) if owners.get(c) in (None, "", path))
        owners[doc_id] = path
        by_path[path] = doc_id
        out.append(Source(source.path, doc_id))
    return out


def _is_special(path: Path) -> bool:
    """A FIFO, socket or device: reading it could block for ever."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode) and not stat.S_ISDIR(mode)


_BREAKS = [re.compile(r"\n"), re.compile(r"(?<=[.;:!?])\s+"), re.compile(r"\s+")]


def split_long(text: str, limit: int = MAX_CHUNK_CHARS) -> list[tuple[int, int]]:
    """(start, end) spans of `text`, each at most `limit` characters: cut at a line end, else after a
    sentence, else at a space, else hard."""
    spans, start = [], 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.start() for m in pattern.finditer(window) if m.start() > limit // 3]
            if ends:
                cut = ends[-1]
                break
        cut = cut or limit
        spans.append((start, start + cut))
        start += cut
        while start < len(text) and text[start].isspace():
            start += 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def parse_document(
    path: Path, data: bytes | None, doc_id: str | None = None, max_bytes: int | None = None,
    content_hash: str | None = None,
) -> tuple[AgreementFacts, list[Chunk]]:
    """The facts and chunks of one file; IngestError if it is not a readable agreement. The file's
    `content_hash` may be given instead of its bytes (`data`)."""
    content_hash = content_hash or hashlib.sha256(data).hexdigest()
    document = read_document(path, max_bytes=max_bytes) if max_bytes is not None else read_document(path)
    if not document.page_starts:  # offsets of pages would shift; page-less text written on one line gets its breaks
        document.text = reflow(document.text)
    kind, district, year = identify(document.text)
    doc_id = doc_id or shown(path.name)
    pieces = []
    for b in split_blocks(document.text):
        for start, end in split_long(b.text):
            text = b.text[start:end].strip()
            if text:
                offset = min(b.start + start, b.end)
                pieces.append((b, text, offset, min(b.start + end, b.end) if end < len(b.text) else b.end))
    chunks = [
        Chunk(
            id=f"{doc_id}::{content_hash[:12]}::{n:03d}",
            doc_id=doc_id,
            content_hash=content_hash,
            district=district,
            year=year,
            kind=kind,
            section=b.section,
            title=b.title,
            text=text,
            ordinal=n,
            page=document.page_at(start),
            start=start,
            end=end,
        )
        for n, (b, text, start, end) in enumerate(pieces)
    ]
    facts = extract_facts(doc_id, content_hash, kind, district, year, chunks)
    if holds_no_agreement(facts):
        kind, (district, year) = SUPPORTING, supporting_identity(document.text)
        for chunk in chunks:
            chunk.kind, chunk.district, chunk.year = kind, district, year
        facts = extract_facts(doc_id, content_hash, kind, district, year, chunks)
    facts.pages = len(document.page_starts) or None
    facts.ocr = document.ocr
    facts.source_path = shown(str(path.resolve()))
    facts.ingested_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return facts, chunks


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1024 * 1024):
            digest.update(chunk)
    return digest.hexdigest()


def _too_large(size: int, max_bytes: int) -> str:
    def mib(n: int) -> str:  # the setting counts MiB (2^20 bytes): say so, and never "52 MB" for 50
        if n < 2**20:
            return f"{n / 2**10:.0f} KiB"
        value = f"{n / 2**20:.1f}"
        return (value[:-2] if value.endswith(".0") else value).replace(".", ",") + " MiB"

    return f"Datei zu groß ({mib(size)}; Grenze {mib(max_bytes)}, einstellbar mit AGREEMENTS_MAX_FILE_MB)"


@dataclass
class Parsed:
    """A file read and split, waiting to be embedded and committed."""

    source: Source
    facts: AgreementFacts
    chunks: list[Chunk]


def read_source(source: Source, committed: dict[str, str], max_bytes: int | None = None) -> Parsed | FileResult:
    """Read and parse one file: a Parsed document, or the file's result if there is nothing to write
    (unchanged, the same content as another document, or failed with the reason)."""
    path, doc_id = source.path, source.doc_id
    shown_path = shown(str(path))
    try:
        info = path.stat()  # follows links; a missing file raises FileNotFoundError
        if not stat.S_ISREG(info.st_mode):
            raise IngestError("keine reguläre Datei (FIFO, Gerät oder Socket) – übersprungen")
        if path.suffix.lower() not in SUFFIXES:
            raise IngestError(unsupported_message(shown(path.suffix or path.name)))
        if max_bytes is not None and info.st_size > max_bytes:
            raise IngestError(_too_large(info.st_size, max_bytes))
        content_hash = file_hash(path)  # in pieces: the file is not held whole for its hash
        if committed.get(doc_id) == content_hash:
            return FileResult(shown_path, UNCHANGED, doc_id=doc_id)
        twin = next((d for d, h in committed.items() if h == content_hash and d != doc_id), None)
        if twin:
            return FileResult(shown_path, UNCHANGED, f"gleicher Inhalt wie {twin}", doc_id=doc_id)
        facts, chunks = parse_document(path, None, doc_id, max_bytes, content_hash=content_hash)
    except IngestError as exc:
        return FileResult(shown_path, FAILED, str(exc), doc_id=doc_id)
    except FileNotFoundError:
        return FileResult(shown_path, FAILED, "Datei nicht gefunden", doc_id=doc_id)
    except OSError as exc:
        return FileResult(shown_path, FAILED, f"nicht lesbar ({exc.strerror or exc})", doc_id=doc_id)
    except Exception as exc:  # a parser's bug or a hostile file: this file fails, the run goes on
        return FileResult(shown_path, FAILED, f"nicht lesbar, Fehler beim Verarbeiten ({_describe(exc)})", doc_id=doc_id)
    return Parsed(source, facts, chunks)


def commit_parsed(parsed: Parsed, store: AgreementStore, committed: dict[str, str],
                  progress: bool = False, broken: set[str] | None = None) -> FileResult:
    """Embed and write one parsed document; a failing write fails this file only."""
    from vectorstore.store import StoreBusy, StoreFull

    facts, chunks, doc_id = parsed.facts, parsed.chunks, parsed.source.doc_id
    shown_path = shown(str(parsed.source.path))
    bar = None
    try:
        replaced = store.document(doc_id) if doc_id in committed else None
        if progress and len(chunks) > PROGRESS_CHUNKS:
            from tqdm import tqdm

            bar = tqdm(total=len(chunks), unit="Text", desc=doc_id[-40:], leave=False, disable=None)

        def advance(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        store.put_document(facts, chunks, progress=advance if bar is not None else None)
    except StoreBusy:
        raise
    except StoreFull as exc:  # nothing of this file was committed; the next file may be smaller
        return FileResult(shown_path, FAILED, str(exc), doc_id=doc_id)
    except Exception as exc:
        return FileResult(shown_path, FAILED, f"Speichern fehlgeschlagen ({_describe(exc)})", doc_id=doc_id)
    finally:
        if bar is not None:
            bar.close()
    committed[doc_id] = facts.content_hash
    if broken and doc_id in broken:
        status = REPAIRED
    else:
        status = REPLACED if replaced is not None else INGESTED
    return FileResult(shown_path, status, facts=facts, doc_id=doc_id, replaced=replaced)


def ingest_file(source: Source | Path, store: AgreementStore, committed: dict[str, str],
                max_bytes: int | None = None, progress: bool = False, broken: set[str] | None = None) -> FileResult:
    """One file into the store; any failure becomes a FAILED result with the reason."""
    if not isinstance(source, Source):
        source = Source(Path(source), shown(Path(source).name))
    parsed = read_source(source, committed, max_bytes)
    if isinstance(parsed, FileResult):
        return parsed
    return commit_parsed(parsed, store, committed, progress, broken)


def _describe(exc: BaseException) -> str:
    text = re.sub(r"\s+", " ", str(exc)).strip()
    return f"{exc.__class__.__name__}: {text[:200]}" if text else exc.__class__.__name__


WINDOW_CHUNKS = 1500  # documents read ahead, up to this many chunks, have their new texts embedded together


def ingest_paths(
    paths: Iterable[str | Path],
    store: AgreementStore,
    on_result: Callable[[FileResult], None] | None = None,
    progress: bool = False,
    max_bytes: int | None = None,
    lock_timeout: float = 600.0,
    on_wait: Callable[[str], None] | None = None,
) -> list[FileResult]:
    """Ingest every file; a broken file is reported and skipped, the others go in.

    Holds the store's writer lock for the whole run (a second run waits, `on_wait` says so). First it
    repairs the store: chunks of interrupted ingests go; documents whose chunks are missing or incomplete
    are read again from their source file (status "repariert") or, if that is gone, reported as failed.

    Files are read a window at a time and the window's new texts embedded in a few large batches (the
    embedder's cost per call dominates small batches), then each document is committed on its own."""
    sources = expand(paths)
    results: list[FileResult] = []

    def report(result: FileResult) -> None:
        results.append(result)
        if on_result:
            on_result(result)

    with store.writing(timeout=lock_timeout, on_wait=on_wait):
        on_file = store.documents()
        sources = claim_identities(sources, {f.doc_id: f.source_path for f in on_file})
        names = [d.name for d in HESSE] + sorted({f.district for f in on_file if f.district})
        repair = store.repair()
        broken = {f.doc_id for f in repair.broken}
        named = {s.doc_id for s in sources}
        for facts in repair.broken:
            if facts.doc_id in named:
                continue
            source = Path(facts.source_path) if facts.source_path else None
            if source is not None and source.is_file():
                sources.append(Source(source, facts.doc_id))
            else:
                report(FileResult(facts.source_path or facts.doc_id, FAILED,
                                  "beschädigter Eintrag entfernt (Abschnitte fehlten); Quelldatei nicht gefunden, bitte neu einlesen",
                                  doc_id=facts.doc_id))
        committed = store.committed()
        bar = None
        if progress and len(sources) > 1:
            from tqdm import tqdm

            bar = tqdm(total=len(sources), unit="Datei", leave=False, disable=None)
        window: list[Parsed | FileResult] = []
        pending: dict[str, str] = {}  # doc_id -> content hash of the window's documents, not yet committed

        def flush() -> None:
            parsed = [p for p in window if isinstance(p, Parsed)]
            if len(parsed) > 1:
                try:
                    store.prepare_vectors([c for p in parsed for c in p.chunks])
                except Exception:
                    pass  # each document then embeds its own texts and reports its own failure
            for item in window:
                if isinstance(item, Parsed):
                    item = commit_parsed(item, store, committed, progress, broken)
                report(item)
                if bar:
                    bar.update(1)
            window.clear()
            pending.clear()

        for source in sources:
            item = read_source(source, committed | pending, max_bytes)
            if isinstance(item, Parsed) and (warning := lookalike_warning(item.facts.district, names)):
                item.facts.warnings.append(warning)  # shown at ingest and by `list`
            if isinstance(item, Parsed) and item.facts.district not in names:
                names.append(item.facts.district)
            long = isinstance(item, Parsed) and len(item.chunks) > PROGRESS_CHUNKS
            if isinstance(item, Parsed) and (source.doc_id in pending or long):
                flush()  # the same identity twice: the first is committed first; a long file alone, with its own bar
            window.append(item)
            if isinstance(item, Parsed):
                pending[source.doc_id] = item.facts.content_hash
                if long or sum(len(p.chunks) for p in window if isinstance(p, Parsed)) >= WINDOW_CHUNKS:
                    flush()
        flush()
        if bar:
            bar.close()
    return results
