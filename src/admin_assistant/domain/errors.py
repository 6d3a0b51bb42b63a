"""Errors shared by both stacks, so a caller handles them the same way whatever colour served it."""

from __future__ import annotations


class DomainError(Exception):
    """Base of every error the application raises on purpose."""


class NotFound(DomainError):
    """The object does not exist (or belongs to someone else: both answer the same)."""

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key!r} not found")
        self.kind = kind
        self.key = key


class Duplicate(DomainError):
    """The object would break a unique rule (same email, same archived event, same name)."""


class Invalid(DomainError):
    """The object breaks a rule of its own (ends before it starts, unknown value...)."""


# SQLSTATE classes of integrity errors: PostgreSQL drivers expose them; SQLite only says it in words.
_DUPLICATE_STATES = {"23505"}
_INVALID_STATES = {"23502", "23503", "23514"}


def from_integrity_error(exc: Exception, what: str) -> DomainError:
    """Translate a driver's integrity error into ``Duplicate`` or ``Invalid``, the same on every database."""
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    message = str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__
    lowered = message.lower()
    if state in _DUPLICATE_STATES or "unique" in lowered or "duplicate" in lowered:
        return Duplicate(f"{what} already exists ({message})")
    if state in _INVALID_STATES or "constraint" in lowered or "not null" in lowered:
        return Invalid(f"{what} breaks a rule of the database ({message})")
    return Invalid(f"{what} was refused by the database ({message})")
