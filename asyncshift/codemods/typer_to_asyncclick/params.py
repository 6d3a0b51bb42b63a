"""One function parameter, Typer style, to one ``@click.option``/``@click.argument`` line.

Reads both styles (``x: int = typer.Option(1, "--x")`` and ``x: Annotated[int, typer.Option("--x")] = 1``)
and plain defaults, derives names the way Typer does, and writes the Click equivalent plus, when
Click's value differs from Typer's (Enum members, lists), a line that converts it back.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from codemods.typer_to_asyncclick import types
from codemods.typer_to_asyncclick.names import TyperNames

PASS_OPTION = (
    "help hidden prompt confirmation_prompt prompt_required hide_input count flag_value allow_from_autoenv "
    "metavar expose_value is_eager envvar show_choices show_envvar shell_complete callback"
).split()
PASS_ARGUMENT = "help hidden metavar expose_value is_eager envvar show_envvar shell_complete callback".split()
PATH_KWARGS = "exists file_okay dir_okay writable readable resolve_path allow_dash".split()
FILE_KWARGS = "encoding errors lazy atomic".split()


@dataclass
class Env:
    names: TyperNames
    enums: set[str]
    aliases: dict[str, cst.BaseExpression]
    code: Callable[[cst.CSTNode], str]  # user expression -> code, with typer names translated
    translate: Callable[[cst.BaseExpression], cst.BaseExpression]
    functions: frozenset[str] = frozenset()  # the module's top-level functions (callbacks given Click's signature)
    factories: frozenset[str] = frozenset()  # its functions returning a typer.Option/Argument built at run time


@dataclass
class Converted:
    param: cst.Param
    decorator: str | None = None
    prelude: list[str] = field(default_factory=list)
    is_context: bool = False
    todos: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def quote(text: str) -> str:
    """A double-quoted literal, the style most Typer programs use."""
    return f'"{text}"' if '"' not in text and "\\" not in text and text.isprintable() else repr(text)


def _literal(code: str) -> object:
    try:
        return ast.literal_eval(code)
    except (ValueError, SyntaxError):
        return None


def click_name(decls: list[str]) -> str | None:
    """The Python name Click derives from option declarations (``core.Option._parse_decls``)."""
    possible = []
    for decl in decls:
        if decl.isidentifier():
            return decl
        first = decl.split(";" if decl[:1] == "/" else "/", 1)[0].rstrip()
        if first:
            prefix = first[:2] if first[:2] == first[0] * 2 and not first[0].isalnum() else first[:1]
            possible.append((prefix, first[len(prefix) :]))
    if not possible:
        return None
    possible.sort(key=lambda item: -len(item[0]))
    return possible[0][1].replace("-", "_").lower()


def _typer_call(node: cst.BaseExpression | None, env: Env) -> tuple[str, cst.Call] | None:
    if isinstance(node, cst.Name) and node.value in env.aliases:
        node = env.aliases[node.value]
    if isinstance(node, cst.Call):
        kind = env.names.resolve(node.func)
        if kind in ("Option", "Argument"):
            return kind, node
    return None


def _split_annotated(
    node: cst.BaseExpression | None, env: Env
) -> tuple[cst.BaseExpression | None, tuple[str, cst.Call] | None]:
    if isinstance(node, cst.Name) and node.value in env.aliases:
        node = env.aliases[node.value]
    if isinstance(node, cst.Subscript) and env.names.typing_name(node.value) == "Annotated":
        items = types._elements(node)
        for meta in items[1:]:
            found = _typer_call(meta, env)
            if found:
                return items[0], found
        return items[0], None
    return node, None


def _factory(
    annotation: cst.BaseExpression | None, default: cst.BaseExpression | None, env: Env
) -> tuple[cst.Call, bool] | None:
    """``flag: Annotated[bool, flag_option("yes")]`` (or ``= flag_option(...)``), ``flag_option`` returning a
    ``typer.Option(...)`` it builds from its arguments: the call, and whether it is ``Annotated``'s."""
    metadata = types._elements(annotation)[1:] if isinstance(annotation, cst.Subscript) else []
    for node in [*metadata, default]:
        if isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value in env.factories:
            return node, node is not default
    return None


