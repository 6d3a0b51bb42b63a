"""``cst_walk``: the walks see what libcst's visitors see, in their order, without building a node; ``rewrite`` is
libcst's ``node.visit(transformer)``: the same hooks on the same nodes in the same order, the same result, and
what did not change kept as it was."""

from __future__ import annotations

import dataclasses
import inspect
import textwrap
import typing
from pathlib import Path

import libcst as cst
import pytest

from codemods import cst_walk

CODEMODS = Path(cst_walk.__file__).parent

SAMPLE = textwrap.dedent(
    '''
    """Doc."""
    import os
    import a.b as c
    from .x import y  # comment
    from ..z import *


    @decorate(key=value.attr)
    def outer(session, limit=default.value, *args, **kwargs):
        """Docstring."""
        query = session.query(Item).filter_by(owner=owner)
        user = session.get(User, key)
        rows = [r.name for r in user.roles if r.ok(flag=r.kind)]
        for q in query:
            print(q.size, end=sep)
        total = (lambda x, *a, **k: x.count + user.extra)(rows)
        if limit:
            query = query.limit(limit)
        else:
            query, other = query.order_by(Item.name), 1
        value = call_8() if call_9() else -call_10() ** 2
        lookup[call_17():call_18(), ::2] = {k: v for k, v in call_13()} | {*s}
        text = f"{value!r:>{width}}" "tail"
        del a, b[0]
        global g
        assert x, "msg"

        @wraps(outer.inner_deco)
        def inner(arg=query.default, *, kw: int = user.age) -> ret:
            found = session.scalar(arg)
            return found.value + inner_name

        class Local(Base, metaclass=meta(call_3())):
            attr = query.thing
            def method(self):
                made = self.build()
                return made.part

        async def coro():
            async with ctx() as c, other():
                async for item in stream(call_3()):
                    got = [v async for v in await c.fetch() if v]
                    yield got.value
        try:
            return query.all(), render_template("page.html", entries=query)
        except (KeyError, E2) as error:
            raise Wrapped(error.args) from error
        else:
            pass
        finally:
            os.remove(name=path.joinpath("x")[0:-1])
        while (n := n - 1) > 0 and not done:
            x += 1; break


    match command:
        case {"go": [x, *rest]} if x:
            drop_me()
        case Point(x=0) | None:
            pass
    '''
)


# -- the fields followed: libcst's own visiting order, for every node type ----------------------------------


class _Probe:
    """Stands for every field of a node: visited as a node, iterated as a sequence of one."""

    def visit(self, visitor):
        return self

    def __iter__(self):
        return iter([_Probe()])

    def _is_removable(self) -> bool:
        return False


class _Fields(cst.CSTTransformer):
    def __init__(self) -> None:
        super().__init__()
        self.fields: list[str] = []

    def on_visit_attribute(self, node, attribute) -> None:
        self.fields.append(attribute)


def _concrete_nodes() -> list[type]:
    return [
        kind
        for kind in vars(cst).values()
        if isinstance(kind, type) and issubclass(kind, cst.CSTNode) and not inspect.isabstract(kind)
    ]


def _libcst_order(kind: type) -> list[str]:
    """The fields libcst's own ``_visit_and_replace_children`` visits, in its order: run on a node whose every
    field is a probe (the node it builds at the end fails its validation, after the visits)."""
    node = object.__new__(kind)
    for field in dataclasses.fields(kind):
        object.__setattr__(node, field.name, _Probe())
    seen = _Fields()
    try:
        node._visit_and_replace_children(seen)
    except Exception:  # noqa: S110 - the probes are no valid node
        pass
    return list(dict.fromkeys(seen.fields))


@pytest.mark.parametrize("kind", _concrete_nodes(), ids=lambda kind: kind.__name__)
def test_fields_are_followed_in_the_order_libcst_visits_them(kind):
    order = _libcst_order(kind)
    ours = cst_walk._FIELDS[kind]
    assert ours is not None  # read from libcst's source
    assert [n for n in order if n in ours] == list(ours)  # libcst visits each of them, in this order
    left_out = [n for n in order if n not in ours]
    assert all(not cst_walk._holds_code(hint) for n, hint in _hints(kind).items() if n in left_out)


