"""pytest-asyncio 0.26, required for the tests made async, needs pytest 8.2 and so pluggy 1.5: a project pinning
them lower (an application with its own pluggy plugin manager, ``pluggy==0.13.1``) had them moved by pip with
nothing in the report (pluggy 0.13.1 -> 1.6.0). Each pin it moves is declared at that floor, and noted."""

from __future__ import annotations

from codemod_helpers import write_tree

from codemods.runner import run

TESTS = """\
from sqlalchemy.orm import Session


def test_commits(s: Session):
    s.commit()
"""


def convert(tmp_path, pins: str):
    write_tree(tmp_path, {"setup.py": "", "requirements.txt": pins, "tests/test_db.py": TESTS})
    return run("sqlalchemy-to-async", [tmp_path / "tests"], write=False)


def test_the_project_s_pytest_and_pluggy_pins_are_moved_in_the_report(tmp_path):
    result = convert(tmp_path, "pluggy==0.13.1\npytest==7.4.4\npytest-mock==3.6.1\n")
    assert {"pytest-asyncio>=0.26", "pluggy>=1.5", "pytest>=8.2"} <= set(result.requirements)
    notes = [n for f in result.files for n in f.notes]
    assert any(n.startswith("pluggy: the project's pin (==0.13.1) moves to pluggy>=1.5") for n in notes)


def test_pins_that_meet_them_and_packages_not_pinned_are_left(tmp_path):
    result = convert(tmp_path / "met", "pluggy>=1.5\npytest==8.3.5\n")
    assert not any(r.startswith(("pluggy", "pytest~", "pytest>")) for r in result.requirements)
    result = convert(tmp_path / "none", "flask==3.0\n")
    assert not any(r.startswith(("pluggy", "pytest~", "pytest>")) for r in result.requirements)
    result = convert(tmp_path / "floor", "pytest>=6\n")  # a floor alone: the newest, which pytest-asyncio takes
    assert not any(r.startswith(("pluggy", "pytest~", "pytest>")) for r in result.requirements)
