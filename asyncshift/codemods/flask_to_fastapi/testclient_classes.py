"""A suite's own test client class on the converted app: ``app.test_client_class = MyClient``, a subclass of
Flask's ``FlaskClient`` that logs a user in or adds a header to every request (its ``login()``, its ``open()``).

The converted app's ``test_client()`` gave the Flask-style client (``FlaskStyleClient``) whatever the suite set, so
every test using the subclass's own methods failed (AttributeError: ``login``). The suite's classes keep their
methods with the Flask-style client as their base in place of Flask's (``super().open(...)`` reaches it). So does a
suite's ``app.response_class``, the class Flask's client answered with, on the Flask-style response."""

from __future__ import annotations

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
