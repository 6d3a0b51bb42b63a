"""A ``db`` made by the project's own subclass of Flask-SQLAlchemy's ``SQLAlchemy`` (``class ShopAlchemy(BaseAlchemy)``,
``class BaseAlchemy(_SQLAlchemy)``, ``db = ShopAlchemy()``) is Flask-SQLAlchemy's ``db``: it was taken for an
instance of some class of the run, nothing of the app was converted (every route sync on the sync session). Its own
methods keep working: one doing I/O on ``self.session`` becomes a coroutine its callers await, an override of a
method Flask-SQLAlchemy calls itself (its declarative base's factory) stays sync. Before/after, and the app through
both codemods, served on a SQLite file as the original answers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from codemod_helpers import check_transformed, write_tree

import codemods
from codemods.runner import run
from codemods.sqlalchemy_to_async import CODEMOD

BEFORE = """\
from flask_sqlalchemy import SQLAlchemy as _SQLAlchemy


class BaseAlchemy(_SQLAlchemy):
    def save_all(self, *objects):
        self.session.add_all(objects)
        self.session.commit()


class ShopAlchemy(BaseAlchemy):
    def _make_declarative_base(self, model_class, disable_autonaming=False):
        return super()._make_declarative_base(model_class, disable_autonaming)


db = ShopAlchemy()


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)


def create_thing():
    thing = Thing()
    db.session.add(thing)
    db.session.commit()
    return thing


def store(*things):
    db.save_all(*things)
    return Thing.query.all()
"""

AFTER = """\
from _flask_sqlalchemy_async import SQLAlchemy as _SQLAlchemy
from sqlalchemy import select


class BaseAlchemy(_SQLAlchemy):
    async def save_all(self, *objects):
        self.session.add_all(objects)
        await self.session.commit()


class ShopAlchemy(BaseAlchemy):
    def _make_declarative_base(self, model_class, disable_autonaming=False):
        return super()._make_declarative_base(model_class, disable_autonaming)


db = ShopAlchemy()


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)


async def create_thing():
    thing = Thing()
    db.session.add(thing)
    await db.session.commit()
    return thing


async def store(*things):
    await db.save_all(*things)
    return (await db.session.execute(select(Thing))).scalars().all()
"""


def test_a_db_of_a_subclass_is_the_flask_db():
    check_transformed(CODEMOD, BEFORE, AFTER)


APP = """\
import os

from flask import Flask, jsonify
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import func, select


class ShopAlchemy(SQLAlchemy):
    def made_by(self):
        return type(self).__name__

    def save_all(self, *objects):
        self.session.add_all(objects)
        self.session.commit()

    def count_of(self, model):
        return self.session.scalar(select(func.count()).select_from(model))


db = ShopAlchemy()


class Thing(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["THINGS_URL"]
    db.init_app(app)

    @app.route("/things", methods=["POST"])
    def add():
        db.save_all(Thing(name="b"), Thing(name="a"))
        return jsonify(n=db.count_of(Thing), made_by=db.made_by())

    @app.route("/things")
    def things():
        return jsonify([t.name for t in Thing.query.order_by(Thing.name).all()])

    return app
"""

SERVE = """\
import inspect
import sys

from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    import things

    app = things.create_app()
    with app.app_context():
        things.db.create_all()
    client = app.test_client()
    for answer in (client.post("/things"), client.get("/things")):
        print(answer.status_code, answer.get_json())
    print(*(inspect.iscoroutinefunction(getattr(things.db, name)) for name in ("save_all", "count_of", "made_by")))
    with app.app_context():
        things.db.drop_all()
"""


def test_the_subclass_db_app_served_async(tmp_path):
    write_tree(tmp_path / "flask", {"things/__init__.py": APP})
    assert run("flask-to-fastapi", [tmp_path / "flask/things"], out=tmp_path / "fastapi/things").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/things"]).count("failed") == 0
    converted = (tmp_path / "fastapi/things/__init__.py").read_text()
    assert "await db.save_all(" in converted and "await db.count_of(Thing)" in converted, converted
    assert "async def add(" in converted and "async def things(" in converted, converted
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    env = {"PYTHONPATH": path, "THINGS_URL": f"sqlite:///{tmp_path / 'things.db'}", "PATH": os.environ.get("PATH", "")}
    done = subprocess.run([sys.executable, "-c", SERVE], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.splitlines() == [
        "200 {'made_by': 'ShopAlchemy', 'n': 2}",
        "200 ['a', 'b']",
        "True True False",
    ]
