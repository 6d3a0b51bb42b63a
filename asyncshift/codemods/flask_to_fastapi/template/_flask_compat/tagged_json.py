"""Flask's ``TaggedJSONSerializer``: the session cookie's payload format, tags and all, without Flask.

Flask writes tuples, bytes, Markup, UUIDs and datetimes into the session as one-key objects (``{" t": [...]}``);
the converted app reads and writes the same, so a cookie passes between the two apps during the strangler.
End state: keep it while any Flask app shares the cookie, then plain JSON.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from collections.abc import Callable
from datetime import datetime, timezone
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from uuid import UUID

from .jsonprovider import flask_default

UTC = timezone.utc  # noqa: UP017 - datetime.UTC is Python 3.11+; the helpers run on 3.8+


def http_date(value: datetime) -> str:
    """Werkzeug's ``http_date``: naive datetimes are UTC, then RFC 822 with ``GMT``."""

    value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return format_datetime(value, usegmt=True)


def parse_date(value: str) -> datetime | None:
    """Werkzeug's ``parse_date``: an aware UTC datetime (None when it does not parse)."""

    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def _markup(value: str) -> Any:
    from markupsafe import Markup

    return Markup(value)


# (key, check, to_json, to_python) in Flask's order; a key of "" only recurses (PassDict, PassList)
_TAGS: list[tuple[str, Callable[[Any], bool], Callable[[Any], Any], Callable[[Any], Any] | None]] = []


def tag(value: Any) -> Any:
    """The JSON-able form of ``value`` with Flask's tags."""
    for key, check, to_json, _ in _TAGS:
        if check(value):
            return {key: to_json(value)} if key else to_json(value)
    return value


def untag(value: Any) -> Any:
    """The Python value of a decoded JSON value, tags turned back into tuples, bytes, Markup..."""
    if isinstance(value, dict):
        value = {k: untag(v) for k, v in value.items()}
        if len(value) == 1:
            key = next(iter(value))
            for tag_key, _, _, to_python in _TAGS:
                if tag_key and tag_key == key and to_python is not None:
                    return to_python(value[key])
        return value
    if isinstance(value, list):
        return [untag(item) for item in value]
    return value


def _keys() -> set[str]:
    return {key for key, *_ in _TAGS if key}


_TAGS.extend(
    [
        (
            " di",
            lambda v: isinstance(v, dict) and len(v) == 1 and next(iter(v)) in _keys(),
            lambda v: {f"{next(iter(v))}__": tag(next(iter(v.values())))},
            lambda v: {next(iter(v))[:-2]: v[next(iter(v))]},
        ),
        ("", lambda v: isinstance(v, dict), lambda v: {k: tag(item) for k, item in v.items()}, None),
        (" t", lambda v: isinstance(v, tuple), lambda v: [tag(item) for item in v], tuple),
        ("", lambda v: isinstance(v, list), lambda v: [tag(item) for item in v], None),
        (" b", lambda v: isinstance(v, bytes), lambda v: b64encode(v).decode("ascii"), b64decode),
        (" m", lambda v: callable(getattr(v, "__html__", None)), lambda v: str(v.__html__()), _markup),
        (" u", lambda v: isinstance(v, UUID), lambda v: v.hex, UUID),
        (" d", lambda v: isinstance(v, datetime), http_date, parse_date),
    ]
)


class TaggedJSONSerializer:
    """The ``serializer`` itsdangerous is given: compact, sorted, ASCII JSON as Flask's session writes it."""

    @staticmethod
    def dumps(value: Any) -> str:
        return json.dumps(tag(value), separators=(",", ":"), sort_keys=True, ensure_ascii=True, default=flask_default)

    @staticmethod
    def loads(value: str | bytes) -> Any:
        return untag(json.loads(value))


session_json_serializer = TaggedJSONSerializer()
