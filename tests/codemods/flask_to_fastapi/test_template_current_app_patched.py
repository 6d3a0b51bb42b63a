"""A test replacing a method of the app through Flask's proxy
(``mocker.patch("flask.current_app.test_request_context")`` or ``monkeypatch.setattr`` of the same) and calling code
that calls it (``with current_app.test_request_context("/"):``
in an OAuth blueprint subclass's method): in Flask both names are the one app. In the converted app's tests
``flask.current_app`` is the Flask app standing for the converted one (``stand_in``), while the converted code calls
the helper's ``current_app``, the FastAPI app: the test's mock was never called ("Expected '__enter__' to have been
called once. Called 0 times"). The stand-in now replaces the method on the app too, and gives it back at the undo.
"""

from __future__ import annotations

import sys
import textwrap
from unittest import mock

import pytest
from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, current_app


    class Fetcher:
        def emails(self, session):
            with current_app.test_request_context("/"):
                return session()


    app = Flask(__name__)


    @app.route("/")
    def index():
        return "home"
""")


def _replaced_and_given_back(app, module) -> list:
    seen = []
    with app.test_request_context():  # pytest-flask pushes one for every test
        with mock.patch("flask.current_app.test_request_context") as context:
            seen.append(module.Fetcher().emails(lambda: "fetched"))
        seen += [context.call_args, context.return_value.__enter__.call_count]
        seen.append(module.Fetcher().emails(lambda: "own context"))  # the app's own again
        calls = []
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr("flask.current_app.test_request_context", lambda *a: calls.append(a) or context.return_value)
            module.Fetcher().emails(lambda: "patched")
        seen.append(calls)
        seen.append(module.Fetcher().emails(lambda: "own again"))
    return seen


def test_a_method_replaced_on_flask_current_app_is_the_app_s(tmp_path):
    (tmp_path / "src" / "ctxpatch").mkdir(parents=True)
    (tmp_path / "src" / "ctxpatch" / "__init__.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "ctxpatch")
    before = _replaced_and_given_back(flask_app, sys.modules["ctxpatch"])
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "with current_app.test_request_context" in (tmp_path / "out" / "ctxpatch" / "__init__.py").read_text()
    fastapi_app = load(tmp_path / "out", "ctxpatch")
    after = _replaced_and_given_back(fastapi_app, sys.modules["ctxpatch"])
    assert before == ["fetched", mock.call("/"), 1, "own context", [("/",)], "own again"]
    assert after == before


def test_an_extension_wrapping_the_stand_in_itself_leaves_the_app_s_method(tmp_path):
    """What is set on the Flask app object itself (an extension's ``init_app`` on a REST host: Flask-RESTful's
    ``app.handle_exception = partial(self.error_router, app.handle_exception)``) stays that Flask app's: only a set
    through Flask's proxy, as a test's patch is, reaches the app it stands for."""
    import functools

    import flask

    (tmp_path / "src" / "ctxpatch").mkdir(parents=True)
    (tmp_path / "src" / "ctxpatch" / "__init__.py").write_text(SOURCE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "ctxpatch")
    own = fastapi_app.test_request_context
    with fastapi_app.test_request_context():
        stand_in = flask.current_app._get_current_object()
        assert stand_in is not fastapi_app and stand_in == fastapi_app
        stand_in.test_request_context = functools.partial(stand_in.test_request_context)  # a wrapper of its own
        assert sys.modules["ctxpatch"].Fetcher().emails(lambda: "own") == "own"
        assert fastapi_app.test_request_context is own
        del stand_in.test_request_context
