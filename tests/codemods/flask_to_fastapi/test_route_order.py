"""Routes are matched in Werkzeug's order, not in the order they were registered.

Werkzeug matches by specificity (a static part before a converter, ``int`` before a string, a ``path:``
catch-all last) whatever the registration order; Starlette matches in registration order. A pages blueprint
with ``/<path:route>`` registered before the auth blueprint's ``/login`` answered every later GET from the
catch-all on FastAPI (a 404 from its page lookup, silently); ``/users/<name>/posts`` answered ``/users/3/posts``
before ``/users/<int:user_id>/posts`` (a string's converter taken for a ``path``). The converted app sorts its
routes once, at startup, and only when an earlier route would shadow a more specific later one; otherwise they
stay as built.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from codemod_helpers import write_tree
from side_by_side import assert_same, convert_tree, load
from starlette.testclient import TestClient
from test_rest_extensions import STAND_IN

from codemods import runner

PAGES = """\
from flask import Blueprint, abort

pages = Blueprint('pages', __name__)


@pages.route('/<path:route>')
def page(route):
    if route in ('about', 'docs/intro'):
        return 'page ' + route
    abort(404)
"""
AUTH = """\
from flask import Blueprint, url_for

auth = Blueprint('auth', __name__)


@auth.route('/login', methods=['GET', 'POST'])
def login():
    return 'login form'


@auth.route('/users/<name>')
def user_by_name(name):
    return 'user named ' + name


@auth.route('/users/<int:user_id>')
def user(user_id):
    return 'user number %d' % user_id


@auth.route('/users/<name>/posts')
def posts_by_name(name):
    return 'posts of user named ' + name


@auth.route('/users/<int:user_id>/posts')
def posts(user_id):
    return 'posts of user number %d' % user_id


@auth.route('/users/me')
def me():
    return 'me at ' + url_for('auth.user', user_id=7)
"""
ADMIN = """\
from flask import Blueprint

admin = Blueprint('admin', __name__)
reports = Blueprint('reports', __name__)


@reports.route('/<path:name>')
def report(name):
    return 'report ' + name


admin.register_blueprint(reports, url_prefix='/reports')


@admin.route('/reports/summary')
def summary():
    return 'summary'


@admin.route('/')
def index():
    return 'admin index'


@admin.route('/<int:item>')
def item(item):
    return 'admin item %d' % item
"""
APP = """\
from flask import Flask


def create_app():
    app = Flask(__name__)
    from .pages import pages
    from .auth import auth
    from .admin import admin

    app.register_blueprint(pages)
    app.register_blueprint(auth)
    app.register_blueprint(admin, url_prefix='/admin')

    @app.route('/health')
    def health():
        return 'ok'

    return app
"""
PLAIN = """\
from flask import Blueprint

plain = Blueprint('plain', __name__)


@plain.route('/')
def index():
    return 'index'


@plain.route('/<int:item>')
def item(item):
    return 'item %d' % item


@plain.route('/<int:item>/<name>')
def named(item, name):
    return 'item %d named %s' % (item, name)
"""
QUIET_APP = """\
from flask import Flask


def create_app():
    app = Flask(__name__)
    from .pages import pages
    from .plain import plain

    app.register_blueprint(plain)
    app.register_blueprint(pages, url_prefix='/pages')
    return app
