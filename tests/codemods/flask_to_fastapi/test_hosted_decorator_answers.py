"""A view decorator's own answer (``return "", 204`` in its wrapper) on a REST extension's Resource kept on Flask.

In Flask a wrapper's ``return resp[0], resp[1]`` is a tuple, and whoever dispatched the view makes the response of
it: Flask's ``make_response`` for a plain view, the Api's representation for a Flask-RESTful Resource (JSON:
``""`` answers ``application/json``, Werkzeug sending no body for a 204). The conversion made the wrapper's answer a
response at once (the helper's ``make_response``: text/html), so the Api, handed a response, passed it through.
The wrapper's answer is now the tuple and the response at once: the Api represents the tuple, FastAPI answers the
response, and both answer as the original did.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods import runner
from codemods.flask_to_fastapi import view_decorators

STAND_IN = textwrap.dedent(  # Flask-RESTful's dispatch: a Resource's tuple made a response by the Api's JSON
    """\
    import functools
    import json

    from flask import Blueprint, make_response
    from flask.views import MethodView
    from werkzeug.wrappers import Response as ResponseBase


    def unpack(value):
        if not isinstance(value, tuple):
            return value, 200, {}
        if len(value) == 3:
            return value
        if len(value) == 2:
            return value[0], value[1], {}
        return value, 200, {}


    class Resource(MethodView):
        pass


    class Api:
        def __init__(self, app=None):
            self.resources, self.blueprint = [], None
            if app is not None:
                self.init_app(app)

        def init_app(self, app):
            if not isinstance(app, Blueprint):
                raise TypeError(f'not a blueprint: {app!r}')
            self.blueprint = app
            app.record(lambda state: self._register(state))

        def _register(self, state):
            for resource, url in self.resources:
                state.add_url_rule(url, view_func=self.output(resource.as_view(resource.__name__.lower())))

        def add_resource(self, resource, url):
            self.resources.append((resource, url))

        def output(self, resource):
            @functools.wraps(resource)  # its methods too
            def wrapper(*args, **kwargs):
                resp = resource(*args, **kwargs)
                if isinstance(resp, ResponseBase):
                    return resp
                data, code, headers = unpack(resp)
                return self.make_response(data, code, headers=headers)

            return wrapper

        def make_response(self, data, code=200, headers=None):
            resp = make_response(json.dumps(data) + "\\n", code)
            resp.headers.extend(headers or {})
            resp.headers["Content-Type"] = "application/json"
            return resp
    """
)
FILES = {
    "flask_restful.py": STAND_IN,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask

        from .api import api_bp
        from .checks import checked


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api_bp, url_prefix="/api")

            @app.route("/plain/<int:item>", methods=["DELETE"])
            @checked
            def plain(item):
                return "", 204

            return app
        """
    ),
    "pkg/checks.py": textwrap.dedent(
        """\
        from functools import wraps

        from flask import request


        def checked(f):
            @wraps(f)
            def decorated(*args, **kwargs):
                if kwargs.get("item") == 0:
                    return dict(message="No such item"), 404
                if request.args.get("refuse"):
                    return "refused", 403
                resp = f(*args, **kwargs)
                if isinstance(resp, tuple):
                    return resp[0], resp[1]
                return resp

            return decorated
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
        from flask import make_response
        from flask_restful import Resource

        from ..checks import checked
        from . import api


        class Item(Resource):
            @checked
            def delete(self, item):
                return ("", 204)

            @checked
            def get(self, item):
                return {"item": item}, 200


        class Made(Resource):
            @checked
            def delete(self, item):
                return make_response("", 204)


        api.add_resource(Item, "/items/<int:item>")
        api.add_resource(Made, "/made/<int:item>")
        """
    ),
}
REQUESTS = [
    ("DELETE", "/api/items/1"),  # the Resource's ("", 204), through the wrapper's own return
    ("DELETE", "/api/items/0"),  # the wrapper's own dict and status
    ("DELETE", "/api/items/1?refuse=1"),  # the wrapper's own text and status: JSON text on the Api
    ("GET", "/api/items/3"),
    ("DELETE", "/api/made/1"),  # the Resource's own Flask response: passed through as it was
    ("DELETE", "/plain/1"),  # a plain view under the same decorator: Flask's make_response
    ("DELETE", "/plain/1?refuse=1"),
]
CHECK = f"""
import sys

import pkg

app = pkg.create_app()
if sys.argv[1] == "flask":
    client = app.test_client()
else:
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
for method, path in {REQUESTS!r}:
    a = client.request(method, path) if sys.argv[1] != "flask" else client.open(path, method=method)
    body = a.get_data() if sys.argv[1] == "flask" else a.content
    kind = a.headers.get("content-type")
    print(method, path, a.status_code, kind, a.headers.get("content-length"), body)
"""


def _answers(folder, kind):
    done = subprocess.run([sys.executable, "-c", CHECK, kind], cwd=folder, capture_output=True, text=True, timeout=120)
    return done.stdout.strip().splitlines() or [done.stderr[-3000:]]


def test_a_wrappers_own_answer_on_a_hosted_resource_is_the_apis_to_make(tmp_path):
    write_tree(tmp_path / "orig", FILES)
    write_tree(tmp_path / "conv", FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "conv" / "pkg"])
    assert result.count("failed") == 0
    original = _answers(tmp_path / "orig", "flask")
    assert original[0] == "DELETE /api/items/1 204 application/json None b''", original
    assert _answers(tmp_path / "conv", "fastapi") == original
    checks = (tmp_path / "conv" / "pkg" / "checks.py").read_text()
    assert f'return view_value((dict(message="No such item"), 404))  # TODO(asyncshift): {view_decorators.TODO}' in (
        checks
    )
    assert "return view_value((resp[0], resp[1]))" in checks
