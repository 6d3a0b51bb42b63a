"""The recorder keeps the server side of a 500 (issue 14): a converted app's test client answers 500 and drops the
exception (``raise_server_exceptions=False``), so without it a differing 500 shows no cause."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import measure  # noqa: E402
from side_by_side import convert_tree  # noqa: E402

APP = """\
from flask import Flask, jsonify

app = Flask(__name__)


def total(items):
    return sum(item["price"] for item in items)


@app.route("/total")
def show_total():
    return jsonify(total=total([{"price": 1}, {"cost": 2}]))


@app.route("/ok")
def ok():
    return jsonify(ok=True)
"""

TESTS = """\
from app import app


def test_total():
    client = app.test_client()
    assert client.get("/ok").status_code == 200
    assert client.get("/total").status_code == 500
"""


def test_a_converted_apps_500_keeps_its_server_traceback(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "app.py").write_text(APP)
    converted = tmp_path / "converted"
    convert_tree(tmp_path / "src", converted)
    (converted / "test_total.py").write_text(TESTS)
    out = tmp_path / "fastapi.json"
    records, failed = measure.run_tests(converted, "fastapi", out)
    assert not failed
    assert dict(records["__outcomes__"])["test_total.py::test_total"] == "passed"
    assert [status for status, *_ in records["test_total.py::test_total"]] == [200, 500]
    # the request that answered 500, by its index among the test's answers, and its exception's last line
    assert records["__tracebacks__"] == [["test_total.py::test_total", 1, "GET /total", "KeyError: 'price'"]]
    log = out.with_suffix(".tracebacks.log").read_text()
    assert log.startswith("== test_total.py::test_total #1 GET /total\n")
    assert 'return sum(item["price"] for item in items)' in log  # the app's own frame, where it failed
