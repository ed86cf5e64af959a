"""The facts stage: answers from the catalog, one handler per intent (listed in `FACT_ANSWERS`).

A handler returns a `Draft`, or None when the catalog lacks the fact or marks it uncertain: the
passages stage then quotes the text instead. No handler states an absence it cannot cite.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Callable

from assistant.catalog import Group, granted
from assistant.compose import Draft, quote_for, quoted
from assistant.question import STATEWIDE, best_category, names_carrier, target_words
from assistant.retrieval import coverage, sentences
from domain.districts import HESSE, aliases
from domain.german import find_amounts, fold, format_euro, terms
from domain.records import AMENDMENT, AgreementFacts, Chunk

if TYPE_CHECKING:
    from assistant.engine import Assistant
    from assistant.session import Session


def district_words(districts) -> set[str]:
    """The terms of every name a district goes by, to leave them out of topic matching."""
    return {t for d in districts for alias in sum(aliases(d), []) for t in terms(alias)}


def _euro(doc: AgreementFacts) -> str:
    return doc.budget_text or format_euro(doc.budget_eur or 0)


def _scope_line(district: str, year: int, section: str = "") -> str:
    return " · ".join(x for x in (f"{district} {year}", section) if x)


def _new(a: "Assistant", s: "Session") -> Draft:
    draft = Draft(s.lang, a.chunks)
    for name in s.question.ambiguous:
        draft.say("ambiguous", name=name.title())
    return draft


def current_budget(group: Group) -> tuple[int | None, list[AgreementFacts], bool]:
    """The budget in force for a district-year: (euro, the documents that state it, computed from a change).

    The newest amendment that names an amount wins; an amendment that names only the change
    ("erhöht um 50.000 Euro") is added to the amount before it."""
    amount, sources, computed = None, [], False
    for doc in [group.agreement, *group.amendments]:
        if doc is None:
            continue
        if doc.budget_eur is not None and "budget" not in doc.uncertain:
            amount, sources, computed = doc.budget_eur, [doc], False
        elif doc.budget_change_eur is not None and amount is not None:
            amount, sources, computed = amount + doc.budget_change_eur, sources + [doc], True
    return amount, sources, computed


def answer_amount(a: "Assistant", s: "Session") -> Draft | None:
    draft = _new(a, s)
    first_line, budgets = len(draft.lines), []
    for g in s.groups:
        if g.conflicts:
            _say_conflict(draft, g)
            continue
        amount, sources, computed = current_budget(g)
        if amount is None:
            return None  # no budget found or uncertain: quote the text instead
        current = sources[-1]
        if computed:
            cites = [draft.cite(d.budget_chunk, [d.budget_text or ""]) for d in sources]
            change = sources[-1].budget_change_eur or 0
            draft.say("budget_changed", district=g.district, year=g.year, amount=format_euro(amount),
                      original=_euro(sources[0]), n=cites[0], change=_signed_euro(change), m=cites[-1])
            draft.computed.append(amount)
        elif current.kind == AMENDMENT and g.agreement and g.agreement.budget_eur is not None:
            n = draft.cite(current.budget_chunk, [current.budget_text or ""])
            m = draft.cite(g.agreement.budget_chunk, [g.agreement.budget_text or ""])
            difference = current.budget_eur - g.agreement.budget_eur
            draft.say("budget_amended", district=g.district, year=g.year, amount=_euro(current), original=_euro(g.agreement), n=n, m=m,
                      change=_signed_euro(difference))
            draft.computed.append(abs(difference))
        else:
            n = draft.cite(current.budget_chunk, [current.budget_text or ""])
            draft.say("budget", district=g.district, year=g.year, amount=_euro(current), n=n)
        chunk = a.chunks.get(current.budget_chunk or "")
        asked = "Bescheid" in s.question.doc_kinds or bool(re.search(r"bewillig|granted", s.question.folded))
        if (bescheid := _say_granted(a, draft, g, amount, asked)) is not None:
            amount, chunk = bescheid  # "laut Bescheid": the granted amount is the answer, the agreement's beside it
        budgets.append((g, amount))
        if not draft.headline:
            draft.headline = format_euro(amount)
            draft.scope = _scope_line(g.district, g.year, chunk.section if chunk else "")
    _head_budgets(draft, s.question, budgets, first_line)
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def _say_granted(a: "Assistant", draft: Draft, g: Group, budget: int, asked: bool) -> tuple[int, Chunk | None] | None:
    """A Bescheid of the district-year on file: its granted amount beside the agreement's budget where the two
    differ or the question asks for the Bescheid, the difference computed; (amount, chunk) when it was asked."""
    found = granted(a.catalog, g.district, g.year)
    if found is None or not asked and found[1].amount_eur == budget:
        return None
    doc, fact = found
    issued = next((f for f in doc.details if f.name == "datum"), None)
    n = draft.cite(fact.chunk_id, [find_amounts(fact.text)[0][1]] if find_amounts(fact.text) else [])
    dated = draft.phrase("bescheid_date", date=issued.text, n=draft.cite(issued.chunk_id, [issued.text])) if issued else ""
    line = draft.phrase("bescheid_granted", amount=format_euro(fact.amount_eur), n=n, date=dated)
    difference = fact.amount_eur - budget
    if difference:
        line += " " + draft.phrase("bescheid_difference", difference=format_euro(abs(difference)),
                                   direction=draft.phrase("bescheid_less" if difference < 0 else "bescheid_more"))
        draft.computed.append(abs(difference))
        # where the Bescheid itself states that difference, its words give the reason ("verringert sich um …")
        reason = next((c for c in a.chunks.values() if c.doc_id == doc.doc_id and c.id != fact.chunk_id
                       and any(value == abs(difference) for value, _, _ in find_amounts(c.text))), None)
        if reason is not None and asked:
            m = draft.cite(reason.id, whole=True)
            line += " " + draft.phrase("bescheid_reason", n=m, quote=quoted(reason.text))
    if not asked:
        draft.lines.append(line)
        return None
    draft.lines.insert(len(draft.lines) - 1, line)  # the Bescheid first, the agreement's budget after it
    return fact.amount_eur, draft.chunks.get(fact.chunk_id)


def _head_budgets(draft: Draft, q, budgets: list[tuple[Group, int]], first_line: int) -> None:
    """The headline of an answer over several districts' budgets: a comparison of two heads with its verdict
    (also the answer's first line), otherwise with every district and its amount, or with the sum of many."""
    if len({g.district for g, _ in budgets}) < 2:
        return
    years = sorted({g.year for g, _ in budgets})
    named = [(g.district if len(years) == 1 else f"{g.district} {g.year}", amount) for g, amount in budgets]
    draft.scope = ", ".join(str(y) for y in years)
    if len(named) == 2 and q.compare:
        (high, more), (low, less) = sorted(named, key=lambda b: -b[1])
        key, district, other = ("budget_same", high, low) if more == less else \
            ("budget_less", low, high) if q.compare == "less" else ("budget_more", high, low)
        draft.headline = draft.phrase(key, district=district, other=other, amount=format_euro(more - less or more))
        draft.lines.insert(first_line, draft.phrase("computed_line", text=draft.headline))
        draft.computed.append(more - less)
    elif len(named) <= 3:
        draft.headline = " · ".join(f"{district}: {format_euro(amount)}" for district, amount in named)
    else:
        total = sum(amount for _, amount in named)
        draft.headline = draft.phrase("budgets_headline", agreements=_agreements_text(draft, len(named)),
                                      amount=format_euro(total))
        draft.computed += [total, len(named)]


def _signed_euro(value: int) -> str:
    return ("+" if value >= 0 else "−") + format_euro(abs(value))


def _say_conflict(draft: Draft, g: Group) -> None:
    docs = [d for d in g.documents if d.kind != AMENDMENT]
    draft.say("conflict", count=len(docs), district=g.district, year=g.year)
    draft.warnings.append(draft.lines[-1])
    for doc in docs:
        n = draft.cite(doc.budget_chunk, [doc.budget_text or ""]) if doc.budget_chunk else 0
        amount = f": {_euro(doc)} [{n}]" if n else ""
        draft.lines.append(f"- {doc.doc_id}{amount}")
    draft.computed.append(len(docs))


def _projects_certain(doc: AgreementFacts) -> bool:
    return bool(doc.projects) and "projects" not in doc.uncertain


def _project_needles(projects) -> list[str]:
    """What a quote of a project list must hold: each name, and each amount the answer repeats."""
    return [p.name for p in projects] + [p.amount_text for p in projects if p.amount_text]


def _project_lines(doc: AgreementFacts, projects) -> list[str]:
    lines: list[str] = []
    current = object()
    for p in projects:
        if p.category != current:
            current = p.category
            if p.category:
                lines.append(f"{p.category_no}. {p.category}" if p.category_no else p.category)
        amount = f" – {p.amount_text}" if p.amount_text else ""
        lines.append(f"- {p.name}{amount}")
    return lines


def _category(q, doc: AgreementFacts, words: set[str]) -> str | None:
    """The Maßnahmenart a question names: by its name, its number ("Maßnahmenart 2") or its words."""
    if q.category in doc.categories:
        return q.category
    if q.category_no:
        wanted = q.category_no.lower()
        for p in doc.projects:
            if p.category and (str(p.category_no) == wanted or _roman_or_letter(wanted) == p.category_no):
                return p.category
    return best_category(q, doc.categories, words)


def _roman_or_letter(marker: str) -> int | None:
    romans = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}
    if marker in romans:
        return romans[marker]
    if len(marker) == 1 and marker.isalpha():
        return ord(marker) - ord("a") + 1
    return None


