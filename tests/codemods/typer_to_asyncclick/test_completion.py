"""Shell completion keeps Typer's protocol, and ``autocompletion=`` callbacks keep working."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from codemod_helpers import check_noop, check_transformed, write_converted

from codemods.typer_to_asyncclick import CODEMOD, helpshim


def test_clicks_shell_complete_is_left_alone():
    check_noop(
        CODEMOD,
        """\
        import asyncclick as click


        def names(ctx, param, incomplete):
            return ["Ana"]


        @click.command()
        @click.option("--name", shell_complete=names)
        async def main(name):
            print(name)
        """,
    )


PROGRAM = """\
import typer

app = typer.Typer()


def complete_name(ctx: typer.Context, incomplete: str):
    for name, help_text in [("Camila", "The reader"), ("Carlos", "The writer"), ("Sebastian", "The type hints guy")]:
        if name.startswith(incomplete):
            yield (name, help_text)


@app.command()
def main(name: str = typer.Option("World", autocompletion=complete_name), verbose: bool = False):
    print(f"Hello {name}")


if __name__ == "__main__":
    app()
"""


def test_no_completion_options_no_completion_section():
    after = check_transformed(
        CODEMOD,
        """\
        import typer

        app = typer.Typer(add_completion=False)


        @app.command()
        def main():
            pass
        """,
        """\
        import asyncclick as click


        @click.command(cls=TyperCommand, add_completion=False)
        async def main():
            pass


        app = main
        """,
    )
    assert "async def _shell_completion" not in after and "_TYPER_SHELLS = " not in after  # nor in the shim


def test_autocompletion_becomes_shell_complete():
    after = check_transformed(
        CODEMOD,
        """\
        import typer


        def names(incomplete: str):
            return ["Ana"]


        def main(name: str = typer.Option("x", autocompletion=names)):
            print(name)


        typer.run(main)
        """,
        """\
        import asyncclick as click


        def names(incomplete: str):
            return ["Ana"]


        @click.command(cls=TyperCommand, add_completion=False)
        @click.option("--name", default="x", shell_complete=TyperCompletion(names))
        async def main(name: str):
            print(name)


        main()
        """,
    )
    assert "import TyperCommand, TyperCompletion" in after and "class TyperCompletion" in helpshim.helper()


def _run(path, env):
    full = {k: v for k, v in os.environ.items() if not k.startswith("_")} | env
    return subprocess.run([sys.executable, str(path), " "], env=full, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    "env",
    [
        {"COMP_WORDS": "prog.py --name Ca", "COMP_CWORD": "2", "_PROG.PY_COMPLETE": "complete_bash"},
        {"COMP_WORDS": "prog.py --", "COMP_CWORD": "1", "_PROG.PY_COMPLETE": "complete_bash"},
        {"_TYPER_COMPLETE_ARGS": "prog.py --name Seb", "_PROG.PY_COMPLETE": "complete_zsh"},
        {
            "_TYPER_COMPLETE_ARGS": "prog.py --name ",
            "_PROG.PY_COMPLETE": "complete_fish",
            "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        },
        {
            "_TYPER_COMPLETE_ARGS": "prog.py --name C",
            "_PROG.PY_COMPLETE": "complete_powershell",
            "_TYPER_COMPLETE_WORD_TO_COMPLETE": "C",
        },
        {"_PROG.PY_COMPLETE": "source_bash"},
    ],
    ids=["bash-value", "bash-options", "zsh", "fish", "powershell", "source-bash"],
)
def test_typer_protocol_gives_the_same_completions(tmp_path, env):
    original, converted = tmp_path / "typer_version" / "prog.py", tmp_path / "click_version" / "prog.py"
    original.parent.mkdir()
    converted.parent.mkdir()
    original.write_text(PROGRAM)
    write_converted(PROGRAM, converted)
    before, after = _run(original, env), _run(converted, env)
    assert before.stdout.strip(), before.stderr
    assert (after.returncode, after.stdout) == (before.returncode, before.stdout), after.stderr


def test_clicks_protocol_still_works(tmp_path):
    converted = tmp_path / "prog.py"
    write_converted(PROGRAM, converted)
    result = _run(
        converted, {"COMP_WORDS": "prog.py --name Ca", "COMP_CWORD": "2", "_PROG_PY_COMPLETE": "bash_complete"}
    )
    assert result.stdout.split() == ["plain,Camila", "plain,Carlos"]
