"""A Jinja loader's methods (``get_source``, ``list_templates``, ``load``) stay sync.

Jinja calls them itself while it finds a template (``env.get_template`` -> ``loader.load`` -> ``get_source``) and
unpacks what they return, ``source, filename, uptodate = loader.get_source(env, name)``: a coroutine function there
fails every render ("cannot unpack non-iterable coroutine object"; a theme loader reading the database). Such a
method is held sync with the reason; what it reads stays on the sync session with a TODO, as in any other
function a library calls without awaiting.
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.facts import FunctionFacts

METHODS = {"get_source", "list_templates", "load"}
LIBRARIES = ("jinja2.", "flask.templating.")


def held(project: Any, func: FunctionFacts) -> str | None:
    """Why Jinja calls ``func`` without awaiting it, if it does."""
    if func.is_async or not func.cls or func.name not in METHODS or not is_loader(project, func.module, func.cls):
        return None
    return f"'{func.name}' is a Jinja loader's method, which Jinja calls without awaiting"


def is_loader(project: Any, module: str, qualname: str) -> bool:
    """Whether the class is built on one of Jinja's loaders (``BaseLoader``, ``FileSystemLoader``...)."""
    return any(d.startswith(LIBRARIES) and d.endswith("Loader") for d in project.outside_bases(module, qualname))
