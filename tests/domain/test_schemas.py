"""domain.schemas: JSON bodies from ORM rows, read from their loaded values when all are loaded."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from pydantic import ValidationError
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from admin_assistant.domain.models import Calendar, User
from admin_assistant.domain.schemas import (
    AppointmentIn,
    CalendarIn,
    CalendarOut,
    CalendarPage,
    _data,
    dump_json,
    page_json,
)
from admin_assistant.wiring.database import schema_metadata

CREATED = dt.datetime(2025, 6, 2, 8, tzinfo=dt.UTC)


def session_with_a_calendar() -> Session:
    engine = create_engine("sqlite://")
    for metadata in schema_metadata("sqlite"):
        metadata.create_all(engine)
    session = Session(engine, expire_on_commit=False)
    user = User(email="ada@example.org", display_name="Ada", created_at=CREATED)
    session.add(user)
    session.flush()
    session.add(Calendar(owner_id=user.id, name="Work", created_at=CREATED))
    session.commit()
    return session


def test_a_loaded_row_is_read_as_its_values_with_the_same_json():
    session = session_with_a_calendar()
    calendar = session.scalars(select(Calendar)).one()
    assert _data([calendar]) == [calendar.__dict__]
    body = json.loads(page_json(CalendarPage, [calendar], 0, 1))
    assert body["items"] == [
        {
            "id": calendar.id,
            "name": "Work",
            "kind": "source",
            "external_uri": None,
            "created_at": "2025-06-02T08:00:00Z",
        }
    ]
    assert body["next_offset"] == 1


def test_a_row_with_a_value_not_loaded_is_read_by_attribute():
    session = session_with_a_calendar()
    calendar = session.scalars(select(Calendar)).one()
    session.expire(calendar, ["name"])  # read by attribute, it loads again
    assert _data(calendar) is calendar
    assert json.loads(dump_json(CalendarOut, calendar))["name"] == "Work"


def test_text_holding_a_nul_character_is_refused_in_every_body_and_query():
    with pytest.raises(ValidationError, match="name\\n.*NUL"):
        CalendarIn(name="a\x00b")
    with pytest.raises(ValidationError, match="categories\\n.*NUL"):
        AppointmentIn(start="2025-06-02T09:00:00Z", end="2025-06-02T10:00:00Z", categories=["x\x00"])
    assert CalendarIn(name="a b").name == "a b"
