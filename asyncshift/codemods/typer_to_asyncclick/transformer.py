"""The single pass that rewrites a Typer module: apps, commands, parameters, helpers, tests.

Reads the module's shape from ``analysis`` first; then each node is rewritten once on the way up.
What it cannot convert gets ``# TODO(asyncshift): ...`` above its statement.
"""

from __future__ import annotations

import functools
import re

import libcst as cst

from codemods.base import attach_todos
from codemods.cst_walk import can_rewrite, rewrite_children
from codemods.typer_to_asyncclick import apps as appkw
from codemods.typer_to_asyncclick import (
    commands,
    param_callbacks,
    pins,
    references,
    registration,
    requirements,
    rich_settings,
    shared,
    snippets,
    subclasses,
    sync_click,
    testing,
)
from codemods.typer_to_asyncclick.analysis import App, assignment, local_apps
from codemods.typer_to_asyncclick.conversion import Conversion
from codemods.typer_to_asyncclick.names import dotted


class TyperToAsyncClick(Conversion, cst.CSTTransformer):
    """The walk: each node handed to the rule for it; TODOs attached above the statement they belong to."""

    # -- no rule is per attribute ------------------------------------------------------------------

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        """libcst looks up ``visit_<Node>_<attribute>`` for every child it visits (a tenth of the walk);
        the lookup runs only if this class has such a method."""
        if _has_attribute_hooks(type(self)):
            super().on_visit_attribute(node, attribute)

    def on_leave_attribute(self, original_node: cst.CSTNode, attribute: str) -> None:
        if _has_attribute_hooks(type(self)):
            super().on_leave_attribute(original_node, attribute)

    # -- statements collect TODOs ----------------------------------------------------------------

    # -- the walk itself: libcst calls on_visit for the root, ``cst_walk.rewrite`` does the rest ---------

    rewriting = False  # True while ``cst_walk.rewrite_children`` walks this visit's root

    def on_visit(self, node: cst.CSTNode) -> bool:
        kind = type(node)
        if _is_statement(kind):
            self.todo_stack.append([])
        visit = _hook(type(self), "visit", kind)  # libcst's on_visit, without its empty hooks
        visit_children = visit is None or visit(self, node) is not False
        if visit_children and not self.rewriting and can_rewrite(type(self)):
            # The same hooks in the same order as libcst's walk, which rebuilds every node it passes.
            self.rewriting = True
            try:
                self.rewritten = (node, rewrite_children(node, self))
            finally:
                self.rewriting = False
            return False  # libcst goes on to on_leave(node, node)
        return visit_children

    def on_leave(self, original, updated):
        rewritten = getattr(self, "rewritten", None)
        if rewritten is not None and rewritten[0] is original:
            updated, self.rewritten = rewritten[1], None
        kind = type(original)
        leave = _hook(type(self), "leave", kind)  # libcst's on_leave, without its empty hooks
        result = updated if leave is None else leave(self, original, updated)
        if _is_statement(kind):
            todos = self.todo_stack.pop()
            return attach_todos(result, todos)
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

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        which = subclasses.kind(self, original)
        return subclasses.port(updated, which) if which else updated

    # -- references: typer.X and names imported from typer ----------------------------------------

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if isinstance(updated.value, cst.Await) and not updated.value.lpar:  # (await runner.invoke(...)).output
            awaited = updated.value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
            updated = updated.with_changes(value=awaited)
        return references.reference(self, original, updated)

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if id(original) in self.protected or original.value not in self.names.members:
            return updated
        if self.names.members[original.value].startswith("testing."):
            return updated  # its import becomes asyncclick.testing
        return references.reference(self, original, updated)

    # -- calls ------------------------------------------------------------------------------------

    def _need_async(self, what: str, todo: bool = True) -> bool:
        """Whether ``what`` can be awaited here; a test function is made async for it, anything else gets a TODO
        (unless ``todo`` is False: the caller has a sync way)."""
        if not self.func_stack:
            if todo:
                self.todo(f"{what} must be awaited inside an async function")
            return False
        frame = self.func_stack[-1]
        if frame["async"]:
            return True
        if frame["name"].startswith("test") or frame["fixture"]:  # a fixture: pytest-asyncio's
            frame["async"] = frame["made_async"] = True
            return True
        if todo:
            self.todo(f"{what} must be awaited: make '{frame['name']}' async and await it")
        return False

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        resolved = self.names.resolve(original.func)
        if resolved == "testing.CliRunner" and _typer_below(self, (0, 26)):  # its Result as on Click < 8.2
            return updated.with_changes(func=cst.Name("TyperCliRunner"))
        if resolved == "prompt":
            return references.prompt(self, updated, self._need_async("click.prompt (async)", todo=False))
        if resolved == "testing.invoker":  # another module's fixture value: runs CliRunner.invoke, async now
            what = f"{self.code(original.func)} (async now: it runs CliRunner.invoke)"
            return cst.Await(updated) if self._need_async(what) else updated
        if resolved == "run" and original.args:
            self.notes.note("typer.run(main) became main(): main is now a Click command")
            return cst.Call(func=updated.args[0].value)
        if resolved == "main.get_command" and original.args:
            return updated.args[0].value
        if resolved in ("Option", "Argument") and not self.func_stack:
            return updated
        if resolved in ("Option", "Argument") and self.func_stack[-1]["name"] in self.a.factories:
            kind = cst.Arg(cst.SimpleString(f'"{resolved}"'))  # built at run time: the helper's TyperParam
            return updated.with_changes(func=cst.Name("TyperParam"), args=[kind, *updated.args])
        func = original.func
        if isinstance(func, cst.Attribute) and func.attr.value == "add_typer":
            return registration.add_typer(self, original, updated)
        registered = registration.command_registration(self, original, updated)
        if registered is not None:
            return registered
        if isinstance(func, cst.Attribute) and func.attr.value == "invoke" and self._is_runner(func.value):
            return cst.Await(updated) if self._need_async("CliRunner.invoke (async in AsyncClick)") else updated
        helpers, fixtures = testing.invoking(self, self._is_runner)
        if testing.called(original, helpers) or testing.called(original, fixtures, methods=False):
            what = f"{self.code(func)} (async now: it runs CliRunner.invoke)"
            return cst.Await(updated) if self._need_async(what) else updated
        takes_context = testing.command_function(self, original)
        if takes_context is not None:
            call = testing.direct_call(self, original, updated, takes_context)
            return cst.Await(call) if self._need_async("a command's function (async now)") else call
        return testing.patch_target(self, updated)

    def _is_runner(self, node: cst.BaseExpression) -> bool:
        """``runner``/``self.runner`` bound to ``CliRunner()``, or a fixture named like one where the module
        uses Typer's CliRunner (``def test_x(runner)``, ``self.cli_runner``)."""
        if isinstance(node, cst.Call):
            return self.names.resolve(node.func) == "testing.CliRunner"
        name = dotted(node)
        if name is None:
            return False
        if name in self.a.runners:
            return True
        uses_runner = any(v == "testing.CliRunner" for v in self.names.members.values()) or any(
            v == "typer.testing" for v in self.names.modules.values()
        )
        return uses_runner and "runner" in name.rpartition(".")[2].lower()

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if isinstance(original.value, cst.Call) and self.names.resolve(original.value.func) == "testing.CliRunner":
            for target in original.targets:
                if dotted(target.target):
                    self.a.runners.add(dotted(target.target))
        return updated

    # -- functions --------------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.protected.add(id(node.name))
        role = commands.role_of(self, node)[0]
        is_async = node.asynchronous is not None or role in ("command", "callback", "run", "registered")
        helper = not is_async and not role and node.name.value in testing.invoking(self, self._is_runner)[0]
        frame = {"name": node.name.value, "async": is_async or helper, "made_async": helper}
        frame["fixture"] = not frame["async"] and testing.fixture_scope(node)  # its scope: truthy
        apps, body = local_apps(node, self.names)
        if apps:  # its own apps, for the statements inside it
            frame["outer"] = (self.a.apps, self.body)
            self.a.apps, self.body = {**self.a.apps, **apps}, body
        self.func_stack.append(frame)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef):
        frame = self.func_stack.pop()
        if "outer" in frame:
            self.a.apps, self.body = frame["outer"]
        role, app, decorator = commands.role_of(self, original)
        if frame["made_async"]:
            updated = updated.with_changes(asynchronous=cst.Asynchronous())
            if frame["fixture"]:
                updated, self.async_fixtures = testing.async_fixture(updated, frame["fixture"]), True
                if frame["fixture"] != "function":  # loop_scope=
                    self.notes.requirements.add(requirements.PYTEST_ASYNCIO_LOOP_SCOPE)
            elif frame["name"].startswith("test"):
                updated, self.marked = testing.mark_async(updated), True
        if role == "overridden":  # add_typer(callback=...) replaces it, as in Typer: no longer registered
            self.notes.note(f"'{original.name.value}' is not the group's callback: add_typer(callback=...) replaces it")
            return updated.with_changes(decorators=[d for d in updated.decorators if not _is_callback(d.decorator)])
        if role == "param_callback":
            return param_callbacks.click_signature(self.names, original, updated)
        if not role:
            return updated
        if role == "callback" and app is None:
            app = commands.imported_group(self, decorator)
        if role == "callback" and app is None:
            self.todo("this callback belongs to an app defined elsewhere: define the group with @click.group here")
            return updated
        return commands.command(self, original, updated, role, app, decorator)

    # -- module-level statements ------------------------------------------------------------------

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        return rich_settings.import_os(updated) if self.needs_os else updated

    def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
        body = [_context_exit(small) for small in updated.body]
        if any(new is not old for new, old in zip(body, updated.body, strict=True)):
            updated = updated.with_changes(body=body)
        if len(original.body) == 1:  # rich_utils.MAX_WIDTH = 3000: the variable the help shim reads
            line = rich_settings.setting(self.names, original.body[0], self.code)
            if line is not None:
                self.todo_stack[-1][:] = [t for t in self.todo_stack[-1] if "rich_utils" not in t]
                self.needs_os = True
                return line.with_changes(leading_lines=updated.leading_lines)
        assigned = assignment(original)
        if not assigned:
            followed = commands.doc_followers(self, original, updated)  # main.__doc__ = ...: the help too
            return followed if followed is not None else registration.single(self, original, updated)
        var, value = assigned
        app = self.a.apps.get(var)
        if app is not None and value is app.call:
            return self._app_statement(app, updated)
        if var in self.a.aliases and self.a.aliases[var] is value:
            new = shared.definition(self, var, value)
            if new is None:
                return updated
            self.notes.note(
                f"'{var}' (a shared Typer parameter) is written out on each command that uses it, "
                "and stays defined here as a Click decorator with the same option names"
            )
            return updated.with_changes(body=[updated.body[0].with_changes(value=new)])
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
        return updated.with_changes(value=snippets.expression(appkw.constructor(parts, "TyperGroup")))

    def leave_Annotation(self, original: cst.Annotation, updated: cst.Annotation) -> cst.Annotation:
        if self.names.resolve(original.annotation) == "Typer":
            return updated.with_changes(annotation=cst.Name("TyperGroup"))
        return updated

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):
        """Shared parameters imported from another module are inlined here: import what they need instead;
        a function's own ``from typer.testing import CliRunner`` imports asyncclick's; typer imported from a
        module of the run is no longer there: the ``click`` import takes its place."""
        if self.func_stack and dotted(original.module or cst.Name("_")) in ("typer.testing", "click.testing"):
            return updated.with_changes(module=snippets.expression("asyncclick.testing"))
        if not original.relative and (dotted(original.module or cst.Name("_")) or "").split(".")[0] == "click":
            return sync_click.imported(original, updated, pins.versions(self.notes.source))
        gone = {**self.a.imported_aliases, **dict.fromkeys(self.a.typer_imported)}
        if isinstance(original.names, cst.ImportStar) or not gone:
            return updated
        local = lambda alias: (alias.asname.name if alias.asname else alias.name).value  # noqa: E731
        written = [a for a in original.names if isinstance(a.name, cst.Name) and local(a) in gone]
        if not written:
            return updated
        # an alias still read (``default=RepoTypeOpt.model``, through ``Annotated``) keeps its import
        dropped = [a for a in written if local(a) not in self.a.aliases_read]
        kept = [a for a in original.names if a not in dropped]
        bound = self.a.bound_names
        for alias in written:
            for need in gone[local(alias)].needs if gone[local(alias)] is not None else ():
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
            if not app.commands and app.single_registration(self.body) is None:
                return updated
            return cst.RemoveFromParent()
        if app.callback and app.group_at_callback(self.body):
            return cst.RemoveFromParent()
        todos, notes = [], []
        merged = appkw.merge(app.typer_kwargs(), appkw.kwargs(app.callback_call), app.child_kwargs)
        merged.pop("name", None)
        if app.callback:  # Typer(callback=f) loses to @app.callback() and to add_typer(callback=g)
            merged.pop("callback", None)
        parts = appkw.click_kwargs(merged, appkw.GROUP_KW, self.code, todos, notes, top_level=not app.is_child)
        for t in todos:
            self.todo(t)
        for n in notes:
            self.notes.note(n)
        return snippets.statement(f"{app.var} = {appkw.constructor(parts, 'TyperGroup')}").with_changes(
            leading_lines=updated.leading_lines
        )


