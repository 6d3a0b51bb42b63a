"""Views and blueprints handed to code the conversion does not follow: a project's own registration helper and an
extension's decorator applied to a blueprint.

``register_view(bp, routes=[...], view_func=Cls.as_view("name", ...))``: the class is converted (it has no
``as_view`` any more), so ``view_class(Cls, "name", ...)`` makes its instance, and the helper's
``bp_or_app.add_url_rule(rule, view_func=view_func)`` becomes ``url_rule(bp_or_app, rule, view_func=view_func)``,
which routes each HTTP method of the class on a router or the app (as Flask's ``as_view`` answered them) and
hands anything else to the owner's own ``add_url_rule``.

``limiter.limit("5/minute")(bp)``, ``limiter.exempt(bp)``: an extension's decorator keys its state by a Flask
Blueprint's ``name``; it gets a Flask ``Blueprint`` of the router's name, and the router is returned.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import logging
import re
import typing
from collections.abc import Callable
from typing import Any

from .method_views import fill_request

_log = logging.getLogger("_flask_compat")
_METHODS = ("get", "post", "put", "delete", "patch", "head", "options")
_RULE = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")
_CONVERTORS = {"int": ":int", "float": ":float", "path": ":path", "uuid": ":uuid"}


class ClassView:
    """What Flask's ``Cls.as_view(name, *args, **kwargs)`` returned: one endpoint making an instance per request."""

    def __init__(self, view_class: type, name: str, *args: Any, **kwargs: Any):
        self.view_class, self.__name__, self.args, self.kwargs = view_class, name, args, kwargs
        self.__module__ = view_class.__module__  # what an extension keys the view by (Flask-WTF's csrf.exempt)
        fill_request(view_class)  # its methods called directly (a test's view.post()) get the current request
        self.methods = [m.upper() for m in _METHODS if callable(getattr(view_class, m, None))]
        self.dispatches = not self.methods and callable(getattr(view_class, "dispatch_request", None))
        self.views: dict[str, Callable] = {}

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Flask's view function called by hand (a test's ``view()`` in ``app.test_request_context()``): the method of
        the current request answers (``get`` for a ``HEAD``), on the class made for the call, in its decorators; an
        async one is run to its end where no loop runs (the caller is sync, as Flask's was), else handed back."""
        from .context import _current
        from .dispatch_steps import run_here
        from .responses import by_hand

        method = str(getattr(_current.get(None), "method", None) or "GET").upper()
        if method == "HEAD" and method not in self.methods:
            method = "GET"
        if not self.dispatches and method not in self.methods:
            raise AssertionError(f"Unimplemented method {method!r}")  # Flask's MethodView said so
        answer = self._view("dispatch_request" if self.dispatches else method.lower())(*args, **kwargs)
        if inspect.iscoroutine(answer) and not _loop_running():
            answer = run_here(answer, "view")
        return by_hand(answer)  # a page the conversion made an HTMLResponse of: its text too, as Flask's view gave

    def method_routes(self, methods: list[str] | None) -> list[tuple[Callable, list[str]]]:
        """(endpoint, methods) pairs: one per HTTP method the class defines (those asked, when the rule names some)."""
        if self.dispatches:  # a View: dispatch_request answers every method of the rule
            asked = methods or list(getattr(self.view_class, "methods", None) or ["GET"])
            return [(self._view("dispatch_request"), [m.upper() for m in asked])]
        wanted = [m for m in self.methods if methods is None or m in {x.upper() for x in methods}] or self.methods
        return [(self._view(m.lower()), [m]) for m in wanted]

    def endpoint(self, attribute: str) -> Callable:
        """One method's endpoint for ``add_api_route`` (``view_class(Cls, "name", root=...).endpoint("get")``): the
        class made per request, as Flask's ``as_view`` did, so its ``__init__`` runs where it may read ``current_app``
        or the request, not once when the app is built."""
        return self._view(attribute)

    def _view(self, attribute: str) -> Callable:
        """The method as Flask's view: the class made for each request with ``as_view``'s arguments (an attrs class's
        factories build its form then, in the request), named as the endpoint in the class's module (what an
        extension's decorator keys it by: Flask-Limiter's ``exempt``), in the class's ``decorators``, once for all
        rules."""
        if attribute not in self.views:
            cls, args, kwargs = self.view_class, self.args, self.kwargs
            function = getattr(cls, attribute)
            if inspect.iscoroutinefunction(function):

                async def view(*a: Any, **k: Any) -> Any:
                    return await getattr(cls(*args, **kwargs), attribute)(*a, **k)

            else:

                def view(*a: Any, **k: Any) -> Any:
                    return getattr(cls(*args, **kwargs), attribute)(*a, **k)

            view.__name__ = view.__qualname__ = self.__name__
            view.__module__, view.__doc__ = cls.__module__, function.__doc__
            view.__signature__ = _signature(cls, attribute, function)  # FastAPI reads the method's parameters
            view.view_class = cls
            for decorator in getattr(cls, "decorators", None) or ():
                view = decorator(view)
            self.views[attribute] = view
        return self.views[attribute]


def _signature(cls: type, attribute: str, function: Callable) -> inspect.Signature:
    """The method's signature without ``self``, its annotations resolved in its own module (they may be strings)."""
    signature = inspect.signature(function)
    bound = isinstance(inspect.getattr_static(cls, attribute, None), (staticmethod, classmethod))
    hints = _hints(function)
    parameters = list(signature.parameters.values())[0 if bound else 1 :]
    return signature.replace(
        parameters=[p.replace(annotation=hints.get(p.name, p.annotation)) for p in parameters],
        return_annotation=hints.get("return", signature.return_annotation),
    )


def _hints(function: Callable) -> dict:
    """The function's annotations resolved in its own module (they may be strings); none where one does not resolve
    (FastAPI then reads them as written)."""
    try:
        return typing.get_type_hints(function, include_extras=True)
    except Exception:
        return {}


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def with_defaults(view: Callable, defaults: dict | None) -> Callable:
    """The view of a rule with Flask's ``defaults={"pk": None}``: called with them, as Flask called it; FastAPI
    does not read those parameters from the request (the rule has no such URL value)."""
    if not defaults:
        return view
    signature = inspect.signature(view)
    if inspect.iscoroutinefunction(view):

        async def defaulted(*args: Any, **kwargs: Any) -> Any:
            return await view(*args, **{**kwargs, **defaults})

    else:

        def defaulted(*args: Any, **kwargs: Any) -> Any:
            return view(*args, **{**kwargs, **defaults})

    functools.update_wrapper(defaulted, view)
    kept = [p for name, p in signature.parameters.items() if name not in defaults]
    defaulted.__signature__ = signature.replace(parameters=kept)  # type: ignore[attr-defined]
    return defaulted


def url_values(path: dict[str, Any], given: tuple[str, ...] = ()) -> Callable[[Callable], Callable]:
    """``@url_values({"slug": str}, given=("item_id",))`` under a route, over a project's decorator that takes the
    rule's ``slug`` and hands the view ``item_id``: its wrapper (``@wraps(view)``, ``*args, **kwargs``, whose
    ``inspect.signature`` is the view's, as is that of an extension's decorator over it in ``flask_request``) is
    routed with the rule's path parameters, as Flask called it, and the view's other parameters (the request, a query
    value, the body), not with what the decorator hands the view."""

    def routed(view: Callable) -> Callable:
        signature = inspect.signature(view)  # to the view, or to the signature a helper's wrapper set
        if all(name in signature.parameters for name in path) and not any(n in signature.parameters for n in given):
            return view
        hints = _hints(inspect.unwrap(view))
        kept = [
            p.replace(annotation=hints.get(name, p.annotation))
            for name, p in signature.parameters.items()
            if name not in given and name not in path
        ]
        added = [
            inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=kind) for name, kind in path.items()
        ]
        if kept and kept[-1].kind is inspect.Parameter.VAR_KEYWORD:
            kept, added = kept[:-1], [*added, kept[-1]]
        view.__signature__ = signature.replace(parameters=[*kept, *added])  # type: ignore[attr-defined]
        return view

    return routed


