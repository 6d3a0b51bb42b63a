"""noise.compare: a field is compared only where two runs of the original agree, and never flatters."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from noise import compare  # noqa: E402

PAGE = "Posted at 20:31:05 by anna\nHello world"
PAGE_AGAIN = "Posted at 20:31:06 by anna\nHello world"


def test_without_a_second_run_everything_is_compared():
    assert compare([200, None, {"t": "a"}, None], None, [200, None, {"t": "b"}, None]).same is False
    assert compare([200, None, {"t": "a"}, None], None, [200, None, {"t": "a"}, None]).same is True


def test_a_json_value_that_differs_between_original_runs_is_noise():
    first, again = [200, None, {"token": "eyJ.a", "id": 1}, None], [200, None, {"token": "eyJ.b", "id": 1}, None]
    verdict = compare(first, again, [200, None, {"token": "eyJ.c", "id": 1}, None])
    assert verdict.same is True
    assert verdict.noisy == ("json",)


def test_the_json_around_the_noise_is_still_compared():
    first, again = [200, None, {"token": "a", "id": 1}, None], [200, None, {"token": "b", "id": 1}, None]
    assert compare(first, again, [200, None, {"token": "c", "id": 2}, None]).same is False
    assert compare(first, again, [200, None, {"token": "c", "id": 1, "extra": 0}, None]).same is False
    assert compare(first, again, [200, None, {"token": None, "id": 1}, None]).same is False  # kind kept


def test_status_or_location_that_differ_count_whatever_the_noise():
    first, again = [201, "/a", {"token": "a"}, None], [201, "/a", {"token": "b"}, None]
    assert compare(first, again, [200, "/a", {"token": "a"}, None]).same is False
    assert compare(first, again, [201, "/b", {"token": "a"}, None]).same is False
    # even when the original's own status varies, the conversion is held to its first run
    assert compare([200, None, None, None], [500, None, None, None], [500, None, None, None]).same is False


def test_page_text_is_compared_outside_the_spans_the_original_runs_differ_in():
    first, again = [200, None, None, PAGE], [200, None, None, PAGE_AGAIN]
    verdict = compare(first, again, [200, None, None, "Posted at 20:31:09 by anna\nHello world"])
    assert verdict.same is True
    assert verdict.noisy == ("text",)
    assert compare(first, again, [200, None, None, "Posted at 20:31:09 by bob\nHello world"]).same is False
    assert compare(first, again, [200, None, None, "Posted at 20:31:09 by anna\nHello"]).same is False
    assert compare(first, again, [200, None, None, "Posted at 20:31: by anna\nHello world"]).same is False  # gap
    assert compare(first, again, [200, None, None, None]).same is False


def test_agreeing_runs_are_compared_exactly():
    first = [200, None, None, PAGE]
    verdict = compare(first, list(first), [200, None, None, PAGE_AGAIN])
    assert verdict.same is False
    assert verdict.noisy == ()


def test_no_answer_from_the_conversion_differs():
    assert compare([200, None, None, None], [200, None, None, None], None).same is False


def test_a_number_that_differs_between_original_runs_is_noise_as_a_whole():
    # the two runs share ':46.' inside their timestamps by chance: a third timestamp fits all the same
    first = [200, None, None, "Category: Tech 2026-12-04 16:19:46.741975 ← Previous"]
    again = [200, None, None, "Category: Tech 2026-12-04 16:22:46.338853 ← Previous"]
    verdict = compare(first, again, [200, None, None, "Category: Tech 2026-12-04 16:23:22.521315 ← Previous"])
    assert verdict.same is True
    other = "2026-12-04 16:23:22.521315"
    assert compare(first, again, [200, None, None, f"Category: Tech {other} ← Next"]).same is False
    assert compare(first, again, [200, None, None, f"Category: Data {other} ← Previous"]).same is False
    assert compare(first, again, [200, None, None, "Category: Tech  ← Previous"]).same is False
