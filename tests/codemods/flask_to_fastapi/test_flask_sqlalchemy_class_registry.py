"""``db.Model._decl_class_registry`` (SQLAlchemy 1.3's dict of the models' classes by name), read by an app of
Flask-SQLAlchemy 2 to find every model (its admin views, its shell context): the conversion moves a project pinned to
SQLAlchemy 1.3 to 1.4 or later, which has it as ``Model.registry._class_registry`` only, and the converted app failed
at import (AttributeError: type object 'Model' has no attribute '_decl_class_registry'). The helper's ``db.Model``
has it again: the same dict."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from codemod_helpers import write_tree

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
            __tablename__ = "products"
            id = db.Column(db.Integer, primary_key=True)


        class Order(db.Model):
            __tablename__ = "orders"
            id = db.Column(db.Integer, primary_key=True)
        """
    ),
    "shop/admin.py": textwrap.dedent(
        """\
        from . import db, models  # noqa: F401 - the models, declared


        def table_names():
            names = []
            for class_ in list(db.Model._decl_class_registry.values()):
                try:
                    names.append(class_.__tablename__)
                except AttributeError:
                    pass
            return sorted(names)
        """
    ),
}


def test_the_models_class_registry_of_sqlalchemy_1_3_is_there(tmp_path):
    write_tree(tmp_path, FILES)
    assert runner.run("flask-to-fastapi", [tmp_path / "shop"]).count("failed") == 0
    check = "from shop import admin; print(admin.table_names())"
    done = subprocess.run([sys.executable, "-c", check], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == "['orders', 'products']", done.stderr[-2000:]
