"""A fixture of module (class, package, session) scope that runs the CLI: ``@pytest.fixture(scope="module")``
whose ``runner.invoke(...)`` is awaited now. It becomes pytest-asyncio's with an event loop of its own scope
(``@pytest_asyncio.fixture(scope="module", loop_scope="module")``, pytest-asyncio 0.24, which the report then
asks for): in the loop of the first test it would outlive it. Its tests get its value once, as before; it
was left sync with a TODO (its call unawaited: every test reading it failed).

The package's tests pass on the Typer original and on the converted copy.
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
    "tool/cli.py": """\
        import typer

        app = typer.Typer()
        calls = []


        @app.command()
        def listing(count: int = 2):
            calls.append(count)
            for n in range(count):
                typer.echo(f"item {n}")


        @app.command()
        def other():
            typer.echo("other")
        """,
    "tests/__init__.py": "",
    "tests/test_cli.py": """\
        import pytest
        from typer.testing import CliRunner

        from tool.cli import app, calls


        @pytest.fixture(scope="module")
        def listed():
            runner = CliRunner()
            try:
                result = runner.invoke(app, ["listing", "--count", "3"])
                assert result.exception is None
                yield result
            finally:
                calls.append("done")


        @pytest.fixture(scope="session")
        def other_output():
            return CliRunner().invoke(app, ["other"]).output


        def test_first(listed, other_output):
            assert "item 2" in listed.output and other_output == "other\\n"


        def test_second(listed):
            assert listed.exit_code == 0 and calls == [3]
        """,
}


def _pytest(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=", "tests"]
    return subprocess.run(command, cwd=root, env=env, capture_output=True, text=True)


def test_fixtures_of_wider_scope_that_run_the_cli_get_a_loop_of_their_scope(tmp_path):
    for relative, text in PACKAGE.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(textwrap.dedent(text))
    (tmp_path / "pytest.ini").write_text("[pytest]\n")
    before = _pytest(tmp_path)
    assert "2 passed" in before.stdout, before.stdout[-3000:]
    result = runner.run("typer-to-asyncclick", [tmp_path / "tool", tmp_path / "tests"])
    assert result.count(runner.FAILED) == 0 and result.todos == 0
    assert "pytest-asyncio>=0.24" in result.requirements
    tests = (tmp_path / "tests/test_cli.py").read_text()
    assert '@pytest_asyncio.fixture(scope="module", loop_scope="module")\nasync def listed():' in tests
    assert '@pytest_asyncio.fixture(scope="session", loop_scope="session")\nasync def other_output():' in tests
    assert 'result = await runner.invoke(app, ["listing", "--count", "3"])' in tests
    after = _pytest(tmp_path)
    assert "2 passed" in after.stdout, after.stdout[-3000:]
