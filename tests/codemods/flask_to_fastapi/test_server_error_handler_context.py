"""The app's handler for 500 where Starlette's ``ServerErrorMiddleware`` calls it: with every error that leaves the
app, after the helper's request context is gone.

With ``TESTING`` (errors propagate), Flask re-raises a view's error to the test client and calls no handler; the
converted app's handler ran there anyway, outside the request, and its ``render_template`` failed ("Working outside
of request context"), so the client got that error instead of the view's. Now the handler is not called where Flask
would propagate, and runs in the request's context elsewhere.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from side_by_side import convert_tree, load

APP = """\
from flask import Flask, render_template_string

app = Flask(__name__)
app.config["TESTING"] = True
CALLS = []


@app.errorhandler(500)
def server_error_page(error):
    CALLS.append(type(error).__name__)
    return render_template_string("failed at {{ request.path }}"), 500


@app.route("/boom")
def boom():
    return 1 // 0
"""


@pytest.fixture
def apps(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "servererrors.py").write_text(APP)
    flask_app = load(tmp_path / "src", "servererrors")
    convert_tree(tmp_path / "src", tmp_path / "out")
    return flask_app, load(tmp_path / "out", "servererrors")


def test_a_propagated_error_reaches_the_test_client_with_no_handler_called(apps):
    flask_app, fastapi_app = apps
    with pytest.raises(ZeroDivisionError):
        flask_app.test_client().get("/boom")
    calls = __import__("servererrors").CALLS
    with pytest.raises(ZeroDivisionError):
        TestClient(fastapi_app).get("/boom")
    assert calls == []


def test_the_handler_answers_in_the_request_context_where_the_error_is_not_propagated(apps):
    flask_app, fastapi_app = apps
    flask_app.config["TESTING"] = fastapi_app.config["TESTING"] = False
    flask_answer = flask_app.test_client().get("/boom")
    answer = TestClient(fastapi_app, raise_server_exceptions=False).get("/boom")
    assert (answer.status_code, answer.text) == (flask_answer.status_code, flask_answer.get_data(as_text=True))
    assert __import__("servererrors").CALLS == ["InternalServerError"]
