"""An amendment that changes the project list: its projects are added to the agreement's, the ones it takes out
("Das Vorhaben „…“ entfällt") leave it, and answers and the Steckbrief show the list as it stands, the change
cited in the amendment. Fictional "Landkreis Musterstadt" documents written by the test; real store and embedder."""

from __future__ import annotations

import pytest

from assistant.engine import Assistant
from assistant.library import profile
from bench import fictional as factory
from ingest.pipeline import ingest_paths, parse_document
from vectorstore.store import AgreementStore

PROJECTS = {1: [("Berufsstart Plus", None)], 3: [("Jobbrücke", None), ("Werkstatt Zukunft", None)]}

AMENDMENT = """1. Änderungsvereinbarung zur Zielvereinbarung 2025

zwischen dem Hessischen Ministerium für Arbeit, Integration, Jugend und Soziales

und dem Landkreis Musterstadt

§ 1 Änderung der Projekte

(1) Das Vorhaben „Werkstatt Zukunft“ entfällt, weil der Träger abgesagt hat.

(2) In die Projektliste werden folgende Vorhaben neu aufgenommen:

| Nr. | Maßnahmenart | Vorhaben |
|---|---|---|
| 4 | 3 – Qualifizierungsprojekte | Frauen in Arbeit |

§ 2 Übrige Bestimmungen

Alle übrigen Bestimmungen der Zielvereinbarung bleiben unberührt.

Wiesbaden, den 1.10.2025

Dr. Max Beispiel
Staatsminister

Musterstadt, den 6.10.2025

Erika Muster
Landrätin
"""


@pytest.fixture(scope="module")
def amended(tmp_path_factory, embedder):
    folder = tmp_path_factory.mktemp("amended")
    agreement = factory.Agreement("Landkreis Musterstadt", 2025, 1_200_000, PROJECTS, place="Musterstadt")
    factory.write_txt(agreement.text(), folder / "zv-2025-landkreis-musterstadt.txt")
    (folder / "nachtrag-2025-landkreis-musterstadt.txt").write_text(AMENDMENT, encoding="utf-8")
    store = AgreementStore.open(str(tmp_path_factory.mktemp("amended-store")), embedder)
    assert not [r.line() for r in ingest_paths([folder], store) if r.failed]
    return Assistant(store), folder


def test_the_amendment_reads_as_projects_added_and_taken_out(amended):
    _, folder = amended
    path = folder / "nachtrag-2025-landkreis-musterstadt.txt"
    facts, _ = parse_document(path, path.read_bytes())
    assert facts.kind == "amendment"
    assert [p.name for p in facts.projects] == ["Frauen in Arbeit"]  # the sentence that opens the table is none
    assert [p.name for p in facts.removed_projects] == ["Werkstatt Zukunft"]
    assert "projects" not in facts.uncertain, facts.warnings


def test_the_project_list_as_it_stands_after_the_amendment(amended):
    assistant, _ = amended
    answer = assistant.ask("Welche Projekte fördert Musterstadt 2025?")
    lines = answer.answer.splitlines()
    assert "- Frauen in Arbeit" in lines and "- Werkstatt Zukunft" not in lines, answer.answer
    assert "neu aufgenommen Frauen in Arbeit" in answer.answer and "entfallen Werkstatt Zukunft" in answer.answer
    assert {c.file for c in answer.citations} == {"zv-2025-landkreis-musterstadt.txt", "nachtrag-2025-landkreis-musterstadt.txt"}
    assert assistant.ask("Wie viele Projekte hat Musterstadt 2025?").headline == "3"


def test_projects_counted_for_whom_they_are(amended):
    """'wie viele Projekte für Frauen': the projects whose names say so, counted; not every project."""
    assistant, _ = amended
    answer = assistant.ask("wie viele projekte für frauen hat musterstadt")
    assert "ein Projekt zum Stichwort" in answer.answer and "- Frauen in Arbeit" in answer.answer, answer.answer
    assert "Jobbrücke" not in answer.answer and "Berufsstart Plus" not in answer.answer


def test_the_steckbrief_marks_what_the_amendment_changed(amended):
    assistant, _ = amended
    found = profile(assistant.store.documents(), "Landkreis Musterstadt|2025")
    names = [line for lines in found.projects.values() for line in lines]
    assert "Frauen in Arbeit (neu laut Änderungsvereinbarung)" in names and "Werkstatt Zukunft" not in names
    assert "entfallen: Werkstatt Zukunft" in found.amendments[0]
