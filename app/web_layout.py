"""HTML for the web chat: answers with their sources, the budget chart, tables as cards, Steckbrief, glossary.

Everything here is presentation. Document text (answers quote it, catalog facts come from it) is escaped
first and only then put into our own HTML structure: no Markdown or HTML from documents is ever rendered.
"""

from __future__ import annotations

import html
import math
import re
from datetime import datetime, timezone

from assistant.library import BudgetRow, Profile, count, euro, number, timestamp_de
from domain.answer import Answer, Citation, Turn

LABELS = {
    "de": {"sources": "Quellen", "copy": "Kopieren mit Quelle", "copied": "Kopiert", "nearby": "Möglicherweise relevant",
           "suggest": "Meinten Sie …?", "source": "Quelle", "page": "S.", "file": "Datei", "warnings": "Hinweise",
           "question": "Frage", "answer": "Antwort", "open": "Quelle öffnen", "conversation": "Gespräch",
           "document": "Zielvereinbarung", "amendment": "Änderungsvereinbarung"},
    "en": {"sources": "Sources", "copy": "Copy with source", "copied": "Copied", "nearby": "Possibly relevant",
           "suggest": "Did you mean …?", "source": "Source", "page": "p.", "file": "File", "warnings": "Notes",
           "question": "Question", "answer": "Answer", "open": "Open source", "conversation": "Conversation",
           "document": "Target agreement", "amendment": "Amendment"},
}

_CITE = re.compile(r"\[(\d+)\]")
_NUMBERED = re.compile(r"^(\d+)\.\s+(.*)$")


_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")


def esc(text) -> str:
    """Text for HTML: escaped, and without direction overrides (they would show figures reversed)."""
    return html.escape(_BIDI.sub("", str(text if text is not None else "")), quote=True)


_FIGURE = re.compile(r"[+−±]\d[\d.,]*(?:[ \u00a0\u202f]?[%€])?|(?<![\w.,])\d[\d.,]*[ \u00a0\u202f]?[%€]")


def scope_text(text) -> str:
    """Escaped text in which "§ 5" stays one piece (a no-break space after the sign)."""
    return esc(text).replace("§ ", "§\u00a0")


def figure(text) -> str:
    """Escaped text whose figures stay whole on a narrow screen: "+57,3 %" and "1.516.560 €" are each one
    unbreakable piece (a span that does not wrap, with a no-break space before the unit)."""
    def whole(match: re.Match) -> str:
        return '<span class="figure">' + re.sub(r"[ \u202f]", "\u00a0", match.group(0)) + "</span>"

    return _FIGURE.sub(whole, esc(text))


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["de"])


# -- answers -------------------------------------------------------------------------------------------
def _inline(text: str, turn: int, cited: set[int]) -> str:
    """One escaped line with each [n] made a link that opens source n of this answer."""
    escaped = esc(text)

    def link(match: re.Match) -> str:
        n = int(match.group(1))
        if n not in cited:
            return match.group(0)
        return (f'<a class="cite" href="#src-{turn}-{n}" data-target="src-{turn}-{n}" '
                f'aria-label="Quelle {n} öffnen">[{n}]</a>')

    return _CITE.sub(link, escaped)


def answer_body(text: str, turn: int, cited: set[int]) -> str:
    """The answer text as paragraphs, lists and category headings ("1. Ausbildungsvorbereitung" followed
    by "- Projekt" lines) — our own structure around escaped text."""
    lines = [line.rstrip() for line in (text or "").splitlines()]
    out: list[str] = []
    open_list = ""

    def close():
        nonlocal open_list
        if open_list:
            out.append(f"</{open_list}>")
            open_list = ""

    for i, line in enumerate(lines):
        stripped = line.strip()
        following = next((x.strip() for x in lines[i + 1:] if x.strip()), "")
        if not stripped:
            close()
            continue
        if stripped.startswith(("- ", "• ", "* ")):
            if open_list != "ul":
                close()
                out.append("<ul>")
                open_list = "ul"
            out.append(f"<li>{_inline(stripped[2:], turn, cited)}</li>")
            continue
        numbered = _NUMBERED.match(stripped)
        if numbered and following.startswith(("- ", "• ", "* ")):
            close()
            out.append(f'<h4 class="category">{_inline(stripped, turn, cited)}</h4>')
            continue
        if numbered:
            if open_list != "ol":
                close()
                out.append(f'<ol start="{int(numbered.group(1))}">')
                open_list = "ol"
            out.append(f"<li>{_inline(numbered.group(2), turn, cited)}</li>")
            continue
        close()
        out.append(f"<p>{_inline(stripped, turn, cited)}</p>")
    close()
    return "".join(out)


