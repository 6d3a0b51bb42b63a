"""A view answering Werkzeug's body of parts (``Response(lines, mimetype="text/plain")`` with ``lines`` a list of
str, as a Prometheus metrics page builds it): converted to Starlette's ``Response``, whose ``render`` encodes one str
("'list' object has no attribute 'encode'", a 500 with no TODO). The parts are joined, as Werkzeug sent them."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, Response

app = Flask(__name__)


@app.route("/metrics")
def metrics():
    output = [f"up{{job='{name}'}} 1\\n" for name in ("api", "worker")]
    output += "# uptime\\n"
    return Response(output, mimetype="text/plain; version=0.0.4; charset=utf-8")


@app.route("/bytes")
def raw():
    return Response((b"a,b\\n", "1,2\\n"), mimetype="text/csv")
"""


def test_a_body_of_parts_is_sent_joined(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "metricsapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "metricsapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "metricsapp")
    assert_same(flask_app, fastapi_app, [("GET", "/metrics"), ("GET", "/bytes")])
