"""The help shim: Typer-style help classes in a helper module beside converted modules, imported by each."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from codemod_helpers import assert_same, check_noop

from codemods.typer_to_asyncclick import CODEMOD, helpshim


@pytest.fixture(autouse=True)
def plain_typer_help(monkeypatch):
    """Typer's own plain formatter (what it prints without rich), whatever imported typer first."""
    monkeypatch.setattr("typer.core.HAS_RICH", False)


def test_module_without_typer_gets_no_shim():
    check_noop(CODEMOD, "import asyncclick as click\n\n\n@click.command()\nasync def main():\n    pass\n")


def test_converted_module_is_left_alone_on_a_second_run():
    once, _ = CODEMOD.apply(
        "import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef main(name: str):\n    print(name)\n"
    )
    check_noop(CODEMOD, once)


def test_single_command_imports_the_command_and_argument_classes_after_the_imports():
    source = (
        'import typer\n\n\ndef main(name: str):\n    print(name)\n\n\nif __name__ == "__main__":\n    typer.run(main)\n'
    )
    after, notes = CODEMOD.apply(source)
    expected = (
        "import asyncclick as click\n\n"
        + helpshim.import_text(["TyperArgument", "TyperCommand"])
        + '\n\n@click.command(cls=TyperCommand, add_completion=False)\n@click.argument("name", cls=TyperArgument)\n'
        'async def main(name: str):\n    print(name)\n\n\nif __name__ == "__main__":\n    main()\n'
    )
    assert after == expected
    assert notes.files[helpshim.HELPER] == helpshim.helper()  # the classes, once, beside the file
    compile(after, "<fixture>", "exec", dont_inherit=True)


def test_group_without_arguments_imports_only_the_group():
    source = (
        "import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef a():\n    pass\n"
        "\n\n@app.command()\ndef b():\n    pass\n"
    )
    after, _ = CODEMOD.apply(source)
    expected = (
        "import asyncclick as click\n\n"
        + helpshim.import_text(["TyperGroup"])
        + "\n\napp = TyperGroup()\n\n\n@app.command()\nasync def a():\n    pass\n"
        "\n\n@app.command()\nasync def b():\n    pass\n"
    )
    assert after == expected
    assert "class " not in after  # imported, never pasted
    compile(after, "<fixture>", "exec", dont_inherit=True)


def test_strip_leaves_the_module_as_it_was_without_the_helper_import():
    after, _ = CODEMOD.apply("import typer\n\n\ndef main(name: str):\n    print(name)\n\n\ntyper.run(main)\n")
    assert helpshim.strip(after) == (
        "import asyncclick as click\n\n\n@click.command(cls=TyperCommand, add_completion=False)\n"
        '@click.argument("name", cls=TyperArgument)\nasync def main(name: str):\n    print(name)\n\n\nmain()\n'
    )


def test_the_helper_is_imported_inside_a_package_and_from_a_script(tmp_path):
    from codemods.runner import run

    source = tmp_path / "src" / "tool"
    source.mkdir(parents=True)
    (source / "__init__.py").write_text("")
    for name in ("one", "two"):
        (source / f"{name}.py").write_text(
            f"import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef {name}(x: int):\n    print({name!r}, x)\n"
            '\n\nif __name__ == "__main__":\n    app()\n'
        )
    out = tmp_path / "out"
    result = run("typer-to-asyncclick", [tmp_path / "src"], out=out)
    assert sorted(e.relative for e in result.extras) == [f"tool/{helpshim.HELPER}"]
    env = {**os.environ, "PYTHONPATH": str(out), "TYPER_USE_RICH": "0"}
    as_package = subprocess.run(
        [sys.executable, "-m", "tool.one", "--help"], env=env, cwd=tmp_path, capture_output=True, text=True
    )
    assert as_package.returncode == 0 and "Usage: python -m tool.one [OPTIONS] {x}" in as_package.stdout, as_package
    as_script = subprocess.run(
        [sys.executable, str(out / "tool" / "two.py"), "2"], env=env, capture_output=True, text=True
    )
    assert (as_script.returncode, as_script.stdout) == (0, "two 2\n"), as_script


