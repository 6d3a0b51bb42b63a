"""Responses as data to compare: captured on their way out, bodies read the way a client would.

JSON is compared after parsing, HTML by the text a reader sees (markup, attributes and CSRF
tokens left out), other text as text, anything else by its bytes; server errors by status only.
"""

from __future__ import annotations

import html.parser
import json
from typing import Any

from compat.web.asgi import Message

MAX_COMPARED_BYTES = 2 * 1024 * 1024


class CapturedResponse:
    """A response seen on its way out: status, content type and (up to a limit) body bytes."""

    __slots__ = ("status", "content_type", "chunks", "size", "truncated")

    def __init__(self) -> None:
        self.status = 0
        self.content_type = ""
        self.chunks: list[bytes] = []
        self.size = 0
        self.truncated = False

    def see(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            for name, value in message.get("headers", ()):
                if name.lower() == b"content-type":
                    self.content_type = value.decode("latin-1").lower()
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            if self.size + len(body) > MAX_COMPARED_BYTES:
                self.truncated = True
            elif body:
                self.chunks.append(bytes(body))
                self.size += len(body)

    def comparable(self) -> dict[str, Any]:
        """Status and body as comparable data: server errors by status only (their ids differ)."""
        body = b"".join(self.chunks)
        if self.status >= 500 or self.truncated:
            return {"status": self.status}
        return {"status": self.status, "body": comparable_body(self.content_type, body)}


def comparable_body(content_type: str, body: bytes) -> Any:
    """JSON as data, HTML as its visible text, other text as text, anything else as bytes."""
    if not body:
        return None
    if "json" in content_type:
        try:
            return json.loads(body)
        except ValueError:
            return body
    if "html" in content_type:
        return html_text(body.decode("utf-8", "replace"))
    if content_type.startswith("text/"):
        return body.decode("utf-8", "replace")
    return body


class _TextOnly(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in ("script", "style"):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style") and self._skip:
            self._skip -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_text(markup: str) -> str:
    """The words a reader sees, whitespace collapsed: markup, attributes (and CSRF tokens) left out."""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return " ".join(" ".join(parser.parts).split())
