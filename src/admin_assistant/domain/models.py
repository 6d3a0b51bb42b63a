"""SQLAlchemy 2.0 typed models shared by both stacks.

No relationships: each stack loads what it needs with explicit queries, so nothing lazy-loads
(a lazy load under ``AsyncSession`` raises ``MissingGreenlet``) and both stacks see the same rows.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, validates

from admin_assistant.domain.errors import Invalid

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def as_utc(value: dt.datetime | None, field: str = "datetime") -> dt.datetime | None:
    """Return ``value`` in UTC; a naive datetime is refused, since its zone can only be guessed."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        raise Invalid(f"{field} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid(f"{field} must carry a timezone (got naive {value.isoformat()})")
    return value.astimezone(dt.UTC)


class UTCDateTime(TypeDecorator[dt.datetime]):
    """A datetime that is UTC-aware on every database (SQLite stores it naive, in UTC)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> dt.datetime | None:
        value = as_utc(value)
        if value is not None and dialect.name == "sqlite":
            value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Any) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


class CalendarKind(str, enum.Enum):
    SOURCE = "source"
    ARCHIVE = "archive"


class ShowAs(str, enum.Enum):
    FREE = "free"
    TENTATIVE = "tentative"
    BUSY = "busy"
    OOF = "oof"
    WORKING_ELSEWHERE = "workingElsewhere"
    UNKNOWN = "unknown"


class Sensitivity(str, enum.Enum):
    NORMAL = "normal"
    PERSONAL = "personal"
    PRIVATE = "private"
    CONFIDENTIAL = "confidential"


class RunStatus(str, enum.Enum):
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # its process died mid-run (its heartbeat stopped); nothing of it was kept


def _enum(cls: type[enum.Enum], name: str) -> Enum:
    # Stored as text with a CHECK, the same on SQLite and PostgreSQL; values, not member names.
    return Enum(
        cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {dt.datetime: UTCDateTime()}

    def columns(self) -> dict[str, Any]:
        """The row as a plain dict of column values: what two stacks' results are compared by."""
        return {c.key: getattr(self, c.key) for c in self.__mapper__.column_attrs}

    def __repr__(self) -> str:
        key = getattr(self, "id", None)
        return f"<{type(self).__name__} id={key!r}>"


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200), default="")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    api_token_hash: Mapped[str | None] = mapped_column(String(128), unique=True, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @validates("email")
    def _email(self, _key: str, value: str) -> str:
        value = (value or "").strip().lower()
        if "@" not in value or value.startswith("@") or value.endswith("@"):
            raise Invalid(f"email {value!r} is not an email address")
        return value

    @validates("timezone")
    def _timezone(self, _key: str, value: str) -> str:
        return check_timezone(value)


class Calendar(Base):
    __tablename__ = "calendars"
    __table_args__ = (UniqueConstraint("owner_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[CalendarKind] = mapped_column(_enum(CalendarKind, "calendar_kind"), default=CalendarKind.SOURCE)
    external_uri: Mapped[str | None] = mapped_column(String(2000), default=None)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @validates("name")
    def _name(self, _key: str, value: str) -> str:
        if not (value or "").strip():
            raise Invalid("calendar name must not be empty")
        return value.strip()


class Appointment(Base):
    __tablename__ = "appointments"
    __table_args__ = (
        CheckConstraint("end_at > start_at", name="ends_after_start"),
        # The same external event is archived once per (archive) calendar.
        UniqueConstraint("calendar_id", "external_id"),
        Index("ix_appointments_calendar_start", "calendar_id", "start_at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id", ondelete="CASCADE"))
    start: Mapped[dt.datetime] = mapped_column("start_at")
    end: Mapped[dt.datetime] = mapped_column("end_at")
    subject: Mapped[str] = mapped_column(String(500), default="")
    location: Mapped[str] = mapped_column(String(500), default="")
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    show_as: Mapped[ShowAs] = mapped_column(_enum(ShowAs, "show_as"), default=ShowAs.BUSY)
    sensitivity: Mapped[Sensitivity] = mapped_column(_enum(Sensitivity, "sensitivity"), default=Sensitivity.NORMAL)
    recurrence_rule: Mapped[str | None] = mapped_column(String(500), default=None)
    external_id: Mapped[str | None] = mapped_column(String(500), default=None)
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    @validates("start", "end")
    def _times(self, key: str, value: dt.datetime) -> dt.datetime:
        value = as_utc(value, key)
        other = self.end if key == "start" else self.start
        if other is not None and value is not None:
            start, end = (value, other) if key == "start" else (other, value)
            if end <= start:
                raise Invalid(f"appointment ends ({end.isoformat()}) before or when it starts ({start.isoformat()})")
        return value


class ArchiveConfiguration(Base):
    __tablename__ = "archive_configurations"
    __table_args__ = (
        UniqueConstraint("owner_id", "name"),
        CheckConstraint("source_calendar_id <> archive_calendar_id", name="distinct_calendars"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    source_calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id", ondelete="CASCADE"))
    archive_calendar_id: Mapped[int] = mapped_column(ForeignKey("calendars.id", ondelete="CASCADE"))
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Daily time of the scheduled archive, "HH:MM" in ``timezone``.
    schedule: Mapped[str] = mapped_column(String(32), default="23:00")
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    @validates("schedule")
    def _schedule(self, _key: str, value: str) -> str:
        try:
            dt.time.fromisoformat(value)
        except (TypeError, ValueError):
            raise Invalid(f"schedule {value!r} is not a daily time such as '23:30'") from None
        return value

    @validates("timezone")
    def _timezone(self, _key: str, value: str) -> str:
        return check_timezone(value)


class ArchiveRun(Base):
    __tablename__ = "archive_runs"
    __table_args__ = (CheckConstraint("range_end >= range_start", name="range_in_order"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    configuration_id: Mapped[int] = mapped_column(
        ForeignKey("archive_configurations.id", ondelete="CASCADE"), index=True
    )
    range_start: Mapped[dt.date] = mapped_column(Date)
    range_end: Mapped[dt.date] = mapped_column(Date)
    replace: Mapped[bool] = mapped_column(Boolean, default=False)
    started_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(default=None)
    heartbeat_at: Mapped[dt.datetime | None] = mapped_column(default=None)  # renewed while it runs
    status: Mapped[RunStatus] = mapped_column(_enum(RunStatus, "run_status"), default=RunStatus.RUNNING)
    copied: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    overlaps: Mapped[int] = mapped_column(Integer, default=0)
    removed: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str | None] = mapped_column(Text, default=None)


def check_timezone(value: str) -> str:
    """Return ``value`` when it names an IANA timezone, else raise ``Invalid``."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise Invalid(f"timezone {value!r} is not an IANA timezone such as 'Europe/London'") from None
    return value