def answer_projects(a: "Assistant", s: "Session") -> Draft | None:
    draft = _new(a, s)
    q = s.question
    across = q.across and len(s.groups) > 1  # "Projekte mit Teilzeitausbildung 2026": only the districts that have some
    for g in s.groups:
        doc = g.listing
        if not _projects_certain(doc):
            if across:
                continue
            return None
        start = len(draft.lines)
        try:
            _answer_group_projects(a, s, draft, g, doc, across)
        finally:
            if len(draft.lines) > start:
                _say_amended(draft, g, doc)
        if q.intent == "text":
            return None
    if not draft.lines:
        return None  # across districts, no project name matched: the passages stage looks further
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def _say_amended(draft: Draft, g: Group, doc: AgreementFacts) -> None:
    """The projects an amendment added to or took out of the list shown, cited in the amendment."""
    added, removed = g.project_changes
    shown = {fold(p.name) for p in doc.projects}
    new = [p for p in added if fold(p.name) in shown and _in_answer(draft, p.name)]
    words = [p.category for p in doc.projects if _in_answer(draft, p.name)]
    gone = [p for p in removed if not words or p.category in words]
    parts = []
    if new:
        parts.append(draft.phrase("projects_amended_new", names=", ".join(p.name for p in new),
                                  n=draft.cite(new[0].chunk_id, _project_needles(new))))
    if gone:
        parts.append(draft.phrase("projects_amended_gone", names=", ".join(p.name for p in gone),
                                  n=draft.cite(gone[0].chunk_id, [p.name for p in gone])))
    if parts:
        draft.say("projects_amended", changes="; ".join(parts))


def _in_answer(draft: Draft, name: str) -> bool:
    return any(name in line for line in draft.lines)


def _answer_group_projects(a: "Assistant", s: "Session", draft: Draft, g: Group, doc: AgreementFacts, across: bool) -> None:
    """The lines of one district's projects (or none, across districts, where none matches)."""
    q = s.question
    if q.asks_amendment and any(d.kind == AMENDMENT for d in g.documents) and not across:
        q.intent = "text"  # "hat der Nachtrag an den Projekten was geändert?": the amendment's own words answer that
        return
    words = district_words([g.district])
    category = _category(q, doc, words)
    chosen = [p for p in doc.projects if category is None or p.category == category]
    ignore = words | a.classify.vocabulary("projects") | {t for c in doc.categories for t in terms(c)}
    targets = target_words(q, ignore) if not category else []
    named = [group for group in targets if any(coverage([group], p.name) for p in doc.projects)]
    if across and targets and not named:
        return  # across districts, one whose project names hold none of the words is left out
    # a topic word no project name holds filters nothing ("welche Projekte richten sich …"), unless the
    # question says whom the projects are for ("Projekte für Frauen"): then that none is named is the answer
    targets = named or (targets if re.search(r"\b(fuer|for|an)\s", q.folded) else [])
    chunk_id = doc.projects[0].chunk_id
    listed = [p for p in chosen if p.name in q.projects] if not category else []
    if listed:  # "was ist MiA?", "sind Jobagent und Wegbereiter in der gleichen Kategorie?"
        n = draft.cite(chunk_id, [p.category or "" for p in listed] + _project_needles(listed))
        start = len(draft.lines)
        draft.say("projects_named", district=g.district, year=g.year, n=n)
        draft.lines.extend(_project_lines(doc, listed))
        draft.lines[start:start] = _project_details(a, draft, q, g, listed)  # what is not given comes first
        draft.headline = draft.headline or ", ".join(p.name for p in listed[:3])
        draft.scope = draft.scope or _scope_line(g.district, g.year, a.chunks[chunk_id].section)
        return
    if targets:
        matching = [p for p in chosen if any(coverage([group], p.name) for group in targets)]
        label = ", ".join(_asked_word(q, group) for group in targets)
        if matching:
            n = draft.cite(chunk_id, _project_needles(matching))
            draft.say("projects_filtered", district=g.district, year=g.year, target=label,
                      count_text=_count_text(draft, len(matching)), n=n)
            draft.lines.extend(_project_lines(doc, matching))
            draft.computed.append(len(matching))
            draft.headline = draft.headline or ", ".join(p.name for p in matching[:3])
            draft.scope = draft.scope or _scope_line(g.district, g.year, a.chunks[chunk_id].section)
            return
        if across:
            return
        draft.say("projects_no_target", target=label)
    if category:
        n = draft.cite(chunk_id, [category] + _project_needles(chosen))
        draft.say("category_intro", district=g.district, year=g.year, category=category,
                  count_text=_count_text(draft, len(chosen)), n=n)
        draft.computed.append(len(chosen))
    else:
        n = draft.cite(chunk_id, whole=True)
        draft.say("projects_intro", district=g.district, year=g.year, projects=_counted(draft, len(doc.projects), "project"),
                  groups=_counted(draft, len(doc.categories) or 1, "category"), n=n)
        draft.computed += [len(doc.projects), len(doc.categories) or 1]
    intro_at, list_at = len(draft.lines) - 1, len(draft.lines)
    draft.lines.extend(_project_lines(doc, chosen))
    if q.details:  # "welche Träger führen die Projekte durch?": the rows that say, or (first) that the list does not
        list_end = len(draft.lines)
        absent = _project_details(a, draft, q, g, chosen)
        if len(draft.lines) > list_end:
            del draft.lines[list_at:list_end]  # the table's rows say more than the list: they replace it
        if len(absent) > 1:
            absent = [draft.phrase("projects_no_detail", detail=draft.t[f"detail_{kind}"], district=g.district,
                                   year=g.year, n=n) for kind in q.details]
        draft.lines[intro_at:intro_at] = absent
    if not draft.headline:
        draft.headline = draft.phrase("projects_headline", projects=_counted(draft, len(chosen), "project"))
        draft.scope = _scope_line(g.district, g.year, a.chunks[chunk_id].section)


