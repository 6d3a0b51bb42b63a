"""A project that pins email-validator below 2.0 (WTForms' Email() users) gets it moved: FastAPI's OpenAPI
models take pydantic's EmailStr whenever email_validator imports, and pydantic 2 refuses one older than 2.0
there, so ``import fastapi`` itself failed in the converted app."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner

APP = (
    "from flask import Flask, render_template\n\napp = Flask(__name__)\n\n\n"
    '@app.route("/")\ndef index():\n    return render_template("x.html")\n'
)


def run(tmp_path, pins: str) -> set[str]:
    return set(result(tmp_path, pins).requirements)


def result(tmp_path, pins: str):
    write_tree(tmp_path, {"requirements.txt": pins, "web/app.py": APP, ".git": ""})
    return runner.run("flask-to-fastapi", [tmp_path / "web"])


def test_a_pin_below_2_is_moved_to_2(tmp_path):
    assert "email-validator~=2.0.0" in run(tmp_path, "Flask==1.1.2\nemail-validator==1.1.2\n")


def test_the_report_says_what_2_refuses_that_1_took(tmp_path):
    # email-validator 2 refuses new@test.test, which 1.x took (a form test of the cookiecutter-flask app)
    notes = [n for f in result(tmp_path, "email-validator==1.1.2\n").files for n in getattr(f, "notes", [])]
    assert any("special-use domains" in n and ".test" in n for n in notes)


def test_a_pin_written_with_an_underscore_counts(tmp_path):
    assert "email-validator>=2.0" in run(tmp_path, "Flask==1.1.2\nemail_validator>=1.0\n")


def test_a_pin_at_2_or_later_is_kept(tmp_path):
    assert not any(r.startswith("email-validator") for r in run(tmp_path, "Flask==2.3\nemail-validator==2.1.1\n"))


def test_a_project_without_it_gets_none(tmp_path):
    assert not any(r.startswith("email-validator") for r in run(tmp_path, "Flask==2.3\n"))
