"""Looking rows up by many keys at once, in batches small enough for any database's parameter limit."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

BATCH_SIZE = 500


def batched(keys: Iterable[str], size: int = BATCH_SIZE) -> Iterator[list[str]]:
    """``keys`` in lists of at most ``size``, in order (``itertools.batched`` arrives in 3.12)."""
    iterator = iter(keys)
    while batch := list(islice(iterator, size)):
        yield batch
