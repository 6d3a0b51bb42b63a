"""flask-apispec's ``use_kwargs``, ``marshal_with`` and ``doc`` over the current request: the same loading and answers.

As in flask-apispec, the decorators stack their annotations on one wrapper: it loads each ``use_kwargs`` schema
with the app's webargs (the locations flask-apispec asked for: query string, form and JSON before webargs 6; a
422 whose ``data["messages"]`` the app's handlers read), passes what it loads as keyword arguments, and dumps
the view's return value with the ``marshal_with`` schema of its status as JSON. FastAPI reads the wrapper's
signature: what the schemas feed is no query parameter. End state: pydantic models as FastAPI parameters and
``response_model``.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable, Mapping
from typing import Any

from fastapi.responses import Response

from .context import _current_app, _request
from .inputs import request_data, request_files, request_form
from .responses import jsonify, make_response

_SPEC = "__apispec__"


def _major(module: Any) -> int:
    version = getattr(module, "__version__", "0")
    return int(str(version).split(".")[0] or 0)


def _webargs_major() -> int:
    import webargs

    return _major(webargs)


def _is_json(req: Any) -> bool:
    kind = req.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind == "application/json" or (kind.startswith("application/") and kind.endswith("+json"))


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+
def _old_parser() -> Any:
    """webargs before 6 (one field at a time, from several locations): FlaskParser's reads on Starlette's request."""
    from webargs import core

    def value(data: Any, name: str, field: Any, **kwargs: Any) -> Any:
        return core.get_value(data, name, field, **kwargs)

    class Parser(core.Parser):
        __location_map__ = dict(view_args="parse_view_args", **core.Parser.__location_map__)

        def parse_view_args(self, req: Any, name: str, field: Any) -> Any:
            return value(dict(req.path_params), name, field)

        def parse_json(self, req: Any, name: str, field: Any) -> Any:
            if not _is_json(req):
                return core.missing
            try:
                data = json.loads(request_data(req) or b"null")
            except ValueError:  # Flask's get_json(silent=True): None
                return core.missing
            if data is None:
                return core.missing
            try:
                return value(data, name, field, allow_many_nested=True)
            except TypeError:  # webargs before 1.9 has no allow_many_nested
                return value(data, name, field)

        def parse_querystring(self, req: Any, name: str, field: Any) -> Any:
            return value(req.query_params, name, field)

        def parse_form(self, req: Any, name: str, field: Any) -> Any:
            return value(request_form(req), name, field)

        def parse_headers(self, req: Any, name: str, field: Any) -> Any:
            return value(req.headers, name, field)

        def parse_cookies(self, req: Any, name: str, field: Any) -> Any:
            return value(req.cookies, name, field)

        def parse_files(self, req: Any, name: str, field: Any) -> Any:
            return value(request_files(req), name, field)

        def handle_error(self, error: Any, req: Any, *args: Any, **kwargs: Any) -> Any:
            _abort(getattr(error, "status_code", None) or kwargs.get("error_status_code") or 422, error)

        def get_default_request(self) -> Any:
            return _request()

    return Parser()


def _abort(status: int, error: Any) -> None:
    """webargs' flaskparser ``abort``: Werkzeug's error of the status, with ``data`` (``messages``) and ``exc``."""
    from . import werkzeug_errors

    found = [c for c in vars(werkzeug_errors).values() if isinstance(c, type) and getattr(c, "code", None) == status]
    http_error = found[0]() if found else werkzeug_errors.UnprocessableEntity()
    http_error.data = {"messages": getattr(error, "messages", str(error))}
    http_error.exc = error
    raise http_error


def _parse(schema: Any, req: Any, kwargs: dict) -> Any:
    if _webargs_major() < 6:
        return _old_parser().parse(schema, req, locations=kwargs.get("locations"))
    from webargs.core import ValidationError

    from .apifairy import ValidationError as Rejected
    from .apifairy import _parser

    try:
        return _parser().parse(schema, req, location=kwargs.get("location") or "json", error_status_code=422)
    except Rejected as error:
        _abort(error.status_code, ValidationError(error.messages))


def _resolve(schema: Any, req: Any) -> Any:
    """flask-apispec's ``resolve_schema``: a Schema class is instantiated, a function is called with the request."""
    if isinstance(schema, type):
        return schema()
    if callable(schema) and not hasattr(schema, "fields") and not isinstance(schema, Mapping):
        return schema(req)
    return schema


def _field_names(schema: Any) -> set[str] | None:
    """The keyword arguments a schema feeds, or None when only the request says (a function of the request)."""
    if isinstance(schema, Mapping):
        return set(schema)
    fields = getattr(schema, "_declared_fields" if isinstance(schema, type) else "fields", None)
    if not isinstance(fields, Mapping):
        return None
    return {name for name, field in fields.items() if not getattr(field, "dump_only", False)}  # a path's ``slug``


