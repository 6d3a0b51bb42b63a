"""A start beside a FastAPI app moves into the app's lifespan: the scheduler runs on the server's loop.

In a body (the module, or a function such as an app factory) holding both ``app = FastAPI(...)``
(no ``lifespan=`` yet) and the converted start, ``_asyncshift_start_scheduler(scheduler)``, the
start statement goes and the app gets ``lifespan=_asyncshift_lifespan``, defined just above it:
the scheduler starts when the server starts, on its loop, and shuts down with it. Comments above
the start stay, on the statement after it.
"""

from __future__ import annotations

import libcst as cst

from codemods.apscheduler_to_asyncio import helpers
from codemods.base import TODO_MARKER

LIFESPAN = "_asyncshift_lifespan"
_STARTS = (helpers.START, helpers.START_FLASK)

_TEMPLATE = '''
@contextlib.asynccontextmanager
async def {name}(app):
    """The scheduler starts on the server's event loop and stops with it (written by asyncshift)."""
{starts}
    try:
        yield
    finally:
{stops}
'''


def is_fastapi_app(statement: cst.CSTNode) -> cst.Assign | None:
    """``name = FastAPI(...)`` with no ``lifespan=``; None for anything else."""
    if not (isinstance(statement, cst.SimpleStatementLine) and isinstance(statement.body[0], cst.Assign)):
        return None
    assign = statement.body[0]
    call = assign.value
    if not isinstance(call, cst.Call) or len(assign.targets) != 1:
        return None
    func = call.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    if name != "FastAPI" or any(a.keyword and a.keyword.value == "lifespan" for a in call.args):
        return None
    return assign


def _start(statement: cst.CSTNode) -> cst.Arg | None:
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return None
    expr = statement.body[0]
    if not (isinstance(expr, cst.Expr) and isinstance(expr.value, cst.Call)):
        return None
    call = expr.value
    if isinstance(call.func, cst.Name) and call.func.value in _STARTS and len(call.args) == 1:
        return call.args[0]
    return None


def move_starts(module: cst.Module, body: list[cst.BaseStatement], *, top: bool) -> list[cst.BaseStatement] | None:
    """``body`` with its starts moved into a lifespan of its FastAPI app; None when there is nothing to move."""
    apps = [i for i, s in enumerate(body) if is_fastapi_app(s)]
    starts = [i for i, s in enumerate(body) if _start(s) is not None]
    if len(apps) != 1 or not starts:
        return None
    schedulers = [module.code_for_node(_start(body[i]).value) for i in starts]
    text = _TEMPLATE.format(
        name=LIFESPAN,
        starts="\n".join(f"    {s}.start()" for s in schedulers),
        stops="\n".join(f"        if {s}.running:\n            {s}.shutdown(wait=False)" for s in schedulers),
    )
    lifespan = cst.parse_statement(text.strip() + "\n")
    new: list[cst.BaseStatement] = []
    carried: list[cst.EmptyLine] = []
    for index, statement in enumerate(body):
        if index in starts:  # its own comments (not its TODOs) go to the next statement
            carried += [
                line
                for line in statement.leading_lines
                if not (line.comment and line.comment.value.startswith(TODO_MARKER))
            ]
            continue
        if carried:
            statement = statement.with_changes(leading_lines=[*carried, *statement.leading_lines])
            carried = []
        if index == apps[0]:  # blank lines around the new function, as formatters write them
            blank = [cst.EmptyLine(indent=False)] * (2 if top else 1)
            lead = list(statement.leading_lines)
            lifespan = lifespan.with_changes(leading_lines=lead if any(not x.comment for x in lead) else blank + lead)
            statement = _with_lifespan(statement).with_changes(leading_lines=blank)
            new.append(lifespan)
        new.append(statement)
    return new


def _with_lifespan(statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    assign = statement.body[0]
    call = assign.value
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    args = list(call.args)
    if args and not isinstance(args[-1].comma, cst.Comma):
        args[-1] = args[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    args.append(cst.Arg(cst.Name(LIFESPAN), keyword=cst.Name("lifespan"), equal=equal))
    return statement.with_changes(body=[assign.with_changes(value=call.with_changes(args=args))])