def _lines(text: str, section: str = "") -> str:
    """A passage with its line breaks but without runs of empty lines (PDF layout); a signature block's
    one-word lines become one line per signatory ("Wiesbaden, den 2.8.2025 · Heike Hofmann · Staatsministerin …")."""
    text = re.sub(r"\n[ \t]*(?:\n[ \t]*)+", "\n", (text or "").strip())
    if section == "Unterschriften":
        blocks = re.split(r"\n(?=[^\n]*,\s*den\s)", text)
        text = "\n".join(" · ".join(line.strip() for line in block.splitlines() if line.strip()) for block in blocks)
    return text


def _quote(text: str, limit: int = 280) -> str:
    flat = " ".join((text or "").split())
    return flat if len(flat) <= limit else flat[: limit - 1].rsplit(" ", 1)[0] + " …"


def source_name(c: Citation, chunks: dict, lang: str = "de") -> str:
    """'Zielvereinbarung 2025 Landkreis Gießen, § 4, S. 2'."""
    t = labels(lang)
    chunk = chunks.get(c.chunk_id)
    kind = t["amendment"] if chunk is not None and chunk.kind == "amendment" else t["document"]
    parts = [f"{kind} {c.year} {c.district}".strip()]
    if c.section:
        parts.append(c.section)
    if c.page:
        parts.append(f"{t['page']} {c.page}")
    return ", ".join(parts)


def _source_item(c: Citation, chunks: dict, anchor: str, lang: str) -> str:
    t = labels(lang)
    chunk = chunks.get(c.chunk_id)
    section = sorted((x for x in chunks.values() if chunk is not None and x.doc_id == chunk.doc_id
                      and x.section == chunk.section), key=lambda x: x.ordinal) if chunk is not None else []
    if section:
        paragraphs = "".join(
            (f'<p class="cited"><mark>{esc(_lines(x.text, x.section))}</mark></p>' if x.id == c.chunk_id
             else f"<p>{esc(_lines(x.text, x.section))}</p>")
            for x in section)
    else:
        paragraphs = f'<p class="cited"><mark>{esc(c.quote)}</mark></p>'
    heading = f"{c.section} {c.title}".strip()
    page = f" · {t['page']} {c.page}" if c.page else ""
    return (
        f'<li><details class="source" id="{anchor}"><summary>'
        f'<span class="source-label">[{c.n}] {esc(c.district)} {c.year} · {scope_text(heading)}{page}</span>'
        f'<span class="source-quote">„{esc(_quote(c.quote))}“</span></summary>'
        f'<div class="context"><p class="source-file">{esc(t["file"])}: {esc(c.file)}</p>{paragraphs}</div></details></li>'
    )


def copy_text(answer: Answer, chunks: dict) -> str:
    """The answer as plain text with where it comes from: '… Quelle: Zielvereinbarung 2025 Landkreis Gießen, § 4, S. 2'."""
    t = labels(answer.lang)
    text = answer.answer.strip()
    if answer.headline:
        text = f"{answer.headline}" + (f" · {answer.scope}" if answer.scope else "") + "\n" + text
    names = list(dict.fromkeys(source_name(c, chunks, answer.lang) for c in answer.citations))
    if names:
        text += "\n\n" + "\n".join(f"{t['source']}: {n}" for n in names)
    return text


