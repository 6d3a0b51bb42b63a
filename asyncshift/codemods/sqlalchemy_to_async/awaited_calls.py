"""Awaited calls: a session's I/O methods and every function of the run that became async are awaited.

``session.execute(q).scalars()`` becomes ``(await session.execute(q)).scalars()``: the await is put on the
call that returns the coroutine, never on the chain after it (the mistake asyncify-codemod makes).
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import (
    async_dunders,
    click_commands,
    fixtures,
    flask_db_rewrites,
    form_validators,
    lazy_loads,
    legacy_session_calls,
    python_calls,
    sync_views,
    unittest_cases,
)
from codemods.sqlalchemy_to_async.conversion import Conversion


def awaited(conv: Conversion, original: cst.Call, updated: cst.Call, what: tuple) -> cst.BaseExpression:
    """``what`` is the call's classification; the call awaited when it must be and can be."""
    if id(original) in conv.coroutine_args or id(original) in conv.awaited:
        return updated  # handed to asyncio.run, create_task, gather...: a coroutine is what they take
    if conv.decorators:
        return updated  # ``@hook(bp)`` where a function of the run shadows ``hook``: it makes the decorator
    once = sync_views.rerun(conv, updated) or unittest_cases.rerun(conv, updated)
    if once is not None:
        return once  # a run before handed the call to the serving loop (or ran it to its end) already
    label = f"{conv.module.code_for_node(original.func)}()"
    if what[0] == "mixed":
        receiver = conv.module.code_for_node(original.func.value)
        conv.todo(
            f"{label} is a coroutine now if '{receiver}' is a {what[1]} and not if it is a {what[2]}: "
            "await it only for the first"
        )
        return updated
    if what[0] == "io":
        if not conv.awaitable() and conv.dual_member(original.func):
            return updated  # code that stays sync keeps the sync member of the pair (``dual_members``)
        if what[1] == "get":
            updated = lazy_loads.on_get(conv, original, updated)
        kept_sync = flask_db_rewrites.sync_session_call(conv, original, updated)
        if kept_sync is not None:
            return kept_sync
        updated = legacy_session_calls.call(conv, original, updated)  # ``bulk_save_objects`` through ``run_sync``
        if sync_views.is_held_here(conv):
            return sync_views.on_serving_loop(conv, label, updated)
        if unittest_cases.runs_here(conv):  # a plain session's I/O in a unittest test: run as a function's is
            return unittest_cases.run_to_end(conv, updated)
        if python_calls.runs_here(conv):  # in a property, a dunder, an xunit hook (a query chain's, a run after)
            return python_calls.run_to_end(conv, label, updated)
        if click_commands.runs_here(conv):  # a click command's (a query chain's, a run after)
            return click_commands.run_to_end(conv, updated)
        return cst.Await(updated) if conv.can_await(label) else updated
    if what[0] == "call" and what[1] in conv.project.loop_bound and not conv.lambdas:
        return in_thread(conv, updated, "reaches for the event loop")
    if what[0] == "call" and what[1] in conv.project.becoming_async:
        target = conv.project.by_id(what[1])
        if target is not None and target.is_generator:
            if id(original) not in conv.async_iterated:  # else read with ``async for`` (``async_generators``)
                conv.todo(f"{label} is an async generator now: iterate it with 'async for'")
            return updated
        if async_dunders.is_async_dunder(conv.project, what[1]):
            if sync_views.is_held_here(conv):
                return sync_views.on_serving_loop(conv, label, async_dunders.call(original, updated))
            if not conv.can_await(label, "is built with await now"):
                return updated
            return cst.Await(async_dunders.call(original, updated))
        if conv.function is None and (conv.main_guard or _alembic_env(conv)):
            return cst.Call(cst.parse_expression(f"{conv.use_module('asyncio')}.run"), args=[cst.Arg(updated)])
        if not conv.lambdas and fixtures.imported_by_pytest(conv.project, conv.name, conv.scopes):
            return unittest_cases.run_to_end(conv, updated, who="a conftest or test module, at import,")
        if form_validators.in_awaiting_validator(conv):  # its form is validated in greenlet_spawn
            return form_validators.await_only(conv, label, updated)
        if sync_views.is_held_here(conv):
            return sync_views.on_serving_loop(conv, label, updated)
        if unittest_cases.runs_here(conv):
            return unittest_cases.run_to_end(conv, updated)
        if python_calls.runs_here(conv):
            return python_calls.run_to_end(conv, label, updated)
        if click_commands.runs_here(conv):
            return click_commands.run_to_end(conv, updated)
        return cst.Await(updated) if conv.can_await(label) else updated
    return updated