def _hints(kind: type) -> dict:
    return typing.get_type_hints(kind)


def test_libcsts_node_types_are_all_probed():
    assert len(_concrete_nodes()) > 150
    assert _libcst_order(cst.FunctionDef)[:3] == ["leading_lines", "decorators", "lines_after_decorators"]
    assert cst_walk._FIELDS[cst.FunctionDef] == ("decorators", "name", "type_parameters", "params", "returns", "body")
    assert cst_walk._FIELDS[cst.IfExp] == ("body", "test", "orelse")  # ``a if b else c`` as written


# -- children and walk: libcst's visitors' nodes, the very same, in their order --------------------------


class _Order(cst.CSTVisitor):
    """Each node's children in the order a libcst visitor meets them, and every node in that order."""

    def __init__(self) -> None:
        self.stack: list[list[cst.CSTNode]] = [[]]
        self.children: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] = {}
        self.seen: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.seen.append(node)
        self.stack[-1].append(node)
        self.stack.append([])
        self.children[id(node)] = (node, self.stack[-1])
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        self.stack.pop()


SOURCES = [None, CODEMODS / "cst_walk.py", CODEMODS / "sqlalchemy_to_async" / "transformer.py"]
SOURCES += [CODEMODS / "typer_to_asyncclick" / "transformer.py"]


def _module(path: Path | None) -> cst.Module:
    return cst.parse_module(SAMPLE if path is None else path.read_text())


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: "sample" if p is None else p.name)
def test_children_are_libcsts_in_its_order(path):
    module = _module(path)
    order = _Order()
    module.visit(order)
    for node, children in order.children.values():
        expected = [child for child in children if type(child) not in cst_walk.TRIVIA]
        assert [id(c) for c in cst_walk.children(node)] == [id(c) for c in expected], type(node)


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: "sample" if p is None else p.name)
def test_walk_is_libcsts_visit_order_without_rebuilding_nodes(path):
    module = _module(path)
    order = _Order()
    module.visit(order)
    expected = [node for node in order.seen if type(node) not in cst_walk.TRIVIA]
    assert [id(n) for n in cst_walk.walk(module)] == [id(n) for n in expected]  # the very nodes, none rebuilt


def test_walk_meets_decorators_first_and_expressions_as_written():
    module = _module(None)
    calls = [module.code_for_node(n.func) for n in cst_walk.walk(module) if isinstance(n, cst.Call)]
    assert calls.index("decorate") < calls.index("session.query(Item).filter_by")
    assert calls.index("wraps") < calls.index("session.scalar") < calls.index("meta")
    assert calls.index("call_8") < calls.index("call_9") < calls.index("call_10")


def test_walk_can_leave_expressions_out():
    module = _module(None)
    kept = list(cst_walk.walk(module, skip=cst.BaseExpression))
    assert not any(isinstance(node, cst.BaseExpression) for node in kept)
    assert sum(isinstance(node, (cst.Import, cst.ImportFrom)) for node in kept) == 4
    assert not any(isinstance(node, cst.Name) for node in cst_walk.walk(module, skip=(cst.Name, cst.Attribute)))


# -- rewrite: libcst's visit, building only what changes ---------------------------------------------------


