"""The glossary for new coordinators: terms of the programme with a short explanation (prompts/glossary.toml)."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache

import prompts
from domain.german import fold


@dataclass(frozen=True)
class GlossaryEntry:
    term: str
    definition: str
    aliases: tuple[str, ...] = ()


@cache
def entries() -> list[GlossaryEntry]:
    table = tomllib.loads(prompts.text("glossary.toml"))
    return [GlossaryEntry(term, e["definition"], tuple(e.get("aliases", []))) for term, e in table.items()]


def lookup(text: str) -> GlossaryEntry | None:
    """The entry a question asks about ("was ist BaE?", "AQB?"), longest name first."""
    folded = fold(text)
    best = None
    for entry in entries():
        for name in (entry.term, *entry.aliases):
            if re.search(rf"(?<![\w-]){re.escape(fold(name))}(?![\w-])", folded) and (best is None or len(name) > best[0]):
                best = (len(name), entry)
    return best[1] if best else None
