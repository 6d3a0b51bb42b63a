"""The one walk of a module the per-function scans read (``prewalk``): what libcst's visitors would have found,
in their order, from a single pass."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from codemods import cst_walk
from codemods.sqlalchemy_to_async import CODEMOD, imports, prewalk, urls

PACKAGE = Path(prewalk.__file__).parent

SAMPLE = '''\
import os


@decorate(key=value.attr)
def outer(session, limit=default.value):
    """Docstring."""
    query = session.query(Item).filter_by(owner=owner)
    user = session.get(User, key)
    rows = [r.name for r in user.roles if r.ok(flag=r.kind)]
    for q in query:
        print(q.size, end=sep)
    total = (lambda x: x.count + user.extra)(rows)
    if limit:
        query = query.limit(limit)
    else:
        query, other = query.order_by(Item.name), 1

    @wraps(outer.inner_deco)
    def inner(arg=query.default, *, kw: int = user.age):
        found = session.scalar(arg)
        return found.value + inner_name

    class Local(Base):
        attr = query.thing
        def method(self):
            made = self.build()
            return made.part

    async def coro():
        async with ctx() as c:
            got = await c.fetch()
            return got.value
    try:
        return query.all(), render_template("page.html", entries=query)
    except KeyError as error:
        raise Wrapped(error.args) from error
    finally:
        os.remove(name=path.joinpath("x")[0:-1])
'''


class _Order(cst.CSTVisitor):
    """Each node's children in the order a libcst visitor meets them (one walk)."""

    def __init__(self) -> None:
        self.stack: list[list[cst.CSTNode]] = [[]]
        self.children: dict[int, tuple[cst.CSTNode, list[cst.CSTNode]]] = {}

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.stack[-1].append(node)
        self.stack.append([])
        self.children[id(node)] = (node, self.stack[-1])  # in the order they are met
        return True

    def on_leave(self, node: cst.CSTNode) -> None:
        self.stack.pop()


def _every_node(module: cst.Module):
    order = _Order()
    module.visit(order)
    for node, children in order.children.values():
        yield node, [child for child in children if type(child) not in cst_walk.TRIVIA]


def _reference(function: cst.FunctionDef):
    """What ``lazy_loads`` and ``query_vars`` collected with their own libcst visitors (before ``prewalk``)."""
    assigned, read, names, steps, nested = {}, {}, {}, [], set()

    class Lazy(cst.CSTVisitor):
        def visit_Assign(self, node):
            target = node.targets[0].target if len(node.targets) == 1 else None
            if isinstance(target, cst.Name) and isinstance(node.value, cst.Call):
                assigned.setdefault(target.value, []).append(node.value)

        def visit_Attribute(self, node):
            if isinstance(node.value, cst.Name):
                read.setdefault(node.value.value, set()).add(node.attr.value)

    class Nested(cst.CSTVisitor):
        def visit_Name(self, node):
            nested.add(node.value)

    class Query(cst.CSTVisitor):
        def visit_Name(self, node):
            names.setdefault(node.value, []).append(node)

        def visit_Attribute(self, node):
            node.value.visit(self)
            return False

        def visit_Arg(self, node):
            node.value.visit(self)
            return False

        def visit_FunctionDef(self, node):
            node.visit(Nested())
            return False

        visit_ClassDef = visit_Lambda = visit_FunctionDef

        def visit_Assign(self, node):
            steps.append(node)

        visit_For = visit_Call = visit_Assign

    function.body.visit(Lazy())
    function.body.visit(Query())
    return assigned, read, names, steps, nested


def _functions(module: cst.Module) -> list[cst.FunctionDef]:
    return [node for node, _ in _every_node(module) if isinstance(node, cst.FunctionDef)]


@pytest.mark.parametrize("source", [SAMPLE, (PACKAGE / "query_vars.py").read_text()], ids=["sample", "package"])
def test_each_functions_body_is_what_the_scans_walks_found(source):
    module = cst.parse_module(source)
    bodies = prewalk.Bodies(module)
    functions = _functions(module)
    assert len(functions) > 3
    for function in functions:
        body = bodies.of(function)
        assigned, read, names, steps, nested = _reference(function)
        assert {k: [id(c) for c in v] for k, v in body.assigned.items()} == {
            k: [id(c) for c in v] for k, v in assigned.items()
        }
        assert body.read == read
        assert {k: [id(n) for n in v] for k, v in body.names.items()} == {
            k: [id(n) for n in v] for k, v in names.items()
        }
        assert [id(s) for s in body.steps] == [id(s) for s in steps]  # the same, in the same order
        assert body.nested == nested


