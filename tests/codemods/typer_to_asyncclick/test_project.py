"""The first pass over a whole run: app factories, shared options and commands from other modules,
nameless add_typer across files. Each package is converted by the runner and run both ways."""

from __future__ import annotations

import importlib
import itertools
import sys
import textwrap
from pathlib import Path

import codemod_helpers  # noqa: F401  (plain Typer help, comparable with Click's: set before typer loads)
from asyncclick.testing import CliRunner as ClickRunner
from typer.testing import CliRunner as TyperRunner

from codemods import runner
from codemods.typer_to_asyncclick import helpshim

_counter = itertools.count()

FACTORY_PACKAGE = {
    "__init__.py": "",
    "common.py": """\
        import typer
        from typing import Annotated

        LABEL = "Print JSON."
        JsonOption = Annotated[bool, typer.Option("--json", help=LABEL)]


        def make_app(help_text: str) -> typer.Typer:
            \"\"\"Every group alike.\"\"\"
            return typer.Typer(help=help_text, no_args_is_help=True, add_completion=False, rich_markup_mode=None)
        """,
    "users.py": """\
        from typing import Annotated

        import typer

        from .common import JsonOption, make_app

        app = make_app("Users.")


        @app.command("create")
        def create(email: Annotated[str, typer.Argument(metavar="EMAIL")], as_json: JsonOption = False):
            \"\"\"Create one.\"\"\"
            print({"email": email} if as_json else email)


        @app.command()
        def list_all(as_json: JsonOption = False):
            print([] if as_json else "nobody")
        """,
    "serve.py": """\
        from typing import Annotated

        import typer


        def serve(port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port.")] = 8000):
            \"\"\"Serve it.\"\"\"
            print(f"serving on {port}")
        """,
    "main.py": """\
        from typing import Annotated

        import typer

        from . import serve, users
        from .common import make_app

        app = make_app("The root.")
        app.add_typer(users.app, name="users")
        app.command("serve", help="Serve on a port.")(serve.serve)


        def _version(value: bool):
            if value:
                print("v1")
                raise typer.Exit()


        @app.callback()
        def root(version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True)] = False):
            \"\"\"Root docstring, not the help.\"\"\"
        """,
}

MERGED_PACKAGE = {
    "__init__.py": "",
    "version.py": """\
        import typer

        app = typer.Typer()


        @app.command()
        def version():
            print("1.0")
        """,
    "users/__init__.py": """\
        import typer

        from .add import app as add_app
        from .remove import app as remove_app

        app = typer.Typer()
        app.add_typer(add_app)
        app.add_typer(remove_app)
        """,
    "users/add.py": """\
        import typer

        app = typer.Typer()


        @app.command()
        def add(name: str):
            print(f"adding {name}")
        """,
    "users/remove.py": """\
        import typer

        app = typer.Typer()


        @app.command()
        def remove_command(name: str):
            print(f"removing {name}")
        """,
    "main.py": """\
        import typer

        from .users import app as users_app
        from .version import app as version_app

        app = typer.Typer()
        app.add_typer(version_app)
        app.add_typer(users_app, name="users")
        """,
}


def _convert(files: dict[str, str], tmp_path: Path) -> tuple[str, str, runner.RunResult]:
    """Write the package twice under two names, convert one with the runner; return both names."""
    n = next(_counter)
    original, converted = f"xf_typer_{n}", f"xf_click_{n}"
    for relative, text in files.items():
        path = tmp_path / "src" / original / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
    result = runner.run("typer-to-asyncclick", [tmp_path / "src" / original], out=tmp_path / "out" / converted)
    assert result.count(runner.FAILED) == 0, [f.error for f in result.files]
    for f in result.files:
        if f.after is not None:
            compile(f.after, f.path, "exec", dont_inherit=True)
    return original, converted, result


async def _both(files: dict[str, str], argvs: list[list[str]], tmp_path: Path) -> list:
    original, converted, _ = _convert(files, tmp_path)
    sys.path[:0] = [str(tmp_path / "src"), str(tmp_path / "out")]
    try:
        typer_app = importlib.import_module(f"{original}.main").app
        click_app = importlib.import_module(f"{converted}.main").app
    finally:
        del sys.path[:2]
    outcomes = []
    for argv in argvs:
        t = TyperRunner().invoke(typer_app, argv, prog_name="prog")
        c = await ClickRunner().invoke(click_app, argv, prog_name="prog")
        outcomes.append((argv, (t.exit_code, t.stdout), (c.exit_code, c.stdout)))
    return outcomes


def _text(result: runner.RunResult, relative: str) -> str:
    found = next(f for f in result.files if f.relative == relative)
    return helpshim.strip(found.after) if found.after is not None else "<unchanged>"


