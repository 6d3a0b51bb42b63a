"""Database URLs the codemod cannot read (env vars, settings, ``URL.create``): an async driver at run time.

``create_async_engine`` refuses a sync DBAPI, and ``os.getenv("DB_URL", "sqlite:///app.db")`` is only known
when the program runs. So the URL expression is wrapped in a small helper written into the converted module
itself (SQLAlchemy's ``make_url`` and ``URL.set``, nothing of the toolkit's): a sync driver is swapped for the
async one of its dialect, an async one is kept. The literal defaults are left as they are, since the same
variable may feed sync users too (Alembic, a sync engine); the helper covers whatever value reaches the engine.
"""

from __future__ import annotations

import re

import libcst as cst

from codemods import cst_walk
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.unittest_cases import SYNC_CALLER, TEST_REQUESTS

# dialect -> (async driver, the package it needs); the sync drivers each dialect may name before it
ASYNC_DRIVERS = {"postgresql": ("asyncpg", "asyncpg"), "sqlite": ("aiosqlite", "aiosqlite")}
ASYNC_DRIVERS |= {"mysql": ("aiomysql", "aiomysql"), "mariadb": ("aiomysql", "aiomysql")}
SYNC_DRIVERS = {"", "psycopg2", "psycopg", "psycopg2cffi", "pg8000", "pysqlite", "pymysql", "mysqldb"}
ALREADY_ASYNC = {"asyncpg", "aiosqlite", "aiomysql", "asyncmy", "psycopg_async", "aioodbc", "aiosqlite_async"}
DRIVER_RULE = "postgresql+asyncpg://, sqlite+aiosqlite://, mysql+aiomysql://"
_SCHEME = re.compile(r"^(?P<dialect>[a-z]+)(?:\+(?P<driver>[a-z0-9_]+))?://")


def async_url(url: str) -> tuple[str, str | None] | None:
    """``(url with an async driver, package it needs)``; None when no rule covers the dialect or driver."""
    match = _SCHEME.match(url)
    if match is None:
        return None
    dialect = "postgresql" if match["dialect"] == "postgres" else match["dialect"]
    driver = match["driver"] or ""
    if driver in ALREADY_ASYNC:
        return url, None
    if dialect not in ASYNC_DRIVERS or driver not in SYNC_DRIVERS:
        return None
    async_driver, package = ASYNC_DRIVERS[dialect]
    return f"{dialect}+{async_driver}://" + url[match.end() :], package


HELPER = "_async_database_url"
_SCHEME_IN_TEXT = re.compile(r"\b(?:postgres(?:ql)?|sqlite|mysql|mariadb)(?:\+[a-z0-9_]+)?://")


def helper_code(name: str, drivers: dict, sync: set[str]) -> str:
    """The helper's source, from the same driver tables as the literal rewrite (they cannot disagree)."""
    table = ", ".join(f'"{dialect}": "{driver}"' for dialect, (driver, _) in sorted(drivers.items()))
    sync_names = ", ".join(f'"{d}"' for d in sorted(sync))
    return f'''

def {name}(url):
    """The URL with an async driver: create_async_engine takes no sync DBAPI (written by asyncshift)."""
    from sqlalchemy.engine import make_url

    url = make_url(url)
    dialect, _, driver = url.drivername.partition("+")
    dialect = "postgresql" if dialect == "postgres" else dialect
    drivers = {{{table}}}
    if dialect not in drivers or driver not in {{{sync_names}}}:
        return url  # an async driver already, or a dialect without a rule (SQLAlchemy will say)
    url = url.set(drivername=f"{{dialect}}+{{drivers[dialect]}}")
    if drivers[dialect] == "asyncpg" and "sslmode" in url.query:  # asyncpg spells it ssl
        url = url.update_query_dict({{"ssl": url.query["sslmode"]}}).difference_update_query(["sslmode"])
    return url

'''


def helper_name(conv: Conversion, wanted: str = HELPER) -> str:
    """``wanted``, unless the module has that name already."""
    facts = conv.project.modules.get(conv.name)
    taken = set(facts.variables) | set(facts.functions) | set(facts.bindings) if facts else set()
    return next(n for n in (wanted, f"{wanted}_", f"_asyncshift{wanted}") if n not in taken)


