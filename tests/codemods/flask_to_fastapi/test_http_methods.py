"""HEAD and OPTIONS as Flask answers them for every route (the helper's middleware; routes are unchanged)."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

APP = (
    "from flask import Flask\n\napp = Flask(__name__)\n\n\n"
    "@app.route('/items')\ndef items():\n    return 'items'\n\n\n"
    "@app.route('/items', methods=['POST'])\ndef add():\n    return 'added', 201\n"
)


def test_head_and_options_answer_like_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "methods_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "methods_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "methods_app")
    answers = ask_both(flask_app, fastapi_app, [("HEAD", "/items"), ("OPTIONS", "/items"), ("OPTIONS", "/missing")])
    for request, before, after in answers:
        assert after == before, request
    flask_client, fastapi_client = flask_app.test_client(), FlaskStyleClient(fastapi_app)
    assert fastapi_client.head("/items").data == b""
    allowed = [set(c.options("/items").headers["allow"].split(", ")) for c in (flask_client, fastapi_client)]
    assert allowed[0] == allowed[1]
