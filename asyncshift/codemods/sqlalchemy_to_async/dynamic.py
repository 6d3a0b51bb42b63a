"""Code the codemod cannot follow: ``getattr`` on a session, ``exec``/``eval``, monkeypatching (a ``Mock`` put in
place of a function that became async is the exception: it becomes an ``AsyncMock``).

Nothing is rewritten there; each gets a TODO (counted in the report) saying what may be a coroutine now,
so a dynamic call never hides a half-converted chain.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import mocks, sqla, textual_sql
from codemods.sqlalchemy_to_async.conversion import Conversion

SYNC_MOCKS = {"ref:unittest.mock.Mock", "ref:unittest.mock.MagicMock"}
SESSION_KINDS = {"sqla:session", "sqla:scoped", "sqla:connection", "sqla:engine"}


def call(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``getattr(session, name)`` and ``exec``/``eval`` in code that became async; what ``patch.object`` puts in
    place of a coroutine method of an instance made awaitable (``awaitable``)."""
    func = original.func
    if conv.type_of(func) == "ref:unittest.mock.patch.object":
        updated = _patched(conv, original, updated)
    if isinstance(func, cst.Attribute) and func.attr.value == "setattr" and _monkeypatch(conv, func.value):
        _class_replaced(conv, original)
    if isinstance(func, cst.Name):
        _unfollowed(conv, original)
    return textual_sql.wrapped(conv, original, updated)  # ``execute("select ...")``: every call with arguments


def _unfollowed(conv: Conversion, original: cst.Call) -> None:
    func = original.func
    if func.value == "getattr" and original.args and conv.type_of(original.args[0].value) in SESSION_KINDS:
        target = conv.module.code_for_node(original.args[0].value)
        conv.todo(f"a method of '{target}' reached through getattr: await the call if it does I/O (execute, commit...)")
    elif func.value in ("exec", "eval") and conv.type_of(func) in ("ref:builtins.exec", "ref:builtins.eval"):
        function_id = conv.function_id
        if function_id is not None and function_id in conv.project.becoming_async:
            conv.todo(f"{func.value}() runs code the codemod cannot follow: check it for calls that are coroutines now")


def assignment(conv: Conversion, original: cst.Assign) -> None:
    """``Repository.get = fake_get``: replacing a function that became async needs a coroutine function."""
    for target in original.targets:
        node = target.target
        if not isinstance(node, cst.Attribute):
            continue
        if _session_mock_method(conv, node) and isinstance(original.value, cst.Call):
            if conv.type_of(original.value.func) in SYNC_MOCKS:  # mock_session.commit = Mock()
                conv.async_mocks.add(id(original.value))
            continue
        found = conv.type_of(node)
        if found and found.startswith("func:") and found[5:] in conv.project.becoming_async:
            if isinstance(original.value, cst.Call) and conv.type_of(original.value.func) in SYNC_MOCKS:
                conv.async_mocks.add(id(original.value))  # a mock in its place: an AsyncMock, awaited alike
                continue
            if conv.stand_in(original.value) or _coroutine_function(conv, original.value):
                continue  # a function of the run made a coroutine function too (``stand_ins``), or one already
            if (conv.type_of(node.value) or "").startswith("inst:"):
                conv.awaitable_stand_ins.add(id(original.value))
                continue
            name = conv.module.code_for_node(node)
            conv.todo(f"'{name}' is a coroutine function now: what replaces it here must be one too")


def awaitable(conv: Conversion, value: cst.BaseExpression) -> cst.Call:
    """A sync callable (a lambda, another mock's method) put in place of an instance's coroutine method:
    ``AsyncMock(side_effect=value)``. Awaiting its call gives what calling ``value`` gave, and ``value``'s own
    mock assertions still hold. (On a class it would lose ``self``: a TODO there.)"""
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    side_effect = cst.Arg(value, keyword=cst.Name("side_effect"), equal=equal)
    return cst.Call(cst.Name(conv.use("unittest.mock", "AsyncMock")), args=[side_effect])


