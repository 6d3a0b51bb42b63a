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


def _listing(ids, **extra):
    return {"items": [{"id": i, "name": f"source {i}", "active": True, **extra} for i in ids], "total": len(ids)}


def test_a_listing_whose_length_differs_between_original_runs_keeps_its_shape():
    # rows other tests left in a shared database: 14 rows in one run of the original, 16 in the other
    first, again = [200, None, _listing(range(14)), None], [200, None, _listing(range(2, 18)), None]
    for rows in (range(17), range(10), range(40, 43), ()):
        verdict = compare(first, again, [200, None, _listing(rows), None])
        assert verdict.same is True
        assert verdict.noisy == ("json",)
    assert compare(first, again, [500, None, _listing(range(14)), None]).same is False  # status compared
    assert compare(first, again, [200, None, {"items": {}, "total": 14}, None]).same is False
    assert compare(first, again, [200, None, {"items": [1, 2], "total": 2}, None]).same is False
    assert compare(first, again, [200, None, _listing(range(3), owner="anna"), None]).same is False  # a key more
    rows = [{"id": "1", "name": "source 1", "active": True}]  # an id of another kind
    assert compare(first, again, [200, None, {"items": rows, "total": 1}, None]).same is False
    rows = [{"id": 1, "name": None, "active": True}]  # an empty column is any value
    assert compare(first, again, [200, None, {"items": rows, "total": 1}, None]).same is True


def test_a_listing_both_original_runs_agree_on_is_compared_item_by_item():
    first = [200, None, _listing(range(14)), None]
    assert compare(first, list(first), [200, None, _listing(range(14)), None]).same is True
    assert compare(first, list(first), [200, None, _listing(range(17)), None]).same is False
    assert compare(first, list(first), [200, None, _listing(range(1, 15)), None]).same is False
    verdict = compare(first, list(first), [200, None, {**_listing(range(14)), "total": 15}, None])
    assert (verdict.same, verdict.noisy) == (False, ())


def _page(ids, total, **extra):
    return {**_listing(ids, **extra), "total": total}


def test_a_page_whose_listing_counts_more_rows_in_one_original_run_keeps_its_shape():
    # the first 10 rows of 14 in one run and of 16 in the other, other rows each time: rows and total are noise
    first, again = [200, None, _page(range(10), 14), None], [200, None, _page(range(3, 13), 16), None]
    for page in (_page(range(7, 17), 17), _page(range(5), 5), _page((), 0)):
        assert compare(first, again, [200, None, page, None]).same is True
    assert compare(first, again, [403, None, _page(range(10), 14), None]).same is False
    assert compare(first, again, [200, None, _page(range(10), 14, owner="anna"), None]).same is False
    assert compare(first, again, [200, None, {"items": [[1]], "total": 1}, None]).same is False
    assert compare(first, again, [200, None, {"items": {}, "total": 14}, None]).same is False
    assert compare(first, again, [200, None, {"items": [], "total": "0"}, None]).same is False


def test_a_page_both_original_runs_list_alike_is_compared_item_by_item():
    # the totals differ (rows were added after these), the rows on the page do not: they are compared
    first, again = [200, None, _page(range(10), 14), None], [200, None, _page(range(10), 16), None]
    assert compare(first, again, [200, None, _page(range(10), 17), None]).same is True
    assert compare(first, again, [200, None, _page(range(7, 17), 17), None]).same is False
    # a number that differs but cannot count the rows (a duration), beside rows that differ: not a page
    first = [200, None, {**_listing(range(3), at="12:00:01"), "took": 2}, None]
    again = [200, None, {**_listing(range(3), at="12:00:02"), "took": 1}, None]
    assert compare(first, again, [200, None, {**_listing(range(3), at="12:00:03"), "took": 2}, None]).same is True
    assert compare(first, again, [200, None, {**_listing(range(5, 8), at="12:00:03"), "took": 2}, None]).same is False
    # a record whose id, date and children differ between the runs is no page: its children's names are compared
    first = [200, None, {"id": 326, "at": "12:01", "domains": [{"id": 670, "name": "san.example.org"}]}, None]
    again = [200, None, {"id": 308, "at": "12:02", "domains": [{"id": 652, "name": "san.example.org"}]}, None]
    converted = {"id": 330, "at": "12:03", "domains": [{"id": 690, "name": "example.org"}]}
    assert compare(first, again, [200, None, converted, None]).same is False
