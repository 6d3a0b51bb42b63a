"""APIFairy's decorators and ``APIFairy`` over the current request: the app's marshmallow schemas answer as before.

``@body``/``@arguments`` load and validate with webargs as APIFairy did (same locations, a 400 with the messages
through the app's ``@apifairy.error_handler``) and pass what they load in front of the view's own arguments;
``@response`` dumps the view's return value with its status. End state: pydantic models as FastAPI parameters
and ``response_model``.
"""

from __future__ import annotations

import functools
import inspect
import json
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import Response
from marshmallow import ValidationError as _FieldError
from marshmallow.fields import Field
from starlette.exceptions import HTTPException as StarletteHTTPException

from .context import _request
from .inputs import request_data, request_files, request_form
from .jsonprovider import JSONResponse
from .responses import make_response
from .uploads import FileStorage

_webhooks: dict[str, Any] = {}


class ValidationError(Exception):
    """What a schema rejected: the status and webargs' messages, by location (``{"json": {...}}``)."""

    def __init__(self, status_code: int, messages: Any):
        self.status_code, self.messages = status_code, messages


class FileField(Field):
    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, FileStorage) and type(value).__name__ != "FileStorage":
            raise _FieldError("Not a file.")
        return value


def _mimetype(req: Request) -> str:
    return req.headers.get("content-type", "").split(";")[0].strip().lower()


@functools.lru_cache(maxsize=None)  # noqa: UP033 - functools.cache is Python 3.9+
def _parser() -> Any:
    """APIFairy's FlaskParser (webargs') reading the Starlette request: errors are APIFairy's 400s."""
    from webargs import core

    class Parser(core.Parser):
        DEFAULT_VALIDATION_STATUS = 400
        DEFAULT_UNKNOWN_BY_LOCATION = {"view_args": "raise", "path": "raise", **core.Parser.DEFAULT_UNKNOWN_BY_LOCATION}
        __location_map__ = dict(view_args="load_view_args", path="load_view_args", **core.Parser.__location_map__)

        def _raw_load_json(self, req: Request) -> Any:
            if not core.is_json(_mimetype(req)):
                return core.missing
            return core.parse_json(request_data(req))

        def _handle_invalid_json_error(self, error: Exception, req: Request, *args: Any, **kwargs: Any) -> Any:
            raise StarletteHTTPException(400)  # webargs' abort(400): the app's handler for 400 answers

        def load_view_args(self, req: Request, schema: Any) -> Any:
            return dict(req.path_params) or core.missing

        def load_querystring(self, req: Request, schema: Any) -> Any:
            return self._makeproxy(req.query_params, schema)

        def load_form(self, req: Request, schema: Any) -> Any:
            return {**self.load_files(req, schema), **self._makeproxy(request_form(req), schema)}

        def load_headers(self, req: Request, schema: Any) -> Any:
            return self._makeproxy(req.headers, schema)

        def load_cookies(self, req: Request, schema: Any) -> Any:
            return req.cookies

        def load_files(self, req: Request, schema: Any) -> Any:
            return self._makeproxy(request_files(req), schema)

        def handle_error(self, error: Any, req: Any, schema: Any, *, error_status_code: Any, error_headers: Any):
            raise ValidationError(error_status_code or self.DEFAULT_VALIDATION_STATUS, error.messages)

    return Parser()


def _annotate(f: Callable, **kwargs: Any) -> None:
    f.__dict__.setdefault("_spec", {}).update(kwargs)


def _signature(f: Callable) -> inspect.Signature:
    try:
        return inspect.signature(f, eval_str=True)  # FastAPI reads it from the wrapper's module: names resolved here
    except (TypeError, NameError):  # Python < 3.10, or a name only a type checker sees
        return inspect.signature(f)


def _filled(signature: inspect.Signature) -> str | None:
    """The parameter APIFairy's argument lands in: the last one FastAPI has nothing for (no annotation, no
    default; path parameters and ``request`` are annotated by the conversion). None: the function takes it
    through ``*args`` (a decorator of the app's own, as a pagination wrapper), passed positionally then."""
    plain = [
        p
        for p in signature.parameters.values()
        if p.kind is p.POSITIONAL_OR_KEYWORD and p.annotation is p.empty and p.default is p.empty
    ]
    return plain[-1].name if plain else None


