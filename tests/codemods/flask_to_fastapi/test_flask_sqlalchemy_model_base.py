"""Flask-SQLAlchemy's ``Model`` named apart from the db (``from flask_sqlalchemy import Model`` in a module finding the
app's models by ``issubclass(obj, Model)``, ``flask_sqlalchemy.model.Model``) was left on Flask-SQLAlchemy, with no
TODO: the helper's models do not derive from it, so no model was found (an app registering its models by that test
had none: KeyError on each). It is the helper's ``Model`` now, the class every ``db.Model`` derives from."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree
from test_rest_extensions import ON_BLUEPRINT

from codemods import runner

FILES = {
    "shop/__init__.py": textwrap.dedent(
        """\
        from flask import Flask
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        def create_app():
            app = Flask(__name__)
            app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite:///:memory:"
            db.init_app(app)
            return app
        """
    ),
    "shop/models.py": textwrap.dedent(
        """\
        from . import db


        class Product(db.Model):
            id = db.Column(db.Integer, primary_key=True)


        class Note(object):
            pass
        """
    ),
    "shop/registry.py": textwrap.dedent(
        """\
        import inspect

        from flask_sqlalchemy import Model
        from flask_sqlalchemy.model import Model as BaseModel

        from . import models


        def found(base):
            return sorted(n for n, o in inspect.getmembers(models, inspect.isclass) if issubclass(o, base))
        """
    ),
}
CHECK = """
from shop import registry
print(registry.found(registry.Model), registry.found(registry.BaseModel))
"""


def test_flask_sqlalchemys_model_is_the_base_of_the_converted_models(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "shop"]).count("failed") == 0
    registry = (tmp_path / "shop/registry.py").read_text()
    assert "import flask_sqlalchemy" not in registry and "from flask_sqlalchemy" not in registry
    done = subprocess.run([sys.executable, "-c", CHECK], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "['Product'] ['Product']", done.stderr


KEPT = {  # a Flask-RESTful Resource module, kept on Flask: the models it checks are the converted db's still
    **ON_BLUEPRINT,
    "pkg/models.py": textwrap.dedent(
        """\
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class Item(db.Model):
            id = db.Column(db.Integer, primary_key=True)
        """
    ),
    "pkg/api/resources.py": textwrap.dedent(
        """\
        from flask_restful import Resource
        from flask_sqlalchemy.model import Model

        from pkg.models import Item

        from . import api


        class Hello(Resource):
            def get(self):
                return {'model': isinstance(Item(), Model)}


        api.add_resource(Hello, '/hello')
        """
    ),
}


def test_a_module_kept_on_flask_names_the_helpers_model_too(tmp_path):
    write_tree(tmp_path, KEPT)
    assert runner.run("flask-to-fastapi", [tmp_path / "pkg"]).count("failed") == 0
    resources = (tmp_path / "pkg/api/resources.py").read_text()
    assert "runs on Flask" in resources and "from flask_restful import Resource" in resources
    assert "from flask_sqlalchemy" not in resources
    check = "from pkg.api import resources; print(resources.Hello().get())"
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "{'model': True}", done.stderr
