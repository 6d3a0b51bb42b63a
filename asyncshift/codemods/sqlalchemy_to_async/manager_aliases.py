"""Context-manager aliases whose factory became async: ``Units = Callable[[], AbstractContextManager[X]]``.

A function of the run declared to return such an alias, and returning a ``@contextmanager`` function of the
run that became async, makes the alias async: every value typed by it is entered with ``async with``, the
alias is written ``AbstractAsyncContextManager`` and the generator's ``Iterator[X]`` an ``AsyncIterator[X]``.
The colour comes from the factory the alias is declared for, through the types, never from a name.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from codemods.sqlalchemy_to_async.facts import FunctionFacts

ASYNC_NAMES = {
    "AbstractContextManager": "AbstractAsyncContextManager",
    "ContextManager": "AsyncContextManager",
    "Iterator": "AsyncIterator",
    "Generator": "AsyncGenerator",
}


def declared(project: Any, module: str, annotation: Any) -> tuple[str, str] | None:
    """(module, name) of the alias a return annotation names, when it is a module variable of the run."""
    if not annotation or annotation[0] != "name":
        return None
    facts = project.modules.get(module)
    if facts is None:
        return None
    if annotation[1] in facts.variables:
        return (module, annotation[1])
    dotted = facts.bindings.get(annotation[1], "")
    owner = project.resolve(dotted.rpartition(".")[0]) if "." in dotted else None
    name = dotted.rpartition(".")[2]
    if owner and name in project.modules[owner].variables:
        return (owner, name)
    return None


def async_aliases(project: Any, functions: list[FunctionFacts]) -> set[tuple[str, str]]:
    """The aliases some function of the run returns an async context-manager function as."""
    found = set()
    for func in functions:
        alias = declared(project, func.module, func.returns)
        if alias is None:
            continue
        for value in func.return_values:
            kind = project.types.type_of(func.module, func.qualname, value)
            target = project.by_id(kind[5:]) if kind and kind.startswith("func:") else None
            if target is not None and project.types.is_context_manager(target) and project.is_async(target.id):
                found.add(alias)
    return found


def returns_async_alias(conv: Any) -> bool:
    """Whether the function being walked is declared to return an async alias (so returning the factory is fine)."""
    func = conv.project.function(conv.name, conv.function)
    alias = declared(conv.project, conv.name, func.returns) if func is not None else None
    return alias is not None and alias in conv.project.async_aliases


def _renamed(conv: Any, node: cst.BaseExpression) -> cst.BaseExpression:
    """``AbstractContextManager`` -> ``AbstractAsyncContextManager`` (and the others), imported from the same place."""
    facts = conv.project.modules.get(conv.name)

    class _Rename(cst.CSTTransformer):
        def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
            dotted = facts.bindings.get(updated.value, "") if facts else ""
            source, _, name = dotted.rpartition(".")
            if name not in ASYNC_NAMES or source not in ("typing", "contextlib", "collections.abc"):
                return updated
            conv.replaced_names.add(dotted)
            return cst.Name(conv.use(source, ASYNC_NAMES[name]))

        def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
            module = updated.value
            if (
                isinstance(module, cst.Name)
                and module.value in ("typing", "contextlib")
                and (updated.attr.value in ASYNC_NAMES)
            ):
                return updated.with_changes(attr=cst.Name(ASYNC_NAMES[updated.attr.value]))
            return updated

    return node.visit(_Rename())


def alias_assignment(conv: Any, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
    """``Units = Callable[[], AbstractContextManager[X]]`` at module level, for an async alias: the async names."""
    if conv.scopes or len(updated.targets) != 1 or not isinstance(updated.targets[0].target, cst.Name):
        return updated
    if (conv.name, updated.targets[0].target.value) not in conv.project.async_aliases:
        return updated
    return updated.with_changes(value=_renamed(conv, updated.value))


def generator_returns(conv: Any, updated: cst.FunctionDef) -> cst.FunctionDef:
    """``-> Iterator[X]`` of a ``@contextmanager`` generator made async: ``-> AsyncIterator[X]``."""
    if updated.returns is None:
        return updated
    annotation = updated.returns.annotation
    if not isinstance(annotation, cst.Subscript) or not isinstance(annotation.value, (cst.Name, cst.Attribute)):
        return updated
    head = annotation.value.value if isinstance(annotation.value, cst.Name) else annotation.value.attr.value
    if head not in ("Iterator", "Generator"):
        return updated
    if head == "Generator" and len(annotation.slice) == 3:  # an async generator returns nothing
        annotation = annotation.with_changes(
            slice=[*annotation.slice[:1], annotation.slice[1].with_changes(comma=cst.MaybeSentinel.DEFAULT)]
        )
    return updated.with_changes(returns=updated.returns.with_changes(annotation=_renamed(conv, annotation)))
