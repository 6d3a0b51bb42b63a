"""Flask-HTTPAuth's HTTPBasicAuth comes from the helper with the same callbacks (Digest: test_httpauth_digest.py)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

BASIC = textwrap.dedent("""\
    from flask import Flask
    from flask_httpauth import HTTPBasicAuth

    app = Flask(__name__)
    auth = HTTPBasicAuth()


    @auth.verify_password
    def verify(username, password):
        return username if (username, password) == ("john", "hello") else None


    @auth.get_user_roles
    def roles(user):
        return ["admin"] if user == "john" else []


    @app.route("/private")
    @auth.login_required(role="admin")
    def private():
        return "hi " + auth.current_user()
""")


def test_httpauth_objects_come_from_the_helper_and_decorators_stay():
    check_transformed(
        CODEMOD,
        BASIC,
        """\
        from fastapi import FastAPI
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import HTTPBasicAuth, init_app

        app = FastAPI()
        init_app(app, __name__)
        auth = HTTPBasicAuth()


        @auth.verify_password
        def verify(username, password):
            return username if (username, password) == ("john", "hello") else None


        @auth.get_user_roles
        def roles(user):
            return ["admin"] if user == "john" else []


        @app.get("/private")
        @auth.login_required(role="admin")
        def private():
            return HTMLResponse("hi " + auth.current_user())
        """,  # noqa: E501
    )
    _, notes = CODEMOD.apply(BASIC)
    assert any("Flask-HTTPAuth" in m for m in notes.messages)


def test_basic_auth_answers_as_flask_httpauth_does(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "authapp.py").write_text(BASIC)
    flask_app = load(tmp_path / "src", "authapp")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "authapp")
    good = {"headers": {"Authorization": "Basic am9objpoZWxsbw=="}}
    bad = {"headers": {"Authorization": "Basic am9objpieWU="}}
    assert_same(flask_app, fastapi_app, [("GET", "/private", good), ("GET", "/private", bad), ("GET", "/private")])
