"""The single pass that rewrites one module: each node handed to the rule for it, on the way up. Scopes are tracked
as the first pass named them, so each call is typed where it stands. What a rule cannot convert gets a TODO above its
statement (``# TODO(asyncshift): ...``)."""

from __future__ import annotations

import libcst as cst

from codemods.base import attach_todos
from codemods.sqlalchemy_to_async import (
    association_proxies,
    async_dunders,
    async_generators,
    awaited_calls,
    backrefs,
    blocking_marks,
    bridges,
    compat_db,
    dispatch,
    dropped_lines,
    dual_members,
    dynamic,
    dynamic_queries,
    engines,
    event_targets,
    flask_db_rewrites,
    greenlet_reads,
    handed_queries,
    handed_reads,
    imperative_maps,
    lazy_loads,
    legacy_session_calls,
    manager_aliases,
    mocks,
    patched_requests,
    patched_twins,
    propagation,
    query_api,
    query_doubles,
    query_internals,
    query_properties,
    query_vars,
    sessions,
    sqlmodel_exec,
    test_client_calls,
    thread_rewrites,
    thunks,
    unknown_model_queries,
    unknown_receivers,
)
from codemods.sqlalchemy_to_async.conversion import Conversion

COROUTINE_TAKERS = {"ref:asyncio.run", "ref:asyncio.create_task", "ref:asyncio.gather", "ref:asyncio.ensure_future"}
COROUTINE_TAKERS |= {"ref:asyncio.wait_for", "ref:asyncio.shield", "ref:asyncio.wait", "ref:sqlalchemy.util.await_only"}
# SQLAlchemy's event registration: its target stays the sync class (an async engine's events fire on its
# sync_engine; ``listens_for(AsyncEngine, "connect")`` fails at import).
EVENT_TARGETS = {f"ref:sqlalchemy.{m}.{f}" for m in ("event", "event.api") for f in event_targets.REGISTRATION}
KEPT_SYNC = {f"ref:{name}" for name in sessions.FACTORIES}  # sessionmaker(): kept for sync_session_class=


