"""Appointment rows on the sync stack; twin of ``admin_assistant.aio.repositories.appointments``."""

from __future__ import annotations

from admin_assistant.domain.models import Appointment
from admin_assistant.domain.queries import APPOINTMENTS
from admin_assistant.sync.repositories.base import Repository


class AppointmentsRepository(Repository[Appointment]):
    spec = APPOINTMENTS
