"""Class-based views Flask calls without awaiting (a REST extension's Resource, a ``flask.views`` MethodView) stay
sync; what they call that became a coroutine runs on the event loop serving the request, through a helper.

The judge is the runtime test: a Flask-RESTful Resource kept on Flask by flask-to-fastapi, whose methods call
services on Flask-SQLAlchemy's ``db`` made async, served by Starlette's TestClient and by an ASGI client on the
test's own loop (as uvicorn serves it), several requests at once.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import check_noop, check_transformed, write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD, sync_views

HELPER = textwrap.dedent(sync_views.CODE.format(name="_on_serving_loop", key=sync_views.LOOP_KEY)).strip("\n")
SERVICE = """\
from sqlalchemy import select
from sqlalchemy.orm import Session


def names(session: Session):
    return session.execute(select(1)).scalars().all()
"""
SERVICE_ASYNC = """\
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession


async def names(session: AsyncSession):
    return (await session.execute(select(1))).scalars().all()
"""


def todo(method: str, framework: str, call: str) -> str:
    return (
        f"# TODO(asyncshift): '{method}' is a method {framework} calls without awaiting (a class-based view): "
        f"{call}() and the coroutines after it run on the event loop serving the request (_on_serving_loop) "
        "while this thread waits; end state: an async FastAPI route"
    )


def test_a_resource_method_stays_sync_and_runs_what_became_a_coroutine_on_the_serving_loop():
    check_transformed(
        CODEMOD,
        "from flask_restx import Namespace, Resource\n"
        + SERVICE
        + """
ns = Namespace("users")


class Users(Resource):
    @ns.marshal_with(None)
    def get(self, session):
        found = names(session)
        return names(session) + found, 200
""",
        "from flask_restx import Namespace, Resource\n"
        + SERVICE_ASYNC
        + "\n"
        + 'ns = Namespace("users")\n\n\n'
        + HELPER
        + f"""


class Users(Resource):
    @ns.marshal_with(None)
    def get(self, session):
        {todo("get", "flask-restx", "names")}
        found = _on_serving_loop(names(session))
        return _on_serving_loop(names(session)) + found, 200
""",
    )


def test_a_method_view_and_a_subclass_of_a_resource_base_of_the_run_are_held_the_same_way():
    after = check_transformed(
        CODEMOD,
        "from flask.views import MethodView\nfrom flask_restful import Resource\n"
        + SERVICE
        + """

class Base(Resource):
    pass


class Users(Base):
    def post(self, session):
        return names(session)


class Page(MethodView):
    def dispatch_request(self, session):
        return str(names(session))
""",
        "from flask.views import MethodView\nfrom flask_restful import Resource\n"
        + SERVICE_ASYNC
        + """

class Base(Resource):
    pass


"""
        + HELPER
        + f"""


class Users(Base):
    def post(self, session):
        {todo("post", "Flask-RESTful", "names")}
        return _on_serving_loop(names(session))


class Page(MethodView):
    def dispatch_request(self, session):
        {todo("dispatch_request", "Flask", "names")}
        return str(_on_serving_loop(names(session)))
""",
    )
    assert after.count("def _on_serving_loop(") == 1


def test_a_resource_helper_that_is_no_http_method_becomes_async_as_any_function():
    after, _ = CODEMOD.apply(
        "from flask_restx import Resource\n"
        + SERVICE
        + """

class Users(Resource):
    def get(self, session):
        return self.load(session)

    def load(self, session):
        return names(session)
"""
    )
    assert "    async def load(self, session):\n        return await names(session)" in after
    assert "return _on_serving_loop(self.load(session))" in after


def test_a_resource_calling_nothing_that_became_async_is_left_alone():
    check_noop(
        CODEMOD,
        """\
from flask_restx import Resource
from sqlalchemy import select


class Ping(Resource):
    def get(self):
        return {"statement": str(select(1))}
""",
    )


def test_a_class_with_a_get_method_that_is_no_view_becomes_async():
    after, _ = CODEMOD.apply(SERVICE + "\n\nclass Cache:\n    def get(self, session):\n        return names(session)\n")
    assert "    async def get(self, session):\n        return await names(session)" in after
    assert "_on_serving_loop" not in after


def test_a_run_over_its_own_output_hands_nothing_twice():
    source = (
        "from flask_restx import Resource\nfrom sqlalchemy.ext.asyncio import AsyncSession\n\n\n"
        "class Users(Resource):\n    def get(self, session: AsyncSession):\n        return session.get(int, 1)\n"
    )
    once, _ = CODEMOD.apply(source)
    assert "return _on_serving_loop(session.get(int, 1))" in once
    again, _ = CODEMOD.apply(once)
    assert again == once


DECORATOR = """\
from functools import wraps

