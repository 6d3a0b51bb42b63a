"""One job registration read from the code: ``add_job(...)``, ``@scheduled_job(...)`` or ``@task(...)``.

APScheduler 3 takes ``add_job(func, trigger, args, kwargs, id, name, ..., **trigger_args)``;
Flask-APScheduler takes ``add_job(id, func, **kwargs)``; both decorators take the trigger first.
A registration is *clear* when compat.jobs can take it as it is: a function of this module, a
literal trigger name with literal trigger arguments, literal ``args``, no ``kwargs``.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

import libcst as cst

from codemods.apscheduler_to_asyncio.names import FLASK

TRIGGERS = {
    "date": ("run_date", "timezone"),
    "interval": ("weeks", "days", "hours", "minutes", "seconds", "start_date", "end_date", "timezone", "jitter"),
    "cron": (
        *("year", "month", "day", "week", "day_of_week", "hour", "minute", "second"),
        *("start_date", "end_date", "timezone", "jitter"),
    ),
}
TRIGGER_CLASSES = {
    "date": ("apscheduler.triggers.date", "DateTrigger"),
    "interval": ("apscheduler.triggers.interval", "IntervalTrigger"),
    "cron": ("apscheduler.triggers.cron", "CronTrigger"),
}
_POSITIONAL = ("func", "trigger", "args", "kwargs", "id", "name")  # APScheduler 3's add_job
_POSITIONAL_FLASK = ("id", "func")  # Flask-APScheduler's add_job
_POSITIONAL_DECORATOR = ("trigger", "args", "kwargs", "id", "name")


@dataclass
class Job:
    """What one registration says, as code and, where literal, as values."""

    function: str | None  # a top-level function of this module named as the job's func
    func_code: str  # the func expression as written
    ref: str | None = None  # "module:function" given as text (a JOBS entry), else None: this module's
    decorated: bool = False  # @scheduled_job / @task: the registration does not name the function
    job_id: str | None = None  # literal id, or None
    trigger: str | None = None  # literal trigger name
    trigger_args: dict[str, object] = field(default_factory=dict)
    args: tuple = ()
    unclear: list[str] = field(default_factory=list)  # why compat.jobs cannot take it as written

    @property
    def label(self) -> str:
        return self.job_id or self.function or self.func_code

    def why_unclear(self) -> str:
        """The reasons, with the computed values named once: "its id, trigger arguments (hour, minute) ..."."""
        computed = [r.removeprefix("its ").removesuffix(" is computed") for r in self.unclear if r.endswith("computed")]
        computed += ["args" for r in self.unclear if r.startswith("its args are computed")]
        trigger = [c.removeprefix("trigger argument ") for c in computed if c.startswith("trigger argument ")]
        named = [c for c in computed if not c.startswith("trigger argument ")]
        if trigger:
            named.insert(min(1, len(named)), f"trigger arguments ({', '.join(trigger)})")
        others = [r for r in self.unclear if not r.endswith("computed") and not r.startswith("its args are computed")]
        if named:
            head = ", ".join(named[:-1]) + (" and " if len(named) > 1 else "") + named[-1]
            plural = len(named) > 1 or named[0] in ("args", "kwargs") or named[0].startswith("trigger arguments")
            others.append(f"its {head} {'are' if plural else 'is'} computed at run time")
        return "; ".join(others)

    @property
    def clear(self) -> bool:
        return not self.unclear and self.function is not None


def _literal(module: cst.Module, node: cst.BaseExpression) -> tuple[bool, object]:
    try:
        return True, ast.literal_eval(module.code_for_node(node).strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return False, None


def read(
    module: cst.Module,
    call: cst.Call,
    kind: str,
    functions: set[str],
    *,
    decorated: str | None = None,
) -> Job:
    """The registration ``call`` makes (``decorated``: the function under the decorator)."""
    if decorated is not None:
        order: tuple[str, ...] = _POSITIONAL_DECORATOR
    else:
        order = _POSITIONAL_FLASK if kind == FLASK else _POSITIONAL
    given: dict[str, cst.BaseExpression] = {}
    extra: dict[str, cst.BaseExpression] = {}
    unclear: list[str] = []
    for index, arg in enumerate(call.args):
        if arg.star:
            unclear.append("its arguments are unpacked (*/**)")
        elif arg.keyword is not None:
            (given if arg.keyword.value in _POSITIONAL else extra)[arg.keyword.value] = arg.value
        elif index < len(order):
            given[order[index]] = arg.value
        else:
            unclear.append("it has more positional arguments than add_job takes")
    func = given.get("func")
    func_code = decorated or (module.code_for_node(func) if func is not None else "?")
    function = decorated
    if decorated is None:
        function = func.value if isinstance(func, cst.Name) and func.value in functions else None
        if function is None:
            unclear.append(f"its function {func_code} is not a function defined at the top of this module")
    job = Job(function, func_code, unclear=unclear, decorated=decorated is not None)
    if "id" in given:
        ok, value = _literal(module, given["id"])
        if ok and isinstance(value, str):
            job.job_id = value
        else:
            unclear.append("its id is computed")
    _read_trigger(module, job, given.get("trigger"), extra)
    if "args" in given:
        ok, value = _literal(module, given["args"])
        if ok and isinstance(value, (list, tuple)):
            job.args = tuple(value)
        else:
            unclear.append("its args are computed at run time")
    if "kwargs" in given:
        unclear.append("it passes kwargs (compat.jobs passes positional arguments only)")
    return job


def _read_trigger(module: cst.Module, job: Job, trigger: cst.BaseExpression | None, extra: dict) -> None:
    if trigger is None:
        job.unclear.append("it has no trigger (runs once, now)")
        return
    ok, value = _literal(module, trigger)
    if not ok or value not in TRIGGERS:
        job.unclear.append("its trigger is not one of 'date', 'interval', 'cron' by name")
        return
    job.trigger = value
    for key, node in extra.items():
        if key not in TRIGGERS[value]:
            continue  # job options (coalesce, max_instances, ...): compat.jobs.Scheduler sets its own
        ok, literal = _literal(module, node)
        if not ok:
            job.unclear.append(f"its trigger argument {key} is computed")
        else:
            job.trigger_args[key] = literal


def from_config(module: cst.Module, value: cst.BaseExpression, functions: set[str]) -> list[Job] | None:
    """The jobs of a ``JOBS`` list of dict literals (Flask-APScheduler's config); None for anything else."""
    if not isinstance(value, (cst.List, cst.Tuple)):
        return None
    found = []
    for element in value.elements:
        if not isinstance(element.value, cst.Dict):
            return None
        entries: dict[str, cst.BaseExpression] = {}
        for item in element.value.elements:
            ok, key = _literal(module, item.key) if isinstance(item, cst.DictElement) else (False, None)
            if not ok or not isinstance(key, str):
                return None
            entries[key] = item.value
        found.append(_config_job(module, entries, functions))
    return found


def _config_job(module: cst.Module, entries: dict[str, cst.BaseExpression], functions: set[str]) -> Job:
    func = entries.get("func")
    job = Job(None, module.code_for_node(func) if func is not None else "?")
    ok, ref = _literal(module, func) if func is not None else (False, None)
    if ok and isinstance(ref, str) and ":" in ref:
        job.function, job.ref = ref.rpartition(":")[2], ref
    elif isinstance(func, cst.Name) and func.value in functions:
        job.function = func.value
    else:
        job.unclear.append("its func is neither 'module:function' nor a function of this module")
    ok, job_id = _literal(module, entries["id"]) if "id" in entries else (False, None)
    if ok and isinstance(job_id, str):
        job.job_id = job_id
    else:
        job.unclear.append("its id is not a literal")
    extra = {key: node for key, node in entries.items() if key not in _POSITIONAL}
    _read_trigger(module, job, entries.get("trigger"), extra)
    if "args" in entries:
        ok, args = _literal(module, entries["args"])
        if ok and isinstance(args, (list, tuple)):
            job.args = tuple(args)
        else:
            job.unclear.append("its args are computed at run time")
    if "kwargs" in entries:
        job.unclear.append("it passes kwargs (compat.jobs passes positional arguments only)")
    return job
