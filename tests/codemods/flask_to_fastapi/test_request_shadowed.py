"""A function's own ``request`` (a model it loads, a loop variable) hides Flask's: Python makes the name local to the
whole function, so nothing read through it is Flask's request, and the request the conversion hands on (to
``render_template``, as ``g``'s ``request.state``) takes another name there (``shadowing``)."""

from __future__ import annotations

from codemod_helpers import check_transformed

from codemods.flask_to_fastapi import CODEMOD


def test_a_helper_with_its_own_request_hands_render_template_the_helpers_proxy():
    """``render_template(...)`` takes the request first: here ``request`` is the relation the helper loaded, so the
    helper's request proxy comes in as ``request_helper`` (it handed the model to the template's request)."""
    check_transformed(
        CODEMOD,
        """\
        from flask import render_template


        class Relation:
            mentor_id = 1

            @classmethod
            def find_by_id(cls, relation_id):
                return cls()


        def accepted_mail(relation_id):
            request = Relation.find_by_id(relation_id)
            return render_template("accepted.html", mentor=request.mentor_id)
        """,
        """\
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        try:
            from ._flask_compat import render_template, request as request_helper
        except ImportError:
            from _flask_compat import render_template, request as request_helper


        class Relation:
            mentor_id = 1

            @classmethod
            def find_by_id(cls, relation_id):
                return cls()


        def accepted_mail(relation_id):
            request = Relation.find_by_id(relation_id)
            return render_template(request_helper, "accepted.html", mentor=request.mentor_id)
        """,  # noqa: E501
    )


def test_a_view_with_its_own_request_keeps_it_and_takes_the_request_under_another_name():
    """Beside ``from flask import request``, a view's ``request = Relation.find(...)`` is the relation:
    ``request.remote_addr`` stays the relation's attribute and the view's ``Request`` parameter is ``http_request``
    (named ``request``, the local rebound it: the template got the relation as the request, ``g`` its state)."""
    check_transformed(
        CODEMOD,
        """\
        from flask import Flask, g, render_template, request

        app = Flask(__name__)


        class Relation:
            id = 1
            remote_addr = "relation"

            @classmethod
            def find(cls, relation_id):
                return cls()


        @app.route("/relations/<int:relation_id>")
        def show(relation_id):
            request = Relation.find(relation_id)
            return render_template("relation.html", request=request, user=g.user, addr=request.remote_addr)


        @app.route("/pages")
        def pages():
            return {"page": request.args.get("page")}
        """,
        """\
        from typing import Optional
        from fastapi import FastAPI, Request
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, init_app, render_template

        app = FastAPI()
        init_app(app, __name__)


        class Relation:
            id = 1
            remote_addr = "relation"

            @classmethod
            def find(cls, relation_id):
                return cls()


        @app.get("/relations/{relation_id:int}")
        def show(http_request: Request, relation_id: int):
            request = Relation.find(relation_id)
            return HTMLResponse(render_template(http_request, "relation.html", request=request, user=http_request.state.user, addr=request.remote_addr))


        @app.get("/pages")
        async def pages(page: Optional[str] = None):
            return JSONResponse({"page": page})
        """,  # noqa: E501
    )
