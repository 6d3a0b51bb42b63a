"""A REST extension's Resource method whose dispatch awaits it: an ``async def`` on the ``AsyncSession``.

Flask-RESTful's ``dispatch_request`` (flask-restx's, flask-restplus's) calls ``meth(*args, **kwargs)`` without
awaiting, so its methods were held sync (``sync_views``), each coroutine call handed to ``_on_serving_loop``. Where
flask-to-fastapi kept the module on Flask it wrote ``awaited_methods(Resource)`` after the import
(``_flask_compat/awaited_methods``): that dispatch runs the coroutine a method gives to its end on the loop serving
the request, before Flask-RESTful unpacks, marshals and represents it. Such a method becomes ``async def`` with its
awaits, when every decorator on it passes the method's value on as it is (the run's own, made async where they wrap
coroutine functions; Flask-Login's ``login_required``, which calls ``current_app.ensure_sync``; flask-restx's
documenting ones): ``@marshal_with`` would marshal the coroutine object, so a method it decorates stays held.
"""

from __future__ import annotations

from typing import Any

HELPER = "_flask_compat.awaited_methods.awaited_methods"  # flask-to-fastapi's, imported where it is called
FRAMEWORKS = {"Flask-RESTful", "flask-restx", "flask-restplus"}
# decorators handing on the method's value (or running it through ``current_app.ensure_sync``), by their last name
PASSING = {"login_required", "fresh_login_required", "jwt_required", "auth_required"}
PASSING |= {"doc", "expect", "response", "param", "header", "produces", "deprecated", "hide", "vendor"}


def awaited(project: Any, func: Any, framework: str | None) -> bool:
    """Whether ``func`` (an HTTP method of a ``framework`` Resource, not one its class's own dispatch calls by name) is
    awaited by a patched dispatch and handed on unchanged by each of its decorators."""
    if framework not in FRAMEWORKS or func.name == "dispatch_request" or not func.cls:
        return False
    patched = project.__dict__.setdefault("awaited_resource_modules", {})
    for cls in project.mro(func.module, func.cls):
        if cls.module not in patched:
            facts = project.modules.get(cls.module)
            patched[cls.module] = bool(facts) and any(v.endswith(HELPER) for v in facts.bindings.values())
        if patched[cls.module]:
            return all(_passes(project, func, d) for d in func.decorators)
    return False


def _passes(project: Any, func: Any, decorator: str) -> bool:
    """The run's own decorator (a name bound to its function or class), or a library's known to hand the value on."""
    if decorator.rpartition(".")[2] in PASSING:
        return True
    found = project.types.global_name(func.module, decorator) if "." not in decorator else None
    return bool(found) and found.startswith(("func:", "class:"))
