"""A view decorator whose wrapper uses the view's result (``result = f(*args, **kwargs)`` then
``jsonify(**result)``) gets what the view returned, as in Flask: the views under it keep their plain returns
(they became ``JSONResponse(...)``, and ``{**response}`` raised "'JSONResponse' object is not a mapping")."""

from __future__ import annotations

from side_by_side import ask_both, convert_tree, load

APP = """\
from functools import wraps

from flask import Flask, current_app

app = Flask(__name__)


def jsonify(f):
    @wraps(f)
    def _wrapped(*args, **kwargs):
        from flask import jsonify as flask_jsonify

        result_dict = f(*args, **kwargs)
        return flask_jsonify(**result_dict), {"Cache-Control": "no-store"}

    return _wrapped


def check_delete_enable(f):
    @wraps(f)
    def wrapper(*args, **kwargs):
        if current_app.config.get("DISABLE_DELETE"):
            return dict(status="DISABLED")
        return f(*args, **kwargs)

    return wrapper


@app.route("/job/<job_id>/delete", methods=["POST"])
@check_delete_enable
@jsonify
def delete_job(job_id):
    return dict(status="OK", id=job_id)


@app.route("/queues.json")
@jsonify
def queues():
    return {"queues": []}
"""


def test_views_under_a_decorator_using_their_result_keep_their_returns(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "deco_app.py").write_text(APP)
    flask_app = load(tmp_path / "src", "deco_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "deco_app")
    for request, before, after in ask_both(
        flask_app, fastapi_app, [("POST", "/job/7/delete"), ("GET", "/queues.json")]
    ):
        assert after == before, request
        assert after.headers.get("cache-control") == before.headers.get("cache-control") == "no-store", request
