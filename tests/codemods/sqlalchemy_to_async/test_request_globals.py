"""Flask's ``g`` (and ``request.state``, what flask-to-fastapi writes for it in a view) holding a row a hook loaded:
``g.project`` is the model every assignment of it gives, so its methods that became async are awaited and the
views calling them become async. Typed as Flask's own ``g.project`` before, such a call was left as it was, with
no TODO; where the assignments disagree it is unknown, and the rules for unknown receivers give it a TODO."""

from __future__ import annotations

import pytest

from codemods.sqlalchemy_to_async import CODEMOD

MODEL = """\
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Project(db.Model):
    id = db.Column(db.String(36), primary_key=True)

    def remove_project(self):
        db.session.delete(self)
        db.session.commit()
"""

FLASK_APP = (
    MODEL.replace("from flask_sqlalchemy", "from flask import Flask, g\nfrom flask_sqlalchemy")
    + """

app = Flask(__name__)


@app.before_request
def pull_project():
    g.project = Project.query.get("raclette")


def authenticate(project):
    setattr(g, "project", Project.query.get(project))


@app.route("/delete")
def delete():
    g.project.remove_project()
    return "deleted"
"""
)

CONVERTED_APP = (
    MODEL.replace("from flask_sqlalchemy", "from fastapi import APIRouter, Request\nfrom flask_sqlalchemy")
    + """
from ._flask_compat import g, url_value_preprocessor

main = APIRouter()


@url_value_preprocessor(main)
def pull_project(endpoint, values):
    project = Project.query.get(values.pop("project_id"))
    g.project = project


@main.post("/{project_id}/delete")
def delete_project(request: Request):
    request.state.project.remove_project()
    return "deleted"
"""
)


def test_a_row_a_hook_puts_in_g_is_that_model():
    after, _ = CODEMOD.apply(FLASK_APP)
    assert "async def delete():\n    await g.project.remove_project()" in after
    compile(after, "<fixture>", "exec", dont_inherit=True)


def test_request_state_in_a_converted_view_is_the_same_g():
    after, _ = CODEMOD.apply(CONVERTED_APP)
    assert "async def delete_project(request: Request):\n    await request.state.project.remove_project()" in after
    compile(after, "<fixture>", "exec", dont_inherit=True)


@pytest.mark.parametrize("assignment", ["g.project = project", 'setattr(g, "project", project)'])
def test_an_assignment_of_unknown_type_leaves_it_unknown_with_the_todo(assignment):
    after, _ = CODEMOD.apply(FLASK_APP + f"\n\ndef announce(project):\n    {assignment}\n")
    assert "\ndef delete():\n    # TODO(asyncshift): g.project.remove_project() may be a coroutine now" in after
    compile(after, "<fixture>", "exec", dont_inherit=True)


def test_a_function_giving_a_class_or_its_subclass_gives_the_base():
    source = (
        FLASK_APP
        + """

class ProjectForm:
    def save(self):
        return Project(id="raclette")


class ProjectFormWithCaptcha(ProjectForm):
    pass


def project_form(captcha):
    if captcha:
        return ProjectFormWithCaptcha()
    return ProjectForm()


def create(captcha):
    g.project = project_form(captcha).save()
"""
    )
    after, _ = CODEMOD.apply(source)
    assert "async def delete():\n    await g.project.remove_project()" in after
    compile(after, "<fixture>", "exec", dont_inherit=True)
