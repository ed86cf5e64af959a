"""The `agreements` command through its real entry point."""

from __future__ import annotations

import json
import subprocess
import sys

from bench import fictional as factory
from tests.conftest import ROOT, SAMPLE


def agreements(*args, store, stdin=None, check=True):
    result = subprocess.run(
        [sys.executable, "-m", "app.cli", *args, "--store", str(store)],
        cwd=ROOT, capture_output=True, text=True, input=stdin, timeout=300,
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_ingest_list_ask_remove(tmp_path):
    store = tmp_path / "store"
    pdf = factory.write_pdf(factory.musterstadt().text(), tmp_path / "zv-2025-musterstadt.pdf")
    (tmp_path / "kaputt.pdf").write_bytes(b"%PDF-1.7\n garbage")
    out = agreements("ingest", str(SAMPLE), str(pdf), str(tmp_path / "kaputt.pdf"), store=store, check=False)
    assert out.returncode == 1  # one file failed, the others are in
    lines = out.stdout.strip().splitlines()
    assert "eingelesen: zielvereinbarung-2025-landkreis-giessen.txt: Landkreis Gießen, 2025, Zielvereinbarung" in lines[0]
    assert any(line.startswith("fehlgeschlagen: kaputt.pdf: ") for line in lines)
    rows = {r["file"]: r for r in json.loads(agreements("list", "--json", store=store).stdout)}
    assert set(rows) == {SAMPLE.name, pdf.name}
    sample = rows[SAMPLE.name]
    assert (sample["district"], sample["year"], sample["kind"], sample["budget_eur"], sample["projects"], sample["categories"]) == (
        "Landkreis Gießen", 2025, "agreement", 1516560, 11, 4)
    assert rows[pdf.name]["budget_eur"] == 1234567 and rows[pdf.name]["pages"] >= 2
    again = agreements("ingest", str(SAMPLE), store=store)
    assert again.stdout.startswith("unverändert: zielvereinbarung-2025-landkreis-giessen.txt")

    answer = json.loads(agreements("ask", "Wie viel Geld bekommt der Landkreis Gießen 2025?", "--json", store=store).stdout)
    assert "1.516.560 Euro" in answer["answer"] and answer["abstained"] is False
    citation = answer["citations"][0]
    assert {k: citation[k] for k in ("n", "file", "district", "year", "section", "page")} == {
        "n": 1, "file": SAMPLE.name, "district": "Landkreis Gießen", "year": 2025, "section": "§ 4", "page": None}
    assert "1.516.560 Euro" in citation["quote"]

    batch = tmp_path / "in.jsonl"
    batch.write_text(
        json.dumps({"turns": ["Welche Projekte fördert Gießen zur Ausbildungsvorbereitung?", "Und wer hat das unterschrieben?"]}) + "\n"
        + json.dumps({"turns": ["Wie viel Geld erhält der Main-Taunus-Kreis 2025?"]}) + "\n", encoding="utf-8")
    lines = agreements("ask", "--batch", str(batch), store=store).stdout.strip().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert "Anita Schneider" in first["answer"] and first["citations"][0]["section"] == "Unterschriften"
    assert second["abstained"] is True and second["citations"] == []

    assert "entfernt: zv-2025-musterstadt.pdf" in agreements("remove", str(pdf), store=store).stdout
    assert [r["file"] for r in json.loads(agreements("list", "--json", store=store).stdout)] == [SAMPLE.name]


def test_store_from_environment(tmp_path):
    import os

    env = dict(os.environ, AGREEMENTS_STORE=str(tmp_path / "env-store"))
    out = subprocess.run([sys.executable, "-m", "app.cli", "ingest", str(SAMPLE)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "env-store" / "chroma.sqlite3").exists()


def test_eval_prints_scores_and_reports_failures(tmp_path):
    store = tmp_path / "store"
    agreements("ingest", str(SAMPLE), store=store)
    questions = tmp_path / "qa.jsonl"
    items = [
        {"id": "budget", "turns": ["Wie viel Geld bekommt der Landkreis Gießen 2025?"],
         "expect": {"numbers": [1516560], "docs": [SAMPLE.name]}},
        {"id": "follow-up", "turns": ["Welche Projekte finanziert Gießen?", "Und wer hat unterschrieben?"],
         "expect": {"all_of": ["Anita Schneider"], "docs": [SAMPLE.name]}},
        {"id": "absent", "turns": ["Wie viel Geld bekommt der Vogelsbergkreis 2025?"], "expect": {"abstain": True}},
    ]
    questions.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items) + "\n", encoding="utf-8")
    report = tmp_path / "report.md"
    out = agreements("eval", str(questions), "--report", str(report), store=store)
    overall = next(line for line in out.stdout.splitlines() if line.startswith("| alle "))
    assert overall.split("|")[2:8] == [" 3 ", " 100 % ", " 0 ", " 100 % ", " 100 % ", " 100 % "], out.stdout
    assert "## Fehler (0 von 3)" in report.read_text(encoding="utf-8")
    assert "Enthaltungen: 1 gegeben, 1 erwartet; Präzision 100 %, Recall 100 %" in out.stdout

    wrong = {"id": "wrong-figure", "turns": ["Wie viel Geld bekommt der Landkreis Gießen 2025?"],
             "expect": {"numbers": [1600000], "docs": [SAMPLE.name]}}
    questions.write_text(json.dumps(wrong) + "\n", encoding="utf-8")
    failed = agreements("eval", str(questions), "--report", str(report), store=store, check=False)
    assert failed.returncode == 1 and "number 1600000 missing" in failed.stderr
    text = report.read_text(encoding="utf-8")
    assert "### wrong-figure" in text and "1.516.560 Euro" in text and "1600000" in text

    questions.write_text('{"question": "ohne turns"}\n', encoding="utf-8")
    broken = agreements("eval", str(questions), store=store, check=False)
    assert broken.returncode == 2 and "turns" in broken.stderr


