"""The rewriting pass: one walk over the tree, with each family's rules applied where they meet.

Functions are classified on the way in (view, exception handler, request hook, or plain code);
views get their request accesses planned before their body is rewritten, and their signature,
decorators and colour (``def`` or ``async def``) settled on the way out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi import apps, imports, passing, request_access, responses, rules
from codemods.flask_to_fastapi.analysis import Analysis
from codemods.flask_to_fastapi.names import FlaskNames, dotted
from codemods.flask_to_fastapi.responses import arg, call, code

CONTEXT_CALLS = {
    "flask.url_for",
    "flask.render_template",
    "flask.render_template_string",
    "flask.flash",
    "flask.get_flashed_messages",
}
HELPER_CALLS = {
    "flask.make_response",
    "flask.send_file",
    "flask.send_from_directory",
    "flask.helpers.send_file",
    "flask.helpers.make_response",
}
EXTENSIONS = {
    "flask_login": (
        "Flask-Login: use a dependency that loads the user from request.session "
        "(Depends(current_user)) and raises 401/redirects"
    ),
    "flask_sqlalchemy": (
        "Flask-SQLAlchemy: db now comes from _flask_sqlalchemy.py (plain SQLAlchemy: same models, "
        "tables and SQLALCHEMY_DATABASE_URI; request-scoped session; query.get_or_404); "
        "end state: a sessionmaker and a Depends(get_session) dependency"
    ),
    "flask_wtf": (
        "Flask-WTF: FlaskForm/CSRFProtect/FileField now come from _flask_wtf.py (WTForms; the form read "
        "from the request, CSRF in the session); end state: wtforms.Form(formdata=await request.form()) "
        "and a CSRF dependency"
    ),
    "flask_httpauth": (
        "Flask-HTTPAuth: HTTPBasicAuth/HTTPDigestAuth/HTTPTokenAuth/MultiAuth now come from "
        "_flask_compat with the same callbacks and decorators; end state: a fastapi.security.HTTPBasic/HTTPBearer "
        "dependency"
    ),
}


@dataclass
class Scope:
    """What the codemod knows about the function it is inside."""

    role: str  # view, handler, hook, plain
    request: str = "request"  # the name the request has in this function
    plan: request_access.Plan | None = None
    methods: list[str] | None = None
    path_params: list[rules.PathParam] = field(default_factory=list)
    blueprint: str | None = None
    uses_request: bool = False
    return_heads: set[int] = field(default_factory=set)
    defaults: dict[str, cst.BaseExpression] = field(default_factory=dict)

    types: dict[str, str] = field(default_factory=dict)  # parameter name -> qualified class (for obj.method())
    key: str | None = None  # qualified name, as passing.discover names functions
    local: dict[str, str] = field(default_factory=dict)  # functions nested in enclosing functions, by name

    @property
    def has_request(self) -> bool:
        return self.role in ("view", "handler", "hook", "threaded")


class FlaskToFastAPI(cst.CSTTransformer):
    def __init__(
        self,
        names: FlaskNames,
        analysis: Analysis,
        notes: Notes,
        resolver: passing.Resolver | None = None,
        needs_request: set[str] | frozenset = frozenset(),
    ):
        self.names, self.analysis, self.notes = names, analysis, notes
        self.resolver, self.needs_request = resolver, set(needs_request)
        self.request_views: set[str] = set()  # module-level views that now take the request first
        self.needs: set[str] = set()
        self.scopes: list[Scope] = []
        self.todo_stack: list[list[str]] = []
        self.request_locals = {local for local, q in names.members.items() if q == "flask.request"}
        self.class_stack: list[str] = []
        self.todo_count = 0
        self.statement_calls: set[int] = set()

    # -- TODO comments, attached to the statement they belong to -----------------------------------
    def todo(self, message: str) -> None:
        if self.todo_stack:
            if message not in self.todo_stack[-1]:
                self.todo_stack[-1].append(message)
        else:
            self.notes.note(message)

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
        self.todo_count += len(messages)
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
        result = apps.statement(self, original, updated)
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

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.CSTNode:
        self.class_stack.pop()
        return self._pop(apps.method_view_class(self, original, updated))

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

    # -- functions ---------------------------------------------------------------------------------
    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._push(node)
        outer = self.scopes[-1] if self.scopes else None
        scope = self._classify(node)
        if outer is None:
            key = self._qualified(node.name.value) if len(self.class_stack) <= 1 else None
        else:
            key = f"{outer.key}.<locals>.{node.name.value}" if outer.key else None
        if scope.role == "plain" and key in self.needs_request:
            scope = Scope("threaded", request=next(iter(self.request_locals), "request"))
        elif scope.role == "plain" and outer is not None and (outer.has_request or outer.role == "closure"):
            scope = Scope("closure", request=outer.request, plan=outer.plan)  # shares the view's request
        scope.key = key
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

    def _classify(self, node: cst.FunctionDef) -> Scope:
        request_name = next(iter(self.request_locals), "request")
        in_method_view = bool(self.class_stack) and self.class_stack[-1] in self.analysis.method_views
        if in_method_view and node.name.value in ("get", "post", "put", "delete", "patch", "head", "options"):
            scope = Scope(
                "view",
                request=request_name,
                methods=[node.name.value.upper()],
                path_params=self._rule_params(self.class_stack[-1]),
            )
            scope.plan = request_access.plan(node, {request_name}, scope.methods)
            return scope
        for decorator in node.decorators:
            info = apps.decorator_info(self, decorator)
            if info is None:
                continue
            kind, methods, rule_params, blueprint = info
            if kind == "route":
                scope = Scope(
                    "view", request=request_name, methods=methods, path_params=rule_params, blueprint=blueprint
                )
                for other in node.decorators:
                    more = apps.decorator_info(self, other)
                    if more is not None and more[0] == "route" and other is not decorator:
                        scope.path_params += [p for p in more[2] if p.name not in {q.name for q in scope.path_params}]
                        scope.methods = sorted(set(scope.methods or []) | set(more[1] or []))
                    scope.defaults.update(apps.route_defaults(other))
                scope.plan = request_access.plan(node, {request_name}, scope.methods)
                return scope
            return Scope(kind, request=request_name, blueprint=blueprint)
        if node.name.value in self.analysis.error_handlers and not self.class_stack:
            return Scope("handler", request=request_name)
        if node.name.value in self.analysis.url_rule_views and not self.class_stack:
            methods = self.analysis.url_rule_views[node.name.value]
            scope = Scope("view", request=request_name, methods=methods, path_params=self._rule_params(node.name.value))
            scope.plan = request_access.plan(node, {request_name}, methods)
            return scope
        return Scope("plain", request=request_name)

    def _rule_params(self, view: str) -> list[rules.PathParam]:
        params: dict[str, rules.PathParam] = {}
        for rule in self.analysis.view_rules.get(view, []):
            for param in rules.convert(rule).params:
                params.setdefault(param.name, param)
        return list(params.values())

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        scope = self.scopes.pop()
        if scope.role == "view":
            updated = apps.finish_view(self, scope, original, updated)
        elif scope.role == "handler":
            updated = apps.finish_handler(self, scope, updated)
        elif scope.role == "hook":
            updated = apps.finish_hook(self, scope, updated)
        elif scope.role == "threaded":
            updated = apps.finish_threaded(self, scope, updated)
        route_count = sum(1 for d in original.decorators if (apps.decorator_info(self, d) or ("",))[0] == "route")
        decorators = []
        for d in updated.decorators:
            decorators.extend(apps.decorators(self, d, original.name.value, route_count))
        updated = updated.with_changes(decorators=decorators)
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
        if scope is None or scope.role not in ("view", "handler") or original.value is None:
            return updated
        value = responses.returned(
            original.value, updated.value, self.names, self.needs, must_respond=scope.role == "handler"
        )
        if isinstance(value, cst.Tuple) and isinstance(updated.value, cst.Tuple):
            return updated
        return updated.with_changes(
            value=value.with_changes(lpar=[], rpar=[]) if isinstance(value, cst.Call) else value
        )

    # -- the request and Flask's context globals ---------------------------------------------------
    def request_expr(self) -> cst.Name:
        """``request`` as this function can reach it: its parameter in views, the helper proxy elsewhere."""
        scope = self.scopes[-1] if self.scopes else None
        if scope is not None and scope.has_request or scope is not None and scope.role == "closure":
            scope.uses_request = True
            return cst.Name(scope.request)
        self.needs.add("request")
        return cst.Name("request")

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
        target = self.names.resolve(original.value)
        scope = self.scopes[-1] if self.scopes else None
        in_request = scope is not None and (scope.has_request or scope.role == "closure")
        if target == "flask.g":
            if in_request:
                return updated.with_changes(value=cst.Attribute(self.request_expr(), cst.Name("state")))
            self.needs.add("g")
            return updated.with_changes(value=cst.Name("g"))
        if target == "flask.request" and not in_request:
            return apps.proxy_request_attribute(self, original, updated)
        if target == "flask.request" and scope.role != "view" and isinstance(original.value, cst.Name):
            return apps.request_attribute(self, original, updated, scope.request)
        if self.names.resolve(original) in ("flask.json.dumps", "flask.json.loads"):
            return cst.Attribute(cst.Name("json"), original.attr)
        return updated

    def _note_request_use(self, node: cst.CSTNode) -> None:
        if any(isinstance(n, cst.Name) and n.value in self.request_locals | {"request"} for n in _names_in(node)):
            self.request_expr()

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        target = self.names.members.get(original.value)
        if target is None:
            return updated
        if target in ("werkzeug.exceptions.HTTPException", "werkzeug.HTTPException"):  # isinstance checks, annotations
            self.needs.add("StarletteHTTPException")
            return cst.Name("StarletteHTTPException")
        if target in ("flask.Flask", "flask.Blueprint"):  # annotations and isinstance checks
            replacement = "FastAPI" if target == "flask.Flask" else "APIRouter"
            self.needs.add(replacement)
            return cst.Name(replacement)
        if target.startswith(("flask_login.", "flask_httpauth.")):
            short = target.rsplit(".", 1)[-1]
            if short in imports.HELPER_NAMES:
                self.needs.add(short)
            elif target.startswith("flask_httpauth."):
                self.todo(
                    f"Flask-HTTPAuth {short} has no helper: use a fastapi.security dependency (HTTPBasic/HTTPBearer)"
                )
            return updated
        scope = self.scopes[-1] if self.scopes else None
        in_request = scope is not None and (scope.has_request or scope.role == "closure")
        if target in ("flask.session", "flask.current_app"):
            if in_request:
                return cst.Attribute(self.request_expr(), cst.Name("session" if target == "flask.session" else "app"))
            self.needs.add(target.split(".")[1])
            return updated
        if target == "flask.g":
            if in_request:
                return cst.Attribute(self.request_expr(), cst.Name("state"))
            self.needs.add("g")
            return updated
        if target == "flask.request" and not in_request:
            self.needs.add("request")
        return updated

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.BaseExpression:
        replaced = self._replacement(original)
        if replaced is not None:
            return replaced
        return updated

    def visit_Expr(self, node: cst.Expr) -> None:
        self.statement_calls.add(id(node.value))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        replaced = self._replacement(original)
        if replaced is not None:
            self._note_request_use(replaced)
            return replaced
        updated = self._pass_request(original, updated)
        return apps.call_(self, original, updated)

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
        if scope is None or not (scope.has_request or scope.role == "closure"):
            self.todo(f"{dotted(original.func)}() now takes the request first: pass it in")
            return updated
        if any(a.keyword is not None and a.keyword.value == "request" for a in updated.args):
            return updated
        return updated.with_changes(args=[cst.Arg(self.request_expr()), *updated.args])

    def leave_Comparison(self, original: cst.Comparison, updated: cst.Comparison) -> cst.BaseExpression:
        # "key" in g -> hasattr(request.state, "key")
        if len(original.comparisons) == 1 and self.names.resolve(original.comparisons[0].comparator) == "flask.g":
            scope = self.scopes[-1] if self.scopes else None
            operator = original.comparisons[0].operator
            if (
                scope is not None
                and (scope.has_request or scope.role == "closure")
                and isinstance(operator, (cst.In, cst.NotIn))
            ):
                check = call("hasattr", arg(cst.Attribute(self.request_expr(), cst.Name("state"))), arg(updated.left))
                return cst.UnaryOperation(cst.Not(), check) if isinstance(operator, cst.NotIn) else check
        return updated

    # -- imports are handled after the walk; extensions are reported --------------------------------
    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        module = dotted(node.module) if node.module else None
        if module and module.split(".")[0] in EXTENSIONS:
            self.notes.note(EXTENSIONS[module.split(".")[0]])
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
