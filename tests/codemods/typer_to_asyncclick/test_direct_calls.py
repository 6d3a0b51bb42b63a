"""A command's function called as plain Python by the tests, and what such a test relies on.

- a function made a command by ``app.command()(f)`` in another module is called directly: ``await f.callback(...)``
  (as a decorated one), through ``pass_context``'s wrapper when it takes a Context;
- such a call leaves out parameters: ``x: Annotated[T, typer.Option()] = default`` keeps its Python default
  (only the trailing run: no parameter without one after one with one); a list left out is None, not a tuple;
- ``repo_type: KindOpt = KindOpt.model`` reads a shared ``Annotated`` alias of another module for its enum:
  the alias stays imported, with the names its options need, and takes no TODO for its option's name (it is
  no decorator: each parameter annotated with it has its own option written out);
- ``patch("pkg.mod.typer.BadParameter")`` on a module of the run patches what it calls now: ``pkg.mod.click``.

Each package's tests pass on the Typer original and on the converted copy.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from codemods import runner

PACKAGE = {
    "tool/__init__.py": "",
    "tool/common.py": """\
        from enum import Enum
        from typing import Annotated

        import typer


        class Kind(str, Enum):
            model = "model"
            dataset = "dataset"


        KindOpt = Annotated[Kind, typer.Option(help="The kind.")]
        """,
    "tool/upload.py": """\
        from typing import Annotated, Optional

        import typer

        from .common import KindOpt


        def upload(
            ctx: typer.Context,
            name: Annotated[str, typer.Argument(help="The name.")],
            kind: KindOpt = KindOpt.model,
            include: Annotated[Optional[list[str]], typer.Option(help="Globs.")] = None,
            every: Annotated[Optional[float], typer.Option()] = None,
        ) -> None:
            if every is not None and every <= 0:
                raise typer.BadParameter("--every must be positive")
            print(name, kind.value, include)


        def remove(name: Annotated[str, typer.Argument()], force: Annotated[bool, typer.Option()] = False) -> None:
            print("removed", name, force)
        """,
    "tool/cli.py": """\
        import typer

        from .upload import remove, upload

        app = typer.Typer()
        app.command()(upload)
        app.command()(remove)
        """,
    "tests/__init__.py": "",
    "tests/test_upload.py": """\
        from unittest.mock import Mock, patch

        import pytest
        import typer
        from typer.testing import CliRunner

        from tool.cli import app
        from tool.common import Kind
        from tool.upload import remove, upload


        def test_direct(capsys):
            upload(Mock(), name="a", kind=Kind.dataset)
            remove(name="b")
            assert capsys.readouterr().out == "a dataset None\\nremoved b False\\n"


        def test_patched_error():
            class Patched(typer.BadParameter):
                pass

            with patch("tool.upload.typer.BadParameter", Patched):
                with pytest.raises(Patched):
                    upload(Mock(), name="a", every=0)


        def test_cli():
            result = CliRunner().invoke(app, ["upload", "a", "--include", "x"])
            assert result.output == "a model ['x']\\n"
        """,
}


def _pytest(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def test_a_registered_function_called_directly_with_defaults_and_a_patched_typer_of_the_run(tmp_path):
    for relative, text in PACKAGE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    before = _pytest(tmp_path)
    assert "3 passed" in before.stdout, before.stdout[-3000:]
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0  # KindOpt's option is written out where used
    upload = (tmp_path / "tool/upload.py").read_text()
    assert "kind: Kind = KindOpt.model," in upload and "include = list(include or ()) or None" in upload
    assert "from .common import KindOpt, Kind" in upload
    tests = (tmp_path / "tests/test_upload.py").read_text()
    assert "await upload.callback.__wrapped__(Mock(), name=" in tests and "await remove.callback(name=" in tests
    assert 'patch("tool.upload.click.BadParameter", Patched)' in tests
    after = _pytest(tmp_path)
    assert "3 passed" in after.stdout, after.stdout[-3000:]
