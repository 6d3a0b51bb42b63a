"""A test under ``@patch(...)`` of the ``mock`` backport the project pins below 4.0 stays sync: that mock wraps a
coroutine function in a sync wrapper calling it in place. Made ``async def``, pytest was handed a sync test returning
the coroutine ('async def functions are not natively supported': it did not run). Held sync, its awaited calls run to
their end there (``_run_to_end``). Noops: mock 4.0+ and an unpinned mock (async wrappers), ``unittest.mock``."""

from __future__ import annotations

import pytest
from codemod_helpers import write_tree

from codemods.runner import run

TESTS = """\
from mock import patch
import mock
from flask_sqlalchemy import SQLAlchemy

db = SQLAlchemy()


class Role(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(50))


def add_role(name):
    db.session.add(Role(name=name))
    db.session.commit()


@patch("os.getcwd")
def test_patched(getcwd):
    add_role("admin")


@mock.patch.object(Role, "name", "x")
def test_patched_object():
    add_role("user")


def test_plain():
    add_role("guest")
"""


def _converted(tmp_path, pins: str | None) -> str:
    write_tree(tmp_path, {"setup.py": "", "tests/test_roles.py": TESTS})
    if pins is not None:
        (tmp_path / "requirements.txt").write_text(pins)
    (result,) = [f for f in run("sqlalchemy-to-async", [tmp_path]).files if f.path.endswith("test_roles.py")]
    compile(result.after, "<fixture>", "exec", dont_inherit=True)
    return result.after


def test_a_test_under_an_old_mocks_patch_stays_sync_and_runs_its_coroutines_to_the_end(tmp_path):
    after = _converted(tmp_path, "Flask==1.1.2\nmock==2.0.0\n")
    assert "async def add_role(name):" in after
    assert '@patch("os.getcwd")\ndef test_patched(getcwd):\n' in after
    assert '@mock.patch.object(Role, "name", "x")\ndef test_patched_object():\n' in after
    assert '_run_to_end(add_role("admin"))' in after and '_run_to_end(add_role("user"))' in after
    assert 'async def test_plain():\n    await add_role("guest")' in after


@pytest.mark.parametrize("pins", ["mock==4.0.3\n", "Flask==1.1.2\n", None])
def test_noop_a_mock_that_wraps_coroutines_async(tmp_path, pins):
    after = _converted(tmp_path, pins)
    assert 'async def test_patched(getcwd):\n    await add_role("admin")' in after
    assert 'async def test_patched_object():\n    await add_role("user")' in after
