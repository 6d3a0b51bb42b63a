"""A shared parameter (``user_option = typer.Option(None, "--user")`` at module level) kept under its name.

Commands that use it, here or in other modules, get its options written out on their own
``@click.option`` line (``params``); the name itself stays bound, as a Click decorator with the same
option names, so every ``from .options import user_option`` still imports and hand-written commands
can still use it (``@user_option``). An ``Annotated[T, typer.Option(...)]`` alias stays an
``Annotated`` alias, the decorator as its metadata.
"""

from __future__ import annotations

import libcst as cst

from codemods.typer_to_asyncclick import snippets
from codemods.typer_to_asyncclick.conversion import Conversion
from codemods.typer_to_asyncclick.params import _literal, click_name, convert

_SUFFIXES = ("_option", "_opt", "_argument", "_arg", "_param", "Option", "Argument")


def definition(tr: Conversion, var: str, value: cst.BaseExpression) -> cst.BaseExpression | None:
    """The Click value for ``var = <value>``, or None (with a TODO) when it cannot be written."""
    annotated = isinstance(value, cst.Subscript)
    call = _typer_call(tr, value)
    if call is None:
        tr.todo(f"'{var}' mixes Typer parameters into an expression: port it by hand")
        return None
    kind = tr.names.resolve(call.func)
    decls = [_literal(tr.module.code_for_node(a.value)) for a in call.args if not a.keyword]
    decls = [d for d in decls if isinstance(d, str) and d.startswith("-")]
    name = click_name(decls) if kind == "Option" and decls else _stem(var)
    if kind == "Option" and not decls:
        said = (
            f"'{var}' takes its option name from each parameter that uses it (Typer); as a Click decorator "
            f"it is '--{name.replace('_', '-')}'"
        )
        # an Annotated alias is no decorator: each parameter annotated with it has its own option written out
        if annotated:
            tr.notes.note(said)
        else:
            tr.todo(said)
    param = cst.Param(cst.Name(name), annotation=cst.Annotation(value)) if annotated else cst.Param(cst.Name(name))
    if not annotated:
        param = param.with_changes(default=value, equal=cst.AssignEqual())
    converted = convert(param, tr.env)
    for todo in converted.todos:
        tr.todo(todo)
    if converted.decorator is None:
        return None
    decorator = snippets.expression(converted.decorator)
    if not annotated:
        return decorator
    inner = converted.param.annotation.annotation if converted.param.annotation else cst.Name("object")
    # the default is each parameter's (``flag: JsonOption = False``): none is required for the alias
    args = [a for a in decorator.args if not (a.keyword and a.keyword.value == "required")]
    decorator = decorator.with_changes(args=[*args[:-1], args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)])
    return value.with_changes(
        slice=[cst.SubscriptElement(cst.Index(inner)), cst.SubscriptElement(cst.Index(decorator))]
    )


def _typer_call(tr: Conversion, value: cst.BaseExpression) -> cst.Call | None:
    if isinstance(value, cst.Call) and tr.names.resolve(value.func) in ("Option", "Argument"):
        return value
    if isinstance(value, cst.Subscript) and tr.names.typing_name(value.value) == "Annotated":
        for element in value.slice[1:]:
            inner = element.slice.value if isinstance(element.slice, cst.Index) else None
            if isinstance(inner, cst.Call) and tr.names.resolve(inner.func) in ("Option", "Argument"):
                return inner
    return None


def _stem(var: str) -> str:
    for suffix in _SUFFIXES:
        if var.endswith(suffix) and len(var) > len(suffix):
            return var[: -len(suffix)].lower()
    return var.lower()
