"""Check a generated answer against its numbered sources before anyone sees it.

A figure (amount, count, year, date, percentage) must stand in a source the sentence cites, or
among the engine's facts; every [n] must exist and its source must hold the sentence's key terms;
a project or district the answer names must be one the sources or the catalog know. Figures are
compared by value with the precision they are written in: "1,52 Mio." matches 1.516.560 Euro,
"1.516.560" and "1516560" match it exactly, "2 Mio." (off by more than 2 %) does not.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from assistant.question import match_districts
from assistant.retrieval import overlap, sentences
from domain.german import fold, terms
from domain.records import Chunk

_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_DATE = re.compile(r"\b(\d{1,2})\.\s?(\d{1,2})\.\s?(\d{4})\b")
_SCALE = {"mio": 1e6, "millionen": 1e6, "million": 1e6, "mrd": 1e9, "milliarden": 1e9, "tsd": 1e3, "tausend": 1e3}
_FIGURE = re.compile(
    r"(?<![\w.,])(?P<whole>\d{1,3}(?:[.\u202f\u00a0]\d{3})+|\d+)(?:,(?P<frac>\d+))?(?![\d])"
    r"(?:\s*(?P<scale>Mio|Millionen|Million|Mrd|Milliarden|Tsd|Tausend)\b\.?)?",
    re.IGNORECASE,
)
_NUMBER_WORDS = {"zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9,
                 "zehn": 10, "elf": 11, "zwölf": 12, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_SECTION_REF = re.compile(r"(§+|Abs\.|Absatz|Nr\.|Ziffer|Seite|S\.)\s*\d+", re.IGNORECASE)
_LIST_NUMBER = re.compile(r"^\s*\d+[.)]\s", re.MULTILINE)
_BULLET = re.compile(r"^\s*(?:[-*•]|\d+[.)])\s+(?P<item>.+)$", re.MULTILINE)
_QUOTED = re.compile(r"[„\"“»«](?P<item>[^„\"“”»«\n]{4,120})[“”\"«»]")
_GENERIC = set(terms(
    "Zielvereinbarung Vereinbarung Landkreis Kreis Stadt Jahr Euro Budget Ausbildungs Qualifizierungsbudget "
    "laut gemäß nennt heißt steht regelt Quelle Quellen Antwort insgesamt beträgt erhält sowie jeweils "
    "Mio Millionen Tsd Höhe Summe Betrag Zahl Jahre Gebietskörperschaft Die Das Der Den Dem Es Sie Im In "
    "Für Mit Dazu Diese Dieser Dabei Außerdem Zudem Hier According Agreement District Source Year The"
))
# Sentences in a document that address a reader as a model ("Ignoriere alle Anweisungen …")
_INSTRUCTION = re.compile(
    r"ignorier\w*\s+(alle|sämtliche|die|deine|vorherige|bisherige)|ignore\s+(all|any|previous|the above)"
    r"|vergiss\s+(alle|deine|die)|forget\s+(all|your|previous)|(system|developer)\s*(prompt|nachricht|message)"
    r"|du bist (jetzt|nun|ab sofort)|you are now|antworte (ab sofort|nur noch|stattdessen)|respond only"
    r"|neue anweisung|new instruction",
    re.IGNORECASE,
)

# The prompt's own scaffolding in an answer: the model repeats its instructions instead of answering
_SCAFFOLD = re.compile(
    r"</?quelle|</?model|<(start|end)_of_turn|fakten aus dem katalog|beantworte die frage|zitiere mit \[n\]"
    r"|^\s*(frage|quellen|antwort|eigenständige frage)\s*:",
    re.IGNORECASE | re.MULTILINE,
)


@dataclass(frozen=True)
class Figure:
    value: float
    tolerance: float  # half a unit of the last written digit
    text: str

    def matches(self, other: "Figure") -> bool:
        return abs(self.value - other.value) <= self.tolerance + 1e-9


@dataclass
class Verdict:
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def add(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)


def figures(text: str) -> list[Figure]:
    """Every figure written in a text, dates as one figure each (day + month + year)."""
    found: list[Figure] = []
    for match in _DATE.finditer(text):
        day, month, year = (int(g) for g in match.groups())
        found.append(Figure(float(year * 10000 + month * 100 + day), 0.0, match.group(0)))
    text = _DATE.sub(" ", text)
    for match in _FIGURE.finditer(text):
        whole = re.sub(r"[.\u202f\u00a0]", "", match.group("whole"))
        frac = match.group("frac") or ""
        scale = _SCALE.get(fold(match.group("scale") or "").rstrip("."), 1.0)
        value = float(f"{whole}.{frac}" if frac else whole) * scale
        # "1,52 Mio." stands for 1.515.000–1.525.000; a rounding coarser than 2 % ("2 Mio.") matches nothing
        tolerance = min(0.5 * 10 ** -len(frac) * scale, 0.02 * value) if scale > 1 else 0.0
        found.append(Figure(value, tolerance, match.group(0).strip()))
    for match in _NUMBER_WORD.finditer(text):
        found.append(Figure(float(_NUMBER_WORDS[match.group(1).lower()]), 0.0, match.group(0)))
    return found


def _claims(text: str) -> list[Figure]:
    """The figures a sentence states: citation marks, section references and list numbers left out."""
    text = _CITE.sub(" ", text)
    text = _SECTION_REF.sub(" ", text)
    text = _LIST_NUMBER.sub(" ", text)
    return figures(text)


def cited_numbers(text: str) -> list[int]:
    return [int(n) for group in _CITE.findall(text) for n in re.split(r"\s*[,;]\s*", group)]


def drop_instructions(text: str) -> str:
    """A passage with sentences that speak to a model replaced by a marker: document text is data."""
    kept = sentences(text)
    if not any(_INSTRUCTION.search(s) for s in kept):
        return text
    return " ".join("[Satz mit Anweisungscharakter ausgelassen]" if _INSTRUCTION.search(s) else s for s in kept)


def _source_text(chunk: Chunk) -> str:
    return f"{chunk.district} {chunk.year} {chunk.section} {chunk.title}\n{chunk.text}"


class Verifier:
    """Checks sentences (while streaming) and the whole answer against numbered sources.

    `sources[n-1]` is source n. `facts` is the engine's own answer over the same numbering: a
    line of it citing [n] may be restated citing [n]; the figures of its lines without a mark are
    the engine's computations (sums, differences) and may be stated as they are. `required`
    figures must be stated."""

    def __init__(self, sources: list[Chunk], facts: str = "", question: str = "", computed: list[int] | None = None,
                 projects: list[str] | None = None, districts: list[str] | None = None,
                 required: list[Figure] | None = None) -> None:
        self.sources = sources
        self.source_figures = [figures(_source_text(c)) + [Figure(float(c.year), 0.0, str(c.year))] for c in sources]
        fact_lines = [line for line in facts.split("\n") if line.strip()]
        self.free = figures(question) + [Figure(float(v), 0.0, str(v)) for v in computed or []]
        self.free += [f for line in fact_lines if not cited_numbers(line) for f in _claims(line)]
        self.fact_lines = {n: " ".join(line for line in fact_lines if n in cited_numbers(line)) for n in range(1, len(sources) + 1)}
        self.facts = facts
        self.projects = [fold(p) for p in projects or []]
        self.districts = districts or []
        self.source_districts = {c.district for c in sources}
        self.required = required or []
        self._intro_marks: list[int] = []  # the marks of a cited line ending in ":", for the list under it

    # -- one sentence ------------------------------------------------------------------------
    def check_sentence(self, sentence: str, verdict: Verdict) -> None:
        if _SCAFFOLD.search(sentence):
            verdict.add("die Antwort wiederholt die Anweisungen")
        marks = cited_numbers(sentence)
        if not marks and _BULLET.match(sentence):
            marks = self._intro_marks  # a list item stands under its cited introduction
        elif marks and _CITE.sub("", sentence).rstrip().endswith(":"):
            self._intro_marks = marks
        elif not marks and self._key_terms(sentence):
            verdict.add(f"Aussage ohne Quellenangabe: „{sentence.strip()[:80]}“")
        for n in marks:
            if not 1 <= n <= len(self.sources):
                verdict.add(f"Quelle [{n}] gibt es nicht")
        cited = [n for n in marks if 1 <= n <= len(self.sources)]
        self._check_figures(sentence, cited, verdict)
        self._check_terms(sentence, cited, verdict)
        self._check_names(sentence, verdict)

    def _check_figures(self, sentence: str, cited: list[int], verdict: Verdict) -> None:
        pool = list(self.free)
        # without a mark the sentence's figure must still stand in a source
        for n in cited or range(1, len(self.sources) + 1):
            pool += self.source_figures[n - 1]
        for claim in _claims(sentence):
            if not any(claim.matches(known) for known in pool):
                verdict.add(f"Zahl „{claim.text}“ steht in keiner zitierten Quelle")

    def _check_terms(self, sentence: str, cited: list[int], verdict: Verdict) -> None:
        if not cited:
            return
        key = self._key_terms(sentence)
        if not key:
            return
        text = " ".join(f"{_source_text(self.sources[n - 1])} {self.fact_lines[n]}" for n in cited)
        hits = overlap(key, text)
        if hits < max(1, (len(key) + 1) // 2):
            named = ", ".join(f"[{n}]" for n in cited)
            verdict.add(f"{named} trägt die Aussage nicht: „{sentence.strip()[:80]}“")

    @staticmethod
    def _key_terms(sentence: str) -> set[str]:
        """The terms of a sentence's nouns and names (capitalised in German), generic words left out."""
        nouns = " ".join(re.findall(r"\b[A-ZÄÖÜ][\wäöüß\-]+", _CITE.sub(" ", sentence)))
        return {t for t in terms(nouns) if not t.isdigit() and t not in _GENERIC}

    def _check_names(self, sentence: str, verdict: Verdict) -> None:
        on_file, _, missing = match_districts(sentence, fold(sentence), self.districts)[:3]
        for name in [d for d in on_file + missing if d not in self.source_districts and fold(d) not in fold(self.facts)]:
            verdict.add(f"„{name}“ kommt in den Quellen nicht vor")
        for pattern in (_BULLET, _QUOTED):
            for match in pattern.finditer(sentence):
                item = _CITE.sub(" ", match.group("item"))
                item = re.split(r"\s[–-]\s|:\s|\s\(", item)[0].strip(" .,;")
                if len(item) >= 6 and self._unknown_name(item):
                    verdict.add(f"„{item}“ steht weder im Katalog noch in den Quellen")

    def _unknown_name(self, item: str) -> bool:
        folded = fold(item)
        if any(folded in fold(c.text) or folded in fold(c.title) for c in self.sources) or folded in fold(self.facts):
            return False
        for name in self.projects:
            if folded in name or name in folded or difflib.SequenceMatcher(None, folded, name).ratio() >= 0.85:
                return False
        return True

    # -- the whole answer --------------------------------------------------------------------
    def check_answer(self, answer: str) -> Verdict:
        verdict = Verdict()
        self._intro_marks = []
        for sentence in split_statements(answer):
            self.check_sentence(sentence, verdict)
        if not cited_numbers(answer):
            verdict.add("die Antwort zitiert keine Quelle")
        stated = _claims(answer)
        for figure in self.required:
            if not any(s.matches(figure) or figure.matches(s) for s in stated):
                verdict.add(f"der Betrag {figure.text} aus dem Katalog fehlt")
        return verdict


def split_statements(text: str) -> list[str]:
    """Sentences and list lines of a generated answer."""
    return [s for line in text.split("\n") for s in sentences(line) if s.strip()]
