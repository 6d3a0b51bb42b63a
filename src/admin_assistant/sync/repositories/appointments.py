"""Appointment rows (the aio twin of this package is generated from it: see ``__init__``)."""

from __future__ import annotations

from admin_assistant.domain.models import Appointment
from admin_assistant.domain.queries import APPOINTMENTS

from .base import Repository


class AppointmentsRepository(Repository[Appointment]):
    spec = APPOINTMENTS
