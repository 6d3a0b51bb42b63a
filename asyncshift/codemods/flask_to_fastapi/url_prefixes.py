"""A blueprint's ``url_prefix`` known only at run time (a config value, a parameter), as FastAPI wants it.

Flask takes ``None`` or ``""`` as no prefix and strips a trailing slash; FastAPI adds the router's prefix to every
path (``None + "/x"``: a TypeError when the app is built) and refuses a trailing slash. A literal prefix is
joined when converted (``rules.join_prefix``); any other expression becomes ``(value or "").rstrip("/")``.
"""

from __future__ import annotations

import libcst as cst

from codemods.flask_to_fastapi import rules
from codemods.flask_to_fastapi.nodes import arg, string_literal, string_value


def prefix_arg(value: cst.BaseExpression) -> cst.Arg:
    """``prefix=`` for ``APIRouter``/``include_router`` from Flask's ``url_prefix`` value."""
    text = string_value(value)
    return arg(string_literal(rules.join_prefix(text)) if text is not None else runtime_prefix(value), "prefix")


def runtime_prefix(value: cst.BaseExpression) -> cst.BaseExpression:
    """``value`` as a prefix FastAPI takes: ``(value or "").rstrip("/")``."""
    either = cst.BooleanOperation(
        value, cst.Or(), cst.SimpleString('""'), lpar=[cst.LeftParen()], rpar=[cst.RightParen()]
    )
    return cst.Call(cst.Attribute(either, cst.Name("rstrip")), [cst.Arg(cst.SimpleString('"/"'))])
