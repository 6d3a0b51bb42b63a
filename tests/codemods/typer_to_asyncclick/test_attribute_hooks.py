"""The rewriting pass skips libcst's per-attribute lookups only while it defines no per-attribute method."""

from __future__ import annotations

import libcst as cst

from codemods.base import Notes
from codemods.typer_to_asyncclick import names
from codemods.typer_to_asyncclick.analysis import analyse
from codemods.typer_to_asyncclick.transformer import TyperToAsyncClick

SOURCE = "import typer\n\napp = typer.Typer()\n\n\n@app.command()\ndef hello(name: str):\n    typer.echo(name)\n"


def test_a_per_attribute_method_added_later_still_runs():
    seen = []

    class WithHook(TyperToAsyncClick):
        def visit_Call_func(self, node: cst.Call) -> None:
            seen.append(node)

    module = cst.parse_module(SOURCE)
    typer_names = names.collect(module)
    module.visit(WithHook(module, typer_names, analyse(module, typer_names), Notes()))
    assert len(seen) == 3  # typer.Typer(), app.command() and typer.echo(name)
