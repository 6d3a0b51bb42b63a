"""Sub-apps and commands registered by call: ``app.add_typer(sub)`` and ``app.command("name")(function)``.

Both become ``add_command`` on the group, under the name Typer would give; what the app or function
is comes from this module's analysis or, across files, from the run's first pass (``project``).
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick import apps as appkw
from codemods.typer_to_asyncclick import snippets
from codemods.typer_to_asyncclick.conversion import Conversion
from codemods.typer_to_asyncclick.names import dotted
from codemods.typer_to_asyncclick.params import quote

OVERRIDES = ("help", "short_help", "epilog", "hidden", "deprecated", "no_args_is_help", "rich_help_panel")


def add_typer(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
    """``app.add_typer(sub, name=...)``: ``app.add_command(sub, name)``, or the sub-app's commands merged."""
    child_expr = original.args[0].value if original.args else None
    if child_expr is None:
        return updated
    kw = appkw.kwargs(original)
    child = tr.a.apps.get(dotted(child_expr) or "")
    fact = None if child is not None else app_fact(tr, child_expr)
    name = kw.get("name")
    if name is None and child is not None:
        name = appkw.kwargs(child.callback_call).get("name") or child.typer_kwargs().get("name")
    if name is None and fact is not None and fact.name:
        name = cst.SimpleString(quote(fact.name))
    receiver = tr.code(original.func.value)
    if name is None:
        is_group = child.is_group if child is not None else fact.is_group if fact is not None else None
        if is_group is None:
            tr.todo("add_typer without a name merges the sub-app's commands into this group: add them one by one")
            return updated
        if is_group:  # Typer merges the commands of a nameless sub-app into this group
            return snippets.expression(f"{receiver}.commands.update({tr.code(child_expr)}.commands)")
        return snippets.expression(f"{receiver}.add_command({tr.code(child_expr)})")
    extra = ""
    if child is None:  # a sub-app of another module: the shim's add_command sets what add_typer sets on it
        for key in kw:
            if key in OVERRIDES and tr.a.apps.get(receiver) is not None:
                extra += f", {key}={tr.code(kw[key])}"
            elif key != "name":
                tr.todo(f"add_typer's {key}= must be set on the sub-group itself")
    return snippets.expression(f"{receiver}.add_command({tr.code(child_expr)}, {tr.code(name)}{extra})")


def command_registration(tr: Conversion, original: cst.Call, updated: cst.Call) -> cst.BaseExpression | None:
    """``app.command("name")(function)``: the function is a Click command now (converted where it is defined)."""
    inner = original.func
    if not (
        isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute) and inner.func.attr.value == "command"
    ):
        return None
    if len(original.args) != 1 or original.args[0].keyword or tr.a.project is None:
        return None
    receiver = inner.func.value
    app = tr.a.apps.get(dotted(receiver) or "")
    if app is None and app_fact(tr, receiver) is None:
        return None
    target = dotted(original.args[0].value)
    ref = tr.a.project.resolve(tr.a.module_name, target) if target else None
    regs = tr.a.project.modules[ref[0]].registered.get(ref[1]) if ref else None
    if not regs and ref is None and target is not None and app is None:
        # a function handed in (a plugin's hook result): a command the run converted where it is made, or not
        tr.todo(f"'{target}' must be a Click command (one the run converted); a plain function is made one here")
        f, at = tr.code(original.args[0].value), tr.code(receiver)
        return snippets.expression(f"{at}.add_command({f}) if isinstance({f}, click.Command) else {at}.command()({f})")
    if not regs:
        tr.todo("the function registered here must become a Click command: decorate it with @click.command()")
        return updated
    if app is not None and not app.is_group:
        if app.single_registration(tr.body) is original:  # the statement becomes ``app = f``
            return updated
        tr.todo("a single command registered with app.command()(f): decorate f with @app.command() instead")
        return updated
    registration = next((r for r in regs if r is not None), None)
    call_name = appkw.first_positional(inner) or appkw.kwargs(inner).get("name")
    name = tr.code(call_name) if call_name is not None else quote(appkw.typer_command_name(ref[1]))
    if registration is not None and registration.opaque:
        tr.todo("app.command(...) arguments that are not literals: set them on the command where it is defined")
    return snippets.expression(f"{tr.code(receiver)}.add_command({tr.code(original.args[0].value)}, {name})")


def app_fact(tr: Conversion, node: cst.BaseExpression):
    """The run-wide facts about an app named by ``node`` (e.g. ``users.app`` from another module)."""
    project, name = tr.a.project, dotted(node)
    return project.app(project.resolve(tr.a.module_name, name)) if project is not None and name else None


def single(tr: Conversion, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
    """``app.command()(f)``, the lone command of an app made just for it: ``app = f`` (see
    ``App.single_registration``; the ``app = typer.Typer()`` line is dropped)."""
    small = original.body[0]
    call = small.value if isinstance(small, cst.Expr) and isinstance(small.value, cst.Call) else None
    inner = call.func if call is not None else None
    if not (isinstance(inner, cst.Call) and isinstance(inner.func, cst.Attribute)):
        return updated
    app = tr.a.apps.get(dotted(inner.func.value) or "")
    if app is None or app.single_registration(tr.body) is not call:
        return updated
    function = tr.code(call.args[0].value)
    return snippets.statement(f"{app.var} = {function}").with_changes(leading_lines=updated.leading_lines)