# how a text gives each detail of a project (question.PROJECT_DETAILS)
_DETAILS_GIVEN = {
    "traeger": re.compile(r"traeger|anbieter|durchfuehr"),
    "dates": re.compile(r"\d{1,2}\.\d{1,2}\.\d{2,4}|laufzeit|beginn|\bab (?:dem )?\d|\bbis \d|monat|januar|februar|maerz|april|"
                       r"\bmai\b|juni|juli|august|september|oktober|november|dezember"),
    "contact": re.compile(r"ansprechp|kontakt|telefon|e-mail|@"),
    "participants": re.compile(r"teilnehm|plaetze"),
}


def _row_with_header(text: str, name: str) -> str:
    """A table row of a project with the column names above it ("Träger: …"), or its line as it stands."""
    lines = text.split("\n")
    at = next((i for i, line in enumerate(lines) if fold(name) in fold(line)), None)
    if at is None:
        return ""
    row = lines[at]
    if " | " not in row:
        return row.strip()
    header = next((lines[j] for j in range(at - 1, -1, -1) if " | " in lines[j] and not re.search(r"\d", lines[j])), "")
    cells, names = [c.strip() for c in row.split("|")], [c.strip() for c in header.split("|")]
    if len(names) != len(cells):
        return " · ".join(cells)
    return " · ".join(f"{label}: {cell}" for label, cell in zip(names, cells) if cell)


def _project_details(a: "Assistant", draft: Draft, q, g: Group, projects) -> list[str]:
    """The row that holds more than the catalog keeps (a Träger column), and, for each detail the question
    asks for (Träger, dates, contact, participants), the text that gives it or that the agreement gives none.
    Returns the sentences that say a detail is not given."""
    absent: list[str] = []
    for p in projects:
        text = a.chunks[p.chunk_id].text
        row = _row_with_header(text, p.name)
        extra = fold(row)
        for word in [fold(p.name), fold(p.amount_text or ""), "projekt", "foerdersumme", "betrag", "·", ":", "–", "-"]:
            extra = extra.replace(word, " ") if word else extra
        if row and len(re.sub(r"[\W\d]+", "", extra)) > 3:
            draft.lines.append(row)
        for kind in q.details:
            given = _DETAILS_GIVEN[kind]
            if not given.search(fold(row)):
                nearby = " ".join(part for part in sentences(text) if fold(p.name) in fold(part))
                if given.search(fold(nearby)):
                    continue  # the text near the project may say it: the quote shows it
                n = draft.cite(p.chunk_id, [p.name])
                absent.append(draft.phrase(f"project_no_{kind}", project=p.name, district=g.district, year=g.year, n=n))
                draft.abstained = True
    return absent


def filters_projects(a: "Assistant", q, groups: list[Group]) -> bool:
    """Whether a list question names a topic that some project name in these agreements holds."""
    ignore = district_words(g.district for g in groups) | a.classify.vocabulary("projects")
    targets = target_words(q, ignore | {t for g in groups for c in g.main.categories for t in terms(c)})
    return any(coverage([group], p.name) for group in targets for g in groups for p in g.main.projects)


def _project_quote(text: str, name: str, amount_text: str) -> str:
    """The project's line with the line that gives its amount ("– Coaching" then "Fördersumme: 45.000 €")."""
    parts = sentences(text)
    start = next((i for i, part in enumerate(parts) if fold(name) in fold(part)), None)
    if start is None:
        return quote_for(text, [name, amount_text])
    end = next((j for j in range(start, min(start + 3, len(parts))) if fold(amount_text) in fold(parts[j])), start)
    return " ".join(parts[start : end + 1])


def _agreements_text(draft: Draft, count: int) -> str:
    return draft.t["one_agreement"] if count == 1 else draft.t["n_agreements"].format(count=count)


def _asked_word(q, group: set[str]) -> str:
    """The word the question used for a topic ("Frauen", not its stem "frau")."""
    for word in re.findall(r"[\wäöüßÄÖÜ-]+", q.text):
        if any(t in group for t in terms(word)):
            return word
    return min(group, key=len)


def _counted(draft: Draft, count: int, noun: str) -> str:
    """'1 Projekt', '11 Projekte', '1 Maßnahmenart' (noun: project or category), in the answer's language."""
    return draft.t[f"{noun}_one" if count == 1 else f"{noun}_many"].format(count=count)


def _count_text(draft: Draft, count: int) -> str:
    if count == 1:
        return draft.t["one_project"]
    return draft.t["n_projects"].format(count=count)


def _count_sections(a: "Assistant", s: "Session") -> Draft | None:
    """'Wie viele Paragraphen hat die Vereinbarung?': its § sections, each cited where it begins."""
    draft = _new(a, s)
    for g in s.groups:
        first: dict[str, object] = {}
        for c in a.document_chunks(g.main.doc_id):
            if c.numbered:
                first.setdefault(c.section, c)
        if not first:
            return None
        draft.say("count_sections", district=g.district, year=g.year, count=len(first))
        for section, chunk in first.items():
            draft.lines.append(f"- {section} {chunk.title} [{draft.cite(chunk.id, whole=True)}]".replace("  ", " "))
        draft.computed.append(len(first))
        draft.headline = draft.headline or str(len(first))
        draft.scope = draft.scope or _scope_line(g.district, g.year)
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def _names_targets(a: "Assistant", s: "Session") -> bool:
    """Whether a question about the projects names whom or what they are for, in words a project name holds."""
    q = s.question
    for g in s.groups:
        doc = g.listing
        ignore = (district_words([g.district]) | a.classify.vocabulary("projects") | a.classify.vocabulary("count")
                  | {t for c in doc.categories for t in terms(c)})
        if any(coverage([group], p.name) for group in target_words(q, ignore) for p in doc.projects):
            return True
    return False


