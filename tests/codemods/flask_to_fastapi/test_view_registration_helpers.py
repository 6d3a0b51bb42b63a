"""Views and blueprints handed to code the conversion does not follow, inside an app factory's plugin hook.

A project's own registration helper (``register_view(bp, routes=[...], view_func=Cls.as_view("name", ...))``, whose
body calls ``bp_or_app.add_url_rule(route, view_func=view_func)``): the converted class had no ``as_view`` and the
router no ``add_url_rule`` (AttributeError when the factory ran, with no TODO). An extension's decorator applied to a
blueprint (Flask-Limiter's ``limiter.limit(...)(bp)`` and ``limiter.exempt(bp)``, which read ``obj.__name__`` of
what is not a Flask ``Blueprint``) given the converted router: AttributeError alike. Both now import and answer as
Flask did, with a TODO at each line.
"""

from __future__ import annotations

import ast
import textwrap

from side_by_side import assert_same, convert_tree, load

from codemods.base import TODO_MARKER

# a Flask extension as Flask-Limiter keys its state: by a Blueprint's name, else by the callable's module and name
EXTENSION = textwrap.dedent("""\
    from functools import wraps

    from flask import Blueprint


    class Limiter:
        def __init__(self):
            self.blueprint_limits, self.exempted, self.hits = {}, [], 0

        def limit(self, spec):
            def decorate(obj):
                if isinstance(obj, Blueprint):
                    self.blueprint_limits[obj.name] = spec
                else:
                    self.blueprint_limits["%s.%s" % (obj.__module__, obj.__name__)] = spec
                return obj

            return decorate

        def counted(self, view):  # a sync wrapper, as Flask-Limiter's: an async view under it gives a coroutine
            @wraps(view)
            def counting(*args, **kwargs):
                self.hits += 1
                return view(*args, **kwargs)

            return counting

        def exempt(self, obj):
            if isinstance(obj, Blueprint):
                self.exempted.append(obj.name)
            else:
                self.exempted.append("%s.%s" % (obj.__module__, obj.__name__))
            return obj
""")

TREE = {
    "board/__init__.py": textwrap.dedent("""\
        from flask import Flask


        def create_app():
            app = Flask(__name__)
            from board.views import load_blueprints

            load_blueprints(app)
            return app
    """),
    "board/extensions.py": "from flask_fakelimits import Limiter\n\nlimiter = Limiter()\n",
    "board/helpers.py": textwrap.dedent("""\
        from flask import url_for


        def register_view(bp_or_app, routes, view_func, *args, **kwargs):
            for route in routes:
                bp_or_app.add_url_rule(route, view_func=view_func, *args, **kwargs)


        def link(endpoint, **values):
            return url_for(endpoint, **values)
    """),
    "board/views.py": textwrap.dedent("""\
        from flask import Blueprint, jsonify, request, url_for
        from flask.views import MethodView

        from board.extensions import limiter
        from board.helpers import register_view

        TOPICS = {1: "welcome"}


        class Topics(MethodView):
            decorators = [limiter.counted]

            def __init__(self, store):
                self.store = store

            def get(self):
                return jsonify(topics=sorted(self.store.values()))

            def post(self):
                key = max(self.store) + 1
                self.store[key] = request.form["title"]
                return jsonify(created=key, url=url_for("board.topic", topic_id=key)), 201


        class Topic(MethodView):
            decorators = [limiter.exempt]

            def get(self, topic_id, slug=None):
                return jsonify(id=topic_id, title=TOPICS.get(topic_id), slug=slug)


        class Visits(MethodView):  # Flask makes the class for each request
            made = 0

            def __init__(self):
                Visits.made += 1

            def get(self):
                return jsonify(made=Visits.made)


        class Limits(MethodView):
            decorators = [limiter.counted]

            def get(self):
                return jsonify(limits=limiter.blueprint_limits, exempted=sorted(limiter.exempted), hits=limiter.hits)


        def load_blueprints(app):
            board = Blueprint("board", __name__)

            limiter.limit("100/minute")(board)
            limiter.exempt(board)

            register_view(board, routes=["/"], view_func=Topics.as_view("topics", store=TOPICS))
            register_view(
                board,
                routes=["/topic/<int:topic_id>", "/topic/<int:topic_id>-<slug>"],
                view_func=Topic.as_view("topic"),
            )
            register_view(board, routes=["/limits"], view_func=Limits.as_view("limits"))
            register_view(board, routes=["/visits"], view_func=Visits.as_view("visits"))
            app.register_blueprint(board, url_prefix="/board")
            register_view(app, routes=["/"], view_func=Limits.as_view("index"))
    """),
}


