"""A blueprint built in one module and used in others: converted there as it would be where it is built.

Also: a blueprint's ``cli`` commands (an APIRouter has none), requests after ``self`` in MethodView
methods, and requirements read against the project's own pins. Every output is parsed and imported.
"""

from __future__ import annotations

import ast
import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

from codemods import runner
from codemods.base import TODO_MARKER
from codemods.flask_to_fastapi import CODEMOD

PKG = {
    "pkg/__init__.py": (
        "from flask import Blueprint\n\nbp = Blueprint('api', __name__)\n"
        "api_v1 = Blueprint('api_v1', __name__, url_prefix='/v1')\n\nfrom pkg import views, errors, cli  # noqa\n"
    ),
    "pkg/resources.py": (
        "from flask import jsonify\nfrom flask.views import MethodView\n\n\nclass ThingAPI(MethodView):\n"
        "    def get(self):\n        return jsonify(thing=1)\n"
    ),
    "pkg/views.py": textwrap.dedent(
        """\
        from flask import jsonify, request
        from flask.views import MethodView

        from pkg import bp, api_v1
        from pkg.resources import ThingAPI


        class IndexAPI(MethodView):
            def get(self):
                return jsonify(ok=True)

            def delete(self):
                return jsonify(deleted=request.args.get('x'))


        api_v1.add_url_rule('/x', view_func=IndexAPI.as_view('index'), methods=['GET', 'DELETE'])
        api_v1.add_url_rule('/thing', view_func=ThingAPI.as_view('thing'))


        @bp.before_request
        def before():
            pass


        @bp.route('/hello')
        def hello():
            return jsonify(msg='hi')
        """
    ),
    # no flask import at all: only the blueprint, from the package
    "pkg/errors.py": textwrap.dedent(
        """\
        from werkzeug.exceptions import HTTPException

        from . import bp


        @bp.errorhandler(HTTPException)
        def handle(e):
            return {'error': e.code}, e.code


        @bp.app_errorhandler(404)
        def not_found(e):
            return {'error': 'nf'}, 404
        """
    ),
    "pkg/cli.py": textwrap.dedent(
        """\
        import click

        from pkg import bp


        @bp.cli.command()
        def seed():
            click.echo('seeded')


        @bp.cli.command('reset')
        @click.argument('name')
        def reset(name):
            click.echo(name)


        @bp.cli.group()
        def translate():
            pass


        @translate.command()
        def update():
            click.echo('updated')
        """
    ),
}

CHECK = """
import pkg, pkg.cli
from fastapi import FastAPI
from fastapi.testclient import TestClient
app = FastAPI()
app.include_router(pkg.bp)
app.include_router(pkg.api_v1)
client = TestClient(app)
assert client.get('/hello').json() == {'msg': 'hi'}
assert client.get('/v1/x').json() == {'ok': True}
assert client.delete('/v1/x?x=3').json() == {'deleted': '3'}
assert client.get('/v1/thing').json() == {'thing': 1}
assert callable(pkg.cli.seed) and callable(pkg.cli.reset)
assert pkg.cli.translate.commands['update'] is pkg.cli.update
print('ok')
"""


def convert(tmp_path, files):
    write_tree(tmp_path, files)
    result = runner.run("flask-to-fastapi", [tmp_path])
    assert result.count("failed") == 0
    for path in files:
        ast.parse((tmp_path / path).read_text())
    return result


def test_blueprint_used_in_other_modules_is_converted_there_and_imports(tmp_path):
    convert(tmp_path, PKG)
    views = (tmp_path / "pkg/views.py").read_text()
    assert "as_view" not in views and "add_url_rule" not in views
    assert 'api_v1.add_api_route("/x", IndexAPI().delete, methods=["DELETE"], name="api_v1.index")' in views
    assert 'api_v1.add_api_route("/thing", ThingAPI().get, methods=["GET"], name="api_v1.thing")' in views
    assert '@bp.get("/hello", name="api.hello")' in views or "@bp.get('/hello', name=\"api.hello\")" in views
    errors = (tmp_path / "pkg/errors.py").read_text()
    assert "@errorhandler(bp, StarletteHTTPException)" in errors and "@app_errorhandler(bp, 404)" in errors
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "ok", done.stderr