def wrapped(conv: Conversion, node: cst.BaseExpression) -> cst.BaseExpression:
    """``node`` handed through the helper (written into the module once, before its first use)."""
    if conv.url_helper is None:
        conv.url_helper = helper_name(conv)
        conv.helpers["url"] = (conv.url_helper, helper_code(conv.url_helper, ASYNC_DRIVERS, SYNC_DRIVERS))
    for package in packages_in(conv, node):
        conv.require(package)
    conv.notes.note(f"{conv.url_helper}(): a database URL known only at run time gets its async driver there")
    return cst.Call(cst.Name(conv.url_helper), args=[cst.Arg(node)])


def packages_in(conv: Conversion, node: cst.BaseExpression) -> list[str]:
    """The driver packages the literal URLs behind ``node`` need: in it, or in the module variable it names."""
    texts = [conv.module.code_for_node(node)]
    if isinstance(node, cst.Name):
        texts += [conv.module.code_for_node(v) for v in _module_values(conv.module, node.value)]
    found = []
    for text in texts:
        for match in _SCHEME_IN_TEXT.finditer(text):
            converted = async_url(match.group(0))
            if converted and converted[1] and converted[1] not in found:
                found.append(converted[1])
    return found


def _module_values(module: cst.Module, name: str) -> list[cst.BaseExpression]:
    values = []
    for statement in module.body:
        for small in statement.body if isinstance(statement, cst.SimpleStatementLine) else ():
            if isinstance(small, cst.Assign) and any(
                isinstance(t.target, cst.Name) and t.target.value == name for t in small.targets
            ):
                values.append(small.value)
            elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name) and small.value is not None:
                if small.target.value == name:
                    values.append(small.value)
    return values


def add_helper(module: cst.Module, name: str, code: str) -> cst.Module:
    """The helper inserted before the first top-level statement that uses it (so it exists by then)."""
    body = list(module.body)
    at = next((i for i, s in enumerate(body) if _uses(s, name)), len(body))
    blank = [cst.EmptyLine(), cst.EmptyLine()]
    helper = cst.parse_module(code.strip("\n") + "\n").body[0].with_changes(leading_lines=blank)
    if at < len(body):
        kept = list(body[at].leading_lines)
        while kept and kept[0].comment is None:
            kept.pop(0)
        body[at] = body[at].with_changes(leading_lines=[*blank, *kept])
    return module.with_changes(body=[*body[:at], helper, *body[at:]])


def _uses(node: cst.CSTNode, name: str) -> bool:
    """Whether a name ``name`` is in ``node`` (a walk that builds no nodes and stops at the first: ``cst_walk``)."""
    if type(node) is cst.Name:
        return node.value == name
    return any(_uses(child, name) for child in cst_walk.children(node))


def task_scope(conv: Conversion) -> str:
    """The ``scopefunc`` of an ``async_scoped_session``, written into the module once: the running task, or
    None outside any loop (``asyncio.current_task()`` raises there, and sync code may still open a session) and on
    the loop a sync caller runs a coroutine to its end on (``_run_to_end``: a unittest test's ``add`` outside a loop
    and its ``commit`` run so are on one session, as on the thread's one before), and on the loop the Flask-style
    test client serves a sync test's requests on (``TEST_REQUESTS``): Flask's client ran them in the test's thread,
    on its one thread-local session, so what a request committed was on the objects the test read after it (a
    revote's new choice; per task, the test's session kept the old one in its identity map)."""
    if "task" not in conv.helpers:
        name = helper_name(conv, "_current_task_or_none")
        asyncio = conv.use_module("asyncio")
        doc = '"""The running asyncio task (async_scoped_session\'s scope), None outside a loop (by asyncshift)."""'
        code = f"def {name}():\n    {doc}\n    try:\n        task = {asyncio}.current_task()\n"
        code += "    except RuntimeError:\n        return None\n"
        code += f"    loop = {asyncio}.get_running_loop()\n"
        code += f'    shared = getattr(loop, "{SYNC_CALLER}", False) or getattr(loop, "{TEST_REQUESTS}", False)\n'
        code += "    return None if shared else task\n"
        conv.helpers["task"] = (name, code)
    return conv.helpers["task"][0]
