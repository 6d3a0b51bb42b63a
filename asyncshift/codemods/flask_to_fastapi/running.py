"""``app.run(...)`` to ``uvicorn.run(app, ...)``, in the app's module and in a ``run.py`` that imports it.

FastAPI has no ``run``: uvicorn serves it on Flask's host and port (5000 unless given); options that
uvicorn treats differently (``debug``, ``processes``, ``ssl_context``...) get a TODO saying what to do.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from codemods.base import TODO_MARKER, Notes
from codemods.flask_to_fastapi.names import FlaskNames, dotted
from codemods.flask_to_fastapi.nodes import arg, call, code

RUN_POSITIONAL = ("host", "port", "debug", "load_dotenv")
FLASK_PORT = "5000"
RELOAD = "uvicorn has no Werkzeug debugger or reloader; to reload on changes run `uvicorn <module>:app --reload`"


def uvicorn_run(original: cst.Call, updated: cst.Call, todo: Callable[[str], None]) -> cst.Call:
    """``app.run(host, port, debug=True)`` as ``uvicorn.run(app, host=..., port=...)``, TODOs for the rest."""
    values: dict[str, cst.BaseExpression] = {}
    positional = [a for a in updated.args if a.keyword is None and not a.star]
    for name, given in zip(RUN_POSITIONAL, positional, strict=False):
        values[name] = given.value
    for given in updated.args:
        if given.keyword is not None:
            values[given.keyword.value] = given.value
        elif given.star:
            todo("app.run(*args/**options): pass host=, port= and uvicorn's own options to uvicorn.run by hand")
    args = [arg(updated.func.value)]
    if "host" in values:
        args.append(arg(values.pop("host"), "host"))
    args.append(arg(values.pop("port", cst.Integer(FLASK_PORT)), "port"))
    for name, value in values.items():
        text = code(value)
        if name == "load_dotenv" or name == "threaded" and text != "False":
            continue  # uvicorn serves requests concurrently; .env is read by the app's own config code
        if name in ("debug", "use_reloader", "use_debugger") and text in ("False", "None"):
            continue
        if name in ("debug", "use_reloader", "use_debugger"):
            todo(f"app.run({name}={text}): {RELOAD}")
        elif name == "threaded":
            todo("app.run(threaded=False): uvicorn serves requests concurrently (def views run in a thread pool)")
        elif name == "processes":
            todo(f"app.run(processes={text}): run `uvicorn <module>:app --workers {text}` instead")
        elif name == "ssl_context" and isinstance(value, cst.Tuple) and len(value.elements) == 2:
            args.append(arg(value.elements[0].value, "ssl_certfile"))
            args.append(arg(value.elements[1].value, "ssl_keyfile"))
        elif name == "ssl_context":
            todo(f"app.run(ssl_context={text}): pass ssl_certfile= and ssl_keyfile= to uvicorn.run")
        else:
            todo(f"app.run({name}=...) has no uvicorn.run twin: dropped")
    return call("uvicorn.run", *args)


def is_run_call(node: cst.BaseExpression, apps: set[str]) -> bool:
    """``app.run(...)`` on a name known to hold a Flask app."""
    return (
        isinstance(node, cst.Call)
        and isinstance(node.func, cst.Attribute)
        and node.func.attr.value == "run"
        and dotted(node.func.value) in apps
    )


def _builds_app(node: cst.CSTNode, names: FlaskNames) -> bool:
    found = []

    class Calls(cst.CSTVisitor):
        def visit_Call(self, call_node: cst.Call) -> None:
            if names.resolve(call_node.func) == "flask.Flask":
                found.append(call_node)

    node.visit(Calls())
    return bool(found)


def definitions(module: cst.Module, name: str, names: FlaskNames) -> set[str]:
    """Qualified names of this module's apps and app factories (``pkg.app``, ``pkg.create_app``)."""
    found: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef) and _builds_app(statement, names):
            found.add(f"{name}.{statement.name.value}")
    for target, value in _assignments(module):
        if names.resolve(value.func) == "flask.Flask" or dotted(value.func) in {f.rsplit(".", 1)[1] for f in found}:
            found.add(f"{name}.{target}")
    return found


def assigned_calls(module: cst.Module, name: str, qualify: Callable[[str], str | None]) -> dict[str, str]:
    """``pkg.app`` -> ``other.create_app`` for each module-level ``app = create_app()`` calling an import."""
    found = {}
    for target, value in _assignments(module):
        callee = dotted(value.func)
        qualified = qualify(callee) if callee else None
        if qualified is not None:
            found[f"{name}.{target}"] = qualified
    return found


def _assignments(module: cst.Module):
    """``(name, call)`` for ``name = f(...)`` at module level and in ``if __name__ == "__main__":``."""
    statements = list(module.body)
    for statement in module.body:
        if isinstance(statement, cst.If) and "__main__" in code(statement.test):
            statements.extend(statement.body.body)
    for statement in statements:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Call)
            ):
                yield small.targets[0].target.value, small.value


def local_apps(module: cst.Module, qualify: Callable[[str], str | None], known: set[str]) -> set[str]:
    """Local names that hold an app: imported apps, and results of calling a known factory."""
    found = set()
    for target, value in _assignments(module):
        callee = dotted(value.func)
        if callee is not None and (qualify(callee) in known):
            found.add(target)
    for local in _imported_names(module):
        if qualify(local) in known:
            found.add(local)
    return found


def _imported_names(module: cst.Module) -> set[str]:
    found = set()

    class Imports(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if not isinstance(node.names, cst.ImportStar):
                for alias in node.names:
                    found.add(dotted(alias.asname.name) if alias.asname else dotted(alias.name))

    module.visit(Imports())
    return found


def rewrite(module: cst.Module, notes: Notes, apps: set[str]) -> cst.Module:
    """A module that does not import Flask (``run.py``): only its ``app.run()`` statements change."""
    if not apps:
        return module

    class Runs(cst.CSTTransformer):
        def leave_SimpleStatementLine(self, original: cst.SimpleStatementLine, updated: cst.SimpleStatementLine):
            small = updated.body[0] if len(updated.body) == 1 else None
            if not isinstance(small, cst.Expr) or not is_run_call(small.value, apps):
                return updated
            todos: list[str] = []
            run = uvicorn_run(small.value, small.value, lambda m: todos.append(m) if m not in todos else None)
            return cst.FlattenSentinel(uvicorn_lines(updated, run, todos))

    result = module.visit(Runs())
    if result is not module and result.code != module.code:
        notes.note("app.run() became uvicorn.run(app, ...): FastAPI apps are served by uvicorn")
    return result


def uvicorn_lines(line: cst.SimpleStatementLine, run: cst.Call, todos: list[str]) -> list[cst.SimpleStatementLine]:
    """``import uvicorn`` and the run call, in place of the ``app.run()`` line (TODOs above the call)."""
    run_line = line.with_changes(body=[cst.Expr(run)], leading_lines=[])
    if len(todos) == 1 and line.trailing_whitespace.comment is None:
        run_line = run_line.with_changes(
            trailing_whitespace=cst.TrailingWhitespace(
                cst.SimpleWhitespace("  "), cst.Comment(f"{TODO_MARKER} {todos[0]}"), line.trailing_whitespace.newline
            )
        )
    elif todos:
        run_line = run_line.with_changes(
            leading_lines=[cst.EmptyLine(comment=cst.Comment(f"{TODO_MARKER} {m}")) for m in todos]
        )
    uvicorn = cst.Import([cst.ImportAlias(cst.Name("uvicorn"))])
    return [cst.SimpleStatementLine([uvicorn], leading_lines=line.leading_lines), run_line]
