"""What can run: job definitions by name, each the same work written for both stacks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Occurrence:
    """Which scheduled run a callable is doing: its job, the time it was due (UTC), and which
    attempt (2 and on: taken over after its runner stopped renewing its lease)."""

    job_id: str
    scheduled_at: dt.datetime
    attempt: int = 1


@dataclass(frozen=True)
class JobDefinition:
    """One kind of job, twice: ``sync(context, occurrence, *args)`` and ``await aio(...)`` do the same work.

    ``retry_interrupted``: the work is idempotent, so an occurrence whose process died mid-run
    runs again (see ``compat.jobs.leases``); otherwise it stays ``interrupted`` for a person to see.
    """

    name: str
    sync: Callable[..., Any]
    aio: Callable[..., Awaitable[Any]]
    description: str = ""
    retry_interrupted: bool = False


class JobRegistry:
    """The job definitions an application offers, by name."""

    def __init__(self) -> None:
        self._definitions: dict[str, JobDefinition] = {}

    def define(
        self,
        name: str,
        *,
        sync: Callable[..., Any],
        aio: Callable[..., Awaitable[Any]],
        description: str = "",
        retry_interrupted: bool = False,
    ) -> JobDefinition:
        if name in self._definitions:
            raise ValueError(f"job {name!r} is already defined")
        definition = JobDefinition(name, sync, aio, description, retry_interrupted)
        self._definitions[name] = definition
        return definition

    def __getitem__(self, name: str) -> JobDefinition:
        try:
            return self._definitions[name]
        except KeyError:
            defined = ", ".join(sorted(self._definitions)) or "(none)"
            raise LookupError(f"no job definition named {name!r}; defined: {defined}") from None

    def __iter__(self) -> Iterator[JobDefinition]:
        return iter(self._definitions.values())


def registered_job(*args: Any, **kwargs: Any) -> None:
    """What the job store records as every job's function; ``Scheduler``'s executors run the
    definition named in the job's first argument instead. Reached only without them."""
    raise RuntimeError("compat.jobs jobs run through compat.jobs.Scheduler, not a bare APScheduler")


# The job store keeps "module:name" of this function in every stored job, and drops a job whose
# reference no longer resolves: keep the one it has always had (``compat.jobs`` re-exports it).
registered_job.__module__ = "compat.jobs"
