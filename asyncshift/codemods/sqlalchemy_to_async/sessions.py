"""Sessions: ``Session``/``sessionmaker``/``scoped_session`` to their async twins, ``with`` to ``async with``.

Every name SQLAlchemy has an async twin for is renamed where it is used (annotations included); an
``async_sessionmaker`` gets ``expire_on_commit=False`` (an expired attribute read after commit would be a
lazy load, which raises under asyncio) and an ``async_scoped_session`` is scoped to the current task.
"""

from __future__ import annotations

import libcst as cst

from codemods.sqlalchemy_to_async import legacy_session_calls, pinned, sqla, urls
from codemods.sqlalchemy_to_async.conversion import Conversion
from codemods.sqlalchemy_to_async.exprs import from_cst

FACTORIES = {"sqlalchemy.orm.sessionmaker", "sqlalchemy.orm.session.sessionmaker"}
SCOPED = {"sqlalchemy.orm.scoped_session", "sqlalchemy.orm.scoping.scoped_session"}
SESSIONS = {"sqlalchemy.orm.Session", "sqlalchemy.orm.session.Session", "sqlmodel.Session"}
SESSIONS |= {"sqlmodel.orm.session.Session"}


def twin(conv: Conversion, original: cst.Name | cst.Attribute) -> cst.Name | None:
    """The async twin's local name for a reference to a sync SQLAlchemy name, else None."""
    found = conv.type_of(original)
    if not found or not found.startswith("ref:") or found[4:] not in sqla.ASYNC_TWINS:
        return None
    if found[4:] in FACTORIES and pinned.below_2(conv.notes.source):
        return None  # sessionmaker(class_=AsyncSession): ``factory``
    module, name = sqla.ASYNC_TWINS[found[4:]]
    conv.require("sqlalchemy[asyncio]>=1.4.24" if pinned.below_2(conv.notes.source) else "sqlalchemy[asyncio]>=2.0")
    return cst.Name(conv.use(module, name))


def _keyword(call: cst.Call, name: str) -> cst.Arg | None:
    return next((a for a in call.args if a.keyword and a.keyword.value == name), None)


def _with_keyword(call: cst.Call, name: str, value: str) -> cst.Call:
    args = list(call.args)
    trailing: cst.BaseParenthesizableWhitespace = cst.SimpleWhitespace("")
    if args:  # the space before ``)`` (a newline, in a call over several lines) moves after the new argument
        trailing = args[-1].whitespace_after_arg
        comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = args[-1].with_changes(comma=comma, whitespace_after_arg=cst.SimpleWhitespace(""))
    equal = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))
    new = cst.Arg(cst.parse_expression(value), keyword=cst.Name(name), equal=equal, whitespace_after_arg=trailing)
    return call.with_changes(args=[*args, new])


def factory(conv: Conversion, callee: str, updated: cst.Call) -> cst.Call:
    """``sessionmaker(...)`` / ``scoped_session(...)`` / ``Session(engine)`` after renaming: the keywords asyncio
    needs. A session built directly keeps its attributes after commit too: FastAPI's ``with Session(engine) as
    session: yield session`` returned a committed object whose expired attributes its response then read."""
    positional = [a for a in updated.args if a.keyword is None and not a.star]
    given = _keyword(updated, "class_")
    if callee in FACTORIES and given is not None and not pinned.below_2(conv.notes.source):
        if sync_subclass(conv, given.value):  # async_sessionmaker(class_=X) would make X's sync sessions
            args = [a.with_changes(keyword=cst.Name("sync_session_class")) if a is given else a for a in updated.args]
            updated = updated.with_changes(args=args)
    if callee in SESSIONS and _keyword(updated, "expire_on_commit") is None and len(positional) < 3:
        if not any(a.star for a in updated.args):
            return _with_keyword(updated, "expire_on_commit", "False")
    if callee in FACTORIES and pinned.below_2(conv.notes.source) and _keyword(updated, "class_") is None:
        if len(positional) > 1:
            conv.todo("SQLAlchemy < 2.0 has no async_sessionmaker: give this sessionmaker class_=AsyncSession")
            return updated
        conv.require("sqlalchemy[asyncio]>=1.4.24")
        updated = _with_keyword(updated, "class_", conv.use("sqlalchemy.ext.asyncio", "AsyncSession"))
    if callee in FACTORIES and _keyword(updated, "expire_on_commit") is None and len(positional) < 4:
        conv.notes.note("async_sessionmaker(expire_on_commit=False): attributes stay loaded after commit")
        return _with_keyword(updated, "expire_on_commit", "False")
    if callee in SCOPED:
        if _keyword(updated, "scopefunc") is not None or len(positional) > 1:
            conv.todo("async_scoped_session: scopefunc must tell asyncio tasks apart (asyncio.current_task)")
            return updated
        return _with_keyword(updated, "scopefunc", urls.task_scope(conv))
    return updated


