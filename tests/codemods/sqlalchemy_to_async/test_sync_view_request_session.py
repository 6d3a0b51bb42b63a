"""A view the conversion leaves sync (it reads a legacy ``Query`` a model method built: FastAPI runs it in its
threadpool, off the loop) reads through the request's own session, as the request's hooks on the loop read, so what
the view loads and what a hook loaded are objects of one session, as in Flask-SQLAlchemy (issue 14).

A ``url_value_preprocessor`` loads ``g.project`` on the loop through the request's ``AsyncSession``; the view's
bills came from the worker thread's ``db.sync_session``: ``set(project.active_members) <= set(bill.owers)``
compared rows of two sessions (never true: a bill owed by everyone showed no one). Side by side with Flask; both
codemods convert the app. A sync view changing what it read and committing on ``db.session`` commits it (the
request's session is committed on the loop that waits for the thread).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from codemod_helpers import write_tree

import codemods
from codemods.runner import run

APP = {
    "billsapp/__init__.py": """\
from flask import Flask
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


def create_app():
    app = Flask(__name__)
    app.config["SQLALCHEMY_DATABASE_URI"] = "sqlite://"
    db.init_app(app)
    from .views import main

    app.register_blueprint(main)
    return app
""",
    "billsapp/models.py": """\
from . import db

owers = db.Table(
    "owers",
    db.Column("bill_id", db.Integer, db.ForeignKey("bill.id")),
    db.Column("member_id", db.Integer, db.ForeignKey("member.id")),
)


class Project(db.Model):
    id = db.Column(db.String(20), primary_key=True)
    members = db.relationship("Member", backref="project")

    @property
    def active_members(self):
        return [m for m in self.members if m.active]

    def member_query(self):
        return Member.query.filter(Member.project_id == self.id).order_by(Member.id)

    def bills(self):
        return db.session.query(Bill).join(Bill.payer).filter(Member.project_id == self.id)


class Member(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(20))
    active = db.Column(db.Boolean, default=True)
    project_id = db.Column(db.String(20), db.ForeignKey("project.id"))


class Bill(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    payer_id = db.Column(db.Integer, db.ForeignKey("member.id"))
    owers = db.relationship(Member, secondary=owers)
    payer = db.relationship(Member, foreign_keys=[payer_id])

    def label(self, active):
        owing = set(self.owers)
        return "everyone" if set(active) <= owing else ", ".join(m.name for m in active if m in owing)
""",
    "billsapp/views.py": """\
from flask import Blueprint, g, jsonify

from . import db
from .models import Bill, Member, Project

main = Blueprint("main", __name__)


@main.url_value_preprocessor
def pull_project(endpoint, values):
    g.project = Project.query.get(values.pop("project_id"))


@main.route("/<project_id>/bills")
def list_bills():
    query = g.project.bills()
    bills = query.filter(Bill.id > 0).paginate(per_page=100, error_out=True)
    return jsonify([bill.label(g.project.active_members) for bill in bills.items])


@main.route("/<project_id>/members/<int:member_id>/off", methods=["POST"])
def deactivate(member_id):
    member = Member.query.get(member_id)
    member.active = False
    db.session.commit()
    return "", 204


@main.route("/<project_id>/members/<int:member_id>/rename", methods=["POST"])
def rename(member_id):
    member = Member.query.get(member_id)
    member.name = member.name.upper()
    db.session.commit()
    return jsonify([m.name for m in g.project.member_query()])
""",
}
# The rename view as a view left sync would be (one calling something blocking besides): what it loads in the
# worker thread is the request's, and its commit on db.session writes it.
SYNC_RENAME = """

@main.post("/{project_id}/members/{member_id:int}/rename-sync")
def rename_sync(request: Request, member_id: int):
    member = Member.query.get(member_id)
    member.name = member.name.upper()
    db.session.commit()
    return JSONResponse([m.name for m in request.state.project.member_query()])
"""
SCENARIO = """\
import asyncio, json, sys


def scenario(app, db, models, rename):
    with app.app_context():
        db.create_all()
        members = [models.Member(name=name) for name in ("ann", "bob", "cy")]
        db.session.add(models.Project(id="trip", members=members))
        db.session.add(models.Bill(payer=members[0], owers=members))
        done = db.session.commit()
        if asyncio.iscoroutine(done):
            asyncio.run(done)
    client = app.test_client()
    found = [client.get("/trip/bills").get_json()]
    assert client.post("/trip/members/3/off").status_code == 204
    found.append(client.get("/trip/bills").get_json())
    found.append(client.post("/trip/members/1/" + rename).get_json())
    found.append(client.post("/trip/members/2/" + rename).get_json())
    found.append(client.get("/trip/bills").get_json())
    return found


if sys.argv[1] == "flask":
    from billsapp import create_app, db, models

    print(json.dumps(scenario(create_app(), db, models, "rename")))
else:
    from codemods.flask_to_fastapi.testclient import patch_fastapi

    with patch_fastapi():
        from billsapp import create_app, db, models

        print(json.dumps(scenario(create_app(), db, models, sys.argv[1])))
"""
EXPECTED = [["everyone"], ["everyone"], ["ANN", "bob", "cy"], ["ANN", "BOB", "cy"], ["everyone"]]


def run_scenario(root: Path, *args: str) -> list:
    path = f"{root}:{Path(codemods.__file__).parents[1]}"
    done = subprocess.run(
        [sys.executable, "-c", SCENARIO, *args], env={"PYTHONPATH": path}, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_a_sync_views_reads_are_of_the_requests_session(tmp_path: Path):
    write_tree(tmp_path / "flask", APP)
    out = tmp_path / "fastapi"
    assert run("flask-to-fastapi", [tmp_path / "flask/billsapp"], out=out / "billsapp").count("failed") == 0
    assert run("sqlalchemy-to-async", [out / "billsapp"]).count("failed") == 0
    views = out / "billsapp/views.py"
    assert "\ndef list_bills(" in views.read_text()  # left sync: FastAPI runs it in its threadpool
    views.write_text(views.read_text() + SYNC_RENAME)
    assert run_scenario(tmp_path / "flask", "flask") == EXPECTED
    assert run_scenario(out, "rename") == EXPECTED
    assert run_scenario(out, "rename-sync") == EXPECTED
