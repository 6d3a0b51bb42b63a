"""Mocks in tests: a bare ``Mock()`` handed to code as its session gets ``spec=AsyncSession``; one handed in as
an object of the run whose methods became async gets ``AsyncMock``s for those methods.

With that spec, ``unittest.mock`` makes the coroutine methods (``execute``, ``commit``, ``get``...) ``AsyncMock``s
and keeps ``add`` plain, so the converted code can await them and the test's assertions still hold. A test that
mocks the legacy Query chain (``session.query.return_value...``): ``query_doubles``.
A double of a class whose context manager became async (entered with ``async with`` now) has its
``__enter__``/``__exit__`` named ``__aenter__``/``__aexit__`` wherever the test sets or reads them, and a
``Mock(...)`` the test puts in place of a member that became a coroutine is an ``AsyncMock(...)``.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import fixtures, handed_params
from codemods.sqlalchemy_to_async.async_dunders import MANAGER
from codemods.sqlalchemy_to_async.exprs import dotted
from codemods.sqlalchemy_to_async.facts import FunctionFacts

Conversion = Any  # the rewriting pass's state (``conversion``), which imports the first pass that imports this

MOCKS = {"ref:unittest.mock.Mock", "ref:unittest.mock.MagicMock", "ref:unittest.mock.NonCallableMock"}
FIXTURE_MOCKS = {"mocker.Mock", "mocker.MagicMock"}  # pytest-mock's fixture hands unittest.mock's, called by name
SYNC_MOCKS = {"ref:unittest.mock.Mock", "ref:unittest.mock.MagicMock"}
# What a parameter's annotation says when it says nothing of what the code does with the value.
UNTOLD = {None, "extern:typing.Any", "extern:builtins.object"}
PATCH = "ref:unittest.mock.patch"
SESSIONS = {"sqla:session", "sqla:scoped"}  # a session, or Flask-SQLAlchemy's scoped ``db.session``


def find(project: Any, functions: list[FunctionFacts]) -> dict[tuple[str, str], list[str]]:
    """(function id, local name, ``self.x`` or "return") of each bare ``Mock()`` handed to code as a session
    (-> ``[]``) or as an instance of a class of the run with methods that became async (-> their names)."""
    found: dict[tuple[str, str], list[str]] = {}
    for func in functions:
        for callee, positional, keywords in func.arguments:
            places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
            for index, keyword, value in places:
                kind = landing_kind(project, func, callee, index, keyword) if value else None
                methods = [] if kind == "sqla:session" else async_methods(project, kind)
                if kind == "sqla:session" or methods:
                    found.update(dict.fromkeys(made_by_mock(project, func, value), methods))
                    found.update(_class_mock_handed(project, func, value) if methods else {})
                if kind in SESSIONS:
                    found.update(dict.fromkeys(_mock_members(project, func, value), []))
        found.update(_put_in_place(project, func))
        found.update(_patched_instances(project, func))
    return found


def landing_kind(project: Any, func: FunctionFacts, callee: Any, index: Any, keyword: Any, depth: int = 0) -> Any:
    """What the parameter an argument lands in is: its annotation, or, when that says nothing (none, ``Any``),
    what the run's calls hand it (``handed_params``, as the function itself was typed), or what the function
    hands the parameter on to unchanged (``AuditContext(service=service)``), followed a few
    calls deep; None when those disagree."""
    kind = project.types.parameter(func.module, func.qualname, callee, index, keyword)
    untold = kind in UNTOLD and depth < 4
    landing = project.types.landing(func.module, func.qualname, callee, index, keyword) if untold else None
    if landing is None:
        return kind
    target, name = landing
    handed = _handed(project, target, name)  # as the function itself was typed
    if handed is not None:
        return handed
    found = set()
    for inner, positional, keywords in target.arguments:
        places = [(i, None, v) for i, v in enumerate(positional)] + [(None, k, v) for k, v in keywords]
        for where, word, value in places:
            if value == ("name", name):
                handed = landing_kind(project, target, inner, where, word, depth + 1)
                found.update([handed] if handed and handed.startswith(("inst:", "sqla:")) else [])
    return found.pop() if len(found) == 1 else kind


def _handed(project: Any, target: FunctionFacts, name: str) -> Any:
    """``handed_params.typed``, once per parameter in a run: every argument landing in a parameter asked it again,
    over every value the run hands that parameter (a test base's ``self.get(path)``: calls times calls)."""
    known = project.__dict__.setdefault("_mocks_handed", {})
    if (target.id, name) not in known:
        known[target.id, name] = handed_params.typed(project.types, target, name)
    return known[target.id, name]


def _mock_members(project: Any, func: FunctionFacts, value: Any) -> set[tuple[str, str]]:
    """``Manager(session=db.session)`` where ``db`` is a bare mock (``db = mocker.Mock()`` here, or in each test
    handing a helper its parameter ``db``): (function id, ``db.session``) for the mock's local, which gets that
    member as an ``AsyncSession`` double, and for the helper's parameter (its TODO: it is one). A plain ``Mock``'s
    ``commit`` could not be awaited ("object Mock can't be used in 'await' expression")."""
    if not value or value[0] != "attr" or not value[1] or value[1][0] != "name":
        return set()
    name, member = value[1][1], value[2]
    made = made_by_mock(project, func, value[1])
    if made:
        return {(key, f"{local}.{member}") for key, local in made}
    handed = handed_params.handed_values(project.types, func, name)
    found, every = set(), bool(handed)
    for module, scope, given in handed or ():
        caller = project.function(module, scope)
        mocks = made_by_mock(project, caller, given) if caller is not None and given else set()
        every = every and bool(mocks)  # else a caller hands it something else: the helper's TODO stands
        found |= {(key, f"{local}.{member}") for key, local in mocks}
    return found | {(func.id, f"{name}.{member}")} if found and every else found


def _patched_instances(project: Any, func: FunctionFacts) -> dict[tuple[str, str], list[str]]:
    """``patch("a.b.Repo", return_value=m)``: the bare mock ``m`` is what building ``Repo`` gives the code."""
    found: dict[tuple[str, str], list[str]] = {}
    for callee, positional, keywords in func.arguments:
        made = dict(keywords).get("return_value")
        if not made or not positional or project.types.type_of(func.module, func.qualname, callee) != PATCH:
            continue
        kind = project.types.dotted(dotted(positional[0]) or "")
        methods = async_methods(project, "inst:" + kind[6:]) if kind and kind.startswith("class:") else []
        if methods:
            found.update(dict.fromkeys(made_by_mock(project, func, made), methods))
    return found


def _class_mock_handed(project: Any, func: FunctionFacts, value: Any) -> dict[tuple[str, str], list[str]]:
    """``run_steps(ids, manager_class)``: the mock a ``@patch("a.b.Manager")`` (``with patch(...) as``) hands the test,
    handed on itself as a ``Manager``: (function id, its name) -> the class's methods that became async, which the
    class mock gets too (``handed_members``), not only what building it gives."""
    patched = _patched_class(project, func, value[1]) if value[0] == "name" else None
    methods = async_methods(project, "inst:" + patched[6:]) if patched else []
    return {(func.id, value[1]): methods} if methods else {}


def _put_in_place(project: Any, func: FunctionFacts) -> dict[tuple[str, str], list[str]]:
    """Bare mocks put in place of an instance whose methods became async: ``patched_repo.return_value = m``
    (or ``.side_effect = [m, n]``) under ``@patch("a.b.Repo")``, or ``service.repository = m`` where
    ``repository`` is typed as one."""
    found: dict[tuple[str, str], list[str]] = {}
    for scope, target, value in project.modules[func.module].stand_ins:
        if scope == func.qualname and not isinstance(target, str):
            methods = async_methods(project, _replaced_instance(project, func, target))
            if methods:
                found.update(dict.fromkeys(made_by_mock(project, func, value), methods))
    return found


def _replaced_instance(project: Any, func: FunctionFacts, target: Any) -> str | None:
    if target[0] == "attr" and target[2] in ("return_value", "side_effect") and target[1] and target[1][0] == "name":
        patched = _patched_class(project, func, target[1][1]) or _patched_getter(project, func, target[1][1])
        if patched:
            return "inst:" + patched[6:]
    found = project.types.type_of(func.module, func.qualname, target)
    return found if found and found.startswith("inst:") else None


def _patched_class(project: Any, func: FunctionFacts, name: str) -> str | None:
    """The class a ``@patch("a.b.Repo")`` decorator hands the test as its parameter ``name``."""
    params = list(func.params)[1 if func.cls else 0 :]
    index = params.index(name) if name in params else len(func.patches)
    patched = func.patches[index] if index < len(func.patches) else func.with_patches.get(name)
    found = project.types.dotted(patched) if patched else None
    return found if found and found.startswith("class:") else None


def _patched_getter(project: Any, func: FunctionFacts, name: str) -> str | None:
    """``@patch("a.b.Thing.get_checked")``, a classmethod of the run giving an instance of its ``cls`` (typed as the
    class defining it, a base of ``Thing``): what the mock gives stands for a ``Thing`` (``class:`` of it). Any
    other function or method of the run annotated (or typed) as giving an instance of a class of the run
    (``Manager.get_feature_instance(name) -> FeatureInterface``): what the mock gives stands for one of those."""
    params = list(func.params)[1 if func.cls else 0 :]
    index = params.index(name) if name in params else len(func.patches)
    patched = func.patches[index] if index < len(func.patches) else func.with_patches.get(name)
    owner, _, method = (patched or "").rpartition(".")
    found = project.types.dotted(owner) if owner else None
    if not found or not found.startswith("class:"):
        return _giving(project, project.types.dotted(patched) if patched else None)
    callee = project.types.member("inst:" + found[6:], method) or ""
    getter = project.by_id(callee[5:]) if callee.startswith("func:") else None
    if getter is None or not getter.cls or "classmethod" not in {d.rpartition(".")[2] for d in getter.decorators}:
        return _giving(project, callee)
    gives = project.types.returned(callee) or ""
    module, _, qualname = found[6:].partition(":")
    bases = {f"inst:{c.module}:{c.qualname}" for c in project.mro(module, qualname)}
    return found if gives in bases else _giving(project, callee)


def _giving(project: Any, callee: str | None) -> str | None:
    """``class:`` of the class of the run an instance of which the function ``callee`` gives, else None."""
    gives = project.types.returned(callee) or "" if callee and callee.startswith("func:") else ""
    return "class:" + gives[5:] if gives.startswith("inst:") else None


def async_methods(project: Any, kind: str | None) -> list[str]:
    if not kind or not kind.startswith("inst:"):
        return []
    module, _, qualname = kind[5:].partition(":")
    names = set()
    for cls in project.mro(module, qualname):
        names.update(m for m in cls.methods if f"{cls.module}:{cls.qualname}.{m}" in project.becoming_async)
    return sorted(names)


def made_by_mock(project: Any, func: FunctionFacts, value: Any) -> set[tuple[str, str]]:
    types = project.types
    if value[0] == "attr" and value[1] == ("name", func.first_param) and func.cls:  # self.mock_repo
        cls = project.modules[func.module].classes[func.cls]
        return {
            (f"{func.module}:{method}", f"{func.first_param}.{value[2]}")
            for method, (how, bound) in cls.attrs.get(value[2], ())
            if method and how == "value" and _is_mock(types, project.function(func.module, method), bound)
        }
    if value[0] != "name":
        return set()
    name = value[1]
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
    if not value or value[0] != "call":
        return False
    return types.type_of(func.module, func.qualname, value[1]) in MOCKS or dotted(value[1]) in FIXTURE_MOCKS


def _mock_call(conv: Conversion, value: cst.Call) -> bool:
    return conv.type_of(value.func) in MOCKS or conv.module.code_for_node(value.func) in FIXTURE_MOCKS


def specced(conv: Conversion, value: cst.BaseExpression, key: str) -> cst.BaseExpression:
    """A bare ``Mock()`` at ``key`` ("return", a local's name, ``self.x``) that the run hands on: a session mock
    gets ``spec=AsyncSession``; a mock of a class of the run gets an ``AsyncMock`` for each method that became
    async (``Mock(get=AsyncMock())``), everything else about it as it was."""
    methods = conv.project.session_mocks.get((conv.function_id, key))
    if not isinstance(value, cst.Call) or value.args or not _mock_call(conv, value):
        return value  # given a spec (or anything) already: left to the test's author
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    if methods is None:
        return _with_session_members(conv, value, key, equal)
    if methods and not _constructed(methods):
        return value  # only its context manager became async: a test sets that by hand (``double_member``)
    methods = _constructed(methods)
    if not methods:
        spec = conv.use("sqlalchemy.ext.asyncio", "AsyncSession")
        return value.with_changes(args=[cst.Arg(cst.Name(spec), keyword=cst.Name("spec"), equal=equal)])
    async_mock = conv.use("unittest.mock", "AsyncMock")
    return value.with_changes(
        args=[cst.Arg(cst.parse_expression(f"{async_mock}()"), keyword=cst.Name(m), equal=equal) for m in methods]
    )


def _with_session_members(conv: Conversion, value: cst.Call, key: str, equal: cst.AssignEqual) -> cst.Call:
    """``db = mocker.Mock()`` whose ``db.session`` the run hands on as a session (``_mock_members``):
    ``mocker.Mock(session=mocker.Mock(spec=AsyncSession))``, so the code can await its ``commit()`` and the test's
    ``db.session.commit.side_effect = ...`` and ``db.session.rollback.assert_called_once_with()`` still hold."""
    mocks = conv.project.session_mocks
    members = sorted(k[1][len(key) + 1 :] for k in mocks if k[0] == conv.function_id and k[1].startswith(key + "."))
    members = [m for m in members if m.isidentifier() and mocks[(conv.function_id, f"{key}.{m}")] == []]
    if not members:
        return value
    spec = conv.use("sqlalchemy.ext.asyncio", "AsyncSession")
    double = f"{conv.module.code_for_node(value.func)}(spec={spec})"
    return value.with_changes(
        args=[cst.Arg(cst.parse_expression(double), keyword=cst.Name(m), equal=equal) for m in members]
    )


def _constructed(methods: list[str]) -> list[str]:
    """The coroutine methods a double is built with: not ``__enter__``/``__exit__``, which ``MagicMock`` already
    has as ``__aenter__``/``__aexit__`` (an ``AsyncMock`` whose exit returns False) and a ``Mock`` gets by hand."""
    return [m for m in methods if m not in MANAGER]


def is_session_mock(conv: Conversion, name: str) -> bool:
    """Whether the name ``name`` here is a ``Mock`` that the run gives code as its session."""
    return conv.project.session_mocks.get((conv.function_id, name)) == [] or _fixture_mock(conv, name)


def _fixture_mock(conv: Conversion, name: str) -> bool:
    func = conv.project.function(conv.name, conv.function)
    if func is None or name not in func.params or not fixtures.is_test(func):
        return False
    fixture = fixtures.find(conv.project, func, name)
    return fixture is not None and conv.project.session_mocks.get((fixture.id, "return")) == []


PATCH_SETTINGS = {"new", "new_callable", "return_value", "spec", "spec_set", "autospec"}


def patch_decorator(conv: Conversion, decorator: cst.Decorator) -> cst.Decorator:
    """``@patch("a.b.Repo")`` over a class whose methods became async: the instances the test's mock class makes
    get ``AsyncMock``s for them (``return_value=MagicMock(get=AsyncMock())``), so code under test can await
    ``Repo(...).get()`` and ``mock_repo.return_value.get.return_value = x`` still sets what it gives."""
    call = decorator.decorator
    if not isinstance(call, cst.Call):
        return decorator
    return decorator.with_changes(decorator=patched_class(conv, call))


def patched_class(conv: Conversion, call: cst.Call) -> cst.Call:
    """``patch("a.b.Repo")`` (a decorator's, or a ``with`` item's: ``with patch("a.b.Repo") as repo_class``)
    over a class whose methods became async: ``return_value=MagicMock(get=AsyncMock())``, as ``patch_decorator``."""
    if conv.type_of(call.func) != PATCH:
        return call
    if len(call.args) != 1 or any(a.keyword and a.keyword.value in PATCH_SETTINGS for a in call.args):
        return call
    path = call.args[0].value
    kind = conv.project.types.dotted(path.evaluated_value) if isinstance(path, cst.SimpleString) else None
    methods = async_methods(conv.project, "inst:" + kind[6:]) if kind and kind.startswith("class:") else []
    methods = _constructed(methods)
    if not methods or not isinstance(path.evaluated_value, str):
        return call
    async_mock, magic_mock = conv.use("unittest.mock", "AsyncMock"), conv.use("unittest.mock", "MagicMock")
    instance = f"{magic_mock}({', '.join(f'{m}={async_mock}()' for m in methods)})"
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    made = cst.Arg(cst.parse_expression(instance), keyword=cst.Name("return_value"), equal=equal)
    first = call.args[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=[first, *handed_members(conv, path.evaluated_value), made])


def handed_members(conv: Conversion, path: str) -> list[cst.Arg]:
    """``trigger=AsyncMock()`` for the class mock itself of ``patch(path)`` here, when the test hands it on as the
    class's instance (``_class_mock_handed``): ``manager_class.trigger.return_value = [x]`` is then what awaiting
    ``manager.trigger(...)`` gives (a ``MagicMock`` gave the list itself, awaited: TypeError)."""
    func = conv.project.function(conv.name, conv.function)
    if func is None:
        return []
    params = list(func.params)[1 if func.cls else 0 :]
    names = [n for n, p in zip(params, func.patches, strict=False) if p == path]
    names += [n for n, p in func.with_patches.items() if p == path]
    methods = _constructed(sorted({m for n in names for m in conv.project.session_mocks.get((func.id, n)) or []}))
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    async_mock = conv.use("unittest.mock", "AsyncMock") if methods else ""
    return [cst.Arg(cst.parse_expression(f"{async_mock}()"), keyword=cst.Name(m), equal=equal) for m in methods]


def double_member(conv: Conversion, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
    """``ctx.__enter__`` on a test's double of a class now entered with ``async with``: ``ctx.__aenter__``
    (what ``async with`` calls; ``.return_value`` on it is what entering gives, as before)."""
    name = original.attr.value
    if name in MANAGER and name in doubled_methods(conv, original.value):
        return updated.with_changes(attr=cst.Name(MANAGER[name]))
    return updated


def member_assignment(conv: Conversion, original: cst.Assign) -> None:
    """``double.get = Mock(return_value=x)`` where the code awaits ``get`` now: an ``AsyncMock(return_value=x)``
    (awaiting its call gives ``x``, as calling the ``Mock`` did)."""
    value = original.value
    if not isinstance(value, cst.Call) or conv.type_of(value.func) not in SYNC_MOCKS:
        return
    for target in original.targets:
        node = target.target
        if isinstance(node, cst.Attribute) and node.attr.value in doubled_methods(conv, node.value):
            conv.async_mocks.add(id(value))


def doubled_methods(conv: Conversion, node: cst.BaseExpression) -> list[str]:
    """The methods that became async of the class whose instance the test's double ``node`` stands for: a bare
    mock the run hands on as one (``find``), or what a class patched by a decorator builds (``cls.return_value``)."""
    project = conv.project
    func = project.function(conv.name, conv.function)
    if func is None:
        return []
    if isinstance(node, cst.Name):
        methods = project.session_mocks.get((conv.function_id, node.value))
        if methods is None and node.value in func.params and fixtures.is_test(func):
            fixture = fixtures.find(project, func, node.value)
            methods = project.session_mocks.get((fixture.id, "return")) if fixture is not None else None
        return methods or []
    if not (isinstance(node, cst.Attribute) and isinstance(node.value, cst.Name)):
        return []
    owner, name = node.value.value, node.attr.value
    if owner == func.first_param and func.cls:  # ``self.repo``, made in ``setUp`` or wherever it is bound
        cls = project.modules[func.module].classes[func.cls]
        keys = [(f"{func.module}:{func.cls}.{method}", f"{owner}.{name}") for method in cls.methods]
        return next((project.session_mocks[k] for k in keys if project.session_mocks.get(k)), [])
    patched = _patched_class(project, func, owner) if name == "return_value" else None
    return async_methods(project, "inst:" + patched[6:]) if patched else []
