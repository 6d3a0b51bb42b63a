"""A project pinning through poetry has its pins in ``poetry.lock`` (``name = "Flask-SQLAlchemy"`` then
``version = "2.5.1"``) and in pyproject's ``[tool.poetry.dependencies]`` (``Flask-SQLAlchemy = "2.5.1"``, no
operator): flask-to-fastapi read neither, so its ``sqlalchemy>=1.4`` stayed open beside Flask-SQLAlchemy 2.5 (pip
took SQLAlchemy 2.0, and the converted app failed at import: ``module 'sqlalchemy' has no attribute '__all__'``),
and a pin of email-validator 1.x went unseen (pydantic 2 refuses it: ``import fastapi`` failed). The lock's
packages are read as ``name==version`` pins, as a ``Pipfile.lock``'s are."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner

APP = (
    "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
    "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n"
    "class Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n"
    '@app.route("/")\ndef index():\n    return {"n": Item.query.count()}\n'
)
PYPROJECT = (
    '[tool.poetry]\nname = "web"\nversion = "1.0"\n\n[tool.poetry.dependencies]\npython = "^3.8"\n'
    'Flask = "1.1.2"\nFlask-SQLAlchemy = "2.5.1"\nSQLAlchemy = "1.3.23"\n'
    'wtforms = {version = "2.3.3", extras = ["email"]}\n'
)


def _package(name: str, version: str) -> str:
    return f'[[package]]\nname = "{name}"\nversion = "{version}"\ndescription = ""\noptional = false\n\n'


LOCK = "".join(
    _package(name, version)
    for name, version in [
        ("email-validator", "1.3.1"),
        ("Flask", "1.1.2"),
        ("Flask-SQLAlchemy", "2.5.1"),
        ("SQLAlchemy", "1.3.23"),
        ("WTForms", "2.3.3"),
    ]
)


def _below_2(requirement: str) -> bool:
    """``sqlalchemy~=1.4.0`` (the least move from the pin) or an open one capped ``<2.0``."""
    return requirement.endswith(("~=1.4.0", "<2.0"))


def _email_validator_2(declared: set[str]) -> bool:
    return bool({"email-validator>=2.0", "email-validator~=2.0.0"} & declared)


def run(tmp_path, lock_name: str = "poetry.lock") -> set[str]:
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, lock_name: LOCK, "web/app.py": APP, ".git": ""})
    return set(runner.run("flask-to-fastapi", [tmp_path / "web"]).requirements)


def test_a_poetry_lock_holds_sqlalchemy_below_2_for_flask_sqlalchemy_2(tmp_path):
    declared = run(tmp_path)
    sqlalchemy = [r for r in declared if r.lower().startswith("sqlalchemy")]
    assert sqlalchemy and all(_below_2(r) for r in sqlalchemy), declared


def test_a_poetry_lock_pinning_email_validator_1_moves_it(tmp_path):
    declared = run(tmp_path)
    assert _email_validator_2(declared), declared


def test_a_uv_lock_is_read_the_same_way(tmp_path):
    declared = run(tmp_path, "uv.lock")
    assert _email_validator_2(declared), declared
    assert all(_below_2(r) for r in declared if r.lower().startswith("sqlalchemy")), declared
