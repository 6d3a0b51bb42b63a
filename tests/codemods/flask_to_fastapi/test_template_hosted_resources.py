"""REST Resources kept on Flask (``flask_hosted``), as their own tests use them: ``flask.url_for('api.item', ...)``
in a pushed request context (the tests' URL twin named the FastAPI routes only: BuildError), a missing row
through ``Model.query.get_or_404`` (the helper's FastAPI ``HTTPException`` was unknown to the hosted Flask app:
500 instead of 404), and an error the blueprint's own handler answers (``@bp.errorhandler(Invalid)``, converted
for the router's FastAPI routes only: 500). The stand-in ``flask_restful`` of ``test_rest_extensions`` keeps the
test offline."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree
from test_rest_extensions import STAND_IN

from codemods import runner

FILES = {
    "flask_restful.py": STAND_IN,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask

        from .api import api_bp
        from .models import db


        def create_app():
            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
            db.init_app(app)
            app.register_blueprint(api_bp, url_prefix="/api")
            with app.app_context():
                db.create_all()
            return app
        """
    ),
    "pkg/models.py": textwrap.dedent(
        """\
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class Item(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(20))
        """
    ),
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint, jsonify
        from flask_restful import Api

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)


        class Invalid(Exception):
            pass


        @api_bp.errorhandler(Invalid)
        def invalid(error):
            return jsonify(msg=str(error)), 400


        from . import resources  # noqa
        """
    ),
    "pkg/api/resources.py": textwrap.dedent(
        """\
        from flask_restful import Resource

        from ..models import Item
        from . import Invalid, api


        class Item_(Resource):
            def get(self, item_id):
                return {"name": Item.query.get_or_404(item_id).name}

            def post(self, item_id):
                raise Invalid("bad item")


        api.add_resource(Item_, "/items/<int:item_id>")
        """
    ),
}
CHECK = """
import flask
from fastapi.testclient import TestClient

import pkg
from pkg.models import Item, db

app = pkg.create_app()
with app.test_request_context():
    url = flask.url_for("api.item_", item_id=1)
assert url == "/api/items/1", url
with app.app_context():
    db.session.add(Item(id=1, name="one"))
    db.session.commit()
client = TestClient(app, raise_server_exceptions=False)
got = client.get(url)
assert got.status_code == 200 and got.json() == {"name": "one"}, (got.status_code, got.text)
got = client.get("/api/items/2")
assert got.status_code == 404 and "Not Found" in got.text, (got.status_code, got.text)
got = client.post(url)
assert got.status_code == 400 and got.json() == {"msg": "bad item"}, (got.status_code, got.text)
print("ok")
"""


def test_a_hosted_resources_url_and_missing_row_answer_as_on_flask(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


SUBCLASSED = {
    **FILES,
    "pkg/api/rest.py": textwrap.dedent(  # a REST module: kept on Flask, its jsonify Flask's
        """\
        from flask import jsonify
        from flask_restful import Api as BaseApi


        class Invalid(Exception):
            pass


        class Api(BaseApi):  # the project's own Api: its init_app uses the app as Flask's
            def init_app(self, app):
                self.app_seen = app
                super().init_app(app)
                app.errorhandler(Invalid)(lambda error: (jsonify(msg=str(error)), 400))
        """
    ),
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint

        from .rest import Api, Invalid  # noqa: F401

        api_bp = Blueprint("api", __name__)
        api = Api()

        from . import resources  # noqa

        api.init_app(api_bp)  # given the blueprint later: the APIRouter, once converted
        """
    ),
}
SUBCLASSED_CHECK = """
from fastapi.testclient import TestClient

import pkg
from pkg.api import api

app = pkg.create_app()  # the subclass's init_app ran on the Flask twin: no AttributeError
assert type(api.app_seen).__name__ == "Blueprint", type(api.app_seen)
got = TestClient(app, raise_server_exceptions=False).post("/api/items/1")
assert got.status_code == 400 and got.json() == {"msg": "bad item"}, (got.status_code, got.text)
print("ok")
"""


def test_a_projects_api_subclass_gets_the_flask_twin_in_its_own_init_app(tmp_path):
    write_tree(tmp_path, SUBCLASSED)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", SUBCLASSED_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


TWO_ROOTS = {
    **FILES,
    "restlib/__init__.py": "",
    "restlib/api.py": "from flask_restful import Api as BaseApi\n\n\nclass Api(BaseApi):\n    pass\n",
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint

        from restlib.api import Api

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)


        class Invalid(Exception):
            pass


        from . import resources  # noqa
        """
    ),
}
TWO_ROOTS_CHECK = """
from fastapi.testclient import TestClient

import pkg
from pkg.models import Item, db

app = pkg.create_app()
with app.app_context():
    db.session.add(Item(id=1, name="one"))
    db.session.commit()