def _signature(view: Callable, spec: dict) -> inspect.Signature:
    """What FastAPI sees: the view's parameters but those the schemas feed and ``*args``/``**kwargs``."""
    try:
        signature = inspect.signature(view, eval_str=True)  # FastAPI reads it from the wrapper's module
    except (TypeError, NameError):  # Python < 3.10, or a name only a type checker sees
        signature = inspect.signature(view)
    fed: set[str] = set()
    opaque = False
    for schema, _ in spec["args"]:
        names = _field_names(schema)
        opaque = opaque or names is None
        fed |= names or set()
    kept = [
        p
        for p in signature.parameters.values()
        if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
        and p.name not in fed
        and not (opaque and p.annotation is p.empty)  # a schema only the request names: the conversion annotates
    ]
    return signature.replace(parameters=kept)


def _dump(schema: Any, value: Any) -> Any:
    dumped = schema.dump(value)
    return dumped.data if hasattr(dumped, "data") and hasattr(dumped, "errors") else dumped  # marshmallow 2


def _marshalled(spec: dict, rv: Any, req: Any) -> Any:
    """flask-apispec's ``marshal_result``: the schema of the status (or ``default``), then the app's formatter."""
    if isinstance(rv, Response):
        return rv
    unpacked = (rv if isinstance(rv, tuple) else (rv,)) + (None,) * 3
    body, status, headers = unpacked[:3]
    config = getattr(_current_app(), "config", {}) or {}
    format_response = config.get("APISPEC_FORMAT_RESPONSE", jsonify) or (lambda value: value)
    schema = spec["schemas"].get(status or 200, spec["schemas"].get("default"))
    output = _dump(_resolve(schema, req), body) if schema is not None else body
    values = (format_response(output), status, headers)
    while len(values) > 1 and values[-1] is None:
        values = values[:-1]
    return make_response(values if len(values) > 1 else values[0])


def _activate(f: Callable) -> Callable:
    """One wrapper per view, as flask-apispec's ``activate``: later decorators annotate it."""
    if getattr(f, _SPEC, None) is not None:
        return f
    spec: dict = {"args": [], "schemas": {}}

    def load(args: tuple, kwargs: dict) -> tuple[tuple, dict]:
        req = _request()
        for schema, options in spec["args"]:
            resolved = _resolve(schema, req)
            parsed = _parse(resolved, req, options)
            if getattr(resolved, "many", False):
                args += tuple(parsed)
            else:
                kwargs.update(parsed)
        return args, kwargs

    if inspect.iscoroutinefunction(f):

        @functools.wraps(f)
        async def wrapped(*args: Any, **kwargs: Any) -> Any:
            await _request().body()  # read on the event loop: the parser's sync reads find it
            args, kwargs = load(args, kwargs)
            return _marshalled(spec, await f(*args, **kwargs), _request())

    else:

        @functools.wraps(f)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            args, kwargs = load(args, kwargs)
            return _marshalled(spec, f(*args, **kwargs), _request())

    setattr(wrapped, _SPEC, spec)
    wrapped.__signature__ = _signature(f, spec)
    return wrapped


def use_kwargs(args: Any, locations: Any = None, inherit: Any = None, apply: Any = None, **kwargs: Any) -> Callable:
    def decorator(f: Callable) -> Callable:
        wrapped = _activate(f)
        if apply is not False:
            getattr(wrapped, _SPEC)["args"].insert(0, (args, {"locations": locations, **kwargs}))
            wrapped.__signature__ = _signature(inspect.unwrap(wrapped), getattr(wrapped, _SPEC))
        return wrapped

    return decorator


def marshal_with(schema: Any, code: Any = "default", description: str = "", inherit: Any = None, apply: Any = None):
    def decorator(f: Callable) -> Callable:
        wrapped = _activate(f)
        if apply is not False:
            getattr(wrapped, _SPEC)["schemas"].setdefault(code, schema)
        return wrapped

    return decorator


def doc(inherit: Any = None, **kwargs: Any) -> Callable[[Callable], Callable]:
    """Documentation only: FastAPI's OpenAPI document is read from the views' signatures."""
    return lambda f: f


class FlaskApiSpec:
    """The extension: its documentation comes from FastAPI's own OpenAPI document (``/docs``, ``/openapi.json``)."""

    def __init__(self, app: Any = None, document_options: bool = True):
        self.app = app
        self.spec: Any = None

    def init_app(self, app: Any) -> None:
        self.app = app

    def register(self, target: Any, endpoint: Any = None, blueprint: Any = None, **kwargs: Any) -> None:
        return None

    def register_existing_resources(self) -> None:
        return None
