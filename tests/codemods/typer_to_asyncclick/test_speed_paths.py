"""The shortcuts the transform takes for speed give what the long way gives (issue 20, point 3)."""

from __future__ import annotations

import textwrap

import libcst as cst

from codemods.typer_to_asyncclick import CODEMOD, snippets
from codemods.typer_to_asyncclick.conversion import _LITERALS
from codemods.typer_to_asyncclick.transformer import TyperToAsyncClick

TWO_COMMANDS = textwrap.dedent(
    """
    import typer

    app = typer.Typer()


    @app.command()
    def one(verbose: bool = typer.Option(False, "--verbose", "-v"), count: int = 3):
        typer.echo(count)


    @app.command()
    def two(verbose: bool = typer.Option(False, "--verbose", "-v"), count: int = 3):
        typer.echo(count)
    """
)


def test_a_line_written_twice_is_parsed_once(monkeypatch):
    parsed: list[str] = []
    real = cst.parse_expression

    def counting(code, *args, **kwargs):
        parsed.append(code)
        return real(code, *args, **kwargs)

    monkeypatch.setattr(cst, "parse_expression", counting)
    snippets.expression.cache_clear()
    snippets.statement.cache_clear()
    code, _ = CODEMOD.apply(TWO_COMMANDS, "cli.py")
    assert code.count('@click.option("--verbose", "-v", is_flag=True, default=False)') == 2
    assert len(parsed) == len(set(parsed)), sorted(parsed)


def test_the_shared_trees_give_the_same_code_as_fresh_ones():
    snippets.expression.cache_clear()
    first, _ = CODEMOD.apply(TWO_COMMANDS, "cli.py")
    again, _ = CODEMOD.apply(TWO_COMMANDS, "cli.py")  # every line from the cache now
    snippets.expression.cache_clear()
    snippets.statement.cache_clear()
    assert first == again


def test_no_rule_rewrites_a_literal():
    """``Conversion.translate`` hands literals back without a walk: the pass has no hook for them."""
    hooks = {name.split("_", 1)[1] for name in dir(TyperToAsyncClick) if name.startswith(("visit_", "leave_"))}
    ours = {
        h
        for h in hooks
        if getattr(TyperToAsyncClick, f"leave_{h}", None) is not getattr(cst.CSTTransformer, f"leave_{h}", None)
        or getattr(TyperToAsyncClick, f"visit_{h}", None) is not getattr(cst.CSTTransformer, f"visit_{h}", None)
    }
    assert not ours & {kind.__name__ for kind in _LITERALS}, ours


def test_a_literal_is_not_walked(monkeypatch):
    walked: list[str] = []
    real = cst.CSTNode.visit

    def visit(self, visitor):
        walked.append(type(self).__name__)
        return real(self, visitor)

    monkeypatch.setattr(cst.CSTNode, "visit", visit)
    code, _ = CODEMOD.apply(TWO_COMMANDS, "cli.py")
    assert "--verbose" in code
    assert not {"SimpleString", "Integer"} & set(walked), walked


def test_the_pass_calls_only_its_own_hooks(monkeypatch):
    """libcst's on_visit/on_leave look up ``visit_<Node>``/``leave_<Node>`` by name and call libcst's empty
    ones for every node the pass has no rule for; the pass calls its own and skips the empty ones."""
    called: list[str] = []
    for name in ("on_visit", "on_leave"):
        real = getattr(cst.CSTTransformer, name)
        monkeypatch.setattr(
            cst.CSTTransformer, name, lambda self, *a, _n=name, _r=real: called.append(_n) or _r(self, *a)
        )
    code, _ = CODEMOD.apply(TWO_COMMANDS, "cli.py")
    assert "async def one" in code and "click.echo(count)" in code
    assert called == []


def test_walk_calls_no_function_per_node():
    import sys
    from collections import Counter

    from codemods.cst_walk import walk

    module = cst.parse_module(TWO_COMMANDS)
    list(walk(module))  # the tables for these node types are filled
    calls: list[str] = []
    sys.setprofile(lambda frame, event, arg: calls.append(frame.f_code.co_name) if event == "call" else None)
    try:
        nodes = list(walk(module))
    finally:
        sys.setprofile(None)
    assert len(nodes) > 50
    assert set(calls) <= {"walk", "<lambda>"}, Counter(calls).most_common(4)
