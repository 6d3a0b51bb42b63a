"""The rewriting pass: old schedulers to ``AsyncIOScheduler``, their starts, Flask-APScheduler's API.

Every statement collects the TODOs of what it holds and carries them as ``# TODO(asyncshift):``
lines above it. What is rewritten: imports and every reference to the old classes; ``start()``
outside ``async def`` (see ``helpers``), moved into a FastAPI app's lifespan when one is beside it
(see ``lifespan``); ``init_app``, ``add_job(id, func)``, ``task``, ``.scheduler`` of
Flask-APScheduler; ``time.sleep`` in the jobs ``colour`` makes ``async def``; test patch targets
(see ``patches``).
"""

from __future__ import annotations

import libcst as cst

from codemods.apscheduler_to_asyncio import helpers, lifespan, patches, registration, settings
from codemods.apscheduler_to_asyncio import jobs as joblib
from codemods.apscheduler_to_asyncio.analysis import Analysis
from codemods.apscheduler_to_asyncio.colour import is_sleep
from codemods.apscheduler_to_asyncio.names import BLOCKING, CLASSES, CURRENT_APP, FLASK, NEW_CLASS, NEW_MODULE, Names
from codemods.base import TODO_MARKER, Notes, attach_todos

NEW_IMPORT = f"from {NEW_MODULE} import {NEW_CLASS}"
FLASK_ONLY = {
    "authenticate": "Flask-APScheduler's API authentication",
    "api_enabled": "Flask-APScheduler's REST API switch",
    "allowed_hosts": "Flask-APScheduler's allowed hosts",
    "host_name": "Flask-APScheduler's host name",
    "auth": "Flask-APScheduler's API auth",
}
_STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
_EQUAL = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