class _Logged(cst.CSTTransformer):
    """Renames, removes and multiplies nodes, empties optional and sentinel fields; logs each hook call."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, int]] = []

    def on_visit(self, node):
        if type(node) not in cst_walk.TRIVIA:
            self.log.append(("visit", id(node)))
        return super().on_visit(node)

    def on_leave(self, original, updated):
        if type(original) not in cst_walk.TRIVIA:
            self.log.append(("leave", id(original)))
        return super().on_leave(original, updated)

    def visit_Lambda(self, node):
        return False  # its children not walked

    def leave_Name(self, original, updated):
        return updated.with_changes(value="renamed") if updated.value in ("user", "call_3") else updated

    def leave_SimpleStatementLine(self, original, updated):
        if "print" in cst.Module([]).code_for_node(updated):
            return cst.RemoveFromParent()
        if updated.body and isinstance(updated.body[0], cst.Raise):
            return cst.FlattenSentinel([updated, updated])
        return updated

    def leave_Expr(self, original, updated):
        call = updated.value
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Name) and call.func.value == "drop_me":
            return cst.RemoveFromParent()  # the case's only statement: its body emptied
        return cst.RemoveFromParent() if isinstance(updated.value, cst.Ellipsis) else updated

    def leave_Annotation(self, original, updated):
        return cst.RemoveFromParent()  # an optional field: None

    def leave_ParamStar(self, original, updated):
        return cst.RemoveFromParent()  # a sentinel field (``Parameters.star_arg``): MaybeSentinel.DEFAULT

    def leave_Arg(self, original, updated):
        return cst.RemoveFromParent() if updated.keyword and updated.keyword.value == "end" else updated

    def leave_Assign(self, original, updated):
        if original.targets[0].target.deep_equals(cst.Name("total")):
            return cst.FlattenSentinel([updated, updated.with_changes(value=cst.Integer("2"))])
        return updated


def test_rewrite_is_libcsts_visit_building_only_what_changes():
    source = SAMPLE + "\n\ndef empty(x: int) -> str:\n    ...\n\n\nwhile x:\n    print(x)\n"
    module = cst.parse_module(source)
    by_libcst, ours = _Logged(), _Logged()
    expected = module.visit(by_libcst)
    assert cst_walk.can_rewrite(_Logged)
    got = cst_walk.rewrite(module, ours)
    assert got.code == expected.code
    assert got.deep_equals(expected)
    assert ours.log == by_libcst.log
    assert "renamed" in got.code and "-> str" not in got.code and "end=" not in got.code
    assert "drop_me" not in got.code and "total = 2" in got.code and "*, kw = renamed.age" in got.code
    assert got.body[1] is module.body[1] and got.body[2] is module.body[2]  # nothing in them changed: the same
    assert cst_walk.rewrite(module, cst.CSTTransformer()) is module


def test_rewrite_children_leaves_the_root_to_its_caller():
    module = cst.parse_module(SAMPLE)
    ours = _Logged()
    got = cst_walk.rewrite_children(module, ours)
    assert ("visit", id(module)) not in ours.log and ("leave", id(module)) not in ours.log
    assert got.code == module.visit(_Logged()).code


def test_a_transformer_with_hooks_rewrite_passes_by_is_run_by_libcst():
    class PerAttribute(cst.CSTTransformer):
        def visit_Call_func(self, node):
            pass

    class OnComments(cst.CSTTransformer):
        def leave_Comment(self, original, updated):
            return updated.with_changes(value="# changed")

    class Commas(cst.CSTTransformer):
        def leave_Comma(self, original, updated):
            return updated

    class Operators(cst.CSTTransformer):
        def leave_Add(self, original, updated):
            return cst.Subtract()

    for kind in (PerAttribute, OnComments, Commas, Operators):
        assert not cst_walk.can_rewrite(kind), kind
    assert cst_walk.rewrite(cst.parse_module("x = 1  # a comment\n"), OnComments()).code == "x = 1  # changed\n"
    assert cst_walk.rewrite(cst.parse_module("x = 1 + 2\n"), Operators()).code == "x = 1 - 2\n"


def test_without_libcsts_source_libcst_is_asked(monkeypatch):
    """A libcst whose ``_visit_and_replace_children`` cannot be read (or reads otherwise): the same nodes, from
    libcst's own ``children`` and visits."""
    monkeypatch.setattr(cst_walk, "_visits", lambda kind: None)
    monkeypatch.setattr(cst_walk, "_FIELDS", cst_walk._Fields())
    test_children_are_libcsts_in_its_order(None)
    module = _module(None)
    order = _Order()
    module.visit(order)
    expected = [node for node in order.seen if type(node) not in cst_walk.TRIVIA]
    fields = cst_walk._FIELDS
    walked = list(cst_walk.walk(module))
    assert [id(n) for n in walked] == [id(n) for n in expected]
    assert cst_walk._FIELDS is fields and set(fields.values()) == {None}
    source = SAMPLE + "\n\ndef empty(x: int) -> str:\n    ...\n"
    assert cst_walk.rewrite(cst.parse_module(source), _Logged()).code == cst.parse_module(source).visit(_Logged()).code
