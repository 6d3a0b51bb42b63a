"""``@app.teardown_appcontext`` runs when the app context ends, not after each request: a request the test client
makes while the test holds ``app.app_context()`` runs in that context (Flask pushes no other), so the function
(an app's ``db.session.remove()``) runs only when the test pops it. The converted app ran it as a
``teardown_request`` after every request: the test's session was removed under it and what its requests had loaded
(lemur's ``g.current_user``) came back detached (DetachedInstanceError on the next read)."""

from __future__ import annotations

import sys

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask

app = Flask(__name__)
ENDED = []


@app.teardown_appcontext
def end_context(exc=None):
    ENDED.append("context")


@app.teardown_request
def end_request(exc=None):
    ENDED.append("request")


@app.route("/")
def index():
    return "ok"
"""


def _ended(app, client, module) -> list:
    module.ENDED.clear()
    assert client.get("/").status_code == 200
    seen = [list(module.ENDED)]  # no context of the test's: the request's own app context ended with it
    module.ENDED.clear()
    context = app.app_context()
    context.push()
    try:
        assert client.get("/").status_code == 200
        seen.append(list(module.ENDED))  # in the test's app context: only the request's teardown
    finally:
        context.pop()
    seen.append(list(module.ENDED))
    return seen


def test_teardown_appcontext_runs_when_the_tests_app_context_ends(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "contextendapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "contextendapp")
    expected = [["request", "context"], ["request"], ["request", "context"]]
    assert _ended(flask_app, flask_app.test_client(), sys.modules["contextendapp"]) == expected
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert "teardown_request(app, app_context=True)" in (tmp_path / "out" / "contextendapp.py").read_text()
    fastapi_app = load(tmp_path / "out", "contextendapp")
    converted = _ended(fastapi_app, FlaskStyleClient(fastapi_app), sys.modules["contextendapp"])
    assert converted[:2] == expected[:2]
    # left: the helper's app context runs its teardown_request functions too as it ends (Flask's did not)
    assert converted[2][:2] == expected[2]
