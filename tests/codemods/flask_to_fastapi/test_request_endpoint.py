"""``request.endpoint`` and ``request.blueprint`` in a ``before_app_request`` hook and in views.

Flask matched the URL before its hooks ran; Starlette routes after the helper's middleware runs them, so
``request.scope['route']`` raised KeyError in the hook (every page 500 once a user logged in: flasky's
"unconfirmed" check), and ``request.blueprint`` had no twin at all. A hook reading only these must import the
helpers that answer them.
"""

from __future__ import annotations

import textwrap

from side_by_side import assert_same, convert_tree, load

PACKAGE = {
    "__init__.py": """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from .auth import auth
            from .main import main
            app.register_blueprint(auth, url_prefix="/auth")
            app.register_blueprint(main)
            return app
    """,
    "auth.py": """\
        from flask import Blueprint, redirect, request, url_for

        auth = Blueprint("auth", __name__)


        @auth.before_app_request
        def before_request():
            if request.endpoint and request.blueprint != "auth" and request.endpoint != "static" \\
                    and request.args.get("guest"):
                return redirect(url_for("auth.unconfirmed"))


        @auth.route("/unconfirmed")
        def unconfirmed():
            return "please confirm"
    """,
    "main.py": """\
        from flask import Blueprint, request

        main = Blueprint("main", __name__)


        @main.route("/")
        def index():
            return "%s %s" % (request.endpoint, request.blueprint)
    """,
}


def test_endpoint_and_blueprint_answer_as_flasks(tmp_path):
    source = tmp_path / "src" / "endpointsapp"
    source.mkdir(parents=True)
    for name, text in PACKAGE.items():
        (source / name).write_text(textwrap.dedent(text))
    flask_app = load(tmp_path / "src", "endpointsapp", "create_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "endpointsapp", "create_app")
    paths = ["/", "/?guest=1", "/auth/unconfirmed", "/auth/unconfirmed?guest=1", "/nowhere?guest=1"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in paths])
