"""The web chat (Gradio): ask with cited sources, browse the agreements, look up terms, add new agreements.

The UI holds no answer logic: it calls the Assistant (`ask`, or `stream` with a language model), the
library service (`assistant/library.py`) and the glossary (`assistant/glossary.py`), and renders their
results with `app/web_layout.py`, which escapes every piece of document text.
"""


import atexit
import hashlib
import json
import logging
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from app import web_layout as layout
from app.settings import Settings
from app.web_page import GermanPage
from app.web_security import LOOPBACK_HOSTS, LoginThrottle, LoopbackOnly
from app.web_style import CSS, SCRIPT, SHOW_LATEST, theme

log = logging.getLogger("agreements.web")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_QUESTION_CHARS = 2000


def upload_types() -> list[str]:
    """The file types ingest reads, as the registry in ingest/readers.py declares them (.doc and the other
    LibreOffice formats too: without LibreOffice, ingest says what to install)."""
    from ingest.readers import SUFFIXES

    return sorted(SUFFIXES)


EXAMPLES = [
    "Wie viel Geld bekommt der Landkreis Gießen 2025?",
    "Welche Projekte finanziert Gießen?",
    "Wer hat die Vereinbarung für Gießen unterschrieben?",
    "Welcher Kreis hat das höchste Budget?",
    "Was ist BaE?",
]
ALL = "— alle —"
PRODUCT = "Zielvereinbarungs-Assistent"
LOGIN_MESSAGE = (f"<strong>{PRODUCT}</strong> – Antworten mit Quellenangabe zu den Zielvereinbarungen zum Ausbildungs- "
                 "und Qualifizierungsbudget (AQB) in Hessen: Budgets, Projekte, Unterschriften und Fristen. "
                 "Bitte melden Sie sich mit Ihrem Benutzernamen und Passwort an.")
UPLOAD_OPEN = ("Offener Zugang: Ohne eingerichtete Benutzerkonten darf jede Person, die den Web-Chat auf diesem Computer "
               "öffnet, Vereinbarungen hinzufügen. Für Anmeldung mit Rollen richtet die Administration "
               "AGREEMENTS_USERS ein (siehe README).")
UPLOAD_ADMINS = "Nur angemeldete Administratorinnen und Administratoren dürfen Vereinbarungen hinzufügen."

LOOPBACK = LOOPBACK_HOSTS


def parse_users(spec: str) -> dict[str, tuple[str, str]]:
    """'anna:geheim:admin,bert:pw:user' -> {'anna': ('geheim', 'admin'), 'bert': ('pw', 'user')}."""
    users = {}
    for entry in filter(None, (e.strip() for e in spec.split(","))):
        name, _, rest = entry.partition(":")
        password, _, role = rest.partition(":")
        users[name] = (password, role or "user")
    return users


def safe_name(name: str) -> str:
    """A file name without folders or odd characters (no path traversal)."""
    base = Path(name.replace("\\", "/")).name
    base = re.sub(r"[^\w.\-äöüÄÖÜß]+", "_", base).lstrip(".")
    return base[:120] or "upload"


class Feedback:
    """Thumbs up/down with question, answer, sources and an optional reason, in SQLite for later review."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._prepare()
        except (sqlite3.Error, OSError) as exc:  # a read-only or full folder: the chat still answers
            log.warning("Rückmeldungen können derzeit nicht gespeichert werden (%s): %s", path, exc)

    def _prepare(self) -> None:
        """The folder and the table, made if missing (again at each thumb, so a folder that becomes writable works)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(self.path) as db:
            db.execute("create table if not exists feedback (at text, user text, liked integer, question text, answer text, sources text)")
            columns = {row[1] for row in db.execute("pragma table_info(feedback)")}
            for column in ("reason", "citations"):
                if column not in columns:
                    db.execute(f"alter table feedback add column {column} text")

    def add(self, user: str, liked: bool, question: str, answer: str, sources: str, reason: str = "",
            citations: str = "[]") -> None:
        self._prepare()
        with sqlite3.connect(self.path) as db:
            db.execute("insert into feedback (at, user, liked, question, answer, sources, reason, citations) values (?, ?, ?, ?, ?, ?, ?, ?)",
                       (datetime.now(timezone.utc).isoformat(), user, int(liked), question, answer, sources, reason, citations))


