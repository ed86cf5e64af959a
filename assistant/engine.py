"""The answer engine: understand the question, pick facts or passages, compose a cited answer.

No LLM: amounts, projects, people and dates come from the facts catalog; anything else is quoted
from the best passage. Every figure in an answer stands in a cited quote, or is marked as computed.
"""

from __future__ import annotations

import re

import prompts
from assistant.catalog import Group, amended_agreement, group_agreements
from assistant.question import Question, best_category, category_terms, district_aliases, understand
from assistant.retrieval import Retriever, overlap, sentences
from domain.answer import Answer, Citation, Turn
from domain.german import fold, format_euro, numbers_in, terms, words
from vectorstore.lexical import LexicalIndex
from domain.records import AMENDMENT, AgreementFacts, Chunk
from vectorstore.store import AgreementStore


_PER_DISTRICT = {"amount", "projects", "signatures", "authority"}
_QUESTION_WORDS = set(words(
    "Geld Budget Euro Projekt Projekte Mittel Kreis Landkreis Stadt Vereinbarung Zielvereinbarung Jahr Summe "
    "Betrag Höhe Förderung Bescheid Maßnahmen Maßnahme Behörde Unterschrift Datum Tag Landrat Landrätin "
    "Gebietskörperschaft Kommune Budgets Haushaltsmittel Projekten How What Which Who When Where Does Did "
    "The District City County Agreement Money Funding Wie Was Welche Welcher Welches Wer Wann Wo Und Gibt"
))


class _Writer:
    """Collects answer lines and numbered citations."""

    def __init__(self, lang: str, chunks: dict[str, Chunk]) -> None:
        self.lang = lang
        self.t = prompts.phrases(lang)
        self.chunks = chunks
        self.lines: list[str] = []
        self.citations: list[Citation] = []
        self.computed: list[int] = []

    def say(self, key: str, **values) -> None:
        self.lines.append(self.t[key].format(**values))

    def cite(self, chunk_id: str | None, needles: list[str] | None = None, whole: bool = False) -> int:
        chunk = self.chunks.get(chunk_id or "")
        if chunk is None:
            return 0
        quote = chunk.text if whole else quote_for(chunk.text, needles or [])
        for citation in self.citations:
            if citation.chunk_id == chunk.id and citation.quote == quote:
                return citation.n
        n = len(self.citations) + 1
        self.citations.append(
            Citation(n, chunk.doc_id, chunk.district, chunk.year, chunk.section, chunk.page, quote, chunk.id, chunk.title)
        )
        return n

    def answer(self, intent: str, abstained: bool = False, districts=(), years=()) -> Answer:
        return Answer(
            answer="\n".join(self.lines),
            citations=self.citations,
            abstained=abstained,
            intent=intent,
            computed=self.computed,
            districts=list(dict.fromkeys(districts)),
            years=sorted(set(years)),
        )


def district_words(districts) -> set[str]:
    """The terms of every name a district goes by, to leave them out of topic matching."""
    return {t for d in districts for alias in sum(district_aliases(d), []) for t in terms(alias)}


def quote_for(text: str, needles: list[str]) -> str:
    """The sentences (or list lines) of a chunk that hold any of the needles; the first if none does."""
    parts = sentences(text)
    if not needles:
        return parts[0] if parts else text
    folded_needles = [fold(n) for n in needles if n]
    hits = [p for p in parts if any(n in fold(p) for n in folded_needles)]
    return " … ".join(hits) if hits else (parts[0] if parts else text)


def _euro(doc: AgreementFacts) -> str:
    return doc.budget_text or format_euro(doc.budget_eur or 0)


