"""A unittest test and the requests it makes with the Flask-style test client share the app's ``scoped_session``
(a plain one, not Flask-SQLAlchemy's, held in a module global the test sets), as Flask's client ran each request in
the test's thread, on that thread's one session: what the view committed (a revote's new choice) is what the test
reads after it. Scoped per task, the request had a session of its own and the test's kept the old row in its
identity map (``'a' != 'b'``). The app and its test go through both codemods; the test drives the app itself."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

import codemods
from codemods.runner import run

APP = """\
import sqlalchemy as sa
from flask import Flask, request
from sqlalchemy.orm import declarative_base, scoped_session, sessionmaker

Base = declarative_base()


class Item(Base):
    __tablename__ = "items"
    id = sa.Column(sa.Integer, primary_key=True)
    name = sa.Column(sa.String(50))

    @classmethod
    def get(cls, session, item_id):
        return session.query(cls).filter(cls.id == item_id).first()


def create_tables(url):
    engine = sa.create_engine(url)
    Base.metadata.create_all(engine)
    return scoped_session(sessionmaker(bind=engine))


def create_session(url):
    return scoped_session(sessionmaker(bind=sa.create_engine(url)))


app = Flask(__name__)
SESSION = create_session("sqlite://")  # the production one, which the test replaces


@app.route("/items/<int:item_id>", methods=["POST"])
def rename(item_id):
    item = Item.get(SESSION, item_id)
    item.name = request.form["name"]
    SESSION.commit()
    return "renamed"
"""

TESTS = """\
import os
import unittest

import shelfapp


class RenameTests(unittest.TestCase):
    def setUp(self):
        self.session = shelfapp.create_tables(os.environ["SHELF_URL"])
        shelfapp.SESSION = self.session
        self.client = shelfapp.app.test_client()

    def tearDown(self):
        self.session.close()

    def test_the_test_reads_what_its_request_committed(self):
        self.session.add(shelfapp.Item(id=1, name="a"))
        self.session.commit()
        item = shelfapp.Item.get(self.session, 1)
        self.assertEqual(item.name, "a")
        self.assertEqual(self.client.post("/items/1", data={"name": "b"}).status_code, 200)
        self.assertEqual(shelfapp.Item.get(self.session, 1).name, "b")
        self.assertEqual(item.name, "b")
"""

RUN = """\
import sys
import unittest

from codemods.flask_to_fastapi.testclient import patch_fastapi

with patch_fastapi():
    import shelf_tests

    result = unittest.TextTestRunner(stream=sys.stdout, verbosity=0).run(
        unittest.defaultTestLoader.loadTestsFromTestCase(shelf_tests.RenameTests)
    )
sys.exit(0 if result.wasSuccessful() else 1)
"""


def test_a_unittest_test_and_its_requests_share_the_scoped_session(tmp_path):
    write_tree(tmp_path / "flask", {"shelfapp.py": APP, "shelf_tests.py": TESTS})
    assert run("flask-to-fastapi", [tmp_path / "flask"], out=tmp_path / "fastapi").count("failed") == 0
    assert run("sqlalchemy-to-async", [tmp_path / "fastapi"]).count("failed") == 0
    converted = (tmp_path / "fastapi/shelf_tests.py").read_text()
    assert "_run_to_end(shelfapp.Item.get(self.session, 1))" in converted
    assert "    await SESSION.commit()\n" in (tmp_path / "fastapi/shelfapp.py").read_text()
    assert '"asyncshift_test_requests"' in (tmp_path / "fastapi/shelfapp.py").read_text()
    path = f"{tmp_path / 'fastapi'}:{Path(codemods.__file__).parents[1]}"
    env = {"PYTHONPATH": path, "SHELF_URL": f"sqlite:///{tmp_path / 'shelf.db'}"}
    done = subprocess.run([sys.executable, "-c", RUN], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