@functools.cache
def _is_statement(kind: type) -> bool:
    """A statement that TODOs attach above (by type, once: isinstance on libcst's abstract classes is slow)."""
    return issubclass(kind, (cst.SimpleStatementLine, cst.BaseCompoundStatement))


@functools.cache
def _hook(kind: type, prefix: str, node: type):
    """``kind``'s ``visit_<Node>`` or ``leave_<Node>`` function for nodes of type ``node``, as libcst's
    ``on_visit``/``on_leave`` find it; None where the one found is libcst's own, which does nothing (a
    visit that returns None, a leave that returns the updated node)."""
    name = f"{prefix}_{node.__name__}"
    for owner in kind.__mro__:
        if name in vars(owner):
            return None if owner.__module__.startswith("libcst") else vars(owner)[name]
    return None


@functools.cache
def _has_attribute_hooks(kind: type) -> bool:
    """Whether ``kind`` defines a ``visit_<Node>_<attribute>`` or ``leave_<Node>_<attribute>`` method
    (libcst's own classes define every one of them, each doing nothing)."""
    ours = [c for c in kind.__mro__ if not c.__module__.startswith("libcst")]
    return any(re.fullmatch(r"(visit|leave)_[A-Z][A-Za-z]*_\w+", name) for c in ours for name in vars(c))


def _context_exit(small: cst.BaseSmallStatement) -> cst.BaseSmallStatement:
    """``ctx.exit(2)`` -> ``raise click.exceptions.Exit(2)``: asyncclick's Context has only ``await ctx.aexit()``,
    and a raise works in sync helpers too (the context is closed as the exception leaves it)."""
    if not (isinstance(small, cst.Expr) and isinstance(small.value, cst.Call)):
        return small
    func = small.value.func
    receiver = dotted(func.value) if isinstance(func, cst.Attribute) else None
    if receiver is None or func.attr.value != "exit" or "ctx" not in receiver.rpartition(".")[2].lower():
        return small
    return cst.Raise(exc=small.value.with_changes(func=snippets.expression("click.exceptions.Exit")))


def _is_callback(decorator: cst.BaseExpression) -> bool:
    target = decorator.func if isinstance(decorator, cst.Call) else decorator
    return isinstance(target, cst.Attribute) and target.attr.value == "callback"


def _typer_below(tr: TyperToAsyncClick, version: tuple[int, ...]) -> bool:
    """Whether the program pins a Typer older than ``version`` (no pin: the newest)."""
    typer_version = pins.versions(tr.notes.source).typer
    return typer_version is not None and typer_version < version
