"""What the stages hand to the composer: a `Draft` (answer lines with numbered citations) or an
`Abstention` (a typed reason not to answer, with the passages that may still help), and how each becomes
the `Answer` every front end shows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import prompts
from assistant.retrieval import sentences
from domain.answer import Answer, Citation
from domain.districts import genitive, nominative
from domain.german import fold
from domain.records import Chunk


def with_genitive(values: dict) -> dict:
    """The phrase values plus `district_gen` ("des Landkreises Gießen") and `district_nom` ("Der Landkreis
    Gießen") where a district is named."""
    if "district" not in values:
        return values
    district = str(values["district"])
    return values | {"district_gen": genitive(district), "district_nom": nominative(district)}


def excerpt(parts: list[str], keep: list[int]) -> str:
    """Some of a passage's sentences, in their order: neighbours joined by a space, a gap between them marked
    "…", so that every piece between two marks is the document's own words."""
    keep = sorted(set(keep))
    return "".join(("" if i == 0 else " " if k == keep[i - 1] + 1 else " … ") + parts[k] for i, k in enumerate(keep))


def quote_for(text: str, needles: list[str]) -> str:
    """The sentences (or list lines) of a chunk that hold any of the needles; the first if none does."""
    parts = sentences(text)
    if not needles:
        return parts[0] if parts else text
    folded_needles = [fold(n) for n in needles if n]
    hits = [i for i, p in enumerate(parts) if any(n in fold(p) for n in folded_needles)]
    return excerpt(parts, hits) if hits else (parts[0] if parts else text)


def citation_for(n: int, chunk: Chunk, quote: str) -> Citation:
    return Citation(n, chunk.doc_id, chunk.district, chunk.year, chunk.section, chunk.page, quote, chunk.id, chunk.title)


def quoted(text: str) -> str:
    """A passage in German quotation marks; quotation marks inside it become single ones („… ‚…‘ …“)."""
    return "„" + text.replace("„", "‚").replace("“", "‘") + "“"


class Draft:
    """Answer lines and the numbered citations they point to."""

    def __init__(self, lang: str, chunks: dict[str, Chunk]) -> None:
        self.lang = lang
        self.t = prompts.phrases(lang)
        self.chunks = chunks
        self.lines: list[str] = []
        self.citations: list[Citation] = []
        self.computed: list[int] = []
        self.headline = ""
        self.scope = ""
        self.warnings: list[str] = []
        self.districts: list[str] = []
        self.years: list[int] = []
        self.abstained = False  # a fact the text does not give, said with the place that shows it

    def say(self, key: str, **values) -> None:
        self.lines.append(self.phrase(key, **values))

    def phrase(self, key: str, **values) -> str:
        return self.t[key].format(**with_genitive(values))

    def cite(self, chunk_id: str | None, needles: list[str] | None = None, whole: bool = False, quote: str = "") -> int:
        chunk = self.chunks.get(chunk_id or "")
        if chunk is None:
            return 0
        quote = quote or (chunk.text if whole else quote_for(chunk.text, needles or []))
        for citation in self.citations:
            if citation.chunk_id == chunk.id and citation.quote == quote:
                return citation.n
        n = len(self.citations) + 1
        self.citations.append(citation_for(n, chunk, quote))
        return n

    def about(self, districts, years) -> None:
        self.districts += [d for d in districts if d not in self.districts]
        self.years += [y for y in years if y not in self.years]

    def answer(self, intent: str) -> Answer:
        text, citations = _in_order_of_mention("\n".join(self.lines), self.citations)
        return Answer(
            answer=text, citations=citations, abstained=self.abstained, intent=intent,
            computed=self.computed, districts=self.districts, years=sorted(self.years), headline=self.headline,
            scope=self.scope, lang=self.lang, warnings=self.warnings,
        )


def _in_order_of_mention(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Citations renumbered so that the text mentions [1] first, then [2] …; unmentioned ones last."""
    order = list(dict.fromkeys(int(n) for n in re.findall(r"\[(\d+)\]", text)))
    order += [c.n for c in citations if c.n not in order]
    new = {old: i for i, old in enumerate(order, start=1)}
    by_n = {c.n: c for c in citations}
    renumbered = [Citation(new[n], c.file, c.district, c.year, c.section, c.page, c.quote, c.chunk_id, c.title)
                  for n in order if (c := by_n.get(n))]
    return re.sub(r"\[(\d+)\]", lambda m: f"[{new.get(int(m.group(1)), int(m.group(1)))}]", text), renumbered


@dataclass
class Abstention:
    """A typed reason not to answer: `key` names the phrasing in prompts/answers.toml."""

    key: str
    values: dict = field(default_factory=dict)
    computed: list[int] = field(default_factory=list)  # figures the message states (years on file)
    suggestions: list[str] = field(default_factory=list)
    nearby: list[Chunk] = field(default_factory=list)  # passages that may still help
    districts: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)

    def answer(self, lang: str, intent: str) -> Answer:
        t = prompts.phrases(lang)
        lines = [t[self.key].format(**with_genitive(self.values))]
        if self.suggestions:
            lines.append(t["did_you_mean"].format(options=", ".join(self.suggestions)))
        nearby = [citation_for(n, c, _short_quote(c.text)) for n, c in enumerate(self.nearby, start=1)]
        return Answer(
            answer="\n".join(lines), citations=[], abstained=True, intent=intent, computed=self.computed,
            districts=self.districts, years=self.years, lang=lang, nearby=nearby,
            suggestions=[t["suggest_district"].format(district=s) for s in self.suggestions],
        )


def _short_quote(text: str, limit: int = 300) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rfind(" ")] + " …"


def merge(answers: list[Answer]) -> Answer:
    """Two answers to a two-part question as one: lines after each other, citations renumbered."""
    first = answers[0]
    lines, citations, nearby = [], [], []
    for answer in answers:
        offset = len(citations)
        text = re.sub(r"\[(\d+)\]", lambda m: f"[{int(m.group(1)) + offset}]", answer.answer)
        lines.append(text)
        for c in answer.citations:
            citations.append(Citation(c.n + offset, c.file, c.district, c.year, c.section, c.page, c.quote, c.chunk_id, c.title))
        nearby += answer.nearby
    return Answer(
        answer="\n\n".join(lines), citations=citations, abstained=all(a.abstained for a in answers),
        intent="+".join(a.intent for a in answers), computed=[n for a in answers for n in a.computed],
        districts=list(dict.fromkeys(d for a in answers for d in a.districts)),
        years=sorted({y for a in answers for y in a.years}), **_merged_headline(answers),
        lang=first.lang, nearby=nearby, suggestions=[s for a in answers for s in a.suggestions],
        warnings=[w for a in answers for w in a.warnings],
    )


def _merged_headline(answers: list[Answer]) -> dict:
    """The headline of a two-part answer: each part's key fact with its scope, so that an answer over two
    districts never heads with one district's figure alone."""
    headed = [a for a in answers if a.headline and not a.abstained]
    if len(headed) < 2:
        first = (headed or answers)[0]
        return {"headline": first.headline, "scope": first.scope}
    return {"headline": "; ".join(f"{a.headline} ({a.scope})" if a.scope else a.headline for a in headed), "scope": ""}