class SqlalchemyToAsync(Conversion, dropped_lines.KeptComments, cst.CSTTransformer):
    """The walk; TODOs attached above the statement they belong to."""

    # -- statements collect TODOs ----------------------------------------------------------------

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            self.todo_stack.append([])
            self.statements.append(isinstance(node, cst.SimpleStatementLine))
            self.pending_clients.append([])
        if isinstance(node, cst.SimpleStatementLine):
            blocking_marks.scan(self, node)
            for message in self.backref_todos.get(id(node), ()):
                self.todo(message)
        return super().on_visit(node)

    def on_leave(self, original, updated):
        result = super().on_leave(original, updated)
        if isinstance(original, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            if self.pending_clients[-1] and isinstance(result, cst.SimpleStatementLine):
                result = bridges.wrap_in_client(self, result)
            self.pending_clients.pop()
            self.statements.pop()
            todos = self.todo_stack.pop()
            if id(original) in self.backref_adds:  # ``session.add(x)`` where x is built (``backrefs``)
                added = cst.parse_statement(self.backref_adds[id(original)])
                return cst.FlattenSentinel([attach_todos(result, todos), added])
            return attach_todos(result, todos)
        return result

    # -- scopes -----------------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.not_values.add(id(node.name))
        sessions.subclassed(self, node)
        self.scopes.append(("class", self.qualname(node.name.value)))

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.scopes.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.not_values.add(id(node.name))
        self.scopes.append(("def", self.qualname(node.name.value)))
        func = self.project.function(self.name, self.function)
        if func is not None and dual_members.held(self.project, func):
            return False  # one of a sync and async pair: both stacks already, as written
        thread_rewrites.scan(self)
        query_vars.scan(self, node)
        lazy_loads.scan(self, node)
        backrefs.scan(self, node)
        return True

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        updated = query_doubles.patched_select(self, updated)
        qualname = self.scopes.pop()[1]
        return propagation.function_def(self, qualname, updated)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.lambdas += 1

    def leave_Lambda(self, original: cst.Lambda, updated: cst.Lambda) -> cst.Lambda:
        self.lambdas -= 1
        return updated

    def visit_Decorator(self, node: cst.Decorator) -> None:
        self.decorators += 1

    def leave_Decorator(self, original: cst.Decorator, updated: cst.Decorator) -> cst.Decorator:
        self.decorators -= 1
        return mocks.patch_decorator(self, updated)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> None:
        self.lambdas += 1

    def leave_GeneratorExp(self, original: cst.GeneratorExp, updated: cst.GeneratorExp) -> cst.GeneratorExp:
        self.lambdas -= 1
        return updated

    def visit_If(self, node: cst.If) -> None:
        if not self.scopes and _is_main_guard(node.test):
            self.main_guard += 1

    def leave_If(self, original: cst.If, updated: cst.If) -> cst.If:
        if not self.scopes and _is_main_guard(original.test):
            self.main_guard -= 1
        return updated

    # -- what must not be renamed or typed -------------------------------------------------------

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom) -> cst.ImportFrom:
        return flask_db_rewrites.helper_import(self, updated)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.not_values.add(id(node.attr))
        self.read_from.add(id(node.value))
        query_doubles.legacy_query_mock(self, node)

    def visit_Param(self, node: cst.Param) -> None:
        self.not_values.add(id(node.name))

    # -- names: sync SQLAlchemy names to their async twins; functions handed on as values --------

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if id(original) in self.query_iterated:
            return query_vars.iterated(self, self.query_iterated[id(original)], updated)
        if id(original) in self.not_values:
            return updated
        renamed = sessions.twin(self, original) or test_client_calls.twin(self, original)
        if renamed is not None:
            return renamed
        if id(original) not in self.callees:
            propagation.reference(self, original)
            async_dunders.handed_class(self, original)
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        handed_reads.read_site(self, original)  # ``self.votes`` lazy-loading in a property: a TODO
        updated = updated.with_changes(value=awaited_calls.parenthesised(updated.value))
        updated = mocks.double_member(self, original, updated)
        updated = patched_twins.entered(self, original, updated)
        if id(original) in self.query_starts:  # ``q = Model.query``: a ``select(Model)`` now
            return query_vars.start(self, updated)
        renamed = query_internals.read(self, original, updated) or compat_db.member(self, original, updated)
        renamed = renamed or dual_members.member(self, original, updated)  # (``q._entities``: 1.3's, read so on 1.4)
        if renamed is not None:
            return renamed
        updated = flask_db_rewrites.sync_session(self, original, updated)
        query_properties.handed(self, original)  # ``return User.query``: None now, a TODO
        if id(original) in self.not_values:
            return updated
        renamed = sessions.twin(self, original) or greenlet_reads.attribute_read(self, original, updated)
        if renamed is not None:
            return renamed
        if id(original) not in self.callees:
            propagation.reference(self, original)
            async_dunders.handed_class(self, original)
        return updated

    def leave_Subscript(self, original: cst.Subscript, updated: cst.Subscript) -> cst.Subscript:
        return updated.with_changes(value=awaited_calls.parenthesised(updated.value))

    # -- calls ------------------------------------------------------------------------------------

    def visit_Call(self, node: cst.Call) -> None:
        self.callees.add(id(node.func))
        if isinstance(node.func, cst.Attribute):
            self.not_values.add(id(node.func.attr))
        for arg in node.args:
            if arg.keyword is not None:
                self.not_values.add(id(arg.keyword))
        async_dunders.handed_arguments(self, node)
        sqlmodel_exec.visit_read(self, node)
        if isinstance(node.func, cst.Attribute) and query_api.chain_of(self, node.func.value) is not None:
            self.query_inner.update(id(c) for c in query_api.inner_calls(node))  # the outermost call rewrites
        self.query_inner.update(id(c) for c in dynamic_queries.inner(self, node))
        callee = self.type_of(node.func)
        if callee in KEPT_SYNC and event_targets.kept_sync(self, node):
            self.not_values.add(id(node.func))  # ``sync_session_class=sessionmaker()``: it stays sync
        if (callee in EVENT_TARGETS or event_targets.through_db(node.func)) and node.args:
            self.not_values.add(id(node.args[0].value))  # ``listens_for(Engine, ...)``: events go on the sync class
            event_targets.visit(self, node)  # ``listens_for(engine, ...)``: on its ``sync_engine``
        if callee in COROUTINE_TAKERS or (callee or "").rpartition(".")[2] == "Depends":
            self.coroutine_args.update(id(a.value) for a in node.args)
        self.coroutine_args.update(thunks.handed_lambdas(self, node))
        self.coroutine_args.update(unknown_receivers.handed(node))
        thread_rewrites.visit_call(self, node)

    def visit_For(self, node: cst.For) -> None:
        async_generators.visit_for(self, node)
        if isinstance(node.iter, cst.Call) and query_api.iterated_chain(self, node.iter):
            self.iterated.add(id(node.iter))
            self.query_inner.update(id(c) for c in query_api.inner_calls(node.iter))

    def leave_For(self, original: cst.For, updated: cst.For) -> cst.For:
        """``for row in await s.stream(q)`` (or its ``.scalars()``): an async result, read with ``async for``."""
        updated = updated.with_changes(iter=handed_queries.iterated(self, original.iter, updated.iter))
        if updated.asynchronous is None and awaited_calls.streamed(updated.iter):
            return updated.with_changes(asynchronous=cst.Asynchronous())
        return async_generators.leave_for(original, updated, self)

    def leave_CompFor(self, original: cst.CompFor, updated: cst.CompFor) -> cst.CompFor:
        return updated.with_changes(iter=handed_queries.iterated(self, original.iter, updated.iter))

    def visit_Yield(self, node: cst.Yield) -> None:
        async_generators.visit_yield(self, node)

    def visit_Await(self, node: cst.Await) -> None:
        self.awaited.add(id(node.expression))

    def visit_WithItem(self, node: cst.WithItem) -> None:
        self.with_managers.add(id(node.item))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        updated = updated.with_changes(func=awaited_calls.parenthesised(updated.func))
        read = sqlmodel_exec.read(self, updated)
        if read is not None:
            return read  # ``(await s.exec(select(Hero))).scalars()``: ``exec`` gave the scalars
        updated = query_internals.only_columns(self, event_targets.leave(self, original, updated))  # (its FROM kept)
        if id(original) in self.with_managers:
            updated = mocks.patched_class(self, updated)  # ``with patch("a.b.Repo") as repo_class``
        updated = patched_twins.patcher(self, original, updated)  # ``patch("a.b.Repo").start()``...
        if id(original) in self.query_inner or id(original) in self.query_steps:
            return updated
        if id(original) in self.async_mocks:
            return dynamic.async_mock(self, updated)
        if id(original) in self.query_starts:
            return query_vars.start(self, updated)
        if id(original) in self.query_terminals:
            return query_vars.terminal(self, self.query_terminals[id(original)], updated)
        if id(original) in self.iterated:
            self.eager = []
            return query_api.rewrite(self, updated, iterated=True)
        callee = self.type_of(original.func)
        rewritten = test_client_calls.rewrite(self, original, updated, callee)
        if rewritten is not None:
            return rewritten
        rules = (blocking_marks.call, thread_rewrites.thread, thread_rewrites.method_call, imperative_maps.eager)
        rules += (association_proxies.check, awaited_calls.validated_form, greenlet_reads.call, query_properties.call)
        for rule in (*rules, handed_queries.rewrite):  # (``query.all()``, a query handed; a render in the greenlet)
            rewritten = rule(self, original, updated)
            if rewritten is not None:
                return rewritten
        if callee is None and self.function is not None:
            rewritten = dynamic_queries.rewrite(self, updated)
            if rewritten is not None:
                return rewritten
            flask_db_rewrites.dynamic_relationship(self, updated)
        if callee is None and query_api.unknown_model(self, original):
            return updated
        if callee is None and isinstance(updated.func, cst.Attribute) and query_api.chain_of(self, updated.func.value):
            return query_api.rewrite(self, updated)  # a step no rule types (``with_parent``): a TODO names it
        if callee and callee.startswith("sqlmethod:query:"):
            chain = query_api.chain_of(self, updated.func.value) if isinstance(updated.func, cst.Attribute) else None
            self.eager = lazy_loads.options(self, original, chain.entities[0].value) if chain else []
            return query_api.rewrite(self, updated)
        if callee in ("sqlmethod:session:query", "sqlmethod:scoped:query"):
            query_api.kept_as_value(self)
            return updated
        if callee in {f"ref:{name}" for name in engines.ENGINE_FACTORIES}:
            return engines.create_engine(self, original, updated)
        if callee in {f"ref:{name}" for name in sessions.FACTORIES | sessions.SCOPED | sessions.SESSIONS}:
            if callee in KEPT_SYNC and id(original.func) in self.not_values:
                return updated  # ``sync_session_class=sessionmaker()`` (``visit_Call``)
            sessions.foreign_class(self, callee[4:], original)
            return sessions.factory(self, callee[4:], updated)
        if callee == "ref:requests.Session":
            bridges.shared_session(self)
            return updated
        if original.args:
            sessions.handed_in(self, original)
            updated = dynamic.call(self, original, updated)
            updated = patched_requests.patch(self, original, updated)
            updated = patched_twins.patch(self, original, updated)
        if thunks.called_param(self, original) and id(original) not in self.awaited:
            return cst.Await(updated) if self.can_await(f"{original.func.value}()") else updated
        dispatched = dispatch.call(self, original, updated)
        if dispatched is not None:
            return dispatched
        what = self.classify(original.func, in_with=id(original) in self.with_managers)
        if not what:
            found = unknown_receivers.awaited(self, original, updated)
            if found is None:
                awaited_calls.unknown_receiver(self, original)
                unknown_receivers.db_session(self, original)
                unknown_model_queries.todo(self, original)
            return updated if found is None else found
        if what[0] in ("bridge", "sleep", "requests"):
            return bridges.unwrapped(self, original, updated, what)
        return sqlmodel_exec.awaited(self, callee, original, awaited_calls.awaited(self, original, updated, what))

    def leave_BinaryOperation(self, original, updated: cst.BinaryOperation) -> cst.BinaryOperation:
        if isinstance(updated.operator, cst.Power):
            return updated.with_changes(left=awaited_calls.parenthesised(updated.left))
        return updated

    # -- statements -------------------------------------------------------------------------------

    def leave_With(self, original: cst.With, updated: cst.With) -> cst.With:
        return test_client_calls.lifespan_item(self, sessions.with_statement(self, original, updated))

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign) -> cst.AnnAssign:
        return updated.with_changes(value=handed_reads.eager(self, updated.target, updated.value) or updated.value)

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if len(updated.targets) == 1:  # a model's relationship read off a handed parameter (``handed_reads``)
            eager = handed_reads.eager(self, updated.targets[0].target, updated.value)
            updated = updated if eager is None else updated.with_changes(value=eager)
        if id(original.value) in self.awaitable_stand_ins:
            updated = updated.with_changes(value=dynamic.awaitable(self, updated.value))
        updated = manager_aliases.alias_assignment(self, original, updated)
        updated = query_doubles.query_double(self, original, updated)
        updated = thread_rewrites.assigned(self, original, updated)
        updated = patched_twins.stand_in(self, original, updated)
        target = updated.targets[0].target if len(updated.targets) == 1 else None
        if isinstance(target, cst.Name) or (isinstance(target, cst.Attribute) and isinstance(target.value, cst.Name)):
            return updated.with_changes(value=mocks.specced(self, updated.value, self.module.code_for_node(target)))
        return updated

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.handed_values.add(id(node.value))

    def leave_Return(self, original: cst.Return, updated: cst.Return) -> cst.Return:
        if updated.value is not None:
            return updated.with_changes(value=mocks.specced(self, updated.value, "return"))
        return updated

    def visit_Assign(self, node: cst.Assign) -> None:
        dynamic.assignment(self, node)
        mocks.member_assignment(self, node)
        query_doubles.mark_query_double(self, node)
        self.handed_values.add(id(node.value))
        self.not_values.update(id(t.target) for t in node.targets)  # stored into, not handed on
        thread_rewrites.lambda_assigned(self, node)  # ``run = lambda: work(a)``, a task's: returns the coroutine

    def leave_Expr(self, original: cst.Expr, updated: cst.Expr) -> cst.Expr:
        return legacy_session_calls.statement(self, original, query_api.statement(self, updated))

    def leave_SimpleStatementLine(self, original, updated: cst.SimpleStatementLine) -> cst.BaseStatement:
        if thread_rewrites.started(self, updated) or (original.body and not updated.body):
            return dropped_lines.drop(self, updated)  # the user's comments kept
        return engines.run_sync_statement(self, updated) or updated


def _is_main_guard(test: cst.BaseExpression) -> bool:
    return (
        isinstance(test, cst.Comparison)
        and isinstance(test.left, cst.Name)
        and test.left.value == "__name__"
        and len(test.comparisons) == 1
        and isinstance(test.comparisons[0].comparator, cst.SimpleString)
        and test.comparisons[0].comparator.evaluated_value == "__main__"
    )