async def _read_ahead(req: Request, location: str) -> None:
    """An async view's body, read on the event loop, where the parser's sync reads then find it."""
    await req.body()
    if location in ("form", "files", "json_or_form"):
        req.scope.setdefault("_flask_compat_form", await req.form())


def _loading(schema: Any, location: str, options: dict) -> Callable[[Callable], Callable]:
    """A decorator that parses ``location`` with ``schema`` and passes the result in front of the view's arguments."""
    options = {k: v for k, v in options.items() if k not in ("arg_name", "as_kwargs", "req")}

    def decorator(f: Callable) -> Callable:
        signature = _signature(f)
        name = _filled(signature)

        def call(args: tuple, kwargs: dict, loaded: Any) -> Any:
            return f(*args, loaded, **kwargs) if name is None else f(*args, **kwargs, **{name: loaded})

        if inspect.iscoroutinefunction(f):

            @functools.wraps(f)
            async def load(*args: Any, **kwargs: Any) -> Any:
                req = _request()
                await _read_ahead(req, location)
                return await call(args, kwargs, _parser().parse(schema, req, location=location, **options))

        else:

            @functools.wraps(f)
            def load(*args: Any, **kwargs: Any) -> Any:
                return call(args, kwargs, _parser().parse(schema, _request(), location=location, **options))

        if name is not None:  # FastAPI reads the signature: what APIFairy passes is not a query parameter
            load.__signature__ = signature.replace(parameters=[p for n, p in signature.parameters.items() if n != name])
        return load

    return decorator


def arguments(schema: Any, location: str = "query", **kwargs: Any) -> Callable[[Callable], Callable]:
    schema = schema() if isinstance(schema, type) else schema

    def decorator(f: Callable) -> Callable:
        if f.__dict__.get("_spec", {}).get("args") is None:
            _annotate(f, args=[])
        f._spec["args"].append((schema, location))
        return _loading(schema, location, kwargs)(f)

    return decorator


def body(schema: Any, location: str = "json", media_type: str | None = None, **kwargs: Any) -> Callable:
    schema = schema() if isinstance(schema, type) else schema

    def decorator(f: Callable) -> Callable:
        _annotate(f, body=(schema, location, media_type))
        return _loading(schema, location, kwargs)(f)

    return decorator


def _dumped(schema: Any, status_code: int, rv: Any) -> Response:
    """APIFairy's rules: ``rv`` or ``(rv, status)``, ``(rv, headers)``, ``(rv, status, headers)``, dumped as JSON."""
    if isinstance(rv, Response):
        raise RuntimeError("The @response decorator cannot handle Response objects.")
    if isinstance(rv, tuple):
        data = JSONResponse(schema.dump(rv[0]))
        if len(rv) == 2:
            rv = (data, status_code, rv[1]) if not isinstance(rv[1], int) else (data, rv[1])
        else:
            rv = (data, rv[1], rv[2]) if len(rv) >= 3 else (data, status_code)
    else:
        rv = (JSONResponse(schema.dump(rv)), status_code)
    answer = make_response(rv)
    if answer.status_code in (204, 304) or answer.status_code < 200:  # Werkzeug sends no body for these
        answer.body = b""
        if "content-length" in answer.headers:
            del answer.headers["content-length"]
    return answer


def response(schema: Any, status_code: int = 200, description: str | None = None, headers: Any = None) -> Callable:
    schema = schema() if isinstance(schema, type) else schema

    def decorator(f: Callable) -> Callable:
        _annotate(f, response=schema, status_code=status_code, description=description, response_headers=headers)
        if inspect.iscoroutinefunction(f):

            @functools.wraps(f)
            async def dump(*args: Any, **kwargs: Any) -> Response:
                return _dumped(schema, status_code, await f(*args, **kwargs))

        else:

            @functools.wraps(f)
            def dump(*args: Any, **kwargs: Any) -> Response:
                return _dumped(schema, status_code, f(*args, **kwargs))

        return dump

    return decorator