def with_statement(conv: Conversion, original: cst.With, updated: cst.With) -> cst.With | cst.FlattenSentinel:
    """``with Session() as s`` / ``with s.begin()`` / ``with engine.connect()``... -> ``async with``."""
    if updated.asynchronous is not None:
        return updated
    flags = [conv.async_context(item.item) for item in original.items]
    if not any(flags):
        for item in original.items:
            if item.asname is not None and conv.project.types.entered(conv.type_of(item.item)) == "sqla:session":
                what = conv.module.code_for_node(item.item)
                conv.todo(
                    f"'with {what}' gives a session, an AsyncSession now: if it opens or closes it, "
                    "it must become an async context manager (async with)"
                )
        return updated
    what = conv.module.code_for_node(updated.items[flags.index(True)].item)
    if not all(flags):
        conv.todo(f"'with {what}' needs 'async with' now, and the other items of this 'with' are sync: split it")
        return updated
    if not conv.can_await(f"'with {what}'", "needs 'async with' now"):
        return updated
    converted = _sync_body(conv, original, updated.with_changes(asynchronous=cst.Asynchronous()))
    return legacy_session_calls.with_block(conv, original, converted)  # ``begin(subtransactions=True)``: unwrapped


def _sync_body(conv: Conversion, original: cst.With, updated: cst.With) -> cst.With:
    """``with engine.connect() as c: context.configure(connection=c)...``: a library outside the run (Alembic,
    pandas) wants a sync connection, so the block runs on one through ``await c.run_sync(...)``."""
    item = original.items[0]
    if len(original.items) != 1 or not isinstance(item.asname and item.asname.name, cst.Name):
        return updated
    if conv.type_of(item.item) != "sqla:connection" or _has_await(updated.body):
        return updated
    name = item.asname.name.value
    if not _handed_to_a_library(conv, original.body, name):
        return updated
    inner = f"_with_sync_{name}"
    block = cst.parse_statement(f"def {inner}({name}):\n    pass\n").with_changes(body=updated.body)
    run = cst.parse_statement(f"await {name}.run_sync({inner})\n")
    conv.notes.note(f"'{name}' is handed to a library that wants a sync connection: the block runs in run_sync")
    return updated.with_changes(body=cst.IndentedBlock([block, run]))


def _has_await(node: cst.CSTNode) -> bool:
    found = []

    class _Find(cst.CSTVisitor):
        def visit_Await(self, await_: cst.Await) -> None:
            found.append(await_)

    node.visit(_Find())
    return bool(found)


def _handed_to_a_library(conv: Conversion, body: cst.CSTNode, name: str) -> bool:
    """Whether ``name`` is an argument of a call into a library (not SQLAlchemy, not the run) in ``body``."""
    found = []

    class _Find(cst.CSTVisitor):
        def visit_Call(self, call: cst.Call) -> None:
            if any(isinstance(a.value, cst.Name) and a.value.value == name for a in call.args):
                found.append(conv.type_of(call.func) or "")

    body.visit(_Find())
    return any(t.startswith("ref:") and not t.startswith("ref:sqlalchemy") for t in found)


