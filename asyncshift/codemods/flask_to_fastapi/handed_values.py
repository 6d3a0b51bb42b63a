"""Functions handed over uncalled: ``ext.selector = get_locale`` or ``register(get_locale)``, in their own module
or another, at module level or inside a function (``Babel(app, locale_selector=get_locale)`` in ``create_app``,
``get_locale`` nested there), methods handed over bound (``Chooser(pick=self.title)``).

Whoever calls them later (an extension, a library) passes no request, so their signature stays (``passing``'s
``as_value``); they read the request through the helper's proxy. A view handed to ``add_url_rule`` is a route's:
the route hands it the request. Values are read where they are handed: a nested function's name, ``self.m`` in a
class, ``obj.m`` of a parameter annotated with a known class, as ``passing`` reads calls.
"""

from __future__ import annotations

import libcst as cst

ROUTING = frozenset(("add_url_rule", "route", "add_api_route"))


def nested_functions(function: cst.FunctionDef, key: str) -> dict[str, str]:
    """The functions defined directly in a function's body (not inside nested ones), by local name."""
    found: dict[str, str] = {}

    class Defs(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            found[node.name.value] = f"{key}.<locals>.{node.name.value}"
            return False

        def visit_ClassDef(self, node: cst.ClassDef) -> bool:
            return False

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

    function.body.visit(Defs())
    return found


def param_types(resolver, function: cst.FunctionDef, outer: dict[str, str]) -> dict[str, str]:
    """Parameter name -> the qualified class it is annotated with, over the enclosing function's."""
    types = dict(outer)
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        qualified = resolver.annotation_class(param.annotation)
        if qualified is not None:
            types[param.name.value] = qualified
        else:
            types.pop(param.name.value, None)
    return types


def handed_values(module: cst.Module, resolver, routed_too: bool = False) -> set[str]:
    """The qualified names a module hands over as values: call arguments and assigned values (a routing call's
    arguments too with ``routed_too``)."""
    found: set[str] = set()
    routed: set[int] = set()  # id() of a routing call's arguments

    class Values(cst.CSTVisitor):
        def __init__(self) -> None:
            self.stack: list[tuple[str | None, dict[str, str], dict[str, str]]] = []  # key, locals, types
            self.klass: str | None = None
            self.nested_classes = 0  # classes inside functions: their methods have no key

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            if self.stack:
                self.nested_classes += 1
            else:
                self.klass = node.name.value

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            if self.stack:
                self.nested_classes -= 1
            else:
                self.klass = None

        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            outer_key, outer_local, outer_types = self.stack[-1] if self.stack else (None, {}, {})
            if self.nested_classes:
                key = None
            elif not self.stack:
                key = (
                    f"{resolver.name}.{self.klass}.{node.name.value}"
                    if self.klass
                    else f"{resolver.name}.{node.name.value}"
                )
            else:
                key = f"{outer_key}.<locals>.{node.name.value}" if outer_key else None
            local = {**outer_local, **(nested_functions(node, key) if key else {})}
            self.stack.append((key, local, param_types(resolver, node, outer_types)))

        def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
            self.stack.pop()

        def visit_Call(self, node: cst.Call) -> None:
            if not routed_too and isinstance(node.func, cst.Attribute) and node.func.attr.value in ROUTING:
                routed.update(id(a) for a in node.args)

        def visit_Arg(self, node: cst.Arg) -> None:
            if id(node) not in routed:
                self._value(node.value)

        def visit_Assign(self, node: cst.Assign) -> None:
            self._value(node.value)

        def _value(self, value: cst.BaseExpression) -> None:
            if isinstance(value, (cst.Name, cst.Attribute)):
                _key, local, types = self.stack[-1] if self.stack else (None, {}, {})
                klass = self.klass if self.stack and not self.nested_classes else None
                target = resolver.call_target(value, klass, types, local)
                if target is not None:
                    found.add(target)

    module.visit(Values())
    return found
