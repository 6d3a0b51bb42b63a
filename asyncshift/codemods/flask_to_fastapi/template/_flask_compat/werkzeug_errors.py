"""Werkzeug's HTTP errors as an app reads them: ``e.name``, ``e.description``, ``NotFound().name``.

Error handlers and helpers build JSON error bodies from Werkzeug's ``code``, ``name`` and ``description``;
Starlette's HTTPException has only ``status_code`` and ``detail`` (the short phrase). The classes here are
FastAPI HTTPExceptions (raising one answers as ``abort`` did) with Werkzeug's attributes and texts, and Werkzeug's
classes of the same name too where Werkzeug is installed (it is, with Flask): ``pytest.raises(NotFound)`` and
``except Forbidden`` around converted code catch them as they caught Flask's ``abort``. The converted
``abort(404)`` raises ``HTTPException(status_code=404)`` of this module, which gives ``NotFound()``.
End state: FastAPI's ``HTTPException(status_code=..., detail=...)`` and your own error body.
"""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from fastapi import HTTPException as FastAPIHTTPException
from fastapi.responses import Response

# Werkzeug's names where Python's phrases differ (HTTPStatus changed some in 3.13: 413 "Content Too Large")
_NAMES = {
    413: "Request Entity Too Large",
    414: "Request URI Too Long",
    416: "Requested Range Not Satisfiable",
    418: "I'm a teapot",
    422: "Unprocessable Entity",
}

DESCRIPTIONS = {
    400: "The browser (or proxy) sent a request that this server could not understand.",
    401: (
        "The server could not verify that you are authorized to access the URL requested. You either supplied "
        "the wrong credentials (e.g. a bad password), or your browser doesn't understand how to supply the "
        "credentials required."
    ),
    403: (
        "You don't have the permission to access the requested resource. "
        "It is either read-protected or not readable by the server."
    ),
    404: (
        "The requested URL was not found on the server. "
        "If you entered the URL manually please check your spelling and try again."
    ),
    405: "The method is not allowed for the requested URL.",
    406: (
        "The resource identified by the request is only capable of generating response entities which have "
        "content characteristics not acceptable according to the accept headers sent in the request."
    ),
    408: "The server closed the network connection because the browser didn't finish the request within the specified time.",  # noqa: E501
    409: (
        "A conflict happened while processing the request. "
        "The resource might have been modified while the request was being processed."
    ),
    410: (
        "The requested URL is no longer available on this server and there is no forwarding address. "
        "If you followed a link from a foreign page, please contact the author of this page."
    ),
    413: "The data value transmitted exceeds the capacity limit.",
    415: "The server does not support the media type transmitted in the request.",
    422: "The request was well-formed but was unable to be followed due to semantic errors.",
    429: "This user has exceeded an allotted request count. Try again later.",
    500: (
        "The server encountered an internal error and was unable to complete your request. "
        "Either the server is overloaded or there is an error in the application."
    ),
    501: "The server does not support the action requested by the browser.",
    503: (
        "The server is temporarily unable to service your request due to maintenance downtime or capacity "
        "problems. Please try again later."
    ),
}


def status_name(code: Any) -> str:
    """Werkzeug's name for a status code ("Not Found"); "Unknown Error" as Werkzeug says for others."""
    if code in _NAMES:
        return _NAMES[code]
    return HTTPStatus(code).phrase if code in HTTPStatus._value2member_map_ else "Unknown Error"


def error_name(error: Any) -> str:
    """Werkzeug's ``e.name`` for any HTTP error, Starlette's own (a route not found) included."""
    own = getattr(error, "name", None)
    if isinstance(own, str):
        return own
    return status_name(getattr(error, "status_code", None) or getattr(error, "code", None))


def error_response(error: Any) -> Any:
    """Werkzeug's ``e.get_response()``: its HTML error page, whose ``data`` and ``content_type`` an error
    handler may set (Flask's documented JSON error handler)."""
    from .errors import error_page

    page = error_page(error)
    return ErrorResponse(page.body, status_code=page.status_code, headers=dict(page.headers))


class ErrorResponse(Response):
    """A Starlette response with Werkzeug's ``data`` and ``content_type`` setters."""

    @property
    def data(self) -> bytes:
        return self.body

    @data.setter
    def data(self, value: Any) -> None:
        self.body = value.encode() if isinstance(value, str) else bytes(value)
        self.headers["content-length"] = str(len(self.body))

    @property
    def content_type(self) -> str | None:
        return self.headers.get("content-type")

    @content_type.setter
    def content_type(self, value: str) -> None:
        self.headers["content-type"] = value


