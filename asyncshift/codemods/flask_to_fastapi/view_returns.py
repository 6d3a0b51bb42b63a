"""Which views ``add_url_rule`` registers with a return annotation FastAPI would read.

``add_api_route`` takes a view's ``-> Response | str`` as its response model unless told ``response_model=None``,
and one that is no pydantic type raises FastAPIError as the route is made: the app fails at import. Flask never
read it. A view seen here (a function of the module, nested in a factory too, or a method of its classes) or in
another module of the run (``run``: qualified functions and ``Cls.method``) says it when annotated; one not seen
(handed in, a library's) says it always: ``response_model=None`` is what FastAPI takes for a view without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from codemods.flask_to_fastapi.names import dotted


@dataclass
class Returns:
    functions: dict[str, bool] = field(default_factory=dict)  # name (outside classes) -> one so named is annotated
    classes: dict[str, tuple[list[str], dict[str, bool]]] = field(default_factory=dict)  # bases, method -> annotated
    run: dict[str, bool] = field(default_factory=dict)  # the run's top-level functions and methods, qualified
    qualify: Callable[[str], str | None] = field(default=lambda local: None)  # a local name as the run names it

    def elsewhere(self, local: str) -> bool:
        """A function or ``Cls.method`` of another module: annotated there, or not seen."""
        qualified = self.qualify(local)
        return self.run.get(qualified, True) if qualified else True


def qualified(module: cst.Module, qualify: Callable[[str], str | None]) -> dict[str, bool]:
    """The module's top-level functions and its classes' methods, by qualified name: annotated or not."""
    found = read(module)
    top = (s for s in module.body if isinstance(s, cst.FunctionDef))
    named = {qualify(s.name.value): s.returns is not None for s in top}
    for cls, (_, methods) in found.classes.items():
        named.update({qualify(f"{cls}.{method}"): annotated for method, annotated in methods.items()})
    return {name: annotated for name, annotated in named.items() if name}


def read(module: cst.Module, qualify=None, run: dict[str, bool] | None = None) -> Returns:
    """The module's functions (at any depth outside classes) and top-level classes, with their annotations; the
    run's (``qualified``, every module's) for the names it imports."""
    found = Returns(run=run or {}, qualify=qualify or (lambda local: None))

    class Reader(cst.CSTVisitor):
        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            methods = {s.name.value: s.returns is not None for s in node.body.body if isinstance(s, cst.FunctionDef)}
            found.classes[node.name.value] = ([d for d in (dotted(b.value) for b in node.bases) if d], methods)
            return False

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            name = node.name.value
            found.functions[name] = found.functions.get(name, False) or node.returns is not None

    module.visit(Reader())
    return found


def view_annotated(returns: Returns | None, view: cst.BaseExpression | None) -> bool:
    """Whether the route of ``view`` says ``response_model=None``: annotated, or not seen here. A wrapped view
    (``login_required(index)``, ``partial(index, 1)``) is read through: ``functools.wraps`` keeps its annotation."""
    if returns is None or view is None or isinstance(view, cst.Lambda):
        return False
    if isinstance(view, cst.Name) and view.value in returns.functions:
        return returns.functions[view.value]
    if isinstance(view, (cst.Name, cst.Attribute)):
        local = dotted(view)
        return returns.elsewhere(local) if local else True
    if isinstance(view, cst.Call):
        first = next((a.value for a in view.args if a.keyword is None and not a.star), None)
        return first is None or view_annotated(returns, first)
    return True


def method_annotated(returns: Returns | None, cls: str | None, method: str) -> bool:
    """Whether a view class's ``method`` (its own, a base's of this module, or the imported class's own) is
    annotated, or not seen."""
    if returns is None:
        return False
    seen: set[str] = set()
    pending = [cls] if cls else []
    while pending:
        name = pending.pop(0)
        if name in seen:
            continue
        seen.add(name)
        if name not in returns.classes:  # imported: as the module of the run defining it says, if it does
            return returns.elsewhere(f"{name}.{method}")
        bases, methods = returns.classes[name]
        if method in methods:
            return methods[method]
        pending.extend(bases)
    return True  # not found: a base defined elsewhere
