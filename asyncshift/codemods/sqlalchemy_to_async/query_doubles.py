"""Tests that mock the legacy Query chain (``session.query.return_value = q``, ``q.filter.return_value = q``):
the code under test runs ``(await session.execute(select(...))).scalars()...`` now.

A double ``q`` that only stands for the chain and is read with ``.all()``/``.first()`` is handed over as the
scalars of the executed result (``query_double``); a test that reads the chain after that (asserts on
``session.query`` or on a builder step of ``q``) runs the rest under ``patch("<module>.select", return_value=q)``
for each module under test that built a Query (``patched_select``), so the code builds its statement on ``q`` as it
built its Query. Any other mock of ``session.query`` gets a TODO: mock ``session.execute`` instead.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import fixtures, mocks
from codemods.sqlalchemy_to_async.facts import FunctionFacts

Conversion = Any  # the rewriting pass's state (``conversion``), which imports the first pass that imports this


def legacy_query_mock(conv: Conversion, node: cst.Attribute) -> None:
    """``mock_session.query...`` in a test, on a session mock: the code under test runs ``select()`` now."""
    _asserted_step(conv, node)
    if not (isinstance(node.value, cst.Name) and node.attr.value == "query"):
        return
    if id(node) in conv.query_doubles:
        return  # the double of its chain is carried over (``query_double``)
    if conv.patched_selects.get(conv.function, (None,))[0] == node.value.value:
        return  # the patch standing for it is named in its place (``patched_select``)
    if mocks.is_session_mock(conv, node.value.value):
        conv.todo(
            f"'{node.value.value}.query' mocks the legacy Query API; the code under test runs select() with "
            f"'await session.execute(...)' now: mock {node.value.value}.execute instead"
        )


def _asserted_step(conv: Conversion, node: cst.Attribute) -> None:
    """``q.filter_by.call_count`` on a Query double handed over (``query_double``): the code calls no step on it."""
    step = node.value
    if not (node.attr.value in ASSERTED or node.attr.value.startswith("assert_")):
        return
    if not (isinstance(step, cst.Attribute) and isinstance(step.value, cst.Name)):
        return
    if conv.patched_selects.get(conv.function, (None, None))[1] == step.value.value:
        return  # the code builds its select() on the double again (``patched_select``)
    if step.attr.value not in READ_THROUGH_SCALARS and (conv.function, step.value.value) in conv.query_doubles.values():
        conv.todo(
            f"'{conv.module.code_for_node(step)}' was a step of the legacy Query chain the code under test built "
            "on this double; it builds a select() now and calls no such step on it"
        )


# The legacy terminals whose 2.0 form reads the executed result through ``.scalars()`` (``query_api.READ``).
READ_THROUGH_SCALARS = {"all", "first"}
ASSERTED = {"call_count", "called", "call_args", "call_args_list", "mock_calls"}  # what a test asserts on a mock


def query_double(conv: Conversion, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
    """``session.query.return_value = q`` on a session mock, where the test's ``q`` (a bare ``Mock()``) only
    stands for the chain (each step it configures returns ``q`` itself) and gives rows from ``.all()`` or
    ``.first()``: the code runs ``(await session.execute(select(...))).scalars().all()`` now, so the executed
    result is a mock whose ``.scalars()`` gives ``q``: ``session.execute.return_value = Mock(scalars=Mock(
    return_value=q))`` (a plain ``Mock``: the result of an ``AsyncMock`` would make ``scalars()`` a coroutine)."""
    target = updated.targets[0].target if len(updated.targets) == 1 else None
    if not (_is_query_hand_over(conv, original) and isinstance(target, cst.Attribute)):
        return updated
    session = conv.module.code_for_node(target.value.value)
    mock, double = conv.use("unittest.mock", "Mock"), conv.module.code_for_node(updated.value)
    return updated.with_changes(
        targets=[updated.targets[0].with_changes(target=cst.parse_expression(f"{session}.execute.return_value"))],
        value=cst.parse_expression(f"{mock}(scalars={mock}(return_value={double}))"),
    )


def mark_query_double(conv: Conversion, original: cst.Assign) -> None:
    """Before the walk enters the assignment: its ``session.query`` carried over, not a TODO (``query_double``)."""
    if _is_query_hand_over(conv, original):
        conv.query_doubles[id(original.targets[0].target.value)] = (conv.function, original.value.value)
        _mark_patched_select(conv, original)


def _is_query_hand_over(conv: Conversion, original: cst.Assign) -> bool:
    target = original.targets[0].target if len(original.targets) == 1 else None
    if not (isinstance(target, cst.Attribute) and target.attr.value == "return_value"):
        return False
    query = target.value
    if not (isinstance(query, cst.Attribute) and query.attr.value == "query" and isinstance(query.value, cst.Name)):
        return False
    if not isinstance(original.value, cst.Name) or not mocks.is_session_mock(conv, query.value.value):
        return False
    return _chain_double(conv, original.value.value)


def _chain_double(conv: Conversion, name: str) -> bool:
    """Whether the function's ``name`` is a bare mock standing for a Query chain read with ``.all()``/``.first()``:
    every member it configures returns it (a builder step) or is one of those terminals, one at least."""
    node = _function_node(conv)
    if node is None:
        return False
    made, members = False, set()
    for assign in _assignments(node):
        target = assign.targets[0].target if len(assign.targets) == 1 else None
        if isinstance(target, cst.Name) and target.value == name:
            call = assign.value
            made = isinstance(call, cst.Call) and not call.args and conv.type_of(call.func) in mocks.SYNC_MOCKS
            if not made:
                return False
        if not (isinstance(target, cst.Attribute) and target.attr.value in ("return_value", "side_effect")):
            continue
        member = target.value
        if isinstance(member, cst.Attribute) and isinstance(member.value, cst.Name) and member.value.value == name:
            returns_itself = isinstance(assign.value, cst.Name) and assign.value.value == name
            if target.attr.value != "return_value" or not (returns_itself or member.attr.value in READ_THROUGH_SCALARS):
                return False
            members.add(member.attr.value)
    return made and bool(members & READ_THROUGH_SCALARS)


def _assignments(node: cst.FunctionDef) -> list[cst.Assign]:
    found: list[cst.Assign] = []

    class Collect(cst.CSTVisitor):
        def visit_Assign(self, assign: cst.Assign) -> None:
            found.append(assign)

        def visit_FunctionDef(self, inner: cst.FunctionDef) -> bool:
            return inner is node

        def visit_ClassDef(self, inner: cst.ClassDef) -> bool:
            return False

    node.visit(Collect())
    return found


def _function_node(conv: Conversion) -> cst.FunctionDef | None:
    """The definition of the function the walk is in, found in the module as written."""
    names = (conv.function or "").split(".")
    body: Any = conv.module.body
    found = None
    for name in names:
        found = next(
            (s for s in body if isinstance(s, (cst.FunctionDef, cst.ClassDef)) and s.name.value == name),
            None,
        )
        if found is None:
            return None
        body = found.body.body if isinstance(found.body, cst.IndentedBlock) else ()
    return found if isinstance(found, cst.FunctionDef) else None


def _mark_patched_select(conv: Conversion, original: cst.Assign) -> None:
    """``session.query.return_value = q`` at the top of a test that still reads the chain after it: names
    ``session.query`` or asserts a builder step of ``q`` (``q.filter_by.call_count``). Marked before the walk
    reaches those reads, so they get no TODO: ``patched_select`` names the patch in their place."""
    node = _function_node(conv)
    session, double = original.targets[0].target.value.value.value, original.value.value
    if node is None or conv.function in conv.patched_selects:
        return
    lines = list(node.body.body) if isinstance(node.body, cst.IndentedBlock) else []
    index = next((i for i, line in enumerate(lines) if _holds(line, original)), None)
    if index is None or not _reads_chain(lines[index + 1 :], session, double):
        return
    func = conv.project.function(conv.name, conv.function)
    name = f"{session}_query"
    if func is None or name in func.locals or name in func.params:
        return
    paths = [
        _imported_as(conv.project, conv.name, p) for p in select_paths(conv.project, _mock_key(conv, func, session))
    ]
    if paths:
        conv.patched_selects[conv.function] = (session, double, name, paths, index)


def _holds(line: cst.BaseStatement, assign: cst.Assign) -> bool:
    return isinstance(line, cst.SimpleStatementLine) and any(small is assign for small in line.body)


def _reads_chain(lines: list[cst.BaseStatement], session: str, double: str) -> bool:
    """Whether these statements name ``session.query`` or assert on a builder step of ``double``."""
    found = []

    class Reads(cst.CSTVisitor):
        def visit_Attribute(self, node: cst.Attribute) -> None:
            if isinstance(node.value, cst.Name) and node.value.value == session and node.attr.value == "query":
                found.append(node)
            step = node.value
            asserted = node.attr.value in ASSERTED or node.attr.value.startswith("assert_")
            if asserted and isinstance(step, cst.Attribute) and isinstance(step.value, cst.Name):
                if step.value.value == double and step.attr.value not in READ_THROUGH_SCALARS:
                    found.append(node)

    for line in lines:
        line.visit(Reads())
    return bool(found)


def _mock_key(conv: Conversion, func: FunctionFacts, name: str) -> tuple[str, str] | None:
    """Where the session mock named ``name`` here is made: this function's local, or a fixture's return."""
    if conv.project.session_mocks.get((conv.function_id, name)) == []:
        return (conv.function_id, name)
    fixture = fixtures.find(conv.project, func, name) if name in func.params and fixtures.is_test(func) else None
    return (fixture.id, "return") if fixture is not None else None


def select_paths(project: Any, key: tuple[str, str] | None) -> list[str]:
    """The ``select`` of each module of the run whose code is handed the session mock made at ``key`` (a class
    built with it and its bases, a function called with it) and built a legacy Query on its session: the dotted
    path a test patches so that the ``select(...)`` that code starts its chain with gives the test's double, as
    ``session.query(...)`` did. The name is the one the rewrite imports there (``Conversion.use``)."""
    if key is None or project.session_mocks.get(key) != []:
        return []
    modules: list[str] = []
    for facts in list(project.modules.values()):
        for func in list(facts.functions.values()):
            for callee, positional, keywords in func.arguments:
                places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
                for index, keyword, value in places:
                    if not value or key not in mocks.made_by_mock(project, func, value):
                        continue
                    if mocks.landing_kind(project, func, callee, index, keyword) != "sqla:session":
                        continue
                    for module in _receiving_modules(project, func, callee):
                        if module not in modules and _builds_queries(project, module):
                            modules.append(module)
    return [f"{module}.{_select_name(project, module)}" for module in modules]


def _receiving_modules(project: Any, func: FunctionFacts, callee: Any) -> list[str]:
    found = project.types.type_of(func.module, func.qualname, callee) or ""
    if found.startswith("class:"):
        module, _, qualname = found[6:].partition(":")
        return [cls.module for cls in project.mro(module, qualname)]
    if found.startswith("func:"):
        return [found[5:].partition(":")[0]]
    return []


def _builds_queries(project: Any, module: str) -> bool:
    """Whether a function of ``module`` calls ``session.query(...)`` (rewritten to start with ``select``)."""
    facts = project.modules.get(module)
    return facts is not None and any(
        project.types.type_of(module, func.qualname, callee) == "sqlmethod:session:query"
        for func in facts.functions.values()
        for callee in func.calls
    )


def _imported_as(project: Any, importer: str, dotted: str) -> str:
    """``dotted`` (a module of the run's, or a name in one) as the module ``importer`` imports it: without the
    leading package its own imports leave out (``src.core.x`` when it writes ``from core.x import ...``)."""
    for imported in project.modules[importer].bindings.values():
        for candidate in (imported, imported.rpartition(".")[0]):
            found = project.resolve(candidate) if candidate else None
            if found is None or not found.endswith(candidate):
                continue
            prefix = found[: len(found) - len(candidate)]
            if dotted.startswith(prefix):
                return dotted[len(prefix) :]
    return dotted


def _select_name(project: Any, module: str) -> str:
    """The name ``Conversion.use("sqlalchemy", "select")`` gives in ``module``."""
    facts = project.modules[module]
    bound = facts.bindings.get("select")
    taken = "select" in facts.variables or "select" in facts.functions or "select" in facts.classes
    return "sa_select" if taken or (bound is not None and bound != "sqlalchemy.select") else "select"


def patched_select(conv: Conversion, updated: cst.FunctionDef) -> cst.FunctionDef:
    """A test whose chain double ``q`` was ``session.query``'s return and which reads the chain after that
    (``session.query.assert_called_once()``, ``q.filter_by.call_count``): the code under test starts its chain
    with ``select(...)`` now, so the rest of the test runs under ``patch("a.repo.select", return_value=q) as
    session_query``: the code builds its statement on ``q`` as it built its Query (each step it configures
    returns ``q``), executes it (``query_double``), and ``session.query`` reads are ``session_query``."""
    marked = conv.patched_selects.get(conv.function)
    if marked is None or not isinstance(updated.body, cst.IndentedBlock):
        return updated
    session, double, name, paths, index = marked
    lines = list(updated.body.body)
    handed = lines[index] if index + 1 < len(lines) else None  # the hand-over, now setting ``execute``'s result
    if not (isinstance(handed, cst.SimpleStatementLine) and isinstance(handed.body[0], cst.Assign)):
        return updated
    if conv.module.code_for_node(handed.body[0].targets[0].target) != f"{session}.execute.return_value":
        return updated
    patch = conv.use("unittest.mock", "patch")
    renamed = _Renamed(session, name)
    rest = [line.visit(renamed) for line in lines[index + 1 :]]
    named = renamed.count or len(paths) > 1
    items = [
        cst.WithItem(
            cst.parse_expression(f'{patch}("{paths[0]}", return_value={double})'),
            asname=cst.AsName(name=cst.Name(name)) if named else None,
        )
    ]
    items += [cst.WithItem(cst.parse_expression(f'{patch}("{path}", {name})')) for path in paths[1:]]
    items = [
        item.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))) if i < len(items) - 1 else item
        for i, item in enumerate(items)
    ]
    steps = _steps_named(updated, double)
    if "filter" in steps and "where" not in steps:  # a single chain's ``.filter(...)`` is written ``.where(...)``
        synonym = cst.parse_statement(f"{double}.where = {double}.filter  # Select.where and .filter are synonyms")
        rest = [synonym, *rest]
    block = cst.With(items=items, body=cst.IndentedBlock(body=rest))
    return updated.with_changes(body=updated.body.with_changes(body=[*lines[: index + 1], block]))


def _steps_named(node: cst.CSTNode, double: str) -> set[str]:
    """The members of the double ``double`` the function names."""
    found: set[str] = set()

    class Members(cst.CSTVisitor):
        def visit_Attribute(self, attr: cst.Attribute) -> None:
            if isinstance(attr.value, cst.Name) and attr.value.value == double:
                found.add(attr.attr.value)

    node.visit(Members())
    return found


class _Renamed(cst.CSTTransformer):
    """``session.query`` -> the patch's name."""

    def __init__(self, session: str, name: str) -> None:
        self.session, self.name, self.count = session, name, 0

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        value = updated.value
        if isinstance(value, cst.Name) and value.value == self.session and updated.attr.value == "query":
            self.count += 1
            return cst.Name(self.name)
        return updated
