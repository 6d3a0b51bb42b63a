"""Typer's rich help and error boxes for programs converted from Typer to AsyncClick by asyncshift.

Typer prints ``--help`` in panels (Arguments, Options, Commands, and any ``rich_help_panel``) and
errors in a red box when ``rich`` is installed; this code does the same for the converted program
(a port of Typer's ``rich_utils``). asyncshift writes it into the help helper's ``_rich_module``, which runs
it the first time rich help is printed (``rich`` importable, ``TYPER_USE_RICH`` not off); plain help otherwise.
"""

import inspect
import os
from collections import defaultdict

import asyncclick as click
from rich.align import Align
from rich.columns import Columns
from rich.console import Console, group
from rich.emoji import Emoji
from rich.highlighter import RegexHighlighter
from rich.markdown import Markdown
from rich.markup import escape
from rich.padding import Padding
from rich.panel import Panel
from rich.table import Table
from rich.text import Text
from rich.theme import Theme

DEPRECATED = "(deprecated) "


class OptionHighlighter(RegexHighlighter):
    highlights = [
        r"(^|\W)(?P<switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
        r"(?P<types>\<[^\>]+\>)",
        r"(?P<usage>Usage: )",
    ]


class NegativeOptionHighlighter(RegexHighlighter):
    highlights = [
        r"(^|\W)(?P<negative_switch>\-\w+)(?![a-zA-Z0-9])",
        r"(^|\W)(?P<negative_option>\-\-[\w\-]+)(?![a-zA-Z0-9])",
    ]


class TypesHighlighter(RegexHighlighter):
    highlights = [r"^(?P<types_sep>(\[|<))", r"(?P<types_sep>\|)", r"(?P<types_sep>(\]|>))(\.\.\.)?$"]


highlighter, negative_highlighter, types_highlighter = (
    OptionHighlighter(),
    NegativeOptionHighlighter(),
    TypesHighlighter(),
)


def console(stderr=False):
    """The console Typer prints with (same width and terminal detection: TERMINAL_WIDTH, FORCE_COLOR...)."""
    width = os.environ.get("TERMINAL_WIDTH")
    force = (
        True
        if os.environ.get("GITHUB_ACTIONS") or os.environ.get("FORCE_COLOR") or os.environ.get("PY_COLORS")
        else None
    )
    if os.environ.get("_TYPER_FORCE_DISABLE_TERMINAL"):
        force = False
    styles = {
        "option": "bold cyan",
        "switch": "bold green",
        "negative_option": "bold magenta",
        "negative_switch": "bold red",
    }
    styles.update({"types": "bold yellow", "types_sep": "dim", "usage": "yellow"})
    return Console(
        theme=Theme(styles),
        highlighter=highlighter,
        color_system="auto",
        force_terminal=force,
        width=int(width) if width else None,
        stderr=stderr,
    )


def _rich_text(text, markup_mode, style=""):
    text = inspect.cleandoc(text)
    if markup_mode == "markdown":
        return Markdown(Emoji.replace(text), style=style)
    if "\033[" in text:
        return highlighter(Text.from_ansi(text, style=style))
    if markup_mode in (None, "text"):  # Typer's default below 0.20.1: rich panels, the text as written
        return highlighter(Text(text, style=style))
    return highlighter(Text.from_markup(text, style=style))


@group()
def _help_text(command, markup_mode, header_gap=True):
    if command.deprecated:
        yield Text(DEPRECATED, style="red")
    first, *rest = inspect.cleandoc(command.help or "").partition("\f")[0].split("\n\n")
    if markup_mode != "markdown" and not first.startswith("\b"):
        first = first.replace("\n", " ")
    yield _rich_text(first.strip(), markup_mode)
    if rest and markup_mode in (None, "text"):  # Typer's default below 0.20.1: single line breaks joined
        if header_gap:  # a blank line after the first paragraph from Typer 0.15.3
            yield Text("")
        rest = [
            p.replace("\n", " ").strip() if not p.startswith("\b") else "{}\n".format(p.strip("\b\n")) for p in rest
        ]
        yield _rich_text("\n".join(rest), markup_mode, style="dim")
    elif rest:
        yield Text("")
        yield _rich_text("\n\n".join(rest), markup_mode, style="dim")


