"""API tokens: shown to their owner once, stored only as a SHA-256 hash.

A token is long and random, so a plain (unsalted) hash is safe to store and can be looked up
directly; a leaked database gives no usable token.
"""

from __future__ import annotations

import hashlib
import secrets

PREFIX = "aa_"


def generate_token() -> str:
    """A new token: the prefix (so it can be recognised in logs and secret scanners) and 256 random bits."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """The stored form of ``token``: a hex SHA-256 digest."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