def question_problem(question: str) -> str:
    """Why a question cannot be asked as it stands ('' when it can)."""
    if not question.strip():
        return "Bitte geben Sie eine Frage ein."
    if len(question) > MAX_QUESTION_CHARS:
        return (f"Die Frage ist zu lang ({len(question):,} Zeichen, höchstens {MAX_QUESTION_CHARS:,}). "
                "Bitte kürzen Sie sie – Ihr Text bleibt im Eingabefeld.").replace(",", ".")
    return ""


def _message(text: str) -> str:
    return f'<p role="alert">{layout.esc(text)}</p>' if text else ""


def api_problem(question, district, year) -> str:
    """Why the values of an API call cannot be used ('' when they can): wrong types said in German,
    never as a Python error."""
    if not isinstance(question, str):
        return "Ungültige Anfrage: „question“ muss ein Text sein."
    if district is not None and not isinstance(district, str):
        return "Ungültige Anfrage: „district“ muss ein Text sein (der Name einer Gebietskörperschaft) oder leer."
    if year not in (None, "") and (isinstance(year, bool) or not isinstance(year, (int, str))
                                   or not re.fullmatch(r"\d{4}", str(year).strip())):
        return "Ungültige Anfrage: „year“ muss eine Jahreszahl sein, z. B. 2025, oder leer."
    return question_problem(question)


EXPORT_SCRIPT = """() => {
  const source = document.querySelector('#conversation pre.export-md');
  if (!source) return;
  const url = URL.createObjectURL(new Blob([source.textContent], {type: 'text/markdown;charset=utf-8'}));
  const link = Object.assign(document.createElement('a'), {href: url, download: 'gespraech.md'});
  document.body.appendChild(link); link.click(); link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}"""


def with_export(conversation: str, markdown: str) -> str:
    """The conversation with its Markdown export beside it, hidden: the browser saves it only when asked
    ("Gespräch als Markdown"), so no conversation is ever written to the server's disk."""
    return conversation + f'<pre class="export-md" hidden>{layout.esc(markdown)}</pre>'


def in_upload_folder(path: Path) -> bool:
    """Whether a file lies in Gradio's upload folder: an API call may name any path on the server."""
    from gradio.utils import get_upload_folder

    try:
        return path.resolve().is_relative_to(Path(get_upload_folder()).resolve())
    except OSError:
        return False


def upload_name(name: str, digest: str, committed: dict[str, str], replace: bool) -> str:
    """The identity an uploaded file gets: its own name, unless another document holds that name with
    other content and replacing was not confirmed ("zielvereinbarung-2.txt")."""
    if replace:
        return name
    stem, suffix = Path(name).stem, Path(name).suffix
    candidate, n = name, 2
    while committed.get(candidate, digest) != digest:
        candidate, n = f"{stem}-{n}{suffix}", n + 1
    return candidate


def ingest_in_worker(path: Path, settings: Settings, timeout: float) -> tuple[list[dict], str]:
    """Ingest one file in a child process (`agreements ingest --json`): a full disk, a hung write or a
    file that eats memory stalls or ends the child, never the web chat, which follows the store's writes.
    Returns the per-file results and an error message ('' if none)."""
    location = ["--chroma-url", settings.chroma_url] if settings.chroma_url else ["--store", settings.store]
    env = dict(os.environ, AGREEMENTS_MAX_FILE_MB=str(settings.max_file_mb), AGREEMENTS_EMBEDDER=settings.embedder,
               AGREEMENTS_COLLECTION=settings.collection, AGREEMENTS_WRITE_TIMEOUT=str(settings.write_timeout),
               AGREEMENTS_LOCK_TIMEOUT=str(min(settings.lock_timeout, timeout)))
    command = [sys.executable, "-m", "app.cli", "ingest", "--json", str(path), *location]
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, env=env,
                              cwd=Path(__file__).resolve().parent.parent)
    except subprocess.TimeoutExpired:
        return [], f"Einlesen nach {timeout:.0f} s abgebrochen; bitte später erneut versuchen."
    results = []
    for line in done.stdout.decode("utf-8", "replace").splitlines():
        try:
            results.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    errors = [line.removeprefix("Fehler: ") for line in done.stderr.decode("utf-8", "replace").splitlines()
              if line.startswith("Fehler: ")]
    if not results and not errors and done.returncode not in (0, 1):
        errors = [f"Einlesen fehlgeschlagen (Status {done.returncode})"]
    return results, " ".join(errors)


