"""``Flask(__name__)`` becomes ``FastAPI()`` plus the helper's ``init_app(app, __name__)``; a module binding
``init_app`` itself (its factory ``def init_app(config_object)``, an ``init_app`` imported from the project, a Flask
subclass beside such a function) called its own: the factory called itself (``TypeError: init_app() takes from 0 to
1 positional arguments but 2 were given``, the app failed at import) or the project's function ran in the helper's
place. The helper is imported as ``init_app_helper`` there; elsewhere it keeps its name."""

from __future__ import annotations

from side_by_side import assert_same, convert_tree, load

FACTORY = """\
from flask import Flask, jsonify


class Config:
    GREETING = "hi"


def init_app(config_object=Config):
    app = Flask(__name__)
    app.config.from_object(config_object)

    @app.route("/")
    def index():
        return jsonify(greeting=app.config["GREETING"])

    return app
"""

IMPORTED = """\
from flask import Flask, jsonify

from namedapp.setup import init_app

app = Flask(__name__)
init_app(app)


@app.route("/")
def index():
    return jsonify(seen=app.config["SEEN"])
"""

SETUP = """\
def init_app(app):
    app.config["SEEN"] = "project"
"""

SUBCLASS = """\
from flask import Flask, jsonify


class MyFlask(Flask):
    pass


def init_app():
    app = MyFlask(__name__)

    @app.route("/")
    def index():
        return jsonify(kind=type(app).__name__)

    return app
"""

PLAIN = """\
from flask import Flask

app = Flask(__name__)
"""


def test_a_factory_named_init_app_builds_and_serves(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "factoryapp.py").write_text(FACTORY)
    flask_app = load(tmp_path / "src", "factoryapp", "init_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "factoryapp.py").read_text()
    assert "init_app as init_app_helper" in converted and "init_app_helper(app, __name__)" in converted
    assert "def init_app(config_object=Config):" in converted
    assert_same(flask_app, load(tmp_path / "out", "factoryapp", "init_app"), [("GET", "/")])


def test_an_imported_init_app_of_the_project_still_runs_beside_the_helpers(tmp_path):
    (tmp_path / "src" / "namedapp").mkdir(parents=True)
    (tmp_path / "src" / "namedapp" / "__init__.py").write_text("")
    (tmp_path / "src" / "namedapp" / "setup.py").write_text(SETUP)
    (tmp_path / "src" / "namedapp" / "main.py").write_text(IMPORTED)
    flask_app = load(tmp_path / "src", "namedapp.main")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "namedapp" / "main.py").read_text()
    assert "from namedapp.setup import init_app\n" in converted and "init_app_helper(app, __name__)" in converted
    assert_same(flask_app, load(tmp_path / "out", "namedapp.main"), [("GET", "/")])


def test_a_flask_subclass_beside_a_factory_named_init_app(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "subfactory.py").write_text(SUBCLASS)
    flask_app = load(tmp_path / "src", "subfactory", "init_app")
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "subfactory.py").read_text()
    assert "init_app_helper(self, import_name, **options)" in converted
    assert_same(flask_app, load(tmp_path / "out", "subfactory", "init_app"), [("GET", "/")])


def test_a_module_with_no_init_app_of_its_own_keeps_the_helpers_name(tmp_path):
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "plain.py").write_text(PLAIN)
    convert_tree(tmp_path / "src", tmp_path / "out")
    converted = (tmp_path / "out" / "plain.py").read_text()
    assert "init_app(app, __name__)" in converted and "init_app_helper" not in converted
    compile(converted, "plain.py", "exec")