class Assistant:
    """Answers questions over the agreements in a store. `ask` is all a front end needs."""

    def __init__(self, store: AgreementStore, retrieval: str = "dense") -> None:
        self.store = store
        self.retrieval_mode = retrieval
        self._generation: tuple | None = None
        self.refresh()

    # -- state -------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the catalog and the lexical index if the store changed since the last question."""
        generation = self.store.generation()
        if generation == self._generation:
            return
        self.catalog = self.store.documents()
        chunks = self.store.all_chunks()
        self.chunks = {c.id: c for c in chunks}
        self.index = LexicalIndex(chunks)
        self.vocabulary = {w for c in chunks for w in words(f"{c.title} {c.text}")}
        self.retriever = Retriever(self.store, self.index, self.retrieval_mode)
        self._groups = group_agreements(self.catalog)
        self._generation = generation

    def groups(self) -> list[Group]:
        return self._groups

    def amends(self, doc: AgreementFacts) -> str | None:
        return amended_agreement(doc, self.catalog)

    # -- entry point -------------------------------------------------------------------------
    def ask(
        self,
        question: str,
        history: list[Turn] | None = None,
        district: str | None = None,
        year: int | None = None,
    ) -> Answer:
        self.refresh()
        q = understand(question, self.catalog)
        w = _Writer(q.lang, self.chunks)
        if not self.catalog:
            w.say("empty_store")
            return w.answer(q.intent, abstained=True)
        if q.intent == "signatures":  # "in Wiesbaden unterzeichnet": a place of signing, not a district
            places = {fold(s.place) for d in self.catalog for s in d.signatures}
            q.missing_districts = [m for m in q.missing_districts if not any(p in fold(m) for p in places)]
        self._apply_context(q, history or [], district, year)
        if not q.districts and not q.missing_districts and q.intent in _PER_DISTRICT:
            q.missing_districts = self._unknown_names(question)
        if q.missing_districts and not q.districts:
            w.say("no_district", district=", ".join(q.missing_districts), available=self._available())
            w.computed += [d.year for d in self.catalog]
            return w.answer(q.intent, abstained=True)
        handler = getattr(self, f"_answer_{q.intent}")
        return handler(q, w)

    def _apply_context(self, q: Question, history: list[Turn], district: str | None, year: int | None) -> None:
        if district and not q.districts and not q.missing_districts:
            q.districts = [district] if district in {d.district for d in self.catalog} else []
            if not q.districts:
                q.missing_districts = [district]
        if year and not q.years:
            q.years = [year]
        if q.districts or q.missing_districts or q.intent in ("ranking", "total", "project_districts"):
            return
        for turn in reversed(history):
            earlier = turn.answer.districts if turn.answer and turn.answer.districts else None
            if earlier is None:
                earlier = understand(turn.question, self.catalog).districts or None
            if earlier:
                q.districts = list(earlier)
                if not q.years:
                    q.years = understand(turn.question, self.catalog).years
                return

    def _unknown_names(self, question: str) -> list[str]:
        """Capitalised words that no agreement contains: a place with no agreement on file ("Musterstadt")."""
        names = []
        for token in re.findall(r"(?<=\s)[A-ZÄÖÜ][\wäöüß\-]{2,}", question):
            if fold(token) not in self.vocabulary and fold(token) not in _QUESTION_WORDS and fold(token).rstrip("s") not in self.vocabulary:
                names.append(token)
        return names

    def _available(self) -> str:
        years: dict[str, list[int]] = {}
        for doc in self.catalog:
            years.setdefault(doc.district, []).append(doc.year)
        return "; ".join(f"{d} ({', '.join(map(str, sorted(set(y))))})" for d, y in sorted(years.items()))

    # -- scope -------------------------------------------------------------------------------
    def _scope(self, q: Question, w: _Writer, latest: bool = True) -> list[Group] | Answer:
        """The district-years a question is about, or an abstaining answer that says what is on file."""
        groups = self.groups()
        if q.districts:
            groups = [g for g in groups if g.district in q.districts]
        if q.years:
            chosen = [g for g in groups if g.year in q.years]
            if not chosen:
                on_file = sorted({g.year for g in groups})
                w.computed += on_file
                if q.districts:
                    w.say("no_year", district=", ".join(q.districts), year=", ".join(map(str, q.years)),
                          years=", ".join(map(str, on_file)))
                else:
                    w.say("no_year_all", year=", ".join(map(str, q.years)), years=", ".join(map(str, on_file)))
                return w.answer(q.intent, abstained=True, districts=q.districts, years=q.years)
            return chosen
        if latest:
            newest: dict[str, Group] = {}
            for g in groups:
                if g.district not in newest or g.year > newest[g.district].year:
                    newest[g.district] = g
            return sorted(newest.values(), key=lambda g: g.district)
        return groups

    def _one_district(self, q: Question, w: _Writer) -> list[Group] | Answer:
        scope = self._scope(q, w)
        if isinstance(scope, Answer):
            return scope
        if len({g.district for g in scope}) > 1 and not q.districts:
            w.say("clarify_district", available=self._available())
            w.computed += [d.year for d in self.catalog]
            return w.answer(q.intent, abstained=True)
        self._say_ambiguous(q, w)
        return scope

    def _say_ambiguous(self, q: Question, w: _Writer) -> None:
        for name in q.ambiguous:
            w.say("ambiguous", name=name.title())

    # -- structured answers ------------------------------------------------------------------
    def _answer_amount(self, q: Question, w: _Writer) -> Answer:
        scope = self._scope(q, w)
        if isinstance(scope, Answer):
            return scope
        self._say_ambiguous(q, w)
        for g in scope:
            current = g.current_budget
            if current is None:
                w.say("budget_missing", district=g.district, year=g.year)
                continue
            original = g.agreement
            if current.kind == AMENDMENT and original and original.budget_eur is not None:
                n = w.cite(current.budget_chunk, [current.budget_text or ""])
                m = w.cite(original.budget_chunk, [original.budget_text or ""])
                w.say("budget_amended", district=g.district, year=g.year, amount=_euro(current), original=_euro(original), n=n, m=m)
            else:
                n = w.cite(current.budget_chunk, [current.budget_text or ""])
                w.say("budget", district=g.district, year=g.year, amount=_euro(current), n=n)
        return w.answer("amount", districts=[g.district for g in scope], years=[g.year for g in scope])

    def _project_lines(self, w: _Writer, doc: AgreementFacts, category: str | None) -> list[str]:
        projects = [p for p in doc.projects if category is None or p.category == category]
        lines: list[str] = []
        current = object()
        for p in projects:
            if category is None and p.category != current:
                current = p.category
                if p.category:
                    lines.append(f"{p.category_no}. {p.category}" if p.category_no else p.category)
            amount = f" – {p.amount_text}" if p.amount_text else ""
            lines.append(f"- {p.name}{amount}")
        return lines

    def _answer_projects(self, q: Question, w: _Writer) -> Answer:
        scope = self._one_district(q, w)
        if isinstance(scope, Answer):
            return scope
        for g in scope:
            doc = g.main
            if not doc.projects:
                w.say("projects_none", district=g.district, year=g.year)
                continue
            category = best_category(q, doc.categories, district_words([g.district]))
            chunk_id = doc.projects[0].chunk_id
            if category:
                chosen = [p for p in doc.projects if p.category == category]
                n = w.cite(chunk_id, [category] + [p.name for p in chosen])
                count_text = (f"{len(chosen)} Projekte" if w.lang == "de" else f"{len(chosen)} projects") if len(chosen) != 1 else ("ein Projekt" if w.lang == "de" else "one project")
                w.say("category_intro", district=g.district, year=g.year, category=category, count_text=count_text, n=n)
                w.computed.append(len(chosen))
            else:
                n = w.cite(chunk_id, whole=True)
                w.say("projects_intro", district=g.district, year=g.year, count=len(doc.projects),
                      groups=len(doc.categories) or 1, n=n)
                w.computed += [len(doc.projects), len(doc.categories)]
            w.lines.extend(self._project_lines(w, doc, category))
        return w.answer("projects", districts=[g.district for g in scope], years=[g.year for g in scope])

    def _answer_project_amount(self, q: Question, w: _Writer) -> Answer:
        if not q.projects:
            w.say("project_unknown")
            return w.answer("project_amount", abstained=True)
        scope = self._scope(q, w)
        if isinstance(scope, Answer):
            return scope
        answered = False
        for g in scope:
            doc = g.main
            for p in doc.projects:
                if p.name not in q.projects:
                    continue
                if p.amount_text:
                    n = w.cite(p.chunk_id, [p.name])
                    w.say("project_amount", project=p.name, district=g.district, year=g.year, amount=p.amount_text, n=n)
                    answered = True
                elif doc.budget_eur is not None:
                    n = w.cite(doc.budget_chunk, [doc.budget_text or ""])
                    w.say("project_amount_missing", project=p.name, district=g.district, year=g.year, amount=_euro(doc), n=n)
                else:
                    w.say("project_amount_missing_nobudget", project=p.name, district=g.district, year=g.year)
        if not w.lines:
            w.say("project_unknown")
        return w.answer("project_amount", abstained=not answered, districts=[g.district for g in scope], years=[g.year for g in scope])

    def _answer_project_districts(self, q: Question, w: _Writer) -> Answer:
        if not q.projects:
            w.say("project_unknown")
            return w.answer("project_districts", abstained=True)
        scope = self._scope(q, w, latest=False)
        if isinstance(scope, Answer):
            return scope
        for project_name in q.projects:
            rows = []
            for g in scope:
                for p in g.main.projects:
                    if p.name == project_name:
                        n = w.cite(p.chunk_id, [p.name])
                        amount = f", {p.amount_text}" if p.amount_text else ""
                        rows.append(f"- {g.district} ({g.year}{amount}) [{n}]")
            count_text = (f"{len(rows)} Vereinbarungen" if w.lang == "de" else f"{len(rows)} agreements")
            w.say("project_districts", project=project_name, count_text=count_text)
            w.lines.extend(rows)
            w.computed.append(len(rows))
        return w.answer("project_districts", districts=[], years=q.years)

    def _answer_signatures(self, q: Question, w: _Writer) -> Answer:
        scope = self._one_district(q, w)
        if isinstance(scope, Answer):
            return scope
        for g in scope:
            for doc in g.documents:
                if not doc.signatures:
                    continue
                n = w.cite(doc.signatures[0].chunk_id, [s.date_text for s in doc.signatures] + [s.name or "" for s in doc.signatures])
                w.say("signatures_intro", district=g.district, year=g.year, n=n)
                for s in doc.signatures:
                    person = ", ".join(x for x in (s.name, s.role, s.organisation) if x)
                    w.lines.append("- " + w.t["signature_line"].format(place=s.place, date_text=s.date_text, person=person))
        if not w.lines:
            return self._answer_text(q, w)
        return w.answer("signatures", districts=[g.district for g in scope], years=[g.year for g in scope])

    def _answer_authority(self, q: Question, w: _Writer) -> Answer:
        scope = self._one_district(q, w)
        if isinstance(scope, Answer):
            return scope
        for g in scope:
            doc = g.main
            if doc.authority:
                n = w.cite(doc.authority_chunk, [doc.authority])
                w.say("authority", district=g.district, year=g.year, authority=doc.authority, n=n)
            else:
                w.say("authority_missing", district=g.district, year=g.year)
        return w.answer("authority", districts=[g.district for g in scope], years=[g.year for g in scope])

    @staticmethod
    def _budgeted(groups: list[Group]) -> list[tuple[Group, AgreementFacts]]:
        """(group, the document that holds its current budget) for every group with a budget."""
        return [(g, g.current_budget) for g in groups if g.current_budget is not None]

    def _year_groups(self, q: Question, w: _Writer) -> tuple[int, list[Group]] | Answer:
        scope = self._scope(q, w, latest=False)
        if isinstance(scope, Answer):
            return scope
        year = max(q.years) if q.years else max(g.year for g in scope)
        return year, [g for g in scope if g.year == year]

    def _answer_ranking(self, q: Question, w: _Writer) -> Answer:
        picked = self._year_groups(q, w)
        if isinstance(picked, Answer):
            return picked
        year, groups = picked
        rows = sorted(self._budgeted(groups), key=lambda r: r[1].budget_eur or 0, reverse=not q.low)
        if not rows:
            return self._answer_text(q, w)
        top_group, top_doc = rows[0]
        n = w.cite(top_doc.budget_chunk, [top_doc.budget_text or ""])
        w.say("ranking_low" if q.low else "ranking", year=year, district=top_group.district, amount=_euro(top_doc), n=n, count=len(rows))
        w.computed.append(len(rows))
        for g, doc in rows:
            m = w.cite(doc.budget_chunk, [doc.budget_text or ""])
            w.lines.append(f"- {g.district}: {_euro(doc)} [{m}]")
        return w.answer("ranking", years=[year])

    def _answer_total(self, q: Question, w: _Writer) -> Answer:
        picked = self._year_groups(q, w)
        if isinstance(picked, Answer):
            return picked
        year, groups = picked
        rows = self._budgeted(groups)
        total = sum(doc.budget_eur or 0 for _, doc in rows)
        w.say("total", amount=format_euro(total), year=year, count=len(rows))
        w.computed += [total, len(rows)]
        for g, doc in rows:
            m = w.cite(doc.budget_chunk, [doc.budget_text or ""])
            w.lines.append(f"- {g.district}: {_euro(doc)} [{m}]")
        return w.answer("total", years=[year])

    def _answer_change(self, q: Question, w: _Writer) -> Answer:
        if not q.districts:
            w.say("clarify_district", available=self._available())
            return w.answer("change", abstained=True)
        scope = [g for g in self.groups() if g.district in q.districts]
        if len(q.years) >= 2:
            scope = [g for g in scope if g.year in q.years]
        elif len(q.years) == 1:  # "seit 2024": that year and every later one
            scope = [g for g in scope if g.year >= q.years[0]]
        for district in q.districts:
            groups = [g for g in scope if g.district == district]
            w.say("change", district=district)
            previous = None
            for g in groups:
                current = g.current_budget
                if current is None:
                    continue
                n = w.cite(current.budget_chunk, [current.budget_text or ""])
                w.lines.append("- " + w.t["change_line"].format(year=g.year, amount=_euro(current), n=n))
                if previous is not None:
                    delta = (current.budget_eur or 0) - (previous[1].budget_eur or 0)
                    base = previous[1].budget_eur or 1
                    sign = "+" if delta >= 0 else "−"
                    percent = f"{sign}{abs(delta) / base * 100:.1f} %".replace(".", "," if w.lang == "de" else ".")
                    w.lines.append("  " + w.t["change_delta"].format(
                        from_year=previous[0], to_year=g.year, delta=sign + format_euro(abs(delta)), percent=percent))
                    w.computed.append(abs(delta))
                previous = (g.year, current)
            if len(groups) < 2:
                years = ", ".join(str(g.year) for g in self.groups() if g.district == district)
                w.lines.append(("Nur ein Jahr liegt vor: " if w.lang == "de" else "Only one year on file: ") + years)
        return w.answer("change", districts=q.districts, years=[g.year for g in scope])

    # -- passages ----------------------------------------------------------------------------
    def passages(self, question: str, history: list[Turn] | None = None, district: str | None = None,
                 year: int | None = None, k: int = 5) -> list[Chunk]:
        """The best passages within the question's scope (district, year, follow-up context)."""
        self.refresh()
        q = understand(question, self.catalog)
        self._apply_context(q, history or [], district, year)
        scope = self._scope(q, _Writer(q.lang, self.chunks), latest=not q.years)
        if isinstance(scope, Answer) or not scope:
            return []
        doc_ids = [d.doc_id for g in scope for d in g.documents]
        return self.retriever.retrieve(q.text, doc_ids, k=k)

    def _answer_text(self, q: Question, w: _Writer) -> Answer:
        scope = self._scope(q, w, latest=not q.years)
        if isinstance(scope, Answer):
            return scope
        doc_ids = [d.doc_id for g in scope for d in g.documents]
        searched = self._searched(scope)
        w.computed += [g.year for g in scope]
        found = self.retriever.retrieve(q.text, doc_ids, k=6)[:4]
        wanted = category_terms(q, district_words(g.district for g in scope))
        # a paraphrase the embedder ranks low can still share the question's rare words: two BM25
        # candidates for the topic words alone (not district or year) join, and win only by holding more of them
        seen = {c.id for c in found}
        found += [c for c in self.retriever.lexical(" ".join(sorted(wanted)), doc_ids, k=2) if c.id not in seen]
        best, best_overlap = None, 0
        for rank, chunk in enumerate(found):
            hits = overlap(wanted, chunk.text + " " + chunk.title)
            if hits > best_overlap or (best is None and hits):
                best, best_overlap = chunk, hits
            if rank == 0 and hits >= max(1, len(wanted) // 3):
                break
        if best is None:
            w.say("not_found", searched=searched)
            return w.answer("text", abstained=True, districts=q.districts, years=q.years)
        quote = self._passage_quote(best, wanted)
        if q.asks_count and not (numbers_in(quote) - {best.year}):
            w.say("no_number", searched=searched)
            return w.answer("text", abstained=True, districts=q.districts, years=q.years)
        n = w.cite(best.id, [quote])
        w.citations[n - 1].quote = quote
        w.say("passage", section=best.section, year=best.year, district=best.district, n=n)
        w.lines.append(f"„{quote}“")
        return w.answer("text", districts=[best.district], years=[best.year])

    @staticmethod
    def _passage_quote(chunk: Chunk, wanted: set[str]) -> str:
        if len(chunk.text) <= 600:
            return chunk.text
        parts = sentences(chunk.text)
        scored = sorted(range(len(parts)), key=lambda i: -overlap(wanted, parts[i]))[:2]
        return " ".join(parts[i] for i in sorted(scored))

    def _searched(self, scope: list[Group]) -> str:
        if not scope:
            return "—"
        names = [f"{g.district} {g.year}" for g in scope]
        if len(names) > 6:
            return f"{len(names)} Zielvereinbarungen"
        return ", ".join(names)


def contains_only_cited_numbers(answer: Answer, question: str = "") -> bool:
    """Every number in the answer text stands in a cited quote, was computed by the engine, or echoes the question."""
    allowed = set(answer.computed) | numbers_in(question)
    for citation in answer.citations:
        allowed |= numbers_in(citation.quote)
        allowed.add(citation.year)
    text = re.sub(r"\[\d+\]", " ", answer.answer)
    text = re.sub(r"^\s*\d+\.\s", " ", text, flags=re.MULTILINE)  # list numbering of Maßnahmenarten
    return numbers_in(text) <= allowed | {n for n in range(0, 10)}
