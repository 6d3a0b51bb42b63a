"""Flask's request input: ``form``, ``files``, ``get_json()``, ``get_data()``, ``FileStorage.save``, ``type=``.

Sync code reads the body as in Flask; end state: typed Query()/Form()/Body() parameters in async views.
"""

from __future__ import annotations

import json
import shutil
import sys
from collections.abc import Callable
from typing import Any

from fastapi import Request
from starlette.exceptions import HTTPException as StarletteHTTPException

from .multipart_line_breaks import crlf_boundaries
from .replaced_inputs import replaced_form
from .request_context import flasks_own_is_anothers
from .request_limits import form_limits
from .versions import installed_version


def or_default(default: Any) -> Any:
    """Flask's ``get(key, default, type=int)``: a value that does not convert gives the default, not a 400."""
    from pydantic import WrapValidator

    def convert(value: Any, handler: Callable) -> Any:
        try:
            return handler(value)
        except ValueError:
            return default

    return WrapValidator(convert)


# -- request bodies read ahead for def views: end state is typed Form()/Body() parameters -----------


async def read_form(request: Request):
    replaced = replaced_form(request)  # a hook's request.form = ...: what the view read in Flask
    return await request.form(**form_limits(request)) if replaced is None else replaced


async def read_json(request: Request) -> Any:
    """A view's JSON body beside its form; what does not parse (the form itself) is left as bytes for the view's
    ``flask_json`` to answer as Flask did where the view reads it (400, or None when silent)."""
    body = await request.body()
    try:
        return json.loads(body) if body else None
    except ValueError:
        return body


async def read_body(request: Request) -> bytes:
    return await request.body()


# -- a small form read before the view runs, as Flask parses it before the view: sync code reading
#    ``request.form`` then finds it, even from an ``async def`` view (made async by a later codemod)

FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
FORM_READ_AHEAD = 1 << 20  # bytes; a larger (or unsized) body is read when the view asks, as before


async def read_form_ahead(request: Request) -> Any:
    """The form of a request that sends one of at most ``FORM_READ_AHEAD`` bytes, parsed and kept where
    ``_form`` looks (the body kept too, for the view to read again); None for any other request."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    length = request.headers.get("content-length", "")
    if kind not in FORM_TYPES or not length.isdigit() or int(length) > FORM_READ_AHEAD:
        return None
    await request.body()
    crlf_boundaries(request)  # a bare \n before a boundary: Werkzeug's parser took it, python-multipart does not
    try:
        form = await request.form(**form_limits(request))
    except Exception:  # a malformed body: the view meets the same error when it reads the form
        return None
    request.scope["_flask_compat_form"] = form
    return form


# -- the body read from sync code (def views' helpers, handlers, hooks): FastAPI runs them in a worker
#    thread, so the read runs on the event loop and the thread waits; end state: async def + await.


PASSED_BODY = "_flask_compat_passed_body"  # the scope's copy of the body the app read


def _await(request: Request, read: Callable) -> Any:
    async def run() -> Any:
        return await read()

    try:
        import anyio.from_thread

        return anyio.from_thread.run(run)
    except RuntimeError as exc:
        if "worker thread" in str(exc) or "event loop" in str(exc):
            raise RuntimeError(
                "the request body is read synchronously on the event loop: "
                "make this view a def, or async def and await request.body()"
            ) from exc
        raise


def request_data(request: Request, cache: bool = True, as_text: bool = False, parse_form_data: bool = False) -> Any:
    """Flask's ``request.get_data()`` / ``request.data`` (``parse_form_data=True``: a form's body is parsed into
    ``request.form``, and ``request.data`` is empty, as Werkzeug's)."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if parse_form_data and kind in FORM_TYPES:
        return "" if as_text else b""
    body = known_body(request)
    if body is None:
        body = _await(request, request.body)
    return body.decode("utf-8", "replace") if as_text else body


def known_body(request: Request) -> bytes | None:
    """The body if it is known without reading the stream, which the view's own Request (a ``Body()`` parameter) or
    the Flask host may have read already: waiting on it again hangs. None: it must be read."""
    body = getattr(request, "_body", None)
    if body is None:  # read already by the view's own Request or the Flask host: as it passed (middleware._teed)
        body = request.scope.get(PASSED_BODY)
    if body is None and "content-length" not in request.headers and "transfer-encoding" not in request.headers:
        body = b""  # announces none (a GET): never wait on a stream the request may have had already (it hung)
    return body


