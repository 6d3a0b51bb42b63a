"""``app.debug`` on the converted app is Flask's: ``app.config["DEBUG"]`` read and written (FastAPI's own ``debug``
stayed False whatever the config said, so a factory's ``if app.debug: return`` went on to read settings only a
production config has: KeyError at import)."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask

app = Flask(__name__)
app.config.from_mapping(DEBUG=True)
seen = {"debug at setup": app.debug}
if not app.debug:
    production_only = app.config["MAIL_DEFAULT_SENDER"]


@app.route("/debug")
def debug():
    return {"debug": app.debug, **seen}


@app.route("/off")
def off():
    app.debug = False
    return {"debug": app.debug, "config": app.config["DEBUG"]}
"""


def test_app_debug_is_the_configs(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "debugapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "debugapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "debugapp")
    assert_same(flask_app, fastapi_app, [("GET", "/debug"), ("GET", "/off")])
