"""A client with Flask's test-client interface on top of Starlette's TestClient.

An application's old tests (``client.post("/login", data={...}, follow_redirects=True)``,
``response.get_json()``, ``response.data``, ``response.location``) can judge its converted FastAPI
app unchanged. Starlette (httpx) does the requests; this module only translates the call styles.
"""

from __future__ import annotations

import contextlib
import inspect
import sys
import urllib.parse
from collections.abc import Iterator
from typing import Any

from starlette.datastructures import MutableHeaders

from codemods.flask_to_fastapi.starlette_client import TestClient
from codemods.flask_to_fastapi.testclient_classes import answered_as, client_class, hand_made_clients
from codemods.flask_to_fastapi.testclient_contexts import RequestContexts
from codemods.flask_to_fastapi.testclient_loop import OneLoopClient
from codemods.flask_to_fastapi.testclient_stand_ins import stand_in_clients
from codemods.flask_to_fastapi.testclient_urls import (
    RequestView,
    application_root,
    flask_base_url,
    flask_url,
    served_under,
)
from codemods.flask_to_fastapi.testclient_werkzeug import (
    WerkzeugHeaders,
    assumed_type,
    authorization_header,
    bare_multipart,
    empty_body_length,
    multipart_body,
    split_files,
    undecoded,
    urlencoded_bytes,
    werkzeug_headers,
    werkzeug_path,
    werkzeug_status,
)
from codemods.flask_to_fastapi.testclient_wsgi_face import WsgiFace

__all__ = ["FlaskStyleClient", "FlaskStyleResponse", "patch_fastapi", "wsgi_over"]

BASE_URL = "http://localhost"  # what Flask's test client uses without SERVER_NAME, so absolute URLs compare equal


class FlaskStyleResponse:
    """Werkzeug's test response names over an ``httpx.Response``."""

    def __init__(self, response: Any, root: str = ""):
        self._response = response
        self.status_code = response.status_code
        self.headers = assumed_type(WerkzeugHeaders(response.headers), _werkzeug())  # its type, as Werkzeug's
        self.history = [FlaskStyleResponse(r, root) for r in response.history]
        self.request = RequestView(response.request, root)  # Werkzeug's request names (testclient_urls)

    @property
    def response(self) -> list[bytes]:  # the body iterable, as Werkzeug's response holds it once read
        return [self.data] if self.data else []

    @property
    def data(self) -> bytes:
        return self._response.content

    @property
    def text(self) -> str:
        return self._response.text

    def get_data(self, as_text: bool = False) -> bytes | str:
        return self.text if as_text else self.data

    @property
    def status(self) -> str:
        return werkzeug_status(self.status_code, self._response.reason_phrase)

    @property
    def location(self) -> str | None:
        return self.headers.get("location")

    @property
    def content_length(self) -> int | None:
        value = self.headers.get("content-length")
        return int(value) if value is not None else None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @property
    def mimetype(self) -> str | None:
        value = self.content_type
        return value.split(";")[0].strip() if value else None

    @property
    def is_json(self) -> bool:
        return (self.mimetype or "").endswith(("/json", "+json"))

    @property
    def json(self) -> Any:
        return self.get_json()

    def get_json(self, silent: bool = False, force: bool = False) -> Any:
        if not (force or self.is_json):
            if silent:
                return None
            raise ValueError(f"response is {self.mimetype!r}, not JSON")
        try:
            return self._response.json()
        except ValueError:
            if silent:
                return None
            raise

    def __repr__(self) -> str:
        return f"<FlaskStyleResponse {self.status}>"


def _werkzeug() -> tuple[int, ...] | None:
    """The installed Werkzeug's version, whose test client the app's tests were written against."""
    import re
    from importlib.metadata import PackageNotFoundError, version

    try:
        return tuple(int(part) for part in re.findall(r"\d+", version("werkzeug"))[:3])
    except PackageNotFoundError:
        return None


def _flask_environ_base() -> dict:
    """What the installed Flask's test client put in every request's environ (``REMOTE_ADDR``, its User-Agent)."""
    try:
        from flask.testing import FlaskClient

        return dict(getattr(FlaskClient(lambda environ, start_response: []), "environ_base", None) or {})
    except Exception:  # no Flask left, or one whose client wants more
        return {}


