"""A suite's own test client class on the converted app: ``app.test_client_class = MyClient``, a subclass of
Flask's ``FlaskClient`` that logs a user in or adds a header to every request (its ``login()``, its ``open()``).

The converted app's ``test_client()`` gave the Flask-style client (``FlaskStyleClient``) whatever the suite set, so
every test using the subclass's own methods failed (AttributeError: ``login``). The suite's classes keep their
methods with the Flask-style client as their base in place of Flask's (``super().open(...)`` reaches it)."""

from __future__ import annotations

from typing import Any

_FLASK_MODULES = ("flask", "werkzeug")


def client_class(app: Any, default: type) -> type:
    """The class ``app.test_client()`` builds: the suite's ``test_client_class`` rebased on ``default``."""
    wanted = getattr(app, "test_client_class", None)
    if not isinstance(wanted, type) or issubclass(wanted, default):
        return default
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
