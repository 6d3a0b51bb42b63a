"""What Flask hands an error handler: the app's handler for 500 answers an error nothing handled, given Werkzeug's
``InternalServerError`` (``code``, ``description``, ``original_exception``); a handler registered through the
app's face (``app.register_error_handler(404, fn)`` with ``fn`` from another module) gets the HTTP error with
Werkzeug's ``code``, ``name``, ``description`` and ``get_response()``, not Starlette's ``HTTPException``.

End state: FastAPI handlers for your own exception classes, reading ``status_code`` and ``detail``.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException as StarletteHTTPException

from . import werkzeug_errors


def internal_server_error(error: BaseException) -> Any:
    """Werkzeug's ``InternalServerError(original_exception=error)`` (the helper's, a FastAPI HTTPException)."""
    wrapped = werkzeug_errors.InternalServerError()
    wrapped.original_exception = error
    return wrapped


def _server_error_key(key: Any) -> bool:
    return key == 500 or (isinstance(key, type) and key.__name__ == "InternalServerError")


def flask_error(key: Any, error: BaseException) -> Any:
    """``error`` as Flask hands it to a handler registered for ``key``."""
    if isinstance(error, werkzeug_errors.WerkzeugError) or type(error).__module__.startswith("werkzeug"):
        return error
    if isinstance(error, StarletteHTTPException):
        kind = next(
            (
                k
                for k in vars(werkzeug_errors).values()
                if isinstance(k, type) and issubclass(k, werkzeug_errors.WerkzeugError) and k.code == error.status_code
            ),
            None,
        )
        if kind is None:
            kind = type("HTTPException", (werkzeug_errors.WerkzeugError,), {"code": error.status_code})
        phrase = werkzeug_errors.status_name(error.status_code)
        own = error.detail if isinstance(error.detail, str) and error.detail not in (phrase, "") else None
        translated = kind(description=own) if own is not None else kind()
        if getattr(error, "headers", None):
            translated.headers = error.headers
        translated.__cause__ = error
        return translated
    if _server_error_key(key):
        return internal_server_error(error)
    return error


async def server_error_answer(app: Any, request: Any, error: Exception) -> Any:
    """Flask's ``handle_exception``: the app's handler for 500 answers with ``InternalServerError``; None when the
    app has none (Werkzeug's page answers)."""
    handler = getattr(app, "exception_handlers", {}).get(500)
    if handler is None:
        return None
    from .errors import _answer

    return await _answer(handler, request, internal_server_error(error))


def propagates(app: Any) -> bool:
    """Flask's ``PROPAGATE_EXCEPTIONS``: unset, true in testing or debug."""
    propagate = app.config.get("PROPAGATE_EXCEPTIONS")
    return bool(app.config.get("TESTING") or app.config.get("DEBUG")) if propagate is None else bool(propagate)


def in_request_context(app: Any, stack: Any) -> None:
    """Starlette's ``ServerErrorMiddleware`` (``stack``, outermost) calls the app's handler for 500 with every error
    leaving the app, after the helper's request context is gone (its ``render_template`` failed: "Working outside of
    request context"), and even when Flask would propagate the error, where Flask calls no handler (the helper
    answered with Werkzeug's page and re-raised it, as Flask did): there it is not called; elsewhere it runs in the
    request's context, given ``InternalServerError`` as Flask gives it."""
    from starlette.middleware.errors import ServerErrorMiddleware

    handler = getattr(stack, "handler", None)
    if not isinstance(stack, ServerErrorMiddleware) or handler is None:
        return

    async def answer(request: Any, error: Exception) -> Any:
        from .context import _current, _reset
        from .errors import _answer, error_page

        if propagates(app):  # answered already by the helper, or left to the server: Werkzeug's page
            return error_page(StarletteHTTPException(500))
        given = internal_server_error(error) if getattr(app, "exception_handlers", {}).get(500) is handler else error
        token = _current.set(request)
        try:
            return await _answer(handler, request, given)
        finally:
            _reset(_current, token)

    stack.handler = answer
