"""What a call tells the first pass: its callee and arguments, and what it hands on to be called later.

Functions handed to a thread or ``sorted`` (called without being awaited), lambdas of no parameters (``thunks``),
``Thread(target=...)`` (``threads``), what ``patch`` and ``monkeypatch`` put in place of what (``stand_ins``), and
the engine of ``metadata.create_all(engine)``. A mixin of ``facts``' reader: it needs its scopes.
"""

from __future__ import annotations

import ast

from codemods.sqlalchemy_to_async import doubles, thread_uses
from codemods.sqlalchemy_to_async.exprs import Expr, dotted, from_ast

METADATA_METHODS = {"create_all", "drop_all"}
# Callers that call what they are handed without awaiting it: positional arguments, and these keywords.
SYNC_CALLERS = {"map", "filter", "sorted", "min", "max", "Thread", "Timer", "submit", "run_in_executor", "to_thread"}
SYNC_CALLERS |= {"signal", "call_soon", "call_later", "add_done_callback", "sub", "subn"}  # re.sub(pattern, repl, s)
SYNC_KEYWORDS = {"key", "target", "callback", "default", "fget", "fset", "on_error"}
# Of those, the ones calling it in place, in their caller's thread (not a thread's, a loop's or a signal's later):
# what it must await runs to its end there (``python_calls``)
IN_PLACE = {"map", "filter", "sorted", "min", "max", "sub", "subn", "key"}
HANDED = "which calls it without awaiting"
HANDED_IN_PLACE = "which calls it in place without awaiting"


class CallReader(ast.NodeVisitor):
    """``visit_Call`` and what it records, for a reader with ``facts``, ``functions``, ``function_nodes``, ``called``
    (``facts._Reader``)."""

    def _callbacks(self, node: ast.Call, callee: Expr) -> None:
        """Functions handed to something that will call them without awaiting (a thread, ``sorted``)."""
        name = dotted(callee) or ""
        positional = name.rpartition(".")[2] in SYNC_CALLERS and not thread_uses.is_waited(node)
        values = [a for a in node.args if positional] + [k.value for k in node.keywords if k.arg in SYNC_KEYWORDS]
        for value in values:
            if isinstance(value, (ast.Name, ast.Attribute)):
                where = f"{name}({_keyword(node, value)}=...)" if _keyword(node, value) else f"{name}(...)"
                in_place = (_keyword(node, value) or name.rpartition(".")[2]) in IN_PLACE
                where += f", {HANDED_IN_PLACE if in_place else HANDED}"
                self.facts.callbacks.append(
                    (self.functions[-1].qualname if self.functions else None, from_ast(value), where)
                )

    def _thunks(self, node: ast.Call, callee: Expr) -> None:
        """Lambdas of no parameters handed to a call, with the callee of their body (``thunks`` reads them)."""
        if not self.functions:
            return
        handed = [(i, a) for i, a in enumerate(node.args)] + [(k.arg, k.value) for k in node.keywords if k.arg]
        if any(isinstance(a, ast.Starred) for a in node.args):
            handed = [(k, a) for k, a in handed if isinstance(k, str)]  # positions unknown after ``*args``
        for where, value in handed:
            if isinstance(value, ast.Lambda) and not thread_uses.has_params(value):
                body = from_ast(value.body) if isinstance(value.body, ast.Call) else None
                self.functions[-1].thunks.append((callee, where, body[1] if body and body[0] == "call" else None))

    def _thread(self, node: ast.Call, callee: Expr) -> None:
        """``Thread(target=..., args=(...))`` in a function: what it runs (``threads`` reads it)."""
        target = next((k.value for k in node.keywords if k.arg == "target"), None)
        if not self.functions or target is None or (dotted(callee) or "").rpartition(".")[2] != "Thread":
            return
        handed = next((k.value for k in node.keywords if k.arg == "args"), None)
        items = tuple(from_ast(e) for e in handed.elts) if isinstance(handed, ast.Tuple | ast.List) else None
        if items is not None and any(isinstance(e, ast.Starred) for e in handed.elts):
            items = None
        use = thread_uses.use(self.function_nodes[-1], node)
        self.functions[-1].threads.append((callee, thread_uses.runs(target), items, use))

    def _stand_in(self, replaced: Expr | str, value: ast.AST | None) -> None:
        if isinstance(value, (ast.Name, ast.Attribute)) and replaced:
            scope = self.functions[-1].qualname if self.functions else None
            self.facts.stand_ins.append((scope, replaced, from_ast(value)))

    def _patch(self, node: ast.Call, callee: Expr) -> None:
        for replaced, value in doubles.replaced(node, callee):
            self._stand_in(replaced, value)
            if isinstance(replaced, str):
                self.facts.patch_paths.append(replaced)
            elif replaced and replaced[1]:  # ``monkeypatch.setattr(app, "db", x)``: set from outside, as ``app.db = x``
                scope = self.functions[-1].qualname if self.functions else None
                self.facts.attribute_sets.append((scope, replaced, from_ast(value)))

    def _setattr(self, node: ast.Call, callee: Expr) -> None:
        """``setattr(g, "project", project)``: an attribute set as ``g.project = project`` is."""
        args = node.args
        if callee == ("name", "setattr") and len(args) == 3 and not node.keywords:
            if isinstance(args[1], ast.Constant) and isinstance(args[1].value, str) and from_ast(args[0]):
                scope = self.functions[-1].qualname if self.functions else None
                self.facts.attribute_sets.append((scope, ("attr", from_ast(args[0]), args[1].value), from_ast(args[2])))

    def visit_Call(self, node: ast.Call) -> None:
        callee = from_ast(node)
        thread_uses.wait_for_submit(self, node)  # ``pool.submit(f, a).result()`` calls ``f``
        if callee == ("call", ("attr", ("name", "monkeypatch"), "setattr")) and node.args:
            if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                self.facts.patched.append(node.args[0].value)
        if callee is not None and callee != ("super",):
            self._patch(node, callee[1])
            self._setattr(node, callee[1])
            self._callbacks(node, callee[1])
            self._thunks(node, callee[1])
            self._thread(node, callee[1])
            values = [*node.args, *(k.value for k in node.keywords)]
            named = any(isinstance(a, (ast.Name, ast.Attribute)) for a in values)
            if self.functions and (named or any(isinstance(a, ast.Call) for a in values)):
                positional = tuple(from_ast(a) for a in node.args if not isinstance(a, ast.Starred))
                keywords = tuple((k.arg, from_ast(k.value)) for k in node.keywords if k.arg)
                made = self.functions[-1].arguments if named else self.functions[-1].built_arguments
                made.append((callee[1], positional, keywords))
        if callee is not None and callee != ("super",):
            self.called.add(id(node.func))
            (self.functions[-1].calls if self.functions else self.facts.module_calls).append(callee[1])
            if self.functions and callee[1][0] == "attr" and callee[1][2] in METADATA_METHODS and len(node.args) == 1:
                self.functions[-1].metadata_binds.append(from_ast(node.args[0]))
            if self.functions and callee[1][0] == "attr" and callee[1][2] in METADATA_METHODS and node.keywords:
                bind = [k.value for k in node.keywords if k.arg == "bind"]
                self.functions[-1].metadata_binds.extend(from_ast(b) for b in bind)
        self.generic_visit(node)


def _keyword(call: ast.Call, value: ast.AST) -> str:
    return next((k.arg for k in call.keywords if k.value is value and k.arg), "")
