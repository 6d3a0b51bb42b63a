"""compat.shadow: normalising, comparing, recording, and checks bounded off the caller's path."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from compat.shadow import Checker, MemoryRecorder, Outcome, SqlRecorder, compare, differences, normalise, shadow_results


class Base(DeclarativeBase):
    pass


class Thing(Base):
    __tablename__ = "shadow_test_things"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(20))


class Colour(enum.Enum):
    RED = "red"


@dataclass
class Point:
    x: int
    at: dt.datetime


def test_orm_objects_are_compared_by_their_columns():
    assert normalise(Thing(id=1, name="a")) == {"id": 1, "name": "a"}


def test_ignored_fields_are_left_out_at_every_depth():
    value = {"id": 3, "items": [{"id": 4, "name": "x"}], "thing": Thing(id=5, name="y")}
    assert normalise(value, ignore=["id"]) == {"items": [{"name": "x"}], "thing": {"name": "y"}}


def test_datetimes_enums_and_dataclasses_become_plain_values():
    paris = dt.timezone(dt.timedelta(hours=2))
    point = Point(x=1, at=dt.datetime(2025, 6, 1, 12, tzinfo=paris))
    assert normalise([point, Colour.RED]) == [{"x": 1, "at": "2025-06-01T10:00:00+00:00"}, "red"]


def test_differences_name_each_path():
    assert differences({"a": 1, "b": [1, 2]}, {"a": 2, "b": [1, 2, 3], "c": 0}) == [
        "$.a: 1 != 2",
        "$.b: 2 items != 3 items",
        "$.c: (missing) != 0",
    ]


def test_same_exception_type_on_both_sides_is_a_match():
    run = compare("t", "m", "shadow", "old", Outcome(error=KeyError("x")), Outcome(error=KeyError("y")))
    assert run.status == "match"


def test_an_error_on_one_side_only_is_an_error():
    run = compare("t", "m", "shadow", "old", Outcome(value=1), Outcome(error=ValueError("bad")))
    assert (run.status, run.candidate_error) == ("error", "ValueError: bad")


def test_sql_recorder_writes_rows_off_the_caller_path(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    recorder = SqlRecorder(engine)
    for value in (1, 2):
        recorder.record(compare("repositories.users", "get", "shadow", "old", Outcome(value=1), Outcome(value=value)))
    recorder.flush()
    with engine.connect() as connection:
        rows = connection.execute(select(shadow_results.c.status, shadow_results.c.diff).order_by(shadow_results.c.id)).all()
    assert [tuple(r) for r in rows] == [("match", ""), ("mismatch", "$: 1 != 2")]


async def test_checks_beyond_the_in_flight_cap_are_dropped_not_queued():
    checker = Checker(MemoryRecorder(), max_in_flight=2, timeout=1.0)
    release = asyncio.Event()

    async def slow():
        await release.wait()
        return 1

    for _ in range(5):
        checker.check(target="t", method="m", stage="shadow", served="old", control=Outcome(value=1), candidate=slow, candidate_is_async=True)
    release.set()
    await checker.drain()
    assert (len(checker.recorder.comparisons), checker.dropped) == (2, 3)


def test_a_zero_sample_rate_checks_nothing():
    checker = Checker(MemoryRecorder(), sample_rate=0.0)
    assert not any(checker.wants() for _ in range(100))


def test_a_sync_caller_without_a_loop_gets_its_check_run_in_the_background():
    checker = Checker(MemoryRecorder(), timeout=1.0)
    checker.check(target="t", method="m", stage="live", served="new", control=Outcome(value=2), candidate=lambda: 2, candidate_is_async=False)
    checker.drain_sync()
    assert [c.status for c in checker.recorder.comparisons] == ["match"]