class FlaskStyleClient:
    """``client.get/post/put/patch/delete/head/options/open`` as Flask's ``FlaskClient`` takes them."""

    def __init__(
        self, app: Any, *, raise_server_exceptions: bool = False, base_url: str | None = None, use_cookies: bool = True
    ):
        self.app, self.use_cookies = app, use_cookies  # Flask's use_cookies=False: no cookie jar between requests
        self._fixed_base = base_url  # None: Flask's, from the app's config at each request (testclient_urls)
        base = _flask_environ_base()
        options = {"base_url": base_url or flask_base_url(app), "raise_server_exceptions": raise_server_exceptions}
        if "REMOTE_ADDR" in base and "client" in inspect.signature(TestClient.__init__).parameters:
            options["client"] = (base["REMOTE_ADDR"], 50000)  # request.remote_addr as Flask's client gave it
        self._client = OneLoopClient(app, **options)  # every request on one event loop (testclient_loop)
        for name in ("accept", "accept-encoding", "connection", "user-agent"):  # httpx's own: Werkzeug sent none
            self._client.headers.pop(name, None)
        if "HTTP_USER_AGENT" in base:
            self._client.headers["user-agent"] = base["HTTP_USER_AGENT"]
        if _werkzeug() is not None:  # every Werkzeug's client sends a Secure cookie over http (_cookies_not_secure)
            self._client.event_hooks["response"].append(self._cookies_not_secure)
        self.requests: list[tuple[str, str]] = []  # (method, url) of every request made, for reports
        self._contexts = RequestContexts(app)

    @property
    def application(self) -> Any:  # Werkzeug's Client names the app it drives so (``CORS(client.application)``)
        return self.app

    def open(
        self,
        path: str = "/",
        method: str = "GET",
        *,
        data: Any = None,
        json: Any = None,
        headers: Any = None,
        query_string: Any = None,
        content_type: str | None = None,
        follow_redirects: bool = False,
        buffered: bool = False,
        environ_base: dict | None = None,
        auth: Any = None,
        base_url: str | None = None,
        subdomain: str | None = None,
        url_scheme: str | None = None,
        **_: Any,
    ) -> FlaskStyleResponse:
        kwargs: dict[str, Any] = {"follow_redirects": follow_redirects}
        path, headers = werkzeug_path(path), werkzeug_headers(headers)
        url, root = self._url(path, base_url, subdomain, url_scheme)
        if auth is not None:  # Werkzeug's EnvironBuilder: auth= replaces any Authorization header
            headers = {k: v for k, v in headers.items() if k.lower() != "authorization"}
            headers["Authorization"] = authorization_header(auth)
        if content_type:  # Werkzeug's EnvironBuilder: content_type= replaces any Content-Type header (one is sent)
            headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            headers["content-type"] = content_type
        if environ_base and "REMOTE_ADDR" in environ_base:
            headers.setdefault("x-forwarded-for", environ_base["REMOTE_ADDR"])
        if json is not None:
            kwargs["json"] = json
        elif isinstance(data, dict):
            fields, files = split_files(data)
            kwargs["data"] = fields
            bare = bare_multipart(headers)  # Werkzeug sends the form as multipart, the boundary added to the type
            if bare:
                headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
            if bare and not files:  # httpx url-encoded the fields under the type given: no boundary to parse by
                kwargs["content"], headers["content-type"] = multipart_body(kwargs.pop("data"))
            elif not files and urlencoded_bytes(fields) is not None:  # bytes values, url-encoded as Werkzeug did
                kwargs["content"] = urlencoded_bytes(fields)
                headers.setdefault("content-type", "application/x-www-form-urlencoded")
                del kwargs["data"]
            if files:
                kwargs["files"] = files  # httpx sets the multipart type with its boundary
        elif data is not None:
            kwargs["content"] = data.encode() if isinstance(data, str) else data
        if query_string is not None:
            kwargs["params"] = query_string
        if not any(k in kwargs for k in ("json", "data", "files", "content")) and empty_body_length(method):
            headers.setdefault("content-length", empty_body_length(method))  # Werkzeug < 2.x sent "0"
        if headers:
            kwargs["headers"] = headers
        self.requests.append((method.upper(), path))
        with self._contexts.around():  # in the test's app context; kept for it after, in a ``with client:`` block
            response = undecoded(self._client, method.upper(), url, **kwargs)  # the body as sent
        if not self.use_cookies:
            self._client.cookies.clear()
        return answered_as(self.app, FlaskStyleResponse(response, root))  # the suite's app.response_class

    def _cookies_not_secure(self, response: Any) -> None:
        """Werkzeug's client never read ``Secure``: 2.3+'s own jar matches a cookie by domain and path only, and before
        2.3 its ``http.cookiejar`` jar sent every cookie it held (``inject_wsgi``). A session cookie set
        ``Secure`` goes back over http, within a redirect chain too (``follow_redirects``: httpx runs this hook on
        each response, after taking its cookies and before asking for the next URL)."""
        for cookie in self._client.cookies.jar:
            cookie.secure = False

    def _url(self, path: str, base: str | None, subdomain: str | None, scheme: str | None) -> tuple[str, str]:
        """The URL Flask's client asked for ``path`` and the script root it served under (``APPLICATION_ROOT``)."""
        if base is not None:
            url, root = base.rstrip("/") + "/" + path.lstrip("/"), urllib.parse.urlsplit(base).path.rstrip("/")
        elif self._fixed_base is not None and not (subdomain or scheme):
            url, root = path, urllib.parse.urlsplit(self._fixed_base).path.rstrip("/")
        else:
            self._client.base_url = flask_base_url(self.app)  # the config now (a test may set SERVER_NAME late)
            url, root = flask_url(self.app, path, subdomain, scheme), application_root(self.app)
        return served_under(self._client, url, root), root

    def get(self, path: str = "/", **kwargs: Any) -> FlaskStyleResponse:
        return self.open(path, "GET", **kwargs)

    def post(self, path: str = "/", **kwargs: Any) -> FlaskStyleResponse:
        return self.open(path, "POST", **kwargs)

    def put(self, path: str = "/", **kwargs: Any) -> FlaskStyleResponse:
        return self.open(path, "PUT", **kwargs)

    def patch(self, path: str = "/", **kwargs: Any) -> FlaskStyleResponse:
        return self.open(path, "PATCH", **kwargs)

    def delete(self, path: str = "/", **kwargs: Any) -> FlaskStyleResponse:
        return self.open(path, "DELETE", **kwargs)

    def head(self, path: str = "/", **kwargs: Any) -> FlaskStyleResponse:
        return self.open(path, "HEAD", **kwargs)

    def options(self, path: str = "/", **kwargs: Any) -> FlaskStyleResponse:
        return self.open(path, "OPTIONS", **kwargs)

    def set_cookie(self, key: str, value: str = "", *args: Any, **kwargs: Any) -> None:
        self._client.cookies.delete(key)
        self._client.cookies.set(key, value, domain=self._cookie_domain())

    def delete_cookie(self, key: str, *args: Any, **kwargs: Any) -> None:
        self._client.cookies.delete(key)

    def get_cookie(self, key: str) -> Any:
        value = self._client.cookies.get(key)
        return None if value is None else type("Cookie", (), {"key": key, "value": value})()

    # -- the session cookie, as the app's helper (Flask's format) writes it ------------------------------
    def _sessions(self) -> Any:
        """The app's own ``_flask_compat.sessions`` (found from its middleware), so the format is the app's."""
        for middleware in getattr(self.app, "user_middleware", []):
            if getattr(middleware.cls, "__name__", "") == "FlaskSessions":
                return sys.modules[middleware.cls.__module__]
        raise RuntimeError("session_transaction needs an app built by _flask_compat.init_app")

    def _cookie_domain(self) -> str:
        """The domain the jar files the server's cookies under (a dotless host gets ``.local``, as cookielib does)."""
        host = self._client.base_url.host
        return host if "." in host else f"{host}.local"

    @contextlib.contextmanager
    def session_transaction(self) -> Iterator[dict]:
        """Flask's: open the session from the client's cookie, let the block change it, store it back."""
        sessions, config = self._sessions(), getattr(self.app, "config", {})
        jar = {cookie.name: cookie.value for cookie in self._client.cookies.jar}
        interface = sessions.own_interface(self.app) if hasattr(sessions, "own_interface") else None
        headers = MutableHeaders()
        if interface is not None:  # the app's own session interface (a server-side store): opened and saved by it
            yield (session := sessions.open_from_jar(interface, self.app, jar))
            sessions.save_with(interface, self.app, session, headers)
        else:
            if sessions.signing_serializer(config, getattr(self.app, "secret_key", None)) is None:
                raise RuntimeError("session_transaction needs app.config['SECRET_KEY']")
            yield (session := sessions.open_session(config, jar, getattr(self.app, "secret_key", None)))
            sessions.save_session(config, session, headers, getattr(self.app, "secret_key", None))
        for cookie in headers.getlist("set-cookie"):
            name, _, value = cookie.split(";", 1)[0].partition("=")
            self._client.cookies.delete(name)
            if value:
                self._client.cookies.set(name, value, domain=self._cookie_domain())

    def __enter__(self) -> FlaskStyleClient:
        self._contexts.keeping = True  # each request's context kept for the test (testclient_contexts)
        return self  # its requests stay on the one loop (testclient_loop)

    def __exit__(self, *exc: Any) -> None:
        self._contexts.keeping = False
        self._contexts.keep(None)


