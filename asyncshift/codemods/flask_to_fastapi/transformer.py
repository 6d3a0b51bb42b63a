"""The rewriting pass: one walk over the tree, with each family's rules applied where they meet.

Functions are classified on the way in (``roles``: view, exception handler, request hook, or plain
code); views get their request accesses planned before their body is rewritten, and their signature
(``signatures``), decorators (``decorators``) and colour (``def`` or ``async def``) settled on the way
out. Statements, calls and Flask's context globals go to ``statements``, ``calls`` and ``context_globals``.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER
from codemods.flask_to_fastapi import (
    apifairy_extension,
    apispec_extension,
    app_subclasses,
    blueprint_names,
    blueprint_subclasses,
    calls,
    context_globals,
    decorators,
    extensions,
    handed_requests,
    passing,
    request_aliases,
    request_attributes,
    responses,
    roles,
    shadowing,
    signatures,
    statements,
    url_prefixes,
    view_decorators,
    view_returns,
    views_by_hand,
)
from codemods.flask_to_fastapi.conversion import Conversion, Scope
from codemods.flask_to_fastapi.names import dotted
from codemods.flask_to_fastapi.nodes import arg, call, code


class FlaskToFastAPI(Conversion, cst.CSTTransformer):
    """The walk: each node handed to the rule for it; TODOs attached to the statement they belong to."""

    # -- TODO comments, attached to the statement they belong to -----------------------------------
    def _push(self, node: cst.CSTNode) -> None:
        self.todo_stack.append([])

    def _pop(self, node: cst.CSTNode) -> cst.CSTNode:
        messages = self.todo_stack.pop() if self.todo_stack else []
        if not messages:
            return node
        existing = code(node)
        messages = [m for m in messages if f"{TODO_MARKER} {m}" not in existing]
        if not messages:
            return node
        comments = [cst.EmptyLine(comment=cst.Comment(f"{TODO_MARKER} {m}")) for m in messages]
        if (
            isinstance(node, cst.SimpleStatementLine)
            and len(messages) == 1
            and node.trailing_whitespace.comment is None
        ):
            return node.with_changes(
                trailing_whitespace=cst.TrailingWhitespace(
                    cst.SimpleWhitespace("  "),
                    cst.Comment(f"{TODO_MARKER} {messages[0]}"),
                    node.trailing_whitespace.newline,
                )
            )
        if hasattr(node, "leading_lines"):
            return node.with_changes(leading_lines=[*node.leading_lines, *comments])
        return node

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self._push(node)

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        updated = self._drop_self_assignments(updated)
        if updated is None:
            self.todo_stack.pop()
            return cst.RemovalSentinel.REMOVE
        result = statements.rewrite(self, original, updated)
        if isinstance(result, cst.FlattenSentinel):
            nodes = list(result.nodes)
            nodes[0] = self._pop(nodes[0])
            return cst.FlattenSentinel(nodes)
        return self._pop(result)

    # compound statements: TODOs from their header line land above them
    def visit_If(self, node: cst.If) -> None:
        self._push(node)

    def leave_If(self, original: cst.If, updated: cst.If) -> cst.CSTNode:
        return self._pop(updated)

    def visit_For(self, node: cst.For) -> None:
        self._push(node)

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.CSTNode:
        return self._pop(updated)

    def visit_While(self, node: cst.While) -> None:
        self._push(node)

    def leave_While(self, original: cst.While, updated: cst.While) -> cst.CSTNode:
        return self._pop(updated)

    def visit_With(self, node: cst.With) -> None:
        self._push(node)

    def leave_With(self, original: cst.With, updated: cst.With) -> cst.CSTNode:
        return self._pop(updated)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._push(node)
        self.class_stack.append(node.name.value)
        self.class_bases.update(id(base.value) for base in node.bases)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.CSTNode:
        self.class_stack.pop()
        updated = app_subclasses.rewrite(self, original, updated)
        updated = blueprint_subclasses.rewrite(self, original, updated)
        return self._pop(statements.method_view_class(self, original, updated))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        if not updated.body:
            return updated.with_changes(body=[cst.SimpleStatementLine([cst.Pass()])])
        return updated

    def _drop_self_assignments(self, line: cst.SimpleStatementLine) -> cst.SimpleStatementLine | None:
        """``page = page`` left by turning ``page = request.args.get("page")`` into a parameter."""
        kept = [
            s
            for s in line.body
            if not (
                isinstance(s, cst.Assign)
                and len(s.targets) == 1
                and isinstance(s.targets[0].target, cst.Name)
                and isinstance(s.value, cst.Name)
                and s.value.value == s.targets[0].target.value
            )
        ]
        if len(kept) == len(line.body):
            return line
        if not kept:
            return None
        return line.with_changes(
            body=[s.with_changes(semicolon=cst.MaybeSentinel.DEFAULT) for s in kept[:-1]]
            + [kept[-1].with_changes(semicolon=cst.MaybeSentinel.DEFAULT)]
        )

    def visit_Module(self, node: cst.Module) -> None:
        self.names.hidden = shadowing.hidden(node, {*self.names.members, *self.names.modules})
        self.prefix_reads = url_prefixes.reads(node)
        self.name_reads = blueprint_names.reads(node)
        qualify = self.resolver.qualify if self.resolver is not None else None  # views add_url_rule routes
        self.view_returns = view_returns.read(node, qualify, getattr(self, "run_returns", None))

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        self.names.hidden = set()  # ids of this walk's nodes only
        return updated

    # -- functions ---------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._push(node)
        blueprint_subclasses.hook_todo(self, node)
        outer = self.scopes[-1] if self.scopes else None
        own = shadowing.bound(node)  # its locals: ``request = Model.find(...)`` hides Flask's request in it
        scope = roles.classify(self, node, own)
        if outer is None:
            key = self._qualified(node.name.value) if len(self.class_stack) <= 1 else None
        else:
            key = f"{outer.key}.<locals>.{node.name.value}" if outer.key else None
        if scope.role == "plain" and key in self.needs_request:
            scope = Scope("threaded", request=roles.request_name_in(self, node, own))
        elif scope.role == "plain" and outer is not None and (outer.has_request or outer.role == "closure"):
            scope = Scope("closure", request=outer.request, plan=outer.plan)  # shares the view's request
        scope.key = key
        scope.hides = own | ((outer.hides if outer else frozenset()) - shadowing.params(node.params))
        scope.wrappers = view_decorators.wrappers(node)
        scope.consumes = bool(scope.wrappers) and view_decorators.consumes_result(node)
        if outer is not None and scope.role == "plain" and id(node) in outer.wrappers:
            scope.wraps, scope.forwards_kept = outer.wrappers[id(node)], outer.consumes
        scope.marshalled = scope.role == "view" and (
            apifairy_extension.marshals(self, node)
            or apispec_extension.marshals(self, node)
            or any(view_decorators.consuming(d, self.analysis.consuming) for d in node.decorators)
            or any(  # a view class's ``decorators = [templated()]`` wraps each of its methods (method_view)
                view_decorators.consuming(d, self.analysis.consuming)
                for d in self.analysis.class_decorators.get(self.class_stack[-1] if self.class_stack else "", ())
            )
        )
        scope.request_aliases = request_aliases.collect(self, node, scope, outer)
        if self.resolver is not None:
            scope.types = passing.param_types(self.resolver, node, outer.types if outer else {})
            scope.local = {**(outer.local if outer else {}), **(passing.nested_functions(node, key) if key else {})}
        self.scopes.append(scope)

    def _qualified(self, function: str) -> str | None:
        if self.resolver is None:
            return None
        return (
            f"{self.resolver.name}.{self.class_stack[-1]}.{function}"
            if self.class_stack
            else f"{self.resolver.name}.{function}"
        )

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        scope = self.scopes.pop()
        if scope.role == "view":
            updated = signatures.finish_view(self, scope, original, updated)
        elif scope.role == "handler":
            updated = signatures.finish_handler(self, scope, updated, original)
        elif scope.role == "hook":
            updated = signatures.finish_hook(self, scope, updated)
        elif scope.role == "threaded":
            updated = signatures.finish_threaded(self, scope, updated)
        route_count = sum(1 for d in original.decorators if (decorators.decorator_info(self, d) or ("",))[0] == "route")
        converted = []
        for d in updated.decorators:
            converted.extend(decorators.rewrite(self, d, original.name.value, route_count, original.returns))
        updated = updated.with_changes(decorators=converted)
        if scope.role == "closure" and self.scopes:
            self.scopes[-1].uses_request |= scope.uses_request
        return self._pop(updated)

    def visit_Return(self, node: cst.Return) -> None:
        scope = self.scopes[-1] if self.scopes else None
        if scope and scope.role in ("view", "handler") and node.value is not None:
            head = (
                node.value.elements[0].value
                if isinstance(node.value, cst.Tuple) and node.value.elements
                else node.value
            )
            scope.return_heads.add(id(head))

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        scope = self.scopes[-1] if self.scopes else None
        if scope is not None and scope.wraps and original.value is not None:
            if view_decorators.is_forwarding(original.value, scope.wraps) and scope.forwards_kept:
                self.needs.add("view_value")  # ``else: return f(*a, **k)`` in ``@jsonp``: the view's kept return
                return updated.with_changes(value=call("view_value", arg(updated.value.with_changes(lpar=[], rpar=[]))))
            if view_decorators.is_forwarding(original.value, scope.wraps) or view_decorators.json_body(original.value):
                return updated
            if responses.kind_of(original.value, self.names) in ("html", "response"):
                return updated  # text or a response: the route answers them as Flask did, callers see the value
            helper = view_decorators.answer(original.value)
            self.todo(view_decorators.TODO)
            self.needs.add(helper)
            return updated.with_changes(value=call(helper, arg(view_decorators.answered(helper, updated.value))))
        if scope is None or scope.role not in ("view", "handler") or original.value is None or scope.marshalled:
            return updated
        taken = (self.analysis.own_names | self.analysis.imported_names) - set(self.names.members)
        by_hand = views_by_hand.called_by_tests(self, scope)  # a response where Flask's view gave them one, its text
        value = responses.returned(
            original.value,
            updated.value,
            self.names,
            self.needs,
            must_respond=scope.role == "handler" or by_hand,
            taken=taken,
            by_hand=by_hand,
        )
        if isinstance(value, cst.Tuple) and isinstance(updated.value, cst.Tuple):
            return updated
        return updated.with_changes(
            value=value.with_changes(lpar=[], rpar=[]) if isinstance(value, cst.Call) else value
        )

    # -- the request and Flask's context globals ---------------------------------------------------
    def _replacement(self, original: cst.CSTNode) -> cst.BaseExpression | None:
        for scope in reversed(self.scopes):
            if scope.plan is not None:
                if id(original) in scope.plan.todos:
                    self.todo(scope.plan.todos[id(original)])
                if id(original) in scope.plan.replacements:
                    return scope.plan.replacements[id(original)]
            if scope.role not in ("closure",):
                break
        return None

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        replaced = self._replacement(original)
        if replaced is not None:
            self._note_request_use(replaced)
            return replaced
        if id(original) in self.prefix_reads:  # ``bp.url_prefix``: a converted blueprint has none
            return url_prefixes.read(self.needs, updated)
        if id(original) in self.name_reads and (name := blueprint_names.read(self.analysis, updated)) is not None:
            return name  # ``bp.name``: the blueprint's own name, which its APIRouter does not keep
        return context_globals.attribute(self, original, updated)

    def _note_request_use(self, node: cst.CSTNode) -> None:
        names = [n.value for n in _names_in(node) if isinstance(n, cst.Name)]
        self.needs.update(request_attributes.HELPERS.intersection(names))  # accept_mimetypes(request)...
        if any(n in self.request_locals | {"request"} for n in names):
            self.request_expr()

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.BaseSmallStatement:
        return url_prefixes.write(self.needs, updated)  # ``bp.url_prefix = value``: the router's routes move

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if id(original) in self.not_references or id(original) in self.names.hidden:
            return updated  # ``db.session``, ``f(session=...)``, a local ``request``: a name that is not Flask's
        return context_globals.name(self, original, updated)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_references.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.not_references.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.not_references.add(id(node.name))

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        replaced = self._replacement(original)
        if replaced is not None:
            return replaced
        return updated

    def visit_Expr(self, node: cst.Expr) -> None:
        self.statement_calls.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
        self.call_funcs.add(id(node.func))

    def visit_Raise(self, node: cst.Raise) -> None:
        if isinstance(node.exc, cst.Call):  # ``raise NotFound()``: the call, not its name, is rewritten
            self.raised_calls.add(id(node.exc))
            self.not_references.add(id(node.exc.func))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        replaced = self._replacement(original)
        if replaced is not None:
            self._note_request_use(replaced)
            return replaced
        updated = handed_requests.wrap(self, original, updated)  # ``audit(request=request)``: Werkzeug's names
        updated = self._pass_request(original, updated)
        return calls.rewrite(self, original, updated)

    def _pass_request(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        """``helper(x)`` to ``helper(request, x)`` when the helper now takes the request."""
        if self.resolver is None or not self.needs_request:
            return updated
        scope = self.scopes[-1] if self.scopes else None
        klass = self.class_stack[-1] if self.class_stack else None
        target = self.resolver.call_target(
            original.func, klass, scope.types if scope else {}, scope.local if scope else None
        )
        if target not in self.needs_request:
            return updated
        if scope is None and not self.lambdas:  # module-level code: no request to pass
            self.todo(f"{dotted(original.func)}() now takes the request first: pass it in")
            return updated
        # a function that keeps its signature (a decorator's wrapper, a callback) passes the helper's proxy
        if any(a.keyword is not None and a.keyword.value == "request" for a in updated.args):
            return updated
        return updated.with_changes(args=[cst.Arg(self.request_expr()), *updated.args])

    lambdas = 0  # lambdas being walked: a call in one runs later (``LocalProxy(lambda: helper())``), in a request

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.lambdas += 1

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.BaseExpression:
        self.lambdas -= 1
        return updated

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        return context_globals.membership(self, original, updated)

    # -- imports are handled after the walk; extensions are reported --------------------------------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = dotted(node.module) if node.module else None
        if module and module.split(".")[0] in extensions.NOTES:
            self.notes.note(extensions.NOTES[module.split(".")[0]])
        return False  # imported names are not uses

    def visit_Import(self, node: cst.Import) -> bool:
        return False


def _names_in(node: cst.CSTNode):
    found = []

    class Collect(cst.CSTVisitor):
        def visit_Name(self, n: cst.Name) -> None:
            found.append(n)

    node.visit(Collect())
    return found
