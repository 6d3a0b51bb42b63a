"""What the rewriting pass knows while it walks one Typer module, shared by every rule it applies.

The rules take a ``Conversion`` (names, analysis, notes, the functions being walked, pending TODOs)
and never the transformer, so they need not import it; ``translate`` walks a copied expression with
a fresh pass of the same kind.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import Notes
from codemods.typer_to_asyncclick.analysis import Analysis
from codemods.typer_to_asyncclick.names import TyperNames
from codemods.typer_to_asyncclick.params import Env

# Expressions with no name in them: the rewriting pass leaves them as they are.
_LITERALS = frozenset({cst.SimpleString, cst.Integer, cst.Float, cst.Imaginary, cst.Ellipsis})


class Conversion:
    """The state of one module's conversion: what the rules read, and what they add to."""

    def __init__(self, module: cst.Module, names: TyperNames, analysis: Analysis, notes: Notes) -> None:
        super().__init__()
        self.module, self.names, self.a, self.notes = module, names, analysis, notes
        self.body = list(module.body)
        self.todo_stack: list[list[str]] = []
        self.func_stack: list[dict] = []
        self.protected: set[int] = set()
        self.needs_testing_import = False
        self.marked = False  # a test was made async and marked for pytest-asyncio
        self.async_fixtures = False  # a fixture was made pytest-asyncio's
        self.needs_os = False  # a rich_utils setting became an environment variable (rich_settings)
        self.docs_follow: dict[str, list[str]] = {}  # a command function -> what takes its docstring as help
        self.env = Env(
            names, analysis.enums, analysis.aliases, self.code, self.translate, analysis.functions, analysis.factories
        )

    def code(self, node: cst.CSTNode) -> str:
        """A user expression as source text, its Typer names already rewritten."""
        return self.module.code_for_node(self.translate(node))

    def translate(self, node):
        """Rewrite typer names inside a user expression we copy into generated code."""
        if not isinstance(node, cst.BaseExpression):
            return node
        kind = type(node)
        if kind in _LITERALS or (kind is cst.Name and node.value not in self.names.members):
            return node  # no rule rewrites a literal or a name that is not typer's (``leave_Name``)
        sub = type(self)(self.module, self.names, self.a, self.notes)
        sub.todo_stack = [self.todo_stack[-1] if self.todo_stack else []]
        sub.func_stack = self.func_stack
        return node.visit(sub)

    def todo(self, message: str) -> None:
        """A TODO comment for the statement being rewritten."""
        if self.todo_stack and message not in self.todo_stack[-1]:
            self.todo_stack[-1].append(message)
