"""The report's ``requirements``: what converted code imports that Flask code did not, with minimum versions."""

from __future__ import annotations

import textwrap

from codemod_helpers import write_tree

from codemods import runner
from codemods.base import Notes
from codemods.flask_to_fastapi import requirements


def declared(code: str, needs: set[str] = frozenset()) -> set[str]:
    notes = Notes()
    requirements.declare(textwrap.dedent(code), set(needs), notes)
    return notes.requirements


def test_plain_code_declares_nothing():
    assert declared("import os\n") == set()


def test_fastapi_and_the_helper_package_declare_fastapi_jinja2_and_itsdangerous():
    needs = declared(
        """\
        from fastapi import FastAPI
        try:
            from ._flask_compat import init_app
        except ImportError:
            from _flask_compat import init_app
        """,
        {"FastAPI", "init_app"},
    )
    assert needs == {"fastapi>=0.100", "jinja2>=2.10", "itsdangerous>=1.1", "uvicorn>=0.20"}


def test_a_form_field_needs_python_multipart():
    assert "python-multipart>=0.0.9" in declared("from fastapi import Form\n", {"Form"})
    assert "python-multipart>=0.0.9" in declared("from _flask_compat import request_form\n", {"request_form"})


def test_the_runner_merges_every_files_needs_into_one_list(tmp_path):
    write_tree(
        tmp_path,
        {
            "app.py": (
                "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
                "@app.route('/login', methods=['POST'])\ndef login():\n    return request.form['name']\n"
            ),
            "models.py": "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n",
            "plain.py": "x = 1\n",
        },
    )
    result = runner.run("flask-to-fastapi", [tmp_path], write=False)
    assert result.requirements == [
        "fastapi>=0.100",
        "itsdangerous>=1.1",
        "jinja2>=2.10",
        "python-multipart>=0.0.9",
        "sqlalchemy>=1.4",
        "uvicorn>=0.20",
    ]
    assert result.as_json()["requirements"] == result.requirements


def test_merging_keeps_the_highest_minimum():
    assert runner.merge_requirements(["Jinja2>=2.10", "jinja2>=3.0", "fastapi>=0.100"]) == [
        "fastapi>=0.100",
        "jinja2>=3.0",
    ]
