"""compat.control.autorollback: a target serving the new path that misbehaves steps back by itself."""

from __future__ import annotations

import datetime as dt
import logging
import time

import pytest

from compat.control.autorollback import AutoRollback, judge
from compat.control.commands.status import render
from compat.control.meter import Figures, ServedMeter
from compat.control.results import MemorySource, SqlSource
from compat.control.status import migration_status
from compat.dual import DualService
from compat.flags import FlagStore, Stage, load_flags, notes
from compat.shadow import Checker, Comparison, SqlRecorder

FLAGS = """\
version: 1
default: sync
targets:
  people: {stage}
gates:
  default:
    rollback_error_rate: 0.2
    rollback_mismatch_rate: 0.3
    rollback_window: 60
    rollback_min_runs: 10
"""


class OldPeople:
    def get_person(self, pid):
        return {"id": pid}


class NewPeople:
    def __init__(self, fail_every=0):
        self.fail_every = fail_every

    async def get_person(self, pid):
        if self.fail_every and pid % self.fail_every == 0:
            raise ConnectionError("injected")
        return {"id": pid}


@pytest.fixture
def flags_path(tmp_path):
    def write(stage):
        path = tmp_path / "feature_flags.yaml"
        path.write_text(FLAGS.format(stage=stage))
        return path

    return write


async def test_an_injected_error_rate_on_the_new_path_rolls_it_back_and_status_shows_it(
    flags_path, records_engine, caplog
):
    path = flags_path("live")
    store = FlagStore(path, poll_interval=0.05)
    engine = records_engine
    checker = Checker(SqlRecorder(engine))
    people = DualService("people", OldPeople(), NewPeople(fail_every=2), store=store, checker=checker)
    watcher = AutoRollback(store, SqlSource(engine), interval=0.05).start()
    try:
        with caplog.at_level(logging.WARNING, logger="compat.control.autorollback"):
            served = {"new": 0, "failed": 0}
            for pid in range(20):
                try:
                    await people.aio.get_person(pid)
                    served["new"] += 1
                except ConnectionError:
                    served["failed"] += 1
            await checker.drain()
            deadline = time.monotonic() + 3
            while store.stage("people") is not Stage.SHADOW and time.monotonic() < deadline:
                time.sleep(0.02)
    finally:
        watcher.stop()
    assert served == {"new": 10, "failed": 10}  # at live the new path served, errors and all
    assert store.stage("people") is Stage.SHADOW
    assert load_flags(path).targets["people"] is Stage.SHADOW
    note = notes(path)["people"]
    assert note.startswith("auto-rollback live -> shadow at ")
    assert (
        "new path raised alone (the old one answered the same input) in 10 of 20 runs (50.0%) "
        "over the last 60s, above rollback_error_rate 20.0%" in note
    )
    assert any("auto-rollback live -> shadow" in r.getMessage() for r in caplog.records)
    status = migration_status(load_flags(path), SqlSource(engine))
    [line] = [p for p in status.phases if p.target == "people"]
    assert (line.stage, line.note) == (Stage.SHADOW, note)
    assert f"people: {note}" in render(status)
    assert await people.aio.get_person(1) == {"id": 1}  # the old path serves again
    await checker.drain()  # its shadow comparison written before the database goes


def runs(n, *, status="match", new_error=None, stage="live", at=None):
    at = at or dt.datetime.now(dt.UTC)
    return [
        Comparison("people", "get", stage, "new", status, control_ms=1, candidate_ms=1, control_error=new_error, at=at)
    ] * n


NOW = dt.datetime.now(dt.UTC)


def test_a_healthy_live_target_stays(flags_path, recorded):
    assert judge(load_flags(flags_path("live")), recorded(runs(50)), "people", now=NOW) is None


def test_too_few_runs_decide_nothing(flags_path, recorded):
    assert judge(load_flags(flags_path("live")), recorded(runs(5, new_error="E: x")), "people", now=NOW) is None


def test_a_mismatch_rate_above_the_threshold_rolls_back(flags_path, recorded):
    decision = judge(load_flags(flags_path("live")), recorded(runs(6) + runs(4, status="mismatch")), "people", now=NOW)
    assert decision is not None and (decision.before, decision.after) == (Stage.LIVE, Stage.SHADOW)
    assert "4 of 10 runs mismatched (40.0%)" in decision.reason


def test_runs_older_than_the_window_are_forgotten(flags_path, recorded):
    old = NOW - dt.timedelta(minutes=5)
    assert judge(load_flags(flags_path("live")), recorded(runs(20, new_error="E", at=old)), "people", now=NOW) is None


def test_shadow_never_rolls_back_since_the_old_path_serves(flags_path, recorded):
    assert (
        judge(load_flags(flags_path("shadow")), recorded(runs(20, new_error="E", stage="shadow")), "people", now=NOW)
        is None
    )