def wsgi_over(app: Any, **client_options: Any) -> Any:
    """A WSGI callable that hands each request to a Flask-style client of the ASGI ``app``: what WebTest's
    ``TestApp(app)`` drives (it keeps the cookies itself), with the test's pushed app context as Flask had; at
    ``http://localhost``, as WebTest built its own environ (not Flask's client's, from ``SERVER_NAME``)."""
    client = FlaskStyleClient(app, **{"base_url": BASE_URL, **client_options, "use_cookies": False})
    skipped = {"host", "content-length"}  # httpx writes its own

    def wsgi(environ: dict, start_response: Any) -> list[bytes]:
        path = (environ.get("SCRIPT_NAME") or "") + (environ.get("PATH_INFO") or "/")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        headers = {
            key[5:].replace("_", "-").title(): value
            for key, value in environ.items()
            if key.startswith("HTTP_") and key[5:].replace("_", "-").lower() not in skipped
        }
        if environ.get("CONTENT_TYPE"):
            headers["Content-Type"] = environ["CONTENT_TYPE"]
        length = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(length) if length else None
        answer = client.open(path, environ["REQUEST_METHOD"], data=body, headers=headers)._response
        start_response(f"{answer.status_code} {answer.reason_phrase}", list(answer.headers.multi_items()))
        return [answer.content]

    return WsgiFace(wsgi, app)  # testapp.app.config as Flask's app had it (testclient_wsgi_face)


