"""What extensions cache on ``flask.current_app`` while a request is served lives as long as that request.

Extensions keep per-request state on Flask's context object: Flask-Babel caches the locale the app's selector
chose as ``ctx.babel_locale``, where ``ctx`` is ``flask.request`` in a request and ``current_app`` outside one.
The Flask app behind the extensions (``face.flask_app_context``) is pushed per request with an app context only,
so the cache landed on that one app object and the first request's locale answered every later request. The
attributes a request adds to that app are removed when its context is popped, as Flask's request object went.
End state: no Flask app behind the extensions (their FastAPI equivalents read the request).
"""

from __future__ import annotations

from typing import Any


class RequestScoped:
    """A Flask app context pushed for one request: on ``pop``, the attributes set on the app meanwhile go."""

    def __init__(self, context: Any):
        self.context = context
        self._before: list[set[str]] = []

    def push(self) -> None:
        self._before.append(set(vars(self.context.app)))
        self.context.push()

    def pop(self, *args: Any) -> None:
        try:
            self.context.pop(*args)
        finally:
            app = self.context.app
            before = self._before.pop()
            for name in set(vars(app)) - before:
                vars(app).pop(name, None)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.context, name)


def request_scoped(context: Any) -> Any:
    return RequestScoped(context) if context is not None else None
