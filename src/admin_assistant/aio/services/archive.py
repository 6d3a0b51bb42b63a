"""The calendar archive on the aio stack: copy a date range of appointments into the archive
calendar, idempotently, and record each run. Twin of ``admin_assistant.sync.services.archive``.

A run takes three units of work: the run row is committed ``running`` first (so a crash leaves a
trace), the copy happens in its own unit (all or nothing), and the outcome is recorded last.
"""

from __future__ import annotations

import datetime as dt
import logging

from admin_assistant.aio.services.base import Service
from admin_assistant.domain.archiving import RunCounts, archive_key, failed, plan_copies, succeeded
from admin_assistant.domain.dateranges import DateRange, parse_date_range
from admin_assistant.domain.keys import batched
from admin_assistant.domain.models import ArchiveConfiguration, ArchiveRun, RunStatus
from admin_assistant.domain.queries import DEFAULT_LIMIT

log = logging.getLogger(__name__)


class CalendarArchiveService(Service):
    """Archive runs: one on demand (``archive``) or yesterday's for every active configuration."""

    read_methods = frozenset({"runs"})

    async def archive(
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
        async with self.units() as repos:
            configuration = await repos.archive_configurations.get(configuration_id, owner_id=owner_id)
        run, error = await self._run(configuration, date_range, replace, today)
        if error is not None:
            raise error
        return run

    async def run_active(self, today: dt.date | None = None) -> list[ArchiveRun]:
        """Archive yesterday (in each configuration's timezone) for every active configuration.

        For the scheduler: one configuration failing does not stop the others; its run says why.
        """
        async with self.units() as repos:
            configurations = await repos.archive_configurations.list(active=True, limit=None)
        runs = []
        for configuration in configurations:
            try:
                run, _error = await self._run(configuration, "yesterday", False, today)
            except Exception:  # one configuration must not stop the others
                log.exception("archive configuration %s: the run could not be recorded", configuration.id)
                continue
            runs.append(run)
        return runs

    async def runs(
        self, owner_id: int, configuration_id: int | None = None, offset: int = 0, limit: int | None = DEFAULT_LIMIT
    ) -> list[ArchiveRun]:
        """The owner's runs, newest first, optionally of one configuration."""
        async with self.units() as repos:
            return await repos.archive_runs.list(
                owner_id=owner_id, configuration_id=configuration_id, offset=offset, limit=limit
            )

    async def _run(
        self, configuration: ArchiveConfiguration, date_range: str | DateRange, replace: bool, today: dt.date | None
    ) -> tuple[ArchiveRun, Exception | None]:
        days = parse_date_range(date_range, configuration.timezone, today)
        started = ArchiveRun(
            configuration_id=configuration.id,
            range_start=days.start,
            range_end=days.end,
            replace=replace,
            status=RunStatus.RUNNING,
        )
        async with self.units() as repos:
            run = await repos.archive_runs.add(started)
        try:
            counts = await self._copy(configuration, days, replace)
        except Exception as error:  # noqa: BLE001 - any failure is recorded on the run, then raised again
            try:
                async with self.units() as repos:
                    run = await repos.archive_runs.update(run.id, failed(error))
            except Exception:  # the run's own failure matters more than the recording's
                log.exception("archive run %s failed and its failure could not be recorded", run.id)
                raise error from None
            return run, error
        async with self.units() as repos:
            run = await repos.archive_runs.update(run.id, succeeded(counts))
        return run, None

    async def _copy(self, configuration: ArchiveConfiguration, days: DateRange, replace: bool) -> RunCounts:
        lower, upper = days.utc_bounds(configuration.timezone)
        source_id, archive_id = configuration.source_calendar_id, configuration.archive_calendar_id
        async with self.units() as repos:
            await repos.calendars.get(source_id, owner_id=configuration.owner_id)
            await repos.calendars.get(archive_id, owner_id=configuration.owner_id)
            removed = 0
            if replace:
                removed = await repos.appointments.delete_many(
                    calendar_id=archive_id, archived=True, start=lower, end=upper
                )
            sources = await repos.appointments.list(calendar_id=source_id, start=lower, end=upper, limit=None)
            archived: set[str] = set()
            for keys in batched(archive_key(source) for source in sources):
                found = await repos.appointments.list(calendar_id=archive_id, external_ids=keys, limit=None)
                archived.update(a.external_id for a in found)
            plan = plan_copies(sources, archived, archive_id)
            await repos.appointments.add_all(plan.copies)
        return plan.counts(removed)
