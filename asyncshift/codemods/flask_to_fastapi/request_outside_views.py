"""The request where no view plan covers it: handlers, hooks, helpers it is passed to, code outside views.

Attributes read from the Starlette ``Request`` (or the helper's request proxy) under Starlette's names;
bodies through the helper's synchronous readers; ``request.args.to_dict()`` on Starlette's mappings.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import request_attributes
from codemods.flask_to_fastapi.conversion import Conversion
from codemods.flask_to_fastapi.nodes import arg, call, code, expr

# request.<body> read synchronously (handlers, hooks, helpers the request is passed to, closures in views)
SYNC_BODIES = {"form": "request_form", "files": "request_files", "json": "request_json", "data": "request_data"}
SYNC_BODIES["values"] = "request_values"  # Werkzeug's CombinedMultiDict of args and form
SYNC_CALLS = {"get_json": "request_json", "get_data": "request_data"}


# what Flask's and Starlette's requests both have, under the same name
STARLETTES_OWN = ("method", "headers", "cookies", "url", "scope", "state", "app", "session", "client")


def request_attribute(tr: Conversion, original: cst.Attribute, updated: cst.Attribute, name: str) -> cst.BaseExpression:
    """``request.path`` where the request is a Starlette ``Request`` but no view plan covers the access."""
    attr = original.attr.value
    if attr in SYNC_CALLS:
        return updated  # the call is rewritten as a whole
    if attr in request_attributes.DYNAMIC_MAPPINGS:
        return expr(request_attributes.DYNAMIC_MAPPINGS[attr].format(r=name))
    if attr in request_attributes.ATTRIBUTES:
        tr.needs.update(request_attributes.helpers_of(attr))
        return expr(request_attributes.ATTRIBUTES[attr].format(r=name))
    if attr in SYNC_BODIES:
        tr.needs.add(SYNC_BODIES[attr])
        if attr == "data":  # Werkzeug's request.data: empty for a form, which it parsed instead
            return call("request_data", arg(cst.Name(name)), arg(cst.Name("True"), "parse_form_data"))
        return call(SYNC_BODIES[attr], arg(cst.Name(name)))
    if attr in request_attributes.UNSUPPORTED:
        tr.todo(request_attributes.UNSUPPORTED[attr])
    elif attr not in STARLETTES_OWN:
        tr.todo(request_attributes.no_twin(attr))
    return updated


def request_call(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``request.get_json(silent=True)`` outside a planned view: the helper's synchronous reader."""
    func = original.func
    if not (
        isinstance(func, cst.Attribute)
        and isinstance(func.value, cst.Name)
        and tr.names.resolve(func.value) == "flask.request"
    ):
        return None
    helper = SYNC_CALLS.get(func.attr.value)
    if helper is None:
        return None
    scope = tr.scopes[-1] if tr.scopes else None
    if scope is not None and scope.role == "view":  # the view's plan reads it; elsewhere, its request or the proxy
        return None
    tr.needs.add(helper)
    return call(helper, arg(tr.request_expr()), *updated.args)


TO_DICT_SOURCES = ("args", "form", "files", "cookies", "values")


def to_dict(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """Werkzeug's ``MultiDict.to_dict()`` on Starlette's mappings.

    The first value of each key; with ``flat=False``, every value.
    """
    func = original.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "to_dict" and isinstance(func.value, cst.Attribute)):
        return None
    if func.value.attr.value not in TO_DICT_SOURCES or tr.names.resolve(func.value.value) != "flask.request":
        return None
    mapping = updated.func.value if isinstance(updated.func, cst.Attribute) else None
    if mapping is None:
        return None
    flat = next((a.value for a in original.args if a.keyword is None or a.keyword.value == "flat"), None)
    if flat is not None and code(flat) not in ("True", "False"):
        return None
    value = "{m}.getlist(key)" if flat is not None and code(flat) == "False" else "{m}.getlist(key)[0]"
    text = code(mapping)
    return expr(f"{{key: {value.format(m=text)} for key in {text}}}")


