"""The agreement store: chunk vectors, the facts catalog and an embedding cache, all in Chroma.

Embedded (`PersistentClient`, a folder) or a Chroma server (`HttpClient`): the same code for both,
so several web-app replicas that talk to one server see the same agreements and the same catalog.

Collections (PREFIX defaults to "agreements"):
- PREFIX_catalog: one record per document (its facts as JSON) plus the record "__store__" that says
  which embedder built the vectors. A catalog record is the commit mark of a document: chunks whose
  (doc_id, content_hash) has no catalog record are invisible to searches and removed by `repair`.
- PREFIX_chunks__EMBEDDER: one vector per chunk.
- PREFIX_embcache__EMBEDDER: vectors by text hash, so identical paragraphs are embedded once.

One writer at a time: every write (`put_document`, `remove`, `repair`, `reindex`) holds the store's
writer lock, a file lock in the store folder (`writing()`); a second writer waits for it and says so,
and gives up with `StoreBusy` after a timeout. A Chroma server has no folder: writers that share a
server must be serialised by the caller (one ingest at a time).

Storage faults are messages, not hangs: before a document is written the free space of the store's
file system is compared with what the write needs (`StoreFull`: "Speicher voll: … MB frei, … MB
benötigt"), and a write error from a full disk becomes the same message. A write that hangs past
`write_timeout` calls `on_write_hang` (the command line ends its process there, which frees the lock;
the commit mark keeps the store consistent). A folder that cannot be written is opened as a read-only
copy (`read_only`); a store folder deleted or replaced under a reader is noticed (`StoreMissing`, or a
reopen of the new one).

Readers follow writers: an embedded Chroma client keeps its vector index in memory and does not see
what another process wrote (searches then fail with "Error finding id"). `follow()` (called by
`generation()`, which the answer engine asks before every question) reopens the client when the
store's version changed since this object last saw it.
"""

from __future__ import annotations

import atexit
import errno
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402
import numpy as np  # noqa: E402
from chromadb.config import Settings  # noqa: E402
from langchain_chroma import Chroma  # noqa: E402
from langchain_core.embeddings import Embeddings  # noqa: E402

from domain.records import AgreementFacts, Chunk  # noqa: E402

STORE_RECORD = "__store__"
HEADER_WEIGHT = 0.25  # share of the header (district, year, section) in a chunk's vector
_BATCH = 64
_DISTRICT_TYPE = re.compile(
    r"^(?:Landkreis|Kreis|Stadt|Wissenschaftsstadt|Universitätsstadt|Landeshauptstadt)\s+", re.IGNORECASE
)


LOCK_FILE = "schreibsperre.lock"
DERIVED_FOLDER = "abgeleitet"  # what readers derive from the chunks (lexical index …), per generation
WAITING = "wartet auf anderen Schreibvorgang …"


class EmbedderMismatch(RuntimeError):
    """The store was built with another embedder; its vectors cannot be mixed with new ones."""


class StoreBusy(RuntimeError):
    """Another process writes to the store and did not finish within the timeout."""


class StoreFull(RuntimeError):
    """Not enough free space for a write, or a write failed because the disk is full."""


class StoreReadOnly(RuntimeError):
    """A write to a store that was opened read-only (its folder cannot be written)."""


class StoreMissing(RuntimeError):
    """The store folder was deleted or moved away while this process used it."""


_FULL_MARKERS = ("database or disk is full", "no space left", "file too large", "disk full", "disk quota")
CHUNK_BYTES = 8 * 1024  # what one chunk takes on disk beyond its text (vector, metadata, index, log), generously
WRITE_MARGIN = 512 * 1024  # kept free beyond the estimate (SQLite's journal, the version stamp)


def _mb(n: float) -> str:
    return f"{n / 2**20:.1f}".replace(".", ",")


