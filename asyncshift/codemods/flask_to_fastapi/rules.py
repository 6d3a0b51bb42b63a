"""URL rules and converters: ``/post/<int:id>`` to ``/post/{id:int}`` with the parameter's type.

Starlette's own convertors (int, float, path, uuid) route exactly as Flask's do, so a URL that
Flask answered with 404 still gets 404; length and range limits become ``Path()`` constraints.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

_RULE_PART = re.compile(
    r"<(?:(?P<conv>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<args>.*?)\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)

_CONVERTORS = {
    None: ("", "str"),
    "default": ("", "str"),
    "string": ("", "str"),
    "int": (":int", "int"),
    "float": (":float", "float"),
    "path": (":path", "str"),
    "uuid": (":uuid", "UUID"),
}


@dataclass
class PathParam:
    name: str
    annotation: str  # source text, e.g. "int" or "Annotated[str, Path(min_length=2)]"
    uses: frozenset[str] = frozenset()  # extra imports it needs: "UUID", "Annotated", "Path", "Literal"


@dataclass
class Rule:
    path: str
    params: list[PathParam]
    problem: str | None = None


def _converter_args(text: str) -> tuple[list, dict]:
    call = ast.parse(f"f({text})", mode="eval").body
    return [ast.literal_eval(a) for a in call.args], {k.arg: ast.literal_eval(k.value) for k in call.keywords}


def convert(rule: str) -> Rule:
    """Translate one Flask rule; an unknown converter keeps a plain ``{name}`` and reports a problem."""
    params: list[PathParam] = []
    problem = None

    def replace(match: re.Match) -> str:
        nonlocal problem
        conv, args, name = match.group("conv"), match.group("args"), match.group("name")
        if conv == "any":
            values = ", ".join(repr(v.strip().strip("'\"")) for v in (args or "").split(",") if v.strip())
            params.append(PathParam(name, f"Literal[{values}]", frozenset({"Literal"})))
            return "{" + name + "}"
        try:
            pos, kw = _converter_args(args) if args else ([], {})
        except (SyntaxError, ValueError):
            pos, kw = [], {}
            problem = f"converter arguments {args!r} for <{name}> are not literals; check the path parameter"
        if conv == "any":
            values = ", ".join(repr(v) for v in pos)
            params.append(PathParam(name, f"Literal[{values}]", frozenset({"Literal"})))
            return "{" + name + "}"
        if conv not in _CONVERTORS:
            problem = f"custom URL converter '{conv}' for <{name}>: parse the str parameter by hand"
            params.append(PathParam(name, "str"))
            return "{" + name + "}"
        suffix, annotation = _CONVERTORS[conv]
        limits = []
        if conv in ("string", "default", None):
            if "length" in kw or len(pos) == 3:
                length = kw.get("length", pos[2] if len(pos) == 3 else None)
                limits = [f"min_length={length}", f"max_length={length}"]
            else:
                if kw.get("minlength", pos[0] if pos else 1) not in (1, None):
                    limits.append(f"min_length={kw.get('minlength', pos[0] if pos else 1)}")
                if kw.get("maxlength") is not None or len(pos) > 1:
                    limits.append(f"max_length={kw.get('maxlength', pos[1] if len(pos) > 1 else None)}")
        elif conv in ("int", "float"):
            if kw.get("signed"):
                suffix = ""  # Starlette's convertors take no sign: validate as a plain typed parameter
            if kw.get("min") is not None:
                limits.append(f"ge={kw['min']}")
            if kw.get("max") is not None:
                limits.append(f"le={kw['max']}")
        uses = {"UUID"} if annotation == "UUID" else set()
        if limits:
            annotation = f"Annotated[{annotation}, Path({', '.join(limits)})]"
            uses |= {"Annotated", "Path"}
        params.append(PathParam(name, annotation, frozenset(uses)))
        return "{" + name + suffix + "}"

    path = _RULE_PART.sub(replace, rule)
    return Rule(path, params, problem)


def join_prefix(prefix: str) -> str:
    """Flask strips a blueprint prefix's trailing slash; FastAPI refuses one."""
    return prefix.rstrip("/")