def build_app(settings: Settings, users: dict[str, tuple[str, str]] | None = None):
    import gradio as gr

    from assistant import glossary, library
    from domain.answer import Answer, Turn
    from ingest.pipeline import FAILED
    from ingest.readers import ACCEPTED
    from vectorstore.store import StoreMissing, full_message, is_full_error

    store = settings.open_store()
    if store.read_only:
        log.warning(store.read_only_notice())  # said once, at the start
    assistant = settings.make_assistant(store)
    generating = assistant.phraser is not None
    core = assistant
    lock = threading.Lock()
    feedback = Feedback(settings.feedback_path)
    uploads = Path(settings.store).expanduser().resolve().parent / "uploads"
    # the files the pages offer for download (budget CSV, original agreements): one folder, removed at exit
    scratch = Path(tempfile.mkdtemp(prefix="agreements-web-"))
    atexit.register(shutil.rmtree, scratch, True)
    types = upload_types()
    users = users or {}

    def refreshed():
        with lock:
            assistant.refresh()
        return core

    def generation() -> str:
        return repr(store.generation())

    def user_of(request) -> str:
        return getattr(request, "username", None) or "lokal"

    def role(request: gr.Request | None) -> str:
        if not users:
            return "admin"  # open mode runs on loopback only: the one local user administers
        return users.get(user_of(request), ("", "user"))[1]

    # -- chat ----------------------------------------------------------------------------------------
    def ask(question: str, turns: list, district: str, year: str, use_llm: bool = True, request: gr.Request = None):
        question = question or ""
        problem = api_problem(question, district, None)  # a chat call through the API may send any JSON
        try:
            a = refreshed()
        except StoreMissing as exc:
            problem = str(exc)
        if problem:
            yield gr.skip(), turns, gr.skip(), _message(problem), gr.skip(), gr.skip()
            return
        question = question.strip()
        known_districts = set(library.districts(a.catalog))
        year = year if isinstance(year, (str, int)) and not isinstance(year, bool) else None
        chosen = dict(district=district if district in known_districts else None,
                      year=int(year) if year and str(year).isdigit() else None)
        started = time.time()
        yield layout.conversation_html(turns, a.chunks, (question, None)), turns, "", "", gr.skip(), gr.skip()
        answer = None
        if generating and use_llm:
            for shown, answer in assistant.stream(question, turns, **chosen):  # verified sentences only
                if answer is None:
                    partial = Answer(shown + " …")
                    yield layout.conversation_html(turns, a.chunks, (question, partial)), turns, "", "", gr.skip(), gr.skip()
        else:
            answer = a.ask(question, turns, use_llm=False, **chosen)
        turns = turns + [Turn(question, answer)]
        log.info("Frage beantwortet in %.0f ms: %s, %s%s", (time.time() - started) * 1000, answer.intent,
                 library.count(len(answer.citations), "Quelle", "Quellen"), ", keine Antwort gefunden" if answer.abstained else "")
        conversation_view = with_export(layout.conversation_html(turns, a.chunks), layout.conversation_markdown(turns, a.chunks))
        yield conversation_view, turns, "", "", gr.update(visible=True), gr.update(visible=True)

    def ask_api(question: str, district: str = "", year: str = "") -> dict:
        problem = api_problem(question, district if district != "" else None, year)
        if problem:
            return asdict(Answer(problem, abstained=True, intent="invalid"))
        try:
            answer = refreshed().ask(question.strip(), district=district or None, year=int(year) if year else None)
        except StoreMissing as exc:
            return asdict(Answer(str(exc), abstained=True, intent="error"))
        except Exception:  # logged here with its traceback; the client gets a sentence
            log.exception("Fehler beim Beantworten von %r", question[:200])
            return asdict(Answer("Die Frage konnte wegen eines internen Fehlers nicht beantwortet werden; "
                                 "bitte erneut versuchen.", abstained=True, intent="error"))
        return asdict(answer)

    def new_conversation():
        return (layout.conversation_html([], {}), [], "", gr.update(visible=False),
                gr.update(visible=False), gr.update(visible=False), "", "")

    def store_feedback(turns: list, liked: bool, reason: str, request) -> str:
        if not turns:
            return ""
        turn = turns[-1]
        sources = "; ".join(f"[{c.n}] {c.file} {c.section}" for c in turn.answer.citations)
        citations = json.dumps([asdict(c) for c in turn.answer.citations], ensure_ascii=False)
        try:
            feedback.add(user_of(request), liked, turn.question, turn.answer.answer, sources, reason.strip()[:2000], citations)
        except (sqlite3.Error, OSError) as exc:
            log.warning("Rückmeldung nicht gespeichert: %s", exc)
            full = " (Speicher voll)" if is_full_error(exc) else ""
            return f"<p role='alert'>Ihre Rückmeldung konnte nicht gespeichert werden{full}. Bitte später erneut versuchen.</p>"
        log.info("Rückmeldung gespeichert: %s%s", "hilfreich" if liked else "nicht hilfreich", ", mit Begründung" if reason.strip() else "")
        return "<p role='status'>Danke! Ihre Rückmeldung ist gespeichert.</p>"

    def thumbs_up(turns: list, request: gr.Request):
        return store_feedback(turns, True, "", request), gr.update(visible=False)

    def thumbs_down():
        return "<p role='status'>Was war nicht hilfreich? Die Begründung ist freiwillig.</p>", gr.update(visible=True)

    def send_reason(reason: str, turns: list, request: gr.Request):
        return store_feedback(turns, False, reason or "", request), gr.update(visible=False), ""

    # -- library, Steckbrief, glossary -------------------------------------------------------------------
    def library_views(year_value, profile_value):
        a = refreshed()
        catalog = a.catalog
        years = library.budget_years(catalog)
        year = int(year_value) if str(year_value or "").isdigit() and int(year_value) in years else (years[0] if years else None)
        year, rows = library.budgets(catalog, year)
        keys = library.profile_keys(catalog)
        key = profile_value if profile_value in [k for _, k in keys] else (keys[0][1] if keys else None)
        csv_path = None
        if rows:
            content = library.budgets_csv(rows)
            csv_path = scratch / hashlib.sha256(content.encode()).hexdigest()[:16] / f"budgets-{year}.csv"
            try:
                csv_path.parent.mkdir(exist_ok=True)
                csv_path.write_text(content, encoding="utf-8-sig")
            except OSError as exc:  # a full disk: the page still shows, without the CSV
                log.warning("Budget-CSV nicht geschrieben: %s", exc)
                csv_path = None
        return [
            gr.update(choices=[str(y) for y in years], value=str(year) if year else None),
            gr.update(choices=keys, value=key),
            layout.cards_table(library.document_rows(catalog), "Eingelesene Dokumente", "documents-table"),
            layout.budget_chart(year, rows),
            layout.cards_table([r.cells() for r in rows], f"Budgets {year or ''} und Veränderung zum Vorjahr", "budgets-table"),
            gr.update(value=str(csv_path) if csv_path else None, visible=bool(csv_path)),
            *profile_views(key),
        ]

    def profile_views(key):
        p = library.profile(refreshed().catalog, key) if key else None
        original = None
        if p:
            source = next((path for _, path in p.files if path and Path(path).is_file()), None)
            if source:
                original = scratch / hashlib.sha256(source.encode()).hexdigest()[:16] / Path(source).name
                try:
                    original.parent.mkdir(exist_ok=True)
                    shutil.copyfile(source, original)
                except OSError as exc:
                    log.warning("Originaldatei nicht bereitgestellt: %s", exc)
                    original = None
        return [layout.profile_html(p), gr.update(value=str(original) if original else None, visible=bool(original)),
                gr.update(visible=p is not None)]

    glossary_cache: dict[str, str] = {}

    def glossary_view():
        """The glossary with its passages, built once per state of the store (it scans every chunk)."""
        key = generation()
        if key not in glossary_cache:
            chunks = list(refreshed().chunks.values())
            glossary_cache.clear()
            glossary_cache[key] = layout.glossary_html([(e, glossary.passages(e, chunks)) for e in glossary.entries()])
        return glossary_cache[key]

    def header_alert(text: str) -> str:
        return f'<h1>Zielvereinbarungen</h1><p class="stand" role="alert">{layout.esc(text)}</p>'

    def header_html():
        return ('<h1>Zielvereinbarungen <span class="long-title">zum Ausbildungs- und Qualifizierungsbudget</span>'
                '<span class="short-title">(AQB)</span></h1>'
                f'<p class="stand">Stand: {layout.esc(library.stand(refreshed().catalog))}</p>')

    def page(seen, chat_district, chat_year, year_value, profile_value, force=False):
        """Everything that depends on the agreements on file; skipped when nothing changed since `seen`."""
        try:
            now = generation()
        except StoreMissing as exc:  # said on every open page; the next ingest creates the store again
            return [gr.skip(), header_alert(str(exc))] + [gr.skip()] * 12
        if now == seen and not force:
            return [gr.skip()] * 14
        a = refreshed()
        districts = [ALL] + library.districts(a.catalog)
        years = [ALL] + [str(y) for y in library.years(a.catalog)]
        return [now, header_html(),
                gr.update(choices=districts, value=chat_district if chat_district in districts else ALL),
                gr.update(choices=years, value=chat_year if chat_year in years else ALL),
                *library_views(year_value, profile_value), glossary_view()]

    def load(chat_district, chat_year, year_value, profile_value):
        return page(None, chat_district, chat_year, year_value, profile_value, force=True)

    def ask_about(key):
        p = library.profile(refreshed().catalog, key) if key else None
        if p is None:
            return gr.skip(), gr.skip(), gr.skip(), gr.skip()
        return p.question, p.district, str(p.year), gr.Tabs(selected="chat")

    # -- upload --------------------------------------------------------------------------------------
    def upload(files, replace: bool = False, request: gr.Request = None, progress=gr.Progress()):
        if role(request) != "admin":
            return UPLOAD_ADMINS
        if store.read_only:
            return store.read_only_notice()
        if not files:
            return "Keine Datei gewählt."
        if not isinstance(files, list):
            files = [files]
        lines = []
        uploads.mkdir(parents=True, exist_ok=True)
        accepted = []
        for f in files:
            raw = f if isinstance(f, str) else getattr(f, "name", None) or (f.get("path") if isinstance(f, dict) else None)
            if not isinstance(raw, str):
                lines.append("abgelehnt: ungültige Dateiangabe")
                continue
            source = Path(raw)
            name = safe_name(getattr(f, "orig_name", None) or source.name)
            if not in_upload_folder(source) or not source.is_file():  # a server path named by the client
                log.warning("Abgelehnt: Upload von %s nennt einen Pfad außerhalb des Upload-Ordners: %r", user_of(request), raw)
                lines.append(f"abgelehnt: {name}: keine hochgeladene Datei (nur Dateien aus dem Upload werden eingelesen)")
            elif Path(name).suffix.lower() not in types:
                lines.append(f"abgelehnt: {name}: kein unterstütztes Dokument (erlaubt: {ACCEPTED})")
            elif source.stat().st_size > MAX_UPLOAD_BYTES:
                lines.append(f"abgelehnt: {name}: größer als {MAX_UPLOAD_BYTES // 1024 // 1024} MiB")
            else:
                accepted.append((source, name))
        committed = store.committed()
        for i, (source, name) in enumerate(accepted):
            progress((i, len(accepted)), desc=name)
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            chosen = upload_name(name, digest, committed, bool(replace))
            if chosen != name:
                lines.append(f"Hinweis: {name} ist schon mit anderem Inhalt eingelesen; die neue Datei kommt als {chosen} "
                             "dazu, die vorhandene bleibt. Zum Ersetzen „Gleichnamige Datei ersetzen“ ankreuzen.")
            kept = uploads / chosen  # kept for the Steckbrief's download of the original
            previous = kept.read_bytes() if kept.is_file() else None
            try:
                shutil.copyfile(source, kept)
            except OSError as exc:
                lines.append(f"{chosen} wurde nicht eingelesen: " + (full_message(str(uploads)) if is_full_error(exc) else str(exc)))
                kept.unlink(missing_ok=True)
                continue
            results, error = ingest_in_worker(kept, settings, timeout=settings.write_timeout * 2 + 300)
            for r in results:  # a refusal said as a sentence: "bild.pdf wurde nicht eingelesen: …"
                lines.append(f"{r['file']} wurde nicht eingelesen: {r['reason']}" if r["status"] == FAILED else r["line"])
                log.info("Hochgeladen von %s: %s", user_of(request), r["line"])
            if error:
                lines.append(f"{chosen} wurde nicht eingelesen: {error}")
                log.warning("Hochladen von %s: %s", chosen, error)
            if error or not results or any(r["status"] == FAILED for r in results):
                if previous is None:
                    kept.unlink(missing_ok=True)
                else:  # the stored agreement still is the earlier file
                    kept.write_bytes(previous)
            else:
                committed[chosen] = digest
        return "\n".join(lines)

    # -- layout --------------------------------------------------------------------------------------
    with gr.Blocks(title="Zielvereinbarungen – Assistent", delete_cache=(3600, 3600)) as app:
        turns = gr.State([])
        seen = gr.State(None)
        header = gr.HTML(elem_id="header")
        with gr.Tabs(selected="chat", overflow_behavior="wrap", elem_id="tabs") as tabs:
            with gr.Tab("Chat", id="chat"):
                with gr.Row(equal_height=True):
                    district = gr.Dropdown(choices=[ALL], value=ALL, label="Gebietskörperschaft", elem_id="filter-district",
                                           allow_custom_value=True, scale=3)
                    year = gr.Dropdown(choices=[ALL], value=ALL, label="Jahr", elem_id="filter-year", allow_custom_value=True, scale=1)
                    new = gr.Button("Neues Gespräch", elem_id="new-conversation", scale=1, size="sm")
                use_llm = gr.Checkbox(value=True, visible=generating, elem_id="use-llm",
                                      label="Antwort vom Sprachmodell formulieren lassen (jede Zahl wird gegen die Quellen geprüft)")
                conversation = gr.HTML(layout.conversation_html([], {}), elem_id="conversation")
                with gr.Row(visible=False, elem_id="feedback") as feedback_row:
                    gr.HTML("<span>War die Antwort hilfreich?</span>", elem_id="feedback-question")
                    up = gr.Button("Hilfreich", elem_id="thumbs-up", size="sm", scale=0, min_width=60)
                    down = gr.Button("Nicht hilfreich", elem_id="thumbs-down", size="sm", scale=0, min_width=60)
                    export = gr.Button("Gespräch als Markdown", elem_id="export", size="sm", visible=False, scale=0, min_width=60)
                with gr.Row(visible=False, elem_id="feedback-reason") as reason_row:
                    reason = gr.Textbox(label="Begründung (freiwillig)", elem_id="reason", scale=4)
                    send_reason_button = gr.Button("Rückmeldung senden", elem_id="send-reason", scale=1)
                feedback_status = gr.HTML(elem_id="feedback-status")
                gr.HTML('<div class="example-chips" aria-label="Beispielfragen"><span>Beispielfragen: </span>'
                        + "".join(f'<button type="button" class="ask-chip" data-question="{layout.esc(q)}">{layout.esc(q)}</button>'
                                  for q in EXAMPLES) + "</div>", elem_id="examples")
                message = gr.HTML(elem_id="chat-message")
                with gr.Row(elem_id="composer", equal_height=True):
                    box = gr.Textbox(label="Ihre Frage", placeholder="z. B. Wie viel Geld bekommt der Landkreis Gießen 2025?",
                                     scale=5, lines=1, max_lines=4, elem_id="question", autofocus=True)
                    send = gr.Button("Fragen", variant="primary", scale=1, elem_id="ask", min_width=80)
            with gr.Tab("Vereinbarungen", id="library"):
                documents = gr.HTML(elem_id="documents")
                with gr.Row():
                    lib_year = gr.Dropdown(label="Jahr für den Budgetvergleich", elem_id="library-year", allow_custom_value=True)
                chart = gr.HTML(elem_id="budget-chart")
                budget_table = gr.HTML(elem_id="budgets")
                download = gr.DownloadButton("Budgets als CSV", elem_id="budgets-csv", visible=False, size="sm")
                gr.HTML("<h2>Steckbrief mit Projekten</h2>")  # the one place that lists a district's projects
                profile_select = gr.Dropdown(label="Vereinbarung", elem_id="profile-select", allow_custom_value=True)
                profile = gr.HTML(elem_id="profile")
                with gr.Row():
                    original = gr.DownloadButton("Originaldatei herunterladen", elem_id="profile-download", visible=False, size="sm")
                    profile_ask = gr.Button("Im Chat dazu fragen", elem_id="profile-ask", visible=False, size="sm")
            with gr.Tab("Glossar", id="glossary"):
                glossary_panel = gr.HTML(elem_id="glossary")
            with gr.Tab("Einlesen", id="upload"):
                gr.HTML(f"<p>Vereinbarungen als {layout.esc(', '.join(t.lstrip('.').upper() for t in types))} hochladen. "
                        "Neue Vereinbarungen erscheinen danach in allen geöffneten Seiten.</p>"
                        f'<p class="upload-access">{layout.esc(UPLOAD_ADMINS if users else UPLOAD_OPEN)}</p>',
                        elem_id="upload-help")
                files = gr.File(file_count="multiple", file_types=types, label="Dateien", elem_id="upload-files")
                replace_box = gr.Checkbox(value=False, label="Gleichnamige Datei ersetzen (sonst kommt eine Datei mit schon "
                                          "vergebenem Namen als eigene Vereinbarung dazu)", elem_id="upload-replace")
                add = gr.Button("Einlesen", elem_id="upload-button", variant="primary")
                result = gr.Textbox(label="Ergebnis", lines=6, elem_id="upload-result", interactive=False)
        timer = gr.Timer(5)

        page_inputs = [district, year, lib_year, profile_select]
        page_outputs = [seen, header, district, year, lib_year, profile_select, documents, chart, budget_table,
                        download, profile, original, profile_ask, glossary_panel]
        ask_inputs = [box, turns, district, year, use_llm]
        ask_outputs = [conversation, turns, box, message, export, feedback_row]
        for trigger, name in ((send.click, "chat"), (box.submit, "chat_submit")):
            trigger(ask, ask_inputs, ask_outputs, api_name=name, api_visibility="public" if name == "chat" else "private",
                    show_progress="hidden").then(None, js=SHOW_LATEST)
        new.click(new_conversation, None, [conversation, turns, box, export, feedback_row, reason_row, feedback_status, message],
                  api_name="new_conversation")
        up.click(thumbs_up, [turns], [feedback_status, reason_row], api_visibility="private")
        down.click(thumbs_down, None, [feedback_status, reason_row], api_visibility="private")
        send_reason_button.click(send_reason, [reason, turns], [feedback_status, reason_row, reason], api_visibility="private")
        lib_year.input(library_views, [lib_year, profile_select], page_outputs[4:13], api_name="library")
        profile_select.input(profile_views, profile_select, [profile, original, profile_ask], api_name="profile")
        profile_ask.click(ask_about, profile_select, [box, district, year, tabs], api_visibility="private").then(
            ask, ask_inputs, ask_outputs, show_progress="hidden", api_name="chat_profile", api_visibility="private").then(
            None, js=SHOW_LATEST)
        export.click(None, js=EXPORT_SCRIPT)
        add.click(upload, [files, replace_box], result, api_name="upload").then(
            lambda s, *rest: page(s, *rest, force=True), [seen, *page_inputs], page_outputs, api_visibility="private")
        timer.tick(page, [seen, *page_inputs], page_outputs, api_visibility="private", show_progress="hidden")
        app.load(load, page_inputs, page_outputs, api_name="page_load", api_visibility="private")
        gr.api(ask_api, api_name="ask")
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> int:
    """Run the web chat until Ctrl+C or SIGTERM, which end it normally (exit status 0), also while it loads."""
    stop_on_sigterm()
    try:
        return _serve(settings, host, port)
    except KeyboardInterrupt:  # uvicorn shuts down on the signal, then raises it again
        log.info("Web-Chat beendet.")
        return 0


