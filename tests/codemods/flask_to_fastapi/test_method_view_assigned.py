"""``view = Cls.as_view("name")`` at module level, then ``bp.add_url_rule(rule, view_func=view)`` (Flask's docs'
way for MethodViews): the assignment makes the class's instance and each rule routes its methods; the assignment
kept ``Cls.as_view``, which the converted class no longer has (AttributeError at import). A class taking as_view's
arguments is made per request as Flask's was (``view_class``: test_method_view_per_request)."""

from __future__ import annotations

import textwrap

from codemod_helpers import check_transformed
from side_by_side import assert_same, convert_tree, load

from codemods.flask_to_fastapi import CODEMOD

SOURCE = textwrap.dedent("""\
    from flask import Blueprint, Flask, request
    from flask.views import MethodView

    app = Flask(__name__)
    items = Blueprint("items", __name__)
    STORE = {}


    class ItemAPI(MethodView):
        def __init__(self, kind):
            self.kind = kind

        def get(self, name):
            return {"kind": self.kind, "name": name, "value": STORE.get(name)}

        def put(self, name):
            STORE[name] = request.get_json()["value"]
            return {"stored": name}, 201


    class PingAPI(MethodView):
        def get(self):
            return "pong"


    item_view = ItemAPI.as_view("item_api", "thing")
    ping_view = PingAPI.as_view("ping_api")

    items.add_url_rule("/items/<name>", view_func=item_view, methods=["GET", "PUT"])
    items.add_url_rule("/things/<name>", view_func=item_view, methods=["GET"])
    app.add_url_rule("/ping", "ping", ping_view)
    app.register_blueprint(items, url_prefix="/api")
""")


def test_the_assignment_makes_the_instance_each_rule_routes():
    check_transformed(
        CODEMOD,
        SOURCE,
        """\
        from typing import Annotated, Any
        from fastapi import APIRouter, Body, FastAPI, Request
        from fastapi.responses import HTMLResponse
        # TODO(asyncshift): _flask_compat/ (written with the converted code) keeps Flask's idioms on FastAPI; end state: request.url_for, Jinja2Templates.TemplateResponse, Depends() and request.state
        from _flask_compat import JSONResponse, MethodView, flask_json, init_app, view_class

        app = FastAPI()
        init_app(app, __name__)
        items = APIRouter(tags=["items"])
        STORE = {}


        class ItemAPI(MethodView):
            def __init__(self, kind):
                self.kind = kind

            def get(self, name: str):
                return JSONResponse({"kind": self.kind, "name": name, "value": STORE.get(name)})

            async def put(self, request: Request, name: str, payload: Annotated[Any, Body()] = None):
                STORE[name] = flask_json(request, payload)["value"]
                return JSONResponse({"stored": name}, status_code=201)


        class PingAPI(MethodView):
            async def get(self):
                return HTMLResponse("pong")


        item_view = view_class(ItemAPI, "item_api", "thing")
        ping_view = PingAPI()

        items.add_api_route("/items/{name}", item_view.endpoint("get"), methods=["GET"], name="items.item_api")
        items.add_api_route("/items/{name}", item_view.endpoint("put"), methods=["PUT"], name="items.item_api")
        items.add_api_route("/things/{name}", item_view.endpoint("get"), methods=["GET"], name="items.item_api")
        app.add_api_route("/ping", ping_view.get, methods=["GET"], name="ping_api")
        app.include_router(items, prefix="/api")
        """,  # noqa: E501
    )


def test_the_assigned_views_answer_as_flasks(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "assignedviews.py").write_text(SOURCE)
    flask_app = load(tmp_path / "src", "assignedviews")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "assignedviews")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/ping"),
            ("PUT", "/api/items/a", {"json": {"value": 3}}),
            ("GET", "/api/items/a"),
            ("GET", "/api/things/a"),
        ],
    )