def answer_html(answer: Answer, chunks: dict, turn: int, streaming: bool = False) -> str:
    """One answer bubble: the key fact with its scope, the text with lists, notices, warnings, then its sources,
    passages that may help (abstentions) and questions to try."""
    t = labels(answer.lang)
    cited = {c.n for c in answer.citations}
    parts = [f'<div class="bubble answer" lang="{esc(answer.lang)}">']
    if answer.headline:
        scope = f' <span class="scope">· {scope_text(answer.scope)}</span>' if answer.scope else ""
        parts.append(f'<p class="headline"><strong>{esc(answer.headline)}</strong>{scope}</p>')
    if answer.notice:
        parts.append(f'<p class="notice">{esc(answer.notice)}</p>')
    parts.append(answer_body(answer.answer, turn, cited))
    if answer.warnings:
        parts.append(f'<ul class="warnings" aria-label="{esc(t["warnings"])}">'
                     + "".join(f"<li>{esc(w)}</li>" for w in answer.warnings) + "</ul>")
    if not streaming and answer.citations:
        parts.append(f'<div class="answer-tools"><button type="button" class="copy-with-source" '
                     f'data-copy="{esc(copy_text(answer, chunks))}" data-done="{esc(t["copied"])}">{esc(t["copy"])}</button></div>')
    parts.append("</div>")
    if answer.citations:
        parts.append(f'<div class="sources" role="region" aria-label="{esc(t["sources"])}"><h4>{esc(t["sources"])}</h4><ol>'
                     + "".join(_source_item(c, chunks, f"src-{turn}-{c.n}", answer.lang) for c in answer.citations)
                     + "</ol></div>")
    if answer.nearby:
        parts.append(f'<div class="sources nearby" role="region" aria-label="{esc(t["nearby"])}"><h4>{esc(t["nearby"])}</h4><ol>'
                     + "".join(_source_item(c, chunks, f"near-{turn}-{c.n}", answer.lang) for c in answer.nearby)
                     + "</ol></div>")
    if answer.suggestions:
        parts.append(f'<div class="suggestions"><span>{esc(t["suggest"])}</span>'
                     + "".join(f'<button type="button" class="ask-chip" data-question="{esc(s)}">{esc(s)}</button>'
                               for s in answer.suggestions) + "</div>")
    return "".join(parts)


def conversation_html(turns: list[Turn], chunks: dict, pending: tuple[str, Answer | None] | None = None) -> str:
    """The whole conversation; `pending` is the question being answered with what has been shown so far."""
    if not turns and not pending:
        return '<div class="conversation empty"><p class="hint">Stellen Sie eine Frage zu den eingelesenen Zielvereinbarungen.</p></div>'
    parts = ['<div class="conversation">']
    for i, turn in enumerate(turns, 1):
        parts.append(f'<section class="turn" id="turn-{i}" aria-label="Frage und Antwort {i}">'
                     f'<div class="bubble question">{esc(turn.question)}</div>'
                     f'{answer_html(turn.answer, chunks, i) if turn.answer else ""}</section>')
    if pending:
        question, partial = pending
        body = answer_html(partial, chunks, len(turns) + 1, streaming=True) if partial else \
            '<div class="bubble answer pending" aria-busy="true">Die Antwort wird gesucht …</div>'
        parts.append(f'<section class="turn" id="turn-{len(turns) + 1}"><div class="bubble question">{esc(question)}</div>{body}</section>')
    parts.append("</div>")
    return "".join(parts)


_MARKDOWN_ACTIVE = re.compile(r"([\\`*_{}\[\]<>()#+!|~])")


def md(text: str) -> str:
    """Text for a Markdown file that a viewer shows as written: no images, links, HTML or emphasis from documents."""
    return _MARKDOWN_ACTIVE.sub(r"\\\1", text or "")