def _serve(settings: Settings, host: str, port: int) -> int:
    import gradio as gr
    import uvicorn
    from fastapi import FastAPI

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    users = parse_users(settings.users)
    if not users and host not in LOOPBACK:
        log.error("Abgelehnt: ohne eingerichtete Benutzer (AGREEMENTS_USERS) läuft der Web-Chat nur auf 127.0.0.1.")
        return 2
    if not users:
        log.info("Keine Benutzer eingerichtet: offener Zugang, nur über %s (Host- und Origin-Prüfung aktiv).", host)
    started = time.time()
    log.info("Lade die Vereinbarungen aus %s …", settings.location)
    try:
        blocks = build_app(settings, users)
    except (ValueError, RuntimeError) as exc:  # a wrong LLM setting or an unusable store: say which, start nothing
        log.error("Fehler: %s", exc)
        return 2
    if settings.llm not in ("", "none"):
        log.info("Sprachmodell: %s %s (Antworten werden gegen die Quellen geprüft)", settings.llm,
                 settings.llm_model or settings.llm_model_path)
    blocks.queue(default_concurrency_limit=8)
    server = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    auth = [(name, password) for name, (password, _) in users.items()] or None
    server = gr.mount_gradio_app(
        server, blocks, path="/", auth=auth, auth_message=LOGIN_MESSAGE, footer_links=[], run_history=False, show_error=True,
        max_file_size=MAX_UPLOAD_BYTES, ssr_mode=False, css=CSS, head=SCRIPT, server_name=host, server_port=port,
        theme=theme(),
    )
    # Gradio accepts only files from its upload folder for launched apps; a mounted app counts as not launched,
    # and then any server path an API call names ({"path": "/etc/passwd"}) was read as an upload
    blocks.has_launched = True
    guarded = GermanPage(LoginThrottle(server), title=PRODUCT)
    if not users:
        guarded = LoopbackOnly(guarded)
    # X-Forwarded-For counts only from the reverse proxies named in AGREEMENTS_TRUSTED_PROXIES: otherwise any
    # client could name a new address per login try and never meet the throttle
    proxies = [p.strip() for p in settings.trusted_proxies.split(",") if p.strip()]
    config = uvicorn.Config(guarded, host=host, port=port, log_level="warning", access_log=False,
                            timeout_graceful_shutdown=3, proxy_headers=bool(proxies), forwarded_allow_ips=proxies or None)

    class Server(uvicorn.Server):
        async def startup(self, sockets=None) -> None:
            await super().startup(sockets=sockets)
            if self.started:  # "bereit" once it listens: a Ctrl+C from then on meets uvicorn's own shutdown
                log.info("Web-Chat bereit nach %.1f s: http://%s:%d", time.time() - started,
                         host if ":" not in host else f"[{host}]", port)

    Server(config).run()
    log.info("Web-Chat beendet.")
    return 0


def stop_on_sigterm() -> None:
    """SIGTERM ends the server like Ctrl+C (KeyboardInterrupt), so `serve` returns 0 instead of dying of the signal."""
    import signal

    def interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, interrupt)
