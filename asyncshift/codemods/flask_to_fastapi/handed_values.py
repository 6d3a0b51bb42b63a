"""Functions handed over uncalled from another module than their own: ``ext.selector = get_locale`` or
``register(get_locale)`` in the factory, ``get_locale`` defined in a helpers module.

Whoever calls them later (an extension, a library) passes no request, so their signature stays, as for a
function handed over in its own module (``passing``'s ``as_value``); they read the request through the helper's
proxy. ``passing`` sees one module at a time and dropped what it found handed over from elsewhere. A view handed
to ``add_url_rule`` is a route's: the route hands it the request.
"""

from __future__ import annotations

import libcst as cst

ROUTING = frozenset(("add_url_rule", "route", "add_api_route"))


def handed_values(module: cst.Module, resolver) -> set[str]:
    """The qualified names a module hands over as values: call arguments and assigned values."""
    found: set[str] = set()
    routed: set[int] = set()  # id() of a routing call's arguments

    class Values(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            if isinstance(node.func, cst.Attribute) and node.func.attr.value in ROUTING:
                routed.update(id(a) for a in node.args)

        def visit_Arg(self, node: cst.Arg) -> None:
            if id(node) not in routed:
                self._value(node.value)

        def visit_Assign(self, node: cst.Assign) -> None:
            self._value(node.value)

        def _value(self, value: cst.BaseExpression) -> None:
            if isinstance(value, (cst.Name, cst.Attribute)):
                target = resolver.call_target(value, None, {})
                if target is not None:
                    found.add(target)

    module.visit(Values())
    return found
