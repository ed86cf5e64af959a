"""Optional: the phrase stage. A language model rewrites the engine's answer in its own words, and
only what the verifier accepts is shown.

`Phraser` never asks the question again: it takes the engine's extractive answer (its citations carry
quote and chunk id) and the passages the engine retrieved, numbers them as the model's sources, and
streams the model's text sentence by sentence through `assistant.verification.Verifier`. A failed
check, the deadline (one wall-clock limit for the whole generation, keep-alives or not; the request
is cancelled), a server error, an unreachable server or a full set of model slots ends in the
extractive answer with a notice that says why. Providers: an Ollama server, any OpenAI-compatible
server, or a local GGUF file run in this process by llama.cpp.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import re
import threading
import time
from contextlib import closing
from dataclasses import dataclass, replace
from typing import Any, Iterator

from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import AIMessage, AIMessageChunk, HumanMessage, SystemMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from pydantic import PrivateAttr

import prompts
from assistant.question import match_districts
from assistant.retrieval import overlap, sentences
from assistant.verification import (Figure, Verdict, Verifier, cited_numbers, drop_instructions, split_statements,
                                    statement_ends)
from domain.answer import Answer, Citation, Turn
from domain.districts import proper_name
from domain.german import find_amounts, fold, terms
from domain.records import AgreementFacts, Chunk

log = logging.getLogger("agreements.llm")

PROVIDERS = ("none", "ollama", "openai", "llamacpp")
_REQUIRED_ALL_LINES = {"amount"}  # every amount of the engine's answer must be restated
_REQUIRED_FIRST_LINE = {"project_amount", "ranking", "total"}  # the headline amount must be
_CITE = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)*)\]")


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
    concurrency: int = 2  # model requests at once; more are answered extractively at once, with a notice

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


class LlamaCppChat(BaseChatModel):
    """A GGUF model run in this process by llama-cpp-python, as a LangChain chat model."""

    model_path: str
    n_ctx: int = 4096
    temperature: float = 0.1
    max_tokens: int = 400
    concurrency: int = 2  # model requests at once; more are answered extractively at once, with a notice
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


# -- notices: why the extractive answer is shown instead ----------------------------------------------
_NOTICES = {
    "de": {
        "unreachable": "Hinweis: Das Sprachmodell ist nicht erreichbar ({reason}). Hier die Antwort direkt aus den Vereinbarungen.",
        "server_error": "Hinweis: Der Server des Sprachmodells hat mit einem Fehler geantwortet ({reason}). "
                        "Hier die Antwort direkt aus den Vereinbarungen.",
        "failed": "Hinweis: Das Sprachmodell hat keine verwertbare Antwort geliefert ({reason}). "
                  "Hier die Antwort direkt aus den Vereinbarungen.",
        "busy": "Hinweis: Das Sprachmodell ist gerade ausgelastet ({reason}). Hier die Antwort direkt aus den Vereinbarungen.",
    },
    "en": {
        "unreachable": "Note: the language model cannot be reached ({reason}). Here is the answer taken directly from the agreements.",
        "server_error": "Note: the language model's server answered with an error ({reason}). "
                        "Here is the answer taken directly from the agreements.",
        "failed": "Note: the language model gave no usable answer ({reason}). Here is the answer taken directly from the agreements.",
        "busy": "Note: the language model is busy ({reason}). Here is the answer taken directly from the agreements.",
    },
}


def notice(lang: str, cause: str, reason: str) -> str:
    """The notice for an extractive answer shown instead of the model's: rejected, timeout, unreachable,
    server_error, failed or busy."""
    if cause == "rejected":
        return prompts.phrases(lang)["llm_rejected"].format(reason=reason)
    if cause == "timeout":
        return prompts.phrases(lang)["llm_unavailable"].format(reason=reason)
    return _NOTICES.get(lang, _NOTICES["de"])[cause].format(reason=reason)


def failure(exc: BaseException, timeout: float) -> tuple[str, str]:
    """(cause, reason) of a failed model request, for the notice."""
    name = type(exc).__name__
    if isinstance(exc, TimeoutError) or "Timeout" in name:
        return "timeout", f"Zeitüberschreitung nach {timeout:g} s"
    status = getattr(exc, "status_code", None) or getattr(getattr(exc, "response", None), "status_code", None)
    if isinstance(status, int):
        return "server_error", f"Serverfehler, HTTP {status}"
    if "Connect" in name or "Connection" in str(exc) or isinstance(exc, ConnectionError):
        return "unreachable", "keine Verbindung zum Server"
    return "failed", f"{name}: {str(exc)[:120]}"


# -- one event loop for every model request of this process ------------------------------------------
_loop: asyncio.AbstractEventLoop | None = None
_loop_lock = threading.Lock()


def _requests_loop() -> asyncio.AbstractEventLoop:
    """The background event loop that runs model requests, so that one can be cancelled at its deadline.

    One loop for the process: the model clients keep connection pools that belong to one loop."""
    global _loop
    with _loop_lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            threading.Thread(target=loop.run_forever, name="llm-requests", daemon=True).start()
            _loop = loop
        return _loop


_PLACE = re.compile(r"\b(?:Landkreis(?:es)?|Kreis(?:es)?|Stadt|Landeshauptstadt|Wissenschaftsstadt|Universitätsstadt)"
                    r"\s+([A-ZÄÖÜ][\wäöüß\-]+)")
_YEAR = re.compile(r"\b(19\d{2}|20\d{2})\b")


def _places(text: str, known: list[str]) -> set[str]:
    """The place names a text names (folded, without "Landkreis"/"Stadt"), Hessian or not."""
    cleaned = re.sub(r"\s+", " ", re.sub(r"[?!.,;:„“\"()]", " ", fold(text)))
    on_file, ambiguous, missing = match_districts(text, cleaned, known)[:3]
    found = {fold(proper_name(d)) for d in on_file + missing + [n for names in ambiguous.values() for n in names]}
    return found | {fold(m.group(1)) for m in _PLACE.finditer(text)}


def _years(text: str) -> set[int]:
    return {int(y) for y in _YEAR.findall(text)}


class Phraser:
    """The optional phrase stage: the engine's answer in the model's words, verified, or the engine's own.

    It never calls `understand()` or any retrieval: everything it needs comes in as arguments."""

    def __init__(self, config: LLMConfig, model=None) -> None:
        self.config = config
        # built now, not inside a request's deadline (building a client takes seconds); a wrong setting is reported at once
        self._model = model if model is not None or not config.enabled else chat_model(config)
        # an in-process model answers one request at a time
        self.slots = 1 if config.provider == "llamacpp" else max(1, config.concurrency)
        self._free = threading.BoundedSemaphore(self.slots)

    @property
    def model(self):
        if self._model is None:
            self._model = chat_model(self.config)
        return self._model

    # -- follow-ups --------------------------------------------------------------------------
    def rewrite(self, question: str, history: list[Turn], *, deadline: float | None = None) -> str | None:
        """A follow-up as a stand-alone question, written by the model. None without a conversation, when
        the model is busy, down or slow, or when its question names a district or year the conversation
        did not, or drops one the question named. `deadline` (time.monotonic()) shortens the 20 s limit."""
        if not history or not self._free.acquire(blocking=False):
            return None
        lines = []
        for turn in history[-3:]:
            lines.append(f"Frage: {turn.question}")
            if turn.answer:
                lines.append(f"Antwort: {turn.answer.answer.splitlines()[0][:300]}")
        prompt = prompts.text("rewrite_de.txt").format(history="\n".join(lines), question=question)
        try:
            limit = time.monotonic() + min(self.config.timeout, 20.0)
            with closing(self._pieces([HumanMessage(prompt)], min(limit, deadline or limit))) as pieces:
                reply = "".join(pieces)
        except Exception as exc:  # the engine's rules take the follow-up
            log.info("Umformulierung ohne Sprachmodell: %s", failure(exc, self.config.timeout)[1])
            return None
        finally:
            self._free.release()
        candidate = reply.strip().splitlines()[0].strip(" „“\"*") if reply.strip() else ""
        if not candidate or len(candidate) > 300 or _SCAFFOLD_LINE.match(candidate):
            return None
        known = sorted({d for turn in history if turn.answer for d in turn.answer.districts})
        said_places, said_years = _places(question, known), _years(question)
        asked_places, asked_years = set(said_places), set(said_years)
        for turn in history:
            said_places |= _places(turn.question, known)
            said_years |= _years(turn.question)
            if turn.answer:
                first_line = turn.answer.answer.splitlines()[0] if turn.answer.answer else ""
                said_places |= _places(first_line, known) | {fold(proper_name(d)) for d in turn.answer.districts}
                said_years |= _years(first_line) | set(turn.answer.years)
        places, years = _places(candidate, known), _years(candidate)
        if not places <= said_places or not years <= said_years or not asked_places <= places or not asked_years <= years:
            log.info("Umformulierung verworfen: %r", candidate)
            return None
        return candidate

    # -- answers -----------------------------------------------------------------------------
    def stream(self, question: str, answer: Answer, passages: list[Chunk], catalog: list[AgreementFacts], *,
               deadline: float | None = None) -> Iterator[tuple[str, Answer | None]]:
        """(verified text so far, None) while the model writes, then ("", the final answer): the model's,
        verified, or the extractive `answer` with a notice that says why not. The model gets
        `config.timeout` seconds from now, or until `deadline` (time.monotonic()) when that is given."""
        if answer.abstained or not answer.citations:
            yield "", answer
            return
        if not self._free.acquire(blocking=False):
            yield "", self._fallback(answer, "busy", f"{self.slots} Anfragen gleichzeitig")
            return
        try:
            yield from self._phrase(question, answer, passages, catalog, deadline or time.monotonic() + self.config.timeout)
        finally:
            self._free.release()

    def _phrase(self, question: str, answer: Answer, passages: list[Chunk], catalog: list[AgreementFacts],
                deadline: float) -> Iterator[tuple[str, Answer | None]]:
        sources, facts = self.sources(answer, passages)
        verifier = Verifier(sources, facts, question=question, computed=answer.computed, catalog=catalog,
                            required=self.required(answer), reference=_reference(answer))
        messages = [
            SystemMessage(prompts.text("system_de.txt")),
            HumanMessage(prompts.text("answer_de.txt").format(question=question, facts=facts, sources=_numbered(sources))),
        ]
        text, checked, verdict = "", 0, Verdict()
        try:
            with closing(self._pieces(messages, deadline)) as pieces:
                for piece in pieces:
                    text += piece
                    ready = _complete_part(text)
                    statements = split_statements(ready)
                    for statement in statements[checked:]:
                        verifier.check_sentence(statement, verdict)
                    if not verdict.ok:
                        break  # closing the pieces cancels the request
                    if len(statements) > checked:
                        checked = len(statements)
                        yield ready.strip(), None
        except Exception as exc:
            cause, reason = failure(exc, self.config.timeout)
            log.warning("Sprachmodell: %s", reason)
            yield "", self._fallback(answer, cause, reason)
            return
        if verdict.ok:
            verdict = verifier.check_answer(text.strip())
        if not verdict.ok:
            log.info("Generierte Antwort verworfen: %s | %r", "; ".join(verdict.problems), text[:300])
            yield "", self._fallback(answer, "rejected", verdict.problems[0])
            return
        final = self.generated(text.strip(), sources, answer)
        yield final.answer, None  # the last statement, now checked with the whole answer
        yield "", final

    def _pieces(self, messages, deadline: float) -> Iterator[str]:
        """The model's text as it streams, within one wall-clock deadline for the whole request.

        The request runs on the background loop; at the deadline, or when the caller closes this
        iterator, it is cancelled (the HTTP connection is closed). Raises TimeoutError at the deadline
        and whatever the client raises (HTTP status errors, connection errors)."""
        received: queue.Queue = queue.Queue()
        model = self.model

        async def pump() -> None:
            try:
                async for chunk in model.astream(messages):
                    content = chunk.content if isinstance(chunk.content, str) else ""
                    if content:
                        received.put(("text", content))
                received.put(("end", None))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                received.put(("error", exc))

        request = asyncio.run_coroutine_threadsafe(pump(), _requests_loop())
        try:
            while True:
                remaining = deadline - time.monotonic()
                try:
                    if remaining <= 0:
                        raise queue.Empty
                    kind, value = received.get(timeout=remaining)
                except queue.Empty:
                    raise TimeoutError(f"mehr als {self.config.timeout:g} s") from None
                if kind == "text":
                    yield value
                elif kind == "end":
                    return
                else:
                    raise value
        finally:
            request.cancel()

    # -- what the model sees and what comes out -----------------------------------------------
    @staticmethod
    def sources(answer: Answer, passages: list[Chunk]) -> tuple[list[Chunk], str]:
        """The numbered sources (citation n of the answer is source n; for passage answers the other
        retrieved passages follow, four in all) with instruction-like sentences left out, and the facts
        text (the engine's answer over the same numbering)."""
        by_id = {c.id: c for c in passages}
        sources = []
        for citation in sorted(answer.citations, key=lambda c: c.n):
            chunk = by_id.get(citation.chunk_id) if answer.intent == "text" else None
            sources.append(chunk or Chunk(citation.chunk_id, citation.file, "", citation.district, citation.year, "",
                                          citation.section, citation.title, citation.quote, 0, citation.page))
        if answer.intent == "text":
            cited = {c.chunk_id for c in answer.citations}
            sources += [c for c in passages if c.id not in cited][: max(0, 4 - len(sources))]
            facts = "(keine – die Antwort steht in den Quellen)"
        else:
            facts = answer.answer
        return [replace(c, text=drop_instructions(c.text), title=drop_instructions(c.title)) for c in sources], facts

    @staticmethod
    def required(answer: Answer) -> list[Figure]:
        """The amounts the model must state: all of an amount answer's, the headline of some others."""
        lines = answer.answer.split("\n")
        if answer.intent in _REQUIRED_ALL_LINES:
            chosen = lines
        elif answer.intent in _REQUIRED_FIRST_LINE:
            chosen = lines[:1]
        else:
            return []
        return [Figure(float(value), 0.0, written) for line in chosen for value, written, _ in find_amounts(line)]

    @staticmethod
    def generated(text: str, sources: list[Chunk], answer: Answer) -> Answer:
        """The verified text with its citations renumbered in order of first mention."""
        order: list[int] = []
        for n in cited_numbers(text):
            if n not in order:
                order.append(n)
        number = {old: new for new, old in enumerate(order, start=1)}
        text = _CITE.sub(lambda m: "[" + ", ".join(str(number[int(n)]) for n in re.split(r"\s*[,;]\s*", m.group(1))) + "]", text)
        earlier = {c.n: c for c in answer.citations}
        citations = []
        for old in order:
            if old in earlier:
                citations.append(replace(earlier[old], n=number[old]))
                continue
            chunk = sources[old - 1]
            claims = " ".join(s for s in split_statements(text) if number[old] in cited_numbers(s))
            citations.append(Citation(number[old], chunk.doc_id, chunk.district, chunk.year, chunk.section,
                                      chunk.page, _quote(chunk, claims), chunk.id, chunk.title))
        return replace(answer, answer=text, citations=citations, generator="llm", verified=True, notice="")

    @staticmethod
    def _fallback(answer: Answer, cause: str, reason: str) -> Answer:
        return replace(answer, notice=notice(answer.lang or "de", cause, reason))


_SCAFFOLD_LINE = re.compile(r"^\s*(frage|antwort|gespräch|letzte frage|eigenständige frage)\s*:", re.IGNORECASE)


def _reference(answer: Answer) -> str:
    """The engine's answer with its quotes: what a phrased sentence may be about."""
    return "\n".join([answer.answer] + [c.quote for c in answer.citations])


def _numbered(sources: list[Chunk]) -> str:
    return "\n".join(
        f'<quelle n="{n}">[{n}] {c.district}, Zielvereinbarung {c.year}, {c.section} {c.title}\n'
        f"{c.text.replace('<', '‹').replace('>', '›')}</quelle>"
        for n, c in enumerate(sources, start=1)
    )


def _complete_part(text: str) -> str:
    """The text up to the end of its last complete statement (sentence or line)."""
    ends = statement_ends(text)
    return text[: ends[-1]] if ends else ""


def _quote(chunk: Chunk, claims: str) -> str:
    """The sentence(s) of a passage that carry the claims citing it."""
    if len(chunk.text) <= 400:
        return chunk.text
    wanted = set(terms(claims))
    parts = sentences(chunk.text)
    best = max(parts, key=lambda p: overlap(wanted, p), default="")
    return best or (parts[0] if parts else chunk.text)
