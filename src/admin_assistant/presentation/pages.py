"""What the HTML pages show, decided once for both stacks: each stack only fetches the rows.

The dashboard covers today and the next few days in the user's timezone; forms arrive as text
and are read into the same Pydantic models the API uses, so a page and the API refuse alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any
from zoneinfo import ZoneInfo

from pydantic import ValidationError

from admin_assistant.domain.errors import Invalid, NotFound
from admin_assistant.domain.models import Appointment, ArchiveConfiguration, ArchiveRun, Calendar, CalendarKind, User
from admin_assistant.domain.schemas import ArchiveConfigurationIn, ArchiveRunIn
from admin_assistant.presentation.webcommon import validation_message

UPCOMING_DAYS = 7
RECENT_RUNS = 10
RUN_LOOKUP_LIMIT = 1000  # a run is found among the owner's latest runs (the service has no get-by-id)


def dashboard_window(timezone: str, now: dt.datetime | None = None) -> tuple[dt.datetime, dt.datetime, dt.datetime]:
    """(start of today, start of tomorrow, end of the upcoming days), local midnights in UTC."""
    zone = ZoneInfo(timezone)
    local_now = (now or dt.datetime.now(dt.UTC)).astimezone(zone)
    today = dt.datetime.combine(local_now.date(), dt.time(), zone)
    tomorrow = dt.datetime.combine(local_now.date() + dt.timedelta(days=1), dt.time(), zone)
    until = dt.datetime.combine(local_now.date() + dt.timedelta(days=UPCOMING_DAYS + 1), dt.time(), zone)
    return today.astimezone(dt.UTC), tomorrow.astimezone(dt.UTC), until.astimezone(dt.UTC)


def source_calendars(calendars: Sequence[Calendar]) -> list[Calendar]:
    return [c for c in calendars if c.kind == CalendarKind.SOURCE]


def dashboard_context(
    user: User,
    by_calendar: Sequence[tuple[Calendar, Sequence[Appointment]]],
    runs: Sequence[ArchiveRun],
    configurations: Sequence[ArchiveConfiguration],
    now: dt.datetime | None = None,
) -> dict[str, Any]:
    """The dashboard's template context from the rows both stacks fetch the same way."""
    _today, tomorrow, _until = dashboard_window(user.timezone, now)
    items = sorted(
        ({"calendar": calendar.name, "appointment": a} for calendar, appointments in by_calendar for a in appointments),
        key=lambda item: (item["appointment"].start, item["appointment"].id),
    )
    return {
        "user": user,
        "today": [i for i in items if i["appointment"].start < tomorrow],
        "upcoming": [i for i in items if i["appointment"].start >= tomorrow],
        "upcoming_days": UPCOMING_DAYS,
        "runs": list(runs),
        "configuration_names": {c.id: c.name for c in configurations},
    }


def configurations_context(
    user: User, configurations: Sequence[ArchiveConfiguration], calendars: Sequence[Calendar]
) -> dict[str, Any]:
    return {
        "user": user,
        "configurations": list(configurations),
        "calendars": list(calendars),
        "calendar_names": {c.id: c.name for c in calendars},
    }


def configuration_form(form: Mapping[str, str]) -> ArchiveConfigurationIn:
    """The 'new configuration' form as the API's model; ``Invalid`` with the API's message when wrong."""
    fields = {
        key: form[key] for key in ("name", "source_calendar_id", "archive_calendar_id", "schedule") if form.get(key)
    }
    if form.get("timezone", "").strip():
        fields["timezone"] = form["timezone"].strip()
    return _read(ArchiveConfigurationIn, fields)


def run_form(form: Mapping[str, str]) -> ArchiveRunIn:
    return _read(ArchiveRunIn, {"date_range": form.get("date_range", ""), "replace": form.get("replace") == "on"})


def _read(model: Any, fields: Mapping[str, Any]) -> Any:
    try:
        return model.model_validate(dict(fields))
    except ValidationError as exc:
        raise Invalid(validation_message(exc.errors())) from None


def find_run(runs: Sequence[ArchiveRun], run_id: int) -> ArchiveRun:
    """The run ``run_id`` among ``runs`` (the owner's), else ``NotFound``."""
    for run in runs:
        if run.id == run_id:
            return run
    raise NotFound("archive run", run_id)
