"""real_corpus.py groups failures by their message with values blanked, never cut in the middle of a word."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import real_corpus  # noqa: E402


def test_reasons_blank_values_and_group():
    output = "\n".join(
        [
            "FAILED tests/test_a.py::test_one - AttributeError: 'function' object has no attribute 'get'",
            "FAILED tests/test_a.py::test_two - AttributeError: 'method' object has no attribute 'get'",
            "FAILED tests/test_b.py::test_three - AssertionError: assert 404 == 200",
            "ERROR tests/test_c.py - ImportError",
        ]
    )
    reasons = real_corpus._reasons(output)
    assert reasons == [
        "AttributeError: … object has no attribute …",
        "AttributeError: … object has no attribute …",
        "AssertionError: assert … == …",
    ]


def test_long_reasons_end_with_an_ellipsis():
    reason = real_corpus._reasons("FAILED t.py::x - RuntimeError: " + "word " * 40)[0]
    assert len(reason) == 110 and reason.endswith("…")
