"""A click command (Flask's ``@app.cli.command()``) calling what became a coroutine runs it to its end where it
calls it (``_run_to_end``, on the sync session): ``flask init`` writes the roles again; it was left unawaited with
a TODO and wrote nothing."""

from __future__ import annotations

import json
from pathlib import Path

from codemod_helpers import run_with_flask_db

from codemods.sqlalchemy_to_async import CODEMOD

PROGRAM = """\
import os

from flask_sqlalchemy import SQLAlchemy


class Cli:
    def command(self, name):
        return lambda fn: fn


class App:
    config = {"SQLALCHEMY_DATABASE_URI": os.environ["APP_DATABASE_URL"]}
    hooks = {"teardown": []}
    cli = Cli()


app = App()
db = SQLAlchemy(app)


class Role(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))

    @staticmethod
    def init_role():
        for name in ("User", "Admin"):
            if db.session.scalar(db.select(Role).filter_by(name=name)) is None:
                db.session.add(Role(name=name))
        db.session.commit()


@app.cli.command("init")
def init_command():
    db.create_all()
    Role.init_role()
    print("Initialized the roles.")
"""

RUN = """\
import json
import program
from program import Role, db

program.init_command()  # as click calls it: no loop runs, nothing awaits
program.init_command()
print(json.dumps(sorted(r.name for r in Role.query.all())))
"""


def test_a_click_command_runs_what_became_a_coroutine_to_its_end(tmp_path: Path):
    converted, notes = CODEMOD.apply(PROGRAM, path="program.py")
    assert "async def init_role" in converted
    assert "    _run_to_end(Role.init_role())\n" in converted and "def init_command():" in converted
    assert "TODO(asyncshift)" not in converted.split("def init_command")[1]
    done = run_with_flask_db(tmp_path, converted, notes, "file", RUN)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.splitlines()[-1]) == ["Admin", "User"]


def test_a_second_run_leaves_it_as_it_is():
    once, _ = CODEMOD.apply(PROGRAM, path="program.py")
    twice, _ = CODEMOD.apply(once, path="program.py")
    assert twice == once


def test_a_blueprint_command_converted_by_flask_to_fastapi_is_a_click_command_too():
    """flask-to-fastapi's ``@cli_command(bp, "init")`` (a blueprint's ``@bp.cli.command``, a Click command of the
    router's group): held sync as ``@app.cli.command``; it became ``async def``, which click cannot run."""
    helper = "try:\n    from ._flask_compat import cli_command\n"
    helper += "except ImportError:\n    from _flask_compat import cli_command\n"
    source = PROGRAM.replace("import os\n", f"import os\n\n{helper}", 1)
    source = source.replace('@app.cli.command("init")', 'bp = object()\n\n\n@cli_command(bp, "init")')
    converted, _ = CODEMOD.apply(source, path="program.py")
    assert "async def init_role" in converted
    assert '@cli_command(bp, "init")\ndef init_command():' in converted
    assert "    _run_to_end(Role.init_role())\n" in converted