def free_bytes(location: str) -> int | None:
    """Free bytes on the file system of a store folder (its nearest existing parent), None for a server."""
    if is_server(location) or not location:
        return None
    path = os.path.abspath(location)
    while not os.path.exists(path) and os.path.dirname(path) != path:
        path = os.path.dirname(path)
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def is_full_error(exc: BaseException) -> bool:
    """A write error that means the disk (or the file size limit) is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EFBIG, errno.EDQUOT):
        return True
    return any(marker in str(exc).lower() for marker in _FULL_MARKERS)


def needed_bytes(chunks: list[Chunk]) -> int:
    """What writing these chunks needs on disk, estimated from above: each chunk's text twice (record and
    full-text index) plus its vector and bookkeeping."""
    return sum(2 * len(c.text.encode("utf-8")) + CHUNK_BYTES for c in chunks) + WRITE_MARGIN


def full_message(location: str, needed: int | None = None) -> str:
    free = free_bytes(location)
    text = f"Speicher voll: {_mb(free or 0)} MB frei"
    if needed:
        text += f", {_mb(needed)} MB benötigt"
    return text + f" ({location}). Bitte Platz schaffen und erneut einlesen; Eingelesenes bleibt erhalten."


def writable(location: str) -> bool:
    """Whether this process may write to a store folder (a read-only mount or missing rights: False)."""
    if is_server(location) or not location or not os.path.isdir(location):
        return True
    database = os.path.join(location, "chroma.sqlite3")
    return os.access(location, os.W_OK) and (not os.path.exists(database) or os.access(database, os.W_OK))


def read_only_message(location: str) -> str:
    return f"Der Speicher {location} ist schreibgeschützt: Einlesen, Entfernen und Neuindizieren sind nicht möglich."


def _read_only_copy(location: str) -> str:
    """A private copy of a store that cannot be written (Chroma cannot open such a folder), removed at exit."""
    target = tempfile.mkdtemp(prefix="agreements-lesekopie-")
    atexit.register(shutil.rmtree, target, True)
    copy = os.path.join(target, "store")
    shutil.copytree(location, copy, ignore=shutil.ignore_patterns(LOCK_FILE, DERIVED_FOLDER))
    return copy


def folder_identity(location: str) -> tuple | None:
    """(device, inode) of a store's database file: changes when the store is deleted and made anew or
    replaced by another folder; None when it is gone."""
    try:
        info = os.stat(os.path.join(location, "chroma.sqlite3"))
    except OSError:
        return None
    return info.st_dev, info.st_ino


def is_server(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")[:60]


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def neutral_body(text: str, district: str, year: int | None = None) -> str:
    """The paragraph as it is embedded: its district's name and its own year replaced and white space
    collapsed, so the same boilerplate embeds once for all districts, years and line breaks (a PDF
    wraps lines where the district's name ends). The chunk's header adds district and year back."""
    name = _DISTRICT_TYPE.sub("", district).strip()
    if name:
        text = text.replace(name, "N.N.")
    if year:
        text = re.sub(rf"(?<!\d){year}(?!\d)", "JJJJ", text)
    return " ".join(text.split())


def connect(location: str):
    """A Chroma client for a folder (embedded) or an http(s):// URL (a `chroma run` server)."""
    settings = Settings(anonymized_telemetry=False, allow_reset=False)
    if is_server(location):
        url = urlparse(location)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1",
            port=url.port or (443 if url.scheme == "https" else 8000),
            ssl=url.scheme == "https",
            settings=settings,
        )
    os.makedirs(location, exist_ok=True)
    return chromadb.PersistentClient(path=location, settings=settings)


_LOADED_AT: dict[str, tuple] = {}  # store folder -> the generation this process's shared chromadb system has seen


def _folder_key(location: str) -> str:
    return os.path.realpath(location)


