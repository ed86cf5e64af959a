"""The web chat (Gradio): ask with cited sources, browse the agreements, add new ones as admin.

The UI holds no logic of its own: it calls the Assistant and ingest, and shows the Answer object.
Document text is always shown escaped (the chatbot renders no Markdown or HTML).
"""


import csv
import html
import logging
import re
import shutil
import sqlite3
import tempfile
import threading
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from app.settings import Settings

log = logging.getLogger("agreements.web")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
UPLOAD_TYPES = [".pdf", ".txt", ".md"]
EXAMPLES = [
    "Wie viel Geld bekommt der Landkreis Gießen 2025?",
    "Welche Projekte finanziert Gießen?",
    "Wer hat die Vereinbarung unterschrieben?",
    "Welcher Kreis hat das höchste Budget?",
]
ALL = "— alle —"
CSS = ".sources blockquote{margin:.3em 0 .3em 1em;color:#333} .context .cited{background:#fff3b0} details summary{cursor:pointer}"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}


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
    """Thumbs up/down with question, answer and sources, in SQLite for later review."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        with sqlite3.connect(path) as db:
            db.execute("create table if not exists feedback (at text, user text, liked integer, question text, answer text, sources text)")

    def add(self, user: str, liked: bool, question: str, answer: str, sources: str) -> None:
        with sqlite3.connect(self.path) as db:
            db.execute("insert into feedback values (?, ?, ?, ?, ?, ?)",
                       (datetime.now(timezone.utc).isoformat(), user, int(liked), question, answer, sources))


def sources_html(answer, chunks: dict) -> str:
    """The sources of an answer, escaped; each opens to its whole paragraph and section."""
    if not answer.citations:
        return "<p>Keine Quellen.</p>"
    parts = ['<h3>Quellen</h3><ol class="sources">']
    for c in answer.citations:
        chunk = chunks.get(c.chunk_id)
        section = [x for x in chunks.values() if chunk and x.doc_id == chunk.doc_id and x.section == chunk.section]
        context = "".join(
            f"<p{' class=cited' if x.id == c.chunk_id else ''}>{html.escape(x.text).replace(chr(10), '<br>')}</p>"
            for x in sorted(section, key=lambda x: x.ordinal)
        )
        page = f", Seite {c.page}" if c.page else ""
        parts.append(
            f'<li class="source" id="source-{c.n}"><details><summary>[{c.n}] {html.escape(c.district)} {c.year}, '
            f"{html.escape(c.section)} {html.escape(c.title)}{page} – {html.escape(c.file)}"
            f'<blockquote class="quote">{html.escape(c.quote)}</blockquote></summary>'
            f'<div class="context"><h4>{html.escape(c.section)} {html.escape(c.title)}</h4>{context}</div></details></li>'
        )
    parts.append("</ol>")
    return "".join(parts)


def build_app(settings: Settings, users: dict[str, tuple[str, str]] | None = None):
    import gradio as gr
    import pandas as pd

    from domain.answer import Turn
    from ingest.pipeline import ingest_paths

    store = settings.open_store()
    assistant = settings.make_assistant(store)
    generating = hasattr(assistant, "stream")
    lock = threading.Lock()
    feedback = Feedback(settings.feedback_path)
    users = users or {}

    def refreshed():
        with lock:
            assistant.refresh()
        return assistant

    def role(request: gr.Request | None) -> str:
        if not users:
            return "admin"  # open mode runs on localhost only: the one local user administers
        name = getattr(request, "username", None) if request else None
        return users.get(name or "", ("", "user"))[1]

    def districts():
        return [ALL] + sorted({d.district for d in refreshed().catalog})

    def years():
        return [ALL] + [str(y) for y in sorted({d.year for d in refreshed().catalog}, reverse=True)]

    def ask(question: str, history: list, turns: list, district: str, year: str, use_llm: bool = True):
        question = (question or "").strip()
        if not question:
            yield history, turns, gr.update(), ""
            return
        a = refreshed()
        chosen = dict(district=None if district in (None, ALL) else district, year=None if year in (None, ALL) else int(year))
        history = history + [{"role": "user", "content": html.escape(question)}, {"role": "assistant", "content": ""}]
        answer = None
        if generating and use_llm:
            for shown, answer in a.stream(question, turns, **chosen):  # verified sentences only
                if answer is None:
                    history[-1]["content"] = html.escape(shown) + " …"
                    yield history, turns, gr.update(), ""
        else:
            answer = (a.assistant if generating else a).ask(question, turns, **chosen)
            words = html.escape(answer.answer).split(" ")
            for i in range(0, len(words), 6):  # show the answer progressively
                history[-1]["content"] = " ".join(words[: i + 6])
                yield history, turns, gr.update(), ""
        turns = turns + [Turn(question, answer)]
        text = html.escape(answer.answer)  # document text stays text: no HTML, no Markdown images or links
        if answer.notice:
            text = f"{html.escape(answer.notice)}\n\n{text}"
        history[-1]["content"] = text
        yield history, turns, sources_html(answer, a.chunks), ""

    def ask_api(question: str, district: str = "", year: str = "") -> dict:
        answer = refreshed().ask(question, district=district or None, year=int(year) if year else None)
        return asdict(answer)

    def new_conversation():
        return [], [], "<p>Neues Gespräch.</p>"

    def on_like(data: gr.LikeData, turns: list, request: gr.Request):
        index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        turn = turns[min(index // 2, len(turns) - 1)] if turns else None
        if turn is None:
            return
        sources = "; ".join(f"[{c.n}] {c.file} {c.section}" for c in turn.answer.citations)
        feedback.add(getattr(request, "username", None) or "lokal", bool(data.liked), turn.question, turn.answer.answer, sources)

    def library(year: str):
        a = refreshed()
        rows = []
        for d in a.catalog:
            rows.append({"Datei": d.doc_id, "Gebietskörperschaft": d.district, "Jahr": d.year,
                         "Art": "Änderung" if d.kind == "amendment" else "Zielvereinbarung",
                         "Budget (Euro)": d.budget_eur, "Projekte": len(d.projects)})
        table = pd.DataFrame(rows, columns=["Datei", "Gebietskörperschaft", "Jahr", "Art", "Budget (Euro)", "Projekte"])
        budgets = []
        for g in a.groups():
            current = g.current_budget
            if current is not None:
                budgets.append({"Gebietskörperschaft": g.district, "Jahr": g.year, "Budget": current.budget_eur})
        frame = pd.DataFrame(budgets, columns=["Gebietskörperschaft", "Jahr", "Budget"])
        chosen = int(year) if year and year != ALL else (int(frame["Jahr"].max()) if len(frame) else 0)
        this = frame[frame["Jahr"] == chosen].copy()
        before = frame[frame["Jahr"] == chosen - 1].set_index("Gebietskörperschaft")["Budget"]
        this["Veränderung zum Vorjahr"] = [
            (b - before[d]) if d in before.index else None for d, b in zip(this["Gebietskörperschaft"], this["Budget"])
        ]
        path = Path(tempfile.mkdtemp()) / f"budgets-{chosen}.csv"
        this.to_csv(path, index=False, quoting=csv.QUOTE_MINIMAL)
        return table, this, this, str(path)

    def projects_of(district: str):
        a = refreshed()
        docs = [d for d in a.catalog if d.district == district and d.projects]
        if not docs:
            return "Keine Projekte."
        doc = max(docs, key=lambda d: d.year)
        lines = [f"### {html.escape(district)} {doc.year}"]
        for category in doc.categories or [None]:
            lines.append(f"**{html.escape(category or 'Projekte')}**")
            lines += [f"- {html.escape(p.name)}" + (f" – {html.escape(p.amount_text)}" if p.amount_text else "")
                      for p in doc.projects if p.category == category]
        return "\n".join(lines)

    def upload(files, request: gr.Request, progress=gr.Progress()):
        if role(request) != "admin":
            return "Nur Administratoren dürfen Vereinbarungen hinzufügen."
        if not files:
            return "Keine Datei gewählt."
        lines = []
        staging = Path(tempfile.mkdtemp(prefix="upload-"))
        try:
            accepted = []
            for f in files:
                source = Path(f if isinstance(f, str) else f.name)
                name = safe_name(getattr(f, "orig_name", None) or source.name)
                if Path(name).suffix.lower() not in UPLOAD_TYPES:
                    lines.append(f"abgelehnt: {name}: nur PDF, TXT oder Markdown")
                elif source.stat().st_size > MAX_UPLOAD_BYTES:
                    lines.append(f"abgelehnt: {name}: größer als {MAX_UPLOAD_BYTES // 1024 // 1024} MB")
                else:
                    target = staging / name
                    shutil.copyfile(source, target)
                    accepted.append(target)
            for i, path in enumerate(accepted):
                progress((i, len(accepted)), desc=path.name)
                lines += [r.line() for r in ingest_paths([path], store)]
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        return "\n".join(lines)

    with gr.Blocks(title="Zielvereinbarungen – Assistent") as app:
        gr.Markdown("# Zielvereinbarungen zum Ausbildungs- und Qualifizierungsbudget\n"
                    "Antworten mit Quellenangabe aus den eingelesenen Vereinbarungen.")
        turns = gr.State([])
        with gr.Tab("Chat", id="chat"):
            with gr.Row():
                district = gr.Dropdown(choices=districts(), value=ALL, label="Gebietskörperschaft", elem_id="filter-district")
                year = gr.Dropdown(choices=years(), value=ALL, label="Jahr", elem_id="filter-year")
                new = gr.Button("Neues Gespräch", elem_id="new-conversation")
            use_llm = gr.Checkbox(value=True, visible=generating, elem_id="use-llm",
                                  label="Antwort vom Sprachmodell formulieren lassen (jede Zahl wird gegen die Quellen geprüft)")
            chat = gr.Chatbot(label="Gespräch", render_markdown=False, sanitize_html=True, height=420, elem_id="chat")
            with gr.Row():
                box = gr.Textbox(label="Ihre Frage", placeholder="z. B. Wie viel Geld bekommt der Landkreis Gießen 2025?",
                                 scale=5, elem_id="question")
                send = gr.Button("Fragen", variant="primary", scale=1, elem_id="ask")
            gr.Examples(EXAMPLES, inputs=box, label="Beispielfragen")
            sources = gr.HTML("<p>Die Quellen der Antwort erscheinen hier.</p>", elem_id="sources")
        with gr.Tab("Vereinbarungen", id="library"):
            table = gr.Dataframe(label="Eingelesene Vereinbarungen", interactive=False, elem_id="documents")
            lib_year = gr.Dropdown(choices=years(), value=ALL, label="Jahr für den Budgetvergleich", elem_id="library-year")
            plot = gr.BarPlot(x="Gebietskörperschaft", y="Budget", label="Budgets nach Gebietskörperschaft")
            budget_table = gr.Dataframe(label="Budgets und Veränderung zum Vorjahr", interactive=False, elem_id="budgets")
            download = gr.File(label="Tabelle als CSV")
            lib_district = gr.Dropdown(choices=districts()[1:], label="Projekte einer Gebietskörperschaft", elem_id="library-district")
            projects = gr.Markdown()
        with gr.Tab("Einlesen (Admin)", id="upload"):
            files = gr.File(file_count="multiple", file_types=UPLOAD_TYPES, label="PDF, TXT oder Markdown", elem_id="upload-files")
            add = gr.Button("Einlesen", elem_id="upload-button")
            result = gr.Textbox(label="Ergebnis", lines=6, elem_id="upload-result")

        outputs = [chat, turns, sources, box]
        send.click(ask, [box, chat, turns, district, year, use_llm], outputs, api_name="chat")
        box.submit(ask, [box, chat, turns, district, year, use_llm], outputs, api_name="chat_submit", api_visibility="private")
        new.click(new_conversation, None, [chat, turns, sources], api_name="new_conversation")
        chat.like(on_like, [turns], None, api_name="feedback", api_visibility="private")
        lib_year.change(library, lib_year, [table, plot, budget_table, download], api_name="library")
        lib_district.change(projects_of, lib_district, projects, api_name="projects")
        add.click(upload, files, result, api_name="upload").then(
            lambda: (gr.update(choices=districts()), gr.update(choices=years())), None, [district, year],
            api_name="refresh_filters", api_visibility="private")
        app.load(library, lib_year, [table, plot, budget_table, download], api_name="library_load", api_visibility="private")
        gr.api(ask_api, api_name="ask")
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> int:
    import gradio as gr

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    users = parse_users(settings.users)
    if not users and host not in LOOPBACK:
        log.error("Abgelehnt: ohne eingerichtete Benutzer (AGREEMENTS_USERS) läuft der Web-Chat nur auf 127.0.0.1.")
        return 2
    if not users:
        log.info("Keine Benutzer eingerichtet: offener Zugang, nur auf %s.", host)
    started = time.time()
    try:
        app = build_app(settings, users)
    except (ValueError, RuntimeError) as exc:  # a wrong LLM setting: say which, start nothing
        log.error("Fehler: %s", exc)
        return 2
    if settings.llm not in ("", "none"):
        log.info("Sprachmodell: %s %s (Antworten werden gegen die Quellen geprüft)", settings.llm,
                 settings.llm_model or settings.llm_model_path)
    auth = [(name, password) for name, (password, _) in users.items()] or None
    log.info("Web-Chat bereit nach %.1f s: http://%s:%d", time.time() - started, host, port)
    app.queue(default_concurrency_limit=8).launch(
        server_name=host, server_port=port, auth=auth, show_error=True, max_file_size=MAX_UPLOAD_BYTES, ssr_mode=False, css=CSS,
        theme=gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]),  # no web fonts
    )
    return 0
