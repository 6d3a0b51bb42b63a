"""Pydantic models of every JSON body the API reads or writes, shared by both web stacks.

FastAPI declares them (so its OpenAPI document is right); Flask validates with the same models
and writes ``Model.model_validate(row).model_dump(mode="json")``: one schema, the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter, field_validator, model_validator

from admin_assistant.domain.models import CalendarKind, RunStatus, Sensitivity, ShowAs
from admin_assistant.domain.queries import DEFAULT_LIMIT, MAX_ID, MAX_LIMIT, MAX_OFFSET, MIN_ID

# An id or an offset a client sends: what the database holds (queries.MAX_ID, MAX_OFFSET), so a
# larger one is a 422 here rather than an overflow in the driver.
Id = Annotated[int, Field(ge=MIN_ID, le=MAX_ID)]
Offset = Annotated[int, Field(ge=0, le=MAX_OFFSET)]


class _In(BaseModel):
    """A request body or query: unknown fields are refused, not silently dropped; text holding a
    NUL character is refused too (PostgreSQL cannot store one, SQLite would cut the text there)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and "\x00" in text for text in texts):
            raise ValueError("must not contain NUL characters (\\x00)")
        return value


class _Out(BaseModel):
    """A response body, read from an ORM row's attributes."""

    model_config = ConfigDict(from_attributes=True)


# --------------------------------------------------------------------------------------- errors


class ErrorDetail(BaseModel):
    status: int
    code: str = Field(description="Stable machine-readable code, e.g. not_found, invalid, csrf_failed.")
    message: str
    id: str | None = Field(description="Set on server errors: quote it when reporting the problem.")


class ErrorOut(BaseModel):
    error: ErrorDetail


# ----------------------------------------------------------------------------------------- users


class UserOut(_Out):
    id: int
    email: str
    display_name: str
    timezone: str
    created_at: dt.datetime


class TokenOut(BaseModel):
    token: str = Field(description="The new API token; shown once, the old one stops working.")


# ------------------------------------------------------------------------------------- calendars


class CalendarIn(_In):
    name: str = Field(min_length=1, max_length=200)
    kind: CalendarKind = CalendarKind.SOURCE
    external_uri: str | None = Field(default=None, max_length=2000)


class CalendarOut(_Out):
    id: int
    name: str
    kind: CalendarKind
    external_uri: str | None
    created_at: dt.datetime


class CalendarQuery(_In):
    kind: CalendarKind | None = None
    offset: Offset = 0
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class CalendarPage(BaseModel):
    items: list[CalendarOut]
    offset: int
    limit: int
    next_offset: int | None = Field(description="Offset of the next page; null on the last one.")


# ---------------------------------------------------------------------------------- appointments


class AppointmentIn(_In):
    start: AwareDatetime
    end: AwareDatetime
    subject: str = Field(default="", max_length=500)
    location: str = Field(default="", max_length=500)
    categories: list[str] = Field(default_factory=list)
    show_as: ShowAs = ShowAs.BUSY
    sensitivity: Sensitivity = Sensitivity.NORMAL
    recurrence_rule: str | None = Field(default=None, max_length=500)
    external_id: str | None = Field(default=None, max_length=500)


class AppointmentPatch(_In):
    """Only the fields given are changed; ``null`` clears only what may be empty (the recurrence)."""

    start: AwareDatetime | None = None
    end: AwareDatetime | None = None
    subject: str | None = Field(default=None, max_length=500)
    location: str | None = Field(default=None, max_length=500)
    categories: list[str] | None = None
    show_as: ShowAs | None = None
    sensitivity: Sensitivity | None = None
    recurrence_rule: str | None = Field(default=None, max_length=500)

    @model_validator(mode="after")
    def _null_only_where_allowed(self) -> AppointmentPatch:
        cleared = sorted(name for name in self.model_fields_set if getattr(self, name) is None)
        refused = [name for name in cleared if name != "recurrence_rule"]
        if refused:
            raise ValueError(f"{', '.join(refused)}: may not be null; leave the field out to keep it")
        return self

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True)


class AppointmentOut(_Out):
    id: int
    calendar_id: int
    start: dt.datetime
    end: dt.datetime
    subject: str
    location: str
    categories: list[str]
    show_as: ShowAs
    sensitivity: Sensitivity
    recurrence_rule: str | None
    external_id: str | None
    archived: bool
    created_at: dt.datetime
    updated_at: dt.datetime


class AppointmentQuery(_In):
    start: AwareDatetime | None = Field(default=None, description="Appointments that end after this instant.")
    end: AwareDatetime | None = Field(default=None, description="Appointments that start before this instant.")
    offset: Offset = 0
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ExportQuery(_In):
    start: AwareDatetime | None = None
    end: AwareDatetime | None = None


