"""The calendar archive (the same on both stacks): copy a date range of appointments into the archive
calendar, idempotently, and record each run.

A run takes three units of work: the run row is committed ``running`` first (so a crash leaves a
trace), the copy happens in its own unit (all or nothing), and the outcome is recorded last. While
it copies, the run renews its ``heartbeat_at`` every third of ``run_lease``; a ``running`` run of
the same configuration whose heartbeat is older than that lost its process mid-way, and the next
run marks it ``interrupted`` (nothing it copied was kept, so running the range again is safe).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import logging
import threading
from collections.abc import Iterator
from typing import Any

from admin_assistant.domain.archiving import RunCounts, archive_key, failed, plan_copies, succeeded
from admin_assistant.domain.dateranges import DateRange, parse_date_range
from admin_assistant.domain.keys import batched
from admin_assistant.domain.models import ArchiveConfiguration, ArchiveRun, RunStatus, utcnow
from admin_assistant.domain.queries import DEFAULT_LIMIT

from ..repositories import Repositories
from .base import Service

log = logging.getLogger(__name__)


class CalendarArchiveService(Service):
    """Archive runs: one on demand (``archive``) or yesterday's for every active configuration."""

    read_methods = frozenset({"runs"})
    run_lease = 30.0  # seconds without a heartbeat before a running run counts as interrupted: shorter
    # than a job occurrence's lease (compat.jobs, 60 s), so a retried daily run finds the one it replaces stale

    def archive(
        self,
        owner_id: int,
        configuration_id: int,
        date_range: str | DateRange,
        replace: bool = False,
        today: dt.date | None = None,
    ) -> ArchiveRun:
        """Archive ``date_range`` (parsed in the configuration's timezone) and return the run.

        ``replace`` first removes what earlier runs archived in the range. A run that fails is
        recorded ``failed`` with the error, and the error is raised again.
        """
        with self.units() as repos:
            configuration = repos.archive_configurations.get(configuration_id, owner_id=owner_id)
        run, error = self._run(configuration, date_range, replace, today)
        if error is not None:
            raise error
        return run

    def run_active(self, today: dt.date | None = None) -> list[ArchiveRun]:
        """Archive yesterday (in each configuration's timezone) for every active configuration.

        For the scheduler: one configuration failing does not stop the others; its run says why.
        """
        with self.units() as repos:
            configurations = repos.archive_configurations.list(active=True, limit=None)
        runs = []
        for configuration in configurations:
            try:
                run, _error = self._run(configuration, "yesterday", False, today)
            except Exception:  # one configuration must not stop the others
                log.exception("archive configuration %s: the run could not be recorded", configuration.id)
                continue
            runs.append(run)
        return runs

    def runs(
        self, owner_id: int, configuration_id: int | None = None, offset: int = 0, limit: int | None = DEFAULT_LIMIT
    ) -> list[ArchiveRun]:
        """The owner's runs, newest first, optionally of one configuration."""
        with self.units() as repos:
            return repos.archive_runs.list(
                owner_id=owner_id, configuration_id=configuration_id, offset=offset, limit=limit
            )

    def _run(
        self, configuration: ArchiveConfiguration, date_range: str | DateRange, replace: bool, today: dt.date | None
    ) -> tuple[ArchiveRun, Exception | None]:
        days = parse_date_range(date_range, configuration.timezone, today)
        started = ArchiveRun(
            configuration_id=configuration.id,
            range_start=days.start,
            range_end=days.end,
            replace=replace,
            status=RunStatus.RUNNING,
            heartbeat_at=utcnow(),
        )
        with self.units() as repos:
            self._interrupt_stale(repos, configuration.id)
            run = repos.archive_runs.add(started)
        try:
            with self._kept_alive(run.id):
                counts = self._copy(configuration, days, replace, run.id)
        except Exception as error:  # noqa: BLE001 - any failure is recorded on the run, then raised again
            try:
                with self.units() as repos:
                    run = repos.archive_runs.update(run.id, failed(error))
            except Exception:  # the run's own failure matters more than the recording's
                log.exception("archive run %s failed and its failure could not be recorded", run.id)
                raise error from None
            return run, error
        with self.units() as repos:
            run = repos.archive_runs.update(run.id, succeeded(counts))
        return run, None

    @contextlib.contextmanager
    def _kept_alive(self, run_id: int) -> Iterator[None]:
        """The run's heartbeat, renewed in the background (a thread here, a task on the async stack) while the
        block runs."""
        stop = threading.Event()

        def beat() -> None:
            while not stop.wait(self.run_lease / 3):
                try:
                    with self.units() as repos:
                        repos.archive_runs.update(run_id, {"heartbeat_at": utcnow()})
                except Exception as exc:  # noqa: BLE001 - a missed beat is retried; the lease allows two
                    log.warning("archive run %s: heartbeat failed: %s", run_id, exc)

        # In the caller's context: units bridged to async repositories find the caller's loop there.
        context = contextvars.copy_context()
        thread = threading.Thread(target=context.run, args=(beat,), name=f"archive-run-{run_id}", daemon=True)
        thread.start()
        try:
            yield
        finally:
            stop.set()
            thread.join()

    def _interrupt_stale(self, repos: Repositories, configuration_id: int) -> None:
        """Running runs of the configuration whose heartbeat stopped: marked ``interrupted``."""
        cutoff = utcnow() - dt.timedelta(seconds=self.run_lease)
        running = repos.archive_runs.list(configuration_id=configuration_id, status=RunStatus.RUNNING, limit=None)
        for stale in running:
            if (stale.heartbeat_at or stale.started_at) < cutoff:
                log.warning("archive run %s stopped mid-way (no heartbeat since %s): interrupted", stale.id, cutoff)
                repos.archive_runs.update(stale.id, _interrupted(self.run_lease))

    def _copy(
        self,
        configuration: ArchiveConfiguration,
        days: DateRange,
        replace: bool,
        run_id: int,
    ) -> RunCounts:
        lower, upper = days.utc_bounds(configuration.timezone)
        source_id, archive_id = configuration.source_calendar_id, configuration.archive_calendar_id
        with self.units() as repos:
            repos.calendars.get(source_id, owner_id=configuration.owner_id)
            repos.calendars.get(archive_id, owner_id=configuration.owner_id)
            removed = 0
            if replace:
                removed = repos.appointments.delete_many(
                    calendar_id=archive_id,
                    archived=True,
                    start=lower,
                    end=upper,
                )
            sources = repos.appointments.list(calendar_id=source_id, start=lower, end=upper, limit=None)
            archived: set[str] = set()
            for keys in batched(archive_key(source) for source in sources):
                found = repos.appointments.list(calendar_id=archive_id, external_ids=keys, limit=None)
                archived.update(a.external_id for a in found)
            plan = plan_copies(sources, archived, archive_id)
            repos.appointments.add_all(plan.copies)
            # A heartbeat as the copy commits: a run that waited on its lock (SQLite) finds it alive.
            repos.archive_runs.update(run_id, {"heartbeat_at": utcnow()})
        return plan.counts(removed)


def _interrupted(lease: float) -> dict[str, Any]:
    """The changes that close a run whose process stopped: its copy was one unit, so nothing was kept."""
    return {
        "status": RunStatus.INTERRUPTED,
        "copied": 0,
        "skipped": 0,
        "overlaps": 0,
        "removed": 0,
        "finished_at": utcnow(),
        "error": f"interrupted: no heartbeat for {lease:g} s (its process stopped); nothing it copied was kept",
    }