def test_a_function_of_another_tree_is_walked_on_its_own():
    bodies = prewalk.Bodies(cst.parse_module(SAMPLE))
    other = _functions(cst.parse_module(SAMPLE))[0]
    assert bodies.of(other).node is other
    assert "user" in bodies.of(other).assigned


def test_the_scans_read_one_walk_of_the_module(monkeypatch):
    """Before: each function's body walked again by each scan (nested ones once per enclosing function)."""
    walked = []
    original = prewalk.walk

    def counting(root):
        walked.append(type(root).__name__)
        return original(root)

    monkeypatch.setattr(prewalk, "walk", counting)
    walks = []
    monkeypatch.setattr(cst.IndentedBlock, "visit", _counted(cst.IndentedBlock.visit, walks))
    source = "from sqlalchemy.orm import Session\n\n\n" + SAMPLE.replace("(session,", "(session: Session,")
    CODEMOD.transform(cst.parse_module(source), _notes())
    assert walked == ["Module"]
    scans = {"codemods.sqlalchemy_to_async.lazy_loads", "codemods.sqlalchemy_to_async.query_vars"}
    assert not [w for w in walks if w in scans]  # no visitor of a scan's own walks a function's body again


def _counted(visit, walks):
    def counted(self, visitor):
        walks.append(type(visitor).__module__)
        return visit(self, visitor)

    return counted


def _notes():
    from codemods.base import Notes

    return Notes(path="sample.py")


@pytest.mark.parametrize("path", [PACKAGE / "transformer.py", PACKAGE / "facts.py", PACKAGE / "query_api.py", None])
def test_the_names_imports_finds_are_a_libcst_visitors(path):
    """``imports``' names used outside import statements, from ``cst_walk.children`` (a libcst visitor before)."""
    module = cst.parse_module(SAMPLE if path is None else path.read_text())
    used = set()

    class Names(cst.CSTVisitor):
        def visit_Import(self, node):
            return False

        visit_ImportFrom = visit_Import

        def visit_Attribute(self, node):
            node.value.visit(self)
            return False

        def visit_Name(self, node):
            used.add(node.value)

    module.visit(Names())
    assert imports._names(module, set()) == used
    assert "os" not in imports._names(cst.parse_module("import os\nfrom a import os\nx.os\n"), set())


def test_a_statement_uses_a_name_as_a_libcst_visitor_finds_it():
    """``urls``' check for where a helper goes (a libcst visitor before): any name, attributes' and keywords' too."""
    module = cst.parse_module(SAMPLE)

    class Names(cst.CSTVisitor):
        def __init__(self):
            self.names = set()

        def visit_Name(self, node):
            self.names.add(node.value)

    for statement in module.body:
        names = Names()
        statement.visit(names)
        names = names.names
        for name in ["os", "outer", "attr", "key", "roles", "kind", "end", "joinpath", "nowhere"]:
            assert urls._uses(statement, name) == (name in names), (name, type(statement))


def test_the_rewriting_pass_is_run_alike():
    """``cst_walk.rewrite`` runs ``SqlalchemyToAsync`` itself (libcst's visit for a transformer with hooks it passes
    by): no hook on whitespace, punctuation or comments, none per attribute."""
    from codemods.sqlalchemy_to_async.transformer import SqlalchemyToAsync

    assert cst_walk.can_rewrite(SqlalchemyToAsync)


def test_the_rewriting_pass_is_not_libcsts_visit(monkeypatch):
    """Before: ``module.visit(transformer)``, which builds every node of the module again."""
    visitors = []
    visit = cst.Module.visit

    def logged(self, visitor):
        visitors.append(type(visitor).__name__)
        return visit(self, visitor)

    monkeypatch.setattr(cst.Module, "visit", logged)
    source = "from sqlalchemy.orm import Session\n\n\ndef get(session: Session, key):\n    return session.get(X, key)\n"
    out = CODEMOD.transform(cst.parse_module(source), _notes())
    assert "AsyncSession" in out.code
    assert "SqlalchemyToAsync" not in visitors