def _forget_embedded_client(location: str) -> None:
    """Drop chromadb's shared in-process system for a folder, so the next client reads it afresh.

    chromadb keeps one system (with the vector index in memory) per folder and process; a client made
    for the same folder again would reuse the stale one. The old system is not stopped: another
    object of this process may still hold it; it goes when nothing refers to it any more."""
    from chromadb.api.shared_system_client import SharedSystemClient

    for key in {location, os.path.abspath(location), os.path.realpath(location)}:
        SharedSystemClient._identifier_to_system.pop(key, None)
        SharedSystemClient._identifier_to_refcount.pop(key, None)


def _get_all(collection, include: list[str], page: int = 5000) -> dict:
    """Every record of a collection, read in pages: one read of ~100,000 records fails in Chroma's
    SQLite ("too many SQL variables")."""
    out: dict = {"ids": [], **{key: [] for key in include}}
    offset = 0
    while True:
        got = collection.get(include=include, limit=page, offset=offset)
        out["ids"] += got["ids"]
        for key in include:
            out[key] += list(got[key])
        if len(got["ids"]) < page:
            return out
        offset += page


@dataclass
class CacheStats:
    texts: int = 0
    embedded: int = 0
    reused: int = 0


@dataclass
class RepairReport:
    """What `repair` found: uncommitted chunks deleted, and catalog entries whose chunks were missing
    or incomplete (their catalog entry is dropped, so the next ingest of the file brings them back)."""

    stale_chunks: int = 0
    broken: list[AgreementFacts] = field(default_factory=list)


