"""A converted blueprint handed to a Flask extension left on Flask, which registers its views on it.

A REST extension written against Flask's Blueprint (``api = Api(blueprint=bp)``; ``api.route(Resource, "name",
"/url")`` reads ``bp.name`` for its ``url_for`` endpoint and calls ``bp.add_url_rule(url, view_func=
Resource.as_view("name"))`` with a ``MethodView`` of its own, which reads ``flask.request``) was handed the
converted APIRouter: the app failed at import (AttributeError: 'APIRouter' object has no attribute 'name'). It now
gets ``flask_blueprint(bp, __name__)``, a Flask Blueprint whose rules are the router's routes, and answers as Flask
did: each method the view has, 405 for the others, its ``url_for`` links, its JSON body and the query string read,
and the request hooks it put on the blueprint run for the blueprint's requests, in Flask's request context.
Registered on the app by the extension itself (its ``init_app``), the router is included. Handed the app itself
(``Api(app)``), its ``app.add_url_rule`` on the app's Flask face routes every method of the view too (it routed GET
only: a POST answered 405).
"""

from __future__ import annotations

import ast
import textwrap

import pytest
from side_by_side import ask_both, assert_same, convert_tree, load

from codemods.base import TODO_MARKER

# what a REST extension does with the blueprint (as flask-rest-jsonapi's Api.route and Resource do)
EXTENSION = textwrap.dedent("""\
    import json

    from flask import make_response, request, url_for
    from flask.views import MethodView


    class Resource(MethodView):
        view = None

        def dispatch_request(self, *args, **kwargs):
            data = super().dispatch_request(*args, **kwargs)
            if data is None:
                return make_response(json.dumps({"errors": [{"status": "404"}]}), 404)
            links = {"self": url_for(self.view, **kwargs)}
            body = json.dumps({"data": data, "links": links, "method": request.method})
            return make_response(body, 200, {"Content-Type": "application/vnd.api+json"})


    class Api:
        def __init__(self, app=None, blueprint=None):
            self.app, self.blueprint, self.registry, self.seen = app, blueprint, [], []
            if blueprint is not None:  # request hooks of its own on the blueprint
                blueprint.before_request(self._see)
                blueprint.after_request(self._mark)

        def _see(self):
            self.seen.append(request.method + " " + request.path)

        def _mark(self, response):
            response.headers["X-Api-Seen"] = str(len(self.seen))
            return response

        def init_app(self, app):
            self.app = app
            if self.blueprint is not None:
                self.app.register_blueprint(self.blueprint)

        def route(self, resource, view, *urls, **options):
            resource.view = view
            view_func = resource.as_view(view)
            if self.blueprint is not None:
                resource.view = ".".join([self.blueprint.name, resource.view])
                for url in urls:
                    self.blueprint.add_url_rule(url, view_func=view_func, **options)
            else:
                for url in urls:
                    self.app.add_url_rule(url, view_func=view_func, **options)
            self.registry.append(resource)
""")

TREE = {
    "shop/__init__.py": textwrap.dedent("""\
        from flask import Flask
        from flask_fakejsonapi import Api


        def create_app():
            app = Flask(__name__)
            from shop.api import api_v1
            from shop import routes  # noqa: F401 - registers the resources
            from shop.routes import Status

            app.register_blueprint(api_v1)
            Api(app).route(Status, "status", "/status")
            return app
    """),
    "shop/api.py": textwrap.dedent("""\
        from flask import Blueprint
        from flask_fakejsonapi import Api

        api_v1 = Blueprint("v1", __name__, url_prefix="/v1")
        api = Api(blueprint=api_v1)
    """),
    "shop/routes.py": textwrap.dedent("""\
        from flask import request
        from flask_fakejsonapi import Resource

        from shop.api import api

        THINGS = {1: "lamp", 2: "chair"}


        class ThingList(Resource):
            def get(self):
                wanted = request.args.get("q", "")
                return {"names": sorted(n for n in THINGS.values() if wanted in n), "seen": api.seen}

            def post(self):
                key = max(THINGS) + 1
                THINGS[key] = request.get_json()["name"]
                return {"id": key}


        class ThingDetail(Resource):
            def get(self, thing_id):
                return THINGS.get(thing_id)


        class Status(Resource):
            def get(self):
                return {"things": len(THINGS)}

            def post(self):
                return {"checked": request.get_json()["what"]}


        api.route(ThingList, "thing_list", "/things")
        api.route(ThingDetail, "thing_detail", "/things/<int:thing_id>")
    """),
}


def _trees(tmp_path, monkeypatch):
    for root, files in ((tmp_path / "site", {"flask_fakejsonapi.py": EXTENSION}), (tmp_path / "src", TREE)):
        for relative, text in files.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    return tmp_path / "src", tmp_path / "out"


def test_the_extension_is_handed_a_flask_blueprint_with_a_todo(tmp_path, monkeypatch):
    _, out = _trees(tmp_path, monkeypatch)
    api = (out / "shop" / "api.py").read_text()
    ast.parse(api)
    assert "Api(blueprint=flask_blueprint(api_v1, __name__))" in api
    assert any(TODO_MARKER in line and "flask_blueprint" in line for line in api.splitlines())


@pytest.mark.parametrize("registered_by", ["the project", "the extension"])
def test_the_views_it_adds_on_the_blueprint_answer_as_flasks(tmp_path, monkeypatch, registered_by):
    """The project registers the blueprint (``app.register_blueprint(api_v1)``), or the extension does in its
    ``init_app`` (the Flask Blueprint it was handed, registered on the app's face: the router is included)."""
    if registered_by == "the extension":
        init = TREE["shop/__init__.py"].replace("app.register_blueprint(api_v1)", "api.init_app(app)")
        monkeypatch.setitem(TREE, "shop/__init__.py", init.replace("import api_v1", "import api, api_v1"))
    src, out = _trees(tmp_path, monkeypatch)
    flask_app = load(src, "shop", "create_app")
    fastapi_app = load(out, "shop", "create_app")
    answers = ask_both(flask_app, fastapi_app, [("GET", "/v1/things/1"), ("GET", "/status")])
    assert [a.headers.get("x-api-seen") for _, a, _ in answers] == ["1", None]  # the blueprint's hooks only
    assert [b.headers.get("x-api-seen") for _, _, b in answers] == ["1", None]
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/v1/things"),
            ("GET", "/v1/things?q=la"),
            ("POST", "/v1/things", {"json": {"name": "table"}}),
            ("GET", "/v1/things"),
            ("GET", "/v1/things/1"),
            ("GET", "/v1/things/9"),
            ("GET", "/v1/things/x"),
            ("DELETE", "/v1/things/1"),
            ("PATCH", "/v1/things"),
            ("GET", "/status"),
            ("POST", "/status", {"json": {"what": "stock"}}),
            ("PUT", "/status"),
        ],
    )
