"""``url_for`` in an app context without a request (a model's ``url`` property, read by the app's model
tests) builds Flask's full URL from ``SERVER_NAME``, ``APPLICATION_ROOT`` and ``PREFERRED_URL_SCHEME``.

The helper read the request proxy's app and raised "Working outside of request context".
"""

from __future__ import annotations

import sys
import textwrap

import pytest
from side_by_side import convert_tree, load

SOURCE = textwrap.dedent("""\
    from flask import Flask, url_for

    app = Flask(__name__)
    app.config["SERVER_NAME"] = "localhost:5000"


    @app.route("/users/<int:id>")
    def user(id):
        return "user"


    class User:
        def __init__(self, id):
            self.id = id

        @property
        def url(self):
            return url_for("user", id=self.id)

        def links(self):
            return [
                url_for("user", id=self.id, _external=False),
                url_for("user", id=self.id, _scheme="https", tab="posts"),
            ]
""")


def _urls(app, config: dict) -> list:
    app.config.update(config)
    with app.app_context():
        user = sys.modules["modelapp"].User(7)
        return [user.url, *user.links()]


@pytest.mark.parametrize(
    "config",
    [{}, {"APPLICATION_ROOT": "/api", "PREFERRED_URL_SCHEME": "https"}],
)
def test_url_for_without_a_request_is_flasks(tmp_path, config):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "modelapp.py").write_text(SOURCE)
    flask_urls = _urls(load(tmp_path / "src", "modelapp"), config)
    convert_tree(tmp_path / "src", tmp_path / "out")
    assert _urls(load(tmp_path / "out", "modelapp"), config) == flask_urls


def test_without_server_name_it_raises_as_flask(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "modelapp.py").write_text(SOURCE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    with pytest.raises(RuntimeError, match="SERVER_NAME"):
        _urls(load(tmp_path / "out", "modelapp"), {"SERVER_NAME": None})