from flask_restful import Resource
from sqlalchemy import select
from sqlalchemy.orm import Session


def names(session: Session):
    return session.execute(select(1)).scalars().all()


def needs_names(f):
    @wraps(f)
    def decorated(*args, **kwargs):
        if not names(make()):
            return {}, 401
        return f(*args, **kwargs)

    return decorated


class Users(Resource):
    @needs_names
    def get(self):
        return {}
"""


def test_a_decorator_on_view_methods_only_keeps_its_wrapper_sync_the_same_way():
    after, _ = CODEMOD.apply(DECORATOR)
    assert "    def decorated(*args, **kwargs):" in after
    assert "        if not _on_serving_loop(names(make())):" in after
    assert "        return f(*args, **kwargs)" in after
    assert "# TODO(asyncshift): 'decorated' wraps methods Flask-RESTful calls without awaiting" in after
    compile(after, "<fixture>", "exec")


def test_a_decorator_also_on_a_plain_function_gets_an_async_wrapper_as_before():
    after, _ = CODEMOD.apply(DECORATOR + "\n\n@needs_names\ndef report():\n    return 1\n")
    assert "    async def decorated(*args, **kwargs):" in after and "if not await names(make()):" in after


def test_a_resource_listing_a_decorator_in_method_decorators_keeps_its_wrapper_sync(tmp_path):
    files = {
        "api/__init__.py": "",
        "api/auth.py": DECORATOR[: DECORATOR.index("class Users")],
        "api/resources.py": (
            "from flask_restful import Resource\n\nfrom api.auth import needs_names\n\n\n"
            "class Users(Resource):\n    method_decorators = [needs_names]\n\n    def get(self):\n        return {}\n"
        ),
    }
    tree = write_tree(tmp_path / "app", files)
    assert run("sqlalchemy-to-async", [tree / "api"], out=tmp_path / "out").count("failed") == 0
    auth = (tmp_path / "out" / "auth.py").read_text()
    assert "    def decorated(*args, **kwargs):" in auth and "if not _on_serving_loop(names(make())):" in auth


# -- the judge: a Resource kept on Flask, served ------------------------------------------------------------

STAND_IN = """\
from flask import Blueprint, Flask, request
from flask.views import MethodView


class Resource(MethodView):
    def dispatch_request(self, *args, **kwargs):  # Flask-RESTful's: the method called, never awaited
        return getattr(self, request.method.lower())(*args, **kwargs)


class Api:
    def __init__(self, app=None, prefix=''):
        self.resources, self.app, self.prefix = [], None, prefix
        if app is not None:
            self.init_app(app)

    def init_app(self, app):
        if not isinstance(app, (Blueprint, Flask)):
            raise TypeError(f'not a Flask app or blueprint: {app!r}')
        self.app = app
        for resource, url in self.resources:
            app.add_url_rule(url, view_func=resource.as_view(resource.__name__.lower()))

    def add_resource(self, resource, url):
        self.resources.append((resource, self.prefix + url))
        if self.app is not None:
            self.app.add_url_rule(self.prefix + url, view_func=resource.as_view(resource.__name__.lower()))
