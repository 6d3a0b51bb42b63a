"""``db.session`` kept in an attribute of a shared object that is set in two places: at module level (kept sync:
``db.sync_session``) and again by a setup function, directly or through a function returning ``db.session``. The
code reading the attribute is left sync (it is no session the rules know), so both must hand the sync session;
before, the setup function's one stayed ``db.session`` and at run time the attribute was the async session
(every sync read of it a coroutine). An attribute set only in functions, and a ``db.session`` returned by a
function whose call is not stored in such an attribute, are left as they were."""

from __future__ import annotations

from pathlib import Path

from codemod_helpers import write_tree

from codemods.runner import run

EXTENSIONS = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()
db.reader = db.session
"""
CORE = """\
from .extensions import db


def setup_db(app):
    def make_reader(db, bind):
        if app.config["BINDS"][bind] == app.config["URI"]:
            return db.session
        return db.create_scoped_session(options=dict(bind=db.get_engine(app, bind=bind)))

    db.init_app(app)
    db.reader = make_reader(db, "reader")
    db.again = db.session
    if db.reader is not db.session:
        app.teardown_appcontext(lambda exc: db.reader.remove())


def setup_other(app):
    app.own = db.session
    app.other = db.session


def current():
    return db.session


def keep(app):
    app.own = current()


def save(user):
    db.session.add(user)
    db.session.commit()
"""
JOBS = """\
from sqlalchemy import text

from .extensions import db


def count_users():
    return db.reader.execute(text("select count(*) from users")).scalar()


def add(user):
    db.session.add(user)
    db.session.commit()
"""
SECOND = "db.again = db.session\n"  # a second module-level assignment: both kept sync already


def _run(tmp_path: Path) -> tuple[str, str]:
    extensions = EXTENSIONS + SECOND
    write_tree(tmp_path, {"app/__init__.py": "", "app/extensions.py": extensions, "app/core.py": CORE})
    write_tree(tmp_path, {"app/jobs.py": JOBS})
    run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    return (tmp_path / "app/extensions.py").read_text(), (tmp_path / "app/core.py").read_text()


def test_an_attribute_set_in_two_places_hands_one_kind_of_session(tmp_path: Path):
    extensions, core = _run(tmp_path)
    assert "db.reader = db.sync_session\n" in extensions  # module level: kept sync, as before
    assert "db.again = db.sync_session\n" in extensions
    assert "            return db.sync_session\n" in core  # the setup function's branch agrees now
    assert "    db.again = db.sync_session\n" in core
    assert "    if db.reader is not db.sync_session:\n" in core  # the setup's own question, unchanged in answer
    assert '    db.reader = make_reader(db, "reader")\n' in core
    compile(core, "core.py", "exec", dont_inherit=True)


def test_attributes_set_only_in_functions_are_left(tmp_path: Path):
    _, core = _run(tmp_path)
    assert "    app.own = db.session\n" in core  # set only in functions: neither kept sync
    assert "    app.other = db.session\n" in core
    assert "def current():\n    return db.session\n" in core  # its call goes to no attribute kept sync


def test_a_second_run_changes_nothing(tmp_path: Path):
    _, core = _run(tmp_path)
    run("sqlalchemy-to-async", [tmp_path / "app"], write=True)
    assert (tmp_path / "app/core.py").read_text() == core
