"""A converted Resource's Starlette response is answered by the REST extension's hosted Api as Werkzeug's.

A module building a blueprint and its Flask-RESTful ``Api`` is converted with its Resources, which still run on the
Flask app hosting the Api: ``make_response(jsonify(name="x"), 201)`` became the helpers' (a Starlette response), and
the Api's ``make_response`` serialised it as data (``Object of type JSONResponse is not JSON serializable``: a 500).
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods import runner

RESTFUL = textwrap.dedent(
    """\
    import json

    from flask import Blueprint, make_response
    from flask.views import MethodView
    from werkzeug.wrappers import Response


    class Resource(MethodView):
        pass


    class Api:  # Flask-RESTful's output path: a view's data goes through make_response, a Response as it is
        def __init__(self, blueprint):
            self.resources = []
            blueprint.record(lambda state: self._register(state))

        def _register(self, state):
            for resource, url in self.resources:
                name = resource.__name__.lower()
                state.add_url_rule(url, name, view_func=self.output(resource.as_view(name)))

        def output(self, view):
            def wrapper(*args, **kwargs):
                answer = view(*args, **kwargs)
                if isinstance(answer, Response):
                    return answer
                data, code = answer if isinstance(answer, tuple) else (answer, 200)
                return self.make_response(data, code)

            return wrapper

        def make_response(self, data, code):
            return make_response(json.dumps(data), code)

        def add_resource(self, resource, url):
            self.resources.append((resource, url))
    """
)
FILES = {
    "flask_restful.py": RESTFUL,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask

        from .views import mod


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(mod, url_prefix="/api")
            return app
        """
    ),
    "pkg/views.py": textwrap.dedent(
        """\
        from flask import Blueprint, jsonify, make_response
        from flask_restful import Api, Resource

        mod = Blueprint("things", __name__)
        api = Api(mod)


        class Thing(Resource):
            def get(self):
                answer = make_response(jsonify(name="x"), 201)
                answer.headers["X-Kept"] = "yes"
                return answer


        class Plain(Resource):
            def get(self):
                return {"plain": True}, 202


        api.add_resource(Thing, "/thing")
        api.add_resource(Plain, "/plain")
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient

import pkg

client = TestClient(pkg.create_app(), raise_server_exceptions=False)
thing, plain = client.get("/api/thing"), client.get("/api/plain")
assert (thing.status_code, thing.json(), thing.headers.get("x-kept")) == (201, {"name": "x"}, "yes"), thing.text
assert thing.headers["content-type"].startswith("application/json"), thing.headers
assert (plain.status_code, plain.json()) == (202, {"plain": True}), plain.text
print("ok")
"""


def test_a_hosted_resources_starlette_response_is_answered(tmp_path):
    write_tree(tmp_path, FILES)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr[-3000:]
