"""The small functions a converted module gets, written into it (no import to resolve, no new file).

An ``AsyncIOScheduler`` starts inside a running event loop (APScheduler 3.11's ``start`` calls
``asyncio.get_running_loop()`` unless it was given a loop). The old schedulers were started from
sync code: a ``BackgroundScheduler`` at import or in an app factory, a ``BlockingScheduler`` as the
program's main loop. These helpers start the new one there with the same behaviour; their
imports are inside them so the module's own imports are left as they were.
"""

from __future__ import annotations

import libcst as cst

START = "_asyncshift_start_scheduler"
START_FLASK = "_asyncshift_start_flask_scheduler"
RUN = "_asyncshift_run_scheduler"
CONFIGURE = "_asyncshift_configure_from_flask"

_START = '''
def _asyncshift_start_scheduler(scheduler, **options):
    """Start an AsyncIOScheduler where a BackgroundScheduler was started (written by asyncshift).

    Inside a running event loop it starts on that loop. Without one (a sync program, a WSGI app
    factory) it gets an event loop of its own in a daemon thread, as the old scheduler had a thread:
    async jobs run on that loop, sync jobs in its default thread pool.
    """
    import asyncio
    import threading

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="asyncshift-scheduler", daemon=True).start()
        scheduler._eventloop = loop  # what AsyncIOScheduler(event_loop=loop) sets
    scheduler.start(**options)
'''

_START_FLASK = '''
def _asyncshift_start_flask_scheduler(scheduler, **options):
    """Flask-APScheduler's start(): not in the parent process of Flask's debug reloader (its child
    runs the jobs), then as _asyncshift_start_scheduler (written by asyncshift)."""
    import werkzeug.serving
    from flask.helpers import get_debug_flag

    if get_debug_flag() and not werkzeug.serving.is_running_from_reloader():
        return
    _asyncshift_start_scheduler(scheduler, **options)
'''

_RUN = '''
def _asyncshift_run_scheduler(scheduler, **options):
    """Run an AsyncIOScheduler until it shuts down, as BlockingScheduler.start() did (written by
    asyncshift): its own event loop, ended by scheduler.shutdown() from a job or by Ctrl-C."""
    import asyncio

    from apscheduler.events import EVENT_SCHEDULER_SHUTDOWN

    async def run():
        stopped = asyncio.Event()
        loop = asyncio.get_running_loop()
        scheduler.add_listener(lambda event: loop.call_soon_threadsafe(stopped.set), EVENT_SCHEDULER_SHUTDOWN)
        scheduler.start(**options)
        try:
            await stopped.wait()
        finally:
            if scheduler.running:
                scheduler.shutdown(wait=False)

    asyncio.run(run())
'''

_CONFIGURE = '''
def _asyncshift_configure_from_flask(scheduler, app):
    """What Flask-APScheduler's init_app(app) did (written by asyncshift): the scheduler options and
    jobs in app.config, and app.apscheduler / scheduler.app; returns the scheduler. Its REST API is
    not carried over."""
    config = app.config
    options = {}
    for setting, option in (
        ("SCHEDULER_JOBSTORES", "jobstores"),
        ("SCHEDULER_EXECUTORS", "executors"),
        ("SCHEDULER_JOB_DEFAULTS", "job_defaults"),
        ("SCHEDULER_TIMEZONE", "timezone"),
    ):
        if config.get(setting):
            options[option] = config[setting]
    scheduler.configure(**options)
    scheduler.app = app
    app.apscheduler = scheduler
    for job in config.get("SCHEDULER_JOBS") or config.get("JOBS") or ():
        job = dict(job)
        if isinstance(job.get("trigger"), dict):  # Flask-APScheduler's older form
            trigger = dict(job.pop("trigger"))
            job["trigger"] = trigger.pop("type", "date")
            job.update(trigger)
        job["name"] = job.get("name") or job["id"]
        scheduler.add_job(**job)
    return scheduler
'''

SOURCES = {START: _START, START_FLASK: _START_FLASK, RUN: _RUN, CONFIGURE: _CONFIGURE}
STARTS = (START, START_FLASK)
NEEDS = {START_FLASK: (START,)}


def called(module: cst.Module) -> set[str]:
    """The helpers the module's own code calls (and those they call), not counting their definitions."""
    own = [s for s in module.body if not (isinstance(s, cst.FunctionDef) and s.name.value in SOURCES)]
    code = module.with_changes(body=own).code
    wanted = {name for name in SOURCES if f"{name}(" in code}
    for name in list(wanted):
        wanted |= set(NEEDS.get(name, ()))
    return wanted


def settle(module: cst.Module) -> cst.Module:
    """``module`` with exactly the helpers it calls defined after its imports: missing ones added, ones
    no longer called (a start a second run moved into a lifespan) removed; a third run changes nothing."""
    wanted = called(module)
    body = [s for s in module.body if not (isinstance(s, cst.FunctionDef) and s.name.value in set(SOURCES) - wanted)]
    defined = {s.name.value for s in body if isinstance(s, cst.FunctionDef)}
    missing = [name for name in SOURCES if name in wanted and name not in defined]
    if not missing:
        return module.with_changes(body=body)
    statements = [cst.parse_statement(SOURCES[name].strip() + "\n") for name in missing]
    statements = [
        s.with_changes(leading_lines=[cst.EmptyLine(), cst.EmptyLine()]) for s in statements
    ]  # two blank lines above each, as black and ruff format them
    at = insertion_point(body)
    if at < len(body):  # two blank lines between the last helper and what follows
        blank = sum(1 for line in body[at].leading_lines if line.comment is None)
        extra = [cst.EmptyLine()] * max(0, 2 - blank)
        body[at] = body[at].with_changes(leading_lines=[*extra, *body[at].leading_lines])
    return module.with_changes(body=[*body[:at], *statements, *body[at:]])


def insertion_point(body: list[cst.CSTNode]) -> int:
    """After the docstring, ``__future__`` and the other top-of-module imports."""
    at = 0
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom))
            or (index == 0 and isinstance(s, cst.Expr) and isinstance(s.value, cst.SimpleString))
            for s in statement.body
        ):
            at = index + 1
        else:
            break
    return at
