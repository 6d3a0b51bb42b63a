"""The help shim the codemod copies into a converted program, section by section (only what it uses).

Typer's ``--help`` lists arguments with their help, labels values ``<str>``, keeps commands in
the order they were added and offers completion options on the command that runs first. Click does
none of that, so a converted program that must print the same help carries these few classes.
They depend on asyncclick only. Sections start with ``# -- section: NAME``.
"""

import asyncclick as click

# -- section: argument


class TyperArgument(click.Argument):
    """An argument as Typer shows it: ``{name}`` in the usage line, a row in an "Arguments" section."""

    def __init__(self, *args, help=None, hidden=False, show_default=True, show_envvar=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.help, self.hidden = help, hidden
        self.show_default, self.show_envvar = show_default, show_envvar

    def _parse_decls(self, decls, expose_value):
        name, opts, secondary = super()._parse_decls(decls, expose_value)
        return (decls[0].replace("-", "_") if decls else name), opts, secondary  # keeps "ID": Click lowercases

    def make_metavar(self, ctx):
        name = self.metavar or self.name
        return (f"{{{name}}}" if self.required else f"[{name}]") + ("..." if self.nargs != 1 else "")

    def get_help_record(self, ctx):
        if self.hidden:
            return None
        extra = []
        if self.show_envvar and self.envvar:
            extra.append("env var: " + (self.envvar if isinstance(self.envvar, str) else ", ".join(self.envvar)))
        default = self.get_default(ctx, call=False)
        if isinstance(self.show_default, str):
            extra.append(f"default: ({self.show_default})")
        elif default not in (None, click.core.UNSET) and (self.show_default or ctx.show_default):
            shown = ", ".join(map(str, default)) if isinstance(default, (list, tuple)) else str(default)
            if shown:
                extra.append(f"default: {'(dynamic)' if callable(default) else shown}")
        if isinstance(self.type, (click.IntRange, click.FloatRange)):
            low, high = self.type.min, self.type.max
            extra.append(f"x>={low}" if high is None else f"x<={high}" if low is None else f"{low}<=x<={high}")
        if self.required:
            extra.append("required")
        help = self.help or ""
        if extra:
            help = f"{help}  [{'; '.join(extra)}]" if help else f"[{'; '.join(extra)}]"
        name = (self.metavar or self.name) + ("..." if self.metavar is None and self.nargs != 1 else "")
        return f"{name} {_label(self)}", help


# -- section: command


class TyperCommand(click.Command):
    """Typer's help layout: "Arguments" before "Options", and completion options on the first command."""

    def __init__(self, *args, add_completion=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_completion, self._completion = add_completion, None

    def get_params(self, ctx):
        params = super().get_params(ctx)
        if ctx.parent is not None or not self.add_completion:
            return params
        if self._completion is None:
            self._completion = [
                click.Option(["--install-completion"], is_flag=True, expose_value=False, callback=_complete, help="Install completion for the current shell."),
                click.Option(["--show-completion"], is_flag=True, expose_value=False, callback=_complete, help="Show completion for the current shell, to copy it or customize the installation."),
            ]
        return [*self.params, *self._completion, *params[len(self.params) :]]

    def format_options(self, ctx, formatter):
        for p in self.get_params(ctx):  # Typer's defaults for option help, set once
            if isinstance(p, click.Option) and p.show_default is None:
                p.show_default = p.default != ""  # Typer shows no empty default; Click shows ""
            if isinstance(p, click.Option) and p.metavar is None and not p.is_flag and not p.count:
                p.metavar = _label(p) + ("..." if p.nargs != 1 else "")
        for title, kind in (("Arguments", click.Argument), ("Options", click.Option)):
            rows = [row for p in self.get_params(ctx) if isinstance(p, kind) for row in [p.get_help_record(ctx)] if row]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


def _label(param):
    """Typer's value label (``<str>``, ``<int range>``, ``<red|green>``, ``<list[str]>``) where Click prints TEXT, INTEGER..."""
    many = param.multiple or param.nargs == -1
    text = _type_label(param.type, bare=many)
    return f"<list[{text}]>" if many else f"<{text}>"


def _type_label(kind, bare=False):
    if isinstance(kind, click.Choice):
        return "|".join(str(c) if kind.case_sensitive else str(c).casefold() for c in kind.choices)
    if isinstance(kind, click.Tuple):
        return ",".join(_type_label(t, bare=True) for t in kind.types)
    if isinstance(kind, (click.IntRange, click.FloatRange)):
        return kind.name.replace("integer", "int").split(" ")[0] + ("" if bare else " range")
    if isinstance(kind, click.DateTime):
        return "datetime" if bare or kind.formats == click.DateTime().formats else "|".join(kind.formats)
    if isinstance(kind, click.Path):
        return "Path" if bare else "file" if not kind.dir_okay else "dir" if not kind.file_okay else "path"
    if isinstance(kind, click.File):
        return {"w": "FileTextWrite", "rb": "FileBinaryRead", "wb": "FileBinaryWrite"}.get(kind.mode, "FileText")
    return {"text": "str", "integer": "int", "boolean": "bool", "uuid": "UUID"}.get(kind.name, kind.name)


def _complete(ctx, param, value):
    """--show-completion prints Click's completion script for $SHELL; --install-completion sources it from the shell's rc file."""
    import os

    from asyncclick.shell_completion import get_completion_class

    if not value or ctx.resilient_parsing:
        return
    shell = os.path.basename(os.environ.get("SHELL", "")) or "bash"
    complete = get_completion_class(shell)
    if complete is None:
        raise click.UsageError(f"Shell {shell} is not supported.")
    prog = ctx.find_root().info_name
    script = complete(ctx.command, {}, prog, f"_{prog}_COMPLETE".replace("-", "_").replace(".", "_").upper()).source()
    if param.name == "show_completion":
        click.echo(script)
        raise click.exceptions.Exit(0)
    folder = os.path.expanduser("~/.config/fish/completions" if shell == "fish" else f"~/.{shell}_completions")
    os.makedirs(folder, exist_ok=True)
    path = os.path.join(folder, f"{prog}.{shell}")
    with open(path, "w") as handle:
        handle.write(script)
    rc = os.path.expanduser(f"~/.{shell}rc")
    if shell != "fish" and f"source {path}" not in (open(rc).read() if os.path.exists(rc) else ""):
        with open(rc, "a") as handle:
            handle.write(f"\nsource {path}\n")
    click.echo(f"{shell} completion installed in {path}\nCompletion will take effect once you restart the terminal")
    raise click.exceptions.Exit(0)


# -- section: group


class TyperGroup(TyperCommand, click.Group):
    """A group listing its commands as Typer does: in the order they were added, sub-groups last."""

    command_class = TyperCommand
    group_class = type

    def __init__(self, *args, subcommand_metavar="COMMAND [ARGS]...", **kwargs):
        super().__init__(*args, subcommand_metavar=subcommand_metavar, **kwargs)

    def list_commands(self, ctx):
        return sorted(self.commands, key=lambda name: isinstance(self.commands[name], click.Group))

    def format_options(self, ctx, formatter):
        TyperCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)
