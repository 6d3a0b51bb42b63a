"""The WSGI face WebTest's ``TestApp(app)`` holds for a converted app. A Flask suite read the app back through it
(``testapp.app.config['MAIL_SERVER'] = None``, ``testapp.app.app_context()``): ``TestApp`` keeps what it was given,
so the face keeps the app's names reachable, read, set and deleted on the app itself, as Flask's app had them."""

from __future__ import annotations

from typing import Any


class WsgiFace:
    """A WSGI callable serving through ``wsgi``; every other name is the ASGI ``app``'s."""

    def __init__(self, wsgi: Any, app: Any) -> None:
        object.__setattr__(self, "_wsgi", wsgi)
        object.__setattr__(self, "_app", app)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        return self._wsgi(environ, start_response)

    def __getattr__(self, name: str) -> Any:
        return getattr(object.__getattribute__(self, "_app"), name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._app, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._app, name)

    def __repr__(self) -> str:
        return f"<WSGI face of {self._app!r}>"
