"""A suite reaching the app through Flask's own proxy: ``from flask import current_app as app`` in a test module,
``self.app = app.test_client()`` in a test case's setUp, inside the app context its conftest pushed.

In the converted app's context ``flask.current_app`` is the Flask app standing for it (the extensions' shadow, the
old tests' URL twin: ``stand_in``), which has no views of its own, so Flask's client on it dispatched each request
to whatever Flask found there: no answer ("The view function ... did not return a valid response") or Flask's 404
page, for every request of such a suite. While ``patch_fastapi``'s block runs, a stand-in's ``test_client()`` is the
app's own (the Flask-style client, the suite's ``test_client_class`` on it); any other Flask app keeps Flask's.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

_STANDS_FOR = "_asyncshift_stands_for"
"""Where a stand-in keeps the app it stands for (``_flask_compat.stand_in``'s ``_FOR``)."""


@contextlib.contextmanager
def stand_in_clients(fastapi: type) -> Iterator[None]:
    """``test_client()`` of a Flask app standing for a ``fastapi`` app gives that app's client while the block runs."""
    try:
        from flask import Flask
    except ImportError:  # no Flask: no stand-in
        yield
        return
    given = Flask.__dict__["test_client"]

    def test_client(self: Any, *args: Any, **kwargs: Any) -> Any:
        app = getattr(self, "__dict__", {}).get(_STANDS_FOR)
        if not isinstance(app, fastapi):
            return given(self, *args, **kwargs)
        if args:  # Flask's test_client(use_cookies=True, **kwargs)
            kwargs.setdefault("use_cookies", args[0])
        return app.test_client(**kwargs)

    Flask.test_client = test_client
    try:
        yield
    finally:
        Flask.test_client = given