def test_bench_quick_prints_the_comparison(tmp_path):
    out = subprocess.run([sys.executable, "-m", "app.cli", "bench", "--quick", "--output", str(tmp_path / "bench.md")],
                         cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    rows = {line.split("|")[1].strip(): line for line in out.stdout.splitlines() if line.startswith("| ")}
    ours, baseline = rows["correct (all expected figures/strings)"].split("|")[2:4]
    assert ours.strip() == "100 %" and baseline.strip().endswith("%")
    assert rows["abstention correct"].split("|")[2].strip() == "100 %"
    for row in ("ingest, cold cache", "ingest, warm cache", "query p50", "cold cache", "warm cache", "naive RAG"):
        assert row in rows, row
    assert (tmp_path / "bench.json").exists() and "memory peak" in out.stdout
    assert "### One long text" in out.stdout and "reading index loaded" in out.stdout


def test_list_shows_whole_file_names_and_no_year_zero(tmp_path):
    from app.cli import list_table

    store = tmp_path / "store"
    folder = tmp_path / "docs"
    folder.mkdir()
    long_name = "zielvereinbarung-2025-landkreis-musterstadt-mit-einem-sehr-langen-dateinamen-aus-dem-dms.txt"
    factory.write_txt(factory.musterstadt().text(), folder / long_name)
    (folder / "foerdergrundsaetze-aqb.txt").write_text(
        "Fördergrundsätze des Hessischen Ministeriums für Arbeit, Integration, Jugend und Soziales für das "
        "Ausbildungs- und Qualifizierungsbudget\n\n1. Zuwendungszweck\n\nDas Land fördert Maßnahmen, die benachteiligte "
        "Menschen in Ausbildung und Arbeit bringen.\n", encoding="utf-8")
    agreements("ingest", str(folder), store=store)
    out = agreements("list", store=store)
    assert out.stderr.startswith(f"Speicher: {store.resolve()}")
    lines = out.stdout.splitlines()
    row = next(line for line in lines if "musterstadt" in line)
    assert row.startswith(long_name + " ") and "Landkreis Musterstadt" in row and " 2025 " in row
    supporting = next(line for line in lines if line.startswith("foerdergrundsaetze-aqb.txt"))
    assert supporting.split()[1:4] == ["—", "—", "Begleitdok."]  # no district, and no year "0"
    header = lines[0]
    assert header.index("Jahr") == row.index(" 2025 ") + 1  # the year column lines up under its header
    assert list_table([]) == ["Datei Gebietskörperschaft Jahr Art Budget Proj. Abschn."]
