"""What a template is handed is read by Jinja in sync code, after the view's last await.

- A legacy Query handed to it (``render_template("x.html", entries=q)``): Jinja iterates it where an
  ``AsyncSession`` cannot run it (the Query API is not even on one). So the view runs it as it hands it over,
  ``entries=(await db.session.execute(q)).scalars().all()``: a list, which the template iterates as it iterated the
  Query; a Query's own methods (``entries.count()``, ``entries.first()``) are not on a list, hence a TODO.
- A sync function of the run that renders (``return render_template("form.html", **context)`` in a view's helper,
  or through another such function), called from a coroutine: the template's lazy loads (``{{ entry.user }}``) ran
  on the loop and raised ``MissingGreenlet``; such a call runs in SQLAlchemy's greenlet, as a render written in the
  coroutine does (``greenlet_reads``).
"""

from __future__ import annotations

from typing import Any

from codemods.sqlalchemy_to_async.exprs import Expr, dotted

RENDERERS = {"render_template", "render_template_string"}


def is_renderer(project: Any, module: str, callee: Expr) -> bool:
    """Flask's ``render_template`` (or flask-to-fastapi's ``_flask_compat`` one), however it is imported."""
    name = dotted(callee) or ""
    head, _, last = name.partition(".")
    if name.rpartition(".")[2] not in RENDERERS:
        return False
    facts = project.modules.get(module)
    full = (facts.bindings.get(head, head) if facts else head) + (f".{last}" if last else "")
    return full.startswith("flask.") or "_flask_compat" in full.split(".")


def hands_to_template(project: Any, func: Any) -> bool:
    """Whether ``func`` hands a legacy Query to a template (executed there, with await, once rewritten)."""
    for callee, _, keywords in func.arguments:
        if is_renderer(project, func.module, callee) and any(
            value and project.types.type_of(func.module, func.qualname, value) == "sqla:query" for _, value in keywords
        ):
            return True
    return False


TODO = (
    "'{name}' is handed to the template as a list of its rows (the template cannot run a query on an "
    "AsyncSession): a Query's own methods ({name}.count(), .first()) are not on a list"
)


def renders(conv: Any, node: Any) -> bool:
    """Whether ``node`` calls a sync function of the run that renders a template (itself or through another)."""
    found = conv.type_of(node.func) or ""
    return found.startswith("func:") and not conv.project.is_async(found[5:]) and found[5:] in renderers(conv.project)


def renderers(project: Any) -> set[str]:
    """The ids of the run's functions left sync that call a renderer, or such a function, found once for the run."""
    found = getattr(project.types, "_sync_renderers", None)
    if found is not None:
        return found
    functions = [f for m in project.modules.values() for f in m.functions.values() if not project.is_async(f.id)]
    found = {f.id for f in functions if any(is_renderer(project, f.module, c) for c, _, _ in f.arguments)}
    grown = True
    while grown:  # callers of those, left sync too
        callers = {f.id for f in functions if f.id not in found and _calls(project, f, found)}
        found |= callers
        grown = bool(callers)
    project.types._sync_renderers = found
    return found


def _calls(project: Any, func: Any, ids: set[str]) -> bool:
    kinds = (project.types.type_of(func.module, func.qualname, callee) or "" for callee, _, _ in func.arguments)
    return any(kind.startswith("func:") and kind[5:] in ids for kind in kinds)