def _md_answer(text: str) -> list[str]:
    """The answer's own structure (list items, numbered headings) kept, every line's text escaped."""
    out = []
    for line in (text or "").strip().splitlines():
        bullet = re.match(r"^(\s*(?:[-•*]|\d+\.)\s+)(.*)$", line)
        out.append(bullet.group(1).replace("•", "-").replace("*", "-") + md(bullet.group(2)) if bullet else md(line))
    return out


def conversation_markdown(turns: list[Turn], chunks: dict) -> str:
    """The conversation as a Markdown file: questions, answers and their sources with quotes (all escaped)."""
    lines = [f"# Gespräch mit dem Zielvereinbarungs-Assistenten ({timestamp_de(datetime.now(timezone.utc).isoformat())})", ""]
    for i, turn in enumerate(turns, 1):
        lines += [f"## {i}. {md(turn.question.strip())}", ""]
        answer = turn.answer
        if answer is None:
            continue
        if answer.headline:
            lines += [f"**{md(answer.headline)}**" + (f" · {md(answer.scope)}" if answer.scope else ""), ""]
        lines += _md_answer(answer.answer) + [""]
        if answer.citations:
            lines.append(f"{labels(answer.lang)['sources']}:")
            lines += [f"{c.n}. {md(source_name(c, chunks, answer.lang))} – „{md(_quote(c.quote))}“" for c in answer.citations]
            lines.append("")
    return "\n".join(lines)


# -- library -------------------------------------------------------------------------------------------
def cards_table(rows: list[dict[str, str]], caption: str, element_id: str = "") -> str:
    """A table that becomes one card per row on a phone (each cell labelled with its column)."""
    if not rows:
        return f'<p class="empty-table">{esc(caption)}: keine Einträge.</p>'
    columns = list(rows[0])
    ident = f' id="{esc(element_id)}"' if element_id else ""
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f'<td data-label="{esc(c)}">{figure(r.get(c, ""))}</td>' for c in columns) + "</tr>"
                   for r in rows)
    return f'<table class="cards"{ident}><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _nice_top(value: float) -> tuple[float, float]:
    """An axis end at or above value and a tick step of 1, 2, 2.5 or 5 × 10^k (four or five ticks)."""
    if value <= 0:
        return 1.0, 0.25
    raw = value / 4
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step * 4 >= value:
            break
    return step * math.ceil(value / step), step


def budget_chart(year: int | None, rows: list[BudgetRow]) -> str:
    """One horizontal bar per district from 0, the axis in German numbers, the value at each bar."""
    if not rows:
        return '<p class="chart-empty">Keine Budgets auf dem Stand der eingelesenen Vereinbarungen.</p>'
    top, step = _nice_top(max(r.budget for r in rows))
    ticks = [i * step for i in range(int(round(top / step)) + 1)]
    bars = "".join(
        f'<div class="bar-row"><span class="bar-label">{esc(r.district)}</span>'
        f'<span class="bar-track"><span class="bar" style="width:{r.budget / top * 100:.2f}%" '
        f'data-value="{r.budget}"></span></span><span class="bar-value">{figure(euro(r.budget))}</span></div>'
        for r in rows)
    axis = "".join(f'<span class="tick" style="left:{t / top * 100:.2f}%">{esc(number(int(t)))}</span>' for t in ticks)
    return (f'<figure class="chart" role="img" aria-label="Budgets {year} nach Gebietskörperschaft, Achse ab 0 Euro">'
            f'<figcaption>Budgets {year} in Euro ({count(len(rows), "Gebietskörperschaft", "Gebietskörperschaften")})</figcaption>'
            f'<div class="bars">{bars}</div><div class="axis-row"><span class="bar-label"></span>'
            f'<span class="axis">{axis}</span><span class="bar-value"></span></div></figure>')


