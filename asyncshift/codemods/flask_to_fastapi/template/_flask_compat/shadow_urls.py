"""``flask.url_for`` called by an extension (Flask-CKEditor's ``config``, in a template) builds the FastAPI
app's URLs.

The Flask app behind extensions (``face.flask_app_context``) has no routes and no request context, so
Flask could not build a URL at all ("not able to create a URL adapter"). Its URL adapter is this one: the
helper's ``url_for`` on the request being served. Without a Flask request context Flask asks for an
absolute URL; inside a request the URL is relative, as it was in the Flask app, where extensions ran
in the request context.

Outside a request (an old test's ``flask.url_for`` in ``app.app_context()``, with ``SERVER_NAME``) the
helper's ``url_for`` builds too, as Flask's adapter bound to ``SERVER_NAME`` did; an endpoint of none of the
app's routes is Flask's own adapter's (a ``BuildError``).
"""

from __future__ import annotations

from typing import Any

from .context import _current
from .urls import url_for


class RequestURLAdapter:
    """What Flask's ``url_for`` needs of a Werkzeug ``MapAdapter``: ``build``."""

    def __init__(self, app: Any):
        self.app = app

    def build(
        self,
        endpoint: str,
        values: dict | None = None,
        method: str | None = None,
        url_scheme: str | None = None,
        force_external: bool = False,
        append_unknown: bool = True,
    ) -> str:
        request = _current.get(None)
        if request is None:
            raise RuntimeError("Working outside of request context: no request to build a URL for.")
        from .url_processors import defaults_done

        with defaults_done():  # Flask's url_for ran the app's url_defaults
            return url_for(request, endpoint, _scheme=url_scheme, _method=method, **dict(values or {}))


class HelperURLAdapter:
    """Flask's URL adapter with the app's routes first: the helper's ``url_for`` on ``source`` (the app, in an app
    context without a request; the request being served, in a Flask request context an extension's decorator or hook
    pushed, ``flask_request``), then Flask's own rules (an extension's, added by ``app.route`` in ``init_app``) or
    its BuildError; anything else (``match``) is Flask's. ``url_scheme`` is set by Flask 2.1's ``url_for``."""

    url_scheme: str | None = None

    def __init__(self, source: Any, own: Any):
        self.source, self.own = source, own

    def build(
        self,
        endpoint: str,
        values: dict | None = None,
        method: str | None = None,
        url_scheme: str | None = None,
        force_external: bool = False,
        append_unknown: bool = True,
    ) -> str:
        from .url_processors import defaults_done

        scheme = url_scheme or self.url_scheme
        try:
            with defaults_done():  # Flask's url_for ran the app's url_defaults
                built = dict(values or {})
                return url_for(self.source, endpoint, _external=force_external, _scheme=scheme, _method=method, **built)
        except ValueError:  # none of the app's routes: Flask's own rules, or its BuildError
            self.own.url_scheme = scheme or self.own.url_scheme  # Werkzeug before 2.2 takes no url_scheme argument
            return self.own.build(
                endpoint, values, method=method, force_external=force_external, append_unknown=append_unknown
            )

    def __getattr__(self, name: str) -> Any:
        return getattr(self.own, name)


def adapter_for(app: Any, flasks: Any) -> Any:
    """The shadow Flask app's ``create_url_adapter``: Flask's own for a Flask request context (the old tests'
    ``test_request_context``) or outside any request, these while the FastAPI app serves a request."""

    def create_url_adapter(request: Any = None) -> Any:
        if request is not None:
            own, served = flasks(request), _current.get(None)
            return HelperURLAdapter(served, own) if served is not None and own is not None else own
        if _current.get(None) is None:
            own = flasks(None)  # None without SERVER_NAME: Flask says so
            return HelperURLAdapter(app, own) if own is not None else None
        return RequestURLAdapter(app)

    return create_url_adapter
