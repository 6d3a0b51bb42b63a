"""The text of the wiring module ``asyncshift wire`` writes from a ``compat.control.wiring.Plan``.

Plain Python a person can read and copy from: tables of ``"module:name"`` pairs, and a few short
functions building the toolkit's pieces from them. The application is imported only when a
function is called, one pair at a time, so the module imports even where a twin does not yet, and
a pair that fails to load is left out with a warning instead of taking the others down.
"""

from __future__ import annotations

import json
import textwrap

from compat.control.wiring import Pair, Plan

HEAD = '''\
"""Side-by-side wiring of {project}, written by `asyncshift wire` (step 3 of the migration recipe).

Regenerate it with `asyncshift wire` after a twin run or when the code gains a target; `asyncshift
wire --check` exits 1 when this file differs from what it would write, so do not edit it by hand:
put hand-written pieces in a module of your own that imports this one.

- `build(database)`: every repository behind `DualUnits` and every service behind a `DualService`,
  the `compare` hook of [tool.asyncshift] (`asyncshift compare TARGET`);
- `strangler()`: the ASGI app sending each request to the Flask app or the FastAPI app by the stage
  of its target (`web.routes.<blueprint>`), served by uvicorn: `uvicorn {module}:serve --factory`;
- `dispatcher()` / `main()`: the command line, run by the Typer or the AsyncClick program by stage;
- `job_registry()`: each job's sync and async callables, for `compat.jobs.Scheduler`.

Each to-do comment below names a piece the toolkit could not resolve; the rest works without it.
"""

from __future__ import annotations

import sys
import warnings
from types import SimpleNamespace
from typing import Any

from compat.control.project import database_url
from compat.control.wiring_jobs import load  # "package.module:name" -> the object
from compat.control.wiring_services import ServiceSides
from compat.db import Database
from compat.dual import DualService, DualUnits
from compat.flags import FlagStore, get_store
from compat.shadow import Checker, Recorder, SqlRecorder

APP_DATABASE = {database}  # the [tool.asyncshift.databases] entry the repositories and services use
PROG_NAME = {prog}  # the console script's name, shown in usage lines
'''