def test_factory_shared_options_and_registered_command_are_rewritten(tmp_path):
    _, _, result = _convert(FACTORY_PACKAGE, tmp_path)
    assert result.todos == 0
    # plain help even with rich, as Typer; the shared option's help constant is imported where it is used
    assert _text(result, "common.py") == textwrap.dedent(
        """\
        import asyncclick as click
        from typing import Annotated


        LABEL = "Print JSON."
        JsonOption = Annotated[bool, click.option("--json", is_flag=True, help=LABEL)]


        def make_app(help_text: str) -> TyperGroup:
            \"\"\"Every group alike.\"\"\"
            return TyperGroup(help=help_text, no_args_is_help=True, add_completion=False, rich_markup_mode=None)
        """
    )
    assert _text(result, "users.py") == textwrap.dedent(
        """\
        from typing import Annotated

        import asyncclick as click

        from .common import make_app, LABEL


        app = make_app("Users.")


        @app.command("create")
        @click.argument("email", metavar="EMAIL", cls=TyperArgument)
        @click.option("--json", "as_json", is_flag=True, default=False, help=LABEL)
        async def create(email: str, as_json: bool = False):
            \"\"\"Create one.\"\"\"
            print({"email": email} if as_json else email)


        @app.command()
        @click.option("--json", "as_json", is_flag=True, default=False, help=LABEL)
        async def list_all(as_json: bool = False):
            print([] if as_json else "nobody")
        """
    )
    assert _text(result, "serve.py") == textwrap.dedent(
        """\
        from typing import Annotated

        import asyncclick as click


        @click.command(cls=TyperCommand, help='Serve on a port.')
        @click.option("--port", type=click.IntRange(min=1, max=65535), default=8000, help="Port.")
        async def serve(port: int = 8000):
            \"\"\"Serve it.\"\"\"
            print(f"serving on {port}")
        """
    )
    assert _text(result, "main.py") == textwrap.dedent(
        """\
        from typing import Annotated

        import asyncclick as click

        from . import serve, users
        from .common import make_app

        app = make_app("The root.")
        app.add_command(users.app, "users")
        app.add_command(serve.serve, "serve")


        def _version(ctx, param, value: bool):
            if value:
                print("v1")
                raise click.exceptions.Exit()


        @click.command()
        @click.option("--version", is_flag=True, default=False, is_eager=True, callback=_version)
        async def root(version: bool = False):
            \"\"\"Root docstring, not the help.\"\"\"


        # 'app' is created above; this gives it its callback and options
        app.callback, app.params = root.callback, root.params
        """
    )


async def test_factory_package_runs_the_same(tmp_path):
    argvs = [
        ["--help"],
        ["--version"],
        ["users", "create", "a@b.c", "--json"],
        ["users", "list-all"],
        ["users", "--help"],
        ["serve", "--port", "9000"],
        ["serve", "--port", "0"],
        ["serve", "--help"],
        ["users", "create", "--help"],
    ]
    for argv, typer_result, click_result in await _both(FACTORY_PACKAGE, argvs, tmp_path):
        assert click_result == typer_result, f"argv={argv}\ntyper: {typer_result}\nclick: {click_result}"


async def test_nameless_add_typer_merges_commands_across_files(tmp_path):
    argvs = [
        ["--help"],
        ["version"],
        ["users", "--help"],
        ["users", "add", "Ana"],
        ["users", "remove-command", "Ana"],
        ["users", "remove", "x"],
    ]
    for argv, typer_result, click_result in await _both(MERGED_PACKAGE, argvs, tmp_path):
        assert click_result == typer_result, f"argv={argv}\ntyper: {typer_result}\nclick: {click_result}"


def test_nameless_add_typer_text(tmp_path):
    _, _, result = _convert(MERGED_PACKAGE, tmp_path)
    assert _text(result, "users/__init__.py") == textwrap.dedent(
        """\
        import asyncclick as click

        from .add import app as add_app
        from .remove import app as remove_app


        app = TyperGroup()
        app.add_command(add_app)
        app.add_command(remove_app)
        """
    )
    assert _text(result, "users/add.py") == textwrap.dedent(
        """\
        import asyncclick as click


        @click.command(cls=TyperCommand)
        @click.argument("name", cls=TyperArgument)
        async def add(name: str):
            print(f"adding {name}")


        app = add
        """
    )
    assert _text(result, "users/remove.py") == textwrap.dedent(
        """\
        import asyncclick as click


        @click.command("remove-command", cls=TyperCommand)
        @click.argument("name", cls=TyperArgument)
        async def remove_command(name: str):
            print(f"removing {name}")


        app = remove_command
        """
    )
    assert _text(result, "version.py") == textwrap.dedent(
        """\
        import asyncclick as click


        @click.command(cls=TyperCommand)
        async def version():
            print("1.0")


        app = version
        """
    )
    assert _text(result, "main.py") == textwrap.dedent(
        """\
        import asyncclick as click

        from .users import app as users_app
        from .version import app as version_app


        app = TyperGroup()
        app.add_command(version_app)
        app.add_command(users_app, "users")
        """
    )


def test_modules_without_typer_facts_are_left_alone(tmp_path):
    files = {
        "__init__.py": "",
        "helpers.py": "def make_app(x):\n    return dict(x=x)\n",
        "uses.py": "from .helpers import make_app\n\napp = make_app(1)\n",
    }
    _, _, result = _convert(files, tmp_path)
    assert {f.relative: f.status for f in result.files} == {
        "__init__.py": "skipped",
        "helpers.py": "skipped",
        "uses.py": "skipped",
    }


def test_a_second_run_changes_nothing(tmp_path):
    _, converted, _ = _convert(FACTORY_PACKAGE, tmp_path)
    again = runner.run("typer-to-asyncclick", [tmp_path / "out" / converted], write=False)
    assert again.count(runner.CHANGED) == 0, [f.relative for f in again.files if f.status == runner.CHANGED]
