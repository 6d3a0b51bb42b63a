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


OAUTH = "https://foo.com/login?client_id=foo-id&redirect_uri=http%3A%2F%2Flocalhost%2Fcb&response_type=code&state="


def test_a_location_part_that_differs_between_original_runs_is_noise():
    # an OAuth redirect's random state (secrets.token_urlsafe): the rest of the location must be the same
    first, again = [302, OAUTH + "q3-Zx_8Lm0", None, None], [302, OAUTH + "A7f-9kQ_2w", None, None]
    verdict = compare(first, again, [302, OAUTH + "uT5_x-Pq1", None, None])
    assert verdict.same is True
    assert verdict.noisy == ("location",)
    assert compare(first, again, [302, OAUTH.replace("foo-id", "bar-id") + "uT5", None, None]).same is False
    assert compare(first, again, [302, OAUTH.replace("%2Fcb", "%2Fcc") + "uT5", None, None]).same is False
    assert compare(first, again, [302, OAUTH.replace("code", "token") + "uT5", None, None]).same is False
    assert compare(first, again, [302, OAUTH, None, None]).same is False  # the noisy part is still there
    assert compare(first, again, [302, OAUTH + "uT5&next=%2F", None, None]).same is False  # and nothing more
    assert compare(first, again, [302, OAUTH + "uT5#x", None, None]).same is False
    assert compare(first, again, [302, None, None, None]).same is False


def test_a_location_whose_parts_do_not_line_up_is_compared_as_page_text():
    first, again = [302, "/posts/12?page=2", None, None], [302, "/posts?page=3", None, None]
    assert compare(first, again, [302, "/posts/7?page=4", None, None]).same is True
    assert compare(first, again, [302, "/users/7?page=4", None, None]).same is False


def test_a_number_is_noise_as_a_whole_where_the_runs_share_digits_at_other_places():
    first = [200, None, None, "Category: Tech 2026-12-04 16:59:43.463230 ← Previous"]
    again = [200, None, None, "Category: Tech 2026-12-04 17:07:16.823182 ← Previous"]  # '16', as seconds
    assert compare(first, again, [200, None, None, "Category: Tech 2026-12-04 17:07:34.219328 ← Previous"]).same
    assert not compare(first, again, [200, None, None, "Category: Data 2026-12-04 17:07:34.219328 ← Previous"]).same
    assert not compare(first, again, [200, None, None, "Category: Tech 2026-12-04 ← Previous"]).same
