"""``register_blueprint(bp, cli_group=None)`` (Flask 1.1+: where the blueprint's commands go) has no
``include_router`` twin: it is left out with a TODO, as ``subdomain=``; kept, FastAPI's ``include_router``
raised TypeError when the app factory ran."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD

HELPER = "# TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state"  # noqa: E501


def test_cli_group_is_left_out_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, Blueprint

        app = Flask(__name__)
        cli = Blueprint("cli", __name__)
        app.register_blueprint(cli, cli_group=None)
        """,
        f"""\
        from fastapi import APIRouter, FastAPI
        {HELPER}
        from _flask_compat import init_app

        app = FastAPI()
        init_app(app, __name__)
        cli = APIRouter(tags=["cli"])
        app.include_router(cli)  # TODO(asyncshift): register_blueprint(cli_group=...) has no include_router twin
        """,
    )