def _alembic_env(conv: Conversion) -> bool:
    """An Alembic ``env.py`` runs its migrations at import, under ``asyncio.run`` in Alembic's async template."""
    facts = conv.project.modules.get(conv.name)
    return facts is not None and "alembic.context" in facts.bindings.values()


def in_thread(conv: Conversion, updated: cst.Call, why: str) -> cst.BaseExpression:
    """``f(a)`` -> ``await asyncio.to_thread(f, a)`` inside a coroutine (``f`` expects no running loop, or its
    source says it blocks); as it was elsewhere."""
    function_id = conv.function_id
    if function_id is None or not conv.project.is_async(function_id):
        return updated
    to_thread = cst.parse_expression(f"{conv.use_module('asyncio')}.to_thread")
    args = [cst.Arg(updated.func), *(_parenthesised_generator(a) for a in updated.args)]
    if len(args) > 1:
        args[0] = args[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    conv.notes.note(f"{conv.module.code_for_node(updated.func)}() {why}: run in a thread now")
    return cst.Await(cst.Call(to_thread, args=args))


def _parenthesised_generator(arg: cst.Arg) -> cst.Arg:
    """``f(x for x in xs)`` handed on as ``to_thread(f, (x for x in xs))``: a generator beside others needs its
    parentheses."""
    value = arg.value
    if isinstance(value, cst.GeneratorExp) and not value.lpar:
        return arg.with_changes(value=value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()]))
    return arg


STREAMS = {"stream", "stream_scalars"}
STREAM_READERS = {"scalars", "mappings", "unique", "columns", "yield_per"}


def streamed(node: cst.BaseExpression) -> bool:
    """``await s.stream(q)``, ``await s.stream_scalars(q)``, ``(await s.stream(q)).scalars()``: an async result."""
    while isinstance(node, cst.Call) and isinstance(node.func, cst.Attribute):
        if node.func.attr.value not in STREAM_READERS:
            return False
        node = node.func.value
    if not isinstance(node, cst.Await):
        return False
    call = node.expression
    return isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute) and call.func.attr.value in STREAMS


def parenthesised(node: cst.BaseExpression) -> cst.BaseExpression:
    """An ``await`` that something is read from (``.x``, ``[i]``, ``(...)``) needs parentheses."""
    if isinstance(node, cst.Await) and not node.lpar:
        return node.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
    return node


def unknown_receiver(conv: Conversion, original: cst.Call) -> None:
    """``repos.users.get()`` on a value of unknown type, where a class of the run declares an attribute
    ``users`` whose type has a method ``get`` that became async: a TODO (``request.headers.get()``: none).

    The call may be a coroutine now; the codemod cannot tell, and leaving it silently un-awaited would
    leave the chain half-converted.
    """
    func = original.func
    if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)) or id(original) in conv.awaited:
        return
    if conv.type_of(func.value) is not None:
        return
    owners = conv.project.async_methods_behind(func.value.attr.value, func.attr.value)
    if not owners:
        return
    receiver = conv.module.code_for_node(func.value)
    conv.todo(
        f"{receiver}.{func.attr.value}() may be a coroutine now ({owners[0]} became async) and the type of "
        f"'{receiver}' is not known here: await it if it is"
    )


def validated_form(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``form.validate_on_submit()`` of a form whose inline validators await (``form_validators``) -> ``await
    greenlet_spawn(form.validate_on_submit)``: they run in SQLAlchemy's greenlet."""
    func = original.func
    if not (
        isinstance(func, cst.Attribute)
        and func.attr.value in form_validators.VALIDATES
        and isinstance(updated.func, cst.Attribute)
    ):
        return None
    found = conv.type_of(func.value) or ""
    if not found.startswith("inst:"):
        return None
    module, _, qualname = found[5:].partition(":")
    if not form_validators.is_form(conv.project, module, qualname):
        return None
    if not form_validators.awaiting(conv.project, module, qualname):
        return None
    label = f"{conv.module.code_for_node(func)}()"
    if not conv.can_await(label, "runs validators awaiting in SQLAlchemy's greenlet (await greenlet_spawn(...))"):
        return updated
    spawn = cst.Name(conv.use(*form_validators.GREENLET_SPAWN))
    args = [cst.Arg(updated.func), *updated.args]
    if len(args) > 1:
        args[0] = args[0].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return cst.Await(cst.Call(spawn, args=args))
