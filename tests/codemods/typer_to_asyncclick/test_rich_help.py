"""Typer's rich help (panels, rich_help_panel, markup modes, epilog, deprecated, error box) in converted programs.

The converted program renders it with the helper's ``_rich_module`` (in ``_asyncclick_help.py``, written once
beside it) when rich is importable and TYPER_USE_RICH is not off, as Typer does, and prints plain help otherwise.
Both programs run as ``python file.py ARGS`` in a subprocess, so each reads TYPER_USE_RICH and COLUMNS as a
user's would.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from codemod_helpers import check_noop, check_transformed

from codemods.typer_to_asyncclick import CODEMOD, helpshim


def _convert(source: str, folder: Path) -> tuple[Path, Path]:
    source = textwrap.dedent(source)
    converted, notes = CODEMOD.apply(source)
    compile(converted, "<converted>", "exec", dont_inherit=True)
    original, out = folder / "typer", folder / "converted"  # the same file name: the same usage line
    original.mkdir()
    out.mkdir()
    (original / "prog.py").write_text(source)
    (out / "prog.py").write_text(converted)
    for name, text in notes.files.items():
        compile(text, name, "exec", dont_inherit=True)
        (out / name).write_text(text)
    return original / "prog.py", out / "prog.py"


def _run(path: Path, argv: list[str], env: dict[str, str], stub: Path | None = None) -> tuple[int, str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("TYPER_USE_RICH", "FORCE_COLOR", "PY_COLORS", "GITHUB_ACTIONS", "TERMINAL_WIDTH")
    } | env
    env["COLUMNS"] = "80"
    if stub is not None:  # a "rich" that cannot be imported, ahead of the real one
        env["PYTHONPATH"] = os.pathsep.join([str(stub), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, path.name, *argv], cwd=path.parent, env=env, capture_output=True, text=True, timeout=60
    )
    return done.returncode, done.stdout, done.stderr


def assert_same_help(
    source: str, argvs: list[list[str]], tmp_path: Path, *, rich: bool = True, compare_stderr: bool = False
) -> None:
    before, after = _convert(source, tmp_path)
    env = {} if rich else {"TYPER_USE_RICH": "0"}
    for argv in argvs:
        t, c = _run(before, argv, env), _run(after, argv, env)
        assert c[:2] == t[:2], (
            f"argv={argv}\n--- typer (exit {t[0]})\n{t[1]}{t[2]}\n--- click (exit {c[0]})\n{c[1]}{c[2]}"
        )
        if compare_stderr:
            assert c[2] == t[2], f"argv={argv}\n--- typer\n{t[2]}\n--- click\n{c[2]}"


# -- the rewrite: panels and markup modes are kept as keyword arguments -------------------------


def test_module_without_rich_settings_is_left_alone():
    check_noop(CODEMOD, "import asyncclick as click\n\n\n@click.command()\nasync def main():\n    pass\n")


def test_rich_help_panel_and_markup_mode_are_kept():
    check_transformed(
        CODEMOD,
        """\
        import typer

        app = typer.Typer(rich_markup_mode="markdown")


        @app.command(rich_help_panel="Utils")
        def a(
            x: int = typer.Option(1, rich_help_panel="Numbers"),
            name: str = typer.Argument(..., rich_help_panel="Who"),
        ):
            pass


        @app.command()
        def b():
            pass
        """,
        """\
        import asyncclick as click


        app = TyperGroup(rich_markup_mode="markdown")


        @app.command(rich_help_panel="Utils")
        @click.option("--x", default=1, rich_help_panel="Numbers", cls=TyperOption)
        @click.argument("name", rich_help_panel="Who", cls=TyperArgument)
        async def a(
            x: int,
            name: str,
        ):
            pass


        @app.command()
        async def b():
            pass
        """,
    )


KEPT = """\
import typer

app = typer.Typer(rich_markup_mode="rich")


@app.command(rich_help_panel="Utils")
def a(x: int = typer.Option(1, rich_help_panel="Numbers")):
    pass


@app.command()
def b():
    pass
