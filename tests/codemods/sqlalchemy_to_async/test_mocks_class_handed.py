"""A patched class's mock handed on as the class's instance (``run_steps(ids, manager_class)``) gets ``AsyncMock``s
for the methods that became async on itself too, not only on what building it gives (``return_value``).

Before: ``@patch("app.steps.Manager", return_value=MagicMock(trigger=AsyncMock()))`` while the test sets
``manager_class.trigger.return_value = [x]`` and hands ``manager_class`` to the code, which awaits
``manager.trigger(...)``: it awaited the list ("object list can't be used in 'await' expression").
"""

from __future__ import annotations

import ast
import subprocess
import sys

from codemod_helpers import write_tree

from codemods.runner import run

STEPS = """\
from typing import Optional

from sqlalchemy.orm import Session


class Manager:
    def __init__(self, session: Session) -> None:
        self.session = session

    def trigger(self, step_id: int):
        return self.session.get(Step, step_id)

    def label(self) -> str:
        return "steps"


def run_steps(ids, manager: Optional[Manager] = None):
    if not manager:
        manager = Manager(None)
    found = []
    for step_id in ids:
        found.extend(manager.trigger(step_id) or [])
    return found
"""

TESTS = """\
import unittest
from unittest import mock

from app.steps import run_steps


class StepsTest(unittest.TestCase):
    @mock.patch("os.sep")
    @mock.patch("app.steps.Manager")
    def test_handed_the_class_mock(self, manager_class, sep):
        manager_class.trigger.return_value = [mock.MagicMock()]
        self.assertEqual(len(run_steps([1, 2], manager_class)), 2)
        manager_class.trigger.assert_called_with(2)

    @mock.patch("app.steps.Manager")
    def test_built(self, manager_class):
        manager_class.return_value.trigger.return_value = [1]
        self.assertEqual(run_steps([1]), [1])


def test_with_item():
    with mock.patch("app.steps.Manager") as manager_class:
        manager_class.trigger.return_value = [1]
        assert run_steps([1], manager_class) == [1]
"""


def test_a_patched_class_handed_on_as_its_instance_gets_async_mocks_on_itself(tmp_path):
    """Decorator and ``with`` item alike; a patch whose class mock is only built from keeps its one ``return_value``.
    The converted tests pass."""
    write_tree(tmp_path, {"app/__init__.py": "", "app/steps.py": STEPS, "tests/__init__.py": "", "tests/t.py": TESTS})
    run("sqlalchemy-to-async", [tmp_path], write=True)
    converted = (tmp_path / "tests/t.py").read_text()
    ast.parse(converted)
    built = '@mock.patch("app.steps.Manager", return_value=MagicMock(trigger=AsyncMock()))'
    handed = '"app.steps.Manager", trigger=AsyncMock(), return_value=MagicMock(trigger=AsyncMock())'
    assert f"    @mock.patch({handed})\n    def test_handed" in converted
    assert f"    {built}\n    def test_built" in converted
    assert f"    with mock.patch({handed}) as manager_class:" in converted
    script = (
        "import asyncio, unittest, tests.t as t\n"
        "result = unittest.TextTestRunner().run(unittest.defaultTestLoader.loadTestsFromTestCase(t.StepsTest))\n"
        "assert result.wasSuccessful(), result.failures + result.errors\n"
        "asyncio.run(t.test_with_item())\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