def view_class(view_class: type, name: str, *args: Any, **kwargs: Any) -> ClassView:
    """Flask's ``Cls.as_view(name, ...)`` for a converted MethodView or View class."""
    return ClassView(view_class, name, *args, **kwargs)


def _path(rule: str) -> str:
    return _RULE.sub(lambda m: "{" + m.group(2) + _CONVERTORS.get(m.group(1) or "", "") + "}", rule)


def _blueprint_name(owner: Any) -> str | None:
    """A converted blueprint's name (``APIRouter(tags=["auth"])``); None for the app."""
    if hasattr(owner, "router") or not hasattr(owner, "routes"):
        return None  # the FastAPI app: its endpoints are not prefixed
    tags = getattr(owner, "tags", None) or []
    return str(tags[0]) if tags else None


def url_rule(
    owner: Any, rule: str, endpoint: str | None = None, view_func: Callable | None = None, **options: Any
) -> None:
    """``owner.add_url_rule(rule, endpoint, view_func, **options)`` where the owner was handed in (a project's own
    registration helper): a converted class's view routes each of its methods on a router or the app; anything else
    goes to the owner's own ``add_url_rule`` (a Flask app or blueprint, the app's Flask-shaped face) or, on a
    router, is routed as it is. Flask never read a view's return annotation: no route takes it for its response
    model (``-> Response | str`` raised FastAPIError as the route was made)."""
    routable = hasattr(owner, "add_api_route")
    if isinstance(view_func, ClassView) and routable:
        blueprint = _blueprint_name(owner)
        name = endpoint or view_func.__name__
        name = f"{blueprint}.{name}" if blueprint else name
        for endpoint_fn, methods in view_func.method_routes(options.get("methods")):
            endpoint_fn = with_defaults(endpoint_fn, options.get("defaults"))
            owner.add_api_route(_path(rule), endpoint_fn, methods=methods, name=name, response_model=None)
        return
    if hasattr(owner, "add_url_rule"):
        owner.add_url_rule(rule, endpoint, view_func, **options)
        return
    if routable and view_func is not None:
        blueprint = _blueprint_name(owner)
        name = endpoint or getattr(view_func, "__name__", None)
        name = f"{blueprint}.{name}" if blueprint and name else name
        methods = [m.upper() for m in options.get("methods") or ["GET"]]
        view = with_defaults(view_func, options.get("defaults"))
        owner.add_api_route(_path(rule), view, methods=methods, name=name, response_model=None)
        return
    owner.add_url_rule(rule, endpoint, view_func, **options)  # what Flask would have said


def _extension_callable(fn: Any) -> bool:
    """A Flask extension's callable (Flask-Limiter's ``limit(...)`` result, ``limiter.exempt``), not the project's."""
    module = getattr(fn, "__module__", None) or getattr(type(fn), "__module__", "") or ""
    top = module.split(".")[0]
    return top.startswith("flask_") or top == "flask"


def blueprint_decorated(decorator: Callable, router: Any, import_name: str = "__main__") -> Any:
    """``decorator(blueprint)``: an extension's decorator gets a Flask Blueprint of the router's name (what it keys
    its blueprint-wide state by); the router is returned. Any other callable is called with the router as written."""
    if not _extension_callable(decorator) or hasattr(router, "deferred_functions"):
        return decorator(router)
    from .blueprint_twins import flask_blueprint

    twin = flask_blueprint(router, import_name)
    if twin is router:  # Flask is gone: nothing keeps the extension's state
        return router
    try:
        decorator(twin)
    except Exception as exc:  # the extension wants more of a blueprint than its name
        _log.warning("%r on blueprint %r not applied on FastAPI: %s", decorator, twin.name, exc)
    return router
