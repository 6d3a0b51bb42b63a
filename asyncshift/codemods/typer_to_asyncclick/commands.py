"""Commands and groups: ``@app.command()``, ``@app.callback()`` and ``typer.run(main)`` functions as Click's.

The function keeps its name and body and becomes ``async def``; its parameters become Click options
and arguments (``params``); the app's settings go on the ``@click.command``/``@click.group`` line.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick import apps as appkw
from codemods.typer_to_asyncclick import snippets
from codemods.typer_to_asyncclick.analysis import App
from codemods.typer_to_asyncclick.conversion import Conversion
from codemods.typer_to_asyncclick.names import dotted
from codemods.typer_to_asyncclick.params import _is_ellipsis, _typer_call, convert, quote


def role_of(tr: Conversion, node: cst.FunctionDef) -> tuple[str, App | None, cst.Decorator | None]:
    """What Typer makes of a function: command, callback, run, registered, param_callback or "" (nothing)."""
    if node.name.value in tr.a.overridden:
        return "overridden", None, None
    for decorator in node.decorators:
        d = decorator.decorator
        target = d.func if isinstance(d, cst.Call) else d
        if isinstance(target, cst.Attribute) and target.attr.value in ("command", "callback"):
            receiver = dotted(target.value) or ""
            app = tr.a.apps.get(receiver)
            if app is None and receiver not in tr.names.modules and receiver.isidentifier():
                return target.attr.value, None, decorator
            if app is not None:
                return target.attr.value, app, decorator
    if node.name.value in tr.a.callback_functions:
        return "callback", tr.a.callback_functions[node.name.value], None
    if node.name.value in tr.a.run_targets:
        return "run", None, None
    if node.name.value in tr.a.registered and not node.decorators:
        return "registered", None, None
    if node.name.value in tr.a.param_callbacks:
        return "param_callback", None, None
    return "", None, None


def python_defaults(tr: Conversion, originals, converted, keyword_only=False) -> dict[int, cst.Param]:
    """``x: Annotated[str, typer.Option()] = "a"`` keeps ``= "a"``: Click passes every value, but a direct call of
    the function (``await cmd.callback(repo_id=...)`` in a test) relies on the others' Python defaults."""
    kept = {}
    for param, c in zip(originals, converted, strict=True):
        default = param.default
        if c.is_context or default is None or _is_ellipsis(default) or _typer_call(default, tr.env) is not None:
            continue
        kept[id(c)] = c.param.with_changes(default=default, equal=param.equal)
        name = c.param.name.value
        if isinstance(default, cst.Name) and default.value == "None":  # a direct call's None is no tuple
            swap = {f"list({name})": f"list({name} or ())", f" in {name}]": f" in {name} or ()]"}
            c.prelude[:] = [_swapped(line, swap) for line in c.prelude]
    return kept


def _swapped(line: str, swap: dict[str, str]) -> str:
    for old, new in swap.items():
        line = line.replace(old, new)
    return line


def _trailing_defaults(params: list[cst.Param]) -> list[cst.Param]:
    """No parameter without a default after one with a default: only the trailing run keeps theirs."""
    out, trailing = [], True
    for param in reversed(params):
        trailing = trailing and param.default is not None
        out.append(param if trailing else param.with_changes(default=None, equal=cst.MaybeSentinel.DEFAULT))
    return out[::-1]


def command(tr: Conversion, original, updated, role, app, decorator):
    """A command or group function: Click decorators, its parameters converted, ``async def``."""
    todos, notes = [], []
    converted = [convert(p, tr.env) for p in original.params.params]
    kwonly = [convert(p, tr.env) for p in original.params.kwonly_params]
    for c in converted + kwonly:
        todos.extend(c.todos)
        notes.extend(c.notes)
    head, extra = _head_decorator(tr, original, role, app, decorator, todos, notes)
    lines = [head]
    lines += [c.decorator for c in converted + kwonly if c.decorator]
    context = [c for c in converted + kwonly if c.is_context]
    if context:
        lines.append("click.pass_context")
    ordered = context + [c for c in converted if not c.is_context]
    defaults = python_defaults(tr, original.params.params, converted)
    kept_kwonly = python_defaults(tr, original.params.kwonly_params, kwonly, keyword_only=True)
    params = updated.params.with_changes(
        params=_trailing_defaults([defaults.get(id(c), c.param) for c in ordered]),
        kwonly_params=[kept_kwonly.get(id(c), c.param) for c in kwonly if not c.is_context],
    )
    decorators = [cst.Decorator(snippets.expression(line)) for line in lines]
    kept = [d for d in updated.decorators if d is not _matching(updated.decorators, original.decorators, decorator)]
    body = _with_prelude(updated.body, [line for c in converted + kwonly for line in c.prelude])
    new = updated.with_changes(
        decorators=decorators + kept,
        params=params,
        asynchronous=cst.Asynchronous(),
        body=body,
    )
    for t in todos:
        tr.todo(t)
    for n in notes:
        tr.notes.note(n)
    head_call = decorators[0].decorator
    if not tr.func_stack and not any(a.keyword and a.keyword.value == "help" for a in getattr(head_call, "args", ())):
        tr.docs_follow.setdefault(original.name.value, []).insert(0, original.name.value)
    if extra:
        return cst.FlattenSentinel([new, *extra])
    return new


def doc_followers(tr: Conversion, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
    """``main.__doc__ = main.__doc__.format(version=...)`` after a command's definition: Typer reads the docstring
    when it builds the command (at run), Click when it decorates: what took it as help (the command, a group
    given this callback) takes the new one too. None for any other statement."""
    small = original.body[0] if len(original.body) == 1 else None
    if tr.func_stack or not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if not (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)) or target.attr.value != "__doc__":
        return None
    function = target.value.value
    followers = [snippets.statement(f"{name}.help = {function}.__doc__") for name in tr.docs_follow.get(function, ())]
    return cst.FlattenSentinel([updated, *followers]) if followers else None