def answer_count(a: "Assistant", s: "Session") -> Draft | None:
    folded = s.question.folded
    if re.search(r"(?:wie\s*viele?|anzahl(?: der)?|how many|number of)\s+(?:\w+\s+)?(?:paragra|§|abschnitt|section)", folded):
        return _count_sections(a, s)
    if _names_targets(a, s):
        return answer_projects(a, s)  # "wie viele Projekte für Frauen?": the matching projects, counted
    draft = _new(a, s)
    categories = bool(re.search(r"massnahmenart|kategor|categor|bereich", folded)) and not re.search(
        r"(?:wie\s*viele?|anzahl(?: der)?|how many|number of)\s+(?:\w+\s+)?(?:projekt|project|angebot)", folded)
    words = district_words(g.district for g in s.groups)
    for g in s.groups:
        doc = g.listing
        if not _projects_certain(doc):
            return None
        chunk_id = doc.projects[0].chunk_id
        n = draft.cite(chunk_id, whole=True)
        category = None if categories else _category(s.question, doc, words)
        if category:  # "wie viele Projekte in Maßnahmenart 3?"
            projects = [p for p in doc.projects if p.category == category]
            count = len(projects)
            draft.say("category_intro", district=g.district, year=g.year, category=category,
                      count_text=_count_text(draft, count), n=n)
            draft.lines.extend(f"- {p.name}" for p in projects)
        elif categories:
            count = len(doc.categories) or 1
            draft.say("count_categories", district=g.district, year=g.year, categories=_counted(draft, count, "category"), n=n)
            draft.lines += [f"- {c}" for c in doc.categories]
        else:
            count = len(doc.projects)
            draft.say("count_projects", district=g.district, year=g.year, projects=_counted(draft, count, "project"),
                      groups=_counted(draft, len(doc.categories) or 1, "category"), n=n)
            draft.computed.append(len(doc.categories) or 1)
            draft.lines.extend(_project_lines(doc, doc.projects))
        draft.computed.append(count)
        _say_amended(draft, g, doc)
        if not draft.headline:
            draft.headline = str(count)
            draft.scope = _scope_line(g.district, g.year, a.chunks[chunk_id].section)
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def answer_project_amount(a: "Assistant", s: "Session") -> Draft | None:
    q = s.question
    if not q.projects:
        return None
    draft = _new(a, s)
    answered, missing_detail = False, False
    for g in s.groups:
        doc = g.main
        named = [p for p in doc.projects if p.name in q.projects]
        for p in named:
            if p.amount_text:
                n = draft.cite(p.chunk_id, quote=_project_quote(a.chunks[p.chunk_id].text, p.name, p.amount_text))
                written = p.amount_text if re.search(r"€|euro|eur\b", p.amount_text, re.I) else f"{p.amount_text} Euro"
                draft.say("project_amount", project=p.name, district=g.district, year=g.year, amount=written, n=n)
                draft.headline = draft.headline or format_euro(p.amount_eur or 0)
                draft.scope = draft.scope or _scope_line(g.district, g.year, a.chunks[p.chunk_id].section)
                answered = True
            else:
                n = draft.cite(p.chunk_id, [p.name])
                amount, sources, _ = current_budget(g)
                if amount is not None:
                    m = draft.cite(sources[-1].budget_chunk, [sources[-1].budget_text or ""])
                    draft.say("project_amount_missing", project=p.name, district=g.district, year=g.year,
                              amount=format_euro(amount) if len(sources) > 1 else _euro(sources[-1]), n=n, m=m)
                else:
                    draft.say("project_amount_missing_nobudget", project=p.name, district=g.district, year=g.year, n=n)
        if named and q.details:  # "wie viel bekommt MiA und wer ist Träger?": the row, or that it names none
            absent = _project_details(a, draft, q, g, named)
            draft.lines.extend(absent)
            missing_detail = missing_detail or bool(absent)
    if not draft.lines:
        return None
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    draft.abstained = not answered or missing_detail
    return draft


def answer_category_amount(a: "Assistant", s: "Session") -> Draft | None:
    """'Wie viel geht in die Ausbildungsvorbereitung?': the sum of that Maßnahmenart's project amounts, or,
    where the agreement gives none, that it gives none (citing the list), with the budget for all of them."""
    draft = _new(a, s)
    words = district_words(g.district for g in s.groups)
    answered = False
    for g in s.groups:
        doc = g.main
        category = _category(s.question, doc, words) if _projects_certain(doc) else None
        if category is None:
            if len(s.groups) > 1:
                continue
            return None
        chosen = [p for p in doc.projects if p.category == category]
        priced = [p for p in chosen if p.amount_eur is not None]
        chunk_id = chosen[0].chunk_id
        if priced and len(priced) == len(chosen):
            total = sum(p.amount_eur for p in priced)
            n = draft.cite(chunk_id, [category] + _project_needles(chosen))
            draft.say("category_sum", district=g.district, year=g.year, category=category,
                      count_text=_count_text(draft, len(chosen)), amount=format_euro(total), n=n)
            draft.lines.extend(_project_lines(doc, chosen))
            draft.computed += [total, len(chosen)]
            draft.headline = draft.headline or format_euro(total)
            answered = True
        else:
            n = draft.cite(chunk_id, [category] + _project_needles(chosen))
            key = "category_sum_partial" if priced else "category_sum_missing"
            draft.say(key, district=g.district, year=g.year, category=category, n=n)
            draft.lines.extend(_project_lines(doc, chosen))
            amount, sources, _ = current_budget(g)
            if amount is not None:
                m = draft.cite(sources[-1].budget_chunk, [sources[-1].budget_text or ""])
                draft.say("category_budget", amount=format_euro(amount) if len(sources) > 1 else _euro(sources[-1]), m=m)
        draft.scope = draft.scope or _scope_line(g.district, g.year, a.chunks[chunk_id].section)
    if not draft.lines:
        return None
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    draft.abstained = not answered
    return draft


def _signature_side(sig) -> str:
    text = fold(" ".join(x or "" for x in (sig.role, sig.organisation)))
    return "ministry" if re.search(r"minist|staatssekret", text) else "district"


