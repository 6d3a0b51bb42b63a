"""A module of Resources kept on Flask gets ``awaited_methods(Resource)`` after the extension's import: the
extension's ``dispatch_request`` runs a coroutine an ``async def`` method gives on the loop serving the request.

The served judge (converted by the chain, answering as the original) is
``tests/codemods/sqlalchemy_to_async/test_resource_awaits.py``; here the line, and the helper on its own.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sys
import types

import libcst as cst
import pytest

from codemods.flask_to_fastapi import CODEMOD, awaited_resources

KEPT = """\
from flask_restful import Resource as Base, reqparse


class Users(Base):
    def get(self):
        return {}
"""


def test_the_import_is_followed_by_the_call_once():
    after, _ = CODEMOD.apply(KEPT)
    line = "from flask_restful import Resource as Base, reqparse\n"
    assert line + "try:\n    from ._flask_compat.awaited_methods import awaited_methods\n" in after
    assert "\nawaited_methods(Base)  # TODO(asyncshift): its dispatch runs an async def method's coroutine" in after
    again, _ = CODEMOD.apply(after)
    assert again.count("awaited_methods(Base)") == 1


def test_a_smorest_module_or_one_without_the_resource_gets_nothing():
    module = cst.parse_module("from flask_smorest import Blueprint\nfrom flask_restx import fields\n")
    assert awaited_resources.rewrite(module, None) is not None
    assert "awaited_methods" not in awaited_resources.rewrite(module, None).code


def _helper():
    """The template's module, its ``flask_hosted`` import stood in for (only ``SERVING_LOOP`` is read)."""
    from pathlib import Path

    folder = Path(awaited_resources.__file__).parent / "template" / "_flask_compat"
    package = types.ModuleType("compat_pkg")
    package.__path__ = [str(folder)]
    hosted = types.ModuleType("compat_pkg.flask_hosted")
    hosted.SERVING_LOOP = "asyncshift.serving_loop"
    sys.modules.update({"compat_pkg": package, "compat_pkg.flask_hosted": hosted})
    spec = importlib.util.spec_from_file_location("compat_pkg.awaited_methods", folder / "awaited_methods.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_patched_dispatch_awaits_through_method_decorators_by_method_and_passes_sync_values():
    flask = pytest.importorskip("flask")
    from flask.views import MethodView

    helper = _helper()
    seen = []

    def logged(method):
        def call(*args, **kwargs):
            value = method(*args, **kwargs)
            seen.append(type(value).__name__)
            return value

        return call

    class Resource(MethodView):  # Flask-RESTful's dispatch: through method_decorators, never awaited
        method_decorators = []

        def dispatch_request(self, *args, **kwargs):
            meth = getattr(self, flask.request.method.lower())
            decorators = self.method_decorators
            if isinstance(decorators, dict):
                decorators = decorators.get(flask.request.method.lower(), [])
            for decorator in decorators:
                meth = decorator(meth)
            return meth(*args, **kwargs)

    assert helper.awaited_methods(Resource) is Resource and helper.awaited_methods(Resource) is Resource

    class Items(Resource):
        method_decorators = {"post": [logged]}

        async def get(self):
            await asyncio.sleep(0)
            return {"from": "coroutine"}

        async def post(self):
            return {"posted": flask.request.get_json()["x"]}, 201

        def put(self):
            return {"sync": True}

    app = flask.Flask(__name__)
    app.add_url_rule("/items", view_func=Items.as_view("items"))
    client = app.test_client()
    assert client.get("/items").get_json() == {"from": "coroutine"}
    got = client.post("/items", json={"x": 1})
    assert (got.status_code, got.get_json()) == (201, {"posted": 1})
    assert seen == ["coroutine"]  # the method's decorators saw the coroutine; the awaiting one came last
    assert client.put("/items").get_json() == {"sync": True}
