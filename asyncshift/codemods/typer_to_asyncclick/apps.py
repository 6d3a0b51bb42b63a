"""``typer.Typer(...)``, ``@app.command(...)``, ``@app.callback(...)`` arguments to Click's.

Typer merges an app's settings from three places (``add_typer`` > ``@callback`` > ``Typer()``);
Click takes them once, where the group is defined, so they are merged here.
"""

from __future__ import annotations

import libcst as cst

GROUP_KW = (
    "help epilog short_help options_metavar add_help_option no_args_is_help invoke_without_command "
    "hidden deprecated context_settings chain result_callback subcommand_metavar"
).split()
COMMAND_KW = (
    "help epilog short_help options_metavar add_help_option no_args_is_help hidden deprecated context_settings".split()
)
SILENT = {
    "pretty_exceptions_enable",
    "pretty_exceptions_show_locals",
    "pretty_exceptions_short",
    "suggest_commands",
    "name",
}
CLICK_SUFFIXES = ("command", "cmd", "group", "grp")
COMPLETION_NOTE = (
    "shell completion keeps Typer's protocol (_PROG_COMPLETE=complete_bash...): "
    "completion scripts installed with the Typer version keep working"
)


def kwargs(call: cst.Call | None) -> dict[str, cst.BaseExpression]:
    if call is None:
        return {}
    return {a.keyword.value: a.value for a in call.args if a.keyword}


def first_positional(call: cst.Call | None) -> cst.BaseExpression | None:
    if call and call.args and not call.args[0].keyword:
        return call.args[0].value
    return None


def typer_command_name(function: str) -> str:
    return function.lower().replace("_", "-")


def needs_explicit_name(function: str) -> bool:
    """Click strips ``_command``/``_cmd``/``_group``/``_grp`` from a derived name; Typer does not."""
    left, sep, suffix = typer_command_name(function).rpartition("-")
    return bool(sep) and suffix in CLICK_SUFFIXES


def merge(*layers: dict[str, cst.BaseExpression]) -> dict[str, cst.BaseExpression]:
    """Later layers win."""
    merged: dict[str, cst.BaseExpression] = {}
    for layer in layers:
        merged.update(layer)
    return merged


def click_kwargs(
    merged: dict[str, cst.BaseExpression],
    allowed: list[str],
    code,
    todos: list[str],
    notes: list[str],
    *,
    top_level: bool,
) -> list[str]:
    """Click's keyword arguments for a command or group.

    ``TyperCommand`` shows defaults and completion options itself.
    """
    parts = []
    for key, value in merged.items():
        if key in allowed or (key == "add_completion" and top_level):
            parts.append(f"{key}={code(value)}")
        elif key == "cls":  # a TyperGroup/TyperCommand subclass: its module is converted too
            parts.append(f"cls={code(value)}")
        elif key in ("rich_markup_mode", "rich_help_panel"):
            parts.append(f"{key}={code(value)}")
            notes.append(
                f"{key} kept: help is rendered with rich as Typer does when rich is installed "
                "(_asyncclick_help.py), plain otherwise"
            )
        elif key == "add_completion" or key in SILENT:
            continue
        else:
            todos.append(f"Typer's {key}= has no direct AsyncClick equivalent; port it by hand")
    if top_level and _completion_on(merged):
        notes.append(COMPLETION_NOTE)
    return parts


def with_class(parts: list[str], default: str) -> list[str]:
    """``parts`` with ``cls=`` first: the program's own class (from ``cls=``) or ``default``."""
    own = [p for p in parts if p.startswith("cls=")]
    return [own[0] if own else f"cls={default}", *(p for p in parts if not p.startswith("cls="))]


def constructor(parts: list[str], default: str) -> str:
    """``Class(kwargs)`` for a group made by a call: the ``cls=`` class, or ``default``."""
    head, *rest = with_class(parts, default)
    return f"{head.removeprefix('cls=')}({', '.join(rest)})"


def _completion_on(merged: dict[str, cst.BaseExpression]) -> bool:
    value = merged.get("add_completion")
    return not (isinstance(value, cst.Name) and value.value == "False")