class AgreementStore:
    def __init__(self, client, embeddings: Embeddings, prefix: str = "agreements", location: str = "") -> None:
        self.client = client
        self.embeddings = embeddings
        self.prefix = prefix
        self.location = location
        self.embedder = getattr(embeddings, "name", embeddings.__class__.__name__)
        self.cache_stats = CacheStats()
        self._memory_cache: dict[str, list[float]] = {}
        self._prepared: set[str] = set()  # text hashes embedded ahead by `prepare_vectors`, not yet counted as used
        self.reopened = 0  # how often `follow` reopened the client (another process wrote)
        self._seen: tuple | None = None  # the generation this object last saw
        self._lock = None
        self.read_only = False  # opened as a copy of a folder this process cannot write (see `open`)
        self.origin = location  # the folder asked for (differs from `location` for a read-only copy)
        self.write_timeout: float | None = None  # seconds a single write may take before `on_write_hang`
        self.on_write_hang: Callable[[str], None] | None = None
        self._identity = folder_identity(location) if location and not is_server(location) else None
        self.catalog = client.get_or_create_collection(f"{prefix}_catalog", embedding_function=None)
        recorded = self.recorded_embedder()
        if recorded is None:
            self._record_embedder(self.embedder)
        elif recorded != self.embedder:
            raise EmbedderMismatch(
                f"Der Speicher {location or prefix} wurde mit dem Embedder '{recorded}' gebaut, "
                f"angefragt ist '{self.embedder}'. Vektoren zweier Modelle werden nicht gemischt. "
                f"Neu indizieren mit: agreements reindex --store {location or '<DIR>'} --embedder <NEUER_EMBEDDER>"
            )
        self._open_collections(self.embedder)
        self._seen = self._read_generation()
        if location and not is_server(location):
            # another object of this process may have opened the folder before another process wrote to it:
            # chromadb would hand us that object's stale system
            loaded = _LOADED_AT.get(_folder_key(location))
            if loaded is not None and loaded != self._seen:
                self.reopen()
            _LOADED_AT[_folder_key(location)] = self._seen

    @classmethod
    def open(cls, location: str, embeddings: Embeddings, prefix: str = "agreements") -> "AgreementStore":
        """The store in a folder or on a server. A folder this process cannot write is opened as a private
        read-only copy: questions and `list` work, writes raise StoreReadOnly."""
        if not is_server(location) and os.path.isdir(location) and not writable(location):
            store = cls(connect(_read_only_copy(location)), embeddings, prefix, "")
            store.read_only, store.origin = True, location
            return store
        try:
            return cls(connect(location), embeddings, prefix, location)
        except Exception as exc:
            if "readonly database" in str(exc).lower() or "read-only" in str(exc).lower():
                store = cls(connect(_read_only_copy(location)), embeddings, prefix, "")
                store.read_only, store.origin = True, location
                return store
            if is_full_error(exc):
                raise StoreFull(full_message(location)) from None
            raise

    def read_only_notice(self) -> str:
        return (f"Nur-Lese-Modus: der Speicher {self.origin} ist schreibgeschützt. Fragen und Liste gehen, "
                "Einlesen und Entfernen nicht.") if self.read_only else ""

    # -- collections -------------------------------------------------------------------------
    def _names(self, embedder: str) -> tuple[str, str]:
        return f"{self.prefix}_chunks__{_slug(embedder)}", f"{self.prefix}_embcache__{_slug(embedder)}"

    def _open_collections(self, embedder: str) -> None:
        chunks_name, cache_name = self._names(embedder)
        self.chunks = self.client.get_or_create_collection(
            chunks_name, embedding_function=None, metadata={"hnsw:space": "cosine", "embedder": embedder}
        )
        self.vectors = Chroma(client=self.client, collection_name=chunks_name, embedding_function=self.embeddings)
        self.cache = self.client.get_or_create_collection(
            cache_name, embedding_function=None, metadata={"embedder": embedder}
        )

    def _store_record(self) -> dict:
        """The store record's metadata: the embedder that built the store and the write version."""
        got = self.catalog.get(ids=[STORE_RECORD], include=["metadatas"])
        return dict(got["metadatas"][0]) if got["ids"] else {}

    def _update_store_record(self, **changes: str) -> None:
        meta = self._store_record() | changes
        self.catalog.upsert(ids=[STORE_RECORD], embeddings=[[1.0]], documents=["{}"], metadatas=[meta])

    def recorded_embedder(self) -> str | None:
        return self._store_record().get("embedder")

    def _record_embedder(self, embedder: str) -> None:
        self._update_store_record(embedder=embedder)

    # -- catalog -----------------------------------------------------------------------------
    def committed(self) -> dict[str, str]:
        """doc_id -> content hash of every document whose ingest completed."""
        got = _get_all(self.catalog, ["metadatas"])
        return {i: m["content_hash"] for i, m in zip(got["ids"], got["metadatas"]) if i != STORE_RECORD}

    def documents(self) -> list[AgreementFacts]:
        got = _get_all(self.catalog, ["documents"])
        docs = [AgreementFacts.from_json(d) for i, d in zip(got["ids"], got["documents"]) if i != STORE_RECORD]
        return sorted(docs, key=lambda f: (f.district, f.year, f.kind, f.doc_id))

    def document(self, doc_id: str) -> AgreementFacts | None:
        got = self.catalog.get(ids=[doc_id], include=["documents"])
        return AgreementFacts.from_json(got["documents"][0]) if got["ids"] else None

    def _read_generation(self) -> tuple:
        return self.catalog.count(), self._store_record().get("version", "")

    def generation(self) -> tuple:
        """Changes whenever a document is added, replaced or removed (for caches that readers keep).

        Two cheap reads, whatever the store's size: the catalog's record count and the version that
        every write stamps on the store record (so replicas on a Chroma server notice each other's).
        A change made by another process reopens the embedded client first (see `follow`)."""
        self.follow()
        return self._seen

    def follow(self) -> bool:
        """Reopen the embedded client if another process wrote since this object last looked.

        True if it reopened. For a Chroma server nothing needs reopening (the server holds the index).
        A folder deleted meanwhile raises StoreMissing; a folder replaced by another store is reopened."""
        if self.location and not is_server(self.location) and not self.read_only:
            identity = folder_identity(self.location)
            if identity is None:
                raise StoreMissing(
                    f"Der Speicher {self.location} ist nicht mehr vorhanden (gelöscht oder verschoben). "
                    "Bitte Vereinbarungen neu einlesen (agreements ingest) oder den Speicher wiederherstellen.")
            if identity != self._identity:
                self.reopen()
                return True
        current = self._read_generation()
        if current == self._seen:
            return False
        self._seen = current
        if is_server(self.location) or not self.location:
            return False
        self.reopen()
        return True

    def reopen(self) -> None:
        """A fresh embedded client and fresh collections: the vector index as it is on disk now."""
        _forget_embedded_client(self.location)
        self.client = connect(self.location)
        self.catalog = self.client.get_or_create_collection(f"{self.prefix}_catalog", embedding_function=None)
        recorded = self.recorded_embedder()
        if recorded and recorded != self.embedder:
            raise EmbedderMismatch(
                f"Der Speicher {self.location} wurde inzwischen mit '{recorded}' neu indiziert; bitte neu starten."
            )
        self._open_collections(self.embedder)
        self._seen = self._read_generation()
        self._identity = folder_identity(self.location)
        _LOADED_AT[_folder_key(self.location)] = self._seen
        self.reopened += 1

    # -- the writer lock -----------------------------------------------------------------------
    @contextmanager
    def writing(self, timeout: float = 600.0, on_wait: Callable[[str], None] | None = None):
        """Hold the store's writer lock (re-entrant in one thread); wait for another writer, at most
        `timeout` seconds, then StoreBusy. Inside, this object sees every earlier writer's work."""
        if self.read_only:
            raise StoreReadOnly(read_only_message(self.origin))
        if is_server(self.location) or not self.location:
            yield self
            return
        from filelock import FileLock, Timeout

        if self._lock is None:
            self._lock = FileLock(os.path.join(self.location, LOCK_FILE))
        if not self._lock.is_locked:
            try:
                self._lock.acquire(timeout=0)
            except Timeout:
                if on_wait:
                    on_wait(WAITING)
                started = time.monotonic()
                try:
                    self._lock.acquire(timeout=timeout)
                except Timeout:
                    raise StoreBusy(
                        f"Der Speicher {self.location} ist seit {time.monotonic() - started:.0f} s durch einen anderen "
                        f"Schreibvorgang gesperrt ({os.path.join(self.location, LOCK_FILE)}); bitte später erneut versuchen."
                    ) from None
        else:
            self._lock.acquire()
        try:
            if self._lock.lock_counter == 1:
                self.follow()
            yield self
        finally:
            self._lock.release()

    def _committed_for(self, doc_ids: set[str]) -> dict[str, str]:
        if not doc_ids:
            return {}
        got = self.catalog.get(ids=sorted(doc_ids), include=["metadatas"])
        return {i: m["content_hash"] for i, m in zip(got["ids"], got["metadatas"])}

    def _stamp(self) -> None:
        """A new store version after a write: readers reload their catalog and indexes."""
        self._update_store_record(version=uuid.uuid4().hex)
        self._seen = self._read_generation()  # this object's own write needs no reopening
        if self.location and not is_server(self.location):
            _LOADED_AT[_folder_key(self.location)] = self._seen

    # -- writing -----------------------------------------------------------------------------
    def embed_texts(
        self, texts: list[str], progress: Callable[[int, int], None] | None = None, tally: bool = True
    ) -> dict[str, list[float]]:
        """Vectors for texts, each distinct text embedded once ever (memory, then the cache collection).

        `progress(done, total)` is called after each batch that had to be embedded."""
        wanted = {_text_hash(t): t for t in texts}
        vectors = {h: self._memory_cache[h] for h in wanted if h in self._memory_cache}
        missing = [h for h in wanted if h not in vectors]
        for i in range(0, len(missing), 500):
            got = self.cache.get(ids=missing[i : i + 500], include=["embeddings"])
            for h, v in zip(got["ids"], got["embeddings"]):
                vectors[h] = list(map(float, v))
        todo = [h for h in wanted if h not in vectors]
        for i in range(0, len(todo), _BATCH):
            batch = todo[i : i + _BATCH]
            new = self.embeddings.embed_documents([wanted[h] for h in batch])
            with self._write_guard():
                self.cache.upsert(ids=batch, embeddings=new)
            vectors.update(zip(batch, new))
            if progress:
                progress(min(i + _BATCH, len(todo)), len(todo))
        self._memory_cache.update(vectors)
        if not tally:  # read ahead (`prepare_vectors`): the embedding counts now, the texts when they are used
            self.cache_stats.embedded += len(todo)
            self._prepared.update(todo)
            return {wanted[h]: vectors[h] for h in wanted}
        prepared = {h for h in wanted if h in self._prepared}
        self._prepared -= prepared
        self.cache_stats.texts += len(texts)
        self.cache_stats.embedded += len(todo)
        self.cache_stats.reused += len(texts) - len(todo) - len(prepared)
        return {wanted[h]: vectors[h] for h in wanted}

    @staticmethod
    def header_parts(chunk: Chunk) -> tuple[str, str, str]:
        """The parts of a chunk's header, each embedded once for the whole store: the district, the
        year and the section heading ("§ 4 Haushaltsmittel und Eckdaten")."""
        heading = neutral_body(f"{chunk.section} {chunk.title}", chunk.district, chunk.year)
        return chunk.district, f"Jahr {chunk.year}", heading

    def chunk_vectors(
        self, chunks: list[Chunk], progress: Callable[[int, int], None] | None = None
    ) -> list[list[float]]:
        """Each chunk's vector: its paragraph (district name neutralised) mixed with its header.

        The header vector is composed from the vectors of its parts (district, year, heading), so a new
        agreement of a known district and year needs no header embedding at all, and a new district one."""
        bodies = [neutral_body(c.text, c.district, c.year) for c in chunks]
        parts = [self.header_parts(c) for c in chunks]
        by_text = self.embed_texts(bodies + [p for three in parts for p in three], progress)
        out = []
        for body, three in zip(bodies, parts):
            header = sum(np.asarray(by_text[p]) for p in three)
            header = header / (np.linalg.norm(header) or 1.0)
            v = (1 - HEADER_WEIGHT) * np.asarray(by_text[body]) + HEADER_WEIGHT * header
            out.append((v / (np.linalg.norm(v) or 1.0)).tolist())
        return out

    def prepare_vectors(self, chunks: list[Chunk]) -> None:
        """Embed, in few large batches, every text these chunks' vectors need (an ingest reading ahead:
        one call per batch costs far less than one call per document)."""
        texts = [neutral_body(c.text, c.district, c.year) for c in chunks]
        texts += [p for c in chunks for p in self.header_parts(c)]
        self.embed_texts(texts, tally=False)

    def put_document(
        self, facts: AgreementFacts, chunks: list[Chunk], progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Write chunks, then commit the catalog record, then drop the document's older chunks.

        StoreFull before anything is written when the disk lacks the space, or when a write fails for it."""
        with self.writing():
            needed = needed_bytes(chunks)
            free = free_bytes(self.location)
            if free is not None and free < needed:
                raise StoreFull(full_message(self.location, needed))
            with self._write_guard(needed, deadline=False):  # embedding takes its time; its cache writes have deadlines
                vectors = self.chunk_vectors(chunks, progress)
            with self._write_guard(needed):
                self._put(facts, chunks, vectors)

    @contextmanager
    def _write_guard(self, needed: int | None = None, deadline: bool = True):
        """A write with a deadline (`write_timeout`, then `on_write_hang`), its disk-full errors as StoreFull."""
        timer = None
        if deadline and self.write_timeout and self.on_write_hang:
            message = (f"Schreiben in den Speicher {self.location} hängt seit {self.write_timeout:.0f} s "
                       f"({_mb(free_bytes(self.location) or 0)} MB frei) – abgebrochen, die Schreibsperre wird freigegeben.")
            timer = threading.Timer(self.write_timeout, self.on_write_hang, args=(message,))
            timer.daemon = True
            timer.start()
        try:
            yield
        except StoreFull:
            raise
        except Exception as exc:
            if is_full_error(exc):
                raise StoreFull(full_message(self.location, needed)) from None
            raise
        finally:
            if timer is not None:
                timer.cancel()

    def _put(self, facts: AgreementFacts, chunks: list[Chunk], vectors: list[list[float]]) -> None:
        for i in range(0, len(chunks), 500):
            part = chunks[i : i + 500]
            self.chunks.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[i : i + 500],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )
        self.catalog.upsert(
            ids=[facts.doc_id],
            embeddings=[[1.0]],
            documents=[facts.to_json()],
            metadatas=[{"content_hash": facts.content_hash, "district": facts.district, "year": facts.year}],
        )
        self.chunks.delete(
            where={"$and": [{"doc_id": facts.doc_id}, {"content_hash": {"$ne": facts.content_hash}}]}
        )
        self._stamp()

    def remove(self, doc_id: str) -> bool:
        """Take a document out: first its catalog record (so it vanishes at once), then its chunks."""
        with self.writing(), self._write_guard():
            if not self.catalog.get(ids=[doc_id])["ids"]:
                return False
            self.catalog.delete(ids=[doc_id])
            self.chunks.delete(where={"doc_id": doc_id})
            self._stamp()
            return True

    def check(self) -> RepairReport:
        """Compare the catalog with the chunks, both ways, without changing anything.

        `stale_chunks`: chunks no catalog record commits; `broken`: catalog entries with fewer stored
        chunks than they record (missing or incomplete chunks)."""
        report, _ = self._inspect()
        return report

    def _inspect(self) -> tuple[RepairReport, list[str]]:
        got_catalog = _get_all(self.catalog, ["documents"])
        facts = [AgreementFacts.from_json(d) for i, d in zip(got_catalog["ids"], got_catalog["documents"]) if i != STORE_RECORD]
        committed = {f.doc_id: f.content_hash for f in facts}
        got = _get_all(self.chunks, ["metadatas"])
        stale, counts = [], {}
        for i, m in zip(got["ids"], got["metadatas"]):
            if committed.get(m["doc_id"]) != m["content_hash"]:
                stale.append(i)
            else:
                counts[m["doc_id"]] = counts.get(m["doc_id"], 0) + 1
        broken = [f for f in facts if counts.get(f.doc_id, 0) != f.chunks]
        return RepairReport(len(stale), broken), stale

    def repair(self) -> RepairReport:
        """Make the store consistent: delete chunks that no catalog record commits (left by an interrupted
        ingest), and drop catalog entries whose chunks are missing or incomplete, with their remaining
        chunks, so the next ingest of that file reads it afresh. The report names what was dropped."""
        with self.writing(), self._write_guard():
            report, stale = self._inspect()
            for i in range(0, len(stale), 500):
                self.chunks.delete(ids=stale[i : i + 500])
            for facts in report.broken:
                self.catalog.delete(ids=[facts.doc_id])
                self.chunks.delete(where={"doc_id": facts.doc_id})
            if stale or report.broken:
                self._stamp()
            return report

    def reindex(self, embeddings: Embeddings) -> int:
        """Rebuild every chunk vector with another embedder, then switch the store to it."""
        with self.writing():
            return self._reindex(embeddings)

    def _reindex(self, embeddings: Embeddings) -> int:
        old = self.embedder
        chunks = self.all_chunks()
        self.embeddings = embeddings
        self.embedder = getattr(embeddings, "name", embeddings.__class__.__name__)
        self._memory_cache.clear()
        if self.embedder != old:
            self._drop_collections(self.embedder)  # leftovers of an earlier, interrupted reindex
        self._open_collections(self.embedder)
        by_doc: dict[str, list[Chunk]] = {}
        for chunk in chunks:
            by_doc.setdefault(chunk.doc_id, []).append(chunk)
        for doc_chunks in by_doc.values():
            vectors = self.chunk_vectors(doc_chunks)
            self.chunks.upsert(
                ids=[c.id for c in doc_chunks],
                embeddings=vectors,
                documents=[c.text for c in doc_chunks],
                metadatas=[c.metadata() for c in doc_chunks],
            )
        self._update_store_record(embedder=self.embedder, version=uuid.uuid4().hex)  # switch, and readers reload
        self._seen = self._read_generation()
        if self.location and not is_server(self.location):
            _LOADED_AT[_folder_key(self.location)] = self._seen
        if self.embedder != old:
            self._drop_collections(old)
        return len(chunks)

    def _drop_collections(self, embedder: str) -> None:
        existing = {getattr(c, "name", c) for c in self.client.list_collections()}
        for name in self._names(embedder):
            if name in existing:
                self.client.delete_collection(name)

    # -- reading -----------------------------------------------------------------------------
    def _chunks_from(self, got: dict, committed: dict[str, str]) -> list[Chunk]:
        return [
            Chunk.from_stored(i, d, m)
            for i, d, m in zip(got["ids"], got["documents"], got["metadatas"])
            if committed.get(m["doc_id"]) == m["content_hash"]
        ]

    def all_chunks(self) -> list[Chunk]:
        got = _get_all(self.chunks, ["documents", "metadatas"])
        chunks = self._chunks_from(got, self.committed())
        return sorted(chunks, key=lambda c: (c.doc_id, c.ordinal))

    # -- what readers derive from the chunks, kept per generation -------------------------------
    def _derived_path(self, name: str) -> str | None:
        folder = self.origin if self.read_only else self.location
        if not folder or is_server(folder):
            return None
        return os.path.join(folder, DERIVED_FOLDER, f"{name}.json")

    def load_derived(self, name: str) -> dict | None:
        """What a reader saved under `name` for the store as it is now (`save_derived`), or None: nothing saved,
        saved for another generation (any write since), unreadable. JSON, so a file in the folder is data only."""
        path = self._derived_path(name)
        if path is None:
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                saved = json.load(handle)
        except (OSError, ValueError):
            return None
        if not isinstance(saved, dict) or saved.get("generation") != list(self.generation()):
            return None
        return saved.get("data")

    def save_derived(self, name: str, data: dict) -> bool:
        """Keep `data` (JSON) for this generation of the store, so the next process need not derive it again.
        False where it cannot be kept (a server, a read-only or full folder): the reader derives it each time."""
        path = self._derived_path(name)
        if path is None:
            return False
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            temporary = f"{path}.{os.getpid()}.tmp"
            with open(temporary, "w", encoding="utf-8") as handle:
                json.dump({"generation": list(self.generation()), "data": data}, handle, ensure_ascii=False)
            os.replace(temporary, path)
        except OSError:
            try:
                os.remove(temporary)
            except (OSError, UnboundLocalError):
                pass
            return False
        return True

    def get_chunks(self, ids: list[str]) -> list[Chunk]:
        if not ids:
            return []
        got = self.chunks.get(ids=list(ids), include=["documents", "metadatas"])
        return self._chunks_from(got, self.committed())

    def search(self, query: str, k: int = 8, where: dict | None = None) -> list[tuple[Chunk, float]]:
        """Dense search: chunks most similar to the query, with cosine similarity (higher is closer)."""
        vector = self.embeddings.embed_query(query)
        return self.search_vector(vector, k, where)

    def search_vector(self, vector: list[float], k: int = 8, where: dict | None = None) -> list[tuple[Chunk, float]]:
        results = self.vectors.similarity_search_by_vector_with_relevance_scores(vector, k=k, filter=where)
        committed = self._committed_for({doc.metadata["doc_id"] for doc, _ in results})
        out = []
        for doc, distance in results:  # langchain-chroma returns the cosine distance here
            meta = doc.metadata
            if committed.get(meta["doc_id"]) != meta["content_hash"]:
                continue
            out.append((Chunk.from_stored(doc.id, doc.page_content, meta), 1.0 - float(distance)))
        return out
