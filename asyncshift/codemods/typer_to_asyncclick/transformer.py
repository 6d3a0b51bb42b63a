"""The single pass that rewrites a Typer module: apps, commands, parameters, helpers, tests.

Reads the module's shape from ``analysis`` first; then each node is rewritten once on the way up.
What it cannot convert gets ``# TODO(asyncshift): ...`` above its statement.
"""

from __future__ import annotations

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.typer_to_asyncclick import apps as appkw
from codemods.typer_to_asyncclick import params as P
from codemods.typer_to_asyncclick.analysis import Analysis, App, _assign
from codemods.typer_to_asyncclick.names import TyperNames, dotted

HELPERS = set(
    "echo secho style unstyle confirm launch get_app_dir getchar clear pause edit progressbar open_file "
    "format_filename get_binary_stream get_text_stream echo_via_pager".split()
)
EXCEPTIONS = {
    "Exit": "click.exceptions.Exit",
    "Abort": "click.Abort",
    "BadParameter": "click.BadParameter",
    "ClickException": "click.ClickException",
    "UsageError": "click.UsageError",
    "BadOptionUsage": "click.BadOptionUsage",
    "BadArgumentUsage": "click.BadArgumentUsage",
    "FileError": "click.FileError",
    "MissingParameter": "click.MissingParameter",
    "NoSuchOption": "click.NoSuchOption",
    "Context": "click.Context",
    "CallbackParam": "click.Parameter",
    "get_current_context": "click.get_current_context",
    "testing.CliRunner": "click.testing.CliRunner",
    "testing.Result": "click.testing.Result",
}
PREFIXES = {"colors", "main", "testing", "models", "core", "params"}
HANDLED_ELSEWHERE = {
    "Typer",
    "Option",
    "Argument",
    "run",
    "prompt",
    "main.get_command",
    "FileText",
    "FileTextWrite",
    "FileBinaryRead",
    "FileBinaryWrite",
}


def expr(code: str) -> cst.BaseExpression:
    return cst.parse_expression(code)