def test_blueprint_cli_command_becomes_a_click_command_of_the_router(tmp_path):
    convert(tmp_path, PKG)
    cli = (tmp_path / "pkg/cli.py").read_text()
    assert ".cli." not in cli
    assert "@cli_command(bp)\ndef seed():" in cli and "@cli_group(bp)\ndef translate():" in cli
    assert "@cli_command(bp, 'reset')\n@click.argument('name')\ndef reset(name):" in cli


def test_app_cli_command_is_kept_the_helper_gives_the_app_a_click_group():
    source = "from flask import Flask\n\napp = Flask(__name__)\n\n\n@app.cli.command()\ndef seed():\n    pass\n"
    after, _ = CODEMOD.apply(source)
    assert "@app.cli.command()" in after


def test_method_view_methods_take_the_request_after_self():
    source = textwrap.dedent(
        """\
        from flask import Blueprint, request, jsonify
        from flask.views import MethodView

        bp = Blueprint('h', __name__)


        class ItemAPI(MethodView):
            def delete(self, item_id):
                return jsonify(m=request.method, id=item_id)

            def put(self, item_id=None):
                return jsonify(m=request.method, id=item_id)


        bp.add_url_rule('/items/<int:item_id>', view_func=ItemAPI.as_view('item'), methods=['DELETE', 'PUT'])
        """
    )
    after, _ = CODEMOD.apply(source)
    tree = ast.parse(after)
    methods = [f for f in ast.walk(tree) if isinstance(f, ast.AsyncFunctionDef | ast.FunctionDef)]
    assert methods and all(f.args.args[0].arg == "self" for f in methods)
    assert all("request" in [a.arg for a in f.args.args] for f in methods)


def test_rule_methods_limit_the_method_view_routes():
    source = textwrap.dedent(
        """\
        from flask import Blueprint, jsonify
        from flask.views import MethodView

        bp = Blueprint('h', __name__)


        class ItemAPI(MethodView):
            def get(self):
                return jsonify(a=1)

            def post(self):
                return jsonify(a=2)


        bp.add_url_rule('/items', view_func=ItemAPI.as_view('items'), methods=['POST'])
        """
    )
    after, _ = CODEMOD.apply(source)
    assert "ItemAPI().post" in after and "ItemAPI().get" not in after


def test_noop_module_without_flask_or_run_blueprints(tmp_path):
    files = {"tools/__init__.py": "", "tools/util.py": "from tools import helpers\n", "tools/helpers.py": "X = 1\n"}
    convert(tmp_path, files)
    assert (tmp_path / "tools/util.py").read_text() == files["tools/util.py"]


def run_converted(tmp_path, files: dict[str, str], check: str) -> str:
    """Convert ``files`` as one run, then run ``check`` beside them: the converted modules must import."""
    convert(tmp_path, files)
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_view_classes_answer_by_dispatch_request_and_a_passed_in_app_registers_method_views(tmp_path):
    source = textwrap.dedent(
        """\
        from flask import Flask, jsonify, request
        from flask.views import MethodView, View

        app = Flask(__name__)


        class Hello(View):
            methods = ['GET', 'POST']

            def dispatch_request(self, name):
                return jsonify(hi=name, m=request.method)


        class Plain(MethodView):
            def get(self):
                return jsonify(p=1)


        app.add_url_rule('/hello/<name>', view_func=Hello.as_view('hello'))


        def register(target):
            target.add_url_rule('/plain', view_func=Plain.as_view('plain'))


        register(app)
        """
    )
    check = (
        "from fastapi.testclient import TestClient\nimport site_app\nc = TestClient(site_app.app)\n"
        "assert c.get('/hello/bob').json() == {'hi': 'bob', 'm': 'GET'}\n"
        "assert c.post('/hello/al').json() == {'hi': 'al', 'm': 'POST'}\n"
        "assert c.get('/plain').json() == {'p': 1}\n"
    )
    run_converted(tmp_path, {"site_app.py": source}, check)
    after = (tmp_path / "site_app.py").read_text()
    assert "as_view" not in after and TODO_MARKER + " MethodView class attributes" not in after
    assert 'Hello().dispatch_request, methods=["GET", "POST"]' in after