def _is_ellipsis(node: cst.BaseExpression | None) -> bool:
    return isinstance(node, cst.Ellipsis) or (isinstance(node, cst.Name) and node.value == "Ellipsis")


def convert(param: cst.Param, env: Env) -> Converted:
    name = param.name.value
    annotation = param.annotation.annotation if param.annotation else None
    inner, info = _split_annotated(annotation, env)
    default_node = param.default
    positional: list[cst.BaseExpression] = []
    kwargs: dict[str, cst.BaseExpression] = {}
    if info is None:
        info = _typer_call(default_node, env)
        if info:
            args = list(info[1].args)
            if args and not args[0].keyword and not args[0].star:
                default_node = args[0].value
                args = args[1:]
            else:
                default_node = None
            positional = [a.value for a in args if not a.keyword]
            kwargs = {a.keyword.value: a.value for a in args if a.keyword}
            if "default" in kwargs:
                default_node = kwargs.pop("default")
    else:
        positional = [a.value for a in info[1].args if not a.keyword]
        kwargs = {a.keyword.value: a.value for a in info[1].args if a.keyword}
    kind = info[0] if info else ("Argument" if default_node is None else "Option")
    factory = None if info else _factory(annotation, default_node, env)
    new_annotation = _new_annotation(inner, env)
    new_param = param.with_changes(
        annotation=cst.Annotation(new_annotation) if new_annotation is not None else None,
        default=None,
        equal=cst.MaybeSentinel.DEFAULT,
    )
    result = Converted(new_param)
    inner_name = env.names.resolve(inner) if inner is not None else None
    if inner_name in ("Context",) or (inner is not None and types.dotted(inner) in ("click.Context", "Context")):
        result.is_context = True
        return result
    if factory is not None and not factory[1]:
        result.todos.append(
            f"'{name}' is the {factory[0].func.value}(...) a function here builds with typer.Option/Argument at run "
            "time: write its @click.option/argument (names, envvar, help) by hand"
        )
    elif factory is not None:
        kind = "Option"  # the function's TyperParam decides: its option (or argument) with these values
    required = default_node is None or _is_ellipsis(default_node)
    if "default_factory" in kwargs:
        default_node, required = kwargs.pop("default_factory"), False
    tinfo = types.read(inner, env.names, env.enums)
    if tinfo.base == "none" and default_node is not None and not required:
        tinfo = _infer_from_default(default_node)
    builder = _Builder(name, kind, tinfo, kwargs, env, result)
    builder.build(positional, None if required else default_node, required)
    if factory is not None and factory[1]:
        _from_factory(builder, factory[0])
    return result


def _from_factory(builder: _Builder, call: cst.Call) -> None:
    """``yes: Annotated[bool, flag_option("yes")] = False``: ``@flag_option("yes")("yes", flag=True, default=False)``,
    the function's ``TyperParam`` (the helper's) given the name, the type and default the parameter says."""
    name = builder.name
    parts = [p for p in builder.parts[1:] if p not in (quote(name), "is_flag=True")]
    args = [quote(name), *(["flag=True"] if builder._is_flag() else []), *parts]
    builder.result.decorator = f"{builder.env.code(call)}({', '.join(args)})"


def _infer_from_default(node: cst.BaseExpression) -> types.TypeInfo:
    value = _literal(cst.Module([]).code_for_node(node))
    if isinstance(value, bool):
        return types.TypeInfo(base="bool")
    return types.TypeInfo()


def _new_annotation(inner: cst.BaseExpression | None, env: Env) -> cst.BaseExpression | None:
    if inner is None:
        return None
    if env.names.resolve(inner) in types.FILES:
        return None
    return env.translate(inner)


