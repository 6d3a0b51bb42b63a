"""A method a library calls itself keeps its signature once it reads the request.

``class RequestFilter(logging.Filter)`` whose ``filter(self, record)`` reads Flask's request became
``filter(self, request: Request, record)``: logging calls it with the record only, so every log call in a view
raised (TypeError, a 500). A method of a run's class deriving from a class the run does not define (here the
standard library's) now keeps its signature and reads the helper's request proxy, the request of the view logging.
"""

from __future__ import annotations

import logging
import sys

from side_by_side import ask_both, convert_tree, load

APP = """\
import logging

from flask import Flask, request

app = Flask(__name__)
seen = []


class RequestFilter(logging.Filter):
    def filter(self, record):
        record.path = request.path if request else "-"
        seen.append(record.path)
        return True


log = logging.getLogger("libcallback_shop")
log.addFilter(RequestFilter())
log.setLevel(logging.INFO)


@app.route("/items/<name>")
def item(name):
    log.info("item %s", name)
    return {"name": name, "seen": seen[-1]}
"""


def test_library_callbacks_keep_their_signature(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "libcallback_shop.py").write_text(APP)
    flask_app = load(tmp_path / "src", "libcallback_shop")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "libcallback_shop.py").read_text()
    assert "def filter(self, record):" in converted
    fastapi_app = load(tmp_path / "out", "libcallback_shop")
    for request, before, after in ask_both(flask_app, fastapi_app, [("GET", "/items/pear"), ("GET", "/items/fig")]):
        assert after == before, request
        assert before.status == 200 and before.json["seen"] == request[1], request
    logging.getLogger("libcallback_shop").info("outside a request")  # no request: the filter sees none
    assert sys.modules["libcallback_shop"].seen[-1] == "-"