def default_string(param, value):
    """Typer's text after ``[default: ``."""
    if isinstance(param.show_default, str):
        return f"({param.show_default})"
    if isinstance(value, (list, tuple)):
        parts = [default_string(param, v) for v in value]
        return "" if all(not p for p in parts) else ", ".join(parts)
    if inspect.isfunction(value):
        return "(dynamic)"
    if isinstance(param, click.Option) and param.is_bool_flag and param.secondary_opts:
        if value:
            return param.opts[0].lstrip("-/+") if param.opts else str(value)
        return param.secondary_opts[0].lstrip("-/+")
    if isinstance(param, click.Option) and param.is_bool_flag and not param.secondary_opts and not value:
        return ""
    return str(value)


def _parameter_help(param, ctx, markup_mode, none_default=False):
    items = []
    envvar = param.envvar
    if (
        envvar is None
        and getattr(param, "allow_from_autoenv", None)
        and ctx.auto_envvar_prefix is not None
        and param.name
    ):
        envvar = f"{ctx.auto_envvar_prefix}_{param.name.upper()}"
    if param.help:
        paragraphs = param.help.split("\n\n")
        if markup_mode != "markdown":
            paragraphs = [
                p.replace("\n", " ").strip() if not p.startswith("\b") else "{}\n".format(p.strip("\b\n"))
                for p in paragraphs
            ]
        items.append(_rich_text("\n".join(paragraphs).strip(), markup_mode))
    if envvar and getattr(param, "show_envvar", None):
        shown = envvar if isinstance(envvar, str) else ", ".join(str(e) for e in envvar)
        items.append(Text(f"[env var: {shown}]", style="dim yellow"))
    resilient, ctx.resilient_parsing = ctx.resilient_parsing, True
    try:
        value = param.get_default(ctx, call=False)
    finally:
        ctx.resilient_parsing = resilient
    value = None if value is click.core.UNSET else value
    show = param.show_default if param.show_default is not None else True
    if none_default:  # Typer < 0.17.2: its parameter's show_default alone, "None" shown too
        shown = isinstance(param.show_default, str) or bool(show)
    else:
        shown = isinstance(param.show_default, str) or (value is not None and (show or ctx.show_default))
    if shown:
        text = default_string(param, value)
        if text:
            items.append(Text(f"[default: {text}]", style="dim"))
    if param.required:
        items.append(Text("[required]", style="dim red"))
    return Columns(items)


def _range(param):
    kind = param.type
    if not isinstance(kind, (click.IntRange, click.FloatRange)) or (
        getattr(param, "count", False) and kind.min == 0 and kind.max is None
    ):
        return None
    low, high = kind.min, kind.max
    return (
        None
        if low is None and high is None
        else f"x<={high}"
        if low is None
        else f"x>={low}"
        if high is None
        else f"{low}<=x<={high}"
    )


def _table(**extra):
    return Table(
        show_header=False, expand=True, box=None, show_lines=False, leading=0, pad_edge=False, padding=(0, 1), **extra
    )


def _options_panel(name, params, ctx, markup_mode, out, type_of, name_of, argument_ranges, none_default=False):
    rows, required = [], []
    for param in params:
        longs, shorts, negative_longs, negative_shorts = [], [], [], []
        shown = None
        if name_of is not None and isinstance(param, click.Argument):  # else the argument's name alone
            shown = name_of(param)
        for opt in param.opts:
            (longs if "--" in opt else shorts).append(opt if "--" in opt or not shown else shown)
        for opt in param.secondary_opts:
            (negative_longs if "--" in opt else negative_shorts).append(opt if "--" in opt or not shown else shown)
        types = Text(style="bold yellow", overflow="fold")
        label = type_of(param)
        if label is not None:
            types.append(label)
        limits = _range(param) if argument_ranges or isinstance(param, click.Option) else None
        if limits:
            types.append(f" [{limits}]")
        required.append(Text("*", style="red") if param.required else "")
        rows.append(
            [
                highlighter(",".join(longs)),
                highlighter(",".join(shorts)),
                negative_highlighter(",".join(negative_longs)),
                negative_highlighter(",".join(negative_shorts)),
                types_highlighter(types),
                _parameter_help(param, ctx, markup_mode, none_default),
            ]
        )
    if not rows:
        return
    table = _table(highlight=True)
    for mark, row in zip(required, rows, strict=False):
        table.add_row(*([mark, *row] if any(required) else row))
    out.print(Panel(table, border_style="dim", title=name, title_align="left"))


