"""Ingest: facts of the real sample and of fixture PDFs, idempotence, removal, bad input, consistency."""

from __future__ import annotations

import shutil

import pytest
from pypdf import PdfReader, PdfWriter

from ingest.readers import read_document
from ingest.pipeline import FAILED, INGESTED, REPLACED, UNCHANGED, ingest_paths
from bench import fictional as factory
from tests.conftest import SAMPLE
from vectorstore.store import AgreementStore, EmbedderMismatch


def by_file(store):
    return {d.doc_id: d for d in store.documents()}


def test_sample_facts_exact(store, tmp_path):
    results = ingest_paths([SAMPLE], store)
    assert [r.status for r in results] == [INGESTED]
    facts = by_file(store)[SAMPLE.name]
    assert (facts.district, facts.year, facts.kind) == ("Landkreis Gießen", 2025, "agreement")
    assert facts.budget_eur == 1_516_560 and facts.budget_text == "1.516.560 Euro"
    assert len(facts.projects) == 11 and len(facts.categories) == 4
    assert [p.name for p in facts.projects if p.category_no == 1] == ["BOM, Berufsorientierung an Schulen", "Ausbildungscamp", "Dreisprung"]
    assert [p.category_no for p in facts.projects].count(3) == 6
    assert [(s.place, s.date_text, s.date, s.name) for s in facts.signatures] == [
        ("Wiesbaden", "2.8.2025", "2025-08-02", "Heike Hofmann"),
        ("Gießen", "25.08.2025", "2025-08-25", "Anita Schneider"),
    ]
    assert facts.authority == "Regierungspräsidium Kassel"
    chunks = {c.id: c for c in store.all_chunks()}
    budget_chunk = chunks[facts.budget_chunk]
    assert budget_chunk.section == "§ 4" and budget_chunk.title == "Haushaltsmittel und Eckdaten"
    assert "1.516.560 Euro" in budget_chunk.text
    project_chunk = chunks[facts.projects[0].chunk_id]
    assert project_chunk.section == "§ 5" and all(p.name.split()[0] in project_chunk.text for p in facts.projects)
    extracted = read_document(SAMPLE).text  # offsets index the extracted text
    assert extracted[budget_chunk.start : budget_chunk.end].startswith("Das HMSI stellt")
    assert extracted[budget_chunk.start : budget_chunk.end].endswith("zur Verfügung.")


def test_fixture_pdfs_keep_umlauts_pages_and_amounts(store, tmp_path):
    pdf = factory.write_pdf(factory.beispielhausen().text(), tmp_path / "zv-2025-stadt-beispielhausen.pdf")
    assert len(PdfReader(pdf).pages) >= 2
    ingest_paths([pdf], store)
    facts = by_file(store)[pdf.name]
    assert (facts.district, facts.year, facts.budget_eur, facts.budget_text) == ("Stadt Beispielhausen", 2025, 2_050_000, "2.050.000,00 €")
    assert [(p.name, p.amount_eur) for p in facts.projects] == [
        ("Jobbrücke", 150_000), ("Startklar", 95_500), ("Sprungbrett Pflege", 420_000), ("Digital Fit", 180_250)]
    assert facts.pages >= 2 and facts.authority == "Regierungspräsidium Kassel"
    chunks = {c.id: c for c in store.all_chunks()}
    assert chunks[facts.budget_chunk].page == 1
    assert chunks[facts.projects[0].chunk_id].page == 2  # § 5 starts on page 2
    assert any("Ausbildungsfähigkeit" in c.text and "§" in c.section for c in chunks.values())
    city, _ = factory.musterburg_pair()
    other = factory.write_pdf(city.text(), tmp_path / "zv-2025-stadt-musterburg.pdf")
    ingest_paths([other], store)
    assert by_file(store)[other.name].budget_eur == 987_000  # "EUR 987.000"


def test_reingest_is_idempotent_and_replaces_changed_files(store, tmp_path):
    path = factory.write_txt(factory.musterstadt().text(), tmp_path / "zv.txt")
    assert [r.status for r in ingest_paths([path], store)] == [INGESTED]
    first = {c.id for c in store.all_chunks()}
    assert [r.status for r in ingest_paths([path], store)] == [UNCHANGED]
    assert {c.id for c in store.all_chunks()} == first
    factory.write_txt(factory.musterstadt(budget=999_999).text(), path)
    assert [r.status for r in ingest_paths([path], store)] == [REPLACED]
    assert by_file(store)["zv.txt"].budget_eur == 999_999
    chunks = store.all_chunks()
    assert not first & {c.id for c in chunks}
    assert len(store.chunks.get()["ids"]) == len(chunks)  # the old chunks are gone from Chroma too


def test_identical_boilerplate_is_embedded_once(store, tmp_path):
    a = factory.write_txt(factory.musterstadt().text(), tmp_path / "a.txt")
    ingest_paths([a], store)
    embedded_first = store.cache_stats.embedded
    b = factory.write_txt(factory.Agreement("Landkreis Beispieltal", 2025, 800_000, {1: [("Kompass", None)]}).text(), tmp_path / "b.txt")
    ingest_paths([b], store)
    embedded_second = store.cache_stats.embedded - embedded_first
    new_chunks = [c for c in store.all_chunks() if c.doc_id == "b.txt"]
    # new are only the paragraphs that differ beyond the district's name and year (budget, project list,
    # signatures) and, of the headers (district | year | §), the new district's name: years and § are cached
    assert embedded_second <= 4 < len(new_chunks) - 6, (embedded_first, embedded_second)
    # a new process (empty memory cache) reuses the vectors stored in the cache collection
    again = AgreementStore.open(store.location, store.embeddings)
    c = factory.write_txt(factory.Agreement("Landkreis Beispielfeld", 2025, 800_000, {1: [("Kompass", None)]}).text(), tmp_path / "c.txt")
    ingest_paths([c], again)
    assert again.cache_stats.embedded <= 4