"""


def _package(root, app_source):
    package = root / "src" / "cms"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(app_source)
    (package / "pages.py").write_text(PAGES)
    (package / "auth.py").write_text(AUTH)
    (package / "admin.py").write_text(ADMIN)
    (package / "plain.py").write_text(PLAIN)
    convert_tree(root / "src", root / "out")
    return root


@pytest.fixture
def apps(tmp_path):
    root = _package(tmp_path, APP)
    try:
        yield load(root / "src", "cms", "create_app"), load(root / "out", "cms", "create_app")
    finally:
        for name in [n for n in sys.modules if n == "cms" or n.startswith("cms.")]:
            del sys.modules[name]


def test_a_catch_all_registered_first_gives_way_to_later_static_routes(apps):
    flask_app, fastapi_app = apps
    client = TestClient(fastapi_app)
    assert (client.get("/login").status_code, client.get("/login").text) == (200, "login form")
    assert client.get("/admin/").text == "admin index"
    assert client.get("/health").text == "ok"


def test_converters_are_tried_by_weight_and_the_catch_all_last(apps):
    flask_app, fastapi_app = apps
    client = TestClient(fastapi_app)
    assert client.get("/users/3").text == "user number 3"  # int before string, whatever the order
    assert client.get("/users/3/posts").text == "posts of user number 3"  # a part of the path alone, not the rest
    assert client.get("/users/ann/posts").text == "posts of user named ann"
    assert client.get("/users/me").text == "me at /users/7"  # static before both
    assert client.get("/admin/5").text == "admin item 5"


def test_a_nested_blueprints_catch_all_gives_way_too(apps):
    flask_app, fastapi_app = apps
    client = TestClient(fastapi_app)
    assert client.get("/admin/reports/summary").text == "summary"
    assert client.get("/admin/reports/2024/q1").text == "report 2024/q1"


def test_the_converted_app_answers_as_flask(apps):
    flask_app, fastapi_app = apps
    requests = ["/login", "/users/3", "/users/ann", "/users/me", "/admin/", "/admin/5", "/admin/x"]
    requests += ["/users/3/posts", "/users/ann/posts"]
    requests += ["/about", "/docs/intro", "/nothing", "/health", "/admin/reports/summary", "/admin/reports/a/b"]
    assert_same(flask_app, fastapi_app, [("GET", path) for path in requests] + [("POST", "/login")])


def test_routes_without_a_conflict_stay_as_built(tmp_path):
    """No route shadows a more specific one: the router's list is left alone (same objects, same order)."""
    root = _package(tmp_path, QUIET_APP)
    try:
        fastapi_app = load(root / "out", "cms", "create_app")
        before = list(fastapi_app.router.routes)
        client = TestClient(fastapi_app)
        assert client.get("/pages/about").text == "page about"
        assert client.get("/5").text == "item 5"
        assert client.get("/5/x").text == "item 5 named x"
        assert fastapi_app.router.routes == before
        assert all(a is b for a, b in zip(fastapi_app.router.routes, before, strict=True))
    finally:
        for name in [n for n in sys.modules if n == "cms" or n.startswith("cms.")]:
            del sys.modules[name]


HOSTED = {
    "flask_restful.py": STAND_IN,
    "portal/__init__.py": textwrap.dedent(
        """\
        from flask import Flask

        from .api import api_bp
        from .pages import pages


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(pages)
            app.register_blueprint(api_bp, url_prefix="/api")
            return app
        """
    ),
    "portal/pages.py": PAGES,
    "portal/api.py": textwrap.dedent(
        """\
        from flask import Blueprint
        from flask_restful import Api, Resource

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)


        class Item(Resource):
            def get(self, item_id):
                return {"item": item_id}

            def post(self, item_id):
                return {"posted": item_id}, 201


        api.add_resource(Item, "/items/<int:item_id>")
        """
    ),
}
HOSTED_CHECK = """
from fastapi.testclient import TestClient

import portal

app = portal.create_app()
client = TestClient(app, raise_server_exceptions=False)
got = client.get("/api/items/3")
assert (got.status_code, got.json()) == (200, {"item": 3}), (got.status_code, got.text)
got = client.post("/api/items/4")
assert (got.status_code, got.json()) == (201, {"posted": 4}), (got.status_code, got.text)
assert client.get("/about").text == "page about"
assert client.get("/api/nothing").status_code == 404
print("ok")
"""


def test_a_catch_all_gives_way_to_the_rules_of_a_rest_api_kept_on_flask(tmp_path):
    """A Resource hosted on Flask answers what no FastAPI route takes: the catch-all took its GETs (404) and
    its POSTs (405, the catch-all's method not allowed) before the host was asked."""
    write_tree(tmp_path, HOSTED)
    result = runner.run("flask-to-fastapi", [tmp_path / "portal"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", HOSTED_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


HOSTED_POST_ONLY = {
    **HOSTED,
    "portal/api.py": textwrap.dedent(
        """\
        from flask import Blueprint
        from flask_restful import Api, Resource

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)


        class Message(Resource):
            def post(self):
                return {"sent": True}, 201


        api.add_resource(Message, "/messages")
        """
    ),
}
HOSTED_POST_ONLY_CHECK = """
from fastapi.testclient import TestClient

import portal

app = portal.create_app()
client = TestClient(app, raise_server_exceptions=False)
got = client.post("/api/messages")
assert got.status_code == 201, (got.status_code, got.text)
assert got.json() == {"sent": True}
assert client.get("/api/messages").status_code == 404  # the catch-all, as Werkzeug finds it for a GET
assert client.get("/about").text == "page about"
assert client.post("/about").status_code == 405
print("ok")
"""


def test_a_catch_all_for_other_methods_gives_way_to_a_rest_api_kept_on_flask(tmp_path):
    """A Resource with only ``post`` behind a GET catch-all: Werkzeug finds the rule that takes the method; Starlette
    stops at the catch-all's path (a 405, its method not allowed) and never asks the host, whatever its methods."""
    write_tree(tmp_path, HOSTED_POST_ONLY)
    result = runner.run("flask-to-fastapi", [tmp_path / "portal"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", HOSTED_POST_ONLY_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
