"""Flask's ``make_response`` return-value rules, ``jsonify``, ``send_file``, ``send_from_directory`` and
``stream_with_context``.

Views return what they returned in Flask; end state: return the model, or a Starlette Response class.
"""

from __future__ import annotations

import mimetypes
import os
from collections.abc import Iterator
from typing import Any

from fastapi.responses import FileResponse, HTMLResponse, Response, StreamingResponse

from .flask_responses import FLASK_RESPONSE, from_werkzeug
from .jsonprovider import JSONResponse
from .versions import flask_version


def jsonify(*args: Any, **kwargs: Any) -> JSONResponse:
    if args and kwargs:
        raise TypeError("jsonify() behavior undefined when passed both args and kwargs")
    if not args and not kwargs:  # Flask >= 2.2: null; before: {}
        version = flask_version()
        data: Any = None if version is None or version >= (2, 2) else {}
    else:
        data = args[0] if len(args) == 1 else (list(args) if args else kwargs)
    return JSONResponse(data)  # Flask's bytes: the app's JSON settings, a trailing newline


class ViewResponse(JSONResponse):
    """The app's default response class: what a route returns that is not a Response. A view decorator's wrapper
    returns what Flask's did (``render_template(...)``'s text, so a test or a function calling it sees the str),
    and Flask made the response later: a str answers as text/html, as Flask's ``make_response`` did; anything
    else as the app's JSON (FastAPI's encoder ran first)."""

    def __new__(cls, content: Any = None, *args: Any, **kwargs: Any) -> Any:
        if isinstance(content, str):
            return HTMLResponse(content, *args, **kwargs)
        return super().__new__(cls)


def view_value(rv: Any) -> Any:
    """What a view decorator's wrapper returns: a str or a Response as it is (the route answers them as Flask's
    ``make_response`` did, and a direct caller sees the original's value); anything else goes through
    ``make_response`` here, whose rules FastAPI's encoder would lose. A tuple, dict or list, or a Werkzeug response
    (a test's ``flask.Response``), is the made response and the value at once (``_answering``): the route answers
    the response, and a direct caller of the wrapper (a test) gets what Flask's wrapper returned. A value Flask's
    ``make_response`` takes not (a model object, a list of them, a number, None) is no view's answer: the decorator
    wraps functions that are not views too (a memoizing cache around model lookups), so it is given back as it was."""
    if isinstance(rv, (str, Response)):
        return rv
    try:
        made = make_response(rv)
    except TypeError:  # no response of it: Flask's would have failed as well, for a view
        return rv
    if isinstance(rv, (tuple, dict, list)) or from_werkzeug(rv) is not None:
        return _answering(rv, made)
    return made


_ANSWERING: dict[tuple[type, type], type] = {}


def _answering(value: Any, made: Response) -> Any:
    """An instance of ``value``'s class and ``made``'s, holding the state of both: it equals, indexes and iterates as
    the value (``result == ({"key": "value"}, 201)``; a Werkzeug response's ``data``), and FastAPI, seeing a
    Response, answers it as the made one (status, headers, body, which Starlette's class reads first). ``made``
    where the classes do not combine."""
    kinds = (type(made), type(value)) if from_werkzeug(value) is not None else (type(value), type(made))
    try:
        cls = _ANSWERING.get(kinds)
        if cls is None:
            cls = _ANSWERING[kinds] = type(type(value).__name__, kinds, {"__module__": type(value).__module__})
        if isinstance(value, tuple):
            answer = tuple.__new__(cls, value)
        elif isinstance(value, str):
            answer = str.__new__(cls, value)
        else:
            answer = object.__new__(cls) if from_werkzeug(value) is not None else type(value).__new__(cls)
            if isinstance(value, dict):  # not the class's __init__: the response's would render
                dict.update(answer, value)
            elif isinstance(value, list):
                list.extend(answer, value)
        vars(answer).update(getattr(value, "__dict__", {}))
        vars(answer).update(vars(made))
        if from_werkzeug(value) is not None:  # a Flask app hosting the view answers the Werkzeug one (flask_own)
            vars(answer)[FLASK_RESPONSE] = value
    except TypeError:  # a layout the two classes cannot share
        return made
    return answer


def by_hand(answer: Any) -> Any:
    """What a view called by hand gives (``Cls.as_view("name")()`` in a test's request context): a page the conversion
    made an ``HTMLResponse`` of (``return render_template(...)``, Flask's own: its kind is known) is that response and
    its text at once (``_answering``), the str Flask's view returned (``'Overview' in resp``; it was "argument of type
    'HTMLResponse' is not iterable"); anything else as it is."""
    if type(answer) is HTMLResponse and answer.status_code == 200 and answer.body:
        return _answering(bytes(answer.body).decode(answer.charset), answer)
    return answer


