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