def answer_signatures(a: "Assistant", s: "Session") -> Draft | None:
    draft = _new(a, s)
    wanted, q = s.question.signer, s.question
    for g in s.groups:
        amendments = [d for d in g.documents if d.kind == AMENDMENT]
        for doc in amendments if amendments and q.asks_amendment else g.documents:
            signatures = [sig for sig in doc.signatures if not wanted or _signature_side(sig) == wanted] or doc.signatures
            if q.across:  # only the agreements this office or person signed
                signatures = [sig for sig in signatures if q.signer_role in fold(sig.role or "")
                              and q.signer_name in fold(sig.name or "")]
            if not signatures or "signatures" in doc.uncertain:
                continue
            n = draft.cite(signatures[0].chunk_id, [x for sig in signatures for x in (sig.date_text, sig.name or "")])
            draft.say("signatures_intro_amendment" if doc.kind == AMENDMENT else "signatures_intro",
                      district=g.district, year=g.year, n=n)
            for sig in signatures:
                person = f"{sig.name} ({sig.role})" if sig.name and sig.role else (sig.name or sig.role or "")
                draft.lines.append("- " + draft.t["signature_line"].format(place=sig.place, date_text=sig.date_text, person=person))
                draft.computed += [int(x) for x in re.findall(r"\d+", sig.date_text)]
            if not draft.headline:
                draft.headline = " · ".join(draft.t["signature_headline"].format(
                    person=f"{sig.name} ({sig.role})" if sig.role else (sig.name or ""),
                    place=sig.place, date_text=sig.date_text) for sig in signatures)
                draft.scope = _scope_line(g.district, g.year, a.chunks[signatures[0].chunk_id].section)
    if not draft.lines:
        return None
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


_IN_FORCE = re.compile(r"[^.:]*\b(?:in Kraft|gilt (?:ab|vom|bis|für den Zeitraum)|Laufzeit|wirksam ab)\b[^.]*\.?", re.IGNORECASE)


def answer_validity(a: "Assistant", s: "Session") -> Draft | None:
    """'Ab wann gilt der Nachtrag?': the document's sentence on coming into force, with the signatures it
    depends on; without such a sentence, the year it governs and its signatures, as an abstention."""
    draft = _new(a, s)
    q = s.question
    for g in s.groups:
        for doc in [d for d in g.documents if (d.kind == AMENDMENT) == q.asks_amendment] or [g.main]:
            which = "amendment" if doc.kind == AMENDMENT else "agreement"
            rule = next(((m.group(0).strip(), c) for c in a.document_chunks(doc.doc_id)
                         for m in [_IN_FORCE.search(c.text)] if m), None)
            if rule:
                n = draft.cite(rule[1].id, quote=rule[0])
                draft.say(f"validity_{which}", district=g.district, year=g.year, n=n)
                draft.lines.append(quoted(rule[0]))
            elif doc.budget_chunk:
                n = draft.cite(doc.budget_chunk, [str(g.year)])
                draft.say(f"validity_none_{which}", district=g.district, year=g.year, n=n)
                draft.abstained = True
            else:
                continue
            signed = [sig for sig in doc.signatures if sig.date_text]
            if signed and "signatures" not in doc.uncertain:
                n = draft.cite(signed[0].chunk_id, [sig.date_text for sig in signed])
                draft.say("validity_signed", dates=", ".join(sig.date_text for sig in signed), n=n)
                draft.computed += [int(x) for sig in signed for x in re.findall(r"\d+", sig.date_text)]
            draft.computed.append(g.year)
            draft.headline = draft.headline or (signed[-1].date_text if rule and signed else str(g.year))
            draft.scope = draft.scope or _scope_line(g.district, g.year, a.chunks[draft.citations[0].chunk_id].section)
    if not draft.lines:
        return None
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def answer_authority(a: "Assistant", s: "Session") -> Draft | None:
    draft = _new(a, s)
    for g in s.groups:
        doc = g.main
        if not doc.authority:
            return None
        n = draft.cite(doc.authority_chunk, [doc.authority])
        draft.say("authority", district=g.district, year=g.year, authority=doc.authority, n=n)
        draft.headline = draft.headline or doc.authority
        draft.scope = draft.scope or _scope_line(g.district, g.year, a.chunks[doc.authority_chunk].section)
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def _head_chunk(a: "Assistant", doc: AgreementFacts):
    chunks = a.document_chunks(doc.doc_id)
    return chunks[0] if chunks else None


def answer_parties(a: "Assistant", s: "Session") -> Draft | None:
    draft = _new(a, s)
    for g in s.groups:
        head = _head_chunk(a, g.main)
        if head is None:
            return None
        n = draft.cite(head.id, ["zwischen", "und dem", "und der", "Ministerium", g.district])
        draft.say("parties", district=g.district, year=g.year, n=n)
        draft.lines.append(quoted(draft.citations[n - 1].quote))
        draft.headline = draft.headline or draft.t["parties_headline"].format(district=g.district)
        draft.scope = draft.scope or _scope_line(g.district, g.year, head.section)
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def answer_overview(a: "Assistant", s: "Session") -> Draft | None:
    draft = _new(a, s)
    for g in s.groups:
        doc = g.main
        chunks = a.document_chunks(doc.doc_id)
        if not chunks:
            return None
        head = chunks[0]
        n = draft.cite(head.id, whole=True, quote=" ".join(head.text.split()))
        draft.say("overview", district=g.district, year=g.year, n=n)
        draft.lines.append(quoted(draft.citations[n - 1].quote))
        titles: list[str] = []
        for c in chunks:
            label = f"{c.section} {c.title}".strip()
            if c.numbered and label not in titles:
                titles.append(label)
        if titles:
            draft.say("overview_sections")
            draft.lines += [f"- {t}" for t in titles]
        draft.scope = draft.scope or _scope_line(g.district, g.year)
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def answer_section(a: "Assistant", s: "Session") -> Draft | None:
    draft = _new(a, s)
    title = fold(s.question.section_title)
    for g in s.groups:
        sections = list(s.question.sections) or list(dict.fromkeys(
            c.section for d in g.documents for c in a.document_chunks(d.doc_id) if title and fold(c.title) == title))
        for section in sections:
            chunks = [c for d in g.documents for c in a.document_chunks(d.doc_id) if c.section == section]
            if not chunks:
                continue
            title = chunks[0].title
            draft.say("section_intro", section=section, title=title, district=g.district, year=g.year)
            for c in chunks[:8]:
                n = draft.cite(c.id, whole=True)
                draft.lines.append(quoted(c.text) + f" [{n}]")
            draft.headline = draft.headline or f"{section} {title}".strip()
            draft.scope = draft.scope or _scope_line(g.district, g.year)  # the headline names the §
    if not draft.lines:
        return None  # no such section: the passages stage says what it searched
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


_TOPIC_FACTS = (
    (re.compile(r"budget|geld|betrag|haushaltsmittel|summe|euro|mittel"), "budget"),
    (re.compile(r"projekt|massnahm"), "projects"),
    (re.compile(r"unterschr|unterzeichn|sign"), "signatures"),
    (re.compile(r"bescheid|behoerde|regierungspraesidium"), "authority"),
)


