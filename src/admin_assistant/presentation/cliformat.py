"""What the command line prints, the same on both stacks: JSON for scripts, tables for people,
one-line errors, and a progress line that only a terminal sees.

Both CLIs (Typer and AsyncClick) render through these functions, so their ``--json`` outputs are
byte-identical by construction and a side-by-side run compares answers, not formatting.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TextIO
from zoneinfo import ZoneInfo

from admin_assistant.domain.errors import DomainError, NotFound

if TYPE_CHECKING:  # kept out of the import path: --help should not load the ORM
    from admin_assistant.domain.models import Appointment, ArchiveConfiguration, ArchiveRun, Calendar, User
    from admin_assistant.domain.results import ImportResult

USER_ENV = "ADMIN_ASSISTANT_USER"
NO_PROGRESS_ENV = "ADMIN_ASSISTANT_NO_PROGRESS"
MAX_CELL = 48

# ------------------------------------------------------------------------------------ records


def user_record(user: User, token: str | None = None) -> dict[str, Any]:
    record = {
        "id": user.id,
        "email": user.email,
        "display_name": user.display_name,
        "timezone": user.timezone,
        "created_at": _instant(user.created_at),
    }
    if token is not None:
        record["api_token"] = token
    return record


def calendar_record(calendar: Calendar) -> dict[str, Any]:
    return {
        "id": calendar.id,
        "name": calendar.name,
        "kind": _value(calendar.kind),
        "external_uri": calendar.external_uri,
        "created_at": _instant(calendar.created_at),
    }


def appointment_record(appointment: Appointment) -> dict[str, Any]:
    return {
        "id": appointment.id,
        "calendar_id": appointment.calendar_id,
        "start": _instant(appointment.start),
        "end": _instant(appointment.end),
        "subject": appointment.subject,
        "location": appointment.location,
        "categories": list(appointment.categories or []),
        "show_as": _value(appointment.show_as),
        "sensitivity": _value(appointment.sensitivity),
        "recurrence_rule": appointment.recurrence_rule,
        "external_id": appointment.external_id,
        "archived": bool(appointment.archived),
    }


def configuration_record(configuration: ArchiveConfiguration) -> dict[str, Any]:
    return {
        "id": configuration.id,
        "name": configuration.name,
        "source_calendar_id": configuration.source_calendar_id,
        "archive_calendar_id": configuration.archive_calendar_id,
        "timezone": configuration.timezone,
        "schedule": configuration.schedule,
        "active": bool(configuration.active),
        "created_at": _instant(configuration.created_at),
    }


def run_record(run: ArchiveRun) -> dict[str, Any]:
    return {
        "id": run.id,
        "configuration_id": run.configuration_id,
        "range_start": run.range_start.isoformat(),
        "range_end": run.range_end.isoformat(),
        "replace": bool(run.replace),
        "status": _value(run.status),
        "copied": run.copied,
        "skipped": run.skipped,
        "overlaps": run.overlaps,
        "removed": run.removed,
        "started_at": _instant(run.started_at),
        "finished_at": _instant(run.finished_at),
        "error": run.error,
    }


def import_record(result: ImportResult) -> dict[str, Any]:
    return {"added": result.added, "updated": result.updated, "skipped": result.skipped, "rejected": result.rejected}


def _instant(value: dt.datetime | None) -> str | None:
    """UTC, second precision, ISO 8601: equal on SQLite and PostgreSQL and on both stacks."""
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat()


def _value(member: Any) -> Any:
    return member.value if isinstance(member, enum.Enum) else member


# ------------------------------------------------------------------------------------- render


def render_json(value: Any) -> str:
    """Stable JSON (keys in record order, two-space indent, UTF-8 kept), ending in a newline."""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str) + "\n"


def render_table(rows: Sequence[Mapping[str, Any]], columns: Sequence[tuple[str, str]], empty: str) -> str:
    """``columns`` is (key, HEADER) pairs; cells are left-aligned, two spaces apart, long ones cut."""
    if not rows:
        return empty + "\n"
    cells = [[_cell(row.get(key)) for key, _ in columns] for row in rows]
    headers = [header for _, header in columns]
    widths = [max(len(header), *(len(line[i]) for line in cells)) for i, header in enumerate(headers)]
    lines = [headers, *cells]
    return "".join(
        "  ".join(text.ljust(width) for text, width in zip(line, widths, strict=True)).rstrip() + "\n" for line in lines
    )


def render_fields(record: Mapping[str, Any]) -> str:
    """One ``name: value`` line per field, for a single object (``show``, ``create``)."""
    width = max(len(key) for key in record)
    return "".join(f"{key + ':':<{width + 1}} {_cell(value, cut=False)}\n" for key, value in record.items())


def _cell(value: Any, cut: bool = True) -> str:
    if value is None:
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value).replace("\n", " ")
    return text if not cut or len(text) <= MAX_CELL else text[: MAX_CELL - 3] + "..."


def local_time(instant: str | None, timezone: str) -> str | None:
    """An ISO UTC instant from a record shown as ``YYYY-MM-DD HH:MM`` in ``timezone`` (tables only)."""
    if instant is None:
        return None
    return dt.datetime.fromisoformat(instant).astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def with_local_times(records: Iterable[dict[str, Any]], keys: Sequence[str], timezone: str) -> list[dict[str, Any]]:
    return [{**record, **{key: local_time(record[key], timezone) for key in keys}} for record in records]


USER_COLUMNS = (("id", "ID"), ("email", "EMAIL"), ("display_name", "NAME"), ("timezone", "TIMEZONE"))
CALENDAR_COLUMNS = (("id", "ID"), ("name", "NAME"), ("kind", "KIND"), ("external_uri", "SOURCE URI"))
APPOINTMENT_COLUMNS = (
    ("id", "ID"),
    ("start", "START"),
    ("end", "END"),
    ("subject", "SUBJECT"),
    ("location", "LOCATION"),
    ("show_as", "SHOW AS"),
    ("archived", "ARCHIVED"),
)
CONFIGURATION_COLUMNS = (
    ("id", "ID"),
    ("name", "NAME"),
    ("source_calendar_id", "SOURCE"),
    ("archive_calendar_id", "ARCHIVE"),
    ("schedule", "DAILY AT"),
    ("timezone", "TIMEZONE"),
    ("active", "ACTIVE"),
)

# ------------------------------------------------------------------------------------- errors


def error_line(exc: BaseException) -> str:
    """The one line a user sees for an error the application raised on purpose."""
    if isinstance(exc, NotFound):
        return f"{exc.kind} {exc.key!r} not found"
    if isinstance(exc, DomainError):
        return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return f"{type(exc).__name__}: {exc}".strip().splitlines()[0]


def describe_run(run: Mapping[str, Any]) -> str:
    """The summary line of an archive run, for people."""
    span = (
        run["range_start"] if run["range_start"] == run["range_end"] else f"{run['range_start']} to {run['range_end']}"
    )
    parts = [f"copied {run['copied']}", f"already archived {run['skipped']}", f"overlaps {run['overlaps']}"]
    if run["replace"]:
        parts.append(f"removed {run['removed']}")
    return f"archive run {run['id']} ({span}): {run['status']}; " + ", ".join(parts) + "\n"


def describe_import(result: Mapping[str, Any], filename: str) -> str:
    return (
        f"imported {filename}: added {result['added']}, updated {result['updated']}, "
        f"unchanged {result['skipped']}, rejected {result['rejected']}\n"
    )


# ----------------------------------------------------------------------------------- progress


class Progress:
    """``with Progress("archiving 2024-06-01 to 2024-06-30"):`` draws ``label | 1.2s`` on stderr.

    Only on a terminal (never when piped or redirected, nor with ADMIN_ASSISTANT_NO_PROGRESS=1);
    a thread redraws it, so the same class serves sync and async commands. The line is wiped
    when the block ends, leaving the command's own output clean.
    """

    FRAMES = "|/-\\"

    def __init__(
        self,
        label: str,
        stream: TextIO | None = None,
        interval: float = 0.1,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.clock = clock
        self.enabled = _is_terminal(self.stream) and os.environ.get(NO_PROGRESS_ENV, "") in ("", "0")
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._width = 0

    def __enter__(self) -> Progress:
        if self.enabled:
            self._started = self.clock()
            self._thread = threading.Thread(target=self._draw_until_stopped, name="cli-progress", daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._thread is not None:
            self._stop.set()
            self._thread.join()
            self._write("\r" + " " * self._width + "\r")

    def _draw_until_stopped(self) -> None:
        frame = 0
        while not self._stop.wait(0 if frame == 0 else self.interval):
            text = f"\r{self.label} {self.FRAMES[frame % len(self.FRAMES)]} {self.clock() - self._started:.1f}s"
            self._width = max(self._width, len(text))
            self._write(text)
            frame += 1

    def _write(self, text: str) -> None:
        try:
            self.stream.write(text)
            self.stream.flush()
        except (OSError, ValueError):
            self._stop.set()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


# -------------------------------------------------------------------------------------- input


def parse_local_datetime(text: str, timezone: str) -> dt.datetime:
    """``2024-06-01 09:30`` or ISO 8601; without an offset it is read in ``timezone``.

    Raises ``ValueError`` with the accepted forms, for the CLIs to report as a usage error.
    """
    try:
        value = dt.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(
            f"{text!r} is not a date and time such as '2024-06-01 09:30' or '2024-06-01T09:30+02:00'"
        ) from None
    if value.tzinfo is None:
        value = value.replace(tzinfo=ZoneInfo(timezone))
    return value


RUN_COLUMNS = (
    ("id", "RUN"),
    ("range_start", "FROM"),
    ("range_end", "TO"),
    ("status", "STATUS"),
    ("copied", "COPIED"),
    ("skipped", "SKIPPED"),
    ("overlaps", "OVERLAPS"),
    ("removed", "REMOVED"),
)


def describe_configuration(record: Mapping[str, Any]) -> str:
    """A configuration's fields, then its recent runs as a table."""
    fields = {key: value for key, value in record.items() if key != "recent_runs"}
    runs = render_table(record.get("recent_runs", []), RUN_COLUMNS, "No runs yet.")
    return render_fields(fields) + "\nrecent runs:\n" + runs