def test_blueprint_methods_an_api_router_lacks_never_run_at_import(tmp_path):
    files = {
        "shop/__init__.py": (
            "from flask import Blueprint\n\nbp = Blueprint('shop', __name__)\n\nfrom shop import more  # noqa\n"
        ),
        "shop/more.py": textwrap.dedent(
            """\
            import click

            from shop import bp


            def not_found(e):
                return {'error': 'nf'}, 404


            def shout(s):
                return s.upper()


            @click.command()
            def seed():
                pass


            bp.register_error_handler(404, not_found)
            bp.add_app_template_filter(shout)
            bp.cli.add_command(seed)


            @bp.url_value_preprocessor
            def pull(endpoint, values):
                pass


            @bp.record
            def record(state):
                pass
            """
        ),
    }
    run_converted(tmp_path, files, "import shop.more\n")
    more = (tmp_path / "shop/more.py").read_text()
    assert "errorhandler(bp, 404)(not_found)" in more and "template_filter(bp)(shout)" in more
    assert f"pass  {TODO_MARKER} `bp.cli.add_command(seed)`: an APIRouter has no cli.add_command" in more
    assert "@url_value_preprocessor(bp)\ndef pull(" in more  # the helper's (url_processors), run as Flask did
    assert "\n@bp.record\n" not in more and "def record(state):" in more


def test_a_blueprint_reexported_by_its_package_is_known_where_it_is_used(tmp_path):
    files = {
        "webapp/__init__.py": "from webapp.blue import bp  # noqa\n",
        "webapp/blue.py": "from flask import Blueprint\n\nbp = Blueprint('blue', __name__)\n",
        "webapp/pages.py": "from webapp import bp\n\n\n@bp.route('/p')\ndef page():\n    return {'p': 1}\n",
    }
    convert(tmp_path, files)
    assert '@bp.get("/p", name="blue.page")' in (tmp_path / "webapp/pages.py").read_text().replace("'", '"')


def test_a_blueprint_reached_through_its_module_is_converted(tmp_path):
    files = {
        "webapp/__init__.py": "",
        "webapp/api.py": "from flask import Blueprint\n\nbp = Blueprint('api', __name__)\n",
        "webapp/routes.py": (
            "from webapp import api\n\n\n@api.bp.route('/r')\ndef r():\n    return {'r': 1}\n\n\n"
            "def hello():\n    return {'h': 1}\n\n\napi.bp.add_url_rule('/h', view_func=hello)\n"
        ),
    }
    check = (
        "from fastapi import FastAPI\nfrom fastapi.testclient import TestClient\nfrom webapp import api, routes\n"
        "app = FastAPI()\napp.include_router(api.bp)\nc = TestClient(app)\n"
        "assert c.get('/r').json() == {'r': 1} and c.get('/h').json() == {'h': 1}\n"
    )
    run_converted(tmp_path, files, check)
    routes = (tmp_path / "webapp/routes.py").read_text()
    assert "add_api_route" in routes and "add_url_rule" not in routes


def test_a_flask_name_left_in_an_annotation_imports_its_fastapi_twin():
    source = (
        "from flask import Flask, jsonify\nfrom flask.wrappers import Response\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/')\ndef index() -> Response:\n    return jsonify(a=1)\n"
    )
    after, _ = CODEMOD.apply(source)
    assert "from fastapi.responses import Response" in after
    compile(after, "converted.py", "exec")