def _command_help(text, markup_mode):
    paragraphs = inspect.cleandoc(text).split("\n\n")
    if markup_mode != "rich" and not paragraphs[0].startswith("\b"):
        paragraphs[0] = paragraphs[0].replace("\n", " ")
    elif paragraphs[0].startswith("\b"):
        paragraphs[0] = paragraphs[0].replace("\b\n", "")
    return _rich_text(paragraphs[0].strip(), markup_mode)


def _commands_panel(name, commands, markup_mode, out, width):
    """``commands``: (name, command) pairs; the name is the one the group registered it under. ``width``
    None: Typer < 0.12.2's columns, both as wide as rich makes them."""
    table = _table(highlight=False)
    table.add_column(style="bold cyan", no_wrap=True, width=width)
    if width is not None:
        table.add_column("Description", justify="left", no_wrap=False, ratio=10)
    rows, deprecated = [], []
    for shown, command in commands:
        rows.append(
            [
                Text(shown, style="dim" if command.deprecated else ""),
                _command_help(command.short_help or command.help or "", markup_mode),
            ]
        )
        deprecated.append(Text(DEPRECATED, style="red") if command.deprecated else None)
    for row, mark in zip(rows, deprecated, strict=False):
        table.add_row(*([*row, mark] if any(deprecated) else row))
    if table.row_count:
        out.print(Panel(table, border_style="dim", title=name, title_align="left"))


def format_help(
    command,
    ctx,
    markup_mode,
    type_of,
    name_of=None,
    argument_ranges=True,
    aligned_commands=True,
    none_default=False,
    header_gap=True,
):
    """Print ``command``'s help as Typer's ``rich_format_help`` does; ``type_of(param)`` is the ``<type>`` label,
    ``name_of(argument)`` the argument's name column (None: its name), ``argument_ranges`` whether an
    argument's type shows its range (from Typer 0.29), ``aligned_commands`` whether every commands panel's
    first column is as wide as the longest name (from Typer 0.12.2), ``none_default`` whether a parameter
    without a default shows "[default: None]" (before Typer 0.17.2), ``header_gap`` whether a blank line follows
    the first paragraph of help read as text (from Typer 0.15.3)."""
    out = console()
    out.print(Padding(highlighter(command.get_usage(ctx)), 1), style="bold")
    if command.help:
        out.print(Padding(Align(_help_text(command, markup_mode, header_gap), pad=False), (0, 1, 1, 1)))
    arguments, options = defaultdict(list), defaultdict(list)
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, click.Argument):
            arguments[getattr(param, "rich_help_panel", None) or "Arguments"].append(param)
        elif isinstance(param, click.Option):
            options[getattr(param, "rich_help_panel", None) or "Options"].append(param)
    for panels, default in ((arguments, "Arguments"), (options, "Options")):
        shown = (ctx, markup_mode, out, type_of, name_of, argument_ranges, none_default)
        _options_panel(default, panels.get(default, []), *shown)
        for name, params in panels.items():
            if name != default:
                _options_panel(name, params, *shown)
    if isinstance(command, click.Group):
        commands = defaultdict(list)
        for name in command.list_commands(ctx):
            sub = command.commands.get(name)
            if sub is not None and not sub.hidden:
                commands[getattr(sub, "rich_help_panel", None) or "Commands"].append((name, sub))
        width = max((len(name) for subs in commands.values() for name, _ in subs), default=0)
        width = width if aligned_commands else None
        _commands_panel("Commands", commands.get("Commands", []), markup_mode, out, width)
        for name, subs in commands.items():
            if name != "Commands":
                _commands_panel(name, subs, markup_mode, out, width)
    if command.epilog:
        out.print(Padding(Align(_rich_text("\n\n".join(command.epilog.split("\n\n")), markup_mode), pad=False), 1))


def show_error(error):
    """A usage error as Typer prints it: usage, a hint, and the message in a red "Error" box (on stderr)."""
    out = console(stderr=True)
    ctx = getattr(error, "ctx", None)
    if ctx is not None:
        out.print(highlighter(ctx.get_usage()), style="bold")
        if ctx.command.get_help_option(ctx) is not None:
            out.print(f"Try [blue]'{escape(ctx.command_path)} {ctx.help_option_names[0]}'[/] for help.", style="dim")
    out.print(Panel(highlighter(error.format_message()), border_style="red", title="Error", title_align="left"))


def show_abort():
    console(stderr=True).print("Aborted.", style="red")