def profile_html(p: Profile | None) -> str:
    if p is None:
        return "<p>Keine Vereinbarung gewählt.</p>"

    def row(label: str, value: str) -> str:
        return f"<tr><th scope=\"row\">{esc(label)}</th><td>{value}</td></tr>" if value else ""

    budget = figure(p.budget)
    if p.budget_original:
        budget += f' <span class="muted">(ursprünglich {figure(p.budget_original)}, geändert)</span>'
    if p.change_to_previous:
        budget += f'<br><span class="muted">{figure(p.change_to_previous)}</span>'
    if p.granted_difference:
        budget += f'<br><strong>{figure(p.granted_difference)}</strong>'
    signers = "".join(
        f"<li>{esc(s.name or 'ohne Namen')}{', ' + esc(s.role) if s.role else ''}"
        f"{' (' + esc(s.organisation) + ')' if s.organisation and not s.organisation.startswith('des ') else ''}"
        f" – {esc(s.place)}, {esc(s.date)}</li>" for s in p.signatories)
    projects = "".join(f'<h4 class="category">{esc(c)}</h4><ul>' + "".join(f"<li>{esc(n)}</li>" for n in names) + "</ul>"
                       for c, names in p.projects.items())
    warnings = "".join(f"<li>{esc(w)}</li>" for w in p.warnings + p.conflicts)
    amendments = "".join(f"<li>{esc(a)}</li>" for a in p.amendments)
    table = "".join([
        row("Vertragsparteien", " und ".join(esc(x) for x in p.parties)),
        row("Jahr", esc(p.year)),
        row("Budget", budget),
        row("Bescheid erlässt", esc(p.authority)),
        row("Unterzeichnet", f"<ul>{signers}</ul>" if signers else "–"),
        row("Änderungen", f"<ul>{amendments}</ul>" if amendments else "keine"),
        row("Bescheid", "<ul>" + "".join(f"<li>{esc(b)}</li>" for b in p.bescheide) + "</ul>" if p.bescheide else ""),
    ])
    return (f'<article class="profile" aria-label="Steckbrief"><h3>{esc(p.title)}</h3><table class="facts">{table}</table>'
            f'<h4>Projekte nach Maßnahmenart</h4>{projects or "<p>Keine Projekte erkannt.</p>"}'
            + (f'<div class="extraction-warnings"><h4>Hinweise der Prüfung beim Einlesen</h4><ul>{warnings}</ul></div>'
               if warnings else '<p class="muted">Beim Einlesen keine Auffälligkeiten.</p>')
            + "</article>")


def _term_anchor(term: str) -> str:
    return "term-" + re.sub(r"[^A-Za-z0-9]+", "-", term.translate(str.maketrans("ÄÖÜäöüß", "AOUaous"))).strip("-")


def glossary_html(entries_with_passages: list[tuple[object, list]]) -> str:
    """Each term with its definition and the passages of the agreements on file that use it (term marked)."""
    from assistant.glossary import excerpt

    index = " · ".join(f'<a href="#{_term_anchor(e.term)}">{esc(e.term)}</a>' for e, _ in entries_with_passages)
    parts = [f'<nav class="glossary-index" aria-label="Begriffe">{index}</nav><dl class="glossary">']
    for entry, passages in entries_with_passages:
        aliases = ", ".join(esc(a) for a in entry.aliases)
        found = ""
        for c in passages:
            before, term, after = excerpt(entry, c.text)
            found += (f'<li><span class="source-label">{esc(c.district)} {c.year} · {esc((c.section + " " + c.title).strip())}</span> '
                      f'<span class="source-quote">„{esc(before)}<mark>{esc(term)}</mark>{esc(after)}“</span></li>')
        parts.append(
            f'<dt id="{_term_anchor(entry.term)}">{esc(entry.term)}</dt><dd><p>{esc(entry.definition)}</p>'
            + (f'<p class="muted">Auch: {aliases}</p>' if aliases else "")
            + (f'<p class="muted">In den Vereinbarungen:</p><ul class="passages">{found}</ul>' if found
               else '<p class="muted">In den eingelesenen Vereinbarungen nicht gefunden.</p>')
            + "</dd>")
    parts.append("</dl>")
    return "".join(parts)