got = TestClient(app, raise_server_exceptions=False).get("/api/items/1")
assert got.status_code == 200 and got.json() == {"name": "one"}, (got.status_code, got.text)
print("ok")
"""


def test_an_api_hosted_by_another_roots_copy_of_the_helper_is_served(tmp_path):
    # the app and the project's own REST library converted by two runs: each has its copy of the helper, and the
    # router's Flask twin made by one is found by the other's (404 for every Resource before)
    write_tree(tmp_path, TWO_ROOTS)
    for root in ("pkg", "restlib"):
        assert runner.run("flask-to-fastapi", [tmp_path / root]).count("failed") == 0
    assert (tmp_path / "pkg/_flask_compat").is_dir() and (tmp_path / "restlib/_flask_compat").is_dir()
    done = subprocess.run(
        [sys.executable, "-c", TWO_ROOTS_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


ROUTED = {
    **FILES,
    "pkg/pages.py": 'from flask import Blueprint\n\npages = Blueprint("pages", __name__, url_prefix="/pages")\n',
    "pkg/api/rest.py": textwrap.dedent(  # a REST module: kept on Flask
        """\
        from flask import Blueprint
        from flask_restful import Api as BaseApi


        class Api(BaseApi):  # the project's own Api: a method of its own taking a blueprint for its prefix
            def on(self, *args):
                url = args[0]
                if isinstance(args[0], Blueprint):
                    url = f"{args[0].url_prefix or ''}{args[1]}"

                def decorator(cls):
                    self.add_resource(cls, url)
                    return cls

                return decorator
        """
    ),
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint

        from .rest import Api

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)

        from . import resources  # noqa
        """
    ),
    "pkg/api/resources.py": textwrap.dedent(
        """\
        from flask_restful import Resource

        from ..pages import pages
        from . import api


        @api.on(pages, "/items/<int:item_id>")
        class Item_(Resource):
            def get(self, item_id):
                return {"id": item_id}
        """
    ),
}
ROUTED_CHECK = """
from fastapi.testclient import TestClient

import pkg

got = TestClient(pkg.create_app(), raise_server_exceptions=False).get("/api/pages/items/3")
assert got.status_code == 200 and got.json() == {"id": 3}, (got.status_code, got.text)
print("ok")
"""


def test_a_projects_api_subclass_gets_the_flask_twin_of_a_router_in_any_method_of_its_own(tmp_path):
    """``@api.on(pages, "/items/<id>")``, its own method reading a blueprint's ``url_prefix``: it got the converted
    APIRouter (not a Blueprint: the router taken as the URL, TypeError at import); it gets the router's twin."""
    write_tree(tmp_path, ROUTED)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", ROUTED_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


VIEWS_ON_API = {
    **FILES,
    "pkg/pages.py": 'from flask import Blueprint\n\npages = Blueprint("pages", __name__, url_prefix="/pages")\n',
    "pkg/api/rest.py": textwrap.dedent(  # a REST module: kept on Flask
        """\
        from flask import Blueprint
        from flask_restful import Api as BaseApi


        class Api(BaseApi):  # the project's own Api: plain view functions too, on a blueprint's prefix
            def route(self, *args, **kwargs):
                url = args[0]
                if isinstance(args[0], Blueprint):
                    url = f"{args[0].url_prefix or ''}{args[1]}"

                def decorator(fn):
                    self.blueprint.add_url_rule(url, fn.__name__, fn, **kwargs)
                    return fn

                return decorator
        """
    ),
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint

        from .rest import Api

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)

        from . import views  # noqa
        """
    ),
    "pkg/api/views.py": textwrap.dedent(
        """\
        from flask import jsonify, request

        from ..pages import pages
        from . import api


        @api.route(pages, "/echo", methods=["POST"])
        def echo():
            return jsonify(got=request.get_json()["x"], path=request.path)
        """
    ),
}
VIEWS_ON_API_CHECK = """
from fastapi.testclient import TestClient

import pkg

got = TestClient(pkg.create_app(), raise_server_exceptions=False).post("/api/pages/echo", json={"x": 7})
assert got.status_code == 200 and got.json() == {"got": 7, "path": "/api/pages/echo"}, (got.status_code, got.text)
print("ok")
"""


def test_views_a_projects_api_registers_stay_on_flask(tmp_path):
    """``@api.route(pages, "/echo", methods=["POST"])``, ``api`` the project's Flask-RESTful ``Api``: the view is
    registered by the Api on the Flask app hosting it, so its module stays on Flask (it was converted as a
    FastAPI view of a router ``api``: ``api.post(pages)``, AttributeError at import)."""
    write_tree(tmp_path, VIEWS_ON_API)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    assert "this module runs on Flask" in (tmp_path / "pkg" / "api" / "views.py").read_text()
    done = subprocess.run(
        [sys.executable, "-c", VIEWS_ON_API_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


MIXED_VIEWS_CHECK = """
from fastapi.testclient import TestClient

import pkg

got = TestClient(pkg.create_app(), raise_server_exceptions=False).post("/pages/echo", json={"x": 7})
assert got.status_code == 200 and got.json()["got"] == 7, (got.status_code, got.text)
print("ok")
"""


def test_a_converted_view_a_projects_api_registers_too_keeps_that_decorator_with_a_todo(tmp_path):
    """The same view also on a blueprint of the app (``@pages.route`` over ``@api.route(pages, ...)``): the module is
    converted, the Api's decorator kept as it is, with a TODO (it became ``api.post(pages)``: AttributeError)."""
    files = dict(VIEWS_ON_API)
    files["pkg/__init__.py"] = (
        files["pkg/__init__.py"]
        .replace("from .models import db\n", "from .models import db\nfrom .pages import pages\n")
        .replace(
            '    app.register_blueprint(api_bp, url_prefix="/api")\n',
            '    app.register_blueprint(api_bp, url_prefix="/api")\n    app.register_blueprint(pages)\n',
        )
    )
    files["pkg/api/views.py"] = files["pkg/api/views.py"].replace(
        '@api.route(pages, "/echo", methods=["POST"])\n',
        '@pages.route("/echo", methods=["POST"])\n@api.route(pages, "/echo", methods=["POST"])\n',
    )
    write_tree(tmp_path, files)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    views = (tmp_path / "pkg" / "api" / "views.py").read_text()
    assert "TODO(asyncshift): `api.route` registers this view" in views
    assert '\n@api.route(pages, "/echo", methods=["POST"])\n' in views
    done = subprocess.run(
        [sys.executable, "-c", MIXED_VIEWS_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
