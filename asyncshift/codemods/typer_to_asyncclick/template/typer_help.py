"""Typer-style help for programs converted from Typer by asyncshift (written beside them, once per folder).

Typer's ``--help`` lists arguments with their help, labels values ``<str>``, keeps commands in
the order they were added and offers completion options on the command that runs first. Click does
none of that, so converted modules import these few classes from here (``_asyncclick_help.py``).
They depend on asyncclick only.
"""

import asyncclick as click

# The Typer and Click versions whose help this program prints, as asyncshift read them from its pins
# (None: the newest). Below Typer 0.26, which brings its own copy of Click, the help also depends on the
# Click installed beside Typer: unless CLICK_EXACT, the Click still installed beside this program is asked
# (importlib.metadata, on the first help printed), and CLICK is the newest the pins allow.
TYPER = None
CLICK = None
CLICK_EXACT = False
# Typer 0.29 labels values <str>, <int>, {name}; before it, Click's metavars (TEXT, INTEGER, NAME).
LABELS = TYPER is None or TYPER >= (0, 29)
# Typer 0.27 and 0.28: {name} and [name] in usage, <str>/<int range>/<file> for Click's TEXT/INTEGER RANGE/FILE.
BRACES = not LABELS and TYPER >= (0, 27)
# Typer 0.26.8's rich help: an argument's usage metavar as its name ([opt]), its type's name (TEXT) as its type.
METAVAR_NAMES = not LABELS and (0, 26, 8) <= TYPER < (0, 27)


def _typer(*version):
    return TYPER is None or TYPER >= version


def _click():
    """The Click a Typer below 0.26 ran on (None: the newest); see CLICK above."""
    if "_click" not in _FOUND:
        found = CLICK
        if not CLICK_EXACT:
            try:
                import importlib.metadata

                parts = importlib.metadata.version("click").split(".")[:3]
                installed = tuple(int(p) for p in parts if p.isdigit())
            except Exception:  # not installed (asyncclick does not need it), or no metadata
                installed = None
            if installed and (CLICK is None or installed <= CLICK):
                found = installed
        _FOUND["_click"] = found
    return _FOUND["_click"]


_FOUND = {}


def _click_below(*version):
    """Whether the program's Typer ran on a Click older than ``version`` (Typer 0.26 on: its own, 8.2+)."""
    if _typer(0, 26):
        return False
    click_version = _click()
    return click_version is not None and click_version < version


def _argument_help():
    """Typer < 0.26 on Click 8.5 printed no argument help: Click 8.5's Argument took ``help`` and reset it."""
    return _typer(0, 26) or _click_below(8, 5)


# -- section: argument