def test_shim_depends_on_asyncclick_only():
    code = helpshim.helper()
    imports = {
        line.split()[1].split(".")[0] for line in code.splitlines() if line.strip().startswith(("import ", "from "))
    }
    assert imports <= {
        "os",
        "sys",
        "importlib",
        "inspect",
        "re",
        "typing",
        "collections",
        "types",
        "asyncclick",
        "rich",
    }  # rich: optional, imported by _rich_module once rich is found importable (test_rich_help.py)


ARGUMENTS = '''
from typing import Annotated, List, Optional

import typer

app = typer.Typer()


@app.command()
def main(
    name: Annotated[str, typer.Argument(help="Who to greet")],
    lastname: Annotated[str, typer.Argument(help="Last name", show_default=False)] = "Doe",
    city: Annotated[Optional[str], typer.Argument(envvar="CITY", metavar="TOWN")] = None,
    extra: Annotated[str, typer.Argument(hidden=True)] = "",
):
    """Say hi."""
    print(name, lastname, city, extra)
'''


async def test_arguments_section_and_usage_line_match(tmp_path):
    await assert_same(ARGUMENTS, [["--help"], ["Ann"], []], tmp_path)


OPTIONS = """
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import List, Tuple

import typer


class Color(str, Enum):
    red = "red"
    green = "green"


def main(
    name: str = typer.Option("World", help="Name."),
    age: int = typer.Option(20, min=0, max=120),
    ratio: float = 0.5,
    color: Color = Color.red,
    shade: Color = typer.Option(Color.green, case_sensitive=False),
    tags: List[str] = typer.Option([]),
    point: Tuple[int, int] = typer.Option((0, 0)),
    config: Path = typer.Option(None, dir_okay=False),
    folder: Path = typer.Option(None, file_okay=False),
    when: datetime = typer.Option(None, formats=["%Y"]),
    start: datetime = typer.Option(None),
    force: bool = False,
    verbose: int = typer.Option(0, "-v", count=True),
    token: str = typer.Option(..., envvar="TOKEN", show_default=False),
):
    print(name, age)


if __name__ == "__main__":
    typer.run(main)
"""


async def test_option_labels_defaults_and_ranges_match(tmp_path):
    await assert_same(OPTIONS, [["--help"]], tmp_path, entry="main")


GROUP = """
import typer

app = typer.Typer(help="Tools.")
users = typer.Typer(help="Users.")
app.add_typer(users, name="users")


@users.command()
def zap(name: str):
    print(name)


@users.command()
def add(name: str):
    print(name)


@app.command()
def version():
    print("1.0")
"""


async def test_group_lists_commands_in_order_and_offers_completion_on_the_root_only(tmp_path):
    await assert_same(GROUP, [["--help"], ["users", "--help"], ["users", "add", "--help"], ["version"]], tmp_path)


CALLBACK = '''
import typer

app = typer.Typer()


@app.callback(invoke_without_command=True)
def main(ctx: typer.Context):
    """Main."""


@app.command()
def run():
    print("run")
'''


async def test_invoke_without_command_keeps_typers_usage_line(tmp_path):
    await assert_same(CALLBACK, [["--help"], []], tmp_path)


async def test_completion_options_can_be_turned_off(tmp_path):
    await assert_same(
        GROUP.replace('typer.Typer(help="Tools.")', 'typer.Typer(help="Tools.", add_completion=False)'),
        [["--help"]],
        tmp_path,
    )


async def test_show_completion_prints_a_script(tmp_path, monkeypatch):
    from asyncclick.testing import CliRunner
    from codemod_helpers import convert_file, load

    monkeypatch.setenv("SHELL", "/bin/bash")
    _, after, _ = convert_file(GROUP, tmp_path)
    result = await CliRunner().invoke(load(after).app, ["--show-completion"], prog_name="tools")
    assert result.exit_code == 0
    assert "_TOOLS_COMPLETE" in result.stdout


EDGES = """
from typing import Annotated

import typer

app = typer.Typer()


@app.command()
def main(ID: Annotated[int, typer.Argument(min=0, max=10)], lastname: str = ""):
    print(ID, repr(lastname))
"""


async def test_uppercase_argument_name_and_empty_default_match(tmp_path):
    await assert_same(EDGES, [["--help"], ["3"], ["3", "--lastname", "x"], ["11"]], tmp_path)