def _write(root, files):
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)


def _trees(tmp_path, monkeypatch):
    _write(tmp_path / "site", {"flask_fakelimits.py": EXTENSION})
    monkeypatch.syspath_prepend(str(tmp_path / "site"))
    _write(tmp_path / "src", TREE)
    convert_tree(tmp_path / "src", tmp_path / "out")
    return tmp_path / "src", tmp_path / "out"


def test_helper_registrations_and_blueprint_decorators_are_converted_with_todos(tmp_path, monkeypatch):
    _, out = _trees(tmp_path, monkeypatch)
    views = (out / "board" / "views.py").read_text()
    helpers = (out / "board" / "helpers.py").read_text()
    for text in (views, helpers):
        ast.parse(text)
    assert 'view_class(Topics, "topics", store=TOPICS)' in views
    assert "as_view" not in views
    assert "blueprint_decorated(limiter.limit(" in views and "blueprint_decorated(limiter.exempt, board" in views
    assert "url_rule(bp_or_app, route, view_func=view_func, *args, **kwargs)" in helpers
    assert sum(TODO_MARKER in line and "blueprint_decorated" in line for line in views.splitlines()) >= 1
    assert any(TODO_MARKER in line and "url_rule" in line for line in helpers.splitlines())


def test_helper_registered_views_answer_as_flasks(tmp_path, monkeypatch):
    src, out = _trees(tmp_path, monkeypatch)
    flask_app = load(src, "board", "create_app")
    fastapi_app = load(out, "board", "create_app")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("GET", "/board/"),
            ("POST", "/board/", {"data": {"title": "second"}}),
            ("GET", "/board/"),
            ("GET", "/board/topic/1"),
            ("GET", "/board/topic/1-hello"),
            ("GET", "/board/topic/x"),
            ("DELETE", "/board/topic/1"),
            ("GET", "/board/limits"),
            ("GET", "/board/visits"),
            ("GET", "/board/visits"),
            ("GET", "/"),
        ],
    )


def test_url_rule_routes_each_method_named_as_flasks_view(monkeypatch):
    """The helpers alone: each method of the class routed once under the blueprint's endpoint, wrapped in the class's
    decorators as a function named as Flask's ``as_view`` named it (an extension keys its state by that name), an
    async method under a sync wrapper (``return view(*a, **k)``, as Flask-Limiter's ``exempt``) awaited."""
    import functools
    import importlib
    import sys
    from pathlib import Path

    from fastapi import APIRouter, FastAPI
    from fastapi.testclient import TestClient

    import codemods.flask_to_fastapi as package

    monkeypatch.syspath_prepend(str(Path(package.__file__).with_name("template")))
    for name in [n for n in sys.modules if n == "_flask_compat" or n.startswith("_flask_compat.")]:
        monkeypatch.delitem(sys.modules, name)
    helpers = importlib.import_module("_flask_compat.view_registration")
    seen = []

    def sync_wrapper(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            seen.append(view.__name__)
            return view(*args, **kwargs)

        return wrapper

    class Item:
        decorators = [sync_wrapper]

        async def get(self, item_id: int):
            return {"id": item_id}

    router = APIRouter(tags=["items"])
    helpers.url_rule(router, "/items/<int:item_id>", view_func=helpers.view_class(Item, "item"))
    app = FastAPI()
    app.include_router(router)
    assert TestClient(app).get("/items/3").json() == {"id": 3}
    assert seen == ["item"]  # named as Flask's view: the endpoint
    assert [r.name for r in router.routes] == ["items.item"]
