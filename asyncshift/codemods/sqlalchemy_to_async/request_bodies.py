"""A view made async whose sync code reads the request body (flask-to-fastapi's ``request_json(request)``): the
body read first, with ``await``, so the sync reader finds it.

flask-to-fastapi's sync readers (``_flask_compat``'s ``request_json``, ``request_data``, ``request_form``,
``request_files``) wait for the body from FastAPI's worker thread, where a ``def`` view runs; once the view is
``async def`` they run on the event loop, where nothing can wait, and raise. Starlette keeps what it read, so
``await request.body()`` (``await request.form()`` for a form) at the top of the view is what they find.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

COMPAT = "_flask_compat"
READERS = {"request_json": "body", "request_data": "body", "request_form": "form", "request_files": "form"}
REQUEST_TYPES = {"fastapi.Request", "starlette.requests.Request", "fastapi.requests.Request"}
DEPTH = 4  # sync functions followed from the view to the reader


def reads(project: Any, func: Any, depth: int = 0, seen: set[str] | None = None) -> list[str]:
    """What ``func`` reads of the body synchronously (``body``, ``form``): itself, or through sync functions of
    the run it calls (those that stay sync)."""
    seen = set() if seen is None else seen
    seen.add(func.id)
    found: list[str] = []
    for callee in func.calls:
        kind = project.types.type_of(func.module, func.qualname, callee)
        if not kind:
            continue
        if kind.startswith("ref:"):
            parts = kind[4:].split(".")
            if COMPAT in parts[:-1] and parts[-1] in READERS and READERS[parts[-1]] not in found:
                found.append(READERS[parts[-1]])
        elif kind.startswith("func:") and depth < DEPTH and kind[5:] not in seen:
            target = project.by_id(kind[5:])
            if target is not None and not target.is_async and target.id not in project.becoming_async:
                found += [r for r in reads(project, target, depth + 1, seen) if r not in found]
    return found


def request_param(project: Any, func: Any) -> str | None:
    """The view's ``Request`` parameter (by annotation, else named ``request``)."""
    for name, annotation in func.params.items():
        if annotation and project.types.type_of(func.module, func.qualname, annotation) in {
            f"ref:{t}" for t in REQUEST_TYPES
        }:
            return name
    return "request" if "request" in func.params else None


class _ReadFirst(cst.CSTTransformer):
    def __init__(self, project: Any, name: str):
        self.project, self.name, self.stack = project, name, []

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.stack.append(node.name.value)

    def leave_ClassDef(self, original: cst.ClassDef, updated: cst.ClassDef) -> cst.ClassDef:
        self.stack.pop()
        return updated

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.stack.append(node.name.value)

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        function_id = f"{self.name}:{'.'.join(self.stack)}"
        self.stack.pop()
        func = self.project.by_id(function_id) if function_id in self.project.becoming_async else None
        if func is None or func.is_async or updated.asynchronous is None:
            return updated  # async before the run (its reads were written for it), or kept sync
        found = reads(self.project, func)
        if not found or not isinstance(updated.body, cst.IndentedBlock):
            return updated
        request = request_param(self.project, func)
        body = list(updated.body.body)
        at = 1 if body and _is_docstring(body[0]) else 0
        if request is None:
            comment = (
                "# TODO(asyncshift): sync code below reads the request body, which it cannot do on the event loop "
                "now that this function is async: read it here with await request.body() (or .form())"
            )
            line = body[at].with_changes(leading_lines=[*body[at].leading_lines, _comment(comment)])
            return updated.with_changes(body=updated.body.with_changes(body=[*body[:at], line, *body[at + 1 :]]))
        # the raw body first: Starlette's form() then parses the body kept, where body() after form() finds the
        # stream consumed (RuntimeError: a form POSTed to a hook reading both)
        reads_ahead = [
            cst.parse_statement(f"await {request}.{'body' if kind == 'body' else 'form'}()")
            for kind in sorted(found, key=lambda kind: kind != "body")
        ]
        note = _comment(
            "# the body, read here: the sync code below reads it, and cannot wait for it on the event loop "
            "(written by asyncshift)"
        )
        reads_ahead[0] = reads_ahead[0].with_changes(leading_lines=[note])
        return updated.with_changes(body=updated.body.with_changes(body=[*body[:at], *reads_ahead, *body[at:]]))


def _comment(text: str) -> cst.EmptyLine:
    return cst.EmptyLine(comment=cst.Comment(text))


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and isinstance(statement.body[0].value, (cst.SimpleString, cst.ConcatenatedString))
    )


def rewrite(module: cst.Module, project: Any, name: str) -> cst.Module:
    """Each function of ``module`` made async whose sync code reads the body: the body read first."""
    facts = project.modules.get(name)
    if facts is None or not any(
        f.id in project.becoming_async and not f.is_async and reads(project, f) for f in facts.functions.values()
    ):
        return module  # nothing the walk would change: no walk (it was a sixth of the run's transform time)
    return module.visit(_ReadFirst(project, name))
