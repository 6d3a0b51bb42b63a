"""Threads that become asyncio tasks, written down (``threads`` decides which): ``create_task`` for the thread,
``await t`` for its join, ``asyncio.Event`` for the event that stops it, and the helper that waits on one.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async import awaited_calls, threads, urls
from codemods.sqlalchemy_to_async.exprs import from_cst


def scan(conv: Any) -> None:
    """Entering a function that starts tasks: its ``threading.Event`` locals become asyncio's."""
    func = conv.project.function(conv.name, conv.function)
    if func is None or not conv.awaitable() or not threads.starts_task(conv.project, func):
        return
    for name in func.locals:
        if threads.made_by(conv.project, func, name, threads.EVENT):
            conv.task_events.add((func.qualname, name))


def _thread_call(conv: Any, original: cst.Call) -> tuple | None:
    """The facts' thread for this ``Thread(...)`` call, when it becomes a task here."""
    func = conv.project.function(conv.name, conv.function)
    if func is None or not conv.awaitable() or conv.type_of(original.func) != threads.THREAD:
        return None
    keyword = next((a for a in original.args if a.keyword and a.keyword.value == "target"), None)
    if keyword is None:
        return None
    runs = from_cst(keyword.value)
    body = _lambda_body(keyword.value)
    if body is not None:
        runs = ("lambda", from_cst(body.func))
    for thread in func.threads:
        if thread[1] == runs and threads.becomes_task(conv.project, func, thread):
            return thread
    return None


def _lambda_body(node: cst.BaseExpression) -> cst.Call | None:
    """The call a lambda of no parameters makes (``lambda: work(a)``), else None."""
    if not isinstance(node, cst.Lambda) or not isinstance(node.body, cst.Call):
        return None
    params = node.params
    if params.params or params.posonly_params or params.kwonly_params:
        return None
    if isinstance(params.star_arg, cst.Param) or params.star_kwarg is not None:
        return None
    return node.body


def visit_call(conv: Any, node: cst.Call) -> None:
    """The target handed to a thread that becomes a task is called there, not handed on (no TODO for it); so is
    the function of a ``pool.submit(f, a).result()`` (``waited_submit``)."""
    func = node.func
    if isinstance(func, cst.Attribute) and func.attr.value == "result" and isinstance(func.value, cst.Call):
        submit = func.value
        if isinstance(submit.func, cst.Attribute) and submit.func.attr.value == "submit" and submit.args:
            conv.coroutine_args.add(id(submit.args[0].value))
    thread = _thread_call(conv, node)
    if thread is None:
        return
    for arg in node.args:
        if arg.keyword and arg.keyword.value == "target" and _lambda_body(arg.value) is not None:
            conv.coroutine_args.add(id(arg.value.body))  # ``target=lambda: work(a)``: ``create_task(work(a))``
        if arg.keyword and arg.keyword.value in ("target", "args"):
            conv.callees.add(id(arg.value))
            if isinstance(arg.value, cst.Tuple | cst.List) and arg.value.elements:
                conv.callees.add(id(arg.value.elements[0].value))


