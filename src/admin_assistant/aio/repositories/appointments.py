"""Appointment rows on the aio stack; twin of ``admin_assistant.sync.repositories.appointments``."""

from __future__ import annotations

from admin_assistant.aio.repositories.base import Repository
from admin_assistant.domain.models import Appointment
from admin_assistant.domain.queries import APPOINTMENTS


class AppointmentsRepository(Repository[Appointment]):
    spec = APPOINTMENTS
