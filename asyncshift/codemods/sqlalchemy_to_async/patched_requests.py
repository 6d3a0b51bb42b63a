"""A test's ``patch("pkg.mod.requests.post")`` where ``pkg.mod``'s requests calls became httpx (``bridges``).

``pkg.mod`` no longer imports ``requests`` (its calls are ``await client.post(...)`` on an ``httpx.AsyncClient``
now), so the patch failed with ``AttributeError: module 'pkg.mod' has no attribute 'requests'``. The target
becomes ``pkg.mod.httpx.AsyncClient.post``: ``patch`` puts an ``AsyncMock`` there (the method is a coroutine
function), called with the request's own arguments (the client is not handed in: a mock on the class is no
descriptor); ``return_value=MagicMock()`` makes what ``await client.post(...)`` gives a plain mock (an
``AsyncMock``'s own would make ``response.json()`` a coroutine). So the test's ``return_value.status_code = 401``,
``return_value.json.return_value = {...}`` and ``assert_called_with(url, data=...)`` hold as before. Where some of the
module's requests calls stay sync, or the whole module is patched (``pkg.mod.requests``), a TODO says so.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.colours import REQUESTS_METHODS

Conversion = Any  # the rewriting pass's state (``conversion``)

PATCH = "ref:unittest.mock.patch"
_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def patch(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``patch("pkg.mod.requests.<method>", ...)`` -> ``patch("pkg.mod.httpx.AsyncClient.<method>", ...)``."""
    first = updated.args[0] if updated.args else None
    if first is None or first.keyword is not None or not isinstance(first.value, cst.SimpleString):
        return updated
    target = first.value.evaluated_value
    if not isinstance(target, str) or ".requests" not in target or conv.type_of(original.func) != PATCH:
        return updated
    module, _, rest = target.rpartition(".requests")
    method = rest[1:] if rest.startswith(".") else rest
    converted = _converted(conv.project, module)
    if converted is None or rest not in ("", f".{method}"):
        return updated
    if not rest or method not in REQUESTS_METHODS or converted != "all":
        if converted != "none":
            conv.todo(f"{module}'s requests calls are httpx.AsyncClient calls now: patch those instead")
        return updated
    rest_args = list(updated.args[1:])
    keywords = {a.keyword.value for a in rest_args if a.keyword is not None}
    if "new" in keywords or "new_callable" in keywords or any(a.keyword is None for a in rest_args):
        conv.todo(
            f"{module}'s requests.{method} is httpx.AsyncClient.{method} now: patch that with a coroutine function"
        )
        return updated
    new = f"{module}.{_httpx_name(conv.project, module)}.AsyncClient.{method}"
    target_arg = first.with_changes(value=cst.SimpleString(f"{first.value.quote}{new}{first.value.quote}"))
    if "return_value" not in keywords:  # what ``await client.post()`` gives: a response, its ``json()`` sync
        magic_mock = conv.use("unittest.mock", "MagicMock")
        returned = cst.Arg(
            cst.Call(cst.Name(magic_mock)), keyword=cst.Name("return_value"), equal=_EQUAL, comma=first.comma
        )
        rest_args.insert(0, returned)
        target_arg = target_arg.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    if rest_args:
        rest_args[-1] = rest_args[-1].with_changes(comma=updated.args[-1].comma)
    return updated.with_changes(args=[target_arg, *rest_args])


def mark(project: Any) -> None:
    """Test modules patching ``pkg.mod.requests...`` where ``pkg.mod``'s requests calls became httpx are involved
    (rewritten though they may name nothing of SQLAlchemy)."""
    for facts in project.modules.values():
        for path in facts.patch_paths:
            module, found, _ = path.rpartition(".requests")
            if found and _converted(project, module) in ("all", "some"):
                project.involved.add(facts.relative)
                break


def _converted(project: Any, module: str) -> str | None:
    """Whether the run's module ``module`` had its requests calls made httpx: "all", "some", "none"; None when
    it is not the run's or calls no requests function."""
    facts = project.modules.get(module)
    if facts is None:
        return None
    calling = [
        func
        for func in facts.functions.values()
        if any(_requests_call(project, module, func.qualname, callee) for callee in func.calls)
    ]
    at_top = any(_requests_call(project, module, None, callee) for callee in facts.module_calls)
    if not calling and not at_top:
        return None
    made_async = [func for func in calling if project.is_async(func.id)]
    if len(made_async) == len(calling) and not at_top:
        return "all"
    return "some" if made_async else "none"


def _requests_call(project: Any, module: str, function: str | None, callee: Any) -> bool:
    found = project.types.type_of(module, function, callee)
    return bool(found) and found.startswith("ref:requests.") and found[13:] in REQUESTS_METHODS


def _httpx_name(project: Any, module: str) -> str:
    """The name the converted module imports httpx under (``Conversion.use_module``'s choice)."""
    facts = project.modules[module]
    bound = facts.bindings.get("httpx")
    taken = "httpx" in facts.variables or "httpx" in facts.functions
    return "_httpx" if taken or (bound is not None and bound != "httpx") else "httpx"