def handed_in(conv: Conversion, original: cst.Call) -> None:
    """A value of unknown type handed to a parameter that is a session: it must be an ``AsyncSession`` now.

    Where sessions come from outside the paths given (a framework, a unit of work), this is where the
    conversion meets them; a TODO there says what the code after it now expects.
    """
    callee = from_cst(original.func)
    index = 0
    for arg in original.args:
        keyword = arg.keyword.value if arg.keyword else None
        if arg.star:
            return
        mocked = (  # a test's session double: a mock, or a mock's member (``db.session``, ``mocks._mock_members``)
            isinstance(arg.value, (cst.Name, cst.Attribute))
            and conv.project.session_mocks.get((conv.function_id, conv.module.code_for_node(arg.value))) == []
        )
        if isinstance(arg.value, (cst.Name, cst.Attribute)) and conv.type_of(arg.value) is None and not mocked:
            expected = conv.project.types.parameter(conv.name, conv.function, callee, index, keyword)
            if expected == "sqla:session":
                value = conv.module.code_for_node(arg.value)
                target = conv.module.code_for_node(original.func)
                conv.todo(
                    f"'{value}' is handed to {target}() as its session, an AsyncSession now; where it comes from "
                    "is not known here: make sure it is one (opened with 'async with')"
                )
        if keyword is None:
            index += 1


ASYNC_SESSIONS = {"sqlalchemy.ext.asyncio.AsyncSession", "sqlalchemy.ext.asyncio.session.AsyncSession"}
ASYNC_SESSIONS |= {"sqlmodel.ext.asyncio.session.AsyncSession"}


def foreign_class(conv: Conversion, callee: str, original: cst.Call) -> None:
    """``sessionmaker(class_=X)`` with ``X`` from outside the run (or a class of the run built on one, or a value
    whose type is not known): ``async_sessionmaker`` (or 1.4's ``sessionmaker(class_=...)`` of async sessions) makes
    ``X``'s sessions, so ``X`` must be an ``AsyncSession``; a sync ``Session`` subclass goes as
    ``sync_session_class=X`` instead, and which one ``X`` is cannot be told here. The sync Session (renamed), the
    async one and a class of the run built on either need nothing (``factory``)."""
    given = _keyword(original, "class_") if callee in FACTORIES else None
    if given is None:
        return
    kind = conv.type_of(given.value) or ""
    name = conv.module.code_for_node(given.value)
    if kind.startswith("ref:"):
        if kind[4:] in SESSIONS | ASYNC_SESSIONS:
            return
        why = f"{name} comes from outside the paths given ({kind[4:]})"
    elif kind.startswith("class:"):
        bases = conv.project.outside_bases(*kind[6:].split(":", 1))
        if any(base in SESSIONS | ASYNC_SESSIONS for base in bases):
            return
        outside = ", ".join(b for b in bases if b != "builtins.object")
        why = f"{name} is built on {outside} from outside the paths given" if outside else f"{name} is no Session"
    else:
        why = f"{name} is not known here"
    conv.todo(
        f"class_={name}: {why}, and the async factory makes its sessions: it must be an AsyncSession (or a "
        f"subclass); a subclass of the sync Session goes as sync_session_class={name} instead"
    )


def sync_subclass(conv: Conversion, value: cst.BaseExpression) -> bool:
    """``value`` is a class of the run subclassing the sync Session (``sessionmaker(class_=AppSession)``): what an
    ``AsyncSession`` wraps, handed to ``async_sessionmaker`` as ``sync_session_class=``."""
    kind = conv.type_of(value) or ""
    if not kind.startswith("class:"):
        return False
    module, _, qualname = kind[6:].partition(":")
    return any(base in SESSIONS for base in conv.project.outside_bases(module, qualname))


def subclassed(conv: Conversion, node: cst.ClassDef) -> None:
    """``class AppSession(Session)``: AsyncSession wraps a sync Session rather than being one, so the base
    is kept and a TODO says where such a class goes (``async_sessionmaker(sync_session_class=...)``)."""
    for base in node.bases:
        found = conv.type_of(base.value)
        if found in ("ref:sqlalchemy.orm.Session", "ref:sqlalchemy.orm.session.Session"):
            conv.not_values.add(id(base.value))
            if isinstance(base.value, cst.Attribute):
                conv.not_values.add(id(base.value.value))
            conv.todo(
                f"'{node.name.value}' subclasses the sync Session, which AsyncSession wraps: keep it sync and pass it "
                "as async_sessionmaker(sync_session_class=...)"
            )
