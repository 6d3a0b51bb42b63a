"""Small libcst builders and readers every rule shares: ``call("f", arg(x))``, a keyword's value, a string's text.

Kept apart so the rules can build code without importing each other.
"""

from __future__ import annotations

import libcst as cst


def code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)


def expr(text: str) -> cst.BaseExpression:
    return cst.parse_expression(text)


def arg(value: cst.BaseExpression, keyword: str | None = None) -> cst.Arg:
    if keyword is None:
        return cst.Arg(value)
    return cst.Arg(
        value, keyword=cst.Name(keyword), equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))
    )


def call(name: str, *args: cst.Arg) -> cst.Call:
    return cst.Call(expr(name), commas(args))


def commas(args) -> list[cst.Arg]:
    """Arguments re-joined with plain ", " (no trailing comma left from the original call)."""
    return [a.with_changes(comma=cst.MaybeSentinel.DEFAULT) for a in args]


def keyword_value(node: cst.Call, name: str) -> cst.BaseExpression | None:
    """The value passed as ``name=`` in the call, if any."""
    return next((a.value for a in node.args if a.keyword and a.keyword.value == name), None)


def argument(node: cst.Call, position: int, keyword: str) -> cst.BaseExpression | None:
    """The value the call passes at ``position`` (``*args`` not counted: where they land is unknown) or as
    ``keyword=``, if any: ``add_url_rule(rule, endpoint, view_func)``'s view is ``argument(c, 2, "view_func")``."""
    value = keyword_value(node, keyword)
    if value is not None:
        return value
    positional = [a for a in node.args if a.keyword is None and not a.star]
    return positional[position].value if len(positional) > position else None


def string_value(node: cst.BaseExpression | None) -> str | None:
    """The text of a string literal; None for anything else."""
    return node.evaluated_value if isinstance(node, cst.SimpleString) else None


def string_literal(text: str) -> cst.SimpleString:
    """A double-quoted literal for ``text`` (``repr`` when quotes or backslashes need escaping)."""
    return cst.SimpleString(f'"{text}"' if '"' not in text and "\\" not in text else repr(text))


def quoted_like(text: str, original: cst.BaseExpression) -> str:
    """``text`` as a literal in the quotes the original literal used (double quotes otherwise)."""
    quote = original.quote if isinstance(original, cst.SimpleString) else '"'
    if quote not in ('"', "'"):
        quote = '"'
    return f"{quote}{text}{quote}" if quote not in text else f'"{text}"'


def is_super_init(node: cst.BaseExpression) -> bool:
    """``super().__init__(...)``."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "__init__"
        and isinstance(node.func.value, cst.Call)
        and isinstance(node.func.value.func, cst.Name)
        and node.func.value.func.value == "super"
    )
