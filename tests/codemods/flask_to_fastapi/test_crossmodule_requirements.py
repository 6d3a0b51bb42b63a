"""Requirements read against the project's own pins: a pin that meets the need is kept, not loosened;
a pin below what the converted code needs is named, to move."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods import runner

APP = (
    "from flask import Flask, render_template\n\napp = Flask(__name__)\n\n\n"
    '@app.route("/")\ndef index():\n    return render_template("x.html")\n'
)
MODELS = "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n"


def run(tmp_path, pins: str):
    write_tree(tmp_path, {"requirements.txt": pins, "web/app.py": APP, "web/models.py": MODELS, ".git": ""})
    result = runner.run("flask-to-fastapi", [tmp_path / "web"])
    notes = [n for f in result.files for n in getattr(f, "notes", [])]
    return result.requirements, notes


def test_a_pin_that_meets_the_need_is_not_loosened(tmp_path):
    requirements, notes = run(tmp_path, "Flask==0.12.5\nJinja2==2.10.1\nSQLAlchemy==1.4.46\n")
    assert not any(r.lower().startswith(("jinja2", "sqlalchemy")) for r in requirements)
    assert any("jinja2: the project's pin (==2.10.1) already meets jinja2>=2.10" in n for n in notes)
    assert any("sqlalchemy: the project's pin (==1.4.46) already meets" in n for n in notes)


def test_a_pin_below_the_need_is_named_to_move(tmp_path):
    requirements, notes = run(tmp_path, "flask==1.0\njinja2==2.8\nsqlalchemy>=1.1,<1.4\nitsdangerous>=0.24\n")
    # a pinned line moves only to the needed floor's own line; a floor-only pin just gets the floor
    assert "jinja2~=2.10.0" in requirements and "sqlalchemy~=1.4.0" in requirements
    assert "itsdangerous>=1.1" in requirements
    assert any("jinja2: move the project's pin (==2.8) to jinja2~=2.10.0: the converted code needs" in n for n in notes)
    assert any("sqlalchemy: move the project's pin (>=1.1, <1.4) to sqlalchemy~=1.4.0" in n for n in notes)
    assert any("itsdangerous: move the project's pin (>=0.24) to itsdangerous>=1.1" in n for n in notes)


def test_no_pin_declares_the_lowest_floor_that_works(tmp_path):
    requirements, notes = run(tmp_path, "flask\n")
    assert "jinja2>=2.10" in requirements and "sqlalchemy>=1.4" in requirements
    assert not any("pin" in n for n in notes)


def test_an_upper_bound_only_pin_still_gets_the_floor(tmp_path):
    requirements, _ = run(tmp_path, "jinja2<3\n")
    assert "jinja2>=2.10" in requirements


def test_pins_in_a_requirements_folder_count_as_the_projects(tmp_path):
    write_tree(
        tmp_path,
        {
            "requirements/common.txt": "Flask==0.12.2\nJinja2==2.9.6\n",
            "requirements/dev.txt": "-r common.txt\nfaker==0.7.18\n",
            "web/app.py": APP,
            ".git": "",
        },
    )
    result = runner.run("flask-to-fastapi", [tmp_path / "web"])
    assert "jinja2~=2.10.0" in result.requirements and "jinja2>=2.10" not in result.requirements


def test_pins_of_a_pipfile_lock_count_as_the_projects(tmp_path):
    """A ``Pipfile.lock`` is JSON (``"itsdangerous": {"version": "==0.24"}``): its pins were not read, so
    ``itsdangerous>=1.1`` moved a Flask 1.0 app to itsdangerous 2, whose missing ``json`` Flask 1.0 imports."""
    lock = (
        '{"_meta": {}, "default": {"flask": {"version": "==1.0.2"}, "itsdangerous": {"version": "==0.24"},'
        ' "jinja2": {"version": "==2.10"}, "pyyaml": {"git": "https://example.invalid/pyyaml.git"}},'
        ' "develop": {}}'
    )
    write_tree(tmp_path, {"Pipfile.lock": lock, "web/app.py": APP, ".git": ""})
    result = runner.run("flask-to-fastapi", [tmp_path / "web"])
    assert "itsdangerous~=1.1.0" in result.requirements
    assert not any(r.lower().startswith("jinja2") for r in result.requirements)