def test_remove_takes_a_document_out_completely(store, tmp_path):
    path = factory.write_txt(factory.musterstadt().text(), tmp_path / "zv.txt")
    ingest_paths([path, SAMPLE], store)
    assert store.remove("zv.txt")
    assert set(by_file(store)) == {SAMPLE.name}
    assert {m["doc_id"] for m in store.chunks.get(include=["metadatas"])["metadatas"]} == {SAMPLE.name}
    assert not store.remove("zv.txt")


def _bad_files(folder):
    good = factory.write_pdf(factory.musterstadt().text(), folder / "good.pdf")
    (folder / "empty.pdf").write_bytes(b"")
    data = good.read_bytes()
    (folder / "truncated.pdf").write_bytes(data[: len(data) // 2])
    writer = PdfWriter(clone_from=str(good))
    writer.encrypt("geheim")
    with open(folder / "encrypted.pdf", "wb") as handle:
        writer.write(handle)
    from fpdf import FPDF

    image_only = FPDF()
    image_only.add_page()
    image_only.rect(20, 20, 100, 60, style="F")
    image_only.output(str(folder / "scan.pdf"))
    (folder / "notes.pdf").write_text("Das ist keine PDF-Datei, nur Text mit falscher Endung.", encoding="utf-8")
    (folder / "bild.txt").write_bytes(bytes(range(256)) * 4)
    (folder / "einkauf.txt").write_text("Einkaufsliste: Brot, Milch, Käse, Äpfel und Öl für die Woche.", encoding="utf-8")
    (folder / "tabelle.xlsx").write_bytes(b"PK\x03\x04 not really")
    return good


def test_bad_input_is_reported_and_skipped(store, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    good = _bad_files(folder)
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    results = {r.path.split("/")[-1]: r for r in ingest_paths([folder], store)}
    assert results["good.pdf"].status == INGESTED and results[SAMPLE.name].status == INGESTED
    reasons = {name: r.reason for name, r in results.items() if r.status == FAILED}
    assert set(reasons) == {"empty.pdf", "truncated.pdf", "encrypted.pdf", "scan.pdf", "notes.pdf", "bild.txt", "einkauf.txt", "tabelle.xlsx"}
    assert "leer" in reasons["empty.pdf"]
    assert "abgeschnitten" in reasons["truncated.pdf"]
    assert "verschlüsselt" in reasons["encrypted.pdf"]
    assert "ohne Text" in reasons["scan.pdf"]
    assert "keine PDF-Datei" in reasons["notes.pdf"]
    assert "Binär" in reasons["bild.txt"]
    assert "keine Zielvereinbarung" in reasons["einkauf.txt"]
    assert "Dateityp" in reasons["tabelle.xlsx"]
    assert set(by_file(store)) == {good.name, SAMPLE.name}


def test_interrupted_ingest_leaves_last_consistent_state(store, tmp_path):
    """Chunks written without their catalog record (a crash before commit) stay invisible and are cleaned."""
    from ingest.pipeline import parse_document

    ingest_paths([SAMPLE], store)
    before = {c.id for c in store.all_chunks()}
    path = factory.write_txt(factory.musterstadt().text(), tmp_path / "crash.txt")
    facts, chunks = parse_document(path, path.read_bytes())
    vectors = store.chunk_vectors(chunks)
    store.chunks.upsert(ids=[c.id for c in chunks], embeddings=vectors, documents=[c.text for c in chunks],
                        metadatas=[c.metadata() for c in chunks])  # the crash: no catalog record follows
    assert {c.id for c in store.all_chunks()} == before
    assert all(c.doc_id != "crash.txt" for c, _ in store.search("Musterstadt Haushaltsmittel", k=20))
    results = ingest_paths([path], store)  # the next run repairs and completes the work
    assert [r.status for r in results] == [INGESTED]
    assert len(store.chunks.get()["ids"]) == len(store.all_chunks())
    assert by_file(store)["crash.txt"].budget_eur == 1_234_567


def test_store_refuses_vectors_of_another_embedder(store):
    ingest_paths([SAMPLE], store)

    class Other(type(store.embeddings)):
        name = "other:model"

    with pytest.raises(EmbedderMismatch, match="agreements reindex"):
        AgreementStore.open(store.location, Other())


def test_amendment_links_to_its_agreement(corpus_store):
    from assistant.engine import Assistant

    assistant = Assistant(corpus_store)
    amendment = next(d for d in assistant.catalog if d.kind == "amendment")
    assert amendment.budget_eur == 1_300_000
    assert assistant.amends(amendment) == "zv-2025-landkreis-musterstadt.pdf"


def test_reading_the_whole_store_goes_in_pages(tmp_path, embedder):
    """Paging (here 7 records a page) returns every record once, in the same order as one read."""
    from vectorstore.store import _get_all

    store = AgreementStore.open(str(tmp_path / "store"), embedder)
    ingest_paths([SAMPLE], store)
    whole = store.chunks.get(include=["documents"])
    paged = _get_all(store.chunks, ["documents"], page=7)
    assert len(whole["ids"]) > 14 and paged["ids"] == whole["ids"] and paged["documents"] == whole["documents"]
