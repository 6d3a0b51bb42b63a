"""An async test's request on the in-memory SQLite database commits through the test's own session, as
Flask-SQLAlchemy's one session of a test and its requests did: the test's next read (``await
db.session.execute(select(Member))``, its app context's ``AsyncSession``) gives the row as the request left it. With a
session of its own, the request's commit expired nothing of the test's, and the identity map gave the test its stale
object (``verified`` still False). The app goes through both codemods; the test is written as they write one."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

import codemods
from codemods.runner import run

APP = """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    verified = db.Column(db.Boolean, default=False)


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)

    @app.route("/verify/<int:member_id>")
    def verify(member_id):
        member = Member.query.get(member_id)
        member.verified = True
        db.session.commit()
        return "done"

    return app
"""

# an async test in its app context: its own reads, then a request, then its read again
TEST = """\
import asyncio

from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    from sqlalchemy import select

    from verifyapp import Member, create_app, db

    async def check():
        app = create_app()
        with app.app_context():
            db.create_all()
            db.session.add(Member())
            await db.session.commit()
            member = (await db.session.execute(select(Member).filter_by(id=1))).scalars().first()
            print(member.verified)
            print(app.test_client().get("/verify/1").status_code)
            member = (await db.session.execute(select(Member).filter_by(id=1))).scalars().first()
            print(member.verified)

    asyncio.run(check())
"""


def test_the_requests_commit_reaches_the_async_tests_session(tmp_path):
    write_tree(tmp_path / "flask", {"verifyapp/__init__.py": APP})
    assert (
        run("flask-to-fastapi", [tmp_path / "flask/verifyapp"], out=tmp_path / "fastapi/verifyapp").count("failed") == 0
    )
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi/verifyapp"]).count("failed") == 0
    converted = (tmp_path / "fastapi/verifyapp/__init__.py").read_text()
    assert "await db.session.commit()" in converted
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-c", TEST], env={"PYTHONPATH": path}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["False", "200", "True"]
