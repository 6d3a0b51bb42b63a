"""Engines: ``create_engine(url)`` to ``create_async_engine`` with the async driver the URL needs.

An async engine only takes an async DBAPI (``postgresql+asyncpg://``, ``sqlite+aiosqlite://``); a literal
URL is rewritten; any other (env var, settings, ``URL.create``) goes through a helper written into the module
(``urls``) that does the same at run time. ``metadata.create_all(engine)`` runs through
``conn.run_sync`` on ``engine.begin()``, as AsyncEngine has no sync ``connect``.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import drivers, engine_exits, engine_pools, pinned, urls
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.urls import _SCHEME, DRIVER_RULE, async_url

__all__ = ["ENGINE_FACTORIES", "async_url", "create_engine", "run_sync_statement"]

ENGINE_FACTORIES = {"sqlalchemy.create_engine", "sqlalchemy.engine.create_engine", "sqlalchemy.engine_from_config"}
ENGINE_FACTORIES |= {"sqlmodel.create_engine"}  # SQLAlchemy's, re-exported


def create_engine(conv: Conversion, original: cst.Call, updated: cst.Call) -> cst.Call:
    """``create_engine(url, ...)``: the URL given an async driver (the name itself is renamed elsewhere)."""
    conv.require("sqlalchemy[asyncio]>=1.4.24" if pinned.below_2(conv.notes.source) else "sqlalchemy[asyncio]>=2.0")
    if conv.type_of(original.func) == "ref:sqlalchemy.engine_from_config":
        conv.todo(f"the URL in this configuration needs an async driver ({DRIVER_RULE})")
        return updated
    index, arg = _url_arg(updated)
    if arg is None:
        return updated
    rewritten = _literal_url(conv, arg.value)
    sqlite = rewritten is not None and _literal_sqlite(conv, rewritten)
    pooled = engine_pools.needed(conv, updated, sqlite)
    if rewritten is None:
        rewritten = urls.wrapped(conv, arg.value)
        packages = urls.packages_in(conv, arg.value)
        if not packages:  # create_engine(db_url): the URLs the project names
            packages = drivers.around(sorted(conv.project.by_source))
            for package in packages:
                conv.require(package)
        sqlite = True  # known at run time: may be SQLite (a test's URL); the stop is a noop for other drivers
    args = list(updated.args)
    args[index] = arg.with_changes(value=rewritten)
    updated = updated.with_changes(args=args)
    updated = engine_pools.wrapped(conv, updated) if pooled else updated
    return engine_exits.wrapped(conv, updated) if sqlite and engine_exits.needed(conv) else updated


def _literal_sqlite(conv: Conversion, node: cst.BaseExpression) -> bool:
    """Whether a rewritten literal URL names aiosqlite."""
    return conv.module.code_for_node(node).lstrip("rRbBuUfF").lstrip("'\"").startswith("sqlite+aiosqlite://")


def _url_arg(call: cst.Call) -> tuple[int, cst.Arg | None]:
    for index, arg in enumerate(call.args):
        if (arg.keyword is None and arg.star == "") or (arg.keyword and arg.keyword.value == "url"):
            return index, arg
    return -1, None


def _literal_url(conv: Conversion, node: cst.BaseExpression) -> cst.BaseExpression | None:
    """The URL node rewritten, or None when it is not a literal (or its scheme is not literal)."""
    if isinstance(node, cst.SimpleString) and "b" not in node.prefix.lower():
        quote = node.quote
        url = node.raw_value if hasattr(node, "raw_value") else node.value[len(node.prefix) + len(quote) : -len(quote)]
        return _rewritten(conv, url, lambda new: node.with_changes(value=f"{node.prefix}{quote}{new}{quote}"))
    if isinstance(node, cst.FormattedString) and node.parts and isinstance(node.parts[0], cst.FormattedStringText):
        first = node.parts[0]
        if not _SCHEME.match(first.value):
            return None  # f"{scheme}://..." or the scheme split over parts: known at run time only
        return _rewritten(
            conv,
            first.value,
            lambda new: node.with_changes(parts=[first.with_changes(value=new), *node.parts[1:]]),
        )
    return None


def _rewritten(conv: Conversion, url: str, build) -> cst.BaseExpression | None:
    found = async_url(url)
    if found is None:
        if _SCHEME.match(url):
            conv.todo(f"no async driver rule for this database URL: use an async DBAPI ({DRIVER_RULE})")
            return build(url)
        return None
    new, package = found
    if package:
        conv.require(package)
    return build(new)


def run_sync_statement(conv: Conversion, line: cst.SimpleStatementLine) -> cst.BaseStatement | None:
    """``metadata.create_all(engine)`` alone on its line -> ``async with engine.begin() as conn:`` + run_sync
    (on a connection: ``await connection.run_sync(metadata.create_all)``)."""
    if len(line.body) != 1 or not isinstance(line.body[0], cst.Expr):
        return None
    call = line.body[0].value
    if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
        return None
    if call.func.attr.value not in ("create_all", "drop_all") or len(call.args) != 1:
        return None
    arg = call.args[0]
    if arg.keyword is not None and arg.keyword.value != "bind":
        return None
    bind = conv.type_of(arg.value)
    if bind not in ("sqla:engine", "sqla:connection"):
        return None
    if not conv.can_await(f"{conv.module.code_for_node(call.func)}(engine)", "runs through 'await conn.run_sync' now"):
        return None
    engine = conv.module.code_for_node(arg.value)
    method = conv.module.code_for_node(call.func)
    if bind == "sqla:connection":  # already connected: run it on that connection
        awaited = cst.parse_statement(f"await {engine}.run_sync({method})\n")
        return awaited.with_changes(leading_lines=line.leading_lines, trailing_whitespace=line.trailing_whitespace)
    block = cst.parse_statement(f"async with {engine}.begin() as conn:\n    await conn.run_sync({method})\n")
    return block.with_changes(leading_lines=line.leading_lines)
