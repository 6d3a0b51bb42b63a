"""The Typer pass runs on ``cst_walk.rewrite_children`` (libcst's visit without rebuilding what did not change;
``tests/codemods/test_cst_walk.py`` checks that it is libcst's visit): it qualifies, and what it does not touch is
kept as it was."""

from __future__ import annotations

import textwrap

import libcst as cst

from codemods.base import Notes
from codemods.cst_walk import can_rewrite
from codemods.typer_to_asyncclick import CODEMOD, names
from codemods.typer_to_asyncclick.analysis import analyse
from codemods.typer_to_asyncclick.project import single
from codemods.typer_to_asyncclick.transformer import TyperToAsyncClick


def test_the_typer_pass_is_run_alike():
    """No hook on whitespace, punctuation or comments, none per attribute: ``rewrite_children`` runs it."""
    assert can_rewrite(TyperToAsyncClick)


def test_the_typer_pass_keeps_statements_it_does_not_touch():
    source = textwrap.dedent(
        """
        import typer

        app = typer.Typer()


        def helper(values):
            return [v * 2 for v in values if v]


        @app.command()
        def hello(name: str):
            typer.echo(helper([name]))
        """
    )
    module = cst.parse_module(source)
    typer_names = names.collect(module)
    run = single(source, "m.py")
    notes = Notes(path="m.py")
    transformer = TyperToAsyncClick(module, typer_names, analyse(module, typer_names, run, run.facts("m.py")), notes)
    after = module.visit(transformer)
    helper = [s for s in after.body if isinstance(s, cst.FunctionDef) and s.name.value == "helper"]
    assert helper == [module.body[2]] and helper[0] is module.body[2]  # nothing in it is Typer's
    assert "async def hello" in after.code
    assert CODEMOD.apply(source, "m.py")[0].count("def helper(values):\n    return [v * 2 for v in values if v]") == 1
