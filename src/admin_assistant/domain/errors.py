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
