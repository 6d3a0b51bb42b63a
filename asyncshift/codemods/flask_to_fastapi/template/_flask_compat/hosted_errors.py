"""Errors inside REST Resources kept on Flask (``flask_hosted``), answered as the Flask app answered them.

HTTP errors the helpers raise (``Model.query.get_or_404``, ``first_or_404``, ``paginate``): FastAPI's
``HTTPException`` was unknown to Flask, so a missing row answered 500 instead of 404. The hosted app reads it as
Werkzeug's error of the same code (its own handlers and the REST extension's answer it in JSON, as ``abort(404)``).

A blueprint's error handlers (``@bp.errorhandler(ValidationError)``, converted to ``errorhandler(router, ...)``)
answered for the router's FastAPI routes only: a Resource of its Api raising that error answered 500. They are
registered on the router's Flask twin too, called with the request being served; their Starlette response is
handed to Flask as a Werkzeug one.
"""

from __future__ import annotations

from typing import Any

from .flask_responses import as_flask


def as_werkzeug(error: BaseException) -> BaseException:
    """A Starlette/FastAPI ``HTTPException`` as Werkzeug's of the same code; anything else as it is."""
    from starlette.exceptions import HTTPException

    if not isinstance(error, HTTPException):
        return error
    try:
        from werkzeug import exceptions
    except ImportError:  # a converted app without Werkzeug: nothing catches its errors by that name
        return error
    kind = exceptions.default_exceptions.get(error.status_code)
    if kind is None:
        return error
    given = isinstance(error.detail, str) and error.detail != _phrase(error.status_code)  # not Starlette's default
    description = error.detail if given else None
    if kind is exceptions.MethodNotAllowed:  # its allowed methods, from the Allow header
        allow = (getattr(error, "headers", None) or {}).get("Allow", "")
        translated = kind([m.strip() for m in allow.split(",") if m.strip()] or None, description)
    else:
        translated = kind(description=description)
    translated.__cause__ = error
    return translated


def _phrase(code: int) -> str:
    from http import HTTPStatus

    return HTTPStatus(code).phrase


def read_http_errors(host: Any) -> None:
    """Wrap the hosted app's ``handle_user_exception`` (outermost: the REST extension wraps it when its blueprint
    is registered) so it meets Werkzeug's errors only."""
    handle = host.handle_user_exception
    if getattr(handle, "asyncshift_reads_http_errors", False):
        return

    def handle_user_exception(error: BaseException) -> Any:
        translated = as_werkzeug(error)
        if translated is error:
            return handle(error)
        try:  # raised: Flask before 2.0 asserts it handles the error being handled (sys.exc_info())
            raise translated
        except BaseException:
            return handle(translated)

    handle_user_exception.asyncshift_reads_http_errors = True
    host.handle_user_exception = handle_user_exception


def router_handlers(router: Any, blueprint: Any) -> None:
    """The ``errorhandler(router, key)`` handlers of ``router`` on its Flask twin ``blueprint`` (before it is
    registered on the host, where Flask reads them)."""
    from .errors import _SCOPED_HANDLERS

    for owner, key, fn in _SCOPED_HANDLERS:
        if owner is router:
            try:
                blueprint.register_error_handler(key, _on_flask(fn))
            except (AssertionError, KeyError, ValueError, TypeError):  # a key Flask refuses
                continue


def app_handlers(app: Any, host: Any) -> None:
    """The app's own app-wide error handlers (``errorhandler(app, Exception)``, ``@app.exception_handler(403)``) on the
    host too, once: in Flask they answered a Resource's error the REST extension left (Flask-Principal's
    ``abort(403, permission)``); the host answered Werkzeug's page. Blueprint-scoped ones are ``router_handlers``'."""
    if host.__dict__.get("asyncshift_app_handlers"):
        return
    host.__dict__["asyncshift_app_handlers"] = True
    from starlette.exceptions import HTTPException
    from werkzeug import exceptions

    from .werkzeug_errors import WerkzeugError

    for key, fn in list(getattr(app, "exception_handlers", {}).items()):
        module = getattr(fn, "__module__", None) or ""
        if getattr(fn, "_flask_scoped", False) or module.split(".")[0] in ("fastapi", "starlette"):
            continue
        if module == __package__ or module.startswith(f"{__package__}."):  # the helpers' own (Flask's pages)
            continue
        if isinstance(key, type) and issubclass(key, WerkzeugError):
            key = key.code
        elif isinstance(key, type) and issubclass(key, HTTPException):
            key = exceptions.HTTPException
        try:
            host.register_error_handler(key, _on_flask(fn, as_helpers=True))
        except (AssertionError, KeyError, ValueError, TypeError):  # a key Flask refuses
            continue


def _as_helpers(error: BaseException) -> BaseException:
    """Werkzeug's HTTP error as the helpers' of its code (an instance of Starlette's and Werkzeug's, with Werkzeug's
    ``str``), as the converted handler tests it (``isinstance(e, HTTPException)``, ``e.status_code``)."""
    from werkzeug import exceptions

    from .werkzeug_errors import HTTPException, WerkzeugError

    if not isinstance(error, exceptions.HTTPException) or isinstance(error, WerkzeugError) or error.code is None:
        return error
    translated = HTTPException(error.code, error.description)
    translated.__cause__ = error
    return translated


def _on_flask(fn: Any, as_helpers: bool = False) -> Any:
    def handler(error: BaseException) -> Any:
        import asyncio
        import inspect

        import flask

        from .context import _current
        from .flask_hosted import SERVING_LOOP

        answer = fn(_current.get(None), _as_helpers(error) if as_helpers else error)
        if inspect.isawaitable(answer):
            loop = flask.request.environ.get(SERVING_LOOP)
            answer = asyncio.run_coroutine_threadsafe(answer, loop).result() if loop else asyncio.run(answer)
        return as_flask(answer)

    return handler
