"""Bridges unwrapped: ``asyncio.run(c)``/``loop.run_until_complete(c)`` in code that became async -> ``await c``.

Inside a running loop those bridges fail ("asyncio.run() cannot be called from a running event loop");
likewise ``time.sleep`` blocks the loop (-> ``await asyncio.sleep``) and ``requests`` blocks it
(-> ``httpx.AsyncClient``, opened around the statement that makes the request).
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async.conversion import Conversion

REQUEST_CLIENT = "client"
_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def client_name(conv: Conversion) -> str:
    """``client``, unless the function already has a name ``client``."""
    func = conv.project.function(conv.name, conv.function)
    taken = set(func.params) | set(func.locals) if func else set()
    return next(n for n in (REQUEST_CLIENT, "http_client", "async_client", "httpx_client_") if n not in taken)


def _in_async(conv: Conversion) -> bool:
    return conv.function_id is not None and not conv.lambdas and conv.project.is_async(conv.function_id)


def unwrapped(conv: Conversion, original: cst.Call, updated: cst.Call, what: tuple) -> cst.BaseExpression:
    if not _in_async(conv) or id(original) in conv.awaited:
        return updated
    if what[0] == "bridge":
        coroutine = next((a.value for a in updated.args if a.keyword is None and not a.star), None)
        return cst.Await(coroutine) if coroutine is not None else updated
    if what[0] == "sleep":
        conv.replaced_modules.add("time")
        asyncio = conv.use_module("asyncio")
        return cst.Await(updated.with_changes(func=cst.parse_expression(f"{asyncio}.sleep")))
    if what[0] == "requests":
        if not conv.statements or not conv.statements[-1]:
            conv.todo("requests blocks the event loop: make this request with httpx.AsyncClient")
            return updated
        conv.require("httpx")
        conv.replaced_modules.add("requests")
        conv.pending_clients[-1].extend(_client_options(updated))
        conv.pending_clients[-1].append(cst.Arg(cst.Name("True"), keyword=cst.Name("follow_redirects"), equal=_EQUAL))
        args = [a for a in updated.args if not (a.keyword and a.keyword.value in _CLIENT_KEYWORDS)]
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        call = updated.with_changes(func=cst.Attribute(cst.Name(client_name(conv)), cst.Name(what[1])), args=args)
        return cst.Await(_redirects(call))
    return updated


_CLIENT_KEYWORDS = {"verify", "cert", "proxies"}  # per client in httpx, per request in requests


def _client_options(call: cst.Call) -> list[cst.Arg]:
    return [a for a in call.args if a.keyword and a.keyword.value in _CLIENT_KEYWORDS]


def _redirects(call: cst.Call) -> cst.Call:
    """requests follows redirects unless told not to; httpx only when told to."""
    args = [
        a.with_changes(keyword=cst.Name("follow_redirects"))
        if a.keyword and a.keyword.value == "allow_redirects"
        else a
        for a in call.args
    ]
    return call.with_changes(args=args)


def shared_session(conv: Conversion) -> None:
    """``requests.Session()`` in code that became async: one client to share, a decision for a person."""
    if _in_async(conv):
        conv.todo("requests.Session is shared here: make one httpx.AsyncClient, use it with await, close it")


def wrap_in_client(conv: Conversion, line: cst.SimpleStatementLine) -> cst.BaseStatement:
    """The statement that makes a request, inside ``async with httpx.AsyncClient(...) as client:``."""
    options = conv.pending_clients[-1]
    httpx = conv.use_module("httpx")
    seen: dict[str, cst.Arg] = {}
    for option in options:  # one client for the statement, each option once
        seen.setdefault(option.keyword.value, option.with_changes(comma=cst.MaybeSentinel.DEFAULT))
    args = list(seen.values())
    client = cst.Call(cst.parse_expression(f"{httpx}.AsyncClient"), args=args)
    conv.notes.note("requests -> httpx: check response attributes (ok -> is_success, iter_content -> aiter_bytes)")
    return cst.With(
        items=[cst.WithItem(client, asname=cst.AsName(cst.Name(client_name(conv))))],
        body=cst.IndentedBlock([line.with_changes(leading_lines=[])]),
        asynchronous=cst.Asynchronous(),
        leading_lines=line.leading_lines,
    )
