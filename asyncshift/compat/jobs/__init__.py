"""One job registry, run by APScheduler 3's thread scheduler (old) or its asyncio scheduler (new).

A ``JobDefinition`` has a name and two callables, ``sync`` and ``aio``, doing the same work on
each stack. A ``Scheduler`` runs the definitions of a ``JobRegistry`` from schedules kept in the
application's database (APScheduler's ``SQLAlchemyJobStore``), so a restart keeps them:

* the scheduler class is picked when it starts, by the stage of ``jobs`` (``BackgroundScheduler``
  up to ``shadow``, ``AsyncIOScheduler`` from ``live``); which callable runs is picked per run, by
  the stage of ``jobs.<name>``, so a rollback takes effect at the next run without a restart.
  Jobs write, so they never run on both sides;
* a run missed while no scheduler was up runs once when one starts (``coalesce``, no grace limit);
* every occurrence is claimed before it runs, by inserting ``(job id, scheduled time)`` into
  ``job_runs`` under a unique key (``ON CONFLICT DO NOTHING``): two schedulers on one database run
  an occurrence once. The row then records the outcome; a failing job is recorded ``failed`` and
  the scheduler carries on. On the event loop, the claims (and the outcomes) that arrive while one
  is in flight go together in the next statement (``rounds``);
* a heartbeat wakes the scheduler every ``heartbeat`` seconds, so it sees jobs that another
  process added, and runs the ``on_heartbeat`` callbacks (e.g. keeping schedules in line with
  the application's settings).

The package, one idea a module:

- ``registry``: what can run (``JobRegistry``, ``JobDefinition``, ``Occurrence``);
- ``tables``: what is kept (``job_runs``, ``apscheduler_jobs``; ``JobRun``, a recorded occurrence);
- ``runs``: claiming, running and recording one occurrence, sync or async;
- ``rounds``: on the loop, what many runs ask of the database at once, in one statement;
- ``leases``: a claim renewed while it runs; an expired one ``interrupted`` and taken over;
- ``fencing``: a run that lost its lease (a stalled process) has its writes refused (``LeaseLost``) and is stopped;
- ``stores``: APScheduler's job store, as the migrations made its table;
- ``executors``: APScheduler's executors and asyncio scheduler, made to run occurrences that way;
- ``scheduler``: ``Scheduler``, the facade an application starts, edits and asks.

Public API: ``JobDefinition``, ``JobRegistry``, ``Occurrence``, ``JobRun``, ``Scheduler``,
``LeaseLost``, ``jobs_metadata`` (``job_runs`` and ``apscheduler_jobs``, for migrations).
"""

from compat.jobs.fencing import LeaseLost
from compat.jobs.registry import JobDefinition, JobRegistry, Occurrence, registered_job
from compat.jobs.scheduler import Scheduler
from compat.jobs.tables import JobRun, apscheduler_jobs, job_runs, jobs_metadata

__all__ = [
    "JobDefinition",
    "JobRegistry",
    "JobRun",
    "LeaseLost",
    "Occurrence",
    "Scheduler",
    "apscheduler_jobs",
    "job_runs",
    "jobs_metadata",
    "registered_job",
]
