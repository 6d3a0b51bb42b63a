"""One read of a module before it is rewritten: its schedulers, their jobs, and where they start.

The rewriting pass needs to know up front which expressions are schedulers (``scheduler``,
``self.scheduler``, a parameter annotated ``APScheduler``) and of which kind, which top-level
functions are jobs, and whether a start runs at import (then the module cannot be imported to
find its jobs without starting them).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from codemods.apscheduler_to_asyncio import jobs as joblib
from codemods.apscheduler_to_asyncio import lifespan
from codemods.apscheduler_to_asyncio.names import Names, dotted

REGISTERING = ("add_job", "scheduled_job", "task")


@dataclass
class Analysis:
    schedulers: dict[str, str] = field(default_factory=dict)  # dotted expression -> kind
    functions: dict[str, cst.FunctionDef] = field(default_factory=dict)  # top-level functions
    jobs: list[joblib.Job] = field(default_factory=list)
    job_of: dict[int, joblib.Job] = field(default_factory=dict)  # id(call node) -> its job
    job_functions: set[str] = field(default_factory=set)
    subclassed: set[str] = field(default_factory=set)  # old class names used as a base
    custom_executors: bool = False
    starts_at_import: bool = False
    web_app: bool = False  # the module makes a Flask or FastAPI app
    lifespan_app: bool = False  # a module-level FastAPI app its module-level start moves into (see lifespan)

    def kind_of(self, node: cst.BaseExpression) -> str | None:
        name = dotted(node)
        return self.schedulers.get(name) if name else None


class _Reader(cst.CSTVisitor):
    def __init__(self, module: cst.Module, names: Names, analysis: Analysis) -> None:
        super().__init__()
        self.module, self.names, self.a = module, names, analysis
        self.depth = 0  # functions and classes around the node
        self.main_guard = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if self.depth == 0:
            self.a.functions[node.name.value] = node
        for param in (*node.params.params, *node.params.kwonly_params, *node.params.posonly_params):
            if param.annotation is not None:
                kind = _annotated_kind(self.names, param.annotation.annotation)
                if kind:
                    self.a.schedulers.setdefault(param.name.value, kind)
        self.depth += 1

    def leave_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            if self.names.kind(base.value):
                self.a.subclassed.add(self.module.code_for_node(base.value))
        self.depth += 1

    def leave_ClassDef(self, node: cst.ClassDef) -> None:
        self.depth -= 1

    def visit_If(self, node: cst.If) -> None:
        if "__name__" in self.module.code_for_node(node.test) and "__main__" in self.module.code_for_node(node.test):
            self.main_guard += 1

    def leave_If(self, original_node: cst.If) -> None:
        test = self.module.code_for_node(original_node.test)
        if "__name__" in test and "__main__" in test:
            self.main_guard -= 1

    def visit_Assign(self, node: cst.Assign) -> None:
        self._assigned([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._assigned([node.target], node.value)
        kind = _annotated_kind(self.names, node.annotation.annotation)
        if kind and dotted(node.target):
            self.a.schedulers.setdefault(dotted(node.target), kind)

    def _assigned(self, targets: list[cst.BaseExpression], value: cst.BaseExpression) -> None:
        kind = None
        if isinstance(value, cst.Call):
            kind = self.names.kind(value.func)
        elif dotted(value) in self.a.schedulers:  # self.scheduler = scheduler
            kind = self.a.schedulers[dotted(value)]
        if kind:
            for target in targets:
                if dotted(target):
                    self.a.schedulers[dotted(target)] = kind

    def visit_Call(self, node: cst.Call) -> None:
        name = self.names.names(node.func)
        if {"flask.Flask", "fastapi.FastAPI"} & name:
            self.a.web_app = True
        if self.names.kind(node.func) and any(a.keyword and a.keyword.value == "executors" for a in node.args):
            self.a.custom_executors = True
        func = node.func
        if not isinstance(func, cst.Attribute):
            return
        kind = self.a.kind_of(func.value)
        if kind is None:
            return
        if func.attr.value == "add_job":
            self._job(node, kind, None)
        elif func.attr.value == "start" and self.depth == 0 and not self.main_guard and not self.a.lifespan_app:
            self.a.starts_at_import = True

    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = node.decorator
        if not (isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)):
            return
        kind = self.a.kind_of(call.func.value)
        if kind and call.func.attr.value in ("scheduled_job", "task"):
            self._pending_decorators.append((call, kind))

    def visit_FunctionDef_decorators(self, node: cst.FunctionDef) -> None:
        self._pending_decorators: list = []

    def leave_FunctionDef_decorators(self, node: cst.FunctionDef) -> None:
        for call, kind in self._pending_decorators:
            top = self.depth == 1  # visit_FunctionDef has counted this function already
            self._job(call, kind, node.name.value if top else f"<nested {node.name.value}>")

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if node.evaluated_value == "SCHEDULER_EXECUTORS":
            self.a.custom_executors = True

    def _job(self, call: cst.Call, kind: str, decorated: str | None) -> None:
        job = joblib.read(self.module, call, kind, set(self.a.functions), decorated=decorated)
        if decorated and decorated.startswith("<nested"):
            job.function = None
            job.unclear.append("its function is not defined at the top of this module")
        self.a.jobs.append(job)
        self.a.job_of[id(call)] = job
        if job.function:
            self.a.job_functions.add(job.function)


def _annotated_kind(names: Names, annotation: cst.BaseExpression) -> str | None:
    """``APScheduler``, ``Optional[APScheduler]``, ``APScheduler | None``: the kind it names."""
    found: list[str] = []

    class _Find(cst.CSTVisitor):
        def visit_Name(self, node: cst.Name) -> None:
            kind = names.kind(node)
            if kind:
                found.append(kind)

        def visit_Attribute(self, node: cst.Attribute) -> None:
            kind = names.kind(node)
            if kind:
                found.append(kind)

    annotation.visit(_Find())
    return found[0] if found else None


def analyse(module: cst.Module, names: Names) -> Analysis:
    analysis = Analysis()
    # top-level functions first: a job registered above its function's definition still resolves
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            analysis.functions[statement.name.value] = statement
    analysis.lifespan_app = sum(1 for s in module.body if lifespan.is_fastapi_app(s)) == 1
    module.visit(_Reader(module, names, analysis))
    return analysis
