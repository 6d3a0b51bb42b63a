"""Werkzeug's ``Set-Cookie`` header text: the same attributes, in the same order, as the Flask app sent.

The session and remember-me cookies are set and deleted as Flask did, so a browser keeps one cookie whichever
app answered. End state: Starlette's ``response.set_cookie``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import format_datetime
from urllib.parse import quote

UTC = timezone.utc  # noqa: UP017 - datetime.UTC is Python 3.11+; the helpers run on 3.8+

_NO_QUOTE = re.compile(r"[\w!#$%&'()*+\-./:<=>?@\[\]^`{|}~]*", re.ASCII)
_SLASH = re.compile(rb"[\x00-\x19\",;\\\x7f-\xff]", re.ASCII)
_SLASH_MAP = {b'"': b'\\"', b"\\": b"\\\\"}
_SLASH_MAP.update((v.to_bytes(1, "big"), b"\\%03o" % v) for v in [*range(0x20), *b",;", *range(0x7F, 256)])


def _http_date(when: datetime | int | float) -> str:
    if isinstance(when, (int, float)):
        when = datetime.fromtimestamp(when, UTC)
    when = when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)
    return format_datetime(when, usegmt=True)


def dump_cookie(
    key: str,
    value: str = "",
    max_age: timedelta | int | None = None,
    expires: datetime | int | float | str | None = None,
    path: str | None = "/",
    domain: str | None = None,
    secure: bool = False,
    httponly: bool = False,
    samesite: str | None = None,
    partitioned: bool = False,
) -> str:
    """Werkzeug 3's ``dump_cookie``: ``key=value; Domain; Expires; Max-Age; Secure; HttpOnly; Path; SameSite``."""
    if path is not None:
        path = quote(path, safe="%!$&'()*+,/:=@")
    if domain:
        domain = domain.partition(":")[0].lstrip(".").encode("idna").decode("ascii")
    if isinstance(max_age, timedelta):
        max_age = int(max_age.total_seconds())
    if expires is not None:
        expires = expires if isinstance(expires, str) else _http_date(expires)
    elif max_age is not None:
        expires = _http_date(datetime.now(UTC).timestamp() + max_age)
    if samesite is not None:
        samesite = samesite.title()
        if samesite not in {"Strict", "Lax", "None"}:
            raise ValueError("SameSite must be 'Strict', 'Lax', or 'None'.")
    if partitioned:
        secure = True
    if not _NO_QUOTE.fullmatch(value):
        value = '"' + _SLASH.sub(lambda m: _SLASH_MAP[m.group()], value.encode()).decode("ascii") + '"'
    parts = [f"{key}={value}"]
    for name, attribute in (
        ("Domain", domain),
        ("Expires", expires),
        ("Max-Age", max_age),
        ("Secure", secure),
        ("HttpOnly", httponly),
        ("Path", path),
        ("SameSite", samesite),
        ("Partitioned", partitioned),
    ):
        if attribute is None or attribute is False:
            continue
        parts.append(name if attribute is True else f"{name}={attribute}")
    return "; ".join(parts)


def delete_cookie(
    key: str,
    path: str | None = "/",
    domain: str | None = None,
    secure: bool = False,
    httponly: bool = False,
    samesite: str | None = None,
    partitioned: bool = False,
) -> str:
    """Werkzeug's ``delete_cookie``: an empty value that expired at the epoch."""
    return dump_cookie(key, "", 0, 0, path, domain, secure, httponly, samesite, partitioned)
