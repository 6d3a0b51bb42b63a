"""An app served under a prefix (Werkzeug's ``SCRIPT_NAME``, the ASGI ``root_path``): Flask's ``request.path`` is the
path under the script root, ``request.full_path`` too, while ``request.url`` and ``url_for`` hold the prefix. The
converted ``request.url.path`` holds the root path on Starlette 0.33+ (the ASGI path is the full one), so a view
comparing ``request.path`` with a route, or building on it, saw ``/prefix/page``; ``url_for`` left the prefix out.
The same in templates."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

APP = """\
from flask import Flask, render_template_string, request, url_for

app = Flask(__name__)


@app.route("/page/<int:n>")
def page(n):
    return {
        "path": request.path,
        "full_path": request.full_path,
        "root": request.script_root,
        "url": request.url,
        "base_url": request.base_url,
        "other": url_for("other", x=n),
        "external": url_for("other", _external=True),
        "static": url_for("static", filename="a.css"),
    }


@app.route("/other")
def other():
    return {"path": request.path}


@app.route("/shown")
def shown():
    return render_template_string(
        "{{ request.path }} {{ request.full_path }} {{ request.script_root }} {{ url_for('other') }}"
    )
"""


def test_request_paths_and_url_for_under_a_script_root(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "rootedapp.py").write_text(APP)
    flask_app = load(tmp_path / "src", "rootedapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "rootedapp")
    under = {"base_url": "http://localhost/prefix/"}
    requests = [
        ("GET", "/page/3", under),
        ("GET", "/page/3?q=1", under),
        ("GET", "/other", under),
        ("GET", "/shown?a=b", under),
        ("GET", "/page/3", {}),
    ]
    assert_same(flask_app, fastapi_app, requests)
