"""The specs hand out one statement per shape, with bind parameters, and this call's values."""

from __future__ import annotations

import datetime as dt

import pytest

from admin_assistant.domain.errors import Invalid, NotFound
from admin_assistant.domain.queries import APPOINTMENTS, CALENDARS, LIMIT, OFFSET, USERS

UTC = dt.UTC


def test_the_same_shape_reuses_the_statement_with_other_values():
    first, params1 = APPOINTMENTS.list({"calendar_id": 1, "owner_id": 2, "start": None}, 0, 20)
    second, params2 = APPOINTMENTS.list({"owner_id": 3, "calendar_id": 4}, 0, 50)
    assert first is second
    assert params1 == {"calendar_id": 1, "owner_id": 2, LIMIT: 20}
    assert params2 == {"owner_id": 3, "calendar_id": 4, LIMIT: 50}
    assert CALENDARS.get(1, {"owner_id": 2})[0] is CALENDARS.get(5, {"owner_id": 6})[0]
    assert APPOINTMENTS.count({"calendar_id": 1})[0] is APPOINTMENTS.count({"calendar_id": 2})[0]
    assert APPOINTMENTS.delete({"calendar_id": 1})[0] is APPOINTMENTS.delete({"calendar_id": 2})[0]


def test_another_shape_is_another_statement():
    plain, _ = APPOINTMENTS.list({"calendar_id": 1}, 0, 20)
    assert APPOINTMENTS.list({"calendar_id": 1}, 5, 20)[0] is not plain  # with an offset
    assert APPOINTMENTS.list({"calendar_id": 1}, 0, None)[0] is not plain  # without a limit
    assert APPOINTMENTS.list({"calendar_id": 1, "archived": True}, 0, 20)[0] is not plain
    assert APPOINTMENTS.list({"calendar_id": 1}, 5, 20)[1] == {"calendar_id": 1, OFFSET: 5, LIMIT: 20}


def test_values_are_transformed_on_every_call():
    _, params = USERS.list({"email": "  Ada@Example.ORG "})
    assert params["email"] == "ada@example.org"
    paris = dt.timezone(dt.timedelta(hours=2))
    _, params = APPOINTMENTS.list(
        {"start": dt.datetime(2025, 6, 2, 11, tzinfo=paris), "archived": 0, "external_ids": {"a"}}
    )
    assert params["start"] == dt.datetime(2025, 6, 2, 9, tzinfo=UTC) and params["start"].tzinfo == UTC
    assert params["archived"] is False and params["external_ids"] == ["a"]


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda: APPOINTMENTS.list({"colour": None}), "cannot be filtered by colour"),
        (lambda: APPOINTMENTS.list({}, -1), "offset must be 0 or more"),
        (lambda: APPOINTMENTS.list({}, 0, 0), "limit must be between 1 and 1000"),
        (lambda: APPOINTMENTS.list({}, 0, 1001), "limit must be between 1 and 1000"),
        (lambda: APPOINTMENTS.count({"end": dt.datetime(2025, 6, 2)}), "end of range must carry a timezone"),
        (lambda: APPOINTMENTS.delete({"calendar_id": None}), "deleting every appointment at once is refused"),
    ],
)
def test_refused_arguments_are_invalid(call, message):
    with pytest.raises(Invalid, match=message):
        call()


def test_values_past_the_64_bit_range_are_answered_before_the_driver_sees_them():
    with pytest.raises(NotFound):
        CALENDARS.get(2**31, {})  # an id column is 32 bits on PostgreSQL
    with pytest.raises(Invalid, match="offset must be at most 9223372036854775807"):
        APPOINTMENTS.list({}, 2**63)
    with pytest.raises(Invalid, match="calendar_id 2147483648 is out of range; at most 2147483647"):
        APPOINTMENTS.list({"calendar_id": 2**31})
    assert CALENDARS.get(2**31 - 1, {})[1] == {"key_": 2**31 - 1}
    assert APPOINTMENTS.list({}, 2**63 - 1)[1]["offset_"] == 2**63 - 1