"""


def test_rich_help_panel_and_markup_mode_are_kept_with_a_note():
    check_transformed(
        CODEMOD,
        KEPT,
        """\
        import asyncclick as click


        app = TyperGroup(rich_markup_mode="rich")


        @app.command(rich_help_panel="Utils")
        @click.option("--x", default=1, rich_help_panel="Numbers", cls=TyperOption)
        async def a(x: int):
            pass


        @app.command()
        async def b():
            pass
        """,
    )
    _, notes = CODEMOD.apply(KEPT)  # rendered by the helper's _rich_module when rich is installed
    assert any("rich_help_panel of 'x' kept" in n for n in notes.messages)
    assert any("rich_markup_mode kept" in n for n in notes.messages)


def test_helper_module_is_asked_for_once_per_converted_file_and_parses():
    after, notes = CODEMOD.apply(
        "import typer\n\n\ndef main(name: str):\n    print(name)\n\n\nif __name__ == '__main__':\n    typer.run(main)\n"
    )
    assert sorted(notes.files) == [helpshim.HELPER]  # Typer's rich help is inside it (_rich_module)
    for name, text in notes.files.items():
        compile(text, name, "exec", dont_inherit=True)
    assert "    from rich.panel import Panel\n" in notes.files[helpshim.HELPER] and "class TyperCommand" not in after
    assert "from ._asyncclick_help import TyperArgument, TyperCommand" in after
    _, none = CODEMOD.apply("import asyncclick as click\n")
    assert none.files == {}


def test_shim_imports_rich_only_lazily():
    shim = helpshim.helper()
    assert "import rich" in shim and "except ImportError" in shim
    top = [line for line in shim.splitlines() if line.startswith(("import ", "from "))]
    assert top == ["import asyncclick as click"]


# -- the converted program prints Typer's help, rich or plain -------------------------------------

PANELS = '''
from typing import Annotated

import typer

app = typer.Typer(rich_markup_mode="rich", epilog="Made with [red]love[/red].")


@app.command()
def create(
    username: Annotated[str, typer.Argument(help="The username to create")],
    lastname: Annotated[str, typer.Argument(help="The last name", rich_help_panel="Secondary Arguments")] = "",
    force: Annotated[bool, typer.Option(help="Force [bold]it[/bold]")] = False,
    age: Annotated[
        int, typer.Option(min=0, max=120, envvar="AGE", help="The age", rich_help_panel="Additional Data")
    ] = 20,
    verbose: Annotated[int, typer.Option("-v", count=True)] = 0,
    tags: Annotated[list[str], typer.Option()] = [],
):
    """
    [green]Create[/green] a new user. :sparkles:

    More about it, over
    two lines.
    """
    print(f"Creating user: {username}")


@app.command(rich_help_panel="Utils and Configs", deprecated=True)
def config(configuration: str):
    """[blue]Configure[/blue] the system."""
    print(configuration)


@app.command(rich_help_panel="Utils and Configs", help="Sync everything.")
def sync():
    pass


if __name__ == "__main__":
    app()
'''


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
def test_panels_epilog_deprecated_and_markup_match(tmp_path, rich):
    assert_same_help(
        PANELS, [["--help"], ["create", "--help"], ["config", "--help"], ["create", "Ann"]], tmp_path, rich=rich
    )


MARKDOWN = '''
import typer

app = typer.Typer(rich_markup_mode="markdown")
users = typer.Typer(help="Manage **users**.")
app.add_typer(users, name="users", rich_help_panel="Admin")


@app.callback()
def main():
    """
    The *main* tool.

    * one
    * two
    """


@users.command()
def add(name: str = typer.Option(..., help="The `name`.")):
    """Add a **user**."""
    print(name)


if __name__ == "__main__":
    app()
'''


@pytest.mark.parametrize("rich", [True, False], ids=["rich", "plain"])
def test_markdown_mode_sub_app_panel_match(tmp_path, rich):
    assert_same_help(
        MARKDOWN,
        [["--help"], ["users", "--help"], ["users", "add", "--help"], ["users", "add", "--name", "x"], ["users"], []],
        tmp_path,
        rich=rich,
    )


NO_MARKUP = '''
import typer

app = typer.Typer(rich_markup_mode=None)


@app.command()
def main(name: str = typer.Option("x", help="Keep [brackets].")):
    """Plain [bold]help[/bold]."""
    print(name)


if __name__ == "__main__":
    app()
'''


def test_markup_mode_none_keeps_plain_help_even_with_rich(tmp_path):
    assert_same_help(NO_MARKUP, [["--help"]], tmp_path, rich=True)


ERRORS = """
import typer

app = typer.Typer()


@app.command()
def main(count: int, name: str = typer.Option("x")):
    if count < 0:
        raise typer.Abort()
    print(count, name)


if __name__ == "__main__":
    app()
"""


def test_errors_go_in_typers_box_with_the_same_exit_code(tmp_path):
    before, after = _convert(ERRORS, tmp_path)
    for argv in (["--nope", "1"], [], ["abc"], ["-1"]):
        t, c = _run(before, argv, {}), _run(after, argv, {})
        assert c[0] == t[0] and c[1] == t[1], (argv, t, c)
        assert ("╭─ Error" in c[2]) == ("╭─ Error" in t[2]), (argv, t[2], c[2])
        assert ("Aborted." in c[2]) == ("Aborted." in t[2]), (argv, t[2], c[2])
    assert _run(after, [], {})[2] == _run(before, [], {})[2]  # "Missing argument 'count'." in the same box


def test_without_rich_the_converted_program_prints_plain_help(tmp_path):
    before, after = _convert(PANELS, tmp_path)
    stub = tmp_path / "norich"
    (stub / "rich").mkdir(parents=True)
    (stub / "rich" / "__init__.py").write_text("raise ImportError('rich is not installed')\n")
    plain = _run(before, ["--help"], {"TYPER_USE_RICH": "0"})
    assert _run(after, ["--help"], {}, stub=stub)[:2] == plain[:2]
    assert "╭─" not in plain[1]