@contextlib.contextmanager
def patch_fastapi(**client_options: Any) -> Iterator[None]:
    """Give ``FastAPI`` apps Flask's ``app.test_client()`` while the block runs (for old test suites), and
    WebTest's ``TestApp`` a WSGI face of them (suites that drove the Flask app through WebTest)."""
    from fastapi import FastAPI

    had = "test_client" in FastAPI.__dict__
    previous = FastAPI.__dict__.get("test_client")
    FastAPI.test_client = lambda self, **kwargs: _client_class(self)(self, **{**client_options, **kwargs})
    webtest = _patch_webtest(FastAPI, client_options)
    try:
        with hand_made_clients(FastAPI, FlaskStyleClient, client_options):  # ``MyClient(current_app)``
            with stand_in_clients(FastAPI):  # ``flask.current_app.test_client()``
                yield
    finally:
        if webtest is not None:
            webtest[0].__init__ = webtest[1]
        if had:
            FastAPI.test_client = previous
        else:
            del FastAPI.test_client


def _client_class(app: Any) -> type:
    """``FlaskStyleClient``, or the suite's ``app.test_client_class`` on it (``testclient_classes``)."""
    return client_class(app, FlaskStyleClient)


def _patch_webtest(fastapi: type, client_options: dict) -> tuple[type, Any] | None:
    """``webtest.TestApp(fastapi_app)`` drives ``wsgi_over(fastapi_app)``; the class and its own ``__init__``."""
    try:
        from webtest.app import TestApp
    except ImportError:
        return None
    original = TestApp.__init__

    def __init__(self: Any, app: Any, *args: Any, **kwargs: Any) -> None:
        original(self, wsgi_over(app, **client_options) if isinstance(app, fastapi) else app, *args, **kwargs)

    TestApp.__init__ = __init__
    return TestApp, original
