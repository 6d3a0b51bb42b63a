"""The first pass reads every file of a run with ``ast``; a file that imports no typer name and never
writes ``command`` or ``add_typer`` (ASCII source) has nothing more to give, so its tree is not walked
again. The facts are the same as with the walk."""

from __future__ import annotations

import ast

from codemods.typer_to_asyncclick import project

PLAIN = '''\
"""Ordinary code."""
import json


def load(text):
    return [json.loads(line) for line in text.splitlines() if line.strip()]


VALUES = load("1\\n2")
'''


def write(tmp_path, files: dict[str, str]) -> list[tuple[str, str]]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return [(name, str(tmp_path / name)) for name in files]


def test_a_plain_file_is_not_walked(tmp_path, monkeypatch):
    walked = []
    real = ast.walk
    monkeypatch.setattr(ast, "walk", lambda node: walked.append(node) or real(node))
    run = project.discover(write(tmp_path, {"plain.py": PLAIN}))
    assert walked == []
    facts = run.modules["plain"]
    assert facts.functions == {"load"}
    assert facts.bindings == {"json": ("json", None)}
    assert facts.calls_by_var == {"VALUES": "load"}
    assert run.involved == set()


def test_a_registration_spelled_in_full_width_letters_is_still_found(tmp_path):
    files = {
        "cli.py": "import typer\n\napp = typer.Typer()\n",
        "tasks.py": "def work():\n    pass\n",
        # Python reads the identifier as NFKC: app.\uff43ommand is app.command
        "main.py": "from cli import app\nfrom tasks import work\n\napp.\uff43ommand()(work)\n",
    }
    run = project.discover(write(tmp_path, files))
    assert list(run.modules["tasks"].registered) == ["work"]
    assert run.modules["cli"].apps["app"].extra_commands == 1
    assert "tasks.py" in run.involved


def test_a_typer_file_keeps_every_fact(tmp_path):
    files = {
        "cli.py": (
            "import typer\n\n\ndef make():\n    return typer.Typer(help='x')\n\n\n"
            "app = make()\nsub = typer.Typer()\napp.add_typer(sub, name='sub')\n"
        ),
    }
    facts = project.discover(write(tmp_path, files)).modules["cli"]
    assert facts.factories == {"make": ("help",)}
    assert facts.apps["app"].factory and facts.apps["app"].children == 1
    assert facts.apps["sub"].named_parent


# Within a file that is walked, only the top-level statements whose own lines say one of the words.
SPREAD = """\
import typer as t
from typer import Typer as Make

app = t.Typer()


def helper(values):
    return sum(v * 2 for v in values if v)


@app.command()
def hello(name: str):
    print(name)


def factory():
    return Make(help="made")


def register(target):
    app.command(
        "later",
    )(target)


sub_app = factory()
app.add_typer(sub_app, name="sub")
"""


def test_only_the_statements_that_say_a_word_are_walked(tmp_path, monkeypatch):
    returns, walked = [], []
    real_returns, real_children = project.returns_typer, ast.iter_child_nodes
    monkeypatch.setattr(
        project, "returns_typer", lambda node, typer: returns.append(node.name) or real_returns(node, typer)
    )
    monkeypatch.setattr(ast, "iter_child_nodes", lambda node: walked.append(node) or real_children(node))
    facts = project.discover(write(tmp_path, {"cli.py": SPREAD, "tasks.py": "def later():\n    pass\n"})).modules["cli"]
    assert returns == ["factory"]  # an alias of Typer (Make) is looked for too
    names = {n.name for n in walked if isinstance(n, ast.FunctionDef)}
    assert names == {"hello", "register", "factory"}, names  # not helper: no word of the first pass in it
    assert facts.factories == {"factory": ("help",)}
    assert [use[0] for use in facts.uses] == ["decorator", "add_typer", "command"]  # ast.walk order


def test_carriage_returns_walk_every_statement(monkeypatch):
    """A file read from disk has its line ends made ``\\n``; a string handed to ``single`` may not."""
    returns = []
    real_returns = project.returns_typer
    monkeypatch.setattr(
        project, "returns_typer", lambda node, typer: returns.append(node.name) or real_returns(node, typer)
    )
    facts = project.single(SPREAD.replace("\n", "\r\n"), "cli.py").modules["__main__"]
    assert returns == ["helper", "hello", "factory", "register"]
    assert [use[0] for use in facts.uses] == ["decorator", "add_typer", "command"]  # ast.walk order
