"""Flask-Login's own ``current_user``/``login_user`` in code left on Flask (a REST Resource on the hosted Flask app,
the old tests' ``login_user`` in ``app.test_request_context()``) read ``flask.current_app.login_manager``: the Flask
app standing for the converted one had none (AttributeError: 500 on every Resource reading the user, an error in
every test fixture logging a user in). It now finds a real Flask-Login manager with the app's loaders
(``hosted_login``). The stand-in ``flask_restful`` of ``test_rest_extensions`` keeps the test offline."""

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
        from .extensions import login_manager


        def create_app():
            app = Flask(__name__)
            app.config["SECRET_KEY"] = "s"
            login_manager.init_app(app)
            app.register_blueprint(api_bp, url_prefix="/api")
            return app
        """
    ),
    "pkg/extensions.py": textwrap.dedent(
        """\
        from flask_login import LoginManager, UserMixin

        login_manager = LoginManager()


        class User(UserMixin):
            def __init__(self, name):
                self.id = name


        @login_manager.request_loader
        def from_header(request):
            name = request.headers.get("X-User")
            return User(name) if name else None


        @login_manager.user_loader
        def load(user_id):
            return User(user_id)
        """
    ),
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint
        from flask_restful import Api

        api_bp = Blueprint("api", __name__)
        api = Api(api_bp)

        from . import resources  # noqa
        """
    ),
    "pkg/api/resources.py": textwrap.dedent(
        """\
        from flask_login import current_user
        from flask_restful import Resource

        from . import api


        class Me(Resource):
            def get(self):
                if not current_user.is_authenticated:
                    return {"user": None}
                return {"user": current_user.get_id()}


        api.add_resource(Me, "/me")
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient
from flask_login import current_user, login_user

import pkg
from pkg.extensions import User

app = pkg.create_app()
client = TestClient(app, raise_server_exceptions=False)
got = client.get("/api/me", headers={"X-User": "ann"})
assert got.status_code == 200 and got.json() == {"user": "ann"}, (got.status_code, got.text)
got = client.get("/api/me")
assert got.status_code == 200 and got.json() == {"user": None}, (got.status_code, got.text)
with app.test_request_context("/"):
    login_user(User("bob"))
    assert current_user.get_id() == "bob", current_user
print("ok")
"""


def test_flask_logins_own_functions_in_code_left_on_flask_find_the_apps_loaders(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


OWN_CONTEXT = {
    **FILES,
    "pkg/api/resources.py": textwrap.dedent(
        """\
        import flask
        from flask_restful import Resource

        from . import api


        class Me(Resource):
            def get(self):
                return {"blueprints": sorted(flask.current_app.blueprints)}


        api.add_resource(Me, "/me")
        """
    ),
}
OWN_CONTEXT_CHECK = """
from fastapi.testclient import TestClient

import pkg

app = pkg.create_app()
app.extensions["other"] = object()  # an extension's entry: the shadow app context is pushed per request
got = TestClient(app, raise_server_exceptions=False).get("/api/me")
assert got.status_code == 200 and got.json() == {"blueprints": ["api"]}, (got.status_code, got.text)
host, shadow = app.__dict__["flask_host"], app.__dict__["_flask_shadow"]
assert host == app and shadow == app and hash(host) == hash(app)  # to extensions, the app
assert host != shadow and not (shadow == host)  # to Flask before 2.2 (app_ctx.app != self.app), two apps
print("ok")
"""


def test_a_hosted_resource_runs_in_its_own_flask_apps_context_under_the_shadows(tmp_path):
    """Stand-ins for one app are not equal to each other: Flask pushed the host's own app context under the
    shadow's only when ``app_ctx.app != self.app`` (its config without Flask's defaults: KeyError 'JSON_AS_ASCII'
    opening Flask's session on Flask 1.1, every hosted Resource 500)."""
    write_tree(tmp_path, OWN_CONTEXT)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run(
        [sys.executable, "-c", OWN_CONTEXT_CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
