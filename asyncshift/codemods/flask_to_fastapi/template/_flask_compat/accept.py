"""Flask's ``request.accept_mimetypes`` / ``accept_languages`` / ``accept_charsets`` / ``accept_encodings``.

Werkzeug's Accept objects (``best_match``, ``best``, ``in``, ``accept_json``, quality lookups), parsed from
the Starlette request's headers by Werkzeug's own parser, as Flask's request did. End state: read the
header and negotiate where it is needed (or a content-negotiation dependency).
"""

from __future__ import annotations

from typing import Any


def _parsed(request: Any, header: str, kind: str) -> Any:
    from werkzeug import datastructures
    from werkzeug.http import parse_accept_header

    return parse_accept_header(request.headers.get(header), getattr(datastructures, kind))


def accept_mimetypes(request: Any) -> Any:
    return _parsed(request, "accept", "MIMEAccept")


def accept_languages(request: Any) -> Any:
    return _parsed(request, "accept-language", "LanguageAccept")


def accept_charsets(request: Any) -> Any:
    return _parsed(request, "accept-charset", "CharsetAccept")


def accept_encodings(request: Any) -> Any:
    return _parsed(request, "accept-encoding", "Accept")
