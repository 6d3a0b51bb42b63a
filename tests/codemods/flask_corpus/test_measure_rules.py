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
