"""What Werkzeug's test client sent and handed back, where httpx does otherwise (used by ``testclient``).

- a path given as bytes (``client.get(b"/base64/" + encoded)``): Werkzeug took it, httpx raises TypeError;
- a header value that is not text (``headers={"If-None-Match": etag}`` with etag None, a number): Werkzeug's
  ``Headers`` sent ``str(value)`` (``None``), httpx raises TypeError;
- form fields whose values are bytes (``data={"file": b"\\x01\\x81"}``): Werkzeug url-encoded the bytes themselves,
  httpx sends ``str(value)`` (``b'\\x01\\x81'``, the Python literal);
- the body as the app sent it: Werkzeug never decoded a ``Content-Encoding`` (a gzip view's test read the gzip
  bytes), httpx decodes gzip, deflate and brotli, so ``response.data`` and ``get_json()`` differed;
- a response's header names: Werkzeug kept each as the app set it (``Last-Modified``), Starlette's are lower-case,
  so ``"Last-Modified" in response.headers.keys()`` was False;
- ``response.status``: Werkzeug's name for the code in upper case (``"401 UNAUTHORIZED"``, in every release),
  httpx's reason phrase as sent (``"401 Unauthorized"``): a test comparing it failed;
- files among the form fields (``data={"f": (BytesIO(b"..."), "name.txt")}``), ``auth=(user, password)``, and the
  ``Content-Length: 0`` of a body-less request (Werkzeug < 2.x), as its ``EnvironBuilder`` took and sent them;
- form fields posted under a bare ``multipart/form-data`` type (``content_type="multipart/form-data"``, no files):
  Werkzeug encoded them as multipart and added a boundary to the type, httpx url-encoded them under the type as
  given, which no form parser reads (400 'Missing boundary in multipart').
"""

from __future__ import annotations

import base64
import urllib.parse
import uuid
from typing import Any

from codemods.flask_to_fastapi.starlette_client import httpx


def werkzeug_path(path: Any) -> Any:
    """A bytes path as text (Werkzeug read it as UTF-8, else latin-1)."""
    if isinstance(path, (bytes, bytearray)):
        try:
            return bytes(path).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(path).decode("latin-1")
    return path


def werkzeug_status(code: int, phrase: str) -> str:
    """A response's ``status`` as Werkzeug gave it: its own name for the code (413 "REQUEST ENTITY TOO LARGE"),
    upper case, "UNKNOWN" for a code it has no name for; the phrase upper-cased where Werkzeug is not installed."""
    try:
        from werkzeug.http import HTTP_STATUS_CODES
    except ImportError:
        return f"{code} {phrase.upper()}".strip()
    return f"{code} {HTTP_STATUS_CODES.get(code, 'unknown').upper()}"


def werkzeug_headers(headers: Any) -> dict:
    """The request's headers with each value as Werkzeug sent it: text and bytes as they are, else ``str(value)``."""
    return {k: v if isinstance(v, (str, bytes)) else str(v) for k, v in dict(headers or {}).items()}


def urlencoded_bytes(fields: dict) -> bytes | None:
    """The url-encoded body of fields holding bytes values, as Werkzeug wrote it; None when none holds bytes."""
    pairs = [(k, v) for k, values in fields.items() for v in (values if isinstance(values, list) else [values])]
    if not any(isinstance(v, (bytes, bytearray)) for _, v in pairs):
        return None
    text = [
        (k, bytes(v) if isinstance(v, bytearray) else v if isinstance(v, (str, bytes)) else str(v)) for k, v in pairs
    ]
    return urllib.parse.urlencode(text).encode("ascii")


def undecoded(client: Any, method: str, path: Any, **kwargs: Any) -> Any:
    """The response with its body as sent: a ``Content-Encoding`` is not undone (Werkzeug's client never did)."""
    with client.stream(method, path, **kwargs) as response:
        response._content = b"".join(response.iter_raw())
    return response


FLASK_DEFAULT_TYPE = "text/html; charset=utf-8"


def assumed_type(headers: Any, werkzeug: tuple[int, ...] | None) -> Any:
    """The response's headers as Werkzeug's client handed them back: its default type where none was sent (< 2.2)."""
    if werkzeug is not None and werkzeug < (2, 2) and "content-type" not in headers:
        headers["Content-Type"] = FLASK_DEFAULT_TYPE
    return headers


