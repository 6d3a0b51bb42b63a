"""compat.control.results: side-by-side records read back, summed up per target, by side."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import create_engine

from compat.control.results import MemorySource, SqlSource, parse_duration, percentile, report, summarise, timeline
from compat.dual import DualService
from compat.flags import FlagStore
from compat.shadow import Checker, Comparison, MemoryRecorder, Outcome, SqlRecorder, compare

NOW = dt.datetime(2026, 1, 1, 12, tzinfo=dt.UTC)


class OldPeople:
    def get_person(self, pid):
        return {"id": pid, "name": "ada", "city": "london"}


class NewPeople:
    async def get_person(self, pid):
        return {"id": pid, "name": "ada", "city": "paris" if pid % 2 else "london"}  # planted difference


def run(
    status="match",
    *,
    served="old",
    stage="shadow",
    target="t",
    control_ms=1.0,
    candidate_ms=2.0,
    diff="",
    control_error=None,
    candidate_error=None,
    at=NOW,
):
    return Comparison(
        target=target,
        method="get",
        stage=stage,
        served=served,
        status=status,
        diff=diff,
        control_ms=control_ms,
        candidate_ms=candidate_ms,
        control_error=control_error,
        candidate_error=candidate_error,
        at=at,
    )


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "feature_flags.yaml"
    path.write_text("version: 1\ndefault: sync\ntargets:\n  people: shadow\n")
    return FlagStore(path)


async def test_a_planted_difference_is_reported_with_that_difference(store):
    checker = Checker(MemoryRecorder())
    people = DualService("people", OldPeople(), NewPeople(), store=store, checker=checker)
    for pid in range(10):
        await people.aio.get_person(pid)
    await checker.drain()
    [summary] = report(MemorySource(checker.recorder.comparisons)).values()
    assert (summary.target, summary.runs, summary.matches, summary.mismatches) == ("people", 10, 5, 5)
    [difference] = summary.differences()
    assert (difference.path, difference.count, difference.method) == ("$.city", 5, "get_person")
    assert difference.example == "$.city: 'london' != 'paris'"


def test_records_written_by_the_sql_recorder_read_back_the_same(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    recorder = SqlRecorder(engine)
    for value in (1, 2, 2):
        recorder.record(
            compare(
                "repositories.users", "get", "shadow", "old", Outcome(value=[{"n": 1}]), Outcome(value=[{"n": value}])
            )
        )
    recorder.flush()
    summary = report(SqlSource(engine))["repositories.users"]
    assert (summary.runs, summary.mismatches) == (3, 2)
    assert [(d.path, d.count) for d in summary.differences()] == [("$[*].n", 2)]
    assert summary.last_seen is not None and summary.last_seen.tzinfo is not None


def test_sql_source_filters_by_target_prefix_stage_and_time(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'r.db'}")
    recorder = SqlRecorder(engine)
    old = NOW - dt.timedelta(hours=3)
    for comparison in (
        run(target="repositories.users"),
        run(target="repositories.users", stage="live", served="new"),
        run(target="repositoriesx"),
        run(target="services.archive"),
        run(target="repositories", at=old),
    ):
        recorder.record(comparison)
    recorder.flush()
    source = SqlSource(engine)
    assert len(source.runs(targets=["repositories"])) == 3
    assert len(source.runs(targets=["repositories"], stage="live")) == 1
    assert len(source.runs(targets=["repositories"], since=NOW - dt.timedelta(hours=1))) == 2
    assert source.runs(targets=["nothing"]) == []


def test_an_empty_database_reports_nothing(tmp_path):
    assert report(SqlSource(create_engine(f"sqlite:///{tmp_path / 'empty.db'}"))) == {}


def test_figures_are_counted_by_side_whichever_side_served():
    runs = [
        run(served="old", control_ms=10, candidate_ms=30),  # shadow: control is old
        run(served="new", stage="live", control_ms=20, candidate_ms=40, control_error="ValueError: x", status="error"),
    ]
    summary = summarise(MemorySource(runs).runs())["t"]
    assert (summary.old.errors, summary.new.errors, summary.errors) == (0, 1, 1)
    assert (summary.old.p50, summary.new.p50) == (10, 30)  # the new side's errored run has no latency
    assert summary.error_rate_increase == 0.5
    assert summary.p99_ratio == 30 / 40  # old: 10 and 40 ms; new: 30 ms


def test_a_timeout_counts_against_the_checking_side():
    summary = summarise(MemorySource([run("timeout", candidate_ms=None, candidate_error="timeout")]).runs())["t"]
    assert (summary.timeouts, summary.new.errors, summary.new.p50) == (1, 1, None)


def test_percentiles_are_nearest_rank():
    values = list(range(1, 101))
    assert (percentile(values, 50), percentile(values, 99), percentile([], 50)) == (50, 99, None)


@pytest.mark.parametrize(("text", "seconds"), [("90", 90), ("15m", 900), ("2h", 7200), ("7d", 604800), ("1w", 604800)])
def test_durations(text, seconds):
    assert parse_duration(text).total_seconds() == seconds


def test_a_bad_duration_says_how_to_write_one():
    with pytest.raises(ValueError, match="30m, 2h or 7d"):
        parse_duration("soon")


def test_timeline_buckets_rates_per_target():
    runs = [
        run("mismatch", at=NOW - dt.timedelta(seconds=5)),
        run(at=NOW - dt.timedelta(seconds=4)),
        run(at=NOW - dt.timedelta(seconds=15), served="new", control_error="E: x", status="error"),
    ]
    points = timeline(MemorySource(runs).runs(), bucket=dt.timedelta(seconds=10), end=NOW, buckets=3)["t"]
    assert [(p.runs, p.mismatch_rate, p.error_rate) for p in points] == [(0, 0, 0), (1, 0, 1.0), (2, 0.5, 0)]


# ------------------------------------------------------------------------------ asyncshift report


async def test_report_prints_the_planted_difference_from_the_database(store, tmp_path, monkeypatch):
    from asyncclick.testing import CliRunner

    from compat.control.commands import cli

    monkeypatch.delenv("ASYNCSHIFT_DATABASE_URL", raising=False)
    (tmp_path / "flags.yaml").write_text("version: 1\n")
    monkeypatch.setenv("ASYNCSHIFT_FLAGS", str(tmp_path / "flags.yaml"))  # not the repository's file
    engine = create_engine(f"sqlite:///{tmp_path / 'records.db'}")
    checker = Checker(SqlRecorder(engine))
    people = DualService("people", OldPeople(), NewPeople(), store=store, checker=checker)
    for pid in range(4):
        await people.aio.get_person(pid)
    await checker.drain()
    result = await CliRunner().invoke(cli, ["report", "--db", str(engine.url)])
    assert result.exit_code == 0, result.output
    assert "runs 4: 2 match, 2 mismatch (50.00%)" in result.stdout
    assert "2x  $.city    e.g. get_person: $.city: 'london' != 'paris'" in result.stdout
    as_json = await CliRunner().invoke(cli, ["report", "people", "--json", "--db", str(engine.url)])
    assert __import__("json").loads(as_json.stdout)[0]["differences"][0]["path"] == "$.city"


async def test_report_without_a_database_says_how_to_name_one(tmp_path, monkeypatch):
    from asyncclick.testing import CliRunner

    from compat.control.commands import cli

    monkeypatch.delenv("ASYNCSHIFT_DATABASE_URL", raising=False)
    monkeypatch.chdir(tmp_path)
    result = await CliRunner().invoke(cli, ["report"])
    assert result.exit_code == 1
    assert "pass --db URL, set ASYNCSHIFT_DATABASE_URL, or add database" in result.output
