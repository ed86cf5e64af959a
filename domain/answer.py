"""The answer object: the contract between the answer engine and every front end (CLI, web chat)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field


@dataclass
class Citation:
    n: int
    file: str
    district: str
    year: int
    section: str
    page: int | None
    quote: str
    chunk_id: str
    title: str = ""


@dataclass
class Answer:
    answer: str
    citations: list[Citation] = field(default_factory=list)
    abstained: bool = False
    intent: str = "text"
    generator: str = "extractive"  # or "llm": phrased by a language model and verified against the sources
    verified: bool = True
    notice: str = ""  # why a generated answer was not shown (failed verification, model unreachable)
    computed: list[int] = field(default_factory=list)  # figures the engine computed (sums, differences, counts)
    districts: list[str] = field(default_factory=list)  # what the answer is about, for follow-ups
    years: list[int] = field(default_factory=list)
    # for the meeting layout: the key fact first ("1.516.560 €") and its scope ("Landkreis Gießen 2025 · § 4")
    headline: str = ""
    scope: str = ""
    lang: str = "de"
    nearby: list[Citation] = field(default_factory=list)  # with an abstention: passages that may still help
    suggestions: list[str] = field(default_factory=list)  # questions to try next ("Meinten Sie …?")
    warnings: list[str] = field(default_factory=list)  # e.g. two agreements for one district and year

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Turn:
    """One earlier exchange of a conversation."""

    question: str
    answer: Answer | None = None
