"""compat.noise: fields that differ between two runs of the same side are not mismatches."""

from __future__ import annotations

import datetime as dt
import itertools
import uuid

import pytest
from sqlalchemy import create_engine

from compat.control.results import MemorySource, SqlSource, report
from compat.dual import DualService
from compat.flags import FlagStore
from compat.noise import NoiseLearner, read_noise
from compat.shadow import Checker, MemoryRecorder

_tick = itertools.count()


def stamp():
    """A timestamp that is different on every call, as a real clock's would be."""
    return (dt.datetime(2026, 1, 1, tzinfo=dt.UTC) + dt.timedelta(microseconds=next(_tick))).isoformat()


class OldEvents:
    def get_event(self, eid):
        return {"id": eid, "title": "standup", "served_at": stamp(), "token": uuid.uuid4().hex}


class NewEvents:
    def __init__(self, planted=False):
        self.planted = planted

    async def get_event(self, eid):
        title = "stand-up" if self.planted else "standup"
        return {"id": eid, "title": title, "served_at": stamp(), "token": uuid.uuid4().hex}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "feature_flags.yaml"
    path.write_text("version: 1\ndefault: sync\ntargets:\n  events: shadow\n")
    return FlagStore(path)


async def calls(store, checker, new, n=30):
    events = DualService("events", OldEvents(), new, store=store, checker=checker)
    for eid in range(n):
        assert (await events.aio.get_event(eid))["title"] == "standup"  # the old side serves
    await checker.drain()


async def test_without_noise_learning_a_timestamp_is_a_mismatch(store):
    checker = Checker(MemoryRecorder())
    await calls(store, checker, NewEvents(), n=5)
    summary = report(MemorySource(checker.recorder.comparisons))["events"]
    assert summary.mismatches == 5
    assert {d.path for d in summary.differences()} == {"$.served_at", "$.token"}


async def test_a_noisy_timestamp_and_token_are_not_reported(store):
    learner = NoiseLearner()
    checker = Checker(MemoryRecorder(), noise=learner)
    await calls(store, checker, NewEvents())
    summary = report(MemorySource(checker.recorder.comparisons, learner))["events"]
    assert (summary.runs, summary.matches, summary.mismatches) == (30, 30, 0)
    assert summary.differences() == []
    assert [path for path, _ in summary.noise] == ["get_event: $.served_at", "get_event: $.token"]


async def test_a_planted_difference_is_reported_beside_the_noise(store):
    learner = NoiseLearner()
    checker = Checker(MemoryRecorder(), noise=learner)
    await calls(store, checker, NewEvents(planted=True))
    summary = report(MemorySource(checker.recorder.comparisons, learner))["events"]
    assert summary.mismatches == 30
    [difference] = summary.differences()
    assert difference.example == "$.title: 'standup' != 'stand-up'"


def test_a_field_that_differs_from_the_checking_side_far_more_often_than_from_itself_is_not_noise():
    learner = NoiseLearner(absolute=0.1)
    for i in range(10):  # the served side differs from itself once in ten re-runs
        learner.observe("t", "get", {"at": 1}, {"at": 2 if i == 0 else 1})
    for _ in range(10):  # ... but from the checking side every time
        assert learner.filter("t", "get", ["$.at: 1 != 9"]) == ["$.at: 1 != 9"]
    assert learner.noise_fields() == {}


def test_a_field_that_differs_as_often_from_itself_as_from_the_checking_side_is_noise():
    learner = NoiseLearner(absolute=0.1)
    learner.observe("t", "get", {"at": 1}, {"at": 2})
    assert learner.filter("t", "get", ["$.at: 1 != 3", "$.name: 'a' != 'b'"]) == ["$.name: 'a' != 'b'"]


def test_noise_is_learnt_per_method():
    learner = NoiseLearner()
    learner.observe("t", "get", {"at": 1}, {"at": 2})
    assert learner.filter("t", "list", ["$.at: 1 != 3"]) == ["$.at: 1 != 3"]


def test_rows_of_a_list_share_what_was_learnt():
    learner = NoiseLearner()
    learner.observe("t", "list", [{"at": 1}], [{"at": 2}])
    assert learner.filter("t", "list", ["$[4].at: 1 != 3"]) == []


def test_re_runs_happen_during_warm_up_then_for_a_sample():
    learner = NoiseLearner(warmup=3, rate=0.0)
    for _ in range(3):
        assert learner.wants("t", "get")
        learner.observe("t", "get", 1, 1)
    assert not learner.wants("t", "get")


def test_what_was_learnt_is_saved_for_the_report(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'n.db'}")
    learner = NoiseLearner(engine=engine)
    learner.observe("events", "get_event", {"at": 1, "n": 1}, {"at": 2, "n": 1})
    learner.persist()
    assert read_noise(engine) == {"events": [("get_event: $.at", 1.0)]}
    assert report(SqlSource(engine))["events"].noise == [("get_event: $.at", 1.0)]