class TyperArgument(click.Argument):
    """An argument as Typer shows it: ``{name}`` in the usage line, a row in an "Arguments" section."""

    def __init__(
        self, *args, help=None, hidden=False, show_default=True, show_envvar=True, rich_help_panel=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.help, self.hidden, self.rich_help_panel = help, hidden, rich_help_panel
        self.show_default, self.show_envvar = show_default, show_envvar

    @property
    def help(self):
        return self._help if _argument_help() else None  # Typer < 0.26 on Click 8.5 showed none

    @help.setter
    def help(self, value):
        self._help = value

    def _parse_decls(self, decls, expose_value):
        name, opts, secondary = super()._parse_decls(decls, expose_value)
        return (decls[0].replace("-", "_") if decls else name), opts, secondary  # keeps "ID": Click lowercases

    def get_error_hint(self, ctx):
        return f"'{self.metavar or self.name}'"  # "Missing argument 'name'", not '{name}'

    def make_metavar(self, ctx):
        if BRACES:  # {name}, [name]:<a|b>, {FILE}
            if self.metavar is not None:
                bare = self.metavar.startswith("[")
                return self.metavar if bare else f"{{{self.metavar}}}" if self.required else f"[{self.metavar}]"
            var = f"{{{self.name}}}" if self.required else f"[{self.name}]"
            return var + _braces_suffix(self)
        if not LABELS:  # Typer < 0.29: NAME, [NAME], NAME:[a|b]
            if self.metavar is not None:  # an optional one in brackets from Typer 0.20.1
                bare = self.required or self.metavar.startswith("[") or not _typer(0, 20, 1)
                return self.metavar if bare else f"[{self.metavar}]"
            var = self.name.upper() if self.required else f"[{self.name.upper()}]"
            kind = self.type.get_metavar(self, ctx)
            return var + (f":{kind}" if kind else "") + ("..." if self.nargs != 1 else "")
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
        if LABELS and isinstance(self.type, (click.IntRange, click.FloatRange)):  # not before Typer 0.29
            low, high = self.type.min, self.type.max
            extra.append(f"x>={low}" if high is None else f"x<={high}" if low is None else f"{low}<=x<={high}")
        if self.required:
            extra.append("required")
        help = self.help or ""
        if extra:
            help = f"{help}  [{'; '.join(extra)}]" if help else f"[{'; '.join(extra)}]"
        if BRACES:
            return (self.metavar if self.metavar is not None else self.name + _braces_suffix(self)), help
        if not LABELS:
            return self.make_metavar(ctx), help
        name = (self.metavar or self.name) + ("..." if self.metavar is None and self.nargs != 1 else "")
        return f"{name} {_label(self)}", help


# -- section: command


# Typer < 0.12.5: no markup by default, and rich formatting still (its None turned rich off from 0.12.5);
# 0.12.5 to 0.20.0: typer.Typer() handed on its default as a placeholder, not "rich": rich panels, no markup
# read either ("text"; fixed in 0.20.1)
_MARKUP = "rich" if _typer(0, 20, 1) else "text" if _typer(0, 12, 5) else None


class TyperCommand(click.Command):
    """Typer's help layout: "Arguments" before "Options", and completion options on the first command."""

    def __init__(self, *args, add_completion=True, rich_markup_mode=_MARKUP, rich_help_panel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_completion, self._completion = add_completion, None
        self.rich_markup_mode, self.rich_help_panel, self._standalone = rich_markup_mode, rich_help_panel, True

    def get_params(self, ctx):
        params = super().get_params(ctx)
        if ctx.parent is not None or not self.add_completion:
            return params
        if self._completion is None:
            named = _shell_named()  # the shell given on the line, not detected
            kind = {"type": click.Choice(list(_SHELL_NAMES))} if named else {"is_flag": True}
            which = "the specified shell" if named else "the current shell"
            self._completion = [
                click.Option(
                    ["--install-completion"],
                    expose_value=False,
                    callback=_complete,
                    help=f"Install completion for {which}.",
                    **kind,
                ),
                click.Option(
                    ["--show-completion"],
                    expose_value=False,
                    callback=_complete,
                    help=f"Show completion for {which}, to copy it or customize the installation.",
                    **kind,
                ),
            ]
        return [*self.params, *self._completion, *params[len(self.params) :]]

    def format_help(self, ctx, formatter):
        rich = _rich_help(ctx.find_root().command)
        if rich is None:
            return super().format_help(ctx, formatter)
        self._option_defaults(ctx)
        name_of = _rich_name if LABELS or BRACES or METAVAR_NAMES else None
        rich.format_help(
            self,
            ctx,
            ctx.find_root().command.rich_markup_mode,
            _rich_type,
            name_of,
            LABELS,
            aligned_commands=_typer(0, 12, 2),  # before: the commands column as wide as rich makes it
            none_default=not _typer(0, 17, 2),  # before: "[default: None]" on a parameter without a default
            header_gap=_typer(0, 15, 3),  # before: no blank line between the first paragraph and the rest (as text)
        )

    async def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        self._standalone = standalone_mode
        return await super().main(args, prog_name, complete_var, standalone_mode, **extra)

    async def make_context(self, info_name, args, parent=None, **extra):
        try:
            return await super().make_context(info_name, args, parent, **extra)
        except (click.ClickException, click.Abort) as error:
            raise (error if parent is not None else _rich_error(self, _typer_error(error))) from error.__cause__

    async def invoke(self, ctx):
        try:
            return await super().invoke(ctx)
        except (click.ClickException, click.Abort) as error:
            raise (error if ctx.parent is not None else _rich_error(self, _typer_error(error))) from error.__cause__

    def format_help_text(self, ctx, formatter):
        if not (self.deprecated and _click_below(8, 2)):
            return super().format_help_text(ctx, formatter)
        import inspect  # Click < 8.2: "(Deprecated) " before the help

        text = "(Deprecated) " + inspect.cleandoc(self.help or "").partition("\f")[0]
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)

    def get_short_help_str(self, limit=45):
        if not (self.deprecated and _click_below(8, 2)):
            return super().get_short_help_str(limit)
        import inspect

        if self.short_help:
            text = inspect.cleandoc(self.short_help)
        else:
            text = click.utils.make_default_short_help(self.help, limit) if self.help else ""
        return f"(Deprecated) {text}".strip()

    def _option_defaults(self, ctx):
        for p in self.get_params(ctx):  # Typer's defaults for option help, set once
            if isinstance(p, click.Option) and p.show_default is None:
                p.show_default = p.default != ""  # Typer shows no empty default; Click shows ""
            if (LABELS or BRACES) and isinstance(p, click.Option) and p.metavar is None and not p.is_flag:
                if not p.count:
                    p.metavar = (_braces_type(p.type) if BRACES else _label(p)) + ("..." if p.nargs != 1 else "")

    def format_options(self, ctx, formatter):
        self._option_defaults(ctx)
        for title, kind in (("Arguments", click.Argument), ("Options", click.Option)):
            rows = [row for p in self.get_params(ctx) if isinstance(p, kind) for row in [_help_record(p, ctx)] if row]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


class TyperOption(click.Option):
    """An option shown in its own help panel (``rich_help_panel``) when the help is rendered with rich."""

    def __init__(self, *args, rich_help_panel=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rich_help_panel = rich_help_panel


class TyperParam:
    """``typer.Option(...)`` (or ``Argument``) that a function of the program builds at run time, used as
    ``Annotated`` metadata: called with the parameter's name, and what its annotation and default say
    (``flag``: a bool), it is the Click decorator; what the function gave wins, as in Typer."""

    def __init__(self, kind, *decls, **kwargs):
        self.kind, self.decls, self.kwargs = kind, [d for d in decls if d is not None], kwargs

    def __call__(self, name, flag=False, **typed):
        kwargs = {**typed, **self.kwargs}
        if self.kind == "Argument":
            return click.argument(name, cls=TyperArgument, **kwargs)
        if flag and not any("/" in d for d in self.decls):
            kwargs.setdefault("is_flag", True)
        if kwargs.get("envvar") is not None:
            kwargs.setdefault("show_envvar", True)  # Typer shows it
        return click.option(*self.decls, name, cls=TyperOption, **kwargs)


def _rich_help(command):
    """Typer's rich renderer (``_rich_module`` below) when Typer would use it: rich installed, ``TYPER_USE_RICH``
    not off and a ``rich_markup_mode``; None for plain help."""
    import os

    if os.environ.get("TYPER_USE_RICH", "").lower() in ("n", "no", "f", "false", "off", "0"):
        return None
    if getattr(command, "rich_markup_mode", "rich") is None and _typer(0, 12, 5):
        return None
    try:
        import rich  # noqa: F401  (optional: Typer's default when it is installed)
    except ImportError:
        return None
    if not _RICH:
        _RICH.append(_rich_module())
    return _RICH[0]


_RICH = []  # the renderer, made once


def _rich_module():
    """The renderer: asyncshift writes Typer's rich help here (a port of Typer's ``rich_utils``), run the first
    time rich help is printed, as it imports rich. In this module, not one of its own beside it, so that a
    converted package gains one module: a test listing the package's modules sees the one it imports."""
    return None


def _rich_name(param):
    """An argument's name in rich help: ``files...`` from Typer 0.29, ``files`` in 0.27 and 0.28."""
    if METAVAR_NAMES:
        metavar = param.make_metavar(click.get_current_context())
        return metavar if param.metavar is not None else metavar.replace(param.name.upper(), param.name)
    return (param.metavar or param.name) + ("..." if LABELS and param.metavar is None and param.nargs != 1 else "")


def _rich_type(param):
    """The ``<type>`` column of a rich help row (Click's metavar before Typer 0.27)."""
    if METAVAR_NAMES and isinstance(param, click.Argument):
        return None if param.type.name.upper() == "BOOLEAN" else param.type.name.upper()
    if BRACES:
        if isinstance(param, click.Argument):
            label = _braces_metavar(param.type) or f"<{_braces_name(param.type)}>"
        else:
            label = param.metavar if param.metavar is not None else "<int>" if param.count else "boolean"
        return None if "bool" in label.lower() else label
    if not LABELS:
        ctx = click.get_current_context(silent=True)
        metavar = _metavar(param, ctx) if ctx is not None else param.type.name.upper()
        if isinstance(param, click.Argument) and metavar == param.name.upper():
            metavar = param.type.name.upper()
        elif getattr(param, "count", False) and isinstance(param.type, click.IntRange) and param.type.max is None:
            metavar = "INTEGER"  # Typer's count option is an INT
        return None if metavar == "BOOLEAN" else metavar
    if isinstance(param, click.Argument):
        return _label(param)
    if param.metavar is not None:
        return param.metavar
    label = "<int>" if param.count else _label(param)
    return label + ("..." if param.nargs != 1 else "")


def _rich_error(command, error):
    """Errors as Typer prints them with rich: a red "Error" box, "Aborted." (the exit codes do not change)."""
    rich = _rich_help(command)
    if rich is None:
        return error
    if isinstance(error, click.exceptions.NoArgsIsHelpError):
        error.show = lambda file=None: None  # the help is already printed
    elif isinstance(error, click.ClickException):
        error.show = lambda file=None: rich.show_error(error)
    elif command._standalone:
        rich.show_abort()
        return click.exceptions.Exit(1)
    return error


def _typer_error(error):
    """Usage errors in Typer's words: Typer checks values with pydantic and words a few errors its own way."""
    import re

    if not isinstance(error, click.UsageError) or isinstance(error, click.exceptions.NoArgsIsHelpError):
        return error
    message, kind = error.message, getattr(getattr(error, "param", None), "type", None)
    number = re.match(r"'.*' is not a valid (integer|float)( range)?\.$", message)
    bounded = re.match(r"(.+) is not in the range .*\.$", message)
    if isinstance(error, click.NoSuchOption):
        error.message = f"No such option: {error.option_name}"
        error.format_message = lambda: (
            error.message
            + (f" (Possible options: {', '.join(sorted(error.possibilities))})" if error.possibilities else "")
        )
    elif not isinstance(error, click.BadParameter):
        error.message = re.sub(r"^Got unexpected extra arguments? ", "Got unexpected extra argument(s) ", message)
    elif number and not _typer(0, 29):  # Click's words before Typer 0.29; "int" for "integer" in 0.27 and 0.28
        if _typer(0, 27) and number[1] == "integer" and not number[2]:
            error.message = message.replace(" valid integer.", " valid int.")
    elif number:
        error.message = (
            "Input should be a valid integer, unable to parse string as an integer"
            if number[1] == "integer"
            else "Input should be a valid number, unable to parse string as a number"
        )
    elif bounded and isinstance(kind, (click.IntRange, click.FloatRange)):
        error.message = _out_of_range(kind, float(bounded[1]))
    elif isinstance(kind, click.Choice) and " is not one of " in message:
        error.message = f"Value error, {message}"
    elif isinstance(kind, click.DateTime) and " does not match the format" in message:
        error.message = "Value error, " + message.replace(" the format ", " the formats ", 1)
    elif isinstance(kind, click.Path) and re.match(r"(File|Directory|Path) '", message):  # "file '...' is a directory"
        error.message = message[0].lower() + message[1:]
    error.show = lambda file=None: _typer_show(error, file)
    return error


def _out_of_range(kind, value):
    """pydantic's words for the bound ``value`` crosses (Typer states ``min=0`` as 0, not 0.0)."""

    def shown(bound):
        return int(bound) if isinstance(bound, float) and bound.is_integer() else bound

    if kind.min is not None and (value < kind.min or (kind.min_open and value <= kind.min)):
        return f"Input should be greater than {'' if kind.min_open else 'or equal to '}{shown(kind.min)}"
    return f"Input should be less than {'' if kind.max_open else 'or equal to '}{shown(kind.max)}"


def _typer_show(error, file=None):
    """A usage error as Typer prints it: the hint names the first help option (``-h``), Click the longest."""
    ctx, where = error.ctx, ({"file": file} if file is not None else {"err": True})
    hint = ""
    if ctx is not None and ctx.command.get_help_option(ctx) is not None:
        hint = f"Try '{ctx.command_path} {ctx.help_option_names[0]}' for help.\n"
    if ctx is not None:
        click.echo(f"{ctx.get_usage()}\n{hint}", color=ctx.color, **where)
    click.echo(f"Error: {error.format_message()}", color=ctx.color if ctx else None, **where)


def _metavar(param, ctx, get=None):
    """``param.make_metavar(ctx)``; a case-insensitive Choice shows its choices as written on Click < 8.2
    (lowercased from 8.2 on, as asyncclick does)."""
    get = get or (lambda: param.make_metavar(ctx))
    kind = param.type
    if not (isinstance(kind, click.Choice) and not kind.case_sensitive and _click_below(8, 2)):
        return get()
    kind.case_sensitive = True
    try:
        return get()
    finally:
        kind.case_sensitive = False


def _help_record(param, ctx):
    """An off-only flag (``" /--demo"``) shows its default as Typer does; Click's help fails on it."""
    if not (isinstance(param, click.Option) and param.is_flag and not param.opts and param.show_default):
        return _metavar(param, ctx, lambda: param.get_help_record(ctx))
    param.show_default = False
    try:
        name, text = param.get_help_record(ctx)
    finally:
        param.show_default = True
    return name, f"{text}  [default: {param.default}]" if text else f"[default: {param.default}]"


def _label(param):
    """Typer's value label where Click prints TEXT, INTEGER...

    ``<str>``, ``<int range>``, ``<red|green>``, ``<list[str]>``.
    """
    many = param.multiple or param.nargs == -1
    text = _type_label(param.type, bare=many)
    return f"<list[{text}]>" if many else f"<{text}>"


def _braces_name(kind):
    """Typer 0.27's own Click names its types str, int, int range, file, directory..."""
    if isinstance(kind, click.Path):
        return "file" if not kind.dir_okay else "directory" if not kind.file_okay else "path"
    if isinstance(kind, (click.IntRange, click.FloatRange)):
        return kind.name.replace("integer", "int")
    return {"text": "str", "integer": "int", "file": "filename"}.get(kind.name, kind.name)


def _braces_metavar(kind):
    """What Typer 0.27's types show instead of their name: <a|b>, <%Y-%m-%d>, <int str>."""
    if isinstance(kind, click.Choice):
        return f"<{'|'.join(map(str, kind.choices))}>"
    if isinstance(kind, click.DateTime):
        return f"<{'|'.join(kind.formats)}>"
    if isinstance(kind, click.Tuple):
        return f"<{' '.join(_braces_name(t) for t in kind.types)}>"
    return None


def _braces_type(kind):
    return _braces_metavar(kind) or f"<{_braces_name(kind)}>"


def _braces_suffix(argument):
    kind = _braces_metavar(argument.type)
    return (f":{kind}" if kind else "") + ("..." if argument.nargs != 1 else "")


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


_SHELL_NAMES = ("bash", "zsh", "fish", "powershell", "pwsh")


def _shell_named():
    """Whether the completion options take a shell: Typer's test switch, or below Typer 0.22 (which made
    shellingham required) without shellingham to detect it."""
    import importlib.util
    import os

    if os.environ.get("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION"):
        return True
    return not _typer(0, 22) and importlib.util.find_spec("shellingham") is None


def _complete(ctx, param, value):
    """--show-completion prints Click's completion script for $SHELL.

    --install-completion sources it from the shell's rc file.
    """
    import os

    from asyncclick.shell_completion import get_completion_class

    if not value or ctx.resilient_parsing:
        return
    shell = value if isinstance(value, str) else os.path.basename(os.environ.get("SHELL", "")) or "bash"
    complete = globals().get("_TYPER_SHELLS", {}).get(shell) or get_completion_class(shell)
    if complete is None:
        raise click.UsageError(f"Shell {shell} is not supported.")
    prog = ctx.find_root().info_name
    var = f"_{prog}_COMPLETE".replace("-", "_").upper()
    script = complete(ctx.command, {}, prog, var if "_TYPER_SHELLS" in globals() else var.replace(".", "_")).source()
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


# -- section: completion


async def _shell_completion(self, ctx_args, prog_name, complete_var=None):
    """Typer's completion protocol (``_PROG.PY_COMPLETE=complete_bash``).

    Completion scripts installed with the Typer version keep working.
    """
    import os
    import sys

    var = complete_var or f"_{prog_name}_COMPLETE".replace("-", "_").upper()
    action, _, shell = os.environ.get(var, "").partition("_")
    if action not in ("complete", "source") or shell not in _TYPER_SHELLS:
        return await click.Command._main_shell_completion(self, ctx_args, prog_name, complete_var)  # Click's protocol
    comp = _TYPER_SHELLS[shell](self, ctx_args, prog_name, var)
    click.echo(comp.source() if action == "source" else await comp.complete())
    sys.exit(0)


TyperCommand._main_shell_completion = _shell_completion


def _shell_class(name, script, fmt, split):
    """One of Typer's shell classes: how it reads the words from the environment and formats each item."""
    from asyncclick.shell_completion import ShellComplete

    def args(self):
        import os

        if split == "bash":
            words = _split(os.environ["COMP_WORDS"])
            cword = int(os.environ["COMP_CWORD"])
            return words[1:cword], words[cword] if cword < len(words) else ""
        line = os.environ.get("_TYPER_COMPLETE_ARGS", "")
        words = _split(line)[1:]
        if split == "powershell":
            incomplete = os.environ.get("_TYPER_COMPLETE_WORD_TO_COMPLETE", "")
            return (words[:-1] if incomplete else words), incomplete
        return (words[:-1], words[-1]) if words and not line.endswith(" ") else (words, "")

    async def complete(self):
        import os
        import sys

        out = [fmt(item) for item in await self.get_completions(*self.get_completion_args())]
        if name == "zsh":
            return "_arguments '*: :((" + "\n".join(out) + "))'" if out else "_files"
        if name == "fish" and os.environ.get("_TYPER_COMPLETE_FISH_ACTION") == "is-args":
            sys.exit(0 if out else 1)
        return "\n".join(out)

    attrs = {
        "name": name,
        "source_template": script,
        "get_completion_args": args,
        "complete": complete,
        "format_completion": lambda self, item: fmt(item),
    }
    attrs["source_vars"] = lambda self: {
        "complete_func": self.func_name,
        "autocomplete_var": self.complete_var,
        "prog_name": self.prog_name,
    }
    return type(f"Typer{name.title()}Complete", (ShellComplete,), attrs)


def _split(line):
    from asyncclick.shell_completion import split_arg_string

    return split_arg_string(line)


def _zsh_item(item):
    def esc(s):
        return s.replace('"', '""').replace("'", "''").replace("$", "\\$").replace("`", "\\`").replace(":", r"\\:")

    return f'"{esc(item.value)}":"{esc(item.help)}"' if item.help else f'"{esc(item.value)}"'


_TYPER_SHELLS = {
    "bash": _shell_class(
        "bash",
        "\n%(complete_func)s() {\n    local IFS=$'\n'\n    COMPREPLY=( $( env COMP_WORDS=\"${COMP_WORDS[*]}\" \\\n"
        "                   COMP_CWORD=$COMP_CWORD \\\n                   %(autocomplete_var)s=complete_bash $1 ) )\n"
        "    return 0\n}\n\ncomplete -o default -F %(complete_func)s %(prog_name)s\n",
        lambda item: item.value,
        "bash",
    ),
    "zsh": _shell_class(
        "zsh",
        "\n#compdef %(prog_name)s\n\n%(complete_func)s() {\n"
        '  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(autocomplete_var)s=complete_zsh %(prog_name)s)\n'
        "}\n\ncompdef %(complete_func)s %(prog_name)s\n",
        _zsh_item,
        "zsh",
    ),
    "fish": _shell_class(
        "fish",
        'complete --command %(prog_name)s --no-files --arguments "(env %(autocomplete_var)s=complete_fish '
        '_TYPER_COMPLETE_FISH_ACTION=get-args _TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s)" '
        '--condition "env %(autocomplete_var)s=complete_fish '
        '_TYPER_COMPLETE_FISH_ACTION=is-args _TYPER_COMPLETE_ARGS=(commandline -cp) %(prog_name)s"',
        lambda item: f"{item.value}\t{' '.join(item.help.split())}" if item.help else item.value,
        "fish",
    ),
    "powershell": _shell_class("powershell", "", lambda item: f"{item.value}:::{item.help or ' '}", "powershell"),
}
_TYPER_SHELLS["pwsh"] = _TYPER_SHELLS["powershell"]


class TyperCompletion:
    """Typer's ``autocompletion=`` (any of ctx, args, incomplete, by type or by name) as Click's ``shell_complete``."""

    def __init__(self, callback):
        import inspect
        import typing

        try:
            hints = typing.get_type_hints(callback)
        except Exception:
            hints = {}
        self.callback, self.roles = callback, {}
        for name in inspect.signature(callback).parameters:
            kind = hints.get(name)
            if isinstance(kind, type) and issubclass(kind, click.Context):
                self.roles[name] = "ctx"
            elif typing.get_origin(kind) is list or kind is list:
                self.roles[name] = "args"
            else:
                self.roles[name] = "incomplete" if kind is str else name

    def __call__(self, ctx, param, incomplete):
        from asyncclick.shell_completion import CompletionItem

        given = {"ctx": ctx, "args": [], "incomplete": incomplete}
        found = self.callback(**{name: given.get(role) for name, role in self.roles.items()})
        items = [CompletionItem(c[0], help=c[1]) if isinstance(c, tuple) else CompletionItem(c) for c in found]
        return [item for item in items if item.value.startswith(incomplete)]


class TyperCallback:
    """A parameter's ``callback=`` called as Typer calls it, by its signature: a parameter annotated with a
    Context gets the context, one with a Parameter the parameter, the last other one the value, and untyped
    ones before it the context and the parameter; Click always passes (ctx, param, value)."""

    def __init__(self, callback):
        import inspect
        import typing

        try:
            hints = typing.get_type_hints(callback)
        except Exception:
            hints = {}
        self.callback, self.names, untyped = callback, {}, []
        for name in inspect.signature(callback).parameters:
            kind = hints.get(name)
            if isinstance(kind, type) and issubclass(kind, click.Context):
                self.names["ctx"] = name
            elif isinstance(kind, type) and issubclass(kind, click.Parameter):
                self.names["param"] = name
            else:
                untyped.append(name)
        if untyped:
            self.names["value"] = untyped.pop()
        if untyped and "ctx" not in self.names:
            self.names["ctx"] = untyped.pop(0)
        if untyped and "param" not in self.names:
            self.names["param"] = untyped.pop(0)

    def __call__(self, ctx, param, value):
        given = {"ctx": ctx, "param": param, "value": value}
        return self.callback(**{name: given[role] for role, name in self.names.items()})


# -- section: group


class TyperGroup(TyperCommand, click.Group):
    """A group listing its commands as Typer does: in the order they were added, sub-groups last."""

    command_class = TyperCommand
    group_class = type

    def __init__(self, *args, subcommand_metavar="COMMAND [ARGS]...", no_args_is_help=False, **kwargs):
        super().__init__(
            *args, subcommand_metavar=subcommand_metavar, no_args_is_help=no_args_is_help, **kwargs
        )  # Typer: "Missing command."

    def add_command(self, cmd, name=None, **overrides):
        """``add_typer(sub, name=..., help=...)`` of a sub-app defined elsewhere: what it sets wins, as in Typer."""
        for key, value in overrides.items():
            setattr(cmd, key, value)
        super().add_command(cmd, name)

    def list_commands(self, ctx):
        if not _typer(0, 13):  # Typer < 0.13 listed them as Click does: by name
            return sorted(self.commands)
        return sorted(self.commands, key=lambda name: isinstance(self.commands[name], click.Group))

    def format_options(self, ctx, formatter):
        TyperCommand.format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx, formatter):
        if TYPER is None or not (0, 26) <= TYPER < (0, 26, 5):
            return super().format_commands(ctx, formatter)
        commands = [(name, self.commands[name]) for name in self.list_commands(ctx) if name in self.commands]
        if commands:  # Typer 0.26.0 to 0.26.4 listed hidden commands too
            limit = formatter.width - 6 - max(len(name) for name, _ in commands)
            with formatter.section("Commands"):
                formatter.write_dl([(name, command.get_short_help_str(limit)) for name, command in commands])


# -- section: prompt


def typer_prompt(*args, **kwargs):
    """``typer.prompt(...)`` where the converted code stays sync (a helper, a method, a parameter's callback):
    asyncclick's prompt is a coroutine, so it is run here to its end, reading the answer as Typer did (blocking).
    ``click.prompt`` is looked up at each call, so a test's stand-in for it (sync or async) is what runs."""
    import inspect

    import asyncclick.termui as termui

    prompt = click.prompt
    if prompt is termui.prompt and "blocking" in inspect.signature(prompt).parameters:
        kwargs.setdefault("blocking", True)  # read on this thread: the coroutine never waits
    result = prompt(*args, **kwargs)
    if not inspect.iscoroutine(result):
        return result
    try:
        result.send(None)
    except StopIteration as done:
        return done.value
    result.close()
    raise RuntimeError("typer_prompt: click.prompt waited on the event loop; await it in an async function")


# -- section: testing


def __getattr__(name):
    """``TyperCliRunner``, made when a test module imports it (asyncclick.testing is loaded for tests only)."""
    if name != "TyperCliRunner":
        raise AttributeError(name)
    import asyncclick.testing as testing

    class TyperCliRunner(testing.CliRunner):
        """asyncclick's CliRunner as the program's tests knew Typer's: below Typer 0.26, on Click < 8.2, stderr
        was in ``result.stdout`` too unless ``mix_stderr=False`` (then ``result.output`` was stdout alone)."""

        def __init__(self, *args, mix_stderr=True, **kwargs):
            super().__init__(*args, **kwargs)
            self.mix_stderr = mix_stderr

        async def invoke(self, *args, **kwargs):
            result = await super().invoke(*args, **kwargs)
            if _click_below(8, 2):
                result.__class__ = Mixed if self.mix_stderr else Separate
            return result

    class Mixed(testing.Result):
        stdout = property(lambda self: self.output)

    class Separate(testing.Result):
        output = property(lambda self: self.stdout_bytes.decode(self.runner.charset, "replace").replace("\r\n", "\n"))

    globals()[name] = TyperCliRunner
    return TyperCliRunner