def _matching(updated_decorators, original_decorators, decorator):
    """The updated twin of the original decorator (the one Typer's decorator line is rebuilt from)."""
    if decorator is None:
        return None
    for u, o in zip(updated_decorators, original_decorators, strict=False):
        if o is decorator:
            return u
    return None


def _head_decorator(tr: Conversion, original, role, app, decorator, todos, notes):
    """The ``@click.command``/``@click.group`` line, and statements to add after the function."""
    fname = original.name.value
    call = decorator.decorator if decorator and isinstance(decorator.decorator, cst.Call) else None
    own = appkw.kwargs(call)
    extra: list[cst.BaseStatement] = []
    if role == "run":
        return "click.command(cls=TyperCommand, add_completion=False)", extra
    if role == "registered":  # app.command(...)(f) elsewhere adds it under its name
        registration = tr.a.registered[fname][0]
        parts = [f"{k}={v}" for k, v in registration.kwargs.items() if k in appkw.COMMAND_KW]
        return f"click.command({', '.join(['cls=TyperCommand', *parts])})", extra
    if role == "command" and (app is None or app.is_group):
        receiver = tr.code(decorator.decorator.func.value if call else decorator.decorator.value)
        name = appkw.first_positional(call) or own.get("name")
        parts = (
            [tr.code(name)]
            if name is not None
            else ([quote(appkw.typer_command_name(fname))] if appkw.needs_explicit_name(fname) else [])
        )
        own.pop("name", None)
        parts += appkw.click_kwargs(own, appkw.COMMAND_KW, tr.code, todos, notes, top_level=False)
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
        parts = appkw.click_kwargs(merged, appkw.COMMAND_KW, tr.code, todos, notes, top_level=not app.is_child)
        if app.merged:  # its parent lists it under its own name
            if name is not None:
                parts.insert(0, tr.code(name))
            elif appkw.needs_explicit_name(fname):
                parts.insert(0, quote(appkw.typer_command_name(fname)))
        if fname != app.var:
            extra.append(_alias(app.var, fname))
        named = app.merged and parts and "=" not in parts[0]
        head = (
            [parts[0], *appkw.with_class(parts[1:], "TyperCommand")]
            if named
            else appkw.with_class(parts, "TyperCommand")
        )
        return f"click.command({', '.join(head)})", extra
    # callback: the group is defined here
    if not app.group_at_callback(tr.body):
        # The group already exists (it is used above): give it this callback and its options.
        merged = appkw.merge(app.typer_kwargs(), own, app.child_kwargs)
        transplant = f"{app.var}.callback, {app.var}.params = {fname}.callback, {fname}.params"
        extra.append(_statement(transplant, f"'{app.var}' is created above; this gives it its callback and options"))
        for key, value in own.items():  # what @app.callback(...) sets on the group
            if key in appkw.GROUP_KW and key not in app.child_kwargs:  # add_typer(...) wins
                extra.append(snippets.statement(f"{app.var}.{key} = {tr.code(value)}"))
        if "help" not in merged and "help" not in app.factory_keys:
            extra.append(snippets.statement(f"{app.var}.help = {fname}.help"))
            tr.docs_follow.setdefault(fname, []).append(app.var)
        return "click.command()", extra
    merged = appkw.merge(app.typer_kwargs(), own, app.child_kwargs)
    merged.pop("name", None)
    merged.pop("callback", None)  # Typer(callback=) and add_typer(callback=): this function, or overridden by it
    parts = appkw.click_kwargs(merged, appkw.GROUP_KW, tr.code, todos, notes, top_level=not app.is_child)
    if fname != app.var:
        extra.append(_alias(app.var, fname))
    return f"click.group({', '.join(appkw.with_class(parts, 'TyperGroup'))})", extra


def _with_prelude(body: cst.BaseSuite, lines: list[str]) -> cst.BaseSuite:
    if not lines or not isinstance(body, cst.IndentedBlock):
        return body
    statements = list(body.body)
    at = 1 if statements and _is_docstring(statements[0]) else 0
    new = [snippets.statement(line) for line in lines]
    return body.with_changes(body=[*statements[:at], *new, *statements[at:]])


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def _alias(var: str, function: str) -> cst.BaseStatement:
    """``app = main``: the name the rest of the program (and ``app()``) uses for the command."""
    return snippets.statement(f"{var} = {function}").with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()])


def _statement(code: str, comment: str) -> cst.BaseStatement:
    lines = [cst.EmptyLine(), cst.EmptyLine(), cst.EmptyLine(comment=cst.Comment(f"# {comment}"))]
    return snippets.statement(code).with_changes(leading_lines=lines)


def imported_group(tr: Conversion, decorator: cst.Decorator | None) -> App | None:
    """The group ``@app.callback()`` names when ``app`` is a group another module of the run defines: it
    exists already (made there), so this callback and its options are given to it, as to a group used
    before its callback (``App.factory``: none of its ``Typer(...)`` keywords are read here)."""
    project = tr.a.project
    target = decorator.decorator.func if decorator and isinstance(decorator.decorator, cst.Call) else None
    receiver = dotted(target.value) if isinstance(target, cst.Attribute) else None
    if project is None or receiver is None:
        return None
    fact = project.app(project.resolve(tr.a.module_name, receiver))
    if fact is None or not fact.is_group:
        return None
    return App(receiver, cst.Call(cst.Name("Typer")), -1, factory=True)
