"""Functions of the run called at import: at module level, in a class body, in a decorator or a default value there.

``@ratelimit(10)`` on a view or a method, ``WINDOW = window(5)``: a function that reads ``flask.request`` only in
what it hands back (a wrapper, a default-argument lambda) is called before any request exists. Given a leading
``request`` parameter, its call would name a request that is not there (a NameError at import), so it keeps its
signature and reads the helper's request proxy, as a function handed over uncalled does (``passing``'s
``as_value``). What runs later (function bodies, lambdas) is not followed.
"""

from __future__ import annotations

import libcst as cst


def called_at_import(module: cst.Module, resolver) -> set[str]:
    """The qualified names of the functions a module calls while it is imported."""
    found: set[str] = set()

    class Calls(cst.CSTVisitor):
        def __init__(self) -> None:
            self.klass: str | None = None

        def visit_ClassDef(self, node: cst.ClassDef) -> None:
            self.klass = node.name.value if self.klass is None else self.klass

        def leave_ClassDef(self, node: cst.ClassDef) -> None:
            if self.klass == node.name.value:
                self.klass = None

        def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
            for decorator in node.decorators:  # run where the function is defined
                decorator.visit(self)
            node.params.visit(self)  # default values too
            return False  # its body runs later

        def visit_Lambda(self, node: cst.Lambda) -> bool:
            return False

        def visit_Call(self, node: cst.Call) -> None:
            target = resolver.call_target(node.func, self.klass, {})
            if target is not None:
                found.add(target)

    module.visit(Calls())
    return found