"""
APP = {
    "flask_restful.py": STAND_IN,
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


class Pet(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))
    owner_id = db.Column(db.Integer, db.ForeignKey("user.id"))
    owner = db.relationship(User)
""",
    "pkg/services.py": """\
import threading

from sqlalchemy import select

from . import db
from .models import Pet, User


def where():
    db.session.execute(select(User.id))
    return threading.current_thread().name


def all_names():
    return [u.name for u in User.query.order_by(User.name).all()]


def by_name(name):
    return User.query.filter_by(name=name).first()


def add(name):
    user = User(name=name)
    db.session.add(user)
    db.session.commit()
    return user


def rename(user, name):
    user.name = name
    db.session.commit()


def pet_named(name):
    return Pet.query.filter_by(name=name).first()

""",
    "pkg/api/__init__.py": "from flask_restful import Api\n\napi = Api(prefix='/api')\n\nfrom . import resources\n",
    "pkg/api/resources.py": """\
from flask import request
from flask_restful import Resource

from .. import db
from ..models import User
from ..services import add, all_names, by_name, pet_named, rename, where
from . import api


class Where(Resource):
    def get(self):
        return {"thread": where()}


class Users(Resource):
    def get(self):
        return {"names": all_names()}

    def post(self):
        if by_name(request.get_json()["name"]) is not None:
            return {"error": "taken"}, 400
        user = add(request.get_json()["name"])
        return {"id": user.id, "name": user.name}, 201


class OneUser(Resource):
    def put(self, name):
        user = by_name(name)  # loaded in this request's AsyncSession, changed and committed by the next call
        if user is None:
            return {"error": "missing"}, 404
        rename(user, request.get_json()["name"])
        return {"id": user.id, "name": user.name}

    def delete(self, name):
        user = by_name(name)  # loaded in this request's AsyncSession, deleted here on the sync session
        if user is None:
            return {"error": "missing"}, 404
        db.session.delete(user)
        db.session.commit()
        return {"deleted": name}

    def patch(self, name):
        user = by_name(name)  # the same, changed and added here
        user.name = request.get_json()["name"]
        db.session.add(user)
        db.session.commit()
        return {"name": user.name}


class Twice(Resource):
    def post(self, name):
        here = db.session.get(User, by_name(name).id)  # the row read on the sync session too
        user = by_name(name)
        user.name = request.get_json()["name"]
        db.session.add(user)  # the sync session holds that row: it takes the change
        db.session.commit()
        return {"name": here.name}


class OnePet(Resource):
    def patch(self, name):
        pet = pet_named(name)  # its owner loaded with it: the add cascades to it
        pet.name = request.get_json()["name"]
        db.session.add(pet)
        db.session.commit()
        return {"name": pet.name, "owner": pet.owner.name}


api.add_resource(Users, "/users")
api.add_resource(OneUser, "/users/<name>")
api.add_resource(Where, "/where")
api.add_resource(OnePet, "/pets/<name>")
api.add_resource(Twice, "/twice/<name>")
""",
}
SERVE = """\
import asyncio
import threading

import httpx
from fastapi.testclient import TestClient

import pkg

app = pkg.create_app()
pkg.db.create_all()


def flow(client, tag):
    got = client.post("/api/users", json={"name": f"bob{tag}"})
    assert got.status_code == 201 and got.json()["name"] == f"bob{tag}", (got.status_code, got.text)
    got = client.post("/api/users", json={"name": f"bob{tag}"})
    assert got.status_code == 400, (got.status_code, got.text)
    got = client.put(f"/api/users/bob{tag}", json={"name": f"rob{tag}"})
    assert got.status_code == 200 and got.json()["name"] == f"rob{tag}", (got.status_code, got.text)
    assert client.put("/api/users/nobody", json={"name": "x"}).status_code == 404


flow(TestClient(app), "1")  # a loop per request
with TestClient(app) as client:  # one loop for all
    flow(client, "2")


async def on_this_loop():  # served on the caller's loop, as uvicorn serves it; several requests at once
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        got = await client.post("/api/users", json={"name": "al"})
        assert got.status_code == 201, got.text
        got = await client.get("/api/where")  # the coroutine ran on the loop serving the request
        assert got.json() == {"thread": threading.current_thread().name}, got.text
        answers = await asyncio.gather(*[client.get("/api/users") for _ in range(8)])
        assert all(a.status_code == 200 and a.json()["names"] == ["al", "rob1", "rob2"] for a in answers), answers


asyncio.run(on_this_loop())
print(TestClient(app).get("/api/users").json()["names"])
"""
WRITE_HERE = """\
from fastapi.testclient import TestClient

import pkg

app = pkg.create_app()
pkg.db.create_all()
client = TestClient(app)
assert client.post("/api/users", json={"name": "al"}).status_code == 201
assert client.post("/api/users", json={"name": "bo"}).status_code == 201
got = client.patch("/api/users/al", json={"name": "cy"})
assert got.status_code == 200 and got.json() == {"name": "cy"}, (got.status_code, got.text)
got = client.delete("/api/users/bo")
assert got.status_code == 200 and got.json() == {"deleted": "bo"}, (got.status_code, got.text)
with app.app_context():
    pkg.db.session.add(pkg.models.Pet(name="rex", owner=pkg.models.User.query.filter_by(name="cy").first()))
    pkg.db.session.commit()
got = client.patch("/api/pets/rex", json={"name": "max"})
assert got.status_code == 200 and got.json() == {"name": "max", "owner": "cy"}, (got.status_code, got.text)
assert client.post("/api/users", json={"name": "di"}).status_code == 201
got = client.post("/api/twice/di", json={"name": "ed"})
assert got.status_code == 200 and got.json() == {"name": "ed"}, (got.status_code, got.text)
print(client.get("/api/users").json()["names"])
"""


