"""A suite's own ``FlaskClient`` subclass made by hand on the app (``KeyClient(current_app,
current_app.response_class)`` in a test case's setUp, not ``app.test_client()``), whose ``open()`` adds an API key and
calls ``FlaskClient.open(self, ...)`` by name: on the converted app Werkzeug's client called the app's proxy as a WSGI
app ("'_Proxy' object is not callable") and every request of such a suite failed."""

from __future__ import annotations

from side_by_side import convert_tree, load

from codemods.flask_to_fastapi.testclient import patch_fastapi

APP = """\
from flask import Flask, current_app, jsonify, request
from flask.testing import FlaskClient

app = Flask(__name__)
app.config["API_KEY"] = "s3cret"


@app.route("/whoami", methods=["GET", "POST"])
def whoami():
    return jsonify(key=request.headers.get("Authorization"), method=request.method)


class KeyClient(FlaskClient):
    def open(self, *args, **kwargs):
        kwargs.setdefault("headers", {})
        kwargs["headers"].setdefault("Authorization", f"Key {current_app.config['API_KEY']}")
        return FlaskClient.open(self, *args, **kwargs)


def answers():
    with app.app_context():
        first = KeyClient(current_app, current_app.response_class)
        second = KeyClient(current_app, current_app.response_class, use_cookies=False)
        return [
            first.get("/whoami").get_json(),
            second.post("/whoami", headers={"Authorization": "Key mine"}).get_json(),
        ]
"""


def test_a_hand_made_client_subclass_runs_on_the_converted_app(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "keyclient_shop.py").write_text(APP)
    load(tmp_path / "src", "keyclient_shop")
    import keyclient_shop

    expected = keyclient_shop.answers()
    assert expected == [{"key": "Key s3cret", "method": "GET"}, {"key": "Key mine", "method": "POST"}]
    convert_tree(tmp_path / "src", tmp_path / "out")
    with patch_fastapi():
        load(tmp_path / "out", "keyclient_shop")
        import keyclient_shop as converted

        assert converted.answers() == expected
        assert converted.answers() == expected  # the class rebased already: the next test's clients
