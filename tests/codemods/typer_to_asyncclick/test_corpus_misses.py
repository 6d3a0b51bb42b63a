"""Corpus misses: a ``parser=`` value made once, and ``add_typer(callback=...)`` > ``@app.callback()`` >
``Typer(callback=...)``, as Typer orders them. Each program runs both ways; the outputs must match."""

from __future__ import annotations

import textwrap

import pytest
from codemod_helpers import assert_same

PARSER = """\
import typer


class Money:
    def __init__(self, value: str):
        self.value = value

    def __str__(self):
        return f"<Money {self.value}>"


def parse_money(value: str):
    return Money(value + "$")


app = typer.Typer()


@app.command()
def main(amount: Money = typer.Argument(parser=parse_money), tip: Money = typer.Option("1", parser=parse_money)):
    print(amount, tip)
"""

OVERRIDES = """\
import typer

app = typer.Typer()


def from_app():
    print("from the app")


users_app = typer.Typer(callback=from_app)
{add_typer}


@users_app.callback()
def decorated():
    print("@callback")


@users_app.command()
def create(name: str):
    print(f"create {{name}}")
"""

FROM_ADD_TYPER = """\


def from_add_sub():
    print("from add-sub")


app.add_typer(users_app, name="users", callback=from_add_sub)"""


@pytest.mark.parametrize(
    ("source", "argvs"),
    [
        (PARSER, [["5"], ["5", "--tip", "2"]]),
        (OVERRIDES.format(add_typer='app.add_typer(users_app, name="users")'), [["users", "create", "ann"]]),
        (OVERRIDES.format(add_typer=FROM_ADD_TYPER), [["users", "create", "ann"]]),
    ],
    ids=["parser-once", "decorated-callback-wins", "add-typer-callback-wins"],
)
async def test_runs_the_same(tmp_path, source, argvs):
    await assert_same(textwrap.dedent(source), argvs, tmp_path)
