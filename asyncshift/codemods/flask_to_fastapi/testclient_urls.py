"""Where Flask's test client sent its requests, and the request a test response hands back (used by ``testclient``).

- the base URL: Flask's client built it from the app's config at each request, ``PREFERRED_URL_SCHEME://SERVER_NAME``
  (``localhost`` when unset) under ``APPLICATION_ROOT`` (the script root), a ``subdomain=`` before the host and a
  ``url_scheme=`` for the scheme; a path given as a full URL kept its own scheme and host, under the same root.
  A fixed ``http://localhost`` made every absolute URL differ (a redirect's ``Location``, ``url_for(_external=True)``)
  where the app set ``SERVER_NAME = "localhost:5000"``.
- ``response.request``: Werkzeug's ``TestResponse.request`` is a Werkzeug request (``.path``, ``.url``, ``.method``,
  ``.args``, ``.full_path``); httpx's request has no ``.path`` and its ``.url`` is no string.
"""

from __future__ import annotations

import urllib.parse
from typing import Any


def _config(app: Any, key: str, default: Any) -> Any:
    config = getattr(app, "config", None)
    try:
        return config.get(key) or default
    except Exception:  # no config, or one that is no mapping
        return default


def application_root(app: Any) -> str:
    """The script root Flask's client served under: ``APPLICATION_ROOT`` without its trailing slash."""
    root = str(_config(app, "APPLICATION_ROOT", "/")).strip("/")
    return f"/{root}" if root else ""


def flask_base_url(app: Any, subdomain: str | None = None, url_scheme: str | None = None) -> str:
    """The base URL of Flask's ``EnvironBuilder`` for ``app`` (no trailing slash)."""
    host = str(_config(app, "SERVER_NAME", "localhost"))
    if subdomain:
        host = f"{subdomain}.{host}"
    scheme = url_scheme or _config(app, "PREFERRED_URL_SCHEME", "http")
    return f"{scheme}://{host}{application_root(app).rstrip('/')}"


def flask_url(app: Any, path: str, subdomain: str | None = None, url_scheme: str | None = None) -> str:
    """The full URL Flask's client asked for ``path``: a full URL keeps its scheme and host, not its root."""
    parts = urllib.parse.urlsplit(path)
    base = flask_base_url(app, subdomain, url_scheme)
    if parts.scheme or parts.netloc:
        scheme, _, rest = base.partition("://")
        host, slash, root = rest.partition("/")
        base = f"{parts.scheme or scheme}://{parts.netloc or host}{slash}{root}"
    query = f"?{parts.query}" if parts.query else ""
    return base + "/" + parts.path.lstrip("/") + query


def served_under(client: Any, url: str, root: str) -> str:
    """The app served under ``root`` as a mount point (Werkzeug's ``SCRIPT_NAME``): the ASGI ``root_path`` of the
    client's requests. Starlette 0.35+ routes ``path`` without ``root_path`` (the path holds it, as the ASGI spec
    says); an older one routed ``path`` as it came, the root not in it."""
    transport = getattr(client, "_transport", None)
    if hasattr(transport, "root_path"):
        transport.root_path = root
    try:
        from starlette._utils import get_route_path  # noqa: F401
    except ImportError:
        if root and urllib.parse.urlsplit(url).path.startswith(root + "/"):
            parts = urllib.parse.urlsplit(url)
            return urllib.parse.urlunsplit(parts._replace(path=parts.path[len(root) :]))
    return url


class RequestView:
    """Werkzeug's request names over the ``httpx.Request`` a response answered (``root``: the script root)."""

    def __init__(self, request: Any, root: str = ""):
        self._request, self.script_root = request, root.rstrip("/")
        url = request.url
        self.method, self.scheme = request.method, url.scheme
        self.host = url.netloc.decode("ascii") if isinstance(url.netloc, bytes) else str(url.netloc)
        whole = url.path
        inside = whole == self.script_root or whole.startswith(self.script_root + "/")
        self.path = (whole[len(self.script_root) :] or "/") if inside else whole
        self.query_string = url.query if isinstance(url.query, bytes) else str(url.query).encode("latin-1")
        self.headers = request.headers

    @property
    def host_url(self) -> str:
        return f"{self.scheme}://{self.host}/"

    @property
    def url_root(self) -> str:
        return f"{self.scheme}://{self.host}{self.script_root}/"

    @property
    def base_url(self) -> str:
        return f"{self.scheme}://{self.host}{self.script_root}{urllib.parse.quote(self.path, safe='/:@!$&()*+,;=')}"

    @property
    def url(self) -> str:
        query = self.query_string.decode("latin-1")
        return self.base_url + (f"?{query}" if query else "")

    @property
    def full_path(self) -> str:
        return f"{self.path}?{self.query_string.decode('latin-1')}"

    @property
    def args(self) -> Any:
        pairs = urllib.parse.parse_qsl(self.query_string.decode("latin-1"), keep_blank_values=True)
        try:
            from werkzeug.datastructures import MultiDict
        except ImportError:
            from starlette.datastructures import ImmutableMultiDict as MultiDict
        return MultiDict(pairs)

    def get_data(self, as_text: bool = False) -> bytes | str:
        try:
            body = self._request.content
        except Exception:  # a streamed body, already sent
            body = b""
        return body.decode("utf-8", "replace") if as_text else body

    @property
    def data(self) -> bytes:
        return self.get_data()

    @property
    def environ(self) -> dict:
        host, _, port = self.host.partition(":")
        return {
            "REQUEST_METHOD": self.method,
            "SCRIPT_NAME": self.script_root,
            "PATH_INFO": self.path,
            "QUERY_STRING": self.query_string.decode("latin-1"),
            "SERVER_NAME": host,
            "SERVER_PORT": port or ("443" if self.scheme == "https" else "80"),
            "HTTP_HOST": self.host,
            "wsgi.url_scheme": self.scheme,
            **{f"HTTP_{k.upper().replace('-', '_')}": v for k, v in self.headers.items() if k.lower() != "host"},
        }

    def __repr__(self) -> str:
        return f"<Request {self.url!r} [{self.method}]>"
