"""A suite's own test client class on the converted app: ``app.test_client_class = MyClient``, a subclass of
Flask's ``FlaskClient`` that logs a user in or adds a header to every request (its ``login()``, its ``open()``).

The converted app's ``test_client()`` gave the Flask-style client (``FlaskStyleClient``) whatever the suite set, so
every test using the subclass's own methods failed (AttributeError: ``login``). The suite's classes keep their
methods with the Flask-style client as their base in place of Flask's (``super().open(...)`` reaches it). So does a
suite's ``app.response_class``, the class Flask's client answered with, on the Flask-style response."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

_FLASK_MODULES = ("flask", "werkzeug")


def client_class(app: Any, default: type) -> type:
    """The class ``app.test_client()`` builds: the suite's ``test_client_class`` rebased on ``default``."""
    return _rebased(getattr(app, "test_client_class", None), default)


def response_class(app: Any, default: type) -> type:
    """The class of the client's answers: the suite's ``app.response_class`` (a Flask ``Response`` subclass with
    properties of its own, ``response.path`` of a redirect), which Flask's client answered with, rebased on
    ``default``; the face's own (Starlette's) or pytest-flask's subclass of it: ``default``."""
    return _rebased(getattr(app, "response_class", None), default)


def answered_as(app: Any, answer: Any) -> Any:
    """The Flask-style ``answer`` as the suite's ``app.response_class``, as Flask's client gave it."""
    wanted = response_class(app, type(answer))
    if wanted is not type(answer):
        try:
            answer.__class__ = wanted
        except TypeError:  # a layout Python will not swap: the Flask-style answer as it is
            pass
    return answer


def _rebased(wanted: Any, default: type) -> type:
    """``wanted`` with ``default`` in place of its Flask/Werkzeug bases (its own classes keep their methods)."""
    if not isinstance(wanted, type):
        return default
    if issubclass(wanted, default):  # rebased already (the suite's next client or answer): as it is
        return wanted
    flask_made = {c for c in wanted.__mro__ if c.__module__.split(".")[0] in _FLASK_MODULES}
    if not flask_made or wanted in flask_made:
        return default  # Flask's own client class: the Flask-style one stands for it
    for cls in wanted.__mro__:
        if cls not in flask_made and any(base in flask_made for base in cls.__bases__):
            bases = tuple(dict.fromkeys(default if base in flask_made else base for base in cls.__bases__))
            try:
                cls.__bases__ = bases
            except TypeError:  # a layout Python will not swap: the Flask-style client alone
                return default
    return wanted


@contextlib.contextmanager
def hand_made_clients(fastapi: type, flask_style: type, options: dict) -> Iterator[None]:
    """A suite's own ``FlaskClient`` subclass made by hand on the converted app (``KeyClient(current_app,
    current_app.response_class)`` in a setUp, not ``app.test_client()``): Werkzeug's client called the app's proxy as
    a WSGI app ("'_Proxy' object is not callable"). While the block runs, such a client keeps a Flask-style client of
    the app, and ``FlaskClient.open`` (``super().open`` or the base named: ``FlaskClient.open(self, ...)``) hands it
    the request; a Flask app's client is Flask's own."""
    try:
        from flask.testing import FlaskClient
    except ImportError:
        yield
        return
    flask_init, flask_open = FlaskClient.__init__, FlaskClient.open

    def __init__(self: Any, application: Any, *args: Any, **kwargs: Any) -> None:
        app = application._get_current_object() if hasattr(type(application), "_get_current_object") else application
        if not isinstance(app, fastapi):
            return flask_init(self, application, *args, **kwargs)
        cookies = kwargs.get("use_cookies", args[1] if len(args) > 1 else True)  # Werkzeug's (app, wrapper, cookies)
        self._flask_style = flask_style(app, **{**options, "use_cookies": cookies})

    def open(self: Any, *args: Any, **kwargs: Any) -> Any:
        style = self.__dict__.get("_flask_style")
        return flask_open(self, *args, **kwargs) if style is None else style.open(*args, **kwargs)

    FlaskClient.__init__, FlaskClient.open = __init__, open
    try:
        yield
    finally:
        FlaskClient.__init__, FlaskClient.open = flask_init, flask_open
