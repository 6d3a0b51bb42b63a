"""measure.py counts what a user would: every route, converted or not; a failed test run is a failure."""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import measure  # noqa: E402
import serving  # noqa: E402

CONVERTED = """\
from fastapi import APIRouter

router = APIRouter()


@router.get("/a")
async def a():
    return {}


# TODO(asyncshift): add_url_rule with a view class is left as it was
app.add_url_rule("/b", view_func=B.as_view("b"))


@app.route("/c")
def c():
    return ""
"""


def test_routes_kept_as_flask_are_counted_and_never_clean():
    assert measure.count_routes(CONVERTED) == (3, 2)


def test_a_run_that_wrote_nothing_failed(tmp_path):
    records, reason = measure.read_run(tmp_path / "none.json", 4, "ERROR: usage", "fastapi")
    assert records == {} and reason.startswith("fastapi test run wrote no answers (pytest exit 4")


def test_a_run_that_stopped_or_ran_no_test_failed(tmp_path):
    out = tmp_path / "out.json"
    out.write_text(json.dumps({"__outcomes__": [["t::x", "passed"]], "t::x": [[200, None, {}, None]]}))
    assert measure.read_run(out, 2, "Interrupted: 1 error during collection", "flask")[1].startswith(
        "flask test run failed (pytest exit 2"
    )
    out.write_text(json.dumps({}))
    assert measure.read_run(out, 0, "no tests ran", "flask")[1].startswith("flask test run failed (pytest exit 0")


def test_a_run_with_failing_tests_is_still_measured(tmp_path):
    out = tmp_path / "out.json"
    out.write_text(json.dumps({"__outcomes__": [["t::x", "failed"]], "t::x": [[500, None, None, None]]}))
    assert measure.read_run(out, 1, "1 failed", "fastapi")[1] == ""


def test_serving_from_tests_needs_a_real_answer_given_again():
    before = {"__outcomes__": [], "t::a": [[404, None, None, None], [401, None, {"x": 1}, None]], "t::b": [[200]]}
    after = {"t::a": [[404, None, None, None], [401, None, {"x": 2}, None]], "t::b": [[200]]}
    judged = serving.from_test_answers(before, after, passed={"t::a"})
    assert (judged.asked, judged.same, judged.serves) == (["t::a #1"], [], False)  # a 404 alone is not serving
    after["t::a"][1] = [401, None, {"x": 1}, None]  # a real answer (a challenge), given again
    assert serving.from_test_answers(before, after, passed={"t::a"}).serves


def test_a_listing_in_another_order_is_order_only_neither_same_nor_silent():
    from noise import compare

    listing = {"total": 3, "alerts": [{"id": "a", "tags": ["x"]}, {"id": "b", "tags": []}, {"id": "c", "tags": []}]}
    reordered = {"total": 3, "alerts": [listing["alerts"][2], listing["alerts"][0], listing["alerts"][1]]}
    first = [200, None, listing, None]
    for again in (first, None):  # the two original runs agreed (by chance), or there was one
        verdict = compare(first, again, [200, None, reordered, None])
        assert (verdict.same, verdict.order_only) == (False, True)
        assert compare(first, again, first).order_only is False  # the same answer is just the same
    # any other difference is a difference: an element changed, one twice, another status
    changed = {"total": 3, "alerts": [listing["alerts"][2], {"id": "a", "tags": []}, listing["alerts"][1]]}
    twice = {"total": 3, "alerts": [listing["alerts"][2], listing["alerts"][2], listing["alerts"][1]]}
    assert not compare(first, first, [200, None, changed, None]).order_only
    assert not compare(first, first, [200, None, twice, None]).order_only
    assert not compare(first, first, [201, None, reordered, None]).order_only
    # noise inside the elements is still noise: a time made at request time, reordered
    again = [200, None, {"total": 1, "alerts": [{"id": "a", "at": "1"}, {"id": "b", "at": "2"}]}, None]
    first = [200, None, {"total": 1, "alerts": [{"id": "a", "at": "3"}, {"id": "b", "at": "4"}]}, None]
    shuffled = [200, None, {"total": 1, "alerts": [{"id": "b", "at": "5"}, {"id": "a", "at": "6"}]}, None]
    assert compare(first, again, shuffled).order_only


def test_an_order_only_answer_is_counted_apart_in_the_report(capsys):
    import github_corpus

    result = github_corpus.Result("app", requests=2, same=1, order_only=["t::x #0 GET /alerts: flask [200, None]"])
    github_corpus.report([result])
    out = capsys.readouterr().out
    assert "order only (a JSON list's elements in another order): 1: t::x #0 GET /alerts" in out
    assert "silent breakage 0, order only 1," in out


def test_the_tests_passed_are_printed_also_when_none_is_lost(capsys):
    import github_corpus

    github_corpus.report([github_corpus.Result("app", requests=1, same=1, passed=(214, 214))])
    assert "tests passed: original 214, converted 214, lost 0" in capsys.readouterr().out


def test_a_failure_is_told_by_the_error_its_test_ended_on_not_one_caught_on_the_way():
    import github_corpus

    output = (
        "E           RuntimeError: no running event loop\n"
        "During handling of the above exception, another exception occurred:\n"
        "E       AttributeError: 'NoneType' object has no attribute 'filter_by'\n"
        "E           RuntimeError: no running event loop\n"
        "E       sqlalchemy.exc.PendingRollbackError: rolled back\n"
        "FAILED t.py::A::test_a - AttributeError: 'NoneType' object has no attribute 'filter_by'\n"
        "FAILED t.py::B::test_b - sqlalchemy.exc.PendingRollbackError: rolled back\n"
        "ERROR t.py::C::test_c - sqlalchemy.exc.PendingRollbackError: rolled back\n"
    )
    assert github_corpus._errors(output) == [
        "2x sqlalchemy.exc.PendingRollbackError: rolled back",
        "1x AttributeError: 'NoneType' object has no attribute 'filter_by'",
    ]
    # no short summary (pytest -q -rN): the E lines, as before
    assert github_corpus._errors("E   ValueError: x\nE   ValueError: x\n") == ["2x ValueError: x"]
