"""A library pinned to releases before its first on SQLAlchemy 2 holds the declared SQLAlchemy below 2.0
(``sqlalchemy_companions.capped``), but not where the project also pins one only at releases needing SQLAlchemy 2:
Flask-SQLAlchemy 3.1 requires 2.0.16, so the project ran on 2.x, the holding library (Flask-Admin 1.6.1, which
declares no bound) with it. Held, the converted venv got SQLAlchemy 1.4 under Flask-SQLAlchemy 3.1 and an Alembic
needing 2 ("cannot import name '_NoneName' from 'sqlalchemy.sql.base'"): the converted app failed at import. Both
codemods agree (sqlalchemy-to-async writes the 2.x forms there)."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner

APP = (
    "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\n\n"
    "app = Flask(__name__)\ndb = SQLAlchemy(app)\n\n\n"
    "class Item(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n\n\n"
    '@app.route("/")\ndef index():\n    return {"n": Item.query.count()}\n'
)


def run(tmp_path, pins: str, codemod: str = "flask-to-fastapi") -> set[str]:
    write_tree(tmp_path, {"requirements.txt": pins, "web/app.py": APP, ".git": ""})
    return set(runner.run(codemod, [tmp_path / "web"]).requirements)


def _held(declared: set[str]) -> bool:
    return any(r.lower().startswith("sqlalchemy") and "<2.0" in r for r in declared)


def test_a_library_needing_sqlalchemy_2_keeps_it_open(tmp_path):
    for codemod in ("flask-to-fastapi", "sqlalchemy-to-async"):
        declared = run(tmp_path / codemod, "Flask-SQLAlchemy==3.1.1\nFlask-Admin==1.6.1\n", codemod)
        assert not _held(declared), (codemod, declared)
    assert not _held(run(tmp_path / "floor", "SQLAlchemy>=2.0\nFlask-Admin==1.6.1\n"))


def test_a_library_running_on_both_still_holds_it(tmp_path):
    assert _held(run(tmp_path / "fsa30", "Flask-SQLAlchemy==3.0.5\nFlask-Admin==1.6.1\n"))
    assert _held(run(tmp_path / "open", "Flask-SQLAlchemy>=2.5\nFlask-Admin==1.6.1\n"))
