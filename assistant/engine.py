"""The answer service: one path of named stages for every question, from every front end.

    understand → scope → facts → passages → compose  (→ phrase → verify, when a language model is set)

No LLM is needed: amounts, projects, people and dates come from the facts catalog
(`fact_answers.py`); anything else is quoted from the best passage. Every figure in an answer stands in
a cited quote or is marked as computed. The engine states an absence only with the place it looked,
and shows the nearest passages with it.
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import astuple
from typing import Iterator

from rapidfuzz import fuzz, process

import prompts

from assistant.catalog import Group, agreements_only, amended_agreement, group_agreements, named_part
from assistant.compose import Abstention, Draft, excerpt, merge, quoted
from assistant.fact_answers import ACROSS_DISTRICTS, FACT_ANSWERS, district_words, filters_projects
from assistant.intents import MIN_SIMILARITY, IntentClassifier
from assistant.question import (Question, category_terms, focus_term, kind_terms, named_kinds, split_keywords,
                                split_parts, topic_groups, understand)
from assistant.retrieval import Retriever, coverage, overlap, sentences
from assistant.session import Session
from domain.answer import Answer, Turn
from domain.districts import aliases, is_city
from domain.german import STOPWORDS, fold, numbers_in, terms, words, years_in
from domain.records import AMENDMENT, SUPPORTING, AgreementFacts, Chunk
from vectorstore.lexical import LexicalIndex
from vectorstore.store import AgreementStore

__all__ = ["Assistant", "amended_agreement", "contains_only_cited_numbers"]

_PLACE_NAME = re.compile(  # a capitalised word after "von/in/für …" that looks like a place name
    r"(?:\bvon|\bin|\bfür|\bbekommt|\berhält|\bkriegt|\bfor|\bdoes)\s+(?:der\s+|dem\s+|die\s+)?"
    r"([A-ZÄÖÜ][a-zäöüß]+(?:hausen|stadt|burg|dorf|heim|berg|feld|bach|au|ingen|ingen|furt|hafen|kreis|tal|wald|rode))\b"
)
_FACT_INTENTS = set(FACT_ANSWERS) - {"definition", "section", "where"}
_ASKS_WHEN = re.compile(r"\bbis wann\b|\bwann\b|\bfrist|\bfaellig|\bdeadline|\bwhen\b|\bby when\b|\btermin")
_DATE_IN_TEXT = re.compile(r"\b\d{1,2}\.\s?(?:\d{1,2}\.|(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|"
                           r"November|Dezember)\b)\s?\d{2,4}|\b(?:im|zum) (?:Frühjahr|Sommer|Herbst|Winter|Jahresende)\b|"
                           r"\bQuartal\b|\bbis (?:zum|Ende)\b")
_ASKS_WHO = re.compile(r"^(?:und )?wer\b|\bwer (?:ist|sind|hat|haben|entscheidet|muss|darf|kann|leitet|fuehrt|traegt|"
                       r"unterschreibt|prueft|bewilligt|koordiniert)\b|\bwelche (?:stelle|behoerde|person)|\bwho\b|\bansprechp")
_PERSON_OR_OFFICE = re.compile(r"\b(?:Herr|Frau|Dr\.|Landr[aä]t(?:in)?|(?:Staats)?[Mm]inister(?:in|ium)?|Dezernat|Regierungspräsidium|"
                               r"Kreisausschuss|Magistrat|Jobcenter|Agentur für Arbeit|Steuerungsgruppe|Staatssekretär(?:in)?|"
                               r"(?:Ober)?[Bb]ürgermeister(?:in)?|Geschäftsstelle|Koordinierungsstelle|Landrat|Referat|Abteilung)\b")
_ASKS_MONEY = re.compile(r"\bwie ?viel(?!e)\b|\bwie hoch\b|\bbetrag|\bsumme\b|\bhow much\b|kostet|kosten\b")
_MONEY_IN_TEXT = re.compile(r"\d[\d.]*(?:,\d+)?\s*(?:Euro|EUR|€|Mio|T€|TEUR)|(?:Euro|EUR|€)\s*\d")
_ASKS_HOW_MANY = re.compile(r"\bwie ?viele\b|\banzahl\b|\bhow many\b")
_NUMBER_IN_TEXT = re.compile(r"\b\d+\b")
REQUIRED_TYPES = (_DATE_IN_TEXT, _MONEY_IN_TEXT)
_NUMBERED = re.compile(r"\b(massnahmenart|ziffer|nr\.?|top|artikel|abschnitt|anlage)\s*(\d{1,2})\b")


def anchors(folded_question: str) -> list[str]:
    """The numbered things a question names ("Maßnahmenart 2", "Nr. 5", "TOP 3"), as patterns over folded text:
    exact anchors a passage that names them is preferred for."""
    return [rf"\b{kind}\s*{number}\b" for kind, number in _NUMBERED.findall(folded_question)]
_KINDS_WITH_FACTS = {"Bescheid", "Änderungsbescheid"}  # supporting documents whose own facts the catalog holds
_BARE_WORDS = {"und", "and", "im", "jahr", "in", "fuer", "dort", "da", "laut", "gemaess", "nach", "dem", "der", "den", "die",
               "das", "what", "about", "according", "to", "the", "zielvereinbarung", "vereinbarung", "agreement"}
_DESCRIPTIVE = {"parties", "overview"}  # catalog answers that describe the document rather than state a fact
# a passage answers a question when it holds at least this share of the question's topic terms
# (each as itself or a synonym); measured on the phrasing sets, see README "Answer quality"
RELEVANT_SHARE = 0.5
RELEVANT_SHARE_OUTSIDE = 0.75  # a passage from outside the question's scope must hold more of its topic
SURE_INTENT = 0.93  # a question this close to an example keeps its catalog answer despite unknown words ("kohle")


def answer_type(q: Question) -> re.Pattern | None:
    """What kind of span the question asks for, as a pattern a passage that answers it holds: a date for
    "bis wann", a person or an office for "wer", an amount for "wie viel", a number for "wie viele"."""
    for asks, holds in ((_ASKS_WHEN, _DATE_IN_TEXT), (_ASKS_WHO, _PERSON_OR_OFFICE), (_ASKS_HOW_MANY, _NUMBER_IN_TEXT),
                        (_ASKS_MONEY, _MONEY_IN_TEXT)):
        if asks.search(q.folded):
            return holds
    return None


def _same_key(chunk: Chunk) -> str:
    """A passage's text with its own district's names neutralised: equal keys are the same clause."""
    text = fold(chunk.text)
    if chunk.district:
        for alias in sorted(sum(aliases(chunk.district), []), key=len, reverse=True):
            text = re.sub(rf"(?<![\w-]){re.escape(alias)}(?:es|s|n)?(?!\w)", "<kreis>", text)
    return re.sub(r"\s+", " ", text).strip()


def _same_key_hash(chunk: Chunk) -> str:
    return hashlib.sha1(_same_key(chunk).encode("utf-8")).hexdigest()


# the name the reading index is kept under beside the store; its number goes up whenever `_reading_index` derives
# anything differently (or `Chunk` changes), so that a store keeps no index an older version derived
READING_INDEX = "leseindex-2"
LIST_QUOTE_CHARS = 700  # at most this much of the list a quoted sentence introduces
LIST_ITEM_CHARS = 120  # an unmarked line this short that ends without a full stop is a list item
_LIST_ITEM = re.compile(r"^\s*(?:[-–•*▪]|\d{1,2}[.)]|[a-z][.)]|\(\w{1,2}\))\s")


def _reading_index(chunks: list[Chunk]) -> dict:
    """What the assistant derives from every chunk, as JSON-able data kept beside the store per generation:
    the chunks, their lexical index, the vocabulary, § titles, the years each document names, and which
    passages are the same clause in several agreements."""
    texts: dict[str, list[str]] = {}
    for c in chunks:
        texts.setdefault(c.doc_id, []).append(c.text)
    same_text: dict[str, list[str]] = {}
    for c in chunks:
        if c.kind != SUPPORTING and len(c.text) >= 80:
            same_text.setdefault(_same_key_hash(c), []).append(c.id)
    return {"chunks": [astuple(c) for c in chunks],
            "lexical": LexicalIndex(chunks).state(),
            "vocabulary": sorted({w for c in chunks for w in words(f"{c.title} {c.text}")}),
            "titles": sorted({c.title for c in chunks if c.numbered and c.title}),
            "years": {doc: sorted(years_in(" ".join(parts))) for doc, parts in texts.items()},
            "same_text": same_text}


_TYPE_WORDS = {"stadt", "landkreis", "kreis", "nein", "ich", "meinte", "meine", "city", "county"}
_TYPE_ASKED = re.compile(r"\b(?:(stadt|city)|(landkreis|kreis|county))\b")


def _of_type(district: str, folded_question: str, known: set[str]) -> str:
    """The district of the same place and the type a follow-up names ("… Landkreis Falkenried?" → "und die
    Stadt?" is Stadt Falkenried), if one is on file; else the district as it was."""
    asked = _TYPE_ASKED.search(folded_question)
    if asked is None or is_city(district) == bool(asked.group(1)):
        return district
    place = fold(district).split(maxsplit=1)[-1]
    return next((d for d in sorted(known) if fold(d).split(maxsplit=1)[-1] == place and is_city(d) == bool(asked.group(1))),
                district)


def _names_place(folded_text: str, name: str) -> bool:
    """Whether a (folded) document text names a district or place, by any of its names."""
    specific, short = aliases(name) if name else ([], [])
    names = [n for n in [*specific, *short] if len(n) >= 4] or [fold(name)]
    return any(re.search(rf"(?<![\w-]){re.escape(n)}", folded_text) for n in names)


class Assistant:
    """Answers questions over the agreements in a store. `ask` (and `stream`) is all a front end needs."""

    def __init__(self, store: AgreementStore, retrieval: str = "dense", phraser=None) -> None:
        self.store = store
        self.retrieval_mode = retrieval
        self.phraser = phraser  # the optional language-model stage (assistant/generation.py)
        self.classify = IntentClassifier(store.embeddings)
        self.classify.nearest("budget")  # embed the example questions now, not inside the first answer's time
        self._generation: tuple | None = None
        self.reading_index_builds = 0  # how often the reading index was derived (not loaded)
        self.refresh()

    # -- what the store holds ----------------------------------------------------------------
    def refresh(self) -> None:
        """Reload the catalog and the lexical index if the store changed since the last question."""
        follow = getattr(self.store, "follow", None)
        if follow:
            follow()
        generation = self.store.generation()
        if generation == self._generation:
            return
        self.catalog = self.store.documents()
        reading = self.store.load_derived(READING_INDEX)
        if reading is None:  # the store changed since the index was last derived: derive it once, keep it
            chunks = self.store.all_chunks()
            reading = _reading_index(chunks)
            self.store.save_derived(READING_INDEX, reading)
            self.reading_index_builds += 1
        else:
            chunks = [Chunk(*row) for row in reading["chunks"]]
        self.chunks = {c.id: c for c in chunks}
        self._by_doc: dict[str, list[Chunk]] = {}
        for c in chunks:
            self._by_doc.setdefault(c.doc_id, []).append(c)
        self.index = LexicalIndex(chunks, reading["lexical"])
        self.vocabulary = set(reading["vocabulary"])
        self.titles = set(reading["titles"])
        self._docs = {d.doc_id: d for d in self.catalog}
        self._years_named = {doc: set(years) for doc, years in reading["years"].items()}
        self._folded_texts: dict[str, str] = {}
        self._same_text: dict[str, list[str]] = reading["same_text"]  # the same clause in several agreements
        self.retriever = Retriever(self.store, self.index, self.retrieval_mode)
        self._groups = group_agreements(self.catalog)
        self._generation = generation

    def groups(self) -> list[Group]:
        return self._groups

    def _mentions(self, doc_id: str) -> tuple[str, set[int]]:
        """A document's folded text and the years it names (whether a passage may answer outside the scope);
        the text folded on first need."""
        if doc_id not in self._folded_texts:
            self._folded_texts[doc_id] = fold(" ".join(c.text for c in self._by_doc.get(doc_id, [])))
        return self._folded_texts[doc_id], self._years_named.get(doc_id, set())

    def agreements(self) -> list[AgreementFacts]:
        return agreements_only(self.catalog)

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        return self._by_doc.get(doc_id, [])

    def amends(self, doc: AgreementFacts) -> str | None:
        return amended_agreement(doc, self.catalog)

    # -- entry points ------------------------------------------------------------------------
    def ask(self, question: str, history: list[Turn] | None = None, district: str | None = None,
            year: int | None = None, use_llm: bool = True) -> Answer:
        final = None
        for _, final in self.stream(question, history, district, year, use_llm):
            pass
        return final

    def stream(self, question: str, history: list[Turn] | None = None, district: str | None = None,
               year: int | None = None, use_llm: bool = True) -> Iterator[tuple[str, Answer | None]]:
        """(verified text so far, None) while a language model writes, then ("", the final Answer)."""
        if not any(ch.isalnum() for ch in question or ""):  # empty, or only emoji and signs: nothing to look up
            yield "", Answer("Bitte stellen Sie eine Frage in Worten, z. B. „Wie viel Geld bekommt der Landkreis "
                             "Gießen 2025?“", abstained=True, intent="invalid")
            return
        self.refresh()
        history = list(history or [])
        parts = self._parts(question)
        if len(parts) > 1:
            whole = understand(question, self.agreements(), None, self.vocabulary)
            district = district or (whole.districts[0] if len(whole.districts) == 1 else None)
            year = year or (whole.years[0] if len(whole.years) == 1 else None)
            answers = []
            for part in parts:
                answer = self.run(Session(part, history, district, year)).answer
                answers.append(answer)
                history.append(Turn(part, answer))
            yield "", merge(answers)
            return
        phrasing = self.phraser is not None and use_llm
        deadline = time.monotonic() + self.phraser.config.timeout if phrasing else None  # one limit for the whole turn
        session = self.run(Session(question, history, district, year, deadline=deadline))
        if not phrasing or session.answer.abstained:
            yield "", session.answer
            return
        # stage 6 and 7: phrase with the language model, verify every sentence against the sources
        passages = session.passages if session.answer.intent == "text" else []
        yield from self.phraser.stream(session.question.text, session.answer, passages, self.catalog, deadline=deadline)

    def _parts(self, question: str) -> list[str]:
        """The parts of a two-part question, each asking for another fact ("Budget und Projekte Gießen 2025")."""
        parts = split_parts(question)
        if len(parts) > 1:
            whole = understand(question, self.agreements(), None, self.vocabulary)
            if whole.projects and whole.details:
                return [question]  # "wie viel bekommt MiA und wer ist Träger?": one project, its amount and its row
            return parts
        parts = split_keywords(question)
        if len(parts) == 1:
            return parts
        folded = fold(question)
        names = {fold(n) for d in self.agreements() for n in [*d.categories, *(p.name for p in d.projects)]}
        if any(" und " in n and n in folded for n in names):
            return [question]  # "Ausbildung und Ausbildungscoaching …" is one name
        intents = [understand(p, self.agreements(), self.classify, self.vocabulary, self.titles).intent for p in parts]
        facts = {"amount", "projects", "count", "signatures", "authority", "project_amount", "category_amount", "parties"}
        return parts if len(set(intents)) == 2 and set(intents) <= facts else [question]

    def run(self, s: Session) -> Session:
        """The extractive stages, in order; each reads and extends the session."""
        for stage in (self.understand, self.scope, self.facts, self.passages_stage, self.compose):
            stage(s)
        return s

    def passages(self, question: str, history: list[Turn] | None = None, district: str | None = None,
                 year: int | None = None, k: int = 5) -> list[Chunk]:
        """The best passages within the question's scope (for retrieval measurements)."""
        self.refresh()
        s = Session(question, list(history or []), district, year)
        self.understand(s)
        self.scope(s)
        if s.abstention:
            return []
        return self.retriever.retrieve(s.question.text, self._search_ids(s), k=k)

    # -- stage 1: understand -----------------------------------------------------------------
    def understand(self, s: Session) -> None:
        text = s.text
        if s.deadline is not None and s.history:  # with a language model: the follow-up made stand-alone
            text = self.phraser.rewrite(text, s.history, deadline=s.deadline) or text
        s.question = understand(text, self.agreements(), self.classify, self.vocabulary, self.titles)

    # -- stage 2: scope ----------------------------------------------------------------------
    def scope(self, s: Session) -> None:
        """Which agreements the question is about. Scope ranks the search, it never ends it: a district or
        year with no agreement on file becomes a note said beside whatever the search then finds."""
        q = s.question
        if not self.catalog:
            s.abstention = Abstention("empty_store")
            return
        if q.intent == "signatures":  # "in Wiesbaden unterzeichnet": a place of signing, not a district
            places = {fold(sig.place) for d in self.catalog for sig in d.signatures}
            q.missing_districts = [m for m in q.missing_districts if not any(p in fold(m) for p in places)]
        self._context(q, s)
        if not q.districts and not q.missing_districts and q.intent in _FACT_INTENTS - ACROSS_DISTRICTS:
            q.missing_districts = [m for m in _PLACE_NAME.findall(q.text) if fold(m) not in self.vocabulary]
        if q.missing_districts and not q.districts:
            years = sorted({d.year for d in self.agreements()})
            s.scope_note = Abstention("no_district", {"district": ", ".join(q.missing_districts), "available": self._available()},
                                      computed=years, suggestions=q.suggestions, districts=[], years=q.years)
            return
        groups = [g for g in self.groups() if not q.districts or q.across or g.district in q.districts]
        part, part_name = named_part(q.folded, groups) if not q.districts else (groups, "")  # "welche der kreisfreien Städte"
        if part_name and groups and not part:
            s.scope_note = Abstention("no_district", {"district": part_name, "available": self._available()},
                                      computed=sorted({g.year for g in groups}), districts=[], years=q.years)
            return
        groups = part
        if q.years:
            chosen = [g for g in groups if g.year in q.years]
            if not chosen:
                on_file = sorted({g.year for g in groups})
                key, values = ("no_year", {"district": ", ".join(q.districts)}) if q.districts else ("no_year_all", {})
                values |= {"year": ", ".join(map(str, q.years)), "years": ", ".join(map(str, on_file))}
                s.scope_note = Abstention(key, values, computed=on_file + q.years, districts=q.districts, years=q.years)
                return
            groups = chosen
        elif q.intent not in ACROSS_DISTRICTS:
            newest: dict[str, Group] = {}
            for g in groups:
                if g.district not in newest or g.year > newest[g.district].year:
                    newest[g.district] = g
            groups = sorted(newest.values(), key=lambda g: g.district)
        if q.projects and not q.districts and q.intent in ("project_amount", "projects"):
            holding = [g for g in groups if any(p.name in q.projects for p in g.main.projects)]
            groups = holding or groups
        s.groups = groups
        if q.intent == "signatures" and not q.districts and (q.signer_role or q.signer_name):
            q.across = True  # "Welche Vereinbarungen hat der Staatssekretär (Dr. Falkenrath) unterschrieben?"
        if q.intent == "projects" and not q.districts and len(groups) > 1 and filters_projects(self, q, groups):
            q.across = True  # "Welche Projekte mit Teilzeitausbildung gibt es 2026?": every district that has one
        one_each = q.intent in _FACT_INTENTS - ACROSS_DISTRICTS - {"amount"} or q.intent in ("section", "where", "parties", "overview")
        # a fact of one agreement, several on file, none named: the passages decide (the same text everywhere
        # is answered once); only where they differ is the user asked which district
        s.clarify = one_each and not q.districts and not q.across and len({g.district for g in groups}) > 1

    def _context(self, q: Question, s: Session) -> None:
        """The web chat's filters and the conversation so far fill what the question leaves open."""
        known = {d.district for d in self.agreements()}
        if s.district and q.districts and s.district not in q.districts:
            s.filter_overridden = s.district  # "Wie viel bekommt Gießen?" with the filter on Beispielhausen: said
        if s.district and not q.districts and not q.missing_districts:
            if s.district in known:
                q.districts = [s.district]
            else:
                q.missing_districts = [s.district]
        if s.year and not q.years:
            q.years = [s.year]
        last = next((t for t in reversed(s.history) if t.answer is not None), None)
        if last is None:
            return
        previous = last.answer
        # a year the last answer found no agreement for ("und 2024?") is not carried into the next question
        on_file = [y for y in previous.years if any(d.year == y and (d.district in previous.districts or not previous.districts)
                                                    for d in self.agreements())]
        # a follow-up that gives only a scope or a source ("und 2024?", "und laut Bescheid?") asks the question before again
        bare = not [w for w in q.masked.split() if w not in _BARE_WORDS | _TYPE_WORDS
                    and not set(terms(w)) <= kind_terms(q.text)]
        if (q.follow_up or bare) and (bare or q.confidence < MIN_SIMILARITY) and previous.intent:
            q.intent = previous.intent.split("+")[-1]
        refers_back = q.follow_up or re.search(r"\b(?:das|davon|dort|dabei|these|those|them)\b", q.folded)
        if refers_back and q.intent == "ranking" and previous.intent.split("+")[-1] in ("projects", "project_amount"):
            q.intent = "project_ranking"  # "Welche Projekte hat Rhön-Auental?" → "welches davon ist am teuersten?"
        if refers_back and q.intent in ("count", "projects") and not (q.category or q.category_no or q.projects):
            before = understand(last.question, self.agreements())  # "… in Maßnahmenart 3?" → "und wie viele sind das?"
            q.category, q.category_no = before.category, before.category_no
        if not q.districts and not q.missing_districts and q.intent not in ("ranking", "total", "project_districts"):
            earlier = previous.districts or understand(last.question, self.agreements()).districts
            holders = {d.district for d in self.agreements() for p in d.projects if p.name in q.projects}
            if holders and not holders & set(earlier):
                earlier = []  # "Wie viel bekommt TABEA?" after Musterstadt: the district that funds it
            q.districts = [_of_type(d, q.folded, known) for d in earlier if d in known]
            if not q.years and not q.relative_year and on_file and q.districts:
                q.years = [max(on_file)] if q.intent != "change" else []
        elif bare and not q.years and not q.relative_year and on_file and q.intent != "change":
            q.years = [max(on_file)]  # "Budget Musterstadt 2024" → "Stadt Beispielhausen?": the same year
        if q.relative_year and not q.years:
            base = max(previous.years) if previous.years else max((d.year for d in self.agreements()), default=0)
            q.years = [base + q.relative_year]

    def _available(self) -> str:
        years: dict[str, list[int]] = {}
        for doc in self.agreements():
            years.setdefault(doc.district, []).append(doc.year)
        return "; ".join(f"{d} ({', '.join(map(str, sorted(set(y))))})" for d, y in sorted(years.items()))

    # -- stage 3: facts ----------------------------------------------------------------------
    def facts(self, s: Session) -> None:
        if s.abstention or s.scope_note or s.clarify:
            return
        handler = FACT_ANSWERS.get(s.intent)
        if handler is None:
            return
        named = set(s.question.doc_kinds) - _KINDS_WITH_FACTS
        if named and any(d.doc_type in named for d in self.catalog if d.kind == SUPPORTING):
            return  # "laut Fördergrundsätzen", "im Protokoll": the named document answers, not the agreements' catalog
        s.draft = handler(self, s)
        if s.draft is None:
            if s.intent in _FACT_INTENTS:
                s.fallback_note = "fact_fallback"
            return
        known, unknown = self._missed_topic(s)
        if unknown and s.lang == "de" and (s.intent in _DESCRIPTIVE or s.question.confidence < SURE_INTENT):
            # "Was regelt die Vereinbarung zur Raumfahrt?", "müssen Reste zurückgezahlt werden?": words the
            # agreements never use; no catalog answer is about them
            s.draft = None
        elif known:
            # "welche Rechtskreise sind beteiligt" is no question about the parties: a passage that holds
            # the word answers it; if none does, the catalog answer stands
            s.backup, s.draft = s.draft, None

    def _missed_topic(self, s: Session) -> tuple[list[str], list[str]]:
        """The question's topic words that neither belong to asking for this kind of answer (the intent's
        example questions) nor appear in the catalog answer: (words the agreements use, unknown words).
        A rule-made intent ("wie viele Projekte …") keeps its answer: its words are the asking words."""
        if s.question.confidence >= 1.0:
            return [], []
        words = district_words(g.district for g in s.groups) | self.classify.vocabulary(s.intent)
        # the cited documents' titles count: an answer from the "1. Nachtrag" is about the Nachtrag
        text = s.draft.answer(s.intent).answer + " " + " ".join(f"{c.title} {c.file} {c.quote}" for c in s.draft.citations)
        known, unknown = [], []
        for group in topic_groups(s.question, words):
            if coverage([group], text):
                continue
            if any(t in self.index.vocabulary for t in group):
                known.append(min(group))
            elif not self._misspelt(min(group), words):
                unknown.append(min(group))
        if s.question.details or (s.question.projects and any(name in text for name in s.question.projects)):
            # the project the question names is its topic ("welcher Träger macht die Digitalwerkstatt?"), or the
            # detail it asks of the list ("welche Träger führen die Projekte durch?") is answered or said missing
            known = []
        return known, unknown

    def _misspelt(self, term: str, words: set[str]) -> bool:
        """A word one typo away from one the agreements or the example questions use ("bdget", "Sadt")."""
        if len(term) < 4:
            return True
        choices = self.index.vocabulary | words | STOPWORDS | {t for c in self.titles for t in terms(c)}
        return process.extractOne(term, choices, scorer=fuzz.ratio, score_cutoff=80) is not None

    # -- stage 4: passages -------------------------------------------------------------------
    def _supporting(self, s: Session) -> list[AgreementFacts]:
        """The supporting documents (Bescheide, Fördergrundsätze) of the scope's districts and years, or of none."""
        districts = {g.district for g in s.groups}
        years = {g.year for g in s.groups}
        return [d for d in self.catalog if d.kind == SUPPORTING
                and (not d.district or d.district in districts) and (not d.year or d.year in years)]

    def _named_documents(self, s: Session) -> list[str]:
        """The supporting documents of the kind the question names ("laut Bescheid", "im Protokoll"), of its
        districts and of or about its years (a document naming no district or year fits any); in a follow-up that names no kind on file, the
        kind the question before it named ("Nebelhain Bescheid Aktenzeichen?" → "und bis wann …?")."""
        q = s.question
        districts = set(q.districts) or {g.district for g in s.groups}
        years = set(q.years)

        def of(kinds: list[str]) -> list[str]:
            return [d.doc_id for d in self.catalog if d.kind == SUPPORTING and d.doc_type in kinds
                    and (not d.district or not districts or d.district in districts)
                    and (not d.year or not years or d.year in years or years & self._years_named.get(d.doc_id, set()))]

        named = of(q.doc_kinds)
        last = next((t for t in reversed(s.history) if t.answer is not None), None)
        if not named and last is not None and (q.follow_up or len(q.masked.split()) <= 8):
            named = of(named_kinds(last.question))
        return named

    def _search_ids(self, s: Session, supporting: list[AgreementFacts] | None = None) -> list[str] | None:
        """The documents a free-text question is searched in: the scope's agreements and their supporting
        documents; None (all) without a scope."""
        if not s.groups:
            return None
        return s.doc_ids + [d.doc_id for d in (self._supporting(s) if supporting is None else supporting)]

    def passages_stage(self, s: Session) -> None:
        """Search first, decide after: the scope's documents are searched, and the rest of the shelf too.
        A passage from outside the scope may answer when it is about the asked district and year or about
        none (Fördergrundsätze, a press release); the scope only ranks it lower."""
        if s.abstention or s.draft:
            return
        q = s.question
        supporting = self._supporting(s) if s.groups else []
        in_scope = self._search_ids(s, supporting)
        named = set(self._named_documents(s))
        source = kind_terms(q.text) if named else set()  # "laut Fördergrundsätzen" names the source, not the topic
        named_places = district_words([*(g.district for g in s.groups), *q.districts, *q.missing_districts])
        asked_places = district_words(q.districts)
        groups = self._spelled([group for group in topic_groups(q, named_places) if not group & source])
        stems = sorted({t for group in groups for t in group})
        found = self._candidates(q.text, stems, in_scope)
        if in_scope is not None or s.scope_note:
            seen = {c.id for c in found}
            found = [c for c in found if in_scope is not None or self._admissible(c, s)]
            found += [c for c in self._candidates(q.text, stems, None) if c.id not in seen and self._admissible(c, s)]
        if named:  # the kind of document the question names is searched on its own and ranks first
            first = self._candidates(q.text, stems, sorted(named))
            found = first + [c for c in found if c.id not in {f.id for f in first}]
        s.passages = found
        scoped = set(in_scope or [])
        wanted = answer_type(q)
        if wanted in REQUIRED_TYPES:  # "bis wann …", "wie viel …": a passage without a date (an amount) is no answer
            typed = [c for c in found if wanted.search(c.text)]
        else:
            typed = found
        asked = lambda c: bool(q.years) and c.year in q.years and (not q.districts or c.district in q.districts)
        # in scope: a document of the scope, or one of the asked year (a press release of a year with no agreement)
        best = self._best_passage(typed, groups, focus_term(q), wanted, lambda c: c.doc_id in scoped or c.doc_id in named
                                  or asked(c), named=lambda c: c.doc_id in named,
                                  # a question about a district: its agreement before the papers beside it; about none:
                                  # a document of no district (Fördergrundsätze, a programme page) before any one agreement
                                  primary=(lambda c: c.kind != SUPPORTING) if q.districts else (lambda c: not c.district),
                                  plain=tuple(t for t in q.content_terms if t not in asked_places and t not in source),
                                  anchors=anchors(q.folded))
        if best is None and s.backup is not None:
            self._narrower(s, groups)
            return
        if best is None:
            nearby = found[:3]
            s.abstention = s.scope_note or Abstention(
                "not_found", {"searched": self._searched(s.groups, supporting)}, computed=[g.year for g in s.groups],
                districts=q.districts, years=q.years)
            s.abstention.nearby = nearby
            return
        same = self._same_text.get(_same_key_hash(best), []) if not q.districts else []
        same = [self.chunks[i] for i in same if i in self.chunks and self.chunks[i].doc_id != best.doc_id]
        quote = self.passage_quote(best, q)
        if q.asks_count and not self._counts(best, q):
            s.abstention = Abstention("no_number", {"searched": self._searched(s.groups, supporting)},
                                      computed=[g.year for g in s.groups], nearby=[best] + [c for c in found if c.id != best.id][:2],
                                      districts=q.districts, years=q.years)
            return
        q.intent = "text"  # answered from a passage, whatever kind of answer was hoped for
        draft = Draft(q.lang, self.chunks)
        if s.scope_note:  # "Für 2023 liegt keine Zielvereinbarung vor; die Pressemitteilung nennt …"
            draft.say("beside_" + s.scope_note.key, **s.scope_note.values)
            draft.computed += s.scope_note.computed
        if s.fallback_note:
            draft.say(s.fallback_note)
        if s.scope_note and q.years and best.year not in q.years and not set(q.years) & years_in(quote):
            draft.abstained = True  # no agreement of the asked year, and the passage is of another: shown, not the answer
        if wanted in REQUIRED_TYPES and not wanted.search(quote):
            draft.abstained = True  # "wie viel …", "bis wann …": a passage without an amount (a date) is shown, not the answer
        n = draft.cite(best.id, quote=quote)
        if best.kind == SUPPORTING:  # a Bescheid, Fördergrundsätze, a note the staff added: named as what it is
            doc = self._docs.get(best.doc_id)
            about = ", ".join(x for x in ((doc.doc_type if doc else "") or "Dokument", best.district, str(best.year or "")) if x)
            draft.say("passage_supporting", file=best.doc_id, about=about, n=n)
        else:
            draft.say("passage_amendment" if best.kind == AMENDMENT else "passage",
                      section=best.section, year=best.year, district=best.district or "—", n=n)
        draft.lines.append(quoted(quote))
        if same:  # text that stands the same in several agreements: answered once, the others named
            others = sorted({f"{c.district} {c.year}".strip() for c in same})
            draft.say("same_text", count=len(others) + 1, others=", ".join(others))
            draft.computed.append(len(others) + 1)
        elif s.clarify and best.district:  # several agreements, none named, and the text differs: one shown, said so,
            draft.say("passage_of_one", district=best.district, year=best.year)  # as evidence, not as the answer
            draft.abstained = True
        draft.scope = " · ".join(x for x in (f"{best.district} {best.year}".strip(), best.section) if x)
        draft.computed += [g.year for g in s.groups]
        draft.about([best.district] if best.district else [], [best.year] if best.year else [])
        s.draft = draft

    def _spelled(self, groups: list[set[str]]) -> list[set[str]]:
        """Each topic word the documents never use, with the word they use that it is a typo of
        ("migrationshintergund" → "migrationshintergrund")."""
        vocabulary = self.index.vocabulary
        for group in groups:
            word = min(group, key=len)
            if len(word) >= 6 and not group & vocabulary:
                if found := process.extractOne(word, vocabulary, scorer=fuzz.ratio, score_cutoff=88):
                    group.add(found[0])
        return groups

    def _candidates(self, text: str, stems: list[str], doc_ids: list[str] | None) -> list[Chunk]:
        """Dense top 4 (of 6), plus BM25 candidates for the topic words alone: a paraphrase the embedder ranks
        low can still share the question's rare words or their synonyms."""
        found = self.retriever.retrieve(text, doc_ids, k=6)[:4]
        seen = {c.id for c in found}
        return found + [c for c in self.retriever.lexical(stems, doc_ids, k=3) if c.id not in seen]

    def _admissible(self, chunk: Chunk, s: Session) -> bool:
        """Whether a passage outside the scope may answer: it belongs to the asked district (or to none, or
        names the asked place), and to the asked year (or to none, or names that year). A fact of one
        district (amount, projects …) is not taken from a document of no district unless it names the place."""
        q = s.question
        mentioned = self._mentions(chunk.doc_id)
        if q.districts or q.missing_districts:
            named = any(_names_place(mentioned[0], name) for name in [*q.districts, *q.missing_districts])
            if chunk.district and chunk.district not in q.districts and not named:
                return False
            if not chunk.district and not named and q.intent in _FACT_INTENTS and q.missing_districts:
                return False
        if q.years and chunk.year not in q.years and not set(q.years) & mentioned[1]:
            return False
        return True

    def _narrower(self, s: Session, groups: list[set[str]]) -> None:
        """A catalog answer that does not cover the question's topic: shown as what it is, under a line that
        says the documents give nothing of their own on that topic; a refusal, not an answer."""
        draft = s.backup
        topic = ", ".join(sorted({min(g, key=len) for g in groups if not coverage([g], " ".join(draft.lines))})) or "—"
        draft.lines.insert(0, draft.phrase("narrower", topic=topic))
        draft.headline = ""
        draft.abstained = True
        s.draft = draft

    @staticmethod
    def _best_passage(found: list[Chunk], groups: list[set[str]], focus: str | None,
                      wanted: re.Pattern | None = None, in_scope=lambda c: True, named=lambda c: False,
                      primary=lambda c: True, plain: tuple[str, ...] = (), anchors: list[str] = ()) -> Chunk | None:
        """The passage that holds most of the question's topic terms (the focus of a "welche …" question
        counts twice), if it holds enough of them; among equals, one in the question's scope, then one of the
        `primary` kind, then one that holds the kind of answer asked for (`wanted`: a date for "bis wann …", an
        amount for "wie viel …"), then the section named after the topic, then the best-ranked. A passage of the
        kind of document the question names (`named`) comes before all others that hold enough, then one that
        names the question's `anchors`. With no topic terms at all the passage in scope that holds most of the
        question's `plain` words, else the best-ranked."""
        if not found:
            return None
        if not groups:
            # no topic word of its own ("Was gehört laut Fördergrundsätzen zur Maßnahmenart 3?"): the passage in
            # scope that holds most of the question's other words ("Maßnahmenart 3"), else the best-ranked
            scoped = [c for c in found if in_scope(c)] or found
            return max(scoped, key=lambda c: (sum(bool(coverage([{t}], c.text)) for t in plain), -scoped.index(c)))
        weights = [2 if focus in group else 1 for group in groups]
        best, best_key = None, (0, 0, 0, 0, 0, 0, 0)
        for chunk in found:
            text = f"{chunk.title} {chunk.text}"
            score = sum(w for group, w in zip(groups, weights) if coverage([group], text))
            scoped = in_scope(chunk)
            if not score or score / sum(weights) < (RELEVANT_SHARE if scoped else RELEVANT_SHARE_OUTSIDE):
                continue
            in_title = sum(w for group, w in zip(groups, weights)  # long topic words only: "Ziele für …" is no topic
                           if len(min(group, key=len)) >= 8 and coverage([group], chunk.title))
            holds = int(wanted is not None and bool(wanted.search(chunk.text)))
            anchored = sum(bool(re.search(anchor, fold(text))) for anchor in anchors)  # "Maßnahmenart 2" named
            key = (int(named(chunk)), anchored, score, int(scoped), int(primary(chunk)), holds, in_title)
            if key > best_key:
                best, best_key = chunk, key
        return best

    @staticmethod
    def _counts(chunk: Chunk, q: Question) -> bool:
        """Whether a passage gives the number a "wie viele …" question asks for: a sentence that holds a
        number and the counted word ("Teilnehmende", "Plätze")."""
        counted = terms(" ".join(re.findall(r"(?:wie\s*viele?|anzahl(?: der)?|how many|number of)\s+(\w+)", q.folded)))
        counted += [t for t in terms(q.folded) if t.endswith("zahl") and len(t) > 6]
        for sentence in sentences(chunk.text):
            if numbers_in(sentence) - {chunk.year} and (not counted or coverage([set(counted)], sentence)):
                return True
        return False

    def passage_quote(self, chunk: Chunk, q: Question) -> str:
        if len(chunk.text) <= 600:
            return chunk.text
        wanted = category_terms(q, set())
        parts = sentences(chunk.text)
        kind = answer_type(q)  # "bis wann …": the sentences with a date first; "wer …": with a name or office
        anchored = [i for i, part in enumerate(parts) if any(re.search(a, fold(part)) for a in anchors(q.folded))]
        if anchored:  # "Maßnahmenart 2": the line that names it and the sentence under it
            return excerpt(parts, sorted({j for i in anchored[:2] for j in (i, i + 1) if j < len(parts)}))
        scored = sorted(range(len(parts)), key=lambda i: (-(kind is not None and bool(kind.search(parts[i]))),
                                                          -overlap(wanted, parts[i])))[:2]
        for i in list(scored):  # a sentence that opens a list ("… in vier Maßnahmenarten:") brings the list's items
            if parts[i].rstrip().endswith(":"):
                scored += _list_items(parts, i + 1)
            elif _LIST_ITEM.match(parts[i]):  # an item brings the sentence that opens its list, and its siblings
                intro = next((k for k in range(i - 1, max(-1, i - 8), -1) if parts[k].rstrip().endswith(":")), None)
                if intro is not None:
                    scored += [intro] + _list_items(parts, intro + 1)
        return excerpt(parts, sorted(set(scored)))

    @staticmethod
    def _searched(groups: list[Group], supporting: list[AgreementFacts]) -> str:
        """What a passage was looked for in: the agreements, then the supporting documents (a Bescheid …)."""
        if not groups:
            return "—"
        names = [f"{g.district} {g.year}" for g in groups]
        if len(names) > 6:
            names = [f"{len(names)} Zielvereinbarungen"]
        others = [" ".join(str(x) for x in (d.doc_type or "Begleitdokument", d.district, d.year or "") if x).strip()
                  for d in supporting]
        return ", ".join(names + (others if len(others) <= 3 else [f"{len(others)} Begleitdokumente"]))

    # -- stage 5: compose --------------------------------------------------------------------
    def compose(self, s: Session) -> None:
        if s.abstention:
            s.answer = s.abstention.answer(s.lang, s.intent)
        else:
            s.answer = s.draft.answer(s.intent)
        if s.filter_overridden:
            s.answer.warnings.append(prompts.phrases(s.lang)["filter_overridden"].format(
                district=s.filter_overridden, named=", ".join(s.question.districts)))


def _list_items(parts: list[str], start: int) -> list[int]:
    """The items of the list that begins at parts[start]: marked or short lines, the sentences that describe an
    item left out (the quote marks the gap), up to LIST_QUOTE_CHARS; it ends at three sentences in a row."""
    items: list[int] = []
    room, prose = LIST_QUOTE_CHARS, 0
    for k in range(start, min(len(parts), start + 24)):
        part = parts[k].strip()
        if _LIST_ITEM.match(part) or (len(part) <= LIST_ITEM_CHARS and not part.endswith((".", "!", "?"))):
            if len(part) > room:
                break
            items.append(k)
            room, prose = room - len(part), 0
        else:
            prose += 1
            if prose == 3 or not items:
                break
    return items


def contains_only_cited_numbers(answer: Answer, question: str = "") -> bool:
    """Every number in the answer text (outside the cited files' names) stands in a cited quote, was computed by the
    engine, or echoes the question."""
    allowed = set(answer.computed) | numbers_in(question)
    for citation in answer.citations:
        allowed |= numbers_in(citation.quote)
        allowed.add(citation.year)
    text = re.sub(r"\[\d+\]", " ", answer.answer)
    for citation in answer.citations:
        text = text.replace(citation.file, " ")  # a file's name says where, it states no figure
    text = re.sub(r"^\s*\d+\.\s", " ", text, flags=re.MULTILINE)  # list numbering of Maßnahmenarten
    text = re.sub(r"(?:§|Artikel)\s*\d+", " ", text)
    return numbers_in(text) <= allowed | {n for n in range(0, 10)}