class AppointmentPage(BaseModel):
    items: list[AppointmentOut]
    offset: int
    limit: int
    next_offset: int | None


class ImportOut(BaseModel):
    added: int
    updated: int
    skipped: int
    rejected: int


# ------------------------------------------------------------------------ archive configurations


class ArchiveConfigurationIn(_In):
    name: str = Field(min_length=1, max_length=200)
    source_calendar_id: Id
    archive_calendar_id: Id
    timezone: str | None = Field(default=None, description="IANA name; the owner's timezone when left out.")
    schedule: str = Field(default="23:00", description="Daily time of the scheduled run, HH:MM.")
    active: bool = True


class ArchiveConfigurationOut(_Out):
    id: int
    name: str
    source_calendar_id: int
    archive_calendar_id: int
    timezone: str
    schedule: str
    active: bool
    created_at: dt.datetime


class ArchiveConfigurationQuery(_In):
    active: bool | None = None
    offset: Offset = 0
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ArchiveConfigurationPage(BaseModel):
    items: list[ArchiveConfigurationOut]
    offset: int
    limit: int
    next_offset: int | None


# ---------------------------------------------------------------------------------- archive runs


class ArchiveRunIn(_In):
    date_range: str = Field(
        min_length=1,
        max_length=100,
        description="Days to archive, in the configuration's timezone: 'yesterday', 'last 7 days', "
        "'last week', '31-12-2024', '1-6 to 7-6', ISO dates...",
    )
    replace: bool = Field(default=False, description="First remove what earlier runs archived in the range.")


class ArchiveRunOut(_Out):
    id: int
    configuration_id: int
    range_start: dt.date
    range_end: dt.date
    replace: bool
    status: RunStatus
    started_at: dt.datetime
    finished_at: dt.datetime | None
    copied: int
    skipped: int
    overlaps: int
    removed: int
    error: str | None


class ArchiveRunQuery(_In):
    configuration_id: Id | None = None
    offset: Offset = 0
    limit: int = Field(default=DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


class ArchiveRunPage(BaseModel):
    items: list[ArchiveRunOut]
    offset: int
    limit: int
    next_offset: int | None


def page(model: type[BaseModel], items: list[Any], offset: int, limit: int) -> dict[str, Any]:
    """A page body as plain JSON data: ``next_offset`` is set when the page came back full."""
    return model.model_validate(
        {
            "items": items,
            "offset": offset,
            "limit": limit,
            "next_offset": offset + limit if len(items) == limit else None,
        },
        from_attributes=True,
    ).model_dump(mode="json")


def dump(model: type[BaseModel], obj: Any) -> dict[str, Any]:
    """``obj`` (an ORM row or a dict) as the JSON data of ``model``."""
    return model.model_validate(obj, from_attributes=True).model_dump(mode="json")


_adapters: dict[type[BaseModel], TypeAdapter[Any]] = {}


def _adapter(model: type[BaseModel]) -> TypeAdapter[Any]:
    adapter = _adapters.get(model)
    if adapter is None:
        adapter = _adapters[model] = TypeAdapter(model)
    return adapter


def page_json(model: type[BaseModel], items: list[Any], offset: int, limit: int) -> bytes:
    """``page(...)`` as a JSON body, validated and serialised by Pydantic in one pass (no Python
    dicts, no ``json.dumps``): the same bytes as ``webcommon.json_bytes(page(...))``."""
    data = {
        "items": _data(items),
        "offset": offset,
        "limit": limit,
        "next_offset": offset + limit if len(items) == limit else None,
    }
    adapter = _adapter(model)
    return adapter.dump_json(adapter.validate_python(data, from_attributes=True))


def dump_json(model: type[BaseModel], obj: Any) -> bytes:
    """``dump(model, obj)`` as a JSON body: the same bytes as ``webcommon.json_bytes(dump(...))``."""
    adapter = _adapter(model)
    return adapter.dump_json(adapter.validate_python(_data(obj), from_attributes=True))


_COLUMNS: dict[type, frozenset[str] | None] = {}  # a class -> its mapped column keys (None: not mapped)


def _data(value: Any) -> Any:
    """ORM rows (in lists and dicts) as the dicts of their loaded values, which Pydantic reads by
    key at half the cost of going through each instrumented attribute (70 us against 150 for a
    page of 20 appointments). A row with a column not loaded stays a row, read by attribute."""
    kind = type(value)
    if kind is list:
        return [_data(v) for v in value]
    if kind is dict:
        return {k: _data(v) for k, v in value.items()}
    if kind in _COLUMNS:
        columns = _COLUMNS[kind]
    else:
        mapper = getattr(kind, "__mapper__", None)
        columns = _COLUMNS[kind] = frozenset(a.key for a in mapper.column_attrs) if mapper is not None else None
    if columns is None:
        return value
    loaded = value.__dict__
    return loaded if loaded.keys() >= columns else value
