"""A function a module left on Flask calls (a Flask-RESTful Resource calling ``get_form(project)`` from a converted
forms module) keeps its signature: that module is not rewritten, so it never passes the request. The function
reads the request through the helper's proxy; it got a ``request`` parameter (a converted view calls it too),
and the Resource's call shifted its arguments (``project`` taken as the request: 500)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree
from test_rest_extensions import ON_BLUEPRINT

from codemods import runner

FILES = {
    **ON_BLUEPRINT,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask

        from .api import api_bp
        from .greetings import greeting


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api_bp, url_prefix='/api')

            @app.route('/')
            def index():
                return greeting('home')

            return app
        """
    ),
    "pkg/greetings.py": textwrap.dedent(
        """\
        from flask import request


        def greeting(name):
            return request.args.get('greet', 'hi') + ' ' + name
        """
    ),
    "pkg/api/resources.py": textwrap.dedent(
        """\
        from flask_restful import Resource

        from pkg.greetings import greeting

        from . import api


        class Hello(Resource):
            def get(self, name):
                return {'said': greeting(name)}


        api.add_resource(Hello, '/hello/<name>')
        """
    ),
}
CHECK = """
from fastapi.testclient import TestClient
import pkg
c = TestClient(pkg.create_app())
assert c.get('/?greet=yo').text == 'yo home', c.get('/?greet=yo').text
got = c.get('/api/hello/bob?greet=hey')
assert got.status_code == 200 and got.json() == {'said': 'hey bob'}, (got.status_code, got.text)
print('ok')
"""


def test_a_function_a_module_left_on_flask_calls_keeps_its_signature(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "pkg"]).count("failed") == 0
    assert "def greeting(name):" in (tmp_path / "pkg/greetings.py").read_text()
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
