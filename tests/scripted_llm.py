"""A small OpenAI-compatible server on 127.0.0.1 that answers what a test tells it to.

It serves `/v1/models` and `/v1/chat/completions` (streamed as server-sent events, or as one JSON
reply) from a queue of scripted replies:

    server.reply("Der Landkreis … [1].")          # normal text, streamed in small pieces
    server.reply(keep_alive=True)                  # only SSE keep-alive comments, until the client leaves
    server.reply(status=500)                       # an HTTP error
    server.reply("…", delay=2.0)                   # wait before answering
    server.reply(pieces=["… Euro.", " [1]"])       # streamed in exactly these pieces

Every request body is kept (`server.requests`), so a test can read the prompt the model was sent.
Loops are bounded: a keep-alive stream stops after `max_seconds` even if the client never leaves.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Scripted:
    text: str = ""
    keep_alive: bool = False
    status: int = 200
    delay: float = 0.0
    pieces: list[str] | None = None  # stream exactly these pieces instead of `piece`-sized ones


class ScriptedLLM:
    """The server; `url` is the base URL for an OpenAI client (…/v1)."""

    def __init__(self, max_seconds: float = 30.0, piece: int = 7) -> None:
        self.max_seconds = max_seconds
        self.piece = piece  # characters per streamed piece
        self.script: deque[Scripted] = deque()
        self.requests: list[dict] = []
        self.received = threading.Event()  # a chat request came in
        self.client_left = threading.Event()  # a streaming client closed the connection before the end
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def __enter__(self) -> "ScriptedLLM":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._http.shutdown()
        self._http.server_close()

    def reply(self, text: str = "", keep_alive: bool = False, status: int = 200, delay: float = 0.0,
              pieces: list[str] | None = None) -> None:
        with self._lock:
            self.script.append(Scripted(text or "".join(pieces or []), keep_alive, status, delay, pieces))

    def reset(self) -> None:
        with self._lock:
            self.script.clear()
            self.requests.clear()
        self.received.clear()
        self.client_left.clear()

    def prompt(self, index: int = -1) -> str:
        """All message texts of one request, joined."""
        return "\n".join(str(m.get("content", "")) for m in self.requests[index]["messages"])

    def _next(self, body: dict) -> Scripted:
        with self._lock:
            self.requests.append(body)
            scripted = self.script.popleft() if self.script else Scripted("Keine Antwort vorbereitet.")
        self.received.set()
        return scripted

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:  # quiet
                pass

            def _json(self, status: int, payload: dict) -> None:
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                if self.path.rstrip("/") == "/v1/models":
                    self._json(200, {"object": "list", "data": [{"id": "scripted", "object": "model", "owned_by": "tests"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if self.path.rstrip("/") != "/v1/chat/completions":
                    self._json(404, {"error": {"message": "not found"}})
                    return
                scripted = server._next(body)
                if scripted.delay:
                    time.sleep(scripted.delay)
                if scripted.status != 200:
                    self._json(scripted.status, {"error": {"message": "scripted failure", "type": "server_error"}})
                    return
                if not body.get("stream"):
                    self._json(200, {
                        "id": "chatcmpl-scripted", "object": "chat.completion", "created": int(time.time()),
                        "model": body.get("model", "scripted"),
                        "choices": [{"index": 0, "message": {"role": "assistant", "content": scripted.text},
                                     "finish_reason": "stop"}],
                        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                    })
                    return
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-cache")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                try:
                    if scripted.keep_alive:
                        self._keep_alive()
                    else:
                        self._stream(body, scripted.text, scripted.pieces)
                except (BrokenPipeError, ConnectionResetError):
                    server.client_left.set()

            def _keep_alive(self) -> None:
                until = time.monotonic() + server.max_seconds
                while time.monotonic() < until:
                    self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    time.sleep(0.2)

            def _stream(self, body: dict, text: str, pieces: list[str] | None) -> None:
                def event(delta: dict, finish: str | None = None) -> bytes:
                    chunk = {"id": "chatcmpl-scripted", "object": "chat.completion.chunk", "created": int(time.time()),
                             "model": body.get("model", "scripted"),
                             "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}
                    return f"data: {json.dumps(chunk)}\n\n".encode()

                self.wfile.write(event({"role": "assistant", "content": ""}))
                if pieces is None:
                    pieces = [text[start:start + server.piece] for start in range(0, len(text), server.piece)]
                for part in pieces:
                    self.wfile.write(event({"content": part}))
                    self.wfile.flush()
                self.wfile.write(event({}, "stop"))
                self.wfile.write(b"data: [DONE]\n\n")
                self.wfile.flush()

        return Handler
