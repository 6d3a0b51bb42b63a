"""An extension's error handler answering with its own Flask (Werkzeug) ``Response``: Flask-JWT-Extended's 401
for a missing token, registered by ``init_app(app)`` on the converted app's Flask face. The face's handler passed
it to ``make_response``, which knew Starlette's responses only: a 500 (TypeError) instead of the 401."""

from __future__ import annotations

import sys

from side_by_side import ask_both, convert_tree, load

from codemods.flask_to_fastapi.testclient import FlaskStyleClient

EXTENSION = """\
import json

from flask import Response


class NoToken(Exception):
    pass


class TokenGuard:
    def init_app(self, app):
        app.extensions["token-guard"] = self
        app.register_error_handler(NoToken, self.missing)

    def missing(self, error):
        answer = Response(json.dumps({"msg": "Missing Authorization Header"}), status=401, mimetype="application/json")
        answer.headers["WWW-Authenticate"] = "Bearer"
        answer.headers.add("Set-Cookie", "seen=1; Path=/")
        answer.headers.add("Set-Cookie", "tries=2; Path=/")
        return answer
"""

APP = """\
from flask import Flask, jsonify, request

from token_guard import NoToken, TokenGuard

app = Flask(__name__)
TokenGuard().init_app(app)


@app.route("/private")
def private():
    if "Authorization" not in request.headers:
        raise NoToken()
    return jsonify(ok=True)
"""


def test_an_extensions_werkzeug_response_answers_as_in_flask(tmp_path, monkeypatch):
    for folder, name, text in (("lib", "token_guard.py", EXTENSION), ("src", "guarded_app.py", APP)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / name).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))  # an installed extension: not converted
    flask_app = load(tmp_path / "src", "guarded_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "guarded_app")
    requests = [("GET", "/private"), ("GET", "/private", {"headers": {"Authorization": "Bearer x"}})]
    for request, before, after in ask_both(flask_app, fastapi_app, requests):
        assert after == before, f"{request}: flask {before} != fastapi {after}"
    [(_, before, after)] = ask_both(flask_app, fastapi_app, requests[:1])
    assert after.status == 401 and after.headers["www-authenticate"] == "Bearer"
    assert after.body == before.body
    cookies = FlaskStyleClient(fastapi_app).get("/private").headers.get_list("set-cookie")
    assert cookies == ["seen=1; Path=/", "tries=2; Path=/"]
    sys.modules.pop("token_guard", None)
