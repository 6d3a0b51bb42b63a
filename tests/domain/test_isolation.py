"""A child process with hard limits: the answer or the exception of the function, or LimitExceeded."""

from __future__ import annotations

import math
import time

import pytest

from admin_assistant.domain.errors import Invalid
from admin_assistant.domain.isolation import LimitExceeded, run_isolated


def test_the_result_comes_back():
    assert run_isolated(math.factorial, 20, seconds=10) == math.factorial(20)


def test_the_functions_exception_is_raised_here():
    with pytest.raises(ValueError, match="invalid literal"):
        run_isolated(int, "not a number", seconds=10)
    with pytest.raises(Invalid, match="broken"):
        run_isolated(_refuse, "broken", seconds=10)


def test_a_child_past_its_time_is_killed():
    started = time.monotonic()
    with pytest.raises(LimitExceeded, match="took longer than 0.3 s") as caught:
        run_isolated(time.sleep, 30, seconds=0.3)
    assert caught.value.what == "time"
    assert time.monotonic() - started < 3


def test_a_child_past_its_memory_is_stopped():
    with pytest.raises(LimitExceeded, match="memory") as caught:
        run_isolated(bytearray, 2 * 1024**3, seconds=10, memory=1024**3)
    assert caught.value.what == "memory"


def _refuse(message: str) -> None:
    raise Invalid(message)