# ----------------------------------------------------------------------------------------- jobs

JOB_COLUMNS = (
    ("id", "ID"),
    ("description", "WHAT"),
    ("schedule", "SCHEDULE"),
    ("next_run", "NEXT RUN (UTC)"),
    ("last_status", "LAST RUN"),
)


def job_record(job: Any, last_run: Any | None = None) -> dict[str, Any]:
    """A scheduled job (an APScheduler ``Job`` made by ``compat.jobs``) and its latest run."""
    definition, *args = job.args
    return {
        "id": job.id,
        "job": definition,
        "args": list(args),
        "description": job.name,
        "schedule": describe_trigger(job.trigger),
        "next_run": _instant(job.next_run_time),
        "last_run": job_run_record(last_run) if last_run is not None else None,
    }


def job_run_record(run: Any) -> dict[str, Any]:
    """A ``compat.jobs.JobRun``: one claimed occurrence and how it went."""
    return {
        "job_id": run.job_id,
        "scheduled_at": _instant(run.scheduled_at),
        "started_at": _instant(run.started_at),
        "finished_at": _instant(run.finished_at),
        "status": run.status,
        "side": run.side,
        "error": run.error,
    }


def describe_trigger(trigger: Any) -> str:
    """``daily 23:30 Europe/London`` for a daily cron trigger; APScheduler's own text otherwise."""
    fields = {f.name: str(f) for f in getattr(trigger, "fields", ())}
    daily = {"year", "month", "day", "week", "day_of_week"}
    if (
        fields
        and all(fields.get(name) == "*" for name in daily)
        and all(fields.get(name, "").isdigit() for name in ("hour", "minute"))
    ):
        second = fields.get("second", "0")
        at = f"{int(fields['hour']):02d}:{int(fields['minute']):02d}" + (
            f":{int(second):02d}" if second not in ("0", "") else ""
        )
        return f"daily {at} {trigger.timezone}"
    return str(trigger)


def with_last_status(records: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Job records for the table: ``last_status`` as ``succeeded 2024-06-01T23:30:00+00:00``."""
    shown = []
    for record in records:
        last = record["last_run"]
        status = f"{last['status']} {last['scheduled_at']}" if last else "never"
        shown.append({**record, "last_status": status})
    return shown


def describe_changes(changes: Any) -> str:
    """What ``jobs schedule`` did, one line."""
    return (
        f"schedule aligned: {len(changes.added)} added, {len(changes.removed)} removed, {len(changes.kept)} unchanged\n"
    )


def changes_record(changes: Any) -> dict[str, Any]:
    return {"added": list(changes.added), "removed": list(changes.removed), "kept": list(changes.kept)}
