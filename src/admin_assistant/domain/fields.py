"""Checking the fields a caller may set, before a row is built: unknown or read-only names are refused.

Services take plain keyword fields from the web and the command line; this keeps both stacks
refusing the same input with the same message, and turns enum names given as text into members.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any

from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.models import CalendarKind, Sensitivity, ShowAs

APPOINTMENT_FIELDS = frozenset(
    {
        "start",
        "end",
        "subject",
        "location",
        "categories",
        "show_as",
        "sensitivity",
        "recurrence_rule",
        "external_id",
        "payload",
    }
)
ENUMS: Mapping[str, type[enum.Enum]] = {"show_as": ShowAs, "sensitivity": Sensitivity, "kind": CalendarKind}


def checked(kind: str, given: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """``given`` as a dict when every name is in ``allowed``, with enum values as members; else ``Invalid``."""
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise Invalid(f"{kind} field {', '.join(unknown)} cannot be set here; fields are {', '.join(sorted(allowed))}")
    return {name: as_member(name, value) for name, value in given.items()}


def as_member(name: str, value: Any) -> Any:
    """The enum member for ``value`` when ``name`` is an enum field (given by value, e.g. 'busy')."""
    members = ENUMS.get(name)
    if members is None or value is None or isinstance(value, members):
        return value
    try:
        return members(value)
    except ValueError:
        choices = ", ".join(str(m.value) for m in members)
        raise Invalid(f"{name} {value!r} is not one of {choices}") from None
