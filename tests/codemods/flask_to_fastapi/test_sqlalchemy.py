"""Flask-SQLAlchemy: ``db`` from ``_flask_sqlalchemy.py`` (plain SQLAlchemy), models and queries unchanged.

The helper keeps table names (``AuthorProfile`` -> ``author_profile``) and columns, reads
``SQLALCHEMY_DATABASE_URI`` from the app's config, scopes ``db.session`` to the request and raises
``HTTPException(404)`` from ``get_or_404``/``first_or_404``/``paginate``.
"""

from __future__ import annotations

import textwrap

import sqlalchemy
from codemod_helpers import check_noop, check_transformed

from codemods.flask_to_fastapi import CODEMOD

MODELS = textwrap.dedent("""\
    from flask_sqlalchemy import SQLAlchemy

    db = SQLAlchemy()


    class AuthorProfile(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        name = db.Column(db.String(80), unique=True)
""")
APP = textwrap.dedent("""\
    from flask import Flask
    from flask_sqlalchemy import SQLAlchemy

    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db = SQLAlchemy(app)


    class Note(db.Model):
        id = db.Column(db.Integer, primary_key=True)
        text = db.Column(db.String(200), nullable=False)


    with app.app_context():
        db.create_all()


    @app.post("/notes")
    def add():
        note = Note(text=request_text())
        db.session.add(note)
        db.session.commit()
        return {"id": note.id}, 201


    def request_text():
        return "hello"


    @app.get("/notes/<int:note_id>")
    def get(note_id):
        return {"text": Note.query.get_or_404(note_id).text}


    @app.get("/notes")
    def page():
        found = Note.query.paginate(page=1, per_page=1)
        return {"total": found.total, "items": [n.text for n in found.items]}
""")


def convert(source: str) -> tuple[str, dict]:
    after, notes = CODEMOD.apply(source)
    compile(after, "<converted>", "exec", dont_inherit=True)
    assert CODEMOD.apply(after)[0] == after
    return after, notes.files


def test_noop_plain_sqlalchemy_is_untouched():
    check_noop(CODEMOD, "from sqlalchemy.orm import DeclarativeBase\n\n\nclass Base(DeclarativeBase):\n    pass\n")


def test_models_module_imports_the_helper_and_nothing_else_changes():
    check_transformed(
        CODEMOD,
        MODELS,
        """\
        # TODO(asyncshift): _flask_sqlalchemy.py (written with the converted code) is Flask-SQLAlchemy's db on plain SQLAlchemy; end state: your own DeclarativeBase, engine and a Depends(get_session) dependency
        try:
            from ._flask_sqlalchemy import SQLAlchemy
        except ImportError:
            from _flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()


        class AuthorProfile(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            name = db.Column(db.String(80), unique=True)
        """,  # noqa: E501
    )
    assert "_flask_sqlalchemy.py" in convert(MODELS)[1]


def test_names_without_a_helper_keep_their_import_with_a_todo():
    check_transformed(
        CODEMOD,
        """\
        from flask_sqlalchemy import SQLAlchemy, SignallingSession

        db = SQLAlchemy()
        """,
        """\
        # TODO(asyncshift): _flask_sqlalchemy.py (written with the converted code) is Flask-SQLAlchemy's db on plain SQLAlchemy; end state: your own DeclarativeBase, engine and a Depends(get_session) dependency
        try:
            from ._flask_sqlalchemy import SQLAlchemy
        except ImportError:
            from _flask_sqlalchemy import SQLAlchemy
        from flask_sqlalchemy import SignallingSession  # TODO(asyncshift): flask_sqlalchemy.SignallingSession has no helper: use plain SQLAlchemy

        db = SQLAlchemy()
        """,  # noqa: E501
    )


def test_base_query_is_sqlalchemys_query():
    check_transformed(
        CODEMOD,
        """\
        from flask_sqlalchemy import BaseQuery

        Q = BaseQuery
        """,
        """\
        # TODO(asyncshift): _flask_sqlalchemy.py (written with the converted code) is Flask-SQLAlchemy's db on plain SQLAlchemy; end state: your own DeclarativeBase, engine and a Depends(get_session) dependency
        try:
            from ._flask_sqlalchemy import Query as BaseQuery
        except ImportError:
            from _flask_sqlalchemy import Query as BaseQuery

        Q = BaseQuery
        """,  # noqa: E501
    )


def test_schema_is_the_same_as_flask_sqlalchemys(tmp_path):
    import importlib.util
    import sys

    after, files = convert(MODELS)
    (tmp_path / "_flask_sqlalchemy.py").write_text(files["_flask_sqlalchemy.py"])
    (tmp_path / "models_converted.py").write_text(after)
    sys.path.insert(0, str(tmp_path))
    try:
        spec = importlib.util.spec_from_file_location("models_converted", tmp_path / "models_converted.py")
        converted = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(converted)
    finally:
        sys.path.remove(str(tmp_path))
    namespace: dict = {}
    exec(MODELS, namespace)
    for ours, theirs in [(converted.db.metadata, namespace["db"].metadata)]:
        assert sorted(ours.tables) == sorted(theirs.tables) == ["author_profile"]
        for name in ours.tables:
            mine = [(c.name, str(c.type), c.primary_key, c.nullable, c.unique) for c in ours.tables[name].columns]
            flask = [(c.name, str(c.type), c.primary_key, c.nullable, c.unique) for c in theirs.tables[name].columns]
            assert mine == flask
    assert isinstance(converted.db.metadata, sqlalchemy.MetaData)


def test_app_answers_the_same_side_by_side(tmp_path):
    from side_by_side import assert_same, convert_tree, load

    original = tmp_path / "original"
    original.mkdir()
    (original / "notes_db.py").write_text(APP)
    assert convert_tree(original, tmp_path / "converted").count("failed") == 0
    converted_text = (tmp_path / "converted" / "notes_db.py").read_text()
    assert "Note.query.get_or_404(note_id)" in converted_text and "db.session.commit()" in converted_text
    assert (tmp_path / "converted" / "_flask_sqlalchemy.py").exists()
    flask_app, fastapi_app = load(original, "notes_db"), load(tmp_path / "converted", "notes_db")
    assert_same(
        flask_app,
        fastapi_app,
        [
            ("POST", "/notes"),
            ("POST", "/notes"),
            ("GET", "/notes/1"),
            ("GET", "/notes/9"),
            ("GET", "/notes"),
        ],
    )
