"""A legacy Query handed to a template (``render_template("x.html", entries=q)``): read where it is handed over.

Jinja iterates it after the view has returned, in sync code, where an ``AsyncSession`` cannot run it (the
Query API is not even on one). So the view runs it as it hands it over, ``entries=(await
db.session.execute(q)).scalars().all()``: a list, which the template iterates as it iterated the Query; a
Query's own methods (``entries.count()``, ``entries.first()``) are not on a list, hence a TODO.
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
