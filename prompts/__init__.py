"""Prompt and answer-phrasing files, loaded by name. They are data, versioned with the code."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

FOLDER = Path(__file__).parent


def text(name: str) -> str:
    """The text of a prompt file, e.g. text('system_de.txt')."""
    return (FOLDER / name).read_text(encoding="utf-8")


@cache
def phrases(lang: str) -> dict[str, str]:
    """The answer templates for a language ('de' or 'en') from answers.toml."""
    table = tomllib.loads(text("answers.toml"))
    return table.get(lang) or table["de"]


@cache
def intent_examples() -> dict[str, list[str]]:
    """Example questions per intent, from intents.toml."""
    table = tomllib.loads(text("intents.toml"))
    return {intent: list(entry["examples"]) for intent, entry in table.items()}


@cache
def thesaurus() -> dict[str, list[str]]:
    """Words users type -> the words the agreements use (thesaurus.toml)."""
    return dict(tomllib.loads(text("thesaurus.toml"))["words"])