def answer_where(a: "Assistant", s: "Session") -> Draft | None:
    """'In welchem Paragraph steht das Budget?': the section that holds a catalog fact."""
    topic = re.sub(r"\b(in welchem|welche[mr]?|wo|where|which|is|are|paragra\w*|abschnitt\w*|section|steht|stehen|stht|findet|"
                   r"finde|man|ich|das|die|der|listed|stated)\b", " ", s.question.masked or s.question.folded)
    kind = next((k for pattern, k in _TOPIC_FACTS if pattern.search(topic)), None)
    if kind is None and topic.strip():
        kind = {"amount": "budget", "projects": "projects", "count": "projects", "signatures": "signatures",
                "authority": "authority"}.get(a.classify(topic.strip())[0])
    if kind is None:
        return None
    draft = _new(a, s)
    for g in s.groups:
        doc = g.main
        chunk_id = {"budget": doc.budget_chunk, "authority": doc.authority_chunk,
                    "projects": doc.projects[0].chunk_id if doc.projects else None,
                    "signatures": doc.signatures[0].chunk_id if doc.signatures else None}[kind]
        chunk = a.chunks.get(chunk_id or "")
        if chunk is None:
            return None
        n = draft.cite(chunk.id, [doc.budget_text or ""] if kind == "budget" else [], whole=kind != "budget")
        draft.say("where", section=f"{chunk.section} {chunk.title}".strip(), district=g.district, year=g.year, n=n)
        draft.lines.append(quoted(draft.citations[n - 1].quote))
        draft.headline = draft.headline or chunk.section
        draft.scope = draft.scope or _scope_line(g.district, g.year, chunk.section)
    draft.about([g.district for g in s.groups], [g.year for g in s.groups])
    return draft


def _budget_rows(groups: list[Group]):
    rows = []
    for g in groups:
        amount, sources, computed = current_budget(g)
        if amount is not None and not g.conflicts:
            rows.append((g, amount, sources[-1], computed))
    return rows


def _say_left_out(draft: Draft, groups: list[Group], rows) -> None:
    """The district-years of a sum or ranking whose budget the catalog does not hold for certain: named, and the
    figure is shown as what it is, not as the answer (a sum or a first place without them may be wrong)."""
    counted = {(g.district, g.year) for g, _, _, _ in rows}
    missing = [g for g in groups if (g.district, g.year) not in counted]
    if missing:
        draft.say("budgets_left_out", names=", ".join(f"{g.district} {g.year}" for g in missing))
        draft.abstained = True
        draft.headline = ""


def _cited_budget_lines(draft: Draft, rows) -> None:
    """One line per district-year with its budget in force and the citation that holds it."""
    several_years = len({g.year for g, _, _, _ in rows}) > 1
    for g, amount, doc, computed in rows:
        m = draft.cite(doc.budget_chunk, [doc.budget_text or ""])
        name = f"{g.district} {g.year}" if several_years else g.district
        draft.lines.append(f"- {name}: {format_euro(amount)} [{m}]")
        draft.computed.append(amount)


_REGION = re.compile(r"regierungsbezirk|\bbezirk\b|\bregion\b")


def _year_groups(a: "Assistant", s: "Session") -> tuple[int | str, list[Group]]:
    """The year a ranking or total is over and its district-years; every year with "egal welches Jahr". None for a
    Regierungsbezirk, which the catalog does not know (a table of every district would answer another question)."""
    groups = s.groups
    if _REGION.search(s.question.folded) or not groups:
        return 0, []
    if s.question.all_years and not s.question.years:
        years = sorted({g.year for g in groups})
        return (f"{years[0]}–{years[-1]}" if len(years) > 1 else years[0]), groups
    year = max(s.question.years) if s.question.years else max(g.year for g in groups)
    return year, [g for g in groups if g.year == year]


def answer_ranking(a: "Assistant", s: "Session") -> Draft | None:
    year, groups = _year_groups(a, s)
    rows = _budget_rows(groups)
    low = s.question.low or (len(rows) == 2 and s.question.compare == "less")  # "wer bekommt weniger, A oder B?"
    rows.sort(key=lambda r: r[1], reverse=not low)
    if not rows:
        return None
    draft = _new(a, s)
    first_line = len(draft.lines)
    top_group, top_amount, top_doc, _ = rows[0]
    n = draft.cite(top_doc.budget_chunk, [top_doc.budget_text or ""])
    top = top_group.district if isinstance(year, int) else f"{top_group.district} {top_group.year}"
    draft.say("ranking_low" if low else "ranking", year=year, district=top,
              amount=format_euro(top_amount), n=n, agreements=_agreements_text(draft, len(rows)))
    draft.computed += [len(rows), top_amount] + [g.year for g, _, _, _ in rows]
    draft.headline = format_euro(top_amount)
    draft.scope = f"{top_group.district} {top_group.year}"
    _cited_budget_lines(draft, rows)
    if len(rows) == 2 and s.question.compare:  # "wer bekommt mehr, A oder B?": the verdict, not the top amount
        _head_budgets(draft, s.question, [(g, amount) for g, amount, _, _ in rows], first_line)
    _say_left_out(draft, groups, rows)
    draft.about([], sorted({g.year for g, _, _, _ in rows}))
    return draft


def answer_project_ranking(a: "Assistant", s: "Session") -> Draft | None:
    """'Welches Projekt hat die höchste Fördersumme?': the projects with an amount of their own, ranked,
    over every agreement in scope (every year unless the question names one); the agreements that give no
    project amounts are named, so the ranking never looks complete when it is not."""
    listed = [g for g in s.groups if _projects_certain(g.main)]
    rows = [(p, g) for g in listed for p in g.main.projects if p.amount_eur]
    if not rows:
        return _no_project_amounts(a, s, listed) if len(listed) == 1 else None
    rows.sort(key=lambda r: r[0].amount_eur, reverse=not s.question.low)
    draft = _new(a, s)
    several_years = len({g.year for _, g in rows}) > 1
    top, top_group = rows[0]
    n = draft.cite(top.chunk_id, quote=_project_quote(a.chunks[top.chunk_id].text, top.name, top.amount_text))
    draft.say("project_ranking_low" if s.question.low else "project_ranking", project=top.name,
              district=top_group.district, year=top_group.year, amount=format_euro(top.amount_eur), n=n,
              count=len(rows), shown=min(len(rows), 10))
    for p, g in rows[:10]:
        m = draft.cite(p.chunk_id, quote=_project_quote(a.chunks[p.chunk_id].text, p.name, p.amount_text))
        name = f"{g.district} {g.year}" if several_years else g.district
        draft.lines.append(f"- {p.name} ({name}): {format_euro(p.amount_eur)} [{m}]")
        draft.computed.append(p.amount_eur)
    without = sorted({f"{g.district} {g.year}" for g in s.groups} - {f"{g.district} {g.year}" for _, g in rows})
    if without:
        draft.say("project_ranking_without", agreements=", ".join(without))
    draft.computed += [len(rows), min(len(rows), 10), top_group.year] + [g.year for _, g in rows]
    draft.headline = format_euro(top.amount_eur)
    draft.scope = _scope_line(top_group.district, top_group.year, a.chunks[top.chunk_id].section)
    draft.about(sorted({g.district for _, g in rows}), sorted({g.year for _, g in rows}))
    return draft


