"""ArchiveRun rows on the sync stack; twin of ``admin_assistant.aio.repositories.archive_runs``."""

from __future__ import annotations

from admin_assistant.domain.models import ArchiveRun
from admin_assistant.domain.queries import ARCHIVE_RUNS
from admin_assistant.sync.repositories.base import Repository


class ArchiveRunsRepository(Repository[ArchiveRun]):
    spec = ARCHIVE_RUNS
