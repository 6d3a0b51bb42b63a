"""A converted blueprint handed to a Flask extension left on Flask: the extension gets a Flask ``Blueprint`` of it.

An extension written against Flask's Blueprint (a REST extension's ``Api(app, bp)``, a rate limiter's
``limit(...)(bp)``) reads ``bp.name`` and calls ``bp.add_url_rule(url,
view_func=Resource.as_view("name"))``; the converted router has neither (AttributeError at import). The conversion
hands it ``flask_blueprint(bp, __name__)``: a Flask Blueprint of the router's name (its first tag) and prefix, one per
router, so what the extension keys by the blueprint is keyed alike. Each URL rule added to it is routed on the router
at once (included with it, under its prefix), named ``<blueprint>.<endpoint>`` as Flask named it, for every method
the view answers (a ``MethodView``'s ``methods``), its view called in Flask's request context built from the request
(``extension_views``), as Flask ran it. What else the extension records on it (``record``, ``record_once``) runs on
the app that includes the router, as Flask's ``register_blueprint`` ran it; the extension registering it on the app
itself (``app.register_blueprint(self.blueprint)`` in its ``init_app``) includes the router. Its request hooks on it
(``bp.before_request(f)``, ``after_request``, ``teardown_request``; ``before_app_request``...) are the router's (the
app's), run in Flask's request context. End state: the extension's FastAPI counterpart, or its views routed by hand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

_log = logging.getLogger("_flask_compat")
_TWIN = "flask_twin_blueprint"  # the router's Flask Blueprint, on the router
_CLASSES: dict[type, type] = {}  # Flask's Blueprint class -> the routing one built on it


def flask_blueprint(router: Any, import_name: str = "__main__") -> Any:
    """The router's Flask Blueprint (made once); a Flask blueprint or anything not a router as it is, and the router
    itself where Flask is gone (nothing left to hand a Flask Blueprint to)."""
    if hasattr(router, "deferred_functions") or not hasattr(router, "add_api_route") or hasattr(router, "router"):
        return router  # Flask's own blueprint, the app (its Flask face), or anything else
    twin = router.__dict__.get(_TWIN)
    if twin is not None:
        return twin
    try:
        from flask import Blueprint
    except ImportError:
        return router
    tags = getattr(router, "tags", None) or []
    name = str(tags[0]) if tags else f"router_{id(router)}"
    routing = _routing(Blueprint)
    twin = router.__dict__[_TWIN] = routing(router, name, import_name, url_prefix=router.prefix or None)
    return twin


def twin_of(router: Any) -> Any:
    """The router's Flask Blueprint when an extension was handed one, else None."""
    return getattr(router, "__dict__", {}).get(_TWIN)


def register_twin(app: Any, router: Any, prefix: str) -> None:
    """What the extension recorded on the router's Blueprint, run on ``app`` (its Flask face) as the router is
    included under ``prefix``: Flask's ``register_blueprint`` ran the blueprint's deferred functions there."""
    twin = twin_of(router)
    if twin is None or not twin.deferred_functions:
        return
    from .face import _SetupState

    state = _SetupState(app, twin, {"url_prefix": prefix or None})
    for deferred in twin.deferred_functions:
        try:
            deferred(state)
        except Exception as exc:  # what needs Flask's own app (its url_map, its hook dicts)
            _log.warning("blueprint %r: %r not registered on FastAPI: %s", twin.name, deferred, exc)


def _routing(blueprint_class: type) -> type:
    if blueprint_class not in _CLASSES:

        class RouterBlueprint(blueprint_class):  # type: ignore[misc, valid-type]
            """Flask's Blueprint whose URL rules are the router's routes."""

            def __init__(self, router: Any, name: str, import_name: str, **options: Any) -> None:
                super().__init__(name, import_name, **options)
                self.router = router

            def add_url_rule(
                self, rule: str, endpoint: str | None = None, view_func: Callable | None = None, **options: Any
            ) -> None:
                if view_func is None:  # a rule for url_for only: FastAPI builds URLs of routes
                    return
                from .extension_views import extension_endpoint, flask_path

                methods = options.get("methods") or getattr(view_func, "methods", None) or ["GET"]
                name = f"{self.name}.{endpoint or view_func.__name__}"
                path = flask_path("/" + rule.lstrip("/") if rule else ("" if self.router.prefix else "/"))
                view = extension_endpoint(view_func, defaults=options.get("defaults"))
                methods = sorted({str(m).upper() for m in methods})
                self.router.add_api_route(path, view, methods=methods, name=name, include_in_schema=False)

            def before_request(self, f: Callable) -> Callable:
                return _hooked(self.router, "before", f)

            def after_request(self, f: Callable) -> Callable:
                return _hooked(self.router, "after", f)

            def teardown_request(self, f: Callable) -> Callable:
                return _hooked(self.router, "teardown", f)

            def before_app_request(self, f: Callable) -> Callable:
                return _hooked(self.router, "before", f, app_wide=True)

            def after_app_request(self, f: Callable) -> Callable:
                return _hooked(self.router, "after", f, app_wide=True)

            def teardown_app_request(self, f: Callable) -> Callable:
                return _hooked(self.router, "teardown", f, app_wide=True)

        RouterBlueprint.__module__ = __name__
        _CLASSES[blueprint_class] = RouterBlueprint
    return _CLASSES[blueprint_class]


def _hooked(router: Any, kind: str, fn: Callable, app_wide: bool = False) -> Callable:
    """The extension's hook on the blueprint (``bp.before_request(f)``), the router's (the app's: ``app_wide``), run
    in Flask's request context as the app's face runs an extension's own hooks (``face._extension_hook``)."""
    from . import hooks
    from .face import _extension_hook

    register = {"before": hooks.before_request, "after": hooks.after_request, "teardown": hooks.teardown_request}
    register[kind](router, app_wide=app_wide)(_extension_hook(fn, f"{kind}_request"))
    return fn