BODY = '''

def load_pairs(pairs: dict[str, tuple[str, str]]) -> dict[str, tuple[Any, Any]]:
    """Each pair loaded; one that does not import is left out, with a warning naming it."""
    loaded = {{}}
    for name, (old, new) in pairs.items():
        try:
            loaded[name] = (load(old), load(new))
        except Exception as exc:  # noqa: BLE001 (a twin with work left: the others still wire)
            warnings.warn(f"asyncshift wiring: {{name}} left out: {{type(exc).__name__}}: {{exc}}", stacklevel=2)
    return loaded


def app_database() -> Database:
    """The application's database, as [tool.asyncshift.databases] reads it (variable, else default)."""
    if APP_DATABASE is None:
        raise RuntimeError("no [tool.asyncshift.databases] entry: add one, then rerun `asyncshift wire`")
    found = database_url(name=APP_DATABASE)
    if found is None:
        raise RuntimeError(f"[tool.asyncshift.databases] {{APP_DATABASE}} gives no URL; set it there")
    return Database.from_url(found[0], found[1])


def checker(store: FlagStore, recorder: Recorder | None = None) -> Checker:
    """Side-by-side checks, recorded in the toolkit's database ([tool.asyncshift] database)."""
    if recorder is None:
        url, where = database_url() or ("sqlite:///asyncshift.db", "the toolkit's default")
        recorder = SqlRecorder(Database.from_url(url, where).sync_engine)
    return Checker(recorder, settings=lambda: store.snapshot().shadow)


# -- repositories and services ----------------------------------------------------------------

# Target repositories.<name>: (old class, new class), each built by DualUnits with a session.
REPOSITORIES = {repositories}
{repository_todos}
# Target services.<name>: (old class, new class), each built with what SERVICE_ARGUMENTS gives it.
SERVICES = {services}

# What each constructor needing arguments is given, by parameter: "session" (a session on the
# application's database, one per thread / per task), "service:<name>" (that service's own side),
# [old class, new class, {{its parameters}}] (built the same way), or "given" (yours: pass
# build(arguments={{"<name>": {{"<parameter>": (old, new)}}}}); without it the service is left out).
SERVICE_ARGUMENTS: dict[str, dict[str, Any]] = {service_arguments}
{service_todos}{built_by_app}

def build(
    database: Database | None = None,
    *,
    store: FlagStore | None = None,
    recorder: Recorder | None = None,
    arguments: dict[str, dict[str, tuple[Any, Any]]] | None = None,
) -> SimpleNamespace:
    """The dual adapters on ``database`` (the application's, by default): ``units`` (every
    repository, routed by ``repositories.<name>``) and ``services`` (``services.<name>``);
    ``arguments`` gives the "given" constructor arguments, an (old, new) pair each;
    ``sessions.remove()`` / ``await sessions.aremove()`` end the services' sessions of this
    thread / task (call them where a request or a job ends).
    ``asyncshift compare`` calls it with a sandbox database whose writes are rolled back."""
    database = database or app_database()
    store = store or get_store()
    check = checker(store, recorder)
    units = DualUnits(database, load_pairs(REPOSITORIES), prefix="repositories", store=store, checker=check)
    sides = ServiceSides(database, load_pairs(SERVICES), SERVICE_ARGUMENTS, arguments or {{}})
    services = {{}}
    for name in sides.pairs:
        try:
            old, new = sides.dual_sides(name)
            services[name] = DualService(f"services.{{name}}", old, new, store=store, checker=check)
        except Exception as exc:  # noqa: BLE001 (a constructor needing more than the code showed)
            left_out = f"services.{{name}} left out: {{type(exc).__name__}}: {{exc}}"
            warnings.warn(f"asyncshift wiring: {{left_out}}", stacklevel=2)
    return SimpleNamespace(
        database=database, store=store, checker=check, units=units, services=services, sessions=sides
    )
'''


def q(text: str) -> str:
    """A Python string literal in double quotes (the style ruff and black write)."""
    return json.dumps(text, ensure_ascii=False)


def _table(pairs: list[Pair]) -> str:
    if not pairs:
        return "{}"
    rows = "".join(f"    {q(p.name)}: (\n        {q(p.old)},\n        {q(p.new)},\n    ),\n" for p in pairs)
    return "{\n" + rows + "}"


def _spec(spec: object, indent: str) -> str:
    """A SERVICE_ARGUMENTS value as Python text: a string, a {parameter: spec} table, or
    [old, new, {parameter: spec}]."""
    if isinstance(spec, str):
        return q(spec)
    if isinstance(spec, dict):
        return _specs(spec, indent)
    old, new, inner = spec  # type: ignore[misc]
    inside = indent + "    "
    return f"[\n{inside}{q(old)},\n{inside}{q(new)},\n{inside}{_specs(inner, inside)},\n{indent}]"


def _specs(specs: dict[str, object], indent: str) -> str:
    if not specs:
        return "{}"
    inside = indent + "    "
    rows = "".join(f"{inside}{q(name)}: {_spec(spec, inside)},\n" for name, spec in specs.items())
    return "{\n" + rows + indent + "}"


def _arguments(pairs: list[Pair]) -> str:
    return _specs({p.name: p.arguments for p in pairs if p.arguments}, "")


def _todos(plan: Plan, section: str, indent: str = "") -> str:
    lines = [f"{indent}# Chose: {text}" for s, text in plan.notes if s == section]
    lines += [f"{indent}# TODO(asyncshift): {text}" for s, text in plan.todos if s == section]
    return "\n".join(lines) + ("\n" if lines else "")


