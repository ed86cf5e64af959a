"""Optional: answers phrased by a language model through LangChain, shown only once verified.

The extractive engine answers first. Its facts (catalog figures with their citations) and the
best passages go to the model, numbered; the model's text streams sentence by sentence through
the verifier, and only checked sentences are shown. Any failed check, a timeout or an
unreachable server ends in the extractive answer with a notice. Providers: an Ollama server, any
OpenAI-compatible server, or a local GGUF file run in this process by llama.cpp.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass, replace
from typing import Any, Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

import prompts
from assistant.engine import Assistant, quote_for
from assistant.question import understand
from assistant.retrieval import overlap, sentences
from domain.answer import Answer, Citation, Turn
from assistant.verification import Figure, Verdict, Verifier, cited_numbers, drop_instructions, split_statements
from domain.german import find_amounts, terms
from domain.records import Chunk

log = logging.getLogger("agreements.llm")

PROVIDERS = ("none", "ollama", "openai", "llamacpp")
_REQUIRED_ALL_LINES = {"amount"}  # every amount of the engine's answer must be restated
_REQUIRED_FIRST_LINE = {"project_amount", "ranking", "total"}  # the headline amount must be
_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")
_STATEMENT_END = re.compile(r"(?:[.!?:](?:\s*\[\d+(?:\s*[,;]\s*\d+)*\])*\s+(?=[A-ZÄÖÜ„\"\-*•\d])|\n)")


@dataclass
class LLMConfig:
    provider: str = "none"
    model: str = ""
    base_url: str = ""
    api_key: str = ""
    model_path: str = ""
    temperature: float = 0.1
    timeout: float = 60.0  # seconds for the whole answer
    context: int = 4096
    threads: int = 0  # llama.cpp: 0 = all cores
    max_tokens: int = 400

    @property
    def enabled(self) -> bool:
        return self.provider not in ("", "none", "off")


def chat_model(config: LLMConfig):
    """The LangChain chat model for a provider; a clear error when its package is missing."""
    if config.provider not in PROVIDERS:
        raise ValueError(f"AGREEMENTS_LLM muss eines von {', '.join(PROVIDERS)} sein, nicht „{config.provider}“")
    try:
        if config.provider == "openai":
            from langchain_openai import ChatOpenAI

            return ChatOpenAI(model=config.model or "gpt-4o-mini", base_url=config.base_url or None,
                              api_key=config.api_key or "none", temperature=config.temperature,
                              timeout=config.timeout, max_retries=0, max_tokens=config.max_tokens,
                              # langchain-openai sends only `max_completion_tokens`, which llama.cpp's and
                              # other compatible servers ignore: without this they write until the context is full
                              extra_body={"max_tokens": config.max_tokens})
        if config.provider == "ollama":
            from langchain_ollama import ChatOllama

            return ChatOllama(model=config.model or "llama3.1", base_url=config.base_url or None,
                              temperature=config.temperature, num_ctx=config.context,
                              num_predict=config.max_tokens, client_kwargs={"timeout": config.timeout})
        if config.provider == "llamacpp":
            if not config.model_path:
                raise ValueError("AGREEMENTS_LLM=llamacpp braucht AGREEMENTS_LLM_MODEL_PATH (eine GGUF-Datei)")
            return LlamaCppChat(model_path=config.model_path, n_ctx=config.context, temperature=config.temperature,
                                max_tokens=config.max_tokens, n_threads=config.threads or None)
    except ImportError as exc:
        raise RuntimeError(f"Für AGREEMENTS_LLM={config.provider} fehlt ein Paket ({exc.name}): "
                           f"pip install 'agreement-assistant[llm]'") from exc
    raise ValueError("kein Sprachmodell eingestellt")


def answerer(assistant: Assistant, config: LLMConfig):
    """The assistant the front ends use: extractive, or generating when a model is configured."""
    if not config.enabled:
        return assistant
    return GeneratingAssistant(assistant, chat_model(config), config)


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in this process by llama-cpp-python, as a LangChain chat model."""

    model_path: str
    n_ctx: int = 4096
    temperature: float = 0.1
    max_tokens: int = 400
    n_threads: int | None = None
    _llama: Any = PrivateAttr(default=None)

    @property
    def _llm_type(self) -> str:
        return "llama-cpp"

    def _client(self):
        if self._llama is None:
            from llama_cpp import Llama

            self._llama = Llama(model_path=self.model_path, n_ctx=self.n_ctx, n_threads=self.n_threads, verbose=False)
        return self._llama

    @staticmethod
    def _messages(messages) -> list[dict]:
        roles = {"system": "system", "human": "user", "ai": "assistant"}
        return [{"role": roles.get(m.type, "user"), "content": m.content} for m in messages]

    def _generate(self, messages, stop=None, run_manager=None, **kwargs) -> ChatResult:
        out = self._client().create_chat_completion(self._messages(messages), temperature=self.temperature,
                                                    max_tokens=self.max_tokens, stop=stop)
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=out["choices"][0]["message"]["content"] or ""))])

    def _stream(self, messages, stop=None, run_manager=None, **kwargs) -> Iterator[ChatGenerationChunk]:
        parts = self._client().create_chat_completion(self._messages(messages), temperature=self.temperature,
                                                      max_tokens=self.max_tokens, stop=stop, stream=True)
        for part in parts:
            delta = part["choices"][0]["delta"].get("content")
            if delta:
                chunk = ChatGenerationChunk(message=AIMessageChunk(content=delta))
                if run_manager:
                    run_manager.on_llm_new_token(delta, chunk=chunk)
                yield chunk


