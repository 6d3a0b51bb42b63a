"""A test's ``patch("pkg.mod.Session", ...)`` where the run renamed ``pkg.mod``'s import to its async twin.

``pkg.mod`` imports ``AsyncSession`` (``async_sessionmaker``, ``create_async_engine``...) now and no longer
``Session``, so ``patch`` (``mocker.patch``, ``monkeypatch.setattr``) failed with ``AttributeError: <module
'pkg.mod'> does not have the attribute 'Session'``. The target names the twin under the name the converted module
imports it as. The stand-in put there was made for the sync object: a bare local ``MagicMock()`` given as what
building a session class gives (``return_value=session_mock``) becomes ``MagicMock(spec=AsyncSession)`` (its
``exec``/``commit``... are ``AsyncMock``s the code can await, ``add`` stays plain) with its ``__enter__``/``__exit__``
set as ``__aenter__``/``__aexit__`` (the code enters the session with ``async with`` now); any other stand-in
(``new``, ``side_effect``, ``new_callable``, ``monkeypatch.setattr``'s value) gets a TODO.

A class of the run whose methods became async, patched by a patcher the test starts by hand (``patcher =
patch("a.b.Repo")`` then ``patcher.start()``, ``patch(...).start()``, ``mocker.patch(...)``) or by
``patch.object(module, "Repo")``, makes instances with ``AsyncMock``s for those methods (``patcher``), as
``@patch("a.b.Repo")`` and ``with patch("a.b.Repo")`` do (``mocks.patched_class``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import pinned, sqla
from codemods.sqlalchemy_to_async.async_dunders import MANAGER
from codemods.sqlalchemy_to_async.exprs import dotted, from_cst
from codemods.sqlalchemy_to_async.mocks import PATCH, SYNC_MOCKS, async_methods, handed_members

Conversion = Any  # the rewriting pass's state (``conversion``)

PATCHERS = {"mocker.patch", "monkeypatch.setattr"}  # called by name: pytest-mock's and pytest's fixtures
OBJECT_PATCHERS = {"mocker.patch.object", "monkeypatch.setattr"}
STAND_INS = {"new", "new_callable", "side_effect", "wraps", "value"}
SESSIONS = {sync for sync, (_, twin) in sqla.ASYNC_TWINS.items() if twin == "AsyncSession"}
FACTORIES = {sync for sync, (_, twin) in sqla.ASYNC_TWINS.items() if twin == "async_sessionmaker"}
_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def renamed(project: Any, path: str) -> tuple[str, str, str] | None:
    """(the sync name it imported, the run's module, the sync twin's dotted name) for a dotted ``path`` naming a
    name that the run's module imports from SQLAlchemy or SQLModel and renames to its async twin; else None."""
    module, name = _split(project, path)
    facts = project.modules.get(module) if module else None
    if facts is None or name not in facts.bindings or name in facts.variables or name in facts.functions:
        return None
    found = project.types.dotted(f"{module}.{name}")
    if not found or not found.startswith("ref:") or found[4:] not in sqla.ASYNC_TWINS:
        return None
    bound = facts.bindings.get(name) or ""
    if not bound.startswith(("sqlalchemy", "sqlmodel")) and facts.relative not in project.involved:
        return None  # re-exported from a module of the run the rewrite may not walk
    return name, module, found[4:]


def _split(project: Any, path: str) -> tuple[str | None, str]:
    """``pkg.mod.Name[.rest]`` -> (the longest prefix that is a module of the run, ``Name``)."""
    parts = path.split(".")
    for end in range(len(parts) - 1, 0, -1):
        module = ".".join(parts[:end])
        if module in project.modules:
            return module, parts[end]
    return None, ""


def twin_name(project: Any, module: str, sync: str) -> str:
    """The name the converted ``module`` imports the twin of ``sync`` under (``Conversion.use``'s choice)."""
    twin_module, twin = sqla.ASYNC_TWINS[sync]
    facts = project.modules[module]
    bound = facts.bindings.get(twin)
    taken = twin in facts.variables or twin in facts.functions or twin in facts.classes
    return f"sa_{twin}" if taken or (bound is not None and bound != f"{twin_module}.{twin}") else twin


