"""A body sent as JSON that does not parse: Flask's ``Request.on_json_loading_failed`` (0.12 to 3.x) raises a bare
``BadRequest()``, whose description is Werkzeug's own ("The browser (or proxy) sent a request that this server could
not understand."), and gives the parser's reason ("Failed to decode JSON object: ...") only when the app is in debug;
the app's handlers for 400 answer it. The helper answered "Failed to decode JSON object" whatever the mode, so an
app's JSON error (``{"message": e.description}``) differed from Flask's."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.errorhandler(400)
def bad_request(e):
    return jsonify(message=e.description), 400


@app.route("/strict", methods=["POST"])
def strict():
    return jsonify(got=request.get_json())


@app.route("/forced", methods=["POST"])
def forced():
    return jsonify(got=request.get_json(force=True))


@app.route("/quiet", methods=["POST"])
def quiet():
    return jsonify(got=request.get_json(silent=True))


def read_body():
    return request.get_json()


@app.route("/helper", methods=["PUT"])
def helper():
    return jsonify(got=read_body())
"""

PLAIN = """\
from flask import Flask, jsonify, request

app = Flask(__name__)


@app.route("/strict", methods=["POST"])
def strict():
    return jsonify(got=request.get_json())
"""

BROKEN = {"data": "{not json", "content_type": "application/json"}
REQUESTS = [
    ("POST", "/strict", BROKEN),
    ("POST", "/strict", {"json": {"a": 1}}),
    ("POST", "/forced", {"data": "{not json", "content_type": "text/plain"}),
    ("POST", "/quiet", BROKEN),
    ("PUT", "/helper", BROKEN),
    ("PUT", "/helper", {"json": [1, 2]}),
]


def _both(tmp_path, source, module):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / f"{module}.py").write_text(source)
    flask_app = load(tmp_path / "src", module)
    convert_tree(tmp_path / "src", tmp_path / "out")
    return flask_app, load(tmp_path / "out", module)


def test_a_body_that_is_not_json_is_flasks_bare_bad_request(tmp_path):
    flask_app, fastapi_app = _both(tmp_path, APP, "badjson")
    assert_same(flask_app, fastapi_app, REQUESTS)
    answer = FlaskStyleClient(fastapi_app).post("/strict", **BROKEN)
    assert answer.status_code == 400
    assert answer.get_json() == flask_app.test_client().post("/strict", **BROKEN).get_json()
    assert "could not understand" in answer.get_json()["message"]


def test_in_debug_the_reason_is_given_as_in_flask(tmp_path):
    flask_app, fastapi_app = _both(tmp_path, APP, "badjsondebug")
    flask_app.config["DEBUG"] = fastapi_app.config["DEBUG"] = True
    assert_same(flask_app, fastapi_app, REQUESTS)
    message = FlaskStyleClient(fastapi_app).post("/strict", **BROKEN).get_json()["message"]
    assert message.startswith("Failed to decode JSON object: ")


def test_without_a_handler_it_is_werkzeugs_bad_request_page(tmp_path):
    flask_app, fastapi_app = _both(tmp_path, PLAIN, "badjsonplain")
    assert_same(flask_app, fastapi_app, [("POST", "/strict", BROKEN), ("POST", "/strict", {"json": 1})])
    assert "could not understand" in FlaskStyleClient(fastapi_app).post("/strict", **BROKEN).text
