"""A Flask-RESTful Resource kept on Flask by flask-to-fastapi, its methods made ``async def`` on the AsyncSession:
``awaited_methods(Resource)`` after the import makes the extension's dispatch await them.

The judge: a small app (Flask-SQLAlchemy on SQLite, Resources behind an ``Api`` with a prefix, a decorator calling
``current_app.ensure_sync`` as Flask-Login's ``login_required`` does, ``method_decorators`` by method, the ``Api``'s
error handler answering ``abort``, ``marshal_with``, a request's JSON body) answers the same converted and served by
FastAPI's TestClient as the original does under Flask's test client. The extension is a stand-in written from
Flask-RESTful 0.3.10's source (``Resource.dispatch_request``, ``Api.output``, ``marshal_with``, ``abort``), which
this venv does not install.
"""

from __future__ import annotations

import json
import subprocess
import sys

from codemod_helpers import write_tree

from codemods.runner import run

STAND_IN = """\
from collections.abc import Mapping
from functools import wraps

from flask import current_app, json, make_response, request
from flask.views import MethodView
from werkzeug.exceptions import HTTPException, default_exceptions
from werkzeug.wrappers import Response as ResponseBase


def unpack(value):
    if not isinstance(value, tuple):
        return value, 200, {}
    if len(value) == 2:
        return value[0], value[1], {}
    return value


def abort(http_status_code, **kwargs):
    try:
        raise default_exceptions[http_status_code]()
    except HTTPException as e:
        if kwargs:
            e.data = kwargs
        raise


class Resource(MethodView):
    representations = None
    method_decorators = []

    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        meth = getattr(self, request.method.lower(), None)
        assert meth is not None, "Unimplemented method %r" % request.method
        if isinstance(self.method_decorators, Mapping):
            decorators = self.method_decorators.get(request.method.lower(), [])
        else:
            decorators = self.method_decorators
        for decorator in decorators:
            meth = decorator(meth)
        resp = meth(*args, **kwargs)
        if isinstance(resp, ResponseBase):
            return resp
        return resp


def marshal(data, fields):
    return {k: (data.get(k) if isinstance(data, dict) else getattr(data, k, None)) for k in fields}


class marshal_with:
    def __init__(self, fields):
        self.fields = fields

    def __call__(self, f):
        @wraps(f)
        def wrapper(*args, **kwargs):
            resp = f(*args, **kwargs)
            if isinstance(resp, tuple):
                data, code, headers = unpack(resp)
                return marshal(data, self.fields), code, headers
            return marshal(resp, self.fields)

        return wrapper


class Api:
    def __init__(self, app=None, prefix=""):
        self.resources, self.app, self.prefix = [], None, prefix
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        self.app = app
        app.register_error_handler(HTTPException, self.handle_error)
        for resource, url in self.resources:
            self._register_view(app, resource, url)

    def add_resource(self, resource, url):
        self.resources.append((resource, url))
        if self.app is not None:
            self._register_view(self.app, resource, url)

    def _register_view(self, app, resource, url):
        app.add_url_rule(self.prefix + url, view_func=self.output(resource.as_view(resource.__name__.lower())))

    def output(self, resource):
        @wraps(resource)
        def wrapper(*args, **kwargs):
            resp = resource(*args, **kwargs)
            if isinstance(resp, ResponseBase):
                return resp
            data, code, headers = unpack(resp)
            return self.make_response(data, code, headers=headers)

        return wrapper

    def make_response(self, data, code, headers=None):
        resp = make_response(json.dumps(data), code)
        resp.headers.extend(headers or {})
        resp.headers["Content-Type"] = "application/json"
        return resp

    def handle_error(self, e):
        data = getattr(e, "data", {"message": e.description})
        return self.make_response(data, e.code)
"""
GUARD = """\
from functools import wraps

from flask import current_app, request


def login_required(func):  # Flask-Login 0.6's: the view through current_app.ensure_sync
    @wraps(func)
    def decorated_view(*args, **kwargs):
        if request.headers.get("X-User") != "al":
            return {"message": "sign in"}, 401
        return current_app.ensure_sync(func)(*args, **kwargs)

    return decorated_view
"""
APP = {
    "flask_restful.py": STAND_IN,
    "guard.py": GUARD,
    "pkg/__init__.py": """\
import os

from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["APP_DATABASE_URL"]
    db.init_app(app)

    from .api import api
    api.init_app(app)
    return app
""",
    "pkg/models.py": """\
from . import db


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50), unique=True)
""",
    "pkg/api/__init__.py": "from flask_restful import Api\n\napi = Api(prefix='/api')\n\nfrom . import resources\n",
    "pkg/api/resources.py": """\
from flask import request
from flask_restful import Resource, abort, marshal_with

from guard import login_required

from .. import db
from ..models import User
from . import api


def named(name):
    return User.query.filter_by(name=name).first()


class Users(Resource):
    @login_required
    def get(self):
        return {"names": [u.name for u in User.query.order_by(User.name).all()]}

    def post(self):
        name = request.get_json()["name"]
        if named(name) is not None:
            abort(409, message=f"{name} is taken")
        user = User(name=name)
        db.session.add(user)
        db.session.commit()
        return {"id": user.id, "name": user.name}, 201, {"X-Made": name}


class OneUser(Resource):
    method_decorators = {"delete": [login_required]}

    def put(self, name):
        user = named(name)
        if user is None:
            abort(404, message="no such user")
        user.name = request.get_json()["name"]
        db.session.commit()
        return {"name": user.name}

    def delete(self, name):
        user = named(name)
        db.session.delete(user)
        db.session.commit()
        return {"deleted": name}


class Marshalled(Resource):
    @marshal_with({"id": None, "name": None})
    def get(self, name):
        return named(name)


api.add_resource(Users, "/users")
api.add_resource(OneUser, "/users/<name>")
api.add_resource(Marshalled, "/marshalled/<name>")
""",
}
REQUESTS = [
    ("post", "/api/users", {"name": "al"}, {}),
    ("post", "/api/users", {"name": "bo"}, {}),
    ("post", "/api/users", {"name": "al"}, {}),
    ("get", "/api/users", None, {}),
    ("get", "/api/users", None, {"X-User": "al"}),
    ("put", "/api/users/bo", {"name": "cy"}, {}),
    ("put", "/api/users/nobody", {"name": "x"}, {}),
    ("delete", "/api/users/cy", None, {}),
    ("delete", "/api/users/cy", None, {"X-User": "al"}),
    ("get", "/api/users", None, {"X-User": "al"}),
    ("get", "/api/marshalled/al", None, {}),
]
CLIENT = """\
import json
import sys

import pkg

app = pkg.create_app()
if sys.argv[1] == "flask":
    with app.app_context():
        pkg.db.create_all()
    client = app.test_client()
else:
    from fastapi.testclient import TestClient

    pkg.db.create_all()
    client = TestClient(app)
answers = []
for verb, url, body, headers in json.loads(sys.argv[2]):
    got = getattr(client, verb)(url, headers=headers, **({"json": body} if body is not None else {}))
    made = got.headers.get("X-Made")
    answers.append([got.status_code, got.json() if sys.argv[1] != "flask" else got.get_json(), made])
print(json.dumps(answers))
"""