def mark(project: Any) -> set[str]:
    """Test modules patching such a name: rewritten though they may name nothing of SQLAlchemy."""
    return {facts.relative for facts in project.modules.values() if any(renamed(project, p) for p in facts.patch_paths)}


def _is_patcher(conv: Conversion, func: cst.BaseExpression) -> bool:
    return conv.type_of(func) == PATCH or dotted(from_cst(func)) in PATCHERS


def patch(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``patch("pkg.mod.Session", ...)`` -> ``patch("pkg.mod.AsyncSession", ...)`` (``patch.object(mod, "Session")``
    -> ``patch.object(mod, "AsyncSession")``); a TODO for a sync stand-in."""
    at, prefix = _target(conv, original, updated)
    if at is None:
        return updated
    string = updated.args[at].value
    path = prefix + string.evaluated_value
    found = renamed(conv.project, path)
    if found is None:
        _library_todo(conv, path)
        return updated
    name, module, sync = found
    if sync in FACTORIES and pinned.below_2(conv.notes.source):
        return updated  # sessionmaker(class_=AsyncSession) keeps its name (``sessions.twin``)
    new_name = twin_name(conv.project, module, sync)
    head, _, rest = path.partition(f"{module}.{name}")
    new_path = f"{head}{module}.{new_name}{rest}"[len(prefix) :]
    args = list(updated.args)
    args[at] = args[at].with_changes(value=cst.SimpleString(f"{string.quote}{new_path}{string.quote}"))
    _stand_in_todo(conv, original.args[at + 1 :], f"{module}.{name}", new_name)
    return updated.with_changes(args=args)


def patcher(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``patch("a.b.Repo")`` / ``patch.object(mod, "Repo")`` (``mocker``'s too) over a class of the run whose
    methods became async, wherever it is made (a patcher started by hand, a decorator, a ``with`` item): the mock
    class makes instances with ``AsyncMock``s for them (``return_value=MagicMock(get=AsyncMock())``), so the code
    under test can await ``Repo(...).get()`` and ``repo_class.return_value.get.return_value = x`` still holds."""
    args = updated.args
    if not 0 < len(args) < 3 or any(a.keyword is not None or a.star for a in args):
        return updated  # given its own stand-in or settings: left to the test's author
    if dotted(from_cst(original.func)) in ("monkeypatch.setattr", "monkeypatch.setitem"):
        return updated
    at, prefix = _target(conv, original, updated)
    if at is None or at != len(args) - 1:
        return updated
    kind = conv.project.types.dotted(prefix + args[at].value.evaluated_value)
    methods = async_methods(conv.project, "inst:" + kind[6:]) if kind and kind.startswith("class:") else []
    methods = [m for m in methods if m not in MANAGER]  # MagicMock has __aenter__/__aexit__ (``mocks._constructed``)
    if not methods:
        return updated
    async_mock, magic_mock = conv.use("unittest.mock", "AsyncMock"), conv.use("unittest.mock", "MagicMock")
    instance = f"{magic_mock}({', '.join(f'{m}={async_mock}()' for m in methods)})"
    made = cst.Arg(cst.parse_expression(instance), keyword=cst.Name("return_value"), equal=_EQUAL)
    last = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    handed = handed_members(conv, args[at].value.evaluated_value) if not prefix else []
    return updated.with_changes(args=[*args[:-1], last, *handed, made])


def _library_todo(conv: Conversion, path: str) -> None:
    """``patch("sqlalchemy.orm.Session")``: the converted code builds the twin, which the patch does not reach (a
    member, ``Session.execute``, is still what the twin's proxies call)."""
    if path in sqla.ASYNC_TWINS and conv.project.does_io:
        twin = ".".join(sqla.ASYNC_TWINS[path])
        conv.todo(f"patches the sync {path}; the converted code uses {twin}, which this does not reach: patch that")


def _target(conv: Conversion, original: cst.Call, updated: cst.Call) -> tuple[int | None, str]:
    """(the index of the string naming what is patched, the dotted module it is read in when that is an object
    handed before it: ``patch.object(mod, "Session")``)."""
    args = updated.args
    strings = [a.keyword is None and isinstance(a.value, cst.SimpleString) for a in args[:2]]
    if strings and strings[0] and isinstance(args[0].value.evaluated_value, str) and _is_patcher(conv, original.func):
        return 0, ""
    if len(strings) < 2 or not strings[1] or args[0].keyword is not None:
        return None, ""
    if not isinstance(args[1].value.evaluated_value, str) or not _is_object_patcher(conv, original.func):
        return None, ""
    owner = conv.type_of(original.args[0].value)
    return (1, owner[4:] + ".") if owner and owner.startswith("mod:") else (None, "")


def _is_object_patcher(conv: Conversion, func: cst.BaseExpression) -> bool:
    return conv.type_of(func) == f"{PATCH}.object" or dotted(from_cst(func)) in OBJECT_PATCHERS


def _stand_in_todo(conv: Conversion, args: Sequence[cst.Arg], old: str, new: str) -> None:
    given = [a for a in args if a.keyword is None or a.keyword.value in STAND_INS | {"return_value"}]
    if not given:
        return  # patch's own MagicMock
    returned = [a for a in given if a.keyword is not None and a.keyword.value == "return_value"]
    if len(given) == 1 and returned and _fitted_value(conv, returned[0].value, old):
        return
    conv.todo(
        f"{old} is {new} now (awaited calls, 'async with'): the stand-in patched in its place was made for the sync "
        "one; make it fit the async one"
    )


def _fitted_value(conv: Conversion, value: cst.BaseExpression, old: str) -> bool:
    return isinstance(value, cst.Name) and value.value in fitted(conv) and _is_session(conv.project, old)


def _is_session(project: Any, path: str) -> bool:
    found = renamed(project, path)
    return found is not None and found[2] in SESSIONS


def fitted(conv: Conversion) -> dict[str, str]:
    """The current function's bare local mocks given as ``return_value`` of a patched session class: name ->
    the sync session class's dotted name (``sqlmodel.Session``)."""
    func = conv.project.function(conv.name, conv.function) if conv.function else None
    if func is None:
        return {}
    found: dict[str, str] = {}
    for callee, positional, keywords in func.arguments:
        made = dict(keywords).get("return_value")
        if not made or made[0] != "name" or not positional or len(positional) != 1 or len(keywords) != 1:
            continue
        is_patch = conv.project.types.type_of(func.module, func.qualname, callee) == PATCH
        if not is_patch and dotted(callee) != "mocker.patch":
            continue
        path = dotted(positional[0]) or ""
        twin = renamed(conv.project, path)
        bindings = func.locals.get(made[1], [])
        if twin is None or twin[2] not in SESSIONS or len(bindings) != 1 or not _bare_mock(conv, func, bindings[0]):
            continue
        found[made[1]] = twin[2]
    return found


def _bare_mock(conv: Conversion, func: Any, binding: Any) -> bool:
    how, value = binding
    return (
        how == "value"
        and bool(value)
        and value[0] == "call"
        and conv.project.types.type_of(func.module, func.qualname, value[1]) in SYNC_MOCKS
    )


def stand_in(conv: Conversion, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
    """``session_mock = MagicMock()`` given as a patched session class's instance: ``MagicMock(spec=AsyncSession)``."""
    target = updated.targets[0].target if len(updated.targets) == 1 else None
    value = updated.value
    if not isinstance(target, cst.Name) or not isinstance(value, cst.Call) or value.args:
        return updated
    sync = fitted(conv).get(target.value)
    if sync is None or conv.type_of(original.value.func) not in SYNC_MOCKS:
        return updated
    spec = conv.use(*sqla.ASYNC_TWINS[sync])
    return updated.with_changes(
        value=value.with_changes(args=[cst.Arg(cst.Name(spec), keyword=cst.Name("spec"), equal=_EQUAL)])
    )


def entered(conv: Conversion, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
    """``session_mock.__enter__`` on such a mock: ``__aenter__`` (the code enters the session with ``async with``)."""
    name = original.attr.value
    if name not in MANAGER or not isinstance(original.value, cst.Name) or original.value.value not in fitted(conv):
        return updated
    return updated.with_changes(attr=cst.Name(MANAGER[name]))