def _no_project_amounts(a: "Assistant", s: "Session", groups: list[Group]) -> Draft:
    """An agreement whose project list gives no amounts: said with the list, and the budget for all."""
    draft = _new(a, s)
    for g in groups:
        doc = g.main
        n = draft.cite(doc.projects[0].chunk_id, whole=True)
        draft.say("project_amounts_none", district=g.district, year=g.year, n=n)
        amount, sources, _ = current_budget(g)
        if amount is not None:
            m = draft.cite(sources[-1].budget_chunk, [sources[-1].budget_text or ""])
            draft.say("category_budget", amount=format_euro(amount) if len(sources) > 1 else _euro(sources[-1]), m=m)
        draft.scope = draft.scope or _scope_line(g.district, g.year, a.chunks[doc.projects[0].chunk_id].section)
    draft.about([g.district for g in groups], [g.year for g in groups])
    draft.abstained = True
    return draft


def answer_total(a: "Assistant", s: "Session") -> Draft | None:
    year, groups = _year_groups(a, s)
    rows = _budget_rows(groups)
    if not rows:
        return None
    draft = _new(a, s)
    total = sum(amount for _, amount, _, _ in rows)
    if STATEWIDE.search(s.question.folded) and len(rows) < len(HESSE):
        # "AQB landesweit insgesamt": the agreements name no state-wide figure; only the sum of those on file
        draft.say("total_statewide", n=len(rows), all=len(HESSE), year=year)
        draft.computed += [len(HESSE)]
        draft.abstained = True
    draft.say("total", amount=format_euro(total), year=year, agreements=_agreements_text(draft, len(rows)))
    draft.computed += [total, len(rows)] + [g.year for g, _, _, _ in rows]
    draft.headline = format_euro(total)
    draft.scope = str(year)
    _cited_budget_lines(draft, rows)
    _say_left_out(draft, groups, rows)
    draft.about([], sorted({g.year for g, _, _, _ in rows}))
    return draft


def answer_on_file(a: "Assistant", s: "Session") -> Draft | None:
    """'Für welche Kreise liegen Zielvereinbarungen 2025 vor?': every district-year in scope, each cited by
    the head of its agreement."""
    groups = sorted(s.groups, key=lambda g: (-g.year, g.district))
    if not groups:
        return None
    draft = _new(a, s)
    draft.say("on_file", agreements=_agreements_text(draft, len(groups)),
              years=", ".join(str(y) for y in sorted({g.year for g in groups})))
    for g in groups:
        head = _head_chunk(a, g.main)
        n = draft.cite(head.id, [g.district]) if head else 0
        amended = draft.t["on_file_amended"] if len(g.documents) > 1 else ""
        draft.lines.append(f"- {g.district} {g.year}{amended}" + (f" [{n}]" if n else ""))
    draft.computed += [len(groups)] + [g.year for g in groups]
    draft.headline = _agreements_text(draft, len(groups))
    draft.about([], sorted({g.year for g in groups}))
    return draft


def answer_change(a: "Assistant", s: "Session") -> Draft | None:
    q = s.question
    amended = any(d.kind == AMENDMENT for g in s.groups for d in g.documents)
    one_year = len({g.year for g in a.groups() if g.district in {g.district for g in s.groups}}) == 1
    if amended and len(q.years) < 2 and (q.asks_amendment or one_year and q.relative_year != -1):
        # "um wie viel ist das Budget durch den Nachtrag gestiegen?", "wie hat es sich verändert?" with one
        # year on file: the amended amount and its change
        return answer_amount(a, s)
    districts = q.districts or sorted({g.district for g in s.groups})
    if len(districts) != 1 and not q.districts:
        return None
    draft = _new(a, s)
    every = [g for g in a.groups() if g.district in districts]
    if len(q.years) >= 2:
        every = [g for g in every if g.year in q.years]
    elif len(q.years) == 1:  # "seit 2024": that year and every later one
        every = [g for g in every if g.year >= q.years[0]]
    for district in districts:
        groups = [g for g in every if g.district == district]
        draft.say("change", district=district)
        previous = None
        if (stated := _stated_earlier(draft, groups, q.years)) is not None:
            previous = stated  # the year before is not on file, but the agreement states its budget
            groups_seen = 2
        else:
            groups_seen = len(groups)
        for g in groups:
            amount, sources, computed = current_budget(g)
            if amount is None:
                continue
            n = draft.cite(sources[-1].budget_chunk, [sources[-1].budget_text or ""])
            draft.lines.append("- " + draft.t["change_line"].format(year=g.year, amount=format_euro(amount), n=n))
            draft.computed.append(amount)
            if previous is not None:
                delta = amount - previous[1]
                base = previous[1] or 1
                sign = "+" if delta >= 0 else "−"
                percent = f"{sign}{abs(delta) / base * 100:.1f} %".replace(".", "," if draft.lang == "de" else ".")
                draft.lines.append("  " + draft.t["change_delta"].format(
                    from_year=previous[0], to_year=g.year, delta=sign + format_euro(abs(delta)), percent=percent))
                draft.computed.append(abs(delta))
                draft.headline = draft.headline or f"{sign}{format_euro(abs(delta))} ({percent})"
            previous = (g.year, amount)
        if groups_seen < 2:
            years = ", ".join(str(g.year) for g in a.groups() if g.district == district)
            draft.say("change_one_year", years=years)
    draft.about(districts, [g.year for g in every])
    return draft


def _stated_earlier(draft: Draft, groups: list[Group], years: list[int]) -> tuple[int, int] | None:
    """The budget of the year before the first one on file (or of an asked earlier year), as the first agreement
    states it for comparison ("nachrichtlich: … Vorjahr 2024 | 1.968.400 €"): said and cited; (year, amount)."""
    first = groups[0].agreement if groups else None
    if first is None:
        return None
    wanted = [y for y in years if y < groups[0].year] or [groups[0].year - 1]
    stated = next((b for b in first.earlier_budgets if int(b.label) in wanted), None)
    if stated is None:
        return None
    n = draft.cite(stated.chunk_id, [stated.amount_text])
    draft.lines.append("- " + draft.phrase("change_line_stated", year=stated.label, amount=format_euro(stated.amount_eur), n=n,
                                           source=groups[0].year))
    draft.computed.append(stated.amount_eur)
    return int(stated.label), stated.amount_eur


_CHANGE_KINDS = {"new": re.compile(r"\bneue?n?\b|dazu ?gekommen|hinzu ?gekommen|\bnew\b"),
                 "dropped": re.compile(r"gestrichen|weggefallen|entfallen|nicht mehr\b|dropped"),
                 "renamed": re.compile(r"umbenannt|umbenennung|renamed|frueher|bisher")}


