"""Guards in front of the web chat: loopback-only Host and Origin in open mode (no DNS rebinding), and a
back-off for logins (no password guessing at full speed). Plain ASGI middleware around the Gradio app."""

from __future__ import annotations

import asyncio
import logging
import time
from urllib.parse import urlsplit

log = logging.getLogger("agreements.web")
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "::1"}


def _host_name(value: str) -> str:
    """'127.0.0.1:7860' -> '127.0.0.1', '[::1]:7860' -> '::1', 'http://localhost:7860' -> 'localhost'."""
    value = value.strip().lower()
    if "//" in value:
        return (urlsplit(value).hostname or "").lower()
    if value.startswith("["):
        return value[1:].split("]", 1)[0]
    return value.rsplit(":", 1)[0] if value.count(":") == 1 else value


async def _refuse(send, status: int, text: str, extra: list | None = None) -> None:
    body = text.encode("utf-8")
    headers = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers + (extra or [])})
    await send({"type": "http.response.body", "body": body})


class LoopbackOnly:
    """Open mode (no users): only requests whose Host, and Origin if sent, name this machine's loopback.
    A web page elsewhere that rebinds its name to 127.0.0.1 sends its own name as Host and is refused."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = _host_name(headers.get("host", ""))
        origin = headers.get("origin")
        bad = host not in LOOPBACK_HOSTS or (origin is not None and origin != "null" and _host_name(origin) not in LOOPBACK_HOSTS)
        if not bad:
            return await self.app(scope, receive, send)
        log.warning("Abgelehnt: Anfrage mit Host %r, Origin %r (offener Zugang nur über 127.0.0.1)", headers.get("host"), origin)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await _refuse(send, 403, "Abgelehnt: ohne Benutzerkonten ist der Web-Chat nur unter http://127.0.0.1 erreichbar.")


class LoginThrottle:
    """Slows down password guessing: logins from one address run one at a time, each failure waits a second,
    and after `free` failures the address is locked out for a time that doubles with each further failure
    (up to `longest` seconds) — even the right password is refused while the lock lasts."""

    def __init__(self, app, free: int = 5, delay: float = 1.0, longest: float = 900.0) -> None:
        self.app = app
        self.free = free
        self.delay = delay
        self.longest = longest
        self.failures: dict[str, int] = {}
        self.locked_until: dict[str, float] = {}
        self.locks: dict[str, asyncio.Lock] = {}

    def _wait(self, client: str) -> float:
        return max(0.0, self.locked_until.get(client, 0.0) - time.monotonic())

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "POST" or not scope.get("path", "").rstrip("/").endswith("/login"):
            return await self.app(scope, receive, send)
        client = (scope.get("client") or ("?", 0))[0]
        lock = self.locks.setdefault(client, asyncio.Lock())
        async with lock:
            wait = self._wait(client)
            if wait > 0:
                await _refuse(send, 429, f"Zu viele Fehlversuche. Bitte in {int(wait) + 1} Sekunden erneut versuchen.",
                              [(b"retry-after", str(int(wait) + 1).encode())])
                return
            status = {}

            async def watch(message):
                if message["type"] == "http.response.start":
                    status["code"] = message["status"]
                await send(message)

            await self.app(scope, receive, watch)
            if status.get("code") == 200:
                self.failures.pop(client, None)
                return
            failures = self.failures[client] = self.failures.get(client, 0) + 1
            log.warning("Anmeldung fehlgeschlagen von %s (%d. Fehlversuch)", client, failures)
            if failures >= self.free:
                seconds = min(self.longest, 2.0 ** (failures - self.free + 1) * 5)
                self.locked_until[client] = time.monotonic() + seconds
                log.warning("Anmeldung von %s für %.0f s gesperrt", client, seconds)
            await asyncio.sleep(self.delay)
