"""Ingest files into the store: read, split, extract facts, embed, commit. One result per file."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable

from ingest.facts import extract_facts, identify
from ingest.readers import SUFFIXES, IngestError, read_document
from ingest.structure import split_blocks
from domain.records import AgreementFacts, Chunk
from vectorstore.store import AgreementStore

INGESTED, REPLACED, UNCHANGED, FAILED = "eingelesen", "ersetzt", "unverändert", "fehlgeschlagen"


@dataclass
class FileResult:
    path: str
    status: str
    reason: str = ""
    facts: AgreementFacts | None = None

    @property
    def failed(self) -> bool:
        return self.status == FAILED

    def line(self) -> str:
        name = Path(self.path).name
        if self.failed:
            return f"{FAILED}: {name}: {self.reason}"
        if self.facts is None:
            return f"{self.status}: {name}" + (f" ({self.reason})" if self.reason else "")
        f = self.facts
        kind = "Änderungsvereinbarung" if f.kind == "amendment" else "Zielvereinbarung"
        return f"{self.status}: {name}: {f.district}, {f.year}, {kind}, {f.chunks} Abschnitte"


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files named, and the files in folders named (recursively), hidden ones left out."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(
                p
                for p in sorted(path.rglob("*"))
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(path)
    return files


def parse_document(path: Path, data: bytes) -> tuple[AgreementFacts, list[Chunk]]:
    """The facts and chunks of one file; IngestError if it is not a readable agreement."""
    content_hash = hashlib.sha256(data).hexdigest()
    document = read_document(path)
    kind, district, year = identify(document.text)
    blocks = split_blocks(document.text)
    doc_id = path.name
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
            text=b.text,
            ordinal=n,
            page=document.page_at(b.start),
            start=b.start,
            end=b.end,
        )
        for n, b in enumerate(blocks)
    ]
    facts = extract_facts(doc_id, content_hash, kind, district, year, chunks)
    facts.pages = len(document.page_starts) or None
    facts.source_path = str(path.resolve())
    facts.ingested_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    return facts, chunks


def ingest_file(path: Path, store: AgreementStore, committed: dict[str, str]) -> FileResult:
    try:
        if not path.exists():
            raise IngestError("Datei nicht gefunden")
        if path.suffix.lower() not in SUFFIXES:
            raise IngestError(f"nicht unterstützter Dateityp '{path.suffix or path.name}' (erlaubt: PDF, TXT, Markdown)")
        data = path.read_bytes()
        content_hash = hashlib.sha256(data).hexdigest()
        if committed.get(path.name) == content_hash:
            return FileResult(str(path), UNCHANGED)
        twin = next((d for d, h in committed.items() if h == content_hash and d != path.name), None)
        if twin:
            return FileResult(str(path), UNCHANGED, f"gleicher Inhalt wie {twin}")
        facts, chunks = parse_document(path, data)
    except IngestError as exc:
        return FileResult(str(path), FAILED, str(exc))
    except OSError as exc:
        return FileResult(str(path), FAILED, f"nicht lesbar ({exc.strerror or exc})")
    status = REPLACED if path.name in committed else INGESTED
    store.put_document(facts, chunks)
    committed[path.name] = facts.content_hash
    return FileResult(str(path), status, facts=facts)


def ingest_paths(
    paths: Iterable[str | Path],
    store: AgreementStore,
    on_result: Callable[[FileResult], None] | None = None,
    progress: bool = False,
) -> list[FileResult]:
    """Ingest every file; a broken file is reported and skipped, the others go in."""
    store.repair()
    files = expand(paths)
    committed = store.committed()
    results = []
    bar = None
    if progress and len(files) > 1:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="Datei", leave=False, disable=None)
    for path in files:
        result = ingest_file(path, store, committed)
        results.append(result)
        if on_result:
            on_result(result)
        if bar:
            bar.update(1)
    if bar:
        bar.close()
    return results