def thread(conv: Any, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``threading.Thread(target=f, args=(a,), name=n)`` -> ``asyncio.create_task(f(a), name=n)``, else None."""
    found = _thread_call(conv, original)
    if found is None:
        return None
    func = conv.project.function(conv.name, conv.function)
    _, skip, context = threads.target(conv.project, func, found)
    keywords = {a.keyword.value: a for a in updated.args if a.keyword}
    runs = keywords["target"].value
    if isinstance(runs, cst.Lambda):  # ``target=lambda: work(a)``: its call is the coroutine
        coroutine = runs.body
    handed = keywords["args"].value if "args" in keywords else cst.Tuple([])
    if isinstance(handed, cst.Tuple | cst.List):
        elements = handed.elements[skip:]
        runs = handed.elements[0].value if skip else runs
        args = [cst.Arg(e.value, star="*" if isinstance(e, cst.StarredElement) else "") for e in elements]
    else:  # ``args=extra``: handed on whole
        args = [cst.Arg(handed, star="*")]
    if "kwargs" in keywords:
        args.append(cst.Arg(keywords["kwargs"].value, star="**"))
    if not isinstance(runs, cst.Lambda):
        coroutine = cst.Call(runs, args=_commas(args))
    task_args = [cst.Arg(coroutine)]
    if "name" in keywords:
        task_args.append(cst.Arg(keywords["name"].value, keyword=cst.Name("name"), equal=_equal()))
    if context is not None:
        task_args.append(cst.Arg(cst.Name(context[1]), keyword=cst.Name("context"), equal=_equal()))
    conv.replaced_modules.add("threading")
    create_task = cst.parse_expression(f"{conv.use_module('asyncio')}.create_task")
    return cst.Call(create_task, args=_commas(task_args))


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _commas(args: list[cst.Arg]) -> list[cst.Arg]:
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    return [a.with_changes(comma=comma) for a in args[:-1]] + args[-1:]


def lambda_assigned(conv: Any, node: cst.Assign) -> None:
    """``run = lambda: work(a)`` where every thread ``run`` is the target of becomes a task: the lambda returns the
    coroutine ``create_task`` is handed (``create_task(run())``), its call neither awaited nor given a TODO."""
    target_node = node.targets[0].target if len(node.targets) == 1 else None
    if isinstance(target_node, cst.Name) and _lambda_body(node.value) is not None:
        if threads.task_lambda(conv.project, conv.name, conv.function, target_node.value):
            conv.coroutine_args.add(id(node.value.body))


def assigned(conv: Any, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
    """``t = <a task now>``: ``t`` is a task in this function; ``stop = threading.Event()`` an asyncio one."""
    target_node = updated.targets[0].target if len(updated.targets) == 1 else None
    if not isinstance(target_node, cst.Name) or conv.function is None:
        return updated
    name = target_node.value
    if isinstance(original.value, cst.Call) and _thread_call(conv, original.value) is not None:
        conv.tasks.add((conv.function, name))
    if (conv.function, name) in conv.task_events and isinstance(updated.value, cst.Call):
        if conv.type_of(original.value.func) == threads.EVENT:
            conv.replaced_modules.add("threading")
            event = cst.parse_expression(f"{conv.use_module('asyncio')}.Event")
            return updated.with_changes(value=updated.value.with_changes(func=event))
    return updated


def _named(conv: Any, node: cst.BaseExpression, kept: set[tuple[str, str]]) -> bool:
    """Whether ``node`` is a name bound (here or in an enclosing function) to one of ``kept``."""
    if not isinstance(node, cst.Name):
        return False
    owner = threads.binder(conv.project, conv.name, conv.function, node.value)
    return owner is not None and (owner.qualname, node.value) in kept


def method_call(conv: Any, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``t.join()`` -> ``await t``; ``stop.wait(...)`` on an asyncio event awaited; a coroutine's wait on a thread
    or event that stays a thread's, in a thread (``await asyncio.to_thread(worker.join)``); else None."""
    if not isinstance(original.func, cst.Attribute):
        return None
    receiver, method = original.func.value, original.func.attr.value
    if method == "result" and isinstance(receiver, cst.Call):
        return waited_submit(conv, original, updated)
    if method == "start" and isinstance(receiver, cst.Call) and _thread_call(conv, receiver) is not None:
        conv.todo("keep a reference to this task until it ends: the event loop holds only a weak one")
        return updated.func.value  # ``Thread(...).start()``: the task, started when made
    if method == "join" and _named(conv, receiver, conv.tasks):
        if updated.args:
            conv.todo(f"'{conv.module.code_for_node(original)}' joins a task now: await it in asyncio.wait_for")
            return updated
        return cst.Await(updated.func.value) if conv.can_await(conv.module.code_for_node(original)) else updated
    if method == "wait" and _named(conv, receiver, conv.task_events):
        label = conv.module.code_for_node(original)
        if not updated.args:
            return cst.Await(updated) if conv.can_await(label) else updated
        if not conv.can_await(label):
            return updated
        helper = event_wait(conv)
        return cst.Await(cst.Call(cst.Name(helper), args=_commas([cst.Arg(updated.func.value), *updated.args])))
    blocking = {"join": threads.THREAD, "wait": threads.EVENT}.get(method)
    if blocking and isinstance(receiver, cst.Name) and not conv.lambdas and conv.awaitable():
        owner = threads.binder(conv.project, conv.name, conv.function, receiver.value)
        if owner is not None and threads.made_by(conv.project, owner, receiver.value, blocking):
            return awaited_calls.in_thread(conv, updated, "waits on a thread's primitive")
    return None


def waited_submit(conv: Any, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``pool.submit(f, a, k=b).result()`` where ``f`` became a coroutine function -> ``await f(a, k=b)`` (the caller
    waited for it anyway); ``.result(timeout)`` -> ``await asyncio.wait_for(f(a), timeout)``. Else None."""
    submit = original.func.value
    if len(original.args) > 1 or any(a.star for a in original.args) or not isinstance(submit.func, cst.Attribute):
        return None
    if submit.func.attr.value != "submit" or not submit.args or submit.args[0].star or submit.args[0].keyword:
        return None
    runs = submit.args[0].value
    found = conv.type_of(runs) if isinstance(runs, cst.Name | cst.Attribute) else None
    if not found or not found.startswith("func:") or not conv.project.is_async(found[5:]):
        return None
    handed = updated.func.value
    coroutine = cst.Call(handed.args[0].value, args=list(handed.args[1:]))
    if not conv.can_await(conv.module.code_for_node(original), "waits for a coroutine now"):
        return updated
    if updated.args:
        wait_for = cst.parse_expression(f"{conv.use_module('asyncio')}.wait_for")
        return cst.Await(cst.Call(wait_for, args=_commas([cst.Arg(coroutine), cst.Arg(updated.args[0].value)])))
    return cst.Await(coroutine)


def started(conv: Any, line: cst.SimpleStatementLine) -> bool:
    """``t.start()`` of a task, a statement of its own: dropped (the task started when it was made)."""
    if len(line.body) != 1 or not isinstance(line.body[0], cst.Expr):
        return False
    call = line.body[0].value
    return (
        isinstance(call, cst.Call)
        and not call.args
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == "start"
        and _named(conv, call.func.value, conv.tasks)
    )


def event_wait(conv: Any) -> str:
    """The helper waiting on an ``asyncio.Event`` at most ``timeout``, written into the module once."""
    if "event_wait" not in conv.helpers:
        name = urls.helper_name(conv, "_event_wait")
        asyncio = conv.use_module("asyncio")
        doc = '"""threading.Event.wait(timeout) on an asyncio.Event: whether it is set (by asyncshift)."""'
        code = (
            f"async def {name}(event, timeout=None):\n    {doc}\n    try:\n"
            f"        await {asyncio}.wait_for(event.wait(), timeout)\n    except TimeoutError:\n        pass\n"
            "    return event.is_set()\n"
        )
        conv.helpers["event_wait"] = (name, code)
    return conv.helpers["event_wait"][0]
