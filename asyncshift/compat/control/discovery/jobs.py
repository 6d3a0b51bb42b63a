"""Scheduled jobs: APScheduler schedulers and the jobs given to them, each a target ``jobs.<id>``.

A job is named by its ``id`` when the code gives a constant one, else by the function it runs (an
id built at run time, like ``f"archive_{user}"``, names many occurrences of one job). Found in
``add_job(...)``, ``@scheduler.task(...)`` (Flask-APScheduler), ``@scheduler.scheduled_job(...)``
and Flask-APScheduler's ``JOBS = [{"id": ...}]`` setting.
"""

from __future__ import annotations

import ast

from .model import Found, part
from .sources import Module, argument, keyword, string

SCHEDULER_PACKAGES = ("apscheduler.", "flask_apscheduler.")


def _uses_apscheduler(mod: Module) -> bool:
    return any(
        v.startswith(SCHEDULER_PACKAGES) or v in ("apscheduler", "flask_apscheduler") for v in mod.imports.values()
    )


def _schedulerish(mod: Module, receiver: ast.AST) -> bool:
    """``add_job``/``task`` on something that is a scheduler: the module imports APScheduler, or the
    receiver's name says so (``self.scheduler``, passed in from elsewhere)."""
    return _uses_apscheduler(mod) or "sched" in ast.unparse(receiver).lower()


def _function_name(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    text = string(node)
    if text:
        return text.replace(":", ".").rsplit(".", 1)[-1]
    return None


def _function_code(mod: Module, node: ast.AST | None) -> tuple[str, ...]:
    """``module:function`` the job runs, when the code says which (a name defined or imported here,
    or a ``"module:function"`` string); empty for methods and anything built at run time."""
    text = string(node)
    if text and ":" in text:
        return (text,)
    if isinstance(node, ast.Name):
        if any(isinstance(s, ast.FunctionDef | ast.AsyncFunctionDef) and s.name == node.id for s in mod.tree.body):
            return (f"{mod.name}:{node.id}",)
        dotted = mod.imports.get(node.id)
        if dotted and "." in dotted:
            module, _, name = dotted.rpartition(".")
            return (f"{module}:{name}",)
    return ()


def _job(
    mod: Module, node: ast.AST, job_id: ast.AST | None, func: str | None, how: str, code: tuple[str, ...] = ()
) -> Found | None:
    name = string(job_id) or func
    if not name:
        return None
    detail = how if string(job_id) else f"{how}; id built at run time, named by its function"
    return Found("job", name, mod.at(node), f"jobs.{part(name)}", detail, code)


def find_jobs(mod: Module) -> list[Found]:
    found: list[Found] = []
    for node in ast.walk(mod.tree):
        if isinstance(node, ast.Call):
            qual = mod.qual(node.func) or ""
            if qual.startswith(SCHEDULER_PACKAGES) and qual.endswith("Scheduler"):
                found.append(Found("scheduler", qual.rsplit(".", 1)[-1], mod.at(node), None, qual))
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "add_job":
                if _schedulerish(mod, node.func.value):
                    given = argument(node, 0, "func")
                    func = _function_name(given)
                    code = _function_code(mod, given)
                    job = _job(mod, node, keyword(node, "id"), func, f"add_job({func})", code)
                    found += [job] if job else []
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            for deco in node.decorator_list:
                if (
                    isinstance(deco, ast.Call)
                    and isinstance(deco.func, ast.Attribute)
                    and deco.func.attr in ("task", "scheduled_job")
                    and _schedulerish(mod, deco.func.value)
                ):
                    code = (f"{mod.name}:{node.name}",) if node in mod.tree.body else ()
                    job = _job(mod, node, keyword(deco, "id"), node.name, f"@{deco.func.attr} {node.name}", code)
                    found += [job] if job else []
        elif isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "JOBS" for t in node.targets):
            for item in node.value.elts if isinstance(node.value, ast.List | ast.Tuple) else []:
                if isinstance(item, ast.Dict):
                    fields = {string(k): v for k, v in zip(item.keys, item.values, strict=True) if k is not None}
                    func = _function_name(fields.get("func"))
                    code = _function_code(mod, fields.get("func"))
                    job = _job(mod, item, fields.get("id"), func, "Flask-APScheduler JOBS setting", code)
                    found += [job] if job else []
    return found
