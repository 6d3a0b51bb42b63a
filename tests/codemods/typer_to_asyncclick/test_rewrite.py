"""``walk.rewrite`` is libcst's ``node.visit(transformer)`` without rebuilding what did not change: the same
hooks called on the same nodes in the same order, the same result, and unchanged subtrees kept as they are."""

from __future__ import annotations

import ast
import inspect
import textwrap

import libcst as cst
import pytest

from codemods.base import Notes
from codemods.typer_to_asyncclick import CODEMOD, names
from codemods.typer_to_asyncclick.analysis import analyse
from codemods.typer_to_asyncclick.project import single
from codemods.typer_to_asyncclick.transformer import TyperToAsyncClick
from codemods.typer_to_asyncclick.walk import _fields, can_rewrite, rewrite, walk

SOURCE = textwrap.dedent(
    """
    \"\"\"Doc.\"\"\"
    import a.b as c
    from .x import y  # comment


    @first(call_1())
    class K(Base, metaclass=meta):
        async def method(self, p=call_5(), *, q: int = 6) -> ret:
            async with lock(call_2()) as held, other():
                async for item in stream(call_3()):
                    values = [v async for v in item if v]
            drop_me()
            keep = f"{value!r:>{width}}"; drop_me(); also = 1
            return {k: v for k, v in call_13()}


    try:
        lookup[call_17():call_18()] = lambda x, *a, **k: x
    except (E1, E2) as err:
        raise Other from err
    else:
        pass
    finally:
        drop_me()
    match command:
        case {"go": [x, *rest]} if x:
            drop_me()
    del a, b[0]
    """
)


def _libcst_order(kind: type) -> list[str]:
    """The fields libcst's ``_visit_and_replace_children`` visits, in its order (read from its source)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(kind._visit_and_replace_children)))
    call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and n.keywords)
    visited = lambda value: any(isinstance(n, ast.Name) and n.id.startswith("visit_") for n in ast.walk(value))  # noqa: E731
    return [k.arg for k in call.keywords if visited(k.value)]


def _concrete_nodes() -> list[type]:
    return [
        kind
        for kind in vars(cst).values()
        if isinstance(kind, type) and issubclass(kind, cst.CSTNode) and not inspect.isabstract(kind)
    ]


@pytest.mark.parametrize("kind", _concrete_nodes(), ids=lambda kind: kind.__name__)
def test_fields_are_walked_in_the_order_libcst_visits_them(kind):
    try:
        order = _libcst_order(kind)
    except StopIteration:  # no children at all (Comment, Newline, ImportStar, ...)
        return
    ours = _fields(kind)
    assert [n for n in order if n in ours] == [n for n in ours if n in order]


class _Record(cst.CSTTransformer):
    """Records each hook call; drops ``drop_me()`` statements, renames ``call_*`` and flattens ``also = 1``."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[tuple[str, int]] = []

    def on_visit(self, node):
        self.calls.append(("visit", id(node)))
        return super().on_visit(node)

    def on_leave(self, original, updated):
        self.calls.append(("leave", id(original)))
        return super().on_leave(original, updated)

    def leave_Name(self, original, updated):
        return updated.with_changes(value="renamed") if original.value.startswith("call_") else updated

    def leave_Expr(self, original, updated):
        call = original.value
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == "drop_me":
            return cst.RemoveFromParent()
        return updated

    def leave_Assign(self, original, updated):
        if original.targets[0].target.deep_equals(cst.Name("also")):
            return cst.FlattenSentinel([updated, updated.with_changes(value=cst.Integer("2"))])
        return updated


def test_the_same_hooks_in_the_same_order_and_the_same_result():
    module = cst.parse_module(SOURCE)
    theirs, ours = _Record(), _Record()
    expected = module.visit(theirs)
    assert can_rewrite(_Record)
    got = rewrite(module, ours)
    content = {id(n) for n in walk(module)}  # rewrite skips whitespace, punctuation and comments
    assert ours.calls == [c for c in theirs.calls if c[1] in content]
    assert got.code == expected.code
    assert got.deep_equals(expected)
    assert "drop_me" not in got.code and "also = 2" in got.code and "renamed" in got.code


def test_what_did_not_change_is_kept_as_it_was():
    module = cst.parse_module(SOURCE)
    got = rewrite(module, _Record())
    assert got.body[0] is module.body[0] and got.body[1] is module.body[1]  # the docstring, the import
    assert got.body[3] is not module.body[3]  # the class: a name renamed inside


def test_a_transformer_with_hooks_on_what_rewrite_skips_is_left_to_libcst():
    class Commas(cst.CSTTransformer):
        def leave_Comma(self, original, updated):
            return updated

    class PerAttribute(cst.CSTTransformer):
        def visit_Call_args(self, node):
            return None

    assert not can_rewrite(Commas) and not can_rewrite(PerAttribute)
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