def stream_with_context(generator_or_function: Any) -> Any:
    """Flask's, called on a generator or decorating a generator function: the same object. A view's generator
    reads the view's request (its closure), and Starlette iterates it with the request's context variables."""
    return generator_or_function


def make_response(*args: Any) -> Response:
    """Flask's return-value rules: body, (body, status), (body, headers), (body, status, headers).

    The text alone (``make_response(x)``, what the conversion makes of a view's ``return x`` whose kind only shows
    at run time: ``return render_template(...)`` through the app's own helper) is the made response and that str at
    once (``_answering``): the route answers the response, and a test calling the view by hand (``view()`` of
    ``Cls.as_view("name")`` in ``app.test_request_context()``) gets the text Flask's view returned
    (``'Overview' in resp``), not an HTMLResponse ("argument of type 'HTMLResponse' is not iterable")."""
    rv = args[0] if len(args) == 1 else (args if args else "")
    status = headers = None
    if isinstance(rv, tuple):
        if len(rv) == 3:
            rv, status, headers = rv
        elif len(rv) == 2:
            rv, second = rv
            if isinstance(second, (dict, list, tuple)) or hasattr(second, "items"):
                headers = second
            else:
                status = second
    if isinstance(rv, Response):
        response = rv
    elif isinstance(rv, (dict, list)):
        response = JSONResponse(rv)
    elif isinstance(rv, (str, bytes, bytearray)):
        response = HTMLResponse(bytes(rv) if isinstance(rv, bytearray) else rv)
    elif isinstance(rv, Iterator):  # Flask streams a generator's chunks
        response = StreamingResponse(rv, media_type="text/html; charset=utf-8")
    elif (werkzeug := from_werkzeug(rv)) is not None:  # an extension's own Flask response
        response = werkzeug
    else:
        raise TypeError(
            "The view function did not return a valid response. The return type must be a string, dict, list,"
            f" tuple with headers or status, or Response instance, but it was a {type(rv).__name__}."
        )
    if status is not None:
        response.status_code = int(str(status).split()[0])
        if response.status_code < 200 or response.status_code == 204:  # Werkzeug sends them no length, as RFC 7230
            response.raw_headers = [(k, v) for k, v in response.raw_headers if k.lower() != b"content-length"]
    if headers:
        for key, value in headers.items() if hasattr(headers, "items") else headers:
            response.headers[key] = str(value)
    if len(args) == 1 and isinstance(args[0], str) and rv and type(response) is HTMLResponse:  # never falsy
        return _answering(rv, response)  # the text as well (above); not a tuple's text, which view_value keeps
    return response


def send_file(
    path_or_file: Any,
    mimetype: str | None = None,
    as_attachment: bool = False,
    download_name: str | None = None,
    **options: Any,
) -> Response:
    """End state: ``FileResponse(path)`` for files on disk, ``Response(content)`` for bytes.

    A file-like's type is guessed from the name it is sent under, as Werkzeug's ``send_file`` does (an export's
    ``BytesIO`` sent as ``x-bills.json`` answers ``application/json``, not ``application/octet-stream``); Flask
    before 2.0 named it ``attachment_filename``."""
    if hasattr(path_or_file, "read"):
        content = path_or_file.read()
        name = download_name or options.get("attachment_filename")
        guessed = mimetypes.guess_type(name)[0] if name and not mimetype else None
        response = Response(content, media_type=mimetype or guessed or "application/octet-stream")
        if name:
            kind = "attachment" if as_attachment else "inline"
            response.headers["content-disposition"] = f'{kind}; filename="{name}"'
        return response
    filename = download_name or (os.path.basename(str(path_or_file)) if as_attachment else None)
    return FileResponse(
        os.fspath(path_or_file),
        media_type=mimetype,
        filename=filename,
        content_disposition_type="attachment" if as_attachment else "inline",
    )


def send_from_directory(directory: str, path: str, **kwargs: Any) -> Response:
    from .werkzeug_errors import HTTPException  # Werkzeug's NotFound too, as Flask's

    root = os.path.abspath(directory)
    full = os.path.abspath(os.path.join(root, path))
    if not full.startswith(root + os.sep) or not os.path.isfile(full):
        raise HTTPException(status_code=404)
    return send_file(full, **kwargs)
