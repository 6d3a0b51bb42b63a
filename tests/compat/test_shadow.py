"""compat.shadow: normalising, comparing, recording, and checks bounded off the caller's path."""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from dataclasses import dataclass

from sqlalchemy import JSON, Integer, String, create_engine, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from compat.shadow import (
    BUDGET_WINDOW,
    Checker,
    MemoryRecorder,
    Outcome,
    SqlRecorder,
    compare,
    differences,
    field_path,
    normalise,
    shadow_results,
    snapshot,
)


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


def test_field_paths_forget_row_indices():
    assert field_path("$.items[12].at: 'a' != 'b'") == "$.items[*].at"


def test_same_exception_type_on_both_sides_is_a_match():
    run = compare("t", "m", "shadow", "old", Outcome(error=KeyError("x")), Outcome(error=KeyError("y")))
    assert run.status == "match"


def test_an_error_on_one_side_only_is_an_error():
    run = compare("t", "m", "shadow", "old", Outcome(value=1), Outcome(error=ValueError("bad")))
    assert (run.status, run.candidate_error) == ("error", "ValueError: bad")
    assert (run.control_error, run.diff) == (None, "served None / checking ValueError: bad")


def test_sql_recorder_writes_rows_off_the_caller_path(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    recorder = SqlRecorder(engine)
    for value in (1, 2):
        recorder.record(compare("repositories.users", "get", "shadow", "old", Outcome(value=1), Outcome(value=value)))
    recorder.flush()
    with engine.connect() as connection:
        rows = connection.execute(
            select(shadow_results.c.status, shadow_results.c.diff).order_by(shadow_results.c.id)
        ).all()
    assert [tuple(r) for r in rows] == [("match", ""), ("mismatch", "$: 1 != 2")]


def test_recorders_built_without_create_tables_never_create_one(tmp_path):
    """An application whose migrations make the tables: a database behind them gets none at run time."""
    import contextlib

    from sqlalchemy import inspect
    from sqlalchemy.exc import OperationalError

    from compat.inputs import InputRecorder
    from compat.noise import NoiseLearner

    engine = create_engine(f"sqlite:///{tmp_path / 'app.db'}")
    recorder = SqlRecorder(engine, create_tables=False)
    recorder.record(compare("repositories.users", "get", "shadow", "old", Outcome(value=1), Outcome(value=1)))
    recorder.flush()
    learner = NoiseLearner(engine=engine, warmup=1, create_tables=False)
    learner.observe("repositories.users", "get", {"a": 1}, {"a": 2})
    with contextlib.suppress(OperationalError):  # no table to write to: in the application, logged
        learner.persist()
    inputs = InputRecorder(engine, create_tables=False)
    inputs.offer("repositories.users", "get", (1,), {})
    inputs.flush()
    assert inspect(engine).get_table_names() == []


async def test_checks_beyond_the_in_flight_cap_are_dropped_not_queued():
    checker = Checker(MemoryRecorder(), max_in_flight=2, timeout=1.0)
    release = asyncio.Event()

    async def slow():
        await release.wait()
        return 1

    for _ in range(5):
        checker.check(
            target="t",
            method="m",
            stage="shadow",
            served_side="old",
            served=Outcome(value=1),
            checking=slow,
            checking_is_async=True,
        )
    release.set()
    await checker.drain()
    assert (len(checker.recorder.comparisons), checker.dropped) == (2, 3)


def test_a_zero_sample_rate_checks_nothing():
    checker = Checker(MemoryRecorder(), sample_rate=0.0)
    assert not any(checker.wants() for _ in range(100))


def test_a_sync_caller_without_a_loop_gets_its_check_run_in_the_background():
    checker = Checker(MemoryRecorder(), timeout=1.0)
    checker.check(
        target="t",
        method="m",
        stage="live",
        served_side="new",
        served=Outcome(value=2),
        checking=lambda: 2,
        checking_is_async=False,
    )
    checker.drain_sync()
    assert [c.status for c in checker.recorder.comparisons] == ["match"]


class Doc(Base):
    __tablename__ = "shadow_test_docs"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    tags: Mapped[list[str]] = mapped_column(JSON)


def test_a_snapshot_normalises_as_the_value_did_when_it_was_taken():
    thing = Thing(id=1, name="a")
    kept = snapshot([thing, {"k": (thing, Colour.RED)}])
    thing.name = "changed"
    assert normalise(kept) == [{"id": 1, "name": "a"}, {"k": [{"id": 1, "name": "a"}, "red"]}]
    assert normalise(kept, ["name"]) == [{"id": 1}, {"k": [{"id": 1}, "red"]}]


def test_a_snapshot_outlives_the_session_that_loaded_the_objects():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        session.add(Thing(id=1, name="a"))
        session.commit()
        kept = snapshot(session.scalars(select(Thing)).all())
        session.rollback()  # expires every object: their columns would load again, or fail
    assert normalise(kept) == [{"id": 1, "name": "a"}]


def test_a_snapshot_copies_json_values_the_caller_may_change_in_place():
    doc = Doc(id=1, tags=["a"])
    kept = snapshot(doc)
    doc.tags.append("b")
    assert normalise(kept) == {"id": 1, "tags": ["a"]}


def test_checks_beyond_their_share_of_the_time_are_dropped_until_idle_time_pays_for_them():
    now = [100.0]
    checker = Checker(MemoryRecorder(), max_share=0.1, clock=lambda: now[0])
    assert checker.wants()  # nothing spent yet

    def half_a_second() -> int:
        now[0] += 0.5
        return 1

    checker.check(
        target="t",
        method="m",
        stage="shadow",
        served_side="old",
        served=Outcome(value=1),
        checking=half_a_second,
        checking_is_async=False,
    )
    checker.drain_sync()
    assert [c.status for c in checker.recorder.comparisons] == ["match"]
    now[0] += 1.0  # 0.1 s of allowance back: not enough for the 0.5 s spent
    assert (checker.wants(), checker.dropped) == (False, 1)
    now[0] += 4.0  # 0.4 s more: paid off
    assert checker.wants()


def test_a_burst_of_calls_is_admitted_only_as_far_as_the_allowance_goes():
    now = [0.0]
    checker = Checker(MemoryRecorder(), max_share=0.1, clock=lambda: now[0])
    checker.wants()
    now[0] += 3600  # an hour idle allows one second's worth (BUDGET_WINDOW x share), not six minutes
    # no check has started yet (a web replay starts once its answer is sent): each admission pays
    # a typical check's cost at once, so the burst stops when the allowance is spent
    admitted = sum(checker.wants() for _ in range(1000))
    assert BUDGET_WINDOW * 0.1 / 0.01 - 10 <= admitted <= BUDGET_WINDOW * 0.1 / 0.01 + 1


def test_without_a_share_every_sampled_call_is_checked():
    now = [0.0]
    checker = Checker(MemoryRecorder(), clock=lambda: now[0])
    checker.budget.allowance = -1000.0
    assert all(checker.wants() for _ in range(10))


def test_one_long_check_delays_the_next_ones_by_at_most_the_budget_window():
    now = [0.0]
    checker = Checker(MemoryRecorder(), max_share=0.1, clock=lambda: now[0])

    def an_hour() -> int:
        now[0] += 3600
        return 1

    assert checker.wants()
    checker.check(
        target="t",
        method="m",
        stage="shadow",
        served_side="old",
        served=Outcome(value=1),
        checking=an_hour,
        checking_is_async=False,
    )
    checker.drain_sync()
    assert not checker.wants()
    now[0] += BUDGET_WINDOW
    assert checker.wants()


def test_unchecked_calls_are_logged_once_a_minute_at_most(caplog):
    checker = Checker(MemoryRecorder(), max_in_flight=1)
    checker._in_flight = 1  # full
    with caplog.at_level("INFO", logger="compat.shadow"):
        assert not any(checker.wants() for _ in range(50))
    assert checker.dropped == 50
    [line] = [r.getMessage() for r in caplog.records if "unchecked" in r.getMessage()]
    assert line.startswith("sampled calls left unchecked since the last report: 1 (") and "shadow.max_share" in line
