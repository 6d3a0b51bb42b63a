"""``asyncshift`` with the core dependencies only: no SQLAlchemy, Starlette, APScheduler, no application.

Each command runs in a fresh interpreter whose import system refuses every package an extra of
asyncshift brings (read from ``asyncshift/pyproject.toml``), the frameworks an application pins,
and ``admin_assistant``: as in a venv where only ``pip install asyncshift`` ran, without building
one. The verbs that need no extra must work; those that do must still show ``--help``, and when
run must name the fix in one line instead of a traceback.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
APPLICATION_PACKAGES = {"fastapi", "flask", "typer", "greenlet", "admin_assistant"}

# A finder placed first on sys.meta_path: importing a refused package (or anything under it) fails
# as if it were not installed; then the console script's entry point runs with the given argv.
HARNESS = """\
import sys

REFUSED = set(sys.argv[1].split(","))


class Refuse:
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in REFUSED:
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, Refuse())
sys.argv = ["asyncshift", *sys.argv[2:]]
from compat.control.commands import main

main()
"""

FLAGS = """\
version: 1
default: sync
targets:
  repositories: sync
"""

TYPER_CLI = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str):
    print(name)
"""


def extras_packages() -> set[str]:
    """The import names of every package an extra of asyncshift installs (not asyncshift itself)."""
    project = tomllib.loads((ROOT / "asyncshift" / "pyproject.toml").read_text())["project"]
    found = set()
    for requirements in project["optional-dependencies"].values():
        for requirement in requirements:
            name = re.match(r"[A-Za-z0-9_.-]+", requirement).group(0).lower().replace("-", "_")
            if name != "asyncshift":
                found.add(name)
    return found


REFUSED = extras_packages() | APPLICATION_PACKAGES


def asyncshift(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run ``asyncshift ARGS`` in a fresh interpreter that cannot import ``REFUSED``."""
    env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), "PYTHONDONTWRITEBYTECODE": "1", "COLUMNS": "100"}
    command = [sys.executable, "-c", HARNESS, ",".join(sorted(REFUSED)), *args]
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    (tmp_path / "feature_flags.yaml").write_text(FLAGS)
    (tmp_path / "cli.py").write_text(TYPER_CLI)
    return tmp_path


def test_the_refused_packages_cover_every_extra():
    assert {"sqlalchemy", "starlette", "a2wsgi", "apscheduler", "httpx"} <= REFUSED


def test_the_harness_really_refuses(workdir):
    probe = [
        sys.executable,
        "-c",
        HARNESS.replace("from compat.control.commands import main\n\nmain()", "import sqlalchemy"),
        ",".join(sorted(REFUSED)),
    ]
    result = subprocess.run(probe, cwd=workdir, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "ModuleNotFoundError: No module named 'sqlalchemy'" in result.stderr


def test_help_lists_every_verb(workdir):
    result = asyncshift("--help", cwd=workdir)
    assert result.returncode == 0, result.stderr
    for verb in ("codemod", "flags", "rollback", "report", "compare", "promote", "status"):
        assert re.search(rf"^  {verb}\s", result.stdout, re.MULTILINE), verb


def test_codemod_list_and_run(workdir):
    listed = asyncshift("codemod", "list", cwd=workdir)
    assert listed.returncode == 0, listed.stderr
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == ["apscheduler-to-asyncio", "flask-to-fastapi", "sqlalchemy-to-async", "typer-to-asyncclick"]
    assert re.search(r"^typer-to-asyncclick +Typer apps", listed.stdout, re.MULTILINE)
    for verb in ("init", "proxy"):
        assert verb in asyncshift("--help", cwd=workdir).stdout
    ran = asyncshift("codemod", "run", "typer-to-asyncclick", "cli.py", cwd=workdir)
    assert ran.returncode == 0, ran.stderr
    assert "typer-to-asyncclick: 1 file changed" in ran.stdout
    assert (workdir / "cli.py").read_text().startswith("import asyncclick as click\n")


def test_flags_show_set_check_and_rollback(workdir):
    checked = asyncshift("flags", "check", cwd=workdir)
    assert (checked.returncode, checked.stdout) == (0, "ok: feature_flags.yaml (1 target, rollback off)\n")
    moved = asyncshift("flags", "set", "repositories", "shadow", cwd=workdir)
    assert moved.returncode == 0, moved.stderr
    assert moved.stdout.startswith("repositories: sync -> shadow (feature_flags.yaml)")
    shown = asyncshift("flags", "show", "--flags", "feature_flags.yaml", cwd=workdir)
    assert shown.returncode == 0, shown.stderr
    assert re.search(r"^repositories\s+shadow\s", shown.stdout, re.MULTILINE)
    rolled = asyncshift("rollback", cwd=workdir)
    assert rolled.returncode == 0, rolled.stderr
    assert rolled.stdout.startswith("rollback on: every target runs at sync")
    assert "rollback: true" in (workdir / "feature_flags.yaml").read_text()


@pytest.mark.parametrize("verb", ["report", "compare", "promote", "status"])
def test_a_verb_that_needs_the_database_extra_shows_its_help(workdir, verb):
    result = asyncshift(verb, "--help", cwd=workdir)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"Usage: asyncshift {verb} ")
    assert "--db URL" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["report"],
        ["report", "--db", "sqlite:///records.db"],
        ["compare", "services.users", "--call", "get", "--args", "[1]"],
        ["promote", "repositories"],
        ["status"],
    ],
)
def test_a_verb_that_needs_the_database_extra_names_the_fix_in_one_line(workdir, args):
    result = asyncshift(*args, cwd=workdir)
    assert (result.returncode, result.stdout) == (1, "")
    assert result.stderr == f"Error: asyncshift {args[0]} needs the database extra: pip install 'asyncshift[db]'\n"