def _app_body(plan: Plan, side: str, spec: str) -> str:
    """``old_web_app``/``new_web_app``'s body: call the factory, or take the app object."""
    if "|needs:" in spec:
        spec, needed = spec.split("|needs:")
        return (
            f"    # TODO(asyncshift): {spec} needs {needed.replace(',', ', ')}; pass them here\n"
            f"    raise NotImplementedError({q(spec + ' needs ' + needed.replace(',', ', '))})\n"
        )
    return f"    return load({q(spec)}){'()' if plan.web_factories.get(side) else ''}\n"


def _web(plan: Plan) -> str:
    text = "\n\n# -- web: the strangler over the Flask app (old) and the FastAPI app (new) --------------------\n"
    text += _todos(plan, "web")
    if plan.web is None:
        return text + (
            "\n\ndef strangler(store: FlagStore | None = None, recorder: Recorder | None = None) -> Any:\n"
            '    raise NotImplementedError("no web app pair: see the TODO above")\n'
        )
    old, new = plan.web.old.split("|")[0], plan.web.new.split("|")[0]
    return text + (
        f"\n\ndef old_web_app() -> Any:\n"
        f'    """The Flask app, from {old}."""\n{_app_body(plan, "old", plan.web.old)}'
        f"\n\ndef new_web_app() -> Any:\n"
        f'    """The FastAPI app, from {new}."""\n{_app_body(plan, "new", plan.web.new)}'
        "\n\ndef strangler(store: FlagStore | None = None, recorder: Recorder | None = None) -> Any:\n"
        '    """One ASGI app: each request goes to the Flask or the FastAPI app by its target\'s stage\n'
        '    (``web.routes.<router tag>``: flask-to-fastapi tags each router with its blueprint\'s name)."""\n'
        "    from compat.web import RouteTargets, Strangler, flat_routes, tag_target\n\n"
        "    store = store or get_store()\n"
        "    new_app = new_web_app()\n"
        "    return Strangler(\n"
        "        new_app,\n"
        "        old_web_app(),\n"
        '        target_of=RouteTargets(flat_routes(new_app), tag_target("web.routes")),\n'
        "        store=store,\n"
        "        checker=checker(store, recorder),\n"
        "    )\n"
        "\n\ndef serve() -> Any:\n"
        '    """For ``uvicorn MODULE:serve --factory``."""\n'
        "    return strangler()\n"
    )


def _cli(plan: Plan) -> str:
    text = "\n\n# -- command line: the Typer program (old) and the AsyncClick program (new) -------------------\n"
    text += _todos(plan, "cli")
    text += (
        '\n# Commands that only read ("users list"): at shadow/live they run on both programs and are\n'
        "# compared. Add yours; every other command runs once, on the serving side.\n"
        "READ_ONLY: frozenset[str] = frozenset()\n"
    )
    if plan.cli is None:
        return text + (
            "\n\ndef dispatcher(store: FlagStore | None = None, recorder: Recorder | None = None) -> Any:\n"
            '    raise NotImplementedError("no command-line pair: see the TODO above")\n'
        )
    old_runner = "typer_runner" if plan.cli_kind == "typer" else "asyncclick_runner"
    return text + (
        "\n\ndef dispatcher(store: FlagStore | None = None, recorder: Recorder | None = None) -> Any:\n"
        f'    """Runs argv on {plan.cli.old} or {plan.cli.new} by the stage of its target\n'
        '    (``cli.<command>...``)."""\n'
        "    from compat.cli import Dispatcher, asyncclick_runner, typer_runner\n\n"
        "    store = store or get_store()\n"
        f"    old_app = load({q(plan.cli.old)})\n"
        f"    new_app = load({q(plan.cli.new)})\n"
        "    return Dispatcher(\n"
        f"        old={old_runner}(old_app, PROG_NAME),\n"
        "        new=asyncclick_runner(new_app, PROG_NAME),\n"
        "        tree=new_app,\n"
        "        store=store,\n"
        "        read_only=READ_ONLY,\n"
        "        checker=lambda: checker(store, recorder),\n"
        "    )\n"
        "\n\ndef main(argv: list[str] | None = None) -> None:\n"
        '    """A console script\'s entry point: point [project.scripts] here to move the command line."""\n'
        "    sys.exit(dispatcher()(sys.argv[1:] if argv is None else argv))\n"
    )