def authenticate(auth: Any, **kwargs: Any) -> Callable[[Callable], Callable]:
    """The app's auth object is the helper's Flask-HTTPAuth port: its ``login_required`` answers as before."""

    def decorator(f: Callable) -> Callable:
        roles = kwargs.get("role")
        roles = roles if isinstance(roles, list) else ([roles] if roles is not None else [])
        _annotate(f, auth=auth, roles=roles)
        return auth.login_required(**kwargs)(f)

    return decorator


def other_responses(responses: Any) -> Callable[[Callable], Callable]:
    def decorator(f: Callable) -> Callable:
        _annotate(f, other_responses=responses)
        return f

    return decorator


def webhook(method: Any = "GET", blueprint: Any = None, endpoint: str | None = None) -> Any:
    """Documentation only, as in APIFairy: the function is kept and listed once by endpoint."""

    def decorator(f: Callable) -> Callable:
        name = endpoint or f.__name__
        name = f"{blueprint.name}.{name}" if blueprint is not None else name
        if name in _webhooks:
            raise ValueError(f"Webhook {name} has been defined twice")
        _webhooks[name] = f
        return f

    if callable(method) and blueprint is None and endpoint is None:
        f, method = method, "GET"
        return decorator(f)
    return decorator


class APIFairy:
    """The extension: its config, its error handler for what the schemas reject, and its two documentation URLs
    (served from FastAPI's own OpenAPI document, built from the views' signatures rather than the schemas)."""

    def __init__(self, app: FastAPI | None = None):
        self.title = self.version = self.apispec_path = self.ui = self.ui_path = self.tags = None
        self.apispec_callback: Callable | None = None
        self.error_handler_callback: Callable = self.default_error_handler
        self._apispec: Any = None
        self.app: FastAPI | None = None
        if app is not None:
            self.init_app(app)

    def init_app(self, app: FastAPI) -> None:
        config = getattr(app, "config", {})
        self.app = app
        self.title = config.get("APIFAIRY_TITLE", "No title")
        self.version = config.get("APIFAIRY_VERSION", "No version")
        self.apispec_path = config.get("APIFAIRY_APISPEC_PATH", "/apispec.json")
        self.apispec_decorators = config.get("APIFAIRY_APISPEC_DECORATORS", [])
        self.ui = config.get("APIFAIRY_UI", "redoc")
        self.ui_path = config.get("APIFAIRY_UI_PATH", "/docs")
        self.ui_decorators = config.get("APIFAIRY_UI_DECORATORS", [])
        self.tags = config.get("APIFAIRY_TAGS")
        if self.apispec_path:
            view = self._json
            for decorator in self.apispec_decorators:
                view = decorator(view)
            app.add_api_route(self.apispec_path, view, methods=["GET"], name="apifairy.json", include_in_schema=False)
        if self.ui_path:
            view = self._docs
            for decorator in self.ui_decorators:
                view = decorator(view)
            app.add_api_route(self.ui_path, view, methods=["GET"], name="apifairy.docs", include_in_schema=False)
        app.add_exception_handler(ValidationError, self._validation_error)

    async def _validation_error(self, request: Request, error: ValidationError) -> Response:
        rv = self.error_handler_callback(error.status_code, error.messages)
        return make_response(await rv if inspect.isawaitable(rv) else rv)

    async def _json(self) -> Response:
        return Response(json.dumps(self.apispec), media_type="application/json")

    async def _docs(self) -> Response:
        from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html

        page = get_swagger_ui_html if self.ui == "swagger_ui" else get_redoc_html
        return page(openapi_url=self.apispec_path, title=f"{self.title} {self.version}")

    def process_apispec(self, f: Callable) -> Callable:
        self.apispec_callback = f
        return f

    def error_handler(self, f: Callable) -> Callable:
        self.error_handler_callback = f
        return f

    def default_error_handler(self, status_code: int, messages: Any) -> Any:
        return {"messages": messages}, status_code

    @property
    def apispec(self) -> Any:
        if self._apispec is None:
            self._apispec = self.app.openapi() if self.app is not None else {}
            if self.apispec_callback:
                self._apispec = self.apispec_callback(self._apispec)
        return self._apispec
