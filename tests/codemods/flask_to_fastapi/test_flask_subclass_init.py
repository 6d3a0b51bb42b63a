"""A Flask subclass's ``Flask.__init__(self, *args, **kwargs)`` (CTFd's ``CTFdFlask``) becomes
``FastAPI.__init__(self)`` plus ``init_app(self, *args, **kwargs)``, as ``Flask(__name__)`` becomes: it was
``FastAPI.__init__(self, *args)``, and building the app raised TypeError (FastAPI takes no import name); a TODO
says its overrides of Flask go unused."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
import datetime

from flask import Flask, jsonify


class MyFlask(Flask):
    def __init__(self, *args, **kwargs):
        self.started = "yes"
        Flask.__init__(self, *args, **kwargs)
        self.start_time = datetime.date(2020, 1, 2)


app = MyFlask(__name__)
app.config["GREETING"] = "hi"


@app.route("/")
def index():
    return jsonify(started=app.started, day=app.start_time.isoformat(), greeting=app.config["GREETING"])
"""


def test_a_flask_subclass_builds_and_serves(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "subapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "subapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "subapp.py").read_text()
    assert "FastAPI.__init__(self)  #" in converted and "init_app(self, *args, **kwargs)" in converted
    assert "TODO(asyncshift): a Flask subclass" in converted
    assert_same(flask_app, load(tmp_path / "out", "subapp"), [("GET", "/")])