def bare_multipart(headers: dict) -> bool:
    """Whether the request's type is ``multipart/form-data`` with no boundary (Werkzeug's client added one)."""
    value = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    value = value.decode("latin-1") if isinstance(value, bytes) else value
    return value.split(";")[0].strip().lower() == "multipart/form-data" and "boundary=" not in value


def multipart_body(fields: dict) -> tuple[bytes, str]:
    """Form fields (no files) as Werkzeug's ``stream_encode_multipart`` wrote them, a part a value (a list's each;
    anything not text as ``str(value)``, bytes too, in 1.0 as in 3.1), and the type with the boundary."""
    boundary = f"---------------WerkzeugFormPart_{uuid.uuid4().hex}"
    body = bytearray()
    for key, values in fields.items():
        name = str(key).replace('"', "%22")
        for value in values if isinstance(values, list) else [values]:
            data = (value if isinstance(value, str) else str(value)).encode("utf-8")  # bytes too: Werkzeug's str()
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return bytes(body), f'multipart/form-data; boundary="{boundary}"'


def split_files(data: dict) -> tuple[dict, dict]:
    """Flask takes ``data={"f": (BytesIO(b"..."), "name.txt")}``; httpx wants it under ``files``."""
    fields, files = {}, {}
    for key, value in data.items():
        if isinstance(value, tuple) and value and hasattr(value[0], "read"):
            stream, *rest = value
            name = rest[0] if rest else getattr(stream, "name", key)
            files[key] = (name, stream.read(), *(rest[1:2]))
        elif hasattr(value, "read"):
            files[key] = (getattr(value, "name", key), value.read())
        else:
            fields[key] = value
    return fields, files


def authorization_header(auth: Any) -> str:
    """Werkzeug's test client takes ``auth=(username, password)`` (Basic) or an ``Authorization`` object."""
    if isinstance(auth, (tuple, list)):
        username, password = auth
        return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode("ascii")
    return auth.to_header() if hasattr(auth, "to_header") else str(auth)


def empty_body_length(method: str) -> str | None:
    """The ``Content-Length`` the installed Werkzeug's client sent for a request without a body (``"0"`` before 2.x)."""
    try:
        from werkzeug.test import EnvironBuilder

        return EnvironBuilder(method=method.upper()).get_environ().get("CONTENT_LENGTH") or None
    except Exception:
        return None


# Names whose HTTP spelling is not ``str.title()``'s (``ETag``, ``WWW-Authenticate``, ``X-RateLimit-Limit``)
SPELLED = {"etag": "ETag", "www": "WWW", "md5": "MD5", "xss": "XSS", "dnt": "DNT", "te": "TE", "ratelimit": "RateLimit"}


def header_name(name: str) -> str:
    """A response header name as an app set it on Werkzeug: Starlette lower-cases every name, so its case is gone;
    the HTTP spelling (``Last-Modified``, ``ETag``) is what apps and extensions set. A name not lower-case is kept."""
    if name != name.lower():
        return name
    return "-".join(SPELLED.get(part, part.title()) for part in name.split("-"))


class HeaderNames(list):
    """The listed names (Werkzeug's ``keys()`` listed one per value), a name found whatever its case."""

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and any(name.lower() == own.lower() for own in self)


class WerkzeugHeaders(httpx.Headers):
    """httpx's headers with Werkzeug's ``get_all``/``getlist`` (``response.headers.get_all("Set-Cookie")``), names
    listed as the app set them (``keys()``, ``items()``: ``testclient_werkzeug.header_name``), and a repeated header
    read (``headers["Vary"]``, ``.get``) as its first value, as Werkzeug's (httpx's joins them with ', ')."""

    def __getitem__(self, key: str) -> str:
        values = self.get_list(key)
        if not values:
            raise KeyError(key)
        return values[0]

    def keys(self) -> Any:
        return HeaderNames(name for name, _ in self.items())

    def items(self) -> Any:
        return [(header_name(name.decode(self.encoding)), value.decode(self.encoding)) for name, value in self.raw]

    def get_all(self, key: str) -> list[str]:
        return self.get_list(key)

    getlist = get_all
