"""An extension's view reads the request it serves, not the request context a test pushed.

A test suite's fixture pushes ``app.test_request_context()`` (path ``/``, no headers) and keeps it while the test
client asks the app. Flask's test client pushes each request's own context on top of it, so a view an extension
registered (a REST extension's ``MethodView`` under a token decorator reading ``flask.request.headers``, as
Flask-JWT-Extended's ``jwt_required`` does) read the request it served. The converted app called that view in the
context already pushed, the test's: the decorator found no token (a 401 for every request that sent one). The same
for what the app keeps on the request context (``request_ctx.thing``): each served request had its own, not the test's,
and for a ``get_json`` the test set on its own request (``monkeypatch.setattr(flask.request, "get_json", ...)``).
"""

from __future__ import annotations

import textwrap

import flask
from side_by_side import assert_same, convert_tree, load
from test_request_context_storage import APP, CACHE

# a token decorator and a REST extension registering its MethodView (as flask-rest-jsonapi's Api.route does)
EXTENSION = textwrap.dedent("""\
    import functools
    import json

    from flask import make_response, request
    from flask.views import MethodView


    def token_required(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            token = request.headers.get("Authorization", "")
            if not token.startswith("Bearer "):
                return make_response(json.dumps({"msg": "Missing Authorization Header"}), 401)
            return fn(*args, **kwargs)

        return wrapper


    class Resource(MethodView):
        def dispatch_request(self, *args, **kwargs):
            data = super().dispatch_request(*args, **kwargs)
            body = json.dumps({"data": data, "path": request.path, "method": request.method})
            return make_response(body, 200, {"Content-Type": "application/json"})


    class Api:
        def __init__(self, app):
            self.app = app

        def route(self, resource, view, *urls):
            for url in urls:
                self.app.add_url_rule(url, view_func=resource.as_view(view))
""")

TREE = {
    "shop/__init__.py": textwrap.dedent("""\
        from flask import Flask
        from flask_faketokens import Api

        from shop.resources import Item, ItemList


        def create_app():
            app = Flask(__name__)
            api = Api(app)
            api.route(ItemList, "item_list", "/items")
            api.route(Item, "item", "/items/<int:item_id>")
            return app
    """),
    "shop/resources.py": textwrap.dedent("""\
        from flask import request
        from flask_faketokens import Resource, token_required

        ITEMS = {1: "lamp", 2: "chair"}


        class ItemList(Resource):
            decorators = (token_required,)

            def get(self):
                return {"names": sorted(ITEMS.values()), "token": request.headers["Authorization"][7:]}


        class Item(Resource):
            def get(self, item_id):
                return {"name": ITEMS.get(item_id), "agent": request.headers.get("X-Agent")}
    """),
}

REQUESTS = [
    ("GET", "/items", {"headers": {"Authorization": "Bearer abc"}}),
    ("GET", "/items"),
    ("GET", "/items/2", {"headers": {"X-Agent": "probe"}}),
    ("GET", "/items/1"),
]


def _apps(tmp_path, monkeypatch):
    for root, files in ((tmp_path / "site", {"flask_faketokens.py": EXTENSION}), (tmp_path / "src", TREE)):
        for relative, text in files.items():
            (root / relative).parent.mkdir(parents=True, exist_ok=True)
            (root / relative).write_text(text)
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    convert_tree(tmp_path / "src", tmp_path / "out")
    return load(tmp_path / "src", "shop", "create_app"), load(tmp_path / "out", "shop", "create_app")


def test_the_view_reads_the_served_request_under_a_pushed_test_context(tmp_path, monkeypatch):
    flask_app, fastapi_app = _apps(tmp_path, monkeypatch)
    with flask_app.test_request_context(), fastapi_app.test_request_context():  # a fixture's, kept by the test
        assert_same(flask_app, fastapi_app, REQUESTS)


def test_the_view_reads_the_served_request_with_nothing_pushed(tmp_path, monkeypatch):
    flask_app, fastapi_app = _apps(tmp_path, monkeypatch)
    assert_same(flask_app, fastapi_app, REQUESTS)


def test_a_value_kept_on_the_request_context_lasts_one_served_request_under_a_test_context(tmp_path):
    package = tmp_path / "src" / "ctxkept"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "cache.py").write_text(CACHE)
    (package / "app.py").write_text(APP.replace("ctxstore", "ctxkept"))
    flask_app = load(tmp_path / "src", "ctxkept.app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "ctxkept.app")
    with flask_app.test_request_context(), fastapi_app.test_request_context():
        assert_same(flask_app, fastapi_app, [("GET", "/things/7"), ("GET", "/things/8"), ("GET", "/outside")])


def test_a_get_json_the_test_set_on_its_request_is_not_the_served_requests(tmp_path, monkeypatch):
    package = tmp_path / "src" / "echoer"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        "def sent():\n    return request.get_json()\n\n\n"
        '@app.route("/echo", methods=["POST"])\ndef echo():\n    return {"got": sent()}\n'
    )
    flask_app = load(tmp_path / "src", "echoer")
    convert_tree(tmp_path / "src", tmp_path / "out")
    fastapi_app = load(tmp_path / "out", "echoer")
    with flask_app.test_request_context(json={"mine": 1}):
        monkeypatch.setattr(flask.request._get_current_object(), "get_json", lambda: {"patched": True})
        with fastapi_app.test_request_context(json={"mine": 1}):
            monkeypatch.setattr(flask.request._get_current_object(), "get_json", lambda: {"patched": True})
            assert_same(flask_app, fastapi_app, [("POST", "/echo", {"json": {"sent": 2}})])
