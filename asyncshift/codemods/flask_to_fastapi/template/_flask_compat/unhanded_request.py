"""The parameters the conversion gave a view for FastAPI to fill (``request: Request``, a query argument it read as
``q: Annotated[str | None, Query(alias="q")] = None``) are not parameters an extension's decorator sees.

In Flask the view took only its URL's arguments, and a decorator reading the view's parameters reads only those:
Flask-Pydantic's ``@validate()`` validates every annotated parameter other than ``query``, ``body`` and ``form`` as
a URL argument, and found no schema for Starlette's ``Request`` (PydanticSchemaGenerationError: a 500 on every
request). Under ``flask_request`` the decorator gets the view without those parameters (its annotations and
signature); FastAPI still fills them for the wrapper, and the view gets their values back on its call. The other
way round, the parameters the extension fills (a pydantic model's: ``extension_filled``) are not FastAPI's.
End state: the extension's FastAPI twin (a dependency).
"""

from __future__ import annotations

import contextlib
import functools
import inspect
import typing
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from typing import Any

from starlette.requests import Request

_GIVEN: ContextVar[dict | None] = ContextVar("_flask_compat_unhanded", default=None)


def _fastapi_filled(annotation: Any) -> bool:
    """Starlette's ``Request``, or ``Annotated[..., Query(...)]`` (any FastAPI parameter or dependency marker)."""
    if annotation is Request:
        return True
    try:
        from fastapi import params
    except ImportError:
        return False
    markers = (params.Param, params.Body, params.Depends)
    return any(isinstance(extra, markers) for extra in getattr(annotation, "__metadata__", ()))


def _annotations(view: Callable) -> dict:
    try:
        return typing.get_type_hints(view, include_extras=True)
    except Exception:  # a name the module no longer resolves: the annotations as written
        return dict(getattr(view, "__annotations__", None) or {})


def _model(annotation: Any) -> bool:
    try:
        from pydantic import BaseModel
    except ImportError:
        return False
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def extension_filled(view: Callable) -> frozenset[str]:
    """The view's parameters annotated with a pydantic model (``body: CreateGroup``): Flask gave a view only its
    URL's arguments, so the extension's decorator fills them (Flask-Pydantic's ``body``/``query``/``form``); FastAPI
    read them as the request's body and answered its own 422 before the extension's validation ran."""
    return frozenset(name for name, annotation in _annotations(view).items() if _model(annotation))


def handed(view: Callable) -> frozenset[str]:
    """The view's parameters FastAPI fills for the conversion, by name."""
    return frozenset(name for name, annotation in _annotations(view).items() if _fastapi_filled(annotation))


@contextlib.contextmanager
def without(kwargs: dict, names: frozenset[str]) -> Iterator[dict]:
    """The arguments FastAPI gave, less ``names``, whose values the view gets back while the block runs."""
    if not names:
        yield kwargs
        return
    token = _GIVEN.set({name: kwargs[name] for name in names if name in kwargs})
    try:
        yield {key: value for key, value in kwargs.items() if key not in names}
    finally:
        _GIVEN.reset(token)


def unhanded(view: Callable, names: frozenset[str]) -> Callable:
    """``view`` as the extension's decorator sees it: no ``names`` parameters, their values given on each call."""
    if not names:
        return view
    if inspect.iscoroutinefunction(inspect.unwrap(view)):

        @functools.wraps(view)
        async def seen(*args: Any, **kwargs: Any) -> Any:
            return await view(*args, **kwargs, **(_GIVEN.get() or {}))

    else:

        @functools.wraps(view)
        def seen(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **kwargs, **(_GIVEN.get() or {}))

    seen.__annotations__ = {k: v for k, v in getattr(view, "__annotations__", {}).items() if k not in names}
    try:
        signature = inspect.signature(view)
    except (TypeError, ValueError):
        signature = None
    if signature is not None:
        kept = [p for p in signature.parameters.values() if p.name not in names]
        seen.__signature__ = signature.replace(parameters=kept)  # type: ignore[attr-defined]
    del seen.__wrapped__  # an extension unwrapping the view finds these parameters no more
    return seen