def test_a_resource_kept_on_flask_serves_what_it_awaits_through_the_async_session(tmp_path):
    write_tree(tmp_path, APP)
    for codemod in ("flask-to-fastapi", "sqlalchemy-to-async"):
        assert run(codemod, [tmp_path / "pkg"]).count("failed") == 0
    resources = (tmp_path / "pkg/api/resources.py").read_text()
    assert "    def put(self, name):" in resources and "user = _on_serving_loop(by_name(name))" in resources
    assert "async def rename(" in (tmp_path / "pkg/services.py").read_text()
    env = {"APP_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "PYTHONPATH": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", SERVE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "['al', 'rob1', 'rob2']", done.stderr[-3000:]


def test_a_resource_writes_on_the_sync_session_what_a_coroutine_loaded_in_the_async_session(tmp_path):
    write_tree(tmp_path, APP)
    for codemod in ("flask-to-fastapi", "sqlalchemy-to-async"):
        assert run(codemod, [tmp_path / "pkg"]).count("failed") == 0
    resources = (tmp_path / "pkg/api/resources.py").read_text()
    assert "user = _on_serving_loop(by_name(name))" in resources and "db.sync_session.delete(user)" in resources
    env = {"APP_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "PYTHONPATH": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", WRITE_HERE], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "['cy', 'ed']", done.stderr[-3000:]


# -- a decorator's wrapper made async that also decorates a Resource's method: a sync twin for the method ----------
# Flask called the async wrapper without awaiting and answered its coroutine ('Object of type coroutine is not JSON
# serializable', a 500); the methods held sync get the wrapper's sync twin, the app's own views the async wrapper.

GUARDED = {
    **APP,
    "pkg/__init__.py": """\
import os

from flask import Flask, request
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["APP_DATABASE_URL"]
    db.init_app(app)

    from .api import api
    from .auth import known_user

    api.init_app(app)

    @app.route("/me")
    @known_user
    def me():
        return {"me": request.headers["X-User"]}

    return app
""",
    "pkg/auth.py": """\
from functools import wraps

from flask import abort, request

from .models import User


def known_user(f):
    @wraps(f)
    def check(*args, **kwargs):
        if User.query.filter_by(name=request.headers.get("X-User")).first() is None:
            abort(403)
        return f(*args, **kwargs)

    return check
""",
    "pkg/api/resources.py": """\
from flask import request
from flask_restful import Resource

from ..auth import known_user
from ..services import add, all_names
from . import api


class Users(Resource):
    @known_user
    def get(self):
        return {"names": all_names()}

    def post(self):
        user = add(request.get_json()["name"])
        return {"id": user.id, "name": user.name}, 201


api.add_resource(Users, "/users")
""",
}
SERVE_GUARDED = """\
from fastapi.testclient import TestClient

import pkg

app = pkg.create_app()
pkg.db.create_all()
client = TestClient(app)
assert client.post("/api/users", json={"name": "al"}).status_code == 201
got = client.get("/api/users", headers={"X-User": "al"})
assert got.status_code == 200 and got.json() == {"names": ["al"]}, (got.status_code, got.text)
got = client.get("/api/users", headers={"X-User": "zed"})
assert got.status_code == 403, (got.status_code, got.text)
got = client.get("/me", headers={"X-User": "al"})
assert got.status_code == 200 and got.json() == {"me": "al"}, (got.status_code, got.text)
assert client.get("/me", headers={"X-User": "zed"}).status_code == 403
print("ok")
"""


def test_a_decorator_on_a_view_and_on_a_resource_method_hands_the_resource_a_sync_twin(tmp_path):
    write_tree(tmp_path, GUARDED)
    for codemod in ("flask-to-fastapi", "sqlalchemy-to-async"):
        assert run(codemod, [tmp_path / "pkg"]).count("failed") == 0
    auth = (tmp_path / "pkg/auth.py").read_text()
    assert "    async def check(*args, **kwargs):" in auth and "    def check_sync(*args, **kwargs):" in auth
    assert "return check_sync if f.__qualname__ in ('Users.get',) else check" in auth
    env = {"APP_DATABASE_URL": f"sqlite:///{tmp_path / 'app.db'}", "PYTHONPATH": str(tmp_path), "PATH": ""}
    done = subprocess.run(
        [sys.executable, "-c", SERVE_GUARDED], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.stdout.strip() == "ok", done.stderr[-3000:]


def test_the_twin_awaits_nothing_and_the_decorator_hands_it_to_the_held_methods_only():
    after, _ = CODEMOD.apply(DECORATOR + "\n\n@needs_names\ndef report():\n    return 1\n")
    assert "    async def decorated(*args, **kwargs):\n        if not await names(make()):" in after
    twin = after[after.index("    def decorated_sync(") : after.index("    return decorated_sync")]
    assert "await" not in twin and "if not _on_serving_loop(names(make())):" in twin
    assert "return _on_serving_loop(f(*args, **kwargs))" in twin
    assert "    return decorated_sync if f.__qualname__ in ('Users.get',) else decorated\n" in after
    assert after.count("def _on_serving_loop(") == 1
    again, _ = CODEMOD.apply(after)
    assert again.count("def decorated_sync(") == 1
    compile(after, "<fixture>", "exec")


def test_methods_a_resources_own_dispatch_request_calls_by_name_are_held_too():
    """A Resource base of the run dispatching by name (POST to ``create``, its default ``_create``): Flask calls those
    as it calls HTTP methods, so they stay sync; a plain function beside them becomes async as before."""
    after, _ = CODEMOD.apply(
        "from flask import request\nfrom flask_restful import Resource\n"
        + SERVICE
        + """

class ModelResource(Resource):
    def dispatch_request(self, *args, **kwargs):
        name = "create" if request.method == "POST" else "list"
        return getattr(self, name, self._create)(*args, **kwargs)

    def _create(self, session):
        return names(session), 201


class Users(ModelResource):
    def create(self, session):
        return names(session), 201


def count(session):
    return len(names(session))
"""
    )
    assert "    def create(self, session):\n" in after
    assert "return _on_serving_loop(names(session)), 201" in after
    assert "    def _create(self, session):\n" in after
    assert "async def count(session):\n    return len(await names(session))" in after
    assert "async def create" not in after and "async def _create" not in after


def test_a_held_view_runs_a_method_of_an_unknown_receiver_that_became_async_on_the_serving_loop():
    """``obj.save(commit=True)`` in a held view's helper, ``obj`` of no known type and ``save`` (a name too common to
    await anywhere) async in every class of the run that has it: it was left a coroutine never run, the row never
    saved and a 201 all the same; in a held view it goes through ``_on_serving_loop``, which hands a sync value back
    as it is. Outside such views the common name is left alone as before."""
    after, _ = CODEMOD.apply(
        "from flask import request\nfrom flask_restful import Resource\nfrom sqlalchemy.orm import Session\n"
        + """
session: Session = None


class Base:
    def save(self, commit=False):
        session.add(self)
        if commit:
            session.commit()
        return self


class ModelResource(Resource):
    def dispatch_request(self, *args, **kwargs):
        return getattr(self, request.method.lower())(*args, **kwargs)

    def created(self, obj):
        obj.save(commit=True)
        return obj, 201


def keep(form):
    form.save()
"""
    )
    assert "    async def save(self, commit=False):" in after
    assert "        _on_serving_loop(obj.save(commit=True))\n        return obj, 201" in after
    assert "def keep(form):\n    form.save()" in after


def test_a_resource_module_naming_nothing_of_sqlalchemy_is_rewritten_for_such_a_call(tmp_path):
    """The ModelResource's module names neither SQLAlchemy nor the db: the cheap pre-check skipped it, and its
    ``obj.save(commit=True)`` stayed a coroutine never run. A held view calling such a method makes it involved."""
    files = {
        "shop/__init__.py": "",
        "shop/models.py": (
            "from sqlalchemy.orm import Session\n\nsession: Session = None\n\n\n"
            "class Base:\n    def save(self, commit=False):\n        session.add(self)\n"
            "        if commit:\n            session.commit()\n        return self\n"
        ),
        "shop/resources.py": (
            "from flask import request\nfrom flask_restful import Resource\n\n\n"
            "class ModelResource(Resource):\n    def dispatch_request(self, *args, **kwargs):\n"
            "        return getattr(self, request.method.lower())(*args, **kwargs)\n\n"
            "    def created(self, obj):\n        obj.save(commit=True)\n        return obj, 201\n"
        ),
    }
    tree = write_tree(tmp_path / "app", files)
    assert run("sqlalchemy-to-async", [tree / "shop"], out=tmp_path / "out").count("failed") == 0
    resources = (tmp_path / "out" / "resources.py").read_text()
    assert "        _on_serving_loop(obj.save(commit=True))\n        return obj, 201" in resources
