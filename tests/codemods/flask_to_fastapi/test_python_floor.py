"""Annotations a converted view gets import on the project's oldest Python (FastAPI evaluates them at import)."""

from __future__ import annotations

import textwrap

from codemod_helpers import write_tree

from codemods import runner
from codemods.flask_to_fastapi import python_floor

VIEW = """\
from flask import Flask, request

app = Flask(__name__)


@app.route('/x')
def view():
    return {'q': request.args.get('q'), 'tags': request.args.getlist('tag'), 'key': request.headers.get('X-Key')}
"""


def converted(tmp_path, project: dict[str, str]) -> str:
    write_tree(tmp_path, {"app.py": VIEW, **project, "pyproject.toml": project.get("pyproject.toml", "")})
    result = runner.run("flask-to-fastapi", [tmp_path / "app.py"], write=False)
    text = result.files[0].after
    compile(text, "app.py", "exec", dont_inherit=True)
    return text


def test_a_project_on_310_or_later_keeps_the_union_syntax(tmp_path):
    text = converted(tmp_path, {"pyproject.toml": '[project]\nname = "x"\nrequires-python = ">=3.10"\n'})
    assert "q: str | None = None" in text
    assert "Optional" not in text


def test_a_project_that_names_no_python_may_be_older_than_310_so_optional(tmp_path):
    text = converted(tmp_path, {})
    assert "q: Optional[str] = None" in text
    assert "Annotated[Optional[str], Header(" in text
    assert "| None" not in text
    assert "from typing import Annotated, Optional\n" in text


def test_a_pipfile_on_36_or_38_gets_typing_extensions_annotated_and_typing_list(tmp_path):
    text = converted(tmp_path, {"Pipfile": '[requires]\npython_version = "3.8"\n'})
    assert "from typing_extensions import Annotated\n" in text
    assert "from typing import List, Optional\n" in text
    assert "Annotated[List[str], Query(" in text
    result = runner.run("flask-to-fastapi", [tmp_path / "app.py"], write=False)
    assert "typing-extensions>=4.0" in result.requirements


def test_floor_reads_the_lowest_version_a_project_allows(tmp_path):
    write_tree(
        tmp_path, {"setup.cfg": "[options]\npython_requires = >=3.7, <4\n", "pkg/m.py": "", "pyproject.toml": ""}
    )
    assert python_floor.floor(str(tmp_path / "pkg" / "m.py")) == (3, 7)
    write_tree(tmp_path / "b", {"runtime.txt": "python-3.9.18\n", "pyproject.toml": ""})
    assert python_floor.floor(str(tmp_path / "b" / "runtime.txt")) == (3, 9)
    write_tree(tmp_path / "c", {"pyproject.toml": ""})
    assert python_floor.floor(str(tmp_path / "c" / "pyproject.toml")) is None


def test_a_converted_module_on_an_old_python_is_left_alone_the_second_time(tmp_path):
    text = converted(tmp_path, {"Pipfile": '[requires]\npython_version = "3.8"\n'})
    (tmp_path / "app.py").write_text(text)
    again = runner.run("flask-to-fastapi", [tmp_path / "app.py"], write=False)
    assert again.files[0].after in (None, text) or again.files[0].after == text


def test_user_code_without_flask_is_not_touched():
    from codemods.flask_to_fastapi import CODEMOD

    source = textwrap.dedent("def f(x: int | None = None):\n    return x\n")
    assert CODEMOD.apply(source)[0] == source
