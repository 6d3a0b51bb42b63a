"""Flask-APScheduler settings in app.config that the asyncio scheduler cannot take as they are.

``SCHEDULER_JOBSTORES``/``EXECUTORS``/``JOB_DEFAULTS``/``TIMEZONE`` and ``JOBS`` are read by the
converted ``init_app`` (see ``helpers``); the REST API and host settings have no equivalent, and
jobs listed in config are not registered with compat.jobs. Found as ``NAME = ...`` (a config
class or module), ``config["NAME"] = ...`` or ``config.update(NAME=...)``.
"""

from __future__ import annotations

import ast

import libcst as cst

from codemods.apscheduler_to_asyncio.jobs import Job

API_SETTINGS = {
    "SCHEDULER_API_ENABLED",
    "SCHEDULER_VIEWS_ENABLED",
    "SCHEDULER_API_PREFIX",
    "SCHEDULER_ENDPOINT_PREFIX",
    "SCHEDULER_AUTH",
}
HOSTS = "SCHEDULER_ALLOWED_HOSTS"
JOB_LISTS = {"JOBS", "SCHEDULER_JOBS"}
STORE_TYPES = {"sqlalchemy", "mongodb", "redis", "rethinkdb", "zookeeper", "etcd"}


NEEDLE = "SCHEDULER_"  # every Flask-APScheduler setting but JOBS starts so


def mentions_settings(code: str) -> bool:
    return NEEDLE in code


def todos(module: cst.Module, target: str, value: cst.BaseExpression | None) -> list[str]:
    """The TODOs for setting ``target`` (a config key) to ``value``."""
    if value is not None and _literal(module, value) in ((True, False), (True, None)):
        return []  # switched off: nothing to port
    if target in API_SETTINGS:
        return [
            f"{target}: Flask-APScheduler's REST API has no AsyncIOScheduler equivalent; "
            "port the routes you use (list, add, pause, run jobs) to the web app by hand"
        ]
    if target == HOSTS:
        return [
            f"{target}: the converted start() no longer checks the host name; "
            "start the scheduler only on the hosts listed here (e.g. by an environment variable)"
        ]
    return []


def config_jobs_todo(target: str, jobs: list[Job]) -> str | None:
    """The TODO naming the jobs of a JOBS list that compat.jobs cannot take as they are written."""
    unclear = [job for job in jobs if not job.clear]
    if not unclear:
        return None
    named = "; ".join(f"{job.label} ({job.why_unclear()})" for job in unclear)
    return (
        f"jobs loaded from {target} by the scheduler are not registered with compat.jobs: {named}; define each "
        "in a JobRegistry (sync and aio callables) so either scheduler runs it by flag"
    )


def _literal(module: cst.Module, node: cst.BaseExpression) -> tuple[bool, object]:
    try:
        return True, ast.literal_eval(module.code_for_node(node))
    except (ValueError, SyntaxError, TypeError):
        return False, None


def _string(module: cst.Module, node: cst.BaseExpression) -> str | None:
    try:
        value = ast.literal_eval(module.code_for_node(node))
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def store_dict_todo(module: cst.Module, node: cst.Dict) -> str | None:
    """``{"type": "sqlalchemy", "url": ...}``: a job store given by its plugin name."""
    for item in node.elements:
        if isinstance(item, cst.DictElement) and _string(module, item.key) == "type":
            kind = _string(module, item.value)
            if kind in STORE_TYPES:
                return store_todo(f"the {kind!r} job store")
    return None


def store_todo(what: str) -> str:
    return (
        f"{what} does blocking I/O: on the AsyncIOScheduler it reads and writes its jobs on the event loop's "
        "thread at every wakeup, and a SQLAlchemy store needs a sync engine/URL (not +asyncpg/+aiosqlite); "
        "keep a sync URL for it, or move these jobs to compat.jobs.Scheduler, whose store is read off the loop"
    )
