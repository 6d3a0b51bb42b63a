"""ArchiveRun rows (the aio twin of this package is generated from it: see ``__init__``)."""

from __future__ import annotations

from admin_assistant.domain.models import ArchiveRun
from admin_assistant.domain.queries import ARCHIVE_RUNS

from .base import Repository


class ArchiveRunsRepository(Repository[ArchiveRun]):
    spec = ARCHIVE_RUNS