class GeneratingAssistant:
    """The extractive Assistant with answers phrased by a language model and verified.

    Offers what the front ends use of an Assistant (`ask`, `stream`, `refresh`, `catalog`, `chunks`, `groups`)."""

    generator = "llm"

    def __init__(self, assistant: Assistant, model, config: LLMConfig) -> None:
        self.assistant = assistant
        self.model = model
        self.config = config

    def __getattr__(self, name: str):  # catalog, chunks, groups, refresh …: the wrapped assistant's
        return getattr(self.assistant, name)

    def ask(self, question: str, history: list[Turn] | None = None, district: str | None = None,
            year: int | None = None) -> Answer:
        final = None
        for _, final in self.stream(question, history, district, year):
            pass
        return final

    # -- follow-ups --------------------------------------------------------------------------
    def rewrite(self, question: str, history: list[Turn]) -> str:
        """A follow-up as a stand-alone question, by the model; kept only if it names no district or
        year the conversation did not, and drops none the question named. Else the question as is
        (the engine then takes district and year from the conversation by its rules). Raises what
        the model's client raises when the server is down or slow."""
        if not history:
            return question
        lines = []
        for turn in history[-3:]:
            lines.append(f"Frage: {turn.question}")
            if turn.answer:
                lines.append(f"Antwort: {turn.answer.answer.splitlines()[0][:300]}")
        prompt = prompts.text("rewrite_de.txt").format(history="\n".join(lines), question=question)
        reply = self._complete([HumanMessage(prompt)], budget=min(self.config.timeout, 20.0))
        candidate = reply.strip().splitlines()[0].strip(" „“\"") if reply.strip() else ""
        if not candidate or len(candidate) > 300:
            return question
        catalog = self.assistant.catalog
        asked = understand(question, catalog)
        said = set(asked.districts) | set(asked.years)
        for turn in history:
            earlier = understand(turn.question, catalog)
            said |= set(earlier.districts) | set(earlier.years)
            if turn.answer:
                said |= set(turn.answer.districts) | set(turn.answer.years)
        rewritten = understand(candidate, catalog)
        named = set(rewritten.districts) | set(rewritten.years) | set(rewritten.missing_districts)
        if not named <= said or not (set(asked.districts) | set(asked.years)) <= named:
            log.info("Umformulierung verworfen: %r", candidate)
            return question
        return candidate

    def _complete(self, messages, budget: float) -> str:
        text, started = "", time.monotonic()
        for chunk in self.model.stream(messages):
            text += chunk.content if isinstance(chunk.content, str) else ""
            if time.monotonic() - started > budget:
                break
        return text

    # -- answers -----------------------------------------------------------------------------
    def stream(self, question: str, history: list[Turn] | None = None, district: str | None = None,
               year: int | None = None) -> Iterator[tuple[str, Answer | None]]:
        """(verified text so far, None) while the model writes, then ("", the final answer)."""
        history = history or []
        lang = understand(question, []).lang
        started = time.monotonic()
        try:
            standalone, down = self.rewrite(question, history), None
        except Exception as exc:  # the rules take the follow-up; the model is not asked again
            standalone, down = question, exc
        extractive = self.assistant.ask(standalone, history, district, year)
        if extractive.abstained or not extractive.citations:
            yield "", extractive
            return
        if down is not None:
            yield "", self._fallback(extractive, "llm_unavailable", _reason(down), lang)
            return
        sources, facts = self._sources(standalone, history, district, year, extractive)
        verifier = Verifier(
            sources, facts, question=standalone, computed=extractive.computed,
            projects=[p.name for d in self.assistant.catalog for p in d.projects],
            districts=[d.district for d in self.assistant.catalog], required=self._required(extractive),
        )
        messages = [
            SystemMessage(prompts.text("system_de.txt")),
            HumanMessage(prompts.text("answer_de.txt").format(question=standalone, facts=facts, sources=_numbered(sources))),
        ]
        text, checked, verdict = "", 0, Verdict()
        budget = self.config.timeout - (time.monotonic() - started)
        try:
            deadline = time.monotonic() + max(budget, 1.0)
            for chunk in self.model.stream(messages):
                text += chunk.content if isinstance(chunk.content, str) else ""
                if time.monotonic() > deadline:
                    raise TimeoutError(f"mehr als {self.config.timeout:.0f} s")
                ready = _complete_part(text)
                statements = split_statements(ready)
                for statement in statements[checked:]:
                    verifier.check_sentence(statement, verdict)
                if not verdict.ok:
                    break
                if len(statements) > checked:
                    checked = len(statements)
                    yield ready.strip(), None
        except Exception as exc:
            reason = _reason(exc)
            log.warning("Sprachmodell: %s", reason)
            yield "", self._fallback(extractive, "llm_unavailable", reason, lang)
            return
        if verdict.ok:
            verdict = verifier.check_answer(text.strip())
        if not verdict.ok:
            log.info("Generierte Antwort verworfen: %s | %r", "; ".join(verdict.problems), text[:300])
            yield "", self._fallback(extractive, "llm_rejected", verdict.problems[0], lang)
            return
        yield "", self._generated(text.strip(), sources, extractive)

    def _sources(self, question: str, history: list[Turn], district, year, extractive: Answer) -> tuple[list[Chunk], str]:
        """The numbered sources the model sees (instruction-like sentences left out) and the facts text."""
        chunks = self.assistant.chunks
        if extractive.intent != "text":
            sources = [chunks[c.chunk_id] for c in extractive.citations]
            facts = extractive.answer
        else:
            cited = [chunks[c.chunk_id] for c in extractive.citations]
            found = self.assistant.passages(question, history, district, year, k=4)
            sources = list({c.id: c for c in cited + found}.values())[:4]
            facts = "(keine – die Antwort steht in den Quellen)"
        return [replace(c, text=drop_instructions(c.text)) for c in sources], facts

    @staticmethod
    def _required(extractive: Answer) -> list[Figure]:
        lines = extractive.answer.split("\n")
        if extractive.intent in _REQUIRED_ALL_LINES:
            chosen = lines
        elif extractive.intent in _REQUIRED_FIRST_LINE:
            chosen = lines[:1]
        else:
            return []
        return [Figure(float(value), 0.0, written) for line in chosen for value, written, _ in find_amounts(line)]

    def _generated(self, text: str, sources: list[Chunk], extractive: Answer) -> Answer:
        """The verified text with its citations renumbered in order of first mention."""
        order: list[int] = []
        for n in cited_numbers(text):
            if n not in order:
                order.append(n)
        number = {old: new for new, old in enumerate(order, start=1)}
        text = _CITE.sub(lambda m: "[" + ", ".join(str(number[int(n)]) for n in re.split(r"\s*[,;]\s*", m.group(1))) + "]", text)
        earlier = {c.chunk_id: c.quote for c in extractive.citations}
        citations = []
        for old in order:
            chunk = sources[old - 1]
            claims = " ".join(s for s in split_statements(text) if number[old] in cited_numbers(s))
            quote = earlier.get(chunk.id) or _quote(chunk, claims)
            citations.append(Citation(number[old], chunk.doc_id, chunk.district, chunk.year, chunk.section,
                                      chunk.page, quote, chunk.id, chunk.title))
        return replace(extractive, answer=text, citations=citations, generator="llm", verified=True, notice="")

    @staticmethod
    def _fallback(extractive: Answer, key: str, reason: str, lang: str) -> Answer:
        return replace(extractive, notice=prompts.phrases(lang)[key].format(reason=reason))


def _numbered(sources: list[Chunk]) -> str:
    return "\n".join(
        f'<quelle n="{n}">[{n}] {c.district}, Zielvereinbarung {c.year}, {c.section} {c.title}\n'
        f"{c.text.replace('<', '‹').replace('>', '›')}</quelle>"
        for n, c in enumerate(sources, start=1)
    )


def _complete_part(text: str) -> str:
    """The text up to the end of its last complete statement (sentence or line)."""
    ends = [m.end() for m in _STATEMENT_END.finditer(text)]
    return text[: ends[-1]] if ends else ""


def _quote(chunk: Chunk, claims: str) -> str:
    """The sentence(s) of a passage that carry the claims citing it."""
    if len(chunk.text) <= 400:
        return chunk.text
    wanted = set(terms(claims))
    parts = sentences(chunk.text)
    best = max(parts, key=lambda p: overlap(wanted, p), default="")
    return best or quote_for(chunk.text, [])


def _reason(exc: Exception) -> str:
    name = type(exc).__name__
    if isinstance(exc, TimeoutError) or "Timeout" in name:
        return "Zeitüberschreitung"
    if "Connect" in name or "Connection" in str(exc):
        return "Server nicht erreichbar"
    return f"{name}: {str(exc)[:120]}"