def _answers(folder, how: str) -> list:
    env = {"APP_DATABASE_URL": f"sqlite:///{folder / (how + '.db')}", "PYTHONPATH": str(folder), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", CLIENT, how, json.dumps(REQUESTS)],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_resource_methods_become_async_and_answer_as_the_original(tmp_path):
    original, converted = tmp_path / "original", tmp_path / "converted"
    write_tree(original, APP)
    write_tree(converted, APP)
    for codemod in ("flask-to-fastapi", "sqlalchemy-to-async"):
        assert run(codemod, [converted / "pkg"]).count("failed") == 0
    resources = (converted / "pkg/api/resources.py").read_text()
    assert "awaited_methods(Resource)" in resources
    for method in ("get(self)", "post(self)", "put(self, name)", "delete(self, name)"):
        assert f"    async def {method}:" in resources, method
    assert "if await named(name) is not None:" in resources and "await db.session.commit()" in resources
    assert "    def get(self, name):" in resources  # @marshal_with reads what the method gives: held sync
    expected = _answers(original, "flask")
    assert expected[2][0] == 409 and expected[3][0] == 401 and expected[-1][1] == {"id": 1, "name": "al"}
    assert _answers(converted, "fastapi") == expected


def test_a_resource_without_the_patched_dispatch_stays_sync(tmp_path):
    """sqlalchemy-to-async on its own (Flask serves the Resource, its dispatch never awaits): held, as before."""
    write_tree(tmp_path, APP)
    assert run("sqlalchemy-to-async", [tmp_path / "pkg"]).count("failed") == 0
    resources = (tmp_path / "pkg/api/resources.py").read_text()
    assert "async def get(self)" not in resources and "_on_serving_loop(named(name))" in resources