def _coroutine_function(conv: Conversion, value: cst.BaseExpression) -> bool:
    found = conv.type_of(value)
    return bool(found and found.startswith("func:") and conv.project.is_async(found[5:]))


def async_mock(conv: Conversion, updated: cst.Call) -> cst.Call:
    """``Mock(return_value=x)`` -> ``AsyncMock(return_value=x)``: awaiting the call gives ``x``, as calling did."""
    return updated.with_changes(func=cst.Name(conv.use("unittest.mock", "AsyncMock")))


def _session_mock_method(conv: Conversion, node: cst.Attribute) -> bool:
    return (
        isinstance(node.value, cst.Name)
        and node.attr.value in sqla.IO_METHODS["session"]
        and mocks.is_session_mock(conv, node.value.value)
    )


def _patched(conv: Conversion, call: cst.Call, updated: cst.Call) -> cst.Call:
    """``patch.object(obj, "get", new)`` over a method that became async: ``new`` must be awaitable too.
    (Without ``new``, ``patch`` itself puts an ``AsyncMock`` in place of an async function.)"""
    positional = [a for a in call.args if a.keyword is None]
    given = len(positional) >= 3 or any(a.keyword and a.keyword.value == "new" for a in call.args)
    if len(positional) < 2 or not given or not isinstance(positional[1].value, cst.SimpleString):
        return updated
    index = call.args.index(positional[2]) if len(positional) > 2 else _keyword_index(call, "new")
    new = call.args[index].value
    if conv.stand_in(new) or _coroutine_function(conv, new):
        return updated  # a function of the run made a coroutine function too (``stand_ins``), or one already
    owner = conv.type_of(positional[0].value)
    name = positional[1].value.evaluated_value
    found = conv.project.types.member(owner, name) if owner and isinstance(name, str) else None
    if not (found and found.startswith("func:") and found[5:] in conv.project.becoming_async):
        return updated
    if owner.startswith("inst:"):
        args = list(updated.args)
        args[index] = args[index].with_changes(value=awaitable(conv, args[index].value))
        return updated.with_changes(args=args)
    target = conv.module.code_for_node(positional[0].value)
    conv.todo(f"'{target}.{name}' is a coroutine function now: what patch.object puts in its place must be one too")
    return updated


def _keyword_index(call: cst.Call, keyword: str) -> int:
    return next(i for i, a in enumerate(call.args) if a.keyword is not None and a.keyword.value == keyword)


def _monkeypatch(conv: Conversion, node: cst.BaseExpression) -> bool:
    """pytest's ``monkeypatch`` fixture (a test's parameter of that name)."""
    func = conv.project.function(conv.name, conv.function)
    return (
        isinstance(node, cst.Name) and node.value == "monkeypatch" and func is not None and "monkeypatch" in func.params
    )


def _class_replaced(conv: Conversion, call: cst.Call) -> None:
    """``monkeypatch.setattr("pkg.mod.Repo", fake)`` where ``Repo``'s methods became async: the stand-in's must be."""
    first = call.args[0].value if call.args else None
    if not isinstance(first, cst.SimpleString) or not isinstance(first.evaluated_value, str):
        return
    if len(call.args) > 1 and conv.stand_in(call.args[1].value):
        return  # a class of the run (or its factory) whose methods became coroutines too (``stand_ins``)
    kind = conv.project.types.dotted(first.evaluated_value)
    if not kind or not kind.startswith("class:"):
        return
    methods = mocks.async_methods(conv.project, "inst:" + kind[6:])
    if methods:
        name = first.evaluated_value.rpartition(".")[2]
        conv.todo(
            f"{name}'s methods {', '.join(methods[:4])}{'...' if len(methods) > 4 else ''} are coroutines now: "
            "what stands in for it here must have async ones too"
        )