JOB_HELPER = '''

def job(spec: str, aio: bool = False) -> Any:
    """The application's job callable as ``compat.jobs`` calls it, ``(context, occurrence, *args)``:
    it gets only the job's ``args`` (a method: on a new instance of its class, built with no arguments)."""
    from compat.control.wiring_jobs import job_callable

    return job_callable(spec, aio=aio)
'''


def _jobs(plan: Plan) -> str:
    text = "\n\n# -- jobs: each job's sync and async callables, picked at each run by jobs.<name> -------------\n"
    text += JOB_HELPER
    text += (
        "\n\n# Job kind jobs.<name>: (old callable, new callable), one per callable the code schedules; an id the\n"
        "# code builds at run time names one scheduled job of its kind (schedule through app_scheduler()).\n"
    )
    text += f"JOBS = {_table(plan.jobs)}\n"
    built = [job.name for job in plan.jobs if job.runtime_id]
    if built:
        said = textwrap.wrap(f"Scheduled under ids built at run time: {', '.join(built)}.", 100)
        text += "".join(f"# {line}\n" for line in said)
    text += _todos(plan, "jobs")
    text += "\n\ndef job_registry() -> Any:\n"
    text += '    """The jobs for ``compat.jobs.Scheduler(job_registry(), database)``."""\n'
    text += "    from compat.jobs import JobRegistry\n\n"
    text += "    jobs = JobRegistry()\n"
    text += "    for name, (old, new) in JOBS.items():\n"
    text += '        jobs.define(name, sync=job(old), aio=job(new, aio=True), description=f"{old} / {new}")\n'
    text += "    return jobs\n"
    return text + (
        "\n\ndef app_scheduler(scheduler: Any) -> Any:\n"
        '    """The application\'s own scheduling calls (``add_job(func=..., id=..., args=...)``, ``get_job``,\n'
        "    ``remove_job``, ``get_jobs``) on ``scheduler``, a started ``compat.jobs.Scheduler(job_registry(),\n"
        "    ...)``: hand it to the code that schedules, in place of its APScheduler; each callable runs as its\n"
        '    kind, under the id the code built."""\n'
        "    from compat.control.wiring_jobs import AppScheduler\n\n"
        "    return AppScheduler(scheduler, JOBS)\n"
    )


def _built_by_app(plan: Plan) -> str:
    if not plan.built_by_app:
        return ""
    lines = [
        "# The application builds these itself: those calls stay on the old code whatever the flags say.",
        "# Hand each such place build().services[NAME] (.sync; .aio in a twin) and, for a scheduler,",
        "# app_scheduler(scheduler), in a module of your own (sites found in the code, per class):",
    ]
    lines += [f"#   {what}: {calls} call(s), first at {first}" for what, calls, first in plan.built_by_app]
    return "\n".join(lines) + "\n"


def wiring_text(plan: Plan, module: str) -> str:
    database = q(plan.database) if plan.database else "None"
    head = HEAD.format(project=plan.project, module=module, database=database, prog=q(plan.prog))
    head += _todos(plan, "database")
    body = BODY.format(
        repositories=_table(plan.repositories),
        repository_todos=_todos(plan, "repositories"),
        services=_table(plan.services),
        service_arguments=_arguments(plan.services),
        service_todos=_todos(plan, "services"),
        built_by_app=_built_by_app(plan),
    )
    return head + body + _web(plan) + _cli(plan) + _jobs(plan)
