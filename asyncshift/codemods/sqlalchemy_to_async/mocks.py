"""Mock sessions in tests: a bare ``Mock()`` handed to code as its session gets ``spec=AsyncSession``.

With that spec, ``unittest.mock`` makes the coroutine methods (``execute``, ``commit``, ``get``...) ``AsyncMock``s
and keeps ``add`` plain, so the converted code can await them and the test's assertions still hold. A test that
mocks the legacy Query chain (``session.query.return_value...``) tests code that no longer exists: a TODO.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import fixtures
from codemods.sqlalchemy_to_async.facts import FunctionFacts

Conversion = Any  # the rewriting pass's state (``conversion``), which imports the first pass that imports this

MOCKS = {"ref:unittest.mock.Mock", "ref:unittest.mock.MagicMock", "ref:unittest.mock.NonCallableMock"}


def find(project: Any, functions: list[FunctionFacts]) -> set[tuple[str, str]]:
    """(function id, local name or "return") of each ``Mock()`` that ends up as a session."""
    found = set()
    for func in functions:
        for callee, positional, keywords in func.arguments:
            places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
            for index, keyword, value in places:
                if not value or value[0] != "name":
                    continue
                if project.types.parameter(func.module, func.qualname, callee, index, keyword) != "sqla:session":
                    continue
                found |= _made_by_mock(project, func, value[1])
    return found


def _made_by_mock(project: Any, func: FunctionFacts, name: str) -> set[tuple[str, str]]:
    types = project.types
    if name in func.locals:
        bindings = func.locals[name]
        if any(_is_mock(types, func, value) for how, value in bindings if how == "value"):
            return {(func.id, name)}
        return set()
    if name in func.params and fixtures.is_test(func):
        fixture = fixtures.find(project, func, name)
        if fixture is not None and any(_is_mock(types, fixture, v) for v in fixture.return_values):
            return {(fixture.id, "return")}
    return set()


def _is_mock(types: Any, func: FunctionFacts, value: Any) -> bool:
    return bool(value) and value[0] == "call" and types.type_of(func.module, func.qualname, value[1]) in MOCKS


def specced(conv: Conversion, value: cst.BaseExpression, key: str) -> cst.BaseExpression:
    """``Mock()`` -> ``Mock(spec=AsyncSession)`` when ``key`` ("return" or the local's name) is a session mock."""
    if (conv.function_id, key) not in conv.project.session_mocks or not isinstance(value, cst.Call):
        return value
    if value.args or conv.type_of(value.func) not in MOCKS:
        return value  # given a spec (or anything) already: left to the test's author
    spec = conv.use("sqlalchemy.ext.asyncio", "AsyncSession")
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    return value.with_changes(args=[cst.Arg(cst.Name(spec), keyword=cst.Name("spec"), equal=equal)])


def legacy_query_mock(conv: Conversion, node: cst.Attribute) -> None:
    """``mock_session.query...`` in a test, on a session mock: the code under test runs ``select()`` now."""
    if not (isinstance(node.value, cst.Name) and node.attr.value == "query"):
        return
    if is_session_mock(conv, node.value.value):
        conv.todo(
            f"'{node.value.value}.query' mocks the legacy Query API; the code under test runs select() with "
            f"'await session.execute(...)' now: mock {node.value.value}.execute instead"
        )


def is_session_mock(conv: Conversion, name: str) -> bool:
    """Whether the name ``name`` here is a ``Mock`` that the run gives code as its session."""
    return (conv.function_id, name) in conv.project.session_mocks or _fixture_mock(conv, name)


def _fixture_mock(conv: Conversion, name: str) -> bool:
    func = conv.project.function(conv.name, conv.function)
    if func is None or name not in func.params or not fixtures.is_test(func):
        return False
    fixture = fixtures.find(conv.project, func, name)
    return fixture is not None and (fixture.id, "return") in conv.project.session_mocks