class ToAsyncIO(cst.CSTTransformer):
    def __init__(self, module: cst.Module, names: Names, analysis: Analysis, notes: Notes, async_jobs: set[str]):
        super().__init__()
        self.module, self.names, self.a, self.notes, self.async_jobs = module, names, analysis, notes, async_jobs
        self.todo_stack: list[list[str]] = []
        self.after_stack: list[list[str]] = []  # statements to add after the current one
        self.functions: list[cst.FunctionDef] = []
        self.class_methods: list[set[str]] = []  # the methods of each class we are in, innermost last
        self.in_import = 0
        self.in_bases = 0
        self.replaced_import = False
        self.needs_new_import = False
        self.needs_asyncio = False
        self.needs_contextlib = False
        self.changed = False

    # --- TODOs and added statements, per statement

    def todo(self, message: str) -> None:
        if self.todo_stack and message not in self.todo_stack[-1]:
            self.todo_stack[-1].append(message)

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, _STATEMENTS):
            self.todo_stack.append([])
            self.after_stack.append([])
        return super().on_visit(node)

    def on_leave(self, original: cst.CSTNode, updated: cst.CSTNode):
        result = super().on_leave(original, updated)
        if isinstance(original, _STATEMENTS):
            todos, after = self.todo_stack.pop(), self.after_stack.pop()
            if after and isinstance(result, cst.SimpleStatementLine):
                result = cst.FlattenSentinel([result, *(cst.parse_statement(code) for code in after)])
            if self.replaced_import and isinstance(result, cst.SimpleStatementLine):
                result = _without_stale_todo(result)
            self.replaced_import = False
            result = attach_todos(result, todos)
        return result

    # --- imports and references to the old classes

    def visit_Import(self, node: cst.Import) -> None:
        self.in_import += 1

    def leave_Import(self, original: cst.Import, updated: cst.Import) -> cst.Import:
        self.in_import -= 1
        return updated

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.in_import += 1

    def leave_ImportFrom(self, original: cst.ImportFrom, updated: cst.ImportFrom):
        self.in_import -= 1
        if original.module is None or original.relative or isinstance(original.names, cst.ImportStar):
            return updated
        source = self.module.code_for_node(original.module)
        kept, replaced = [], False
        for alias in original.names:
            local = alias.evaluated_alias or alias.evaluated_name
            if f"{source}.{alias.evaluated_name}" in CLASSES:
                replaced = True
                if local in self.a.subclassed:
                    kept.append(alias)
            else:
                kept.append(alias)
        if not replaced:
            return updated
        self.changed = self.replaced_import = True
        if not kept:
            return cst.parse_statement(NEW_IMPORT).body[0]
        kept[-1] = kept[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        self.after_stack[-1].append(NEW_IMPORT + "\n")  # its own line, after the names kept
        return updated.with_changes(names=kept, lpar=None, rpar=None)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        body = node.body.body if isinstance(node.body, cst.IndentedBlock) else ()
        self.class_methods.append({s.name.value for s in body if isinstance(s, cst.FunctionDef)})
        for base in node.bases:
            kind = self.names.kind(base.value)
            if kind:
                self.todo(
                    f"{self.module.code_for_node(node.name)} subclasses {self.module.code_for_node(base.value)}: "
                    f"its thread-based behaviour does not carry over to {NEW_CLASS}; port its overrides to a "
                    f"subclass of {NEW_CLASS} by hand (the old base is kept meanwhile)"
                )

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.class_methods.pop()
        return updated

    def visit_ClassDef_bases(self, node: cst.ClassDef) -> None:
        self.in_bases += 1

    def leave_ClassDef_bases(self, node: cst.ClassDef) -> None:
        self.in_bases -= 1

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.BaseExpression:
        if self.in_import:
            return updated
        if self.names.kind(original) and not self.in_bases:
            self.changed = True
            return updated.with_changes(value=NEW_CLASS)
        if self._in_job() and self.names.is_(original, CURRENT_APP):
            self.todo(
                "current_app inside a job: jobs run outside any Flask app context (in a thread or on the loop); "
                "pass the app, or what the job needs, in the job's args"
            )
        return updated

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.BaseExpression:
        if self.in_import:
            return updated
        if self.names.kind(original) and not self.in_bases:
            self.changed = self.needs_new_import = True
            return cst.Name(NEW_CLASS)
        kind = self.a.kind_of(original.value)
        attr = original.attr.value
        if kind == FLASK and attr == "scheduler":  # Flask-APScheduler's underlying scheduler: the scheduler itself
            self.changed = True
            return updated.value
        if kind == FLASK and attr == "app":
            self.todo(
                f"{self.module.code_for_node(original)}: Flask-APScheduler's app, kept working by the converted "
                "init_app; when the web app leaves Flask, pass the job what it needs in its args instead"
            )
        elif kind == FLASK and attr in FLASK_ONLY:
            self.todo(f"{FLASK_ONLY[attr]} has no {NEW_CLASS} equivalent: port it by hand")
        return updated

    # --- calls: constructors, starts, Flask-APScheduler's methods, job stores, sleeps

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        kind = self.names.kind(original.func)
        if kind:
            return self._constructor(original, updated, kind)
        store = self.names.store(original.func)
        if store:
            self.todo(settings.store_todo(store))
        patched = patches.retarget(updated)
        if patched is not None:
            self.changed = True
            return patched
        if id(original) in self.a.job_of:
            self._registration_todo(self.a.job_of[id(original)])
        if self._in_async_job() and is_sleep(original, self.names):
            self.changed = self.needs_asyncio = True
            return cst.Await(cst.Call(cst.parse_expression("asyncio.sleep"), args=updated.args))
        if self._is_config_update(original):
            for arg in original.args:
                if arg.keyword is not None:
                    for message in settings.todos(self.module, arg.keyword.value, arg.value):
                        self.todo(message)
        if not isinstance(original.func, cst.Attribute):
            return updated
        kind = self.a.kind_of(original.func.value)
        if kind is None:
            return updated
        return self._method(original, updated, kind, original.func.attr.value)

    def _constructor(self, original: cst.Call, updated: cst.Call, kind: str) -> cst.BaseExpression:
        self.changed = True
        args = [a for a in updated.args if not (a.keyword and a.keyword.value == "daemon")]
        if len(args) != len(updated.args):
            self.notes.note(f"daemon= dropped: {NEW_CLASS} runs on an event loop, not a thread of its own")
        if kind != FLASK:
            return _fix_commas(updated.with_changes(args=args))
        by_name = {a.keyword.value: a.value for a in args if a.keyword is not None}
        positional = [a.value for a in args if a.keyword is None]
        inner = by_name.get("scheduler", positional[0] if positional else None)
        app = by_name.get("app", positional[1] if len(positional) > 1 else None)
        result = inner if inner is not None and not _is_none(inner) else cst.Call(cst.Name(NEW_CLASS))
        if app is not None and not _is_none(app):  # what APScheduler(app=app) did: init_app(app)
            return cst.Call(cst.Name(helpers.CONFIGURE), args=[cst.Arg(result), cst.Arg(app)])
        return result

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        for target in original.targets:
            self._setting(target.target, original.value)
        return updated

    def _setting(self, target: cst.BaseExpression, value: cst.BaseExpression) -> None:
        name = None
        if isinstance(target, cst.Name):
            name = target.value
        elif isinstance(target, cst.Subscript) and len(target.slice) == 1:
            index = target.slice[0].slice
            if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
                name = index.value.evaluated_value
        if not isinstance(name, str):
            return
        for message in settings.todos(self.module, name, value):
            self.todo(message)
        jobs = joblib.from_config(self.module, value, set(self.a.functions)) if name in settings.JOB_LISTS else None
        if jobs:
            self.a.jobs.extend(jobs)  # the clear ones are registered beside the module
            message = settings.config_jobs_todo(name, jobs)
            if message:
                self.todo(message)

    def leave_Dict(self, original: cst.Dict, updated: cst.Dict) -> cst.Dict:
        message = settings.store_dict_todo(self.module, original)
        if message:
            self.todo(message)
        return updated

    def _method(self, original: cst.Call, updated: cst.Call, kind: str, method: str) -> cst.BaseExpression:
        receiver = updated.func.value
        if method == "start":
            return self._start(updated, kind, receiver)
        if method == "shutdown":
            self.notes.note(
                f"{NEW_CLASS}.shutdown() returns at once and cancels what runs on the loop; sync jobs already "
                "running in its thread pool finish on their own (shutdown(wait=True) no longer waits for them)"
            )
        if kind != FLASK:
            return updated
        if method == "init_app":
            self.changed = True
            return cst.Call(cst.Name(helpers.CONFIGURE), args=[cst.Arg(receiver), *_strip_keywords(updated.args)])
        if method == "task":
            self.changed = True
            return updated.with_changes(func=updated.func.with_changes(attr=cst.Name("scheduled_job")))
        if method == "add_job":
            return self._flask_add_job(updated)
        if method == "run_job":
            self.todo(
                f"{NEW_CLASS} has no run_job: call the job's function (scheduler.get_job(id).func) or "
                "reschedule it to run now (scheduler.modify_job(id, next_run_time=datetime.now(timezone.utc)))"
            )
        elif method == "modify_job" and any(a.keyword and a.keyword.value == "trigger" for a in updated.args):
            self.todo("Flask-APScheduler's modify_job(trigger=...) rescheduled the job: use reschedule_job(id, ...)")
        return updated

    def _start(self, updated: cst.Call, kind: str, receiver: cst.BaseExpression) -> cst.BaseExpression:
        if self.functions and self.functions[-1].asynchronous is not None:
            return updated  # already inside the running loop
        helper = helpers.RUN if kind == BLOCKING else helpers.START_FLASK if kind == FLASK else helpers.START
        self.changed = True
        if kind != BLOCKING and self.a.web_app:
            where = f"{self.functions[-1].name.value}()" if self.functions else "this module"
            self.todo(
                f"{NEW_CLASS} needs a running event loop: as {where} runs outside one, the scheduler gets an "
                "event loop of its own in a thread; once the app is served by an ASGI server, start it in the "
                "app's lifespan instead (scheduler.start() before the yield, scheduler.shutdown() after it) so "
                "jobs share the server's loop"
            )
        return cst.Call(cst.Name(helper), args=[cst.Arg(receiver), *updated.args])

    def _flask_add_job(self, updated: cst.Call) -> cst.Call:
        """``add_job(id, func, **kwargs)``: the two positional arguments by name, and ``name`` defaulting to the id."""
        args = list(updated.args)
        positional = [i for i, a in enumerate(args) if a.keyword is None and not a.star]
        for index, keyword in zip(positional, ("id", "func"), strict=False):
            args[index] = args[index].with_changes(keyword=cst.Name(keyword), equal=_EQUAL)
        keywords = {a.keyword.value: a for a in args if a.keyword is not None}
        given_id = keywords.get("id")
        if "name" not in keywords and given_id is not None and isinstance(given_id.value, (cst.SimpleString, cst.Name)):
            at = args.index(given_id)
            name = cst.Arg(given_id.value, keyword=cst.Name("name"), equal=_EQUAL, comma=given_id.comma)
            if not isinstance(given_id.comma, cst.Comma):  # the last argument: ", name=..." after it
                args[at] = given_id.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
            args.insert(at + 1, name)  # else on its own line when the id was on its own line
        trigger = keywords.get("trigger")
        if trigger is not None and isinstance(trigger.value, cst.Dict):
            self.todo("a trigger given as a dict (Flask-APScheduler's older form): give its type and arguments apart")
        if args != list(updated.args):
            self.changed = True
        return _fix_commas(updated.with_changes(args=args))

    def _registration_todo(self, job) -> None:
        message = registration.todo_for(
            job,
            starts_at_import=self.a.starts_at_import,
            class_methods=self.class_methods[-1] if self.class_methods else None,
        )
        if message is not None:
            self.todo(message)

    def _is_config_update(self, call: cst.Call) -> bool:
        func = call.func
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value == "update"
            and "config" in self.module.code_for_node(func.value)
        )

    # --- bodies: a start beside a FastAPI app moves into its lifespan

    def leave_Module(self, original: cst.Module, updated: cst.Module) -> cst.Module:
        body = lifespan.move_starts(self.module, list(updated.body), top=True)
        return updated if body is None else self._moved(updated.with_changes(body=body))

    def leave_IndentedBlock(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        body = lifespan.move_starts(self.module, list(updated.body), top=False)
        return updated if body is None else self._moved(updated.with_changes(body=body))

    def _moved(self, node):
        self.changed = self.needs_contextlib = True
        self.notes.note("the scheduler starts in the FastAPI app's lifespan, on the server's loop")
        return node

    # --- functions: the stack, and jobs made async

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        self.functions.pop()
        if not self.functions and original.name.value in self.async_jobs:
            self.changed = True
            self.notes.note(f"job {original.name.value} made async def: nothing in it blocks")
            return updated.with_changes(asynchronous=cst.Asynchronous())
        return updated

    def _in_job(self) -> bool:
        return bool(self.functions) and self.functions[0].name.value in self.a.job_functions

    def _in_async_job(self) -> bool:
        return len(self.functions) == 1 and self.functions[0].name.value in self.async_jobs


def _without_stale_todo(line: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """An import of Flask-APScheduler replaced: another codemod's TODO about it, on its line, goes too."""
    comment = line.trailing_whitespace.comment
    if comment is None or TODO_MARKER not in comment.value or "APScheduler" not in comment.value:
        return line
    return line.with_changes(trailing_whitespace=cst.TrailingWhitespace(newline=line.trailing_whitespace.newline))


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


def _strip_keywords(args) -> list[cst.Arg]:
    return [a.with_changes(keyword=None, equal=cst.MaybeSentinel.DEFAULT) for a in args][:1]


def _fix_commas(call: cst.Call) -> cst.Call:
    """No trailing comma left behind by a dropped last argument."""
    args = list(call.args)
    if args and isinstance(args[-1].comma, cst.Comma) and not _multiline(call):
        args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
    return call.with_changes(args=args)


def _multiline(call: cst.Call) -> bool:
    return any(isinstance(a.comma, cst.Comma) and "\n" in cst.Module([]).code_for_node(a.comma) for a in call.args)