def _form(request: Request) -> Any:
    form = request.scope.get("_flask_compat_form") or getattr(request, "_form", None)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if form is None and kind not in FORM_TYPES:  # Werkzeug parses only these: any other request's form is empty
        from starlette.datastructures import FormData

        form = request.scope["_flask_compat_form"] = FormData()
    if form is None:
        form = request.scope["_flask_compat_form"] = _await(request, lambda: request.form(**form_limits(request)))
    return form


def request_form(request: Request) -> Any:
    """Flask's ``request.form``: the form's text fields (files are in ``request_files``)."""
    from starlette.datastructures import FormData

    replaced = replaced_form(request)  # a hook's request.form = ...: the app's own mapping, as Flask kept it
    if replaced is not None:
        return replaced
    return FormData([(k, v) for k, v in _form(request).multi_items() if isinstance(v, str)])


def request_files(request: Request) -> Any:
    """Flask's ``request.files``: the uploaded files, as Werkzeug's FileStorage (``save``, ``read``, ``mimetype``)."""
    from starlette.datastructures import FormData

    from .uploads import file_storage

    return FormData([(k, file_storage(v)) for k, v in _form(request).multi_items() if not isinstance(v, str)])


def request_json(request: Request, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
    """Flask's ``request.get_json()``: 415 unless the body is JSON (or ``force``), 400 if it does not parse."""
    patched = _patched_get_json()
    if patched is not None:
        return patched()
    if not force and not _is_json(request):
        return None if silent else _not_json(request)
    try:
        return json.loads(request_data(request))
    except ValueError as error:
        if silent:
            return None
        raise json_loading_failed(request, error) from None


def _not_json(request: Request) -> Any:
    """``get_json()`` of a body not sent as JSON, as the installed Werkzeug answered it: None before 2.1, then a
    400 (Flask's bare one unless in debug), and a 415 since 2.3."""
    werkzeug = installed_version("werkzeug")
    if werkzeug is not None and werkzeug < (2, 1):
        return None
    reason = "Did not attempt to load JSON data because the request Content-Type was not 'application/json'."
    if werkzeug is not None and werkzeug < (2, 3):
        config = getattr(getattr(request, "app", None), "config", None) or {}
        raise StarletteHTTPException(400, reason) if config.get("DEBUG") else StarletteHTTPException(400)
    raise StarletteHTTPException(415, reason)


def json_loading_failed(request: Request, error: ValueError) -> StarletteHTTPException:
    """Flask's ``Request.on_json_loading_failed`` (0.12 to 3.x): a bare 400 (Werkzeug's own description), its reason
    only in debug; the app's handlers for 400 answer it, as in Flask."""
    config = getattr(getattr(request, "app", None), "config", None) or {}
    if config.get("DEBUG"):
        return StarletteHTTPException(400, f"Failed to decode JSON object: {error}")
    return StarletteHTTPException(400)


def _is_json(request: Request) -> bool:
    """Werkzeug's ``request.is_json``: the body is sent as ``application/json`` or ``application/*+json``."""
    mimetype = request.headers.get("content-type", "").split(";")[0].strip()
    return mimetype == "application/json" or mimetype.startswith("application/") and mimetype.endswith("+json")


def _patched_get_json() -> Any:
    """A ``get_json`` a test set on Flask's request (``monkeypatch.setattr("flask.request.get_json", ...)`` in a test
    request context, which pushes Flask's too): what the app's code read there, before its conversion. Not in a
    request the app serves meanwhile (the test client's): Flask read that one's own request there."""
    flask = sys.modules.get("flask")
    if flask is None or not flask.has_request_context():
        return None
    if flasks_own_is_anothers():
        return None
    return vars(flask.request._get_current_object()).get("get_json")


def flask_json(request: Request, value: Any, force: bool = False, silent: bool = False, cache: bool = True) -> Any:
    """A view's ``request.get_json()`` on the body FastAPI parsed for it (``Body()``): FastAPI gives None for an
    empty body and the bytes of a body not sent as JSON, where Flask answered 400 (415) or parsed it (``force``);
    a JSON body sent as another type (``text/plain``; ``read_json`` parses any) was None (``silent``) or a 415."""
    if (
        isinstance(value, (bytes, bytearray))
        or (value is None and not getattr(request, "_body", b""))
        or not (force or _is_json(request))
    ):
        return request_json(request, force=force, silent=silent)
    return value


def save_upload(upload: Any, destination: Any) -> None:
    """Werkzeug's ``FileStorage.save``; end state: ``shutil.copyfileobj(upload.file, ...)``."""
    if hasattr(destination, "write"):
        shutil.copyfileobj(upload.file, destination)
        return
    with open(destination, "wb") as handle:
        shutil.copyfileobj(upload.file, handle)