def test_rollback_on_leaves_the_watcher_nothing_to_do(flags_path, recorded):
    path = flags_path("live")
    path.write_text(path.read_text().replace("default: sync", "rollback: true\ndefault: sync"))
    assert judge(load_flags(path), recorded(runs(20, new_error="E")), "people", now=NOW) is None


async def test_at_async_the_served_meter_counts_the_new_paths_failures(flags_path):
    path = flags_path("async")
    store = FlagStore(path)
    meter = ServedMeter(expected=(LookupError,))
    new = meter.wrap("people", NewPeople(fail_every=3))
    dual = DualService("people", OldPeople(), new, store=store)
    for pid in range(30):
        try:
            await dual.aio.get_person(pid)
        except ConnectionError:
            pass
    assert meter.figures("people", 60) == Figures(30, 10)
    [done] = AutoRollback(store, MemorySource([]), meter=meter).check()
    assert (done.before, done.after) == (Stage.ASYNC, Stage.LIVE)
    assert "new path failed 10 of 30 calls (33.3%)" in done.reason
    assert load_flags(path).targets["people"] is Stage.LIVE


def test_runs_from_before_a_target_came_back_to_its_stage_are_not_held_against_it(flags_path, recorded):
    path = flags_path("live")
    store = FlagStore(path)
    bad = runs(20, new_error="E: x", at=NOW - dt.timedelta(seconds=30))
    watcher = AutoRollback(store, recorded(bad))
    watcher._seen["people"] = (Stage.SHADOW, None)  # it was at shadow when last looked at...
    assert watcher.check(now=NOW) == []  # ... so it just came back to live: old live runs don't count
    assert load_flags(path).targets["people"] is Stage.LIVE


def test_a_target_another_process_already_stepped_back_is_left_alone(flags_path, recorded):
    path = flags_path("live")
    store = FlagStore(path)
    watcher = AutoRollback(store, recorded(runs(20, new_error="E: x")))
    decision = judge(load_flags(path), watcher.source, "people", now=NOW)
    path.write_text(FLAGS.format(stage="shadow"))
    assert decision is not None and watcher._apply(decision) is False
    assert load_flags(path).targets["people"] is Stage.SHADOW


def test_failures_of_requests_answered_as_client_errors_never_count(flags_path):
    path = flags_path("async")
    meter = ServedMeter()
    for client in range(5):
        for _ in range(10):
            with meter.request(f"198.51.100.{client}") as mark:
                meter.count("people", True)  # a value the database refused...
            meter.settle(mark, 422)  # ... which the app answered as the client's error
    assert meter.figures("people", 60) == Figures(50, 0)
    assert AutoRollback(FlagStore(path), MemorySource([]), meter=meter).check() == []


def test_at_async_one_clients_burst_is_set_aside(flags_path):
    path = flags_path("async")
    meter = ServedMeter()
    for _ in range(200):
        with meter.request("203.0.113.66") as mark:
            meter.count("people", True)
        meter.settle(mark, 500)
    for client in range(3):
        for _ in range(10):
            with meter.request(f"198.51.100.{client}") as mark:
                meter.count("people", False)
            meter.settle(mark, 200)
    assert meter.figures("people", 60) == Figures(30, 0, "203.0.113.66", 200)
    assert AutoRollback(FlagStore(path), MemorySource([]), meter=meter).check() == []


def test_at_async_the_processs_own_work_is_never_set_aside(flags_path):
    """Scheduled jobs and commands call outside any request: no client controls them."""
    path = flags_path("async")
    meter = ServedMeter()
    for n in range(20):
        meter.count("people", n % 2 == 0)
    assert meter.figures("people", 60) == Figures(20, 10)
    [done] = AutoRollback(FlagStore(path), MemorySource([]), meter=meter).check()
    assert (done.before, done.after) == (Stage.ASYNC, Stage.LIVE)


def test_at_live_a_run_that_fails_on_both_sides_is_not_the_new_paths_fault(flags_path, recorded):
    both = [
        Comparison("people", "get", "live", "new", "match", control_error="E: bad", candidate_error="E: bad", at=NOW)
    ] * 30
    assert judge(load_flags(flags_path("live")), recorded(runs(10) + both), "people", now=NOW) is None
    decision = judge(load_flags(flags_path("live")), recorded(runs(10) + runs(10, new_error="E: x")), "people", now=NOW)
    assert (
        decision is not None
        and "raised alone (the old one answered the same input) in 10 of 20 runs" in decision.reason
    )


def test_runs_stamped_in_another_time_zone_are_placed_in_time_alike(flags_path, recorded):
    """SQLite keeps a timestamp's wall time and drops its offset: five-minute-old runs stamped at
    UTC+5 must not look five hours younger there than on PostgreSQL."""
    old = (NOW - dt.timedelta(minutes=5)).astimezone(dt.timezone(dt.timedelta(hours=5)))
    assert judge(load_flags(flags_path("live")), recorded(runs(20, new_error="E", at=old)), "people", now=NOW) is None