def answer_project_changes(a: "Assistant", s: "Session") -> Draft | None:
    """'Welche Projekte sind 2025 neu, welche entfallen, welche umbenannt?': the district's project list of the
    asked (or newest) year against the year before, both cited; a renamed project ("bisher: …") is neither new
    nor dropped. None when one of the two lists is uncertain or there is no year before."""
    q = s.question
    districts = q.districts or sorted({g.district for g in s.groups})
    if len(districts) != 1:
        return None
    years = sorted(g.year for g in a.groups() if g.district == districts[0])
    year = max(q.years) if q.years else (years[-1] if years else 0)
    before = [y for y in years if y < year]
    if year not in years or not before:
        return None
    group = {g.year: g for g in a.groups() if g.district == districts[0]}
    now, then = group[year].main, group[before[-1]].main
    if not (_projects_certain(now) and _projects_certain(then)):
        return None
    old = {fold(p.name): p for p in then.projects}
    renamed = [p for p in now.projects if p.former_name and fold(p.former_name) in old and fold(p.name) not in old]
    kept = {fold(p.former_name) for p in renamed}
    new = [p for p in now.projects if fold(p.name) not in old and p not in renamed]
    dropped = [p for key, p in old.items() if key not in kept and key not in {fold(x.name) for x in now.projects}]
    draft = _new(a, s)
    n_now = draft.cite(now.projects[0].chunk_id, _project_needles(new + renamed) or [now.projects[0].name])
    n_then = draft.cite(then.projects[0].chunk_id, _project_needles(dropped) or [then.projects[0].name])
    draft.say("project_changes", district=districts[0], year=year, before=then.year, n=n_now, m=n_then)
    asked = {kind for kind, cue in _CHANGE_KINDS.items() if cue.search(q.folded)} or set(_CHANGE_KINDS)
    pairs = [f"{p.name} ({draft.t['project_changes_was']} {p.former_name})" for p in renamed]
    for kind, names in (("new", [p.name for p in new]), ("dropped", [p.name for p in dropped]), ("renamed", pairs)):
        if kind in asked:  # the kind of change asked for; all three when the question names none
            draft.lines.append("- " + draft.t[f"project_changes_{kind}"].format(
                names=", ".join(names) or draft.t["project_changes_nothing"], n=n_now, m=n_then))
    draft.computed += [year, then.year, len(new), len(dropped), len(renamed)]
    draft.headline = f"{len(new)} neu, {len(dropped)} entfallen, {len(renamed)} umbenannt" if draft.lang == "de" else \
        f"{len(new)} new, {len(dropped)} dropped, {len(renamed)} renamed"
    draft.about(districts, [then.year, year])
    return draft


def answer_project_districts(a: "Assistant", s: "Session") -> Draft | None:
    q = s.question
    if not q.projects:
        return None
    draft = _new(a, s)
    for project_name in q.projects:
        rows = []
        for g in s.groups:
            for p in g.main.projects:
                if p.name == project_name:
                    n = draft.cite(p.chunk_id, [p.name])
                    amount = f", {p.amount_text}" if p.amount_text else ""
                    rows.append(f"- {g.district} ({g.year}{amount}) [{n}]")
        draft.say("project_districts", project=project_name, count_text=draft.t["n_agreements"].format(count=len(rows)))
        draft.lines.extend(rows)
        draft.computed.append(len(rows))
    draft.about([], q.years)
    return draft


def answer_carrier(a: "Assistant", s: "Session") -> Draft | None:
    """'Für welche Kreise arbeitet das Bildungswerk Mittelland 2024?': every project on file whose Träger it is, by
    district and year (or in the districts and years asked), each cited where the agreement names the Träger."""
    q = s.question
    draft = _new(a, s)
    groups = [g for g in a.groups() if (not q.districts or g.district in q.districts) and (not q.years or g.year in q.years)]
    by_doc: dict[str, list[Chunk]] = {}
    for chunk in a.chunks.values():
        by_doc.setdefault(chunk.doc_id, []).append(chunk)
    for carrier in q.carriers:
        rows = [(g, p) for g in groups for p in g.listing.projects if p.carrier == carrier]
        # an agreement whose catalog holds no such project may still name the Träger in its text (a list the
        # reading did not split into projects): the passage that names it, cited as it stands
        listed = {(g.district, g.year) for g, _ in rows}
        named = [(g, c) for g in groups if (g.district, g.year) not in listed
                 for c in [next((c for d in g.documents for c in by_doc.get(d.doc_id, []) if names_carrier(c.text, carrier)),
                                None)]
                 if c is not None]
        count = len(listed) + len(named)
        districts = list(dict.fromkeys([g.district for g, _ in rows] + [g.district for g, _ in named]))
        draft.say("carrier_intro", carrier=carrier, agreements=_agreements_text(draft, count))
        for g, p in rows:
            n = draft.cite(p.chunk_id, [p.name, carrier])
            draft.lines.append(f"- {g.district} {g.year}: {p.name} [{n}]")
        for g, chunk in named:
            n = draft.cite(chunk.id, [carrier])
            draft.lines.append(f"- {g.district} {g.year}: {draft.phrase('carrier_in_text', section=chunk.section)} [{n}]")
        draft.computed.append(count)
        draft.headline = draft.headline or ", ".join(districts)
        draft.about(districts, sorted({g.year for g, _ in rows} | {g.year for g, _ in named}))
    return draft if draft.citations else None


def answer_definition(a: "Assistant", s: "Session") -> Draft | None:
    """'Was ist das AQB?': the glossary's explanation, then the passage that introduces the term: in a
    section named after it if there is one, where the term comes first."""
    from assistant import glossary

    entry = glossary.lookup(s.question.text)
    if entry is None:
        return None  # no explanation of our own: the passages stage decides whether the text answers it
    draft = _new(a, s)
    draft.say("glossary", term=entry.term, definition=entry.definition)
    draft.headline = entry.term
    names = [fold(n) for n in (entry.term, *entry.aliases)]
    candidates = []
    for doc_id in s.doc_ids or [d.doc_id for d in a.agreements()]:
        for c in a.document_chunks(doc_id):
            text = fold(c.text)
            positions = [text.find(n) for n in names if n in text]
            if positions:
                in_title = any(n in fold(c.title) for n in names)
                candidates.append((not in_title, c.ordinal, c))
    if candidates:
        best = min(candidates, key=lambda x: x[:2])[2]
        quote = a.passage_quote(best, s.question)
        n = draft.cite(best.id, quote=quote)
        draft.say("glossary_passage", section=best.section, year=best.year, district=best.district, n=n)
        draft.lines.append(quoted(quote))
        draft.scope = _scope_line(best.district, best.year, best.section)
        draft.about([best.district], [best.year])
    return draft


FACT_ANSWERS: dict[str, Callable[["Assistant", "Session"], Draft | None]] = {
    "amount": answer_amount,
    "projects": answer_projects,
    "count": answer_count,
    "project_amount": answer_project_amount,
    "category_amount": answer_category_amount,
    "project_ranking": answer_project_ranking,
    "signatures": answer_signatures,
    "authority": answer_authority,
    "validity": answer_validity,
    "parties": answer_parties,
    "overview": answer_overview,
    "section": answer_section,
    "where": answer_where,
    "ranking": answer_ranking,
    "total": answer_total,
    "change": answer_change,
    "project_changes": answer_project_changes,
    "project_districts": answer_project_districts,
    "carrier": answer_carrier,
    "on_file": answer_on_file,
    "definition": answer_definition,
}
# intents answered over many district-years at once; the others want one district (or each named one)
ACROSS_DISTRICTS = {"ranking", "project_ranking", "total", "project_districts", "change", "project_changes", "on_file",
                    "carrier"}
