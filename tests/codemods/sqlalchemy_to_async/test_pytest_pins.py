"""pytest-asyncio 0.26, required for the tests made async, needs pytest 8.2 and so pluggy 1.5: a project pinning
them lower (an application with its own pluggy plugin manager, ``pluggy==0.13.1``, reading pluggy's internals) had
them moved by pip (pluggy 0.13.1 -> 1.6.0) and broke. Such a project gets an older pytest-asyncio that runs on its
pins (0.17-0.21), ``asyncio_mode`` alone in its config and the session's one loop as a conftest's ``event_loop``
fixture; a pin below even that one's floor is declared at it, and noted."""

from __future__ import annotations

import ast

from codemod_helpers import write_tree

from codemods.runner import run
from codemods.sqlalchemy_to_async import loop_fixture, pytest_pins

TESTS = """\
from sqlalchemy.orm import Session


def test_commits(s: Session):
    s.commit()
"""


def convert(tmp_path, pins: str, files: dict[str, str] | None = None, write: bool = False):
    write_tree(tmp_path, {"setup.py": "", "requirements.txt": pins, "tests/test_db.py": TESTS, **(files or {})})
    return run("sqlalchemy-to-async", [tmp_path], write=write)


def _notes(result) -> list[str]:
    return [n for f in result.files for n in f.notes]


def _moves(result) -> list[str]:
    return [r for r in result.requirements if r.startswith(("pluggy", "pytest>", "pytest~"))]


def test_the_project_s_pytest_and_pluggy_pins_are_kept(tmp_path):
    result = convert(tmp_path, "pluggy==0.13.1\npytest==7.4.4\npytest-mock==3.6.1\n", write=True)
    assert pytest_pins.LEGACY in result.requirements and "pytest-asyncio>=0.26" not in result.requirements
    assert _moves(result) == []
    assert (tmp_path / "pytest.ini").read_text() == "[pytest]\nasyncio_mode = auto\n"  # no key 0.21 does not know
    conftest = (tmp_path / "conftest.py").read_text()
    assert conftest == loop_fixture.CODE
    fixture = next(n for n in ast.parse(conftest).body if isinstance(n, ast.FunctionDef) and n.name == "event_loop")
    assert "scope='session'" in ast.unparse(fixture.decorator_list[0])
    assert any("conftest.py created: a session-scoped event_loop fixture" in n for n in _notes(result))
    again = run("sqlalchemy-to-async", [tmp_path], write=True)  # a second run changes nothing
    assert [e for e in again.extras if e.status != "unchanged"] == []
    assert (tmp_path / "conftest.py").read_text() == conftest


def test_a_pin_below_the_older_one_s_floor_is_moved_to_it(tmp_path):
    result = convert(tmp_path, "pytest==5.3.2\npluggy==0.13.1\n")
    assert pytest_pins.LEGACY in result.requirements and _moves(result) == ["pytest>=5.4"]
    assert any(n.startswith("pytest: the project's pin (==5.3.2) moves to pytest>=5.4") for n in _notes(result))


def test_the_fixture_goes_where_no_conftest_is_and_a_project_s_own_is_left(tmp_path):
    pins = "pluggy==0.13.1\n"
    convert(tmp_path / "root", pins, {"conftest.py": "import pytest\n"}, write=True)
    assert (tmp_path / "root" / "conftest.py").read_text() == "import pytest\n"
    assert (tmp_path / "root" / "tests" / "conftest.py").read_text() == loop_fixture.CODE
    own = "import asyncio\n\n\ndef event_loop():\n    yield asyncio.new_event_loop()\n"
    result = convert(tmp_path / "own", pins, {"tests/conftest.py": "import pytest\n" + own}, write=True)
    assert not (tmp_path / "own" / "conftest.py").exists()
    assert not any("event_loop" in n for n in _notes(result))
    both = {"conftest.py": "import pytest\n", "tests/conftest.py": "import pytest\n"}
    result = convert(tmp_path / "full", pins, both, write=True)
    assert (tmp_path / "full" / "tests" / "conftest.py").read_text() == "import pytest\n"
    assert loop_fixture.BY_HAND in _notes(result)


def test_pins_that_meet_them_and_packages_not_pinned_are_left(tmp_path):
    for name, pins in (("met", "pluggy>=1.5\npytest==8.3.5\n"), ("none", "flask==3.0\n"), ("floor", "pytest>=6\n")):
        result = convert(tmp_path / name, pins, write=True)  # a floor alone: the newest, which pytest-asyncio takes
        assert "pytest-asyncio>=0.26" in result.requirements and pytest_pins.LEGACY not in result.requirements
        assert _moves(result) == [] and not (tmp_path / name / "conftest.py").exists()
        assert "asyncio_default_test_loop_scope = session" in (tmp_path / name / "pytest.ini").read_text()
