"""The read-only walk sees what libcst's visit sees, in the same order (the analysis depends on the order)."""

from __future__ import annotations

import textwrap

import libcst as cst

from codemods.typer_to_asyncclick.walk import walk

SOURCE = textwrap.dedent(
    """
    import a.b as c
    from .x import y


    @first(call_1())
    class K(Base(call_2()), metaclass=meta(call_3())):
        @deco(call_4())
        def method(self, p=call_5(), *, q: int = call_6()) -> ret(call_7()):
            try:
                value = call_8() if call_9() else call_10()
            except handler(call_11()) as err:
                import nested
            return [call_12(v) for v in call_13() if call_14(v)]


    app.add_typer(one(), name="x")
    app.add_typer(two())
    f(key=call_15(), *rest(call_16()))
    lookup[call_17():call_18()]
    """
)


class _Seen(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Call, cst.Name, cst.Import, cst.ImportFrom, cst.FunctionDef, cst.ClassDef)):
            self.seen.append(node)
        return True


def test_walk_yields_libcst_visit_order_without_rebuilding_nodes():
    module = cst.parse_module(SOURCE)
    visitor = _Seen()
    module.visit(visitor)
    kinds = (cst.Call, cst.Name, cst.Import, cst.ImportFrom, cst.FunctionDef, cst.ClassDef)
    walked = [node for node in walk(module) if isinstance(node, kinds)]
    assert [id(n) for n in walked] == [id(n) for n in visitor.seen]  # the very nodes, none rebuilt
    calls = [module.code_for_node(n.func) for n in walked if isinstance(n, cst.Call)]
    assert calls.index("first") < calls.index("call_1") < calls.index("Base") < calls.index("call_4")
    assert calls.index("call_8") < calls.index("call_9") < calls.index("call_10")


def test_walk_can_leave_expressions_out():
    module = cst.parse_module(SOURCE)
    kept = list(walk(module, skip=cst.BaseExpression))
    assert not any(isinstance(node, cst.BaseExpression) for node in kept)
    assert sum(isinstance(node, (cst.Import, cst.ImportFrom)) for node in kept) == 3