class _ClassProperty:
    def __init__(self, read: Any):
        self.read = read

    def __get__(self, instance: Any, owner: type) -> Any:
        return self.read(owner)


try:
    from werkzeug import exceptions as _werkzeug
except ImportError:  # pragma: no cover - Werkzeug comes with Flask: a converted app has it unless it dropped Flask
    _werkzeug = None


def _werkzeug_bases(name: str) -> tuple:
    """Werkzeug's class of that name, as a base: none where Werkzeug (or that class, in an old one) is absent."""
    found = getattr(_werkzeug, name, None)
    return (found,) if isinstance(found, type) and issubclass(found, Exception) else ()


class WerkzeugError(FastAPIHTTPException, *_werkzeug_bases("HTTPException")):
    """A FastAPI HTTPException built as Werkzeug's: ``NotFound(description=None, response=None)``; an instance of
    Werkzeug's ``HTTPException`` too (Starlette's comes first: FastAPI's handlers for it answer)."""

    code = 500
    name = _ClassProperty(lambda cls: status_name(cls.code))

    def __init__(self, description: str | None = None, response: Any = None) -> None:
        super().__init__(status_code=self.code, detail=description)
        if description is not None:
            self.description = description
        self.response = response

    def get_response(self, *_: Any) -> Any:
        return self.response if self.response is not None else error_response(self)

    def __getattr__(self, name: str) -> Any:
        """Starlette's attributes of a subclass whose own ``__init__`` skipped the base's (Werkzeug's needs none:
        ``code`` is the class's)."""
        if name == "status_code":
            return self.code
        if name in ("detail", "headers", "response"):
            return getattr(self, "description", None) if name == "detail" else None
        raise AttributeError(name)

    def __str__(self) -> str:
        return f"{self.code} {status_name(self.code)}: {getattr(self, 'description', '')}"


def _error_class(class_name: str, code: int) -> type:
    description = DESCRIPTIONS.get(code, "")
    bases = (WerkzeugError, *_werkzeug_bases(class_name))
    return type(class_name, bases, {"code": code, "description": description, "__module__": __name__})


BadRequest = _error_class("BadRequest", 400)
Unauthorized = _error_class("Unauthorized", 401)
Forbidden = _error_class("Forbidden", 403)
NotFound = _error_class("NotFound", 404)
MethodNotAllowed = _error_class("MethodNotAllowed", 405)
NotAcceptable = _error_class("NotAcceptable", 406)
RequestTimeout = _error_class("RequestTimeout", 408)
Conflict = _error_class("Conflict", 409)
Gone = _error_class("Gone", 410)
RequestEntityTooLarge = _error_class("RequestEntityTooLarge", 413)
UnsupportedMediaType = _error_class("UnsupportedMediaType", 415)
UnprocessableEntity = _error_class("UnprocessableEntity", 422)
TooManyRequests = _error_class("TooManyRequests", 429)
InternalServerError = _error_class("InternalServerError", 500)
NotImplemented = _error_class("NotImplemented", 501)  # noqa: A001 - Werkzeug's name
ServiceUnavailable = _error_class("ServiceUnavailable", 503)

_BY_CODE = {
    kind.code: kind
    for kind in list(globals().values())
    if isinstance(kind, type) and issubclass(kind, WerkzeugError) and kind is not WerkzeugError
}


def _status(status_code: Any, detail: Any = None, headers: Any = None) -> tuple:
    return status_code, detail, headers


class HTTPException(FastAPIHTTPException):
    """FastAPI's ``HTTPException(status_code=..., detail=..., headers=...)``, as the converted ``abort(404)`` and
    ``NotFound("why")`` raise it: for a status Werkzeug has a class for, the error is this module's class of that
    status (``NotFound``), so what caught Flask's error by its Werkzeug class (``pytest.raises(NotFound)``,
    ``except Forbidden``) still catches it. End state: ``from fastapi import HTTPException``."""

    def __new__(cls, *args: Any, **kwargs: Any) -> Any:
        if cls is HTTPException:
            status_code, detail, headers = _status(*args, **kwargs)
            kind = _BY_CODE.get(status_code)
            if kind is not None:
                error = kind(detail)  # not an instance of cls: Python does not run __init__ again
                if headers is not None:
                    error.headers = headers
                return error
        return super().__new__(cls, *args, **kwargs)