class TyperToAsyncClick(cst.CSTTransformer):
    def __init__(self, module: cst.Module, names: TyperNames, analysis: Analysis, notes: Notes) -> None:
        super().__init__()
        self.module, self.names, self.a, self.notes = module, names, analysis, notes
        self.body = list(module.body)
        self.todo_stack: list[list[str]] = []
        self.func_stack: list[dict] = []
        self.protected: set[int] = set()
        self.needs_testing_import = False
        self.env = P.Env(names, analysis.enums, analysis.aliases, self.code, self.translate)

    # -- helpers ---------------------------------------------------------------------------------

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(self.translate(node))

    def translate(self, node):
        """Rewrite typer names inside a user expression we copy into generated code."""
        if not isinstance(node, cst.BaseExpression):
            return node
        sub = TyperToAsyncClick(self.module, self.names, self.a, self.notes)
        sub.todo_stack = [self.todo_stack[-1] if self.todo_stack else []]
        sub.func_stack = self.func_stack
        return node.visit(sub)

    def todo(self, message: str) -> None:
        if self.todo_stack and message not in self.todo_stack[-1]:
            self.todo_stack[-1].append(message)

    def _attach(self, node: cst.CSTNode, todos: list[str]):
        if not todos or not hasattr(node, "leading_lines"):
            return node
        existing = {line.comment.value for line in node.leading_lines if line.comment}
        lines = [
            cst.EmptyLine(comment=cst.Comment(f"{TODO_MARKER} {t}"))
            for t in todos
            if f"{TODO_MARKER} {t}" not in existing
        ]
        return node.with_changes(leading_lines=[*node.leading_lines, *lines])

    # -- statements collect TODOs ----------------------------------------------------------------

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.todo_stack.append([])
        return super().on_visit(node)

    def on_leave(self, original, updated):
        result = super().on_leave(original, updated)
        if isinstance(original, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            todos = self.todo_stack.pop()
            if isinstance(result, cst.FlattenSentinel):
                nodes = list(result.nodes)
                nodes[0] = self._attach(nodes[0], todos)
                return cst.FlattenSentinel(nodes)
            if isinstance(result, cst.RemovalSentinel):
                return result
            return self._attach(result, todos)
        return result

    # -- names that must not be rewritten ---------------------------------------------------------

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.protected.add(id(node.attr))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword:
            self.protected.add(id(node.keyword))

    def visit_Param(self, node: cst.Param) -> None:
        self.protected.add(id(node.name))

    def visit_ImportAlias(self, node: cst.ImportAlias) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.protected.add(id(node.name))

    # -- references: typer.X and names imported from typer ----------------------------------------

    def _reference(self, original: cst.BaseExpression, updated: cst.BaseExpression) -> cst.BaseExpression:
        resolved = self.names.resolve(original)
        if resolved is None:
            return updated
        if resolved in HELPERS:
            return expr(f"click.{resolved}")
        if resolved in EXCEPTIONS:
            if resolved.startswith("testing."):
                self.needs_testing_import = True
            return expr(EXCEPTIONS[resolved])
        if resolved.startswith("colors."):
            return cst.SimpleString(P.quote(resolved.split(".", 1)[1].lower()))
        if resolved in PREFIXES or resolved in HANDLED_ELSEWHERE:
            return updated
        self.todo(f"typer.{resolved} has no AsyncClick equivalent here; port it by hand")
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        return self._reference(original, updated)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if id(original) in self.protected or original.value not in self.names.members:
            return updated
        if self.names.members[original.value].startswith("testing."):
            return updated  # its import becomes asyncclick.testing
        return self._reference(original, updated)

    # -- calls ------------------------------------------------------------------------------------

    def _in_async(self) -> bool:
        return bool(self.func_stack) and self.func_stack[-1]["async"]

    def _need_async(self, what: str) -> bool:
        if not self.func_stack:
            self.todo(f"{what} must be awaited inside an async function")
            return False
        frame = self.func_stack[-1]
        if frame["async"]:
            return True
        if frame["name"].startswith("test"):
            frame["async"] = frame["made_async"] = True
            return True
        self.todo(f"{what} must be awaited: make '{frame['name']}' async and await it")
        return False

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        resolved = self.names.resolve(original.func)
        if resolved == "prompt":
            call = updated.with_changes(func=expr("click.prompt"))
            return cst.Await(call) if self._need_async("click.prompt (async in AsyncClick)") else call
        if resolved == "run" and original.args:
            self.notes.note("typer.run(main) became main(): main is now a Click command")
            return cst.Call(func=updated.args[0].value)
        if resolved == "main.get_command" and original.args:
            return updated.args[0].value
        if resolved in ("Option", "Argument") and not self.func_stack:
            return updated
        func = original.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_typer":
            return self._add_typer(original, updated)
        registered = self._registration(original, updated)
        if registered is not None:
            return registered
        if isinstance(func, cst.Attribute) and func.attr.value == "invoke" and self._is_runner(func.value):
            return cst.Await(updated) if self._need_async("CliRunner.invoke (async in AsyncClick)") else updated
        return updated

    def _is_runner(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return node.value in self.a.runners or node.value in {
                f["runner"] for f in self.func_stack if f.get("runner")
            }
        return isinstance(node, cst.Call) and self.names.resolve(node.func) == "testing.CliRunner"

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if (
            self.func_stack
            and isinstance(original.value, cst.Call)
            and self.names.resolve(original.value.func) == "testing.CliRunner"
        ):
            target = original.targets[0].target
            if isinstance(target, cst.Name):
                self.a.runners.add(target.value)
        return updated

    def _fact(self, node: cst.BaseExpression):
        """The run-wide facts about an app named by ``node`` (e.g. ``users.app`` from another module)."""
        project, name = self.a.project, dotted(node)
        return project.app(project.resolve(self.a.module_name, name)) if project is not None and name else None

    def _add_typer(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        child_expr = original.args[0].value if original.args else None
        if child_expr is None:
            return updated
        kw = appkw.kwargs(original)
        child = self.a.apps.get(dotted(child_expr) or "")
        fact = None if child is not None else self._fact(child_expr)
        name = kw.get("name")
        if name is None and child is not None:
            name = appkw.kwargs(child.callback_call).get("name") or child.typer_kwargs().get("name")
        if name is None and fact is not None and fact.name:
            name = cst.SimpleString(P.quote(fact.name))
        receiver = self.code(original.func.value)
        if name is None:
            is_group = child.is_group if child is not None else fact.is_group if fact is not None else None
            if is_group is None:
                self.todo("add_typer without a name merges the sub-app's commands into this group: add them one by one")
                return updated
            if is_group:  # Typer merges the commands of a nameless sub-app into this group
                return expr(f"{receiver}.commands.update({self.code(child_expr)}.commands)")
            return expr(f"{receiver}.add_command({self.code(child_expr)})")
        if child is None:
            for key in kw:
                if key != "name":
                    self.todo(f"add_typer's {key}= must be set on the sub-group itself")
        return expr(f"{receiver}.add_command({self.code(child_expr)}, {self.code(name)})")

    def _registration(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
        """``app.command("name")(function)``: the function is a Click command now (converted where it is defined)."""
        inner = original.func
        if not (
            isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "command"
        ):
            return None
        if len(original.args) != 1 or original.args[0].keyword or self.a.project is None:
            return None
        receiver = inner.func.value
        app = self.a.apps.get(dotted(receiver) or "")
        if app is None and self._fact(receiver) is None:
            return None
        target = dotted(original.args[0].value)
        ref = self.a.project.resolve(self.a.module_name, target) if target else None
        regs = self.a.project.modules[ref[0]].registered.get(ref[1]) if ref else None
        if not regs:
            self.todo("the function registered here must become a Click command: decorate it with @click.command()")
            return updated
        if app is not None and not app.is_group:
            self.todo("a single command registered with app.command()(f): decorate f with @app.command() instead")
            return updated
        registration = next((r for r in regs if r is not None), None)
        call_name = appkw.first_positional(inner) or appkw.kwargs(inner).get("name")
        name = self.code(call_name) if call_name is not None else P.quote(appkw.typer_command_name(ref[1]))
        if registration is not None and registration.opaque:
            self.todo("app.command(...) arguments that are not literals: set them on the command where it is defined")
        return expr(f"{self.code(receiver)}.add_command({self.code(original.args[0].value)}, {name})")

    # -- functions --------------------------------------------------------------------------------

    def _role(self, node: cst.FunctionDef) -> tuple[str, App | None, cst.Decorator | None]:
        for decorator in node.decorators:
            d = decorator.decorator
            target = d.func if isinstance(d, cst.Call) else d
            if isinstance(target, cst.Attribute) and target.attr.value in ("command", "callback"):
                receiver = dotted(target.value) or ""
                app = self.a.apps.get(receiver)
                if app is None and receiver not in self.names.modules and receiver.isidentifier():
                    return target.attr.value, None, decorator
                if app is not None:
                    return target.attr.value, app, decorator
        if node.name.value in self.a.callback_functions:
            return "callback", self.a.callback_functions[node.name.value], None
        if node.name.value in self.a.run_targets:
            return "run", None, None
        if node.name.value in self.a.registered and not node.decorators:
            return "registered", None, None
        if node.name.value in self.a.param_callbacks:
            return "param_callback", None, None
        return "", None, None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.protected.add(id(node.name))
        role = self._role(node)[0]
        is_async = node.asynchronous is not None or role in ("command", "callback", "run", "registered")
        self.func_stack.append({"name": node.name.value, "async": is_async, "made_async": False})

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        frame = self.func_stack.pop()
        role, app, decorator = self._role(original)
        if frame["made_async"]:
            updated = updated.with_changes(asynchronous=cst.Asynchronous())
        if role == "param_callback":
            return self._param_callback(original, updated)
        if not role:
            return updated
        if role == "callback" and app is None:
            self.todo("this callback belongs to an app defined elsewhere: define the group with @click.group here")
            return updated
        return self._command(original, updated, role, app, decorator)

    def _command(self, original, updated, role, app, decorator):
        todos, notes = [], []
        converted = [P.convert(p, self.env) for p in original.params.params]
        kwonly = [P.convert(p, self.env) for p in original.params.kwonly_params]
        for c in converted + kwonly:
            todos.extend(c.todos)
            notes.extend(c.notes)
        head, extra = self._head_decorator(original, role, app, decorator, todos, notes)
        lines = [head]
        lines += [c.decorator for c in converted + kwonly if c.decorator]
        context = [c for c in converted + kwonly if c.is_context]
        if context:
            lines.append("click.pass_context")
        ordered = context + [c for c in converted if not c.is_context]
        params = updated.params.with_changes(
            params=[c.param for c in ordered],
            kwonly_params=[c.param for c in kwonly if not c.is_context],
        )
        decorators = [cst.Decorator(expr(line)) for line in lines]
        kept = [
            d for d in updated.decorators if d is not self._match(updated.decorators, original.decorators, decorator)
        ]
        body = self._with_prelude(updated.body, [line for c in converted + kwonly for line in c.prelude])
        new = updated.with_changes(
            decorators=decorators + kept,
            params=params,
            asynchronous=cst.Asynchronous(),
            body=body,
        )
        for t in todos:
            self.todo(t)
        for n in notes:
            self.notes.note(n)
        if extra:
            return cst.FlattenSentinel([new, *extra])
        return new

    @staticmethod
    def _match(updated_decorators, original_decorators, decorator):
        if decorator is None:
            return None
        for u, o in zip(updated_decorators, original_decorators, strict=False):
            if o is decorator:
                return u
        return None

    def _head_decorator(self, original, role, app, decorator, todos, notes):
        fname = original.name.value
        call = decorator.decorator if decorator and isinstance(decorator.decorator, cst.Call) else None
        own = appkw.kwargs(call)
        extra: list[cst.BaseStatement] = []
        if role == "run":
            return "click.command(cls=TyperCommand, add_completion=False)", extra
        if role == "registered":  # app.command(...)(f) elsewhere adds it under its name
            registration = self.a.registered[fname][0]
            parts = [f"{k}={v}" for k, v in registration.kwargs.items() if k in appkw.COMMAND_KW]
            return f"click.command({', '.join(['cls=TyperCommand', *parts])})", extra
        if role == "command" and (app is None or app.is_group):
            receiver = self.code(decorator.decorator.func.value if call else decorator.decorator.value)
            name = appkw.first_positional(call) or own.get("name")
            parts = (
                [self.code(name)]
                if name is not None
                else ([P.quote(appkw.typer_command_name(fname))] if appkw.needs_explicit_name(fname) else [])
            )
            own.pop("name", None)
            parts += appkw.click_kwargs(own, appkw.COMMAND_KW, self.code, todos, notes, top_level=False)
            return f"{receiver}.command({', '.join(parts)})", extra
        if role == "command":  # the app's only command: Typer runs it without a subcommand name
            merged = appkw.merge(
                {
                    k: v
                    for k, v in app.typer_kwargs().items()
                    if k in ("context_settings", "add_completion", "rich_markup_mode")
                },
                own,
            )
            name = merged.pop("name", None) or appkw.first_positional(call)
            parts = appkw.click_kwargs(merged, appkw.COMMAND_KW, self.code, todos, notes, top_level=not app.is_child)
            if app.merged:  # its parent lists it under its own name
                if name is not None:
                    parts.insert(0, self.code(name))
                elif appkw.needs_explicit_name(fname):
                    parts.insert(0, P.quote(appkw.typer_command_name(fname)))
            if fname != app.var:
                extra.append(_alias(app.var, fname))
            head = (
                ["cls=TyperCommand", *parts]
                if not app.merged or not parts or "=" in parts[0]
                else [parts[0], "cls=TyperCommand", *parts[1:]]
            )
            return f"click.command({', '.join(head)})", extra
        # callback: the group is defined here
        if not app.group_at_callback(self.body):
            # The group already exists (it is used above): give it this callback and its options.
            merged = appkw.merge(app.typer_kwargs(), own, app.child_kwargs)
            transplant = f"{app.var}.callback, {app.var}.params = {fname}.callback, {fname}.params"
            extra.append(
                _statement(transplant, f"'{app.var}' is created above; this gives it its callback and options")
            )
            for key, value in own.items():  # what @app.callback(...) sets on the group
                if key in appkw.GROUP_KW and key not in app.child_kwargs:  # add_typer(...) wins
                    extra.append(cst.parse_statement(f"{app.var}.{key} = {self.code(value)}"))
            if "help" not in merged and "help" not in app.factory_keys:
                extra.append(cst.parse_statement(f"{app.var}.help = {fname}.help"))
            return "click.command()", extra
        merged = appkw.merge(app.typer_kwargs(), own, app.child_kwargs)
        merged.pop("name", None)
        if "callback" in app.typer_kwargs():
            if fname not in self.a.callback_functions:
                todos.append("Typer(callback=...) is not ported: the decorated callback wins")
            merged.pop("callback", None)
        parts = appkw.click_kwargs(merged, appkw.GROUP_KW, self.code, todos, notes, top_level=not app.is_child)
        if fname != app.var:
            extra.append(_alias(app.var, fname))
        return f"click.group({', '.join(['cls=TyperGroup', *parts])})", extra

    def _with_prelude(self, body: cst.BaseSuite, lines: list[str]) -> cst.BaseSuite:
        if not lines or not isinstance(body, cst.IndentedBlock):
            return body
        statements = list(body.body)
        at = 1 if statements and _is_docstring(statements[0]) else 0
        new = [cst.parse_statement(line) for line in lines]
        return body.with_changes(body=[*statements[:at], *new, *statements[at:]])

    def _param_callback(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        """Typer calls a parameter callback with what it asks for; Click always passes (ctx, param, value)."""
        ctx = param = None
        untyped = []
        for p in original.params.params:
            ann = p.annotation.annotation if p.annotation else None
            resolved = self.names.resolve(ann) if ann is not None else None
            if resolved == "Context":
                ctx = p
            elif resolved == "CallbackParam":
                param = p
            else:
                untyped.append(p)
        if not untyped and ctx is None and param is None:
            return updated
        value = untyped.pop() if untyped else None
        if untyped and ctx is None:
            ctx = untyped.pop(0)
        if untyped and param is None:
            param = untyped.pop(0)
        by_name = {p.name.value: p for p in updated.params.params}

        def pick(p, fallback):
            return by_name[p.name.value] if p is not None else cst.Param(cst.Name(fallback))

        taken = {p.name.value for p in original.params.params}
        new_params = [
            pick(ctx, "ctx" if "ctx" not in taken else "_ctx"),
            pick(param, "param" if "param" not in taken else "_param"),
            pick(value, "value" if "value" not in taken else "_value"),
        ]
        return updated.with_changes(params=updated.params.with_changes(params=new_params))

    # -- module-level statements ------------------------------------------------------------------

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        assigned = _assign(original)
        if not assigned:
            return updated
        var, value = assigned
        app = self.a.apps.get(var)
        if app is not None and value is app.call:
            return self._app_statement(app, updated)
        if var in self.a.aliases and self.a.aliases[var] is value:
            self.notes.note(f"'{var}' (a shared Typer parameter) was inlined into each command that uses it")
            return cst.RemoveFromParent()
        return updated

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        """``return typer.Typer(...)`` in an app factory: the factory now returns the group."""
        value = original.value
        if not (isinstance(value, cst.Call) and self.names.resolve(value.func) == "Typer"):
            return updated
        todos, notes = [], []
        parts = appkw.click_kwargs(appkw.kwargs(value), appkw.GROUP_KW, self.code, todos, notes, top_level=True)
        for t in todos:
            self.todo(t)
        for n in notes:
            self.notes.note(n)
        return updated.with_changes(value=expr(f"TyperGroup({', '.join(parts)})"))

    def leave_Annotation(self, original: cst.Annotation, updated: cst.Annotation) -> cst.Annotation:
        if self.names.resolve(original.annotation) == "Typer":
            return updated.with_changes(annotation=cst.Name("TyperGroup"))
        return updated

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):
        """Shared parameters imported from another module are inlined here: import what they need instead."""
        if isinstance(original.names, cst.ImportStar) or not self.a.imported_aliases:
            return updated
        local = lambda alias: (alias.asname.name if alias.asname else alias.name).value  # noqa: E731
        dropped = [a for a in original.names if isinstance(a.name, cst.Name) and local(a) in self.a.imported_aliases]
        if not dropped:
            return updated
        kept = [a for a in original.names if a not in dropped]
        bound = self.a.bound_names
        for alias in dropped:
            for need in self.a.imported_aliases[local(alias)].needs:
                if need not in bound and need not in {local(a) for a in kept}:
                    kept.append(cst.ImportAlias(cst.Name(need)))
        if not kept:
            return cst.RemoveFromParent()
        kept = [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in kept]
        return updated.with_changes(names=kept)

    def _app_statement(self, app: App, updated: cst.SimpleStatementLine):
        if app.factory:  # the factory returns the group
            return updated
        if not app.is_group:
            if not app.commands:
                return updated
            return cst.RemoveFromParent()
        if app.callback and app.group_at_callback(self.body):
            return cst.RemoveFromParent()
        todos, notes = [], []
        merged = appkw.merge(app.typer_kwargs(), appkw.kwargs(app.callback_call), app.child_kwargs)
        merged.pop("name", None)
        parts = appkw.click_kwargs(merged, appkw.GROUP_KW, self.code, todos, notes, top_level=not app.is_child)
        for t in todos:
            self.todo(t)
        for n in notes:
            self.notes.note(n)
        return cst.parse_statement(f"{app.var} = TyperGroup({', '.join(parts)})").with_changes(
            leading_lines=updated.leading_lines
        )


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _alias(var: str, function: str) -> cst.BaseStatement:
    """``app = main``: the name the rest of the program (and ``app()``) uses for the command."""
    return cst.parse_statement(f"{var} = {function}").with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])


def _statement(code: str, comment: str) -> cst.BaseStatement:
    lines = [cst.EmptyLine(), cst.EmptyLine(), cst.EmptyLine(comment=cst.Comment(f"# {comment}"))]
    return cst.parse_statement(code).with_changes(leading_lines=lines)
