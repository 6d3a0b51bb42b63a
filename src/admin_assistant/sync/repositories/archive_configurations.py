"""ArchiveConfiguration rows (the aio twin of this package is generated from it: see ``__init__``)."""

from __future__ import annotations

from admin_assistant.domain.models import ArchiveConfiguration
from admin_assistant.domain.queries import ARCHIVE_CONFIGURATIONS

from .base import Repository


class ArchiveConfigurationsRepository(Repository[ArchiveConfiguration]):
    spec = ARCHIVE_CONFIGURATIONS