TYPED_GET_SOURCES = ("args", "form", "values", "headers", "cookies")


def typed_get(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """Werkzeug's ``request.args.get(key, default, type=int)`` and ``getlist(key, type=int)`` where no typed
    parameter took the value (a decorator's wrapper, a dynamic key, the app's own converter): the helper's
    ``typed_get(mapping, ...)``, since Starlette's ``get`` takes no ``type`` (TypeError)."""
    func = original.func
    if not (
        isinstance(func, cst.Attribute)
        and func.attr.value in ("get", "getlist")
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value in TYPED_GET_SOURCES
        and tr.names.resolve(func.value.value) == "flask.request"
        and any(a.keyword is not None and a.keyword.value == "type" for a in original.args)
    ):
        return None
    mapping = updated.func.value if isinstance(updated.func, cst.Attribute) else None
    if mapping is None:
        return None
    helper = "typed_get" if func.attr.value == "get" else "typed_getlist"
    tr.needs.add(helper)
    return call(helper, arg(mapping), *updated.args)


def multi_items(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """Werkzeug's ``MultiDict.items(multi=True)`` (every pair) as Starlette's ``multi_items()``; its ``items()``
    takes no ``multi`` (TypeError)."""
    func = original.func
    if not (isinstance(func, cst.Attribute) and func.attr.value == "items" and isinstance(func.value, cst.Attribute)):
        return None
    if func.value.attr.value not in ("args", "form", "files") or tr.names.resolve(func.value.value) != "flask.request":
        return None
    multi = next((a.value for a in original.args if a.keyword is None or a.keyword.value == "multi"), None)
    mapping = updated.func.value if isinstance(updated.func, cst.Attribute) else None
    if multi is None or mapping is None or code(multi) not in ("True", "False"):
        return None
    return cst.Call(cst.Attribute(mapping, cst.Name("multi_items" if code(multi) == "True" else "items")))


def listed_headers(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``request.headers.items()``/``keys()``: the names as Werkzeug listed them (``User-Agent``), through the
    helper; Starlette lists them as sent (``user-agent``), and the app's JSON or logic would see other keys."""
    func = original.func
    if not (
        isinstance(func, cst.Attribute)
        and func.attr.value in ("items", "keys")
        and isinstance(func.value, cst.Attribute)
        and func.value.attr.value == "headers"
        and tr.names.resolve(func.value.value) == "flask.request"
    ):
        return None
    mapping = updated.func.value if isinstance(updated.func, cst.Attribute) else None
    if not (isinstance(mapping, cst.Attribute) and mapping.attr.value == "headers"):
        return None
    tr.needs.add("request_headers")
    return updated.with_changes(func=cst.Attribute(call("request_headers", arg(mapping.value)), func.attr))


def proxy_request_attribute(tr: Conversion, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
    """``request.args`` outside a view: the helper's request proxy with Starlette's names."""
    tr.needs.add("request")
    attr = original.attr.value
    if attr in request_attributes.DYNAMIC_MAPPINGS:
        return expr(request_attributes.DYNAMIC_MAPPINGS[attr].format(r="request"))
    if attr in request_attributes.ATTRIBUTES:
        tr.needs.update(request_attributes.helpers_of(attr))
        return expr(request_attributes.ATTRIBUTES[attr].format(r="request"))
    if attr in SYNC_BODIES:  # the helper's synchronous readers take the proxy as they take a request
        return request_attribute(tr, original, updated, "request")
    if attr in SYNC_CALLS:  # request_call rewrites the call as a whole
        return updated
    if attr in request_attributes.UNSUPPORTED:
        tr.todo(request_attributes.UNSUPPORTED[attr])
    elif attr not in STARLETTES_OWN:  # request.accept_languages: Starlette's request has no such attribute
        tr.todo(request_attributes.no_twin(attr))
    return updated
