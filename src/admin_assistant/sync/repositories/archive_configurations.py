"""ArchiveConfiguration rows on the sync stack; twin of ``admin_assistant.aio.repositories.archive_configurations``."""

from __future__ import annotations

from admin_assistant.domain.models import ArchiveConfiguration
from admin_assistant.domain.queries import ARCHIVE_CONFIGURATIONS
from admin_assistant.sync.repositories.base import Repository


class ArchiveConfigurationsRepository(Repository[ArchiveConfiguration]):
    spec = ARCHIVE_CONFIGURATIONS
