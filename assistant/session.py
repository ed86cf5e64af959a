"""The state one question carries through the answer path's stages:
understand → scope → facts → passages → compose → (phrase → verify, with a language model)."""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.catalog import Group
from assistant.compose import Abstention, Draft
from assistant.question import Question
from domain.answer import Answer, Turn
from domain.records import Chunk


@dataclass
class Session:
    text: str
    history: list[Turn] = field(default_factory=list)
    district: str | None = None  # the web chat's filter
    year: int | None = None
    deadline: float | None = None  # time.monotonic() by which a language model must be done (none: extractive)
    question: Question | None = None  # understand
    groups: list[Group] = field(default_factory=list)  # scope: the district-years in question
    abstention: Abstention | None = None  # facts or passages: a typed reason not to answer
    scope_note: Abstention | None = None  # scope: no agreement for the named district or year; said beside the
    # evidence the search finds, or as the refusal when it finds none
    clarify: bool = False  # scope: a fact of one agreement asked with several on file and none named
    draft: Draft | None = None  # facts or passages: the answer lines with citations
    backup: Draft | None = None  # facts: a catalog answer kept in case no passage answers better
    fallback_note: str = ""  # facts: why the answer comes from passages (fact missing or uncertain)
    filter_overridden: str = ""  # scope: the filter's district, when the question names another one
    passages: list[Chunk] = field(default_factory=list)  # passages: the best passages in scope
    answer: Answer | None = None  # compose

    @property
    def lang(self) -> str:
        return self.question.lang if self.question else "de"

    @property
    def intent(self) -> str:
        return self.question.intent if self.question else "text"

    @property
    def doc_ids(self) -> list[str]:
        return [d.doc_id for g in self.groups for d in g.documents]
