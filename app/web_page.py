"""The page frame in German, whatever language the browser speaks.

Gradio writes its page as `<html lang="en">` and words its own texts (the login page, the upload box, …)
in the browser's language. The product is German, so every HTML page the server sends is rewritten on its
way out: `lang="de"`, and a first script that tells Gradio's frontend the browser speaks German, so that
its own German texts are used ("Anmelden", "Benutzername", "Datei hier ablegen"). Plain ASGI middleware;
other responses pass untouched.
"""

from __future__ import annotations

import html
import re

LANG = "de"
# Runs before Gradio's module scripts: they pick their language from navigator.language.
GERMAN_FIRST = ("<script>(function(){try{"
                "Object.defineProperty(Navigator.prototype,'language',{get:function(){return 'de-DE';}});"
                "Object.defineProperty(Navigator.prototype,'languages',{get:function(){return ['de-DE','de'];}});"
                "}catch(e){}})();</script>")
_HTML_LANG = re.compile(rb"(<html\b[^>]*?\blang=)([\"'])[^\"']*\2", re.IGNORECASE)
_HEAD = re.compile(rb"<head\b[^>]*>", re.IGNORECASE)


def german_page(body: bytes, title: str = "") -> bytes:
    """An HTML page with lang="de" on <html> and the German-first script at the top of <head>; a page
    without a <title> (Gradio's login page) gets `title`."""
    if _HTML_LANG.search(body):
        body = _HTML_LANG.sub(rb'\1"' + LANG.encode() + rb'"', body, count=1)
    else:
        body = re.sub(rb"<html\b", b'<html lang="' + LANG.encode() + b'"', body, count=1, flags=re.IGNORECASE)
    head = _HEAD.search(body)
    if head:
        first = GERMAN_FIRST
        if title and not re.search(rb"<title\b", body, re.IGNORECASE):
            first += f"<title>{html.escape(title)}</title>"
        body = body[:head.end()] + first.encode() + body[head.end():]
    return body


class GermanPage:
    """Rewrites every text/html response with `german_page` (and its Content-Length); streams the rest."""

    def __init__(self, app, title: str = "") -> None:
        self.app = app
        self.title = title

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        state: dict = {"start": None, "body": b""}

        async def rewrite(message):
            if message["type"] == "http.response.start":
                headers = dict((k.lower(), v) for k, v in message.get("headers", []))
                html = headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers
                if not html:
                    return await send(message)
                state["start"] = message
                return None
            if message["type"] != "http.response.body" or state["start"] is None:
                return await send(message)
            state["body"] += message.get("body", b"")
            if message.get("more_body"):
                return None
            body = german_page(state["body"], self.title)
            start = state["start"]
            headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return None

        await self.app(scope, receive, rewrite)