class _Builder:
    """Accumulates the decorator's arguments in a readable order."""

    def __init__(self, name: str, kind: str, tinfo: types.TypeInfo, kwargs: dict, env: Env, result: Converted) -> None:
        self.name, self.kind, self.t, self.kw, self.env, self.result = name, kind, tinfo, kwargs, env, result
        self.parts: list[str] = []

    def code(self, key: str) -> str:
        return self.env.code(self.kw[key])

    def build(self, positional: list[cst.BaseExpression], default: cst.BaseExpression | None, required: bool) -> None:
        if ("parser" in self.kw or "click_type" in self.kw) and self.t.base == "enum":
            self.t.base = "other"  # a capitalised class with its own parser: the parser makes the value, once
        if self.kind == "Option":
            self._option_decls([self.env.code(p) for p in positional])
        else:
            self.parts.append(quote(self.name))
        self._type()
        self._default(default, required)
        self._passthrough()
        self._dropped()
        func = "click.option" if self.kind == "Option" else "click.argument"
        self.result.decorator = f"{func}({', '.join(self.parts)})"
        self._prelude(default, required)

    def _is_flag(self) -> bool:
        return self.kind == "Option" and self.t.base == "bool" and not self.t.multiple

    def _option_decls(self, decls: list[str]) -> None:
        values = [_literal(d) for d in decls]
        if not decls:
            flag = self.name.replace("_", "-")
            decls = [quote(f"--{flag}/--no-{flag}" if self._is_flag() else f"--{flag}")]
            values = [_literal(decls[0])]
        self.parts.extend(decls)
        if any(not isinstance(v, str) for v in values) or click_name(values) != self.name:
            self.parts.append(quote(self.name))
        if self._is_flag() and not any(isinstance(v, str) and "/" in v for v in values):
            self.parts.append("is_flag=True")

    def _type(self) -> None:
        t = self.t
        if "click_type" in self.kw or "parser" in self.kw:
            self.parts.append(f"type={self.code('click_type' if 'click_type' in self.kw else 'parser')}")
            return
        if t.base == "tuple":
            items = [self._base_type(item) or "str" for item in t.tuple_items or []]
            self.parts.append(f"type=({', '.join(items)}{',' if len(items) == 1 else ''})")
        else:
            code = self._base_type(t)
            if code and not (self.kw.get("count") is not None and t.base == "int"):
                self.parts.append(f"type={code}")
        if t.multiple:
            self.parts.append("multiple=True" if self.kind == "Option" else "nargs=-1")

    def _base_type(self, t: types.TypeInfo) -> str | None:
        kw = self.kw
        if t.base in ("int", "float"):
            if "min" in kw or "max" in kw:
                cls = "click.IntRange" if t.base == "int" else "click.FloatRange"
                args = [f"{k}={self.code(k)}" for k in ("min", "max", "clamp") if k in kw]
                return f"{cls}({', '.join(args)})"
            return t.base
        if t.base == "bool":
            return None if self._is_flag() else "bool"
        if t.base == "str":
            return None
        if t.base == "path":
            args = [f"{k}={self.code(k)}" for k in PATH_KWARGS if k in kw]
            path_type = self.code("path_type") if "path_type" in kw else t.code
            return f"click.Path({', '.join([*args, f'path_type={path_type}'])})"
        if t.base == "datetime":
            return f"click.DateTime({self.code('formats')})" if "formats" in kw else "click.DateTime()"
        if t.base == "uuid":
            return "click.UUID"
        if t.base == "file":
            mode = self.code("mode") if "mode" in kw else quote(t.file_mode)
            args = [mode, *(f"{k}={self.code(k)}" for k in FILE_KWARGS if k in kw)]
            return f"click.File({', '.join(args)})"
        if t.base in ("enum", "literal"):
            choices = f"[e.value for e in {t.code}]" if t.base == "enum" else f"[{', '.join(t.literals)}]"
            case = f", case_sensitive={self.code('case_sensitive')}" if "case_sensitive" in kw else ""
            return f"click.Choice({choices}{case})"
        if t.base == "other":
            self.result.todos.append(f"check the Click type for '{self.name}' (Typer annotation {t.unknown})")
            return t.code
        return None

    def _default(self, default: cst.BaseExpression | None, required: bool) -> None:
        if required:
            if self.kind == "Option" or self.t.multiple:
                self.parts.append("required=True")
            return
        code = self.env.code(default)
        if code == "None":
            if self.kind == "Argument" and not self.t.multiple:
                self.parts.append("required=False")
            if self._is_flag():  # Click makes an unset boolean flag False; Typer passes None
                self.parts.append("default=None")
            return
        if self.t.base == "enum":
            code = (
                f"[v.value for v in {code}]"
                if self.t.multiple
                else (f"{code}.value" if isinstance(default, (cst.Attribute, cst.Name)) else code)
            )
        elif (
            self.t.base == "str"
            and not self.t.multiple
            and code in ("True", "False")
            or (self.t.base == "str" and isinstance(default, (cst.Integer, cst.Float)))
        ):  # ``Optional[str] = typer.Option(False)``: Click would take its type from the default
            self.parts.append("type=str")
        elif self.t.base in ("int", "float") and not self.t.multiple:
            redundant = isinstance(default, cst.Integer if self.t.base == "int" else cst.Float)
            if redundant and "min" not in self.kw and "max" not in self.kw and f"type={self.t.base}" in self.parts:
                self.parts.remove(f"type={self.t.base}")
        self.parts.append(f"default={code}")

    def _passthrough(self) -> None:
        allowed = PASS_OPTION if self.kind == "Option" else PASS_ARGUMENT
        for key in allowed:
            if key in self.kw:
                self.parts.append(f"{key}={self._callback() if key == 'callback' else self.code(key)}")
        if self.kind == "Option" and "envvar" in self.kw and "show_envvar" not in self.kw:
            self.parts.append("show_envvar=True")
        if "show_default" in self.kw:
            self.parts.append(f"show_default={self.code('show_default')}")
        if "rich_help_panel" in self.kw:
            self.parts.append(f"rich_help_panel={self.code('rich_help_panel')}")
        if self.kind == "Argument":
            self.parts.append("cls=TyperArgument")  # Typer's help= and "Arguments" help section
        elif "rich_help_panel" in self.kw:
            self.parts.append("cls=TyperOption")  # its own panel in rich help

    def _callback(self) -> str:
        """A function of this module is given Click's signature (``param_callbacks``); any other callback
        (imported, a method, a lambda) is called by the shim as Typer calls it."""
        value = self.kw["callback"]
        code = self.code("callback")
        return code if isinstance(value, cst.Name) and value.value in self.env.functions else f"TyperCallback({code})"

    def _dropped(self) -> None:
        if "rich_help_panel" in self.kw:
            self.result.notes.append(f"rich_help_panel of '{self.name}' kept: shown as a panel when rich is installed")
        if self.kind == "Argument":
            for key in ("show_choices",):
                if key in self.kw:
                    self.result.notes.append(f"{key}= of argument '{self.name}' dropped: Click arguments take no {key}")
        if "autocompletion" in self.kw:  # Typer's callback, adapted by the shim
            self.parts.append(f"shell_complete=TyperCompletion({self.code('autocompletion')})")
        for key in ("min", "max", "clamp"):
            if key in self.kw and self.t.base not in ("int", "float"):
                self.result.todos.append(f"{key}= of '{self.name}' has no Click equivalent for this type")

    def _prelude(self, default: cst.BaseExpression | None, required: bool) -> None:
        name, t = self.name, self.t
        unset_is_none = required or default is None or self.env.code(default) == "None"
        if t.multiple:
            items = f"[{t.code}(v) for v in {name}]" if t.base == "enum" else f"list({name})"
            self.result.prelude.append(f"{name} = {items}" + (" or None" if unset_is_none else ""))
        elif t.base == "enum":
            if unset_is_none and not required:
                self.result.prelude.append(f"{name} = None if {name} is None else {t.code}({name})")
            else:
                self.result.prelude.append(f"{name} = {t.code}({name})")
