"""REST extensions stay on Flask: ``Api(bp)``, ``Api(app)`` and ``api.init_app(app)`` on a converted app or
blueprint are served by a Flask app the FastAPI app hands unmatched requests; Resource modules are kept.

A stand-in ``flask_restful`` (Flask-RESTful's Api surface on real Flask: blueprints by ``record``, apps by
``add_url_rule``, anything else refused as restx/restplus do) keeps the test offline.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import check_noop, write_tree

from codemods import runner
from codemods.base import TODO_MARKER
from codemods.flask_to_fastapi import CODEMOD

STAND_IN = textwrap.dedent(
    """\
    from flask import Blueprint, Flask
    from flask.views import MethodView


    class Resource(MethodView):
        pass


    class Api:
        def __init__(self, app=None, prefix=''):
            self.resources, self.app, self.blueprint, self.prefix = [], None, None, prefix
            if app is not None:
                self.init_app(app)

        def init_app(self, app):
            if isinstance(app, Blueprint):
                self.blueprint = app
                app.record(lambda state: self._register(state))
            elif isinstance(app, Flask):
                self.app = app
                for resource, url in self.resources:
                    app.add_url_rule(url, view_func=resource.as_view(resource.__name__.lower()))
            else:
                raise TypeError(f'not a Flask app or blueprint: {app!r}')

        def _register(self, state):
            for resource, url in self.resources:
                state.add_url_rule(url, view_func=resource.as_view(resource.__name__.lower()))

        def add_resource(self, resource, url):
            url = self.prefix + url
            self.resources.append((resource, url))
            if self.app is not None:
                self.app.add_url_rule(url, view_func=resource.as_view(resource.__name__.lower()))
    """
)
RESOURCES = textwrap.dedent(
    """\
    from flask import request
    from flask_restful import Resource

    from . import api


    class Hello(Resource):
        def get(self, name):
            return {'hi': name, 'q': request.args.get('q')}

        def post(self, name):
            return {'posted': request.get_json()['x']}, 201


    api.add_resource(Hello, '/hello/<name>')
    """
)
ON_BLUEPRINT = {
    "flask_restful.py": STAND_IN,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask

        from .api import api_bp


        def create_app():
            app = Flask(__name__)
            app.register_blueprint(api_bp, url_prefix='/api')  # the prefix given where it is registered

            @app.route('/')
            def index():
                return 'home'

            return app
        """
    ),
    "pkg/api/__init__.py": textwrap.dedent(
        """\
        from flask import Blueprint
        from flask_restful import Api

        api_bp = Blueprint('api', __name__)
        api = Api(api_bp)

        from . import resources  # noqa
        """
    ),
    "pkg/api/resources.py": RESOURCES,
}
ON_APP = {  # flask-react-aws's shape: an Api made alone, init_app(app) in the factory
    "flask_restful.py": STAND_IN,
    "pkg/__init__.py": textwrap.dedent(
        """\
        from flask import Flask


        def create_app():
            app = Flask(__name__)

            @app.route('/')
            def index():
                return 'home'

            from .api import api
            api.init_app(app)
            return app
        """
    ),
    "pkg/api/__init__.py": "from flask_restful import Api\n\napi = Api(prefix='/api')\n\nfrom . import resources\n",
    "pkg/api/resources.py": RESOURCES,
}
CHECK = """
from fastapi.testclient import TestClient
import pkg
c = TestClient(pkg.create_app())
assert c.get('/').text == 'home', c.get('/').text
got = c.get('/api/hello/bob?q=1')
assert got.status_code == 200 and got.json() == {'hi': 'bob', 'q': '1'}, (got.status_code, got.text)
got = c.post('/api/hello/al', json={'x': 5})
assert got.status_code == 201 and got.json() == {'posted': 5}, (got.status_code, got.text)
assert c.get('/nothing').status_code == 404
print('ok')
"""


def converted(tmp_path, files: dict[str, str]) -> None:
    write_tree(tmp_path, files)
    result = runner.run("flask-to-fastapi", [tmp_path / "pkg"])
    assert result.count("failed") == 0
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr
    resources = (tmp_path / "pkg/api/resources.py").read_text()
    assert resources.endswith(RESOURCES) and f"{TODO_MARKER} this module runs on Flask" in resources


def test_an_api_on_a_converted_blueprint_is_served_by_a_hosted_flask_app(tmp_path):
    converted(tmp_path, ON_BLUEPRINT)
    api = (tmp_path / "pkg/api/__init__.py").read_text()
    assert "Api = flask_hosted(Api)  # TODO(asyncshift): Flask-RESTful still runs on Flask" in api
    assert "APIRouter(" in api


def test_an_api_made_alone_and_given_the_app_by_init_app_is_served_too(tmp_path):
    converted(tmp_path, ON_APP)


def test_a_module_without_a_rest_extension_or_flask_is_left_alone():
    check_noop(CODEMOD, "from restish import Api\n\napi = Api()\n")
