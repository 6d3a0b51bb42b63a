"""compat.control.gates and compat.control.promote: a target moves on only on evidence, or forced on record."""

from __future__ import annotations

import datetime as dt

import pytest
from asyncclick.testing import CliRunner
from sqlalchemy import func, select

from compat.control.commands import cli
from compat.control.gates import next_stage, previous_stage, verdict
from compat.control.promote import PromotionRefused, promote
from compat.control.results import MemorySource, SqlSource
from compat.dual import DualService
from compat.flags import FlagStore, Stage, load_flags, notes
from compat.shadow import Checker, Comparison, SqlRecorder
from compat.shadow.recorders import ensure_tables, shadow_metadata, shadow_results, write_rows

FLAGS = """\
version: 1
default: sync
targets:
  people: shadow   # the people service
gates:
  default:
    min_runs: 20
    max_mismatch_rate: 0.1
    max_error_rate_increase: 0.0
    max_p99_ratio: 50
"""


class OldPeople:
    def get_person(self, pid):
        return {"id": pid, "name": "ada"}


class NewPeople:
    async def get_person(self, pid):
        return {"id": pid, "name": "ada"}


@pytest.fixture
def setup(tmp_path, monkeypatch, records_engine, records_url):
    monkeypatch.delenv("ASYNCSHIFT_DATABASE_URL", raising=False)
    path = tmp_path / "feature_flags.yaml"
    path.write_text(FLAGS)
    engine = records_engine
    checker = Checker(SqlRecorder(engine))
    people = DualService("people", OldPeople(), NewPeople(), store=FlagStore(path), checker=checker)

    async def serve(n):
        for pid in range(n):
            await people.aio.get_person(pid)
        await checker.drain()

    return path, engine, serve, records_url


async def test_the_gate_refuses_then_accepts_as_runs_accumulate(setup):
    path, engine, serve, url = setup
    await serve(5)
    with pytest.raises(PromotionRefused) as refused:
        promote(path, "people", SqlSource(engine))
    assert [c.text for c in refused.value.verdict.failed] == ["runs compared 5 < min_runs 20"]
    assert load_flags(path).targets["people"] is Stage.SHADOW  # nothing written
    await serve(15)
    done = promote(path, "people", SqlSource(engine))
    assert (done.before, done.after, done.forced) == (Stage.SHADOW, Stage.LIVE, False)
    assert load_flags(path).targets["people"] is Stage.LIVE
    assert "promoted shadow -> live" in notes(path)["people"] and "gate passed on 20 runs" in notes(path)["people"]
    assert "# the people service; asyncshift: promoted" in path.read_text()  # the user's comment is kept


async def test_the_cli_says_which_condition_failed_with_the_figures_then_promotes(setup):
    path, engine, serve, url = setup
    await serve(3)
    args = ["promote", "people", "--flags", str(path), "--db", url]
    result = await CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "people stays at shadow (not promoted to live)" in result.stderr
    assert "failed: runs compared 3 < min_runs 20" in result.stderr
    await serve(20)
    result = await CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("people: shadow -> live")


async def test_force_overrides_the_gate_and_the_file_says_so(setup):
    path, engine, serve, url = setup
    await serve(2)
    result = await CliRunner().invoke(cli, ["promote", "people", "--force", "--flags", str(path), "--db", url])
    assert result.exit_code == 0, result.output
    assert "FORCED" in result.stdout
    note = notes(path)["people"]
    assert "with --force, overriding: runs compared 2 < min_runs 20" in note
    assert load_flags(path).targets["people"] is Stage.LIVE


def record(status="match", *, stage="shadow", target="people", new_error=None, ms=(1.0, 1.0)):
    return Comparison(
        target=target,
        method="get",
        stage=stage,
        served="old",
        status=status,
        diff="$.name: 'a' != 'b'" if status == "mismatch" else "",
        control_ms=ms[0],
        candidate_ms=ms[1],
        candidate_error=new_error,
    )


def test_each_failing_condition_is_named_with_its_figures(tmp_path, recorded):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS)
    runs = [record()] * 14 + [record("mismatch")] * 4 + [record("error", new_error="E: x")] * 2 + [record(ms=(1, 90))]
    judged = verdict(load_flags(path), recorded(runs), "people")
    assert [c.text for c in judged.failed] == [
        "mismatch rate 19.05% (4 of 21) > max_mismatch_rate 10%",
        "error rate new 9.52% vs old 0%, new alone 9.52% (2 of 21) > max_error_rate_increase 0%",
        "p99 new 90.00 ms / old 1.00 ms = 90.00 > max_p99_ratio 50",
    ]


def test_only_runs_at_the_current_stage_and_of_the_target_itself_count(tmp_path, recorded):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS.replace("  people: shadow", "  people: shadow\n  people.admins: live"))
    runs = [record(target="people.users")] * 20 + [record(target="people.admins")] * 50 + [record(stage="live")] * 50
    judged = verdict(load_flags(path), recorded(runs), "people")
    assert judged.summary.runs == 20 and judged.passed


def test_sync_to_shadow_needs_no_evidence(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS.replace("people: shadow", "people: sync"))
    done = promote(path, "people", MemorySource([]))
    assert done.after is Stage.SHADOW and "needs no evidence" in done.note


def test_a_new_key_is_added_for_a_target_that_inherits_its_stage(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS.replace("people: shadow", "people: sync"))
    promote(path, "people.admins", MemorySource([]))
    assert load_flags(path).targets["people.admins"] is Stage.SHADOW


def test_nothing_comes_after_async(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS.replace("people: shadow", "people: async"))
    with pytest.raises(ValueError, match="async already"):
        promote(path, "people", MemorySource([]))


def test_stage_order():
    assert [next_stage(s) for s in Stage] == [Stage.SHADOW, Stage.LIVE, Stage.ASYNC, None]
    assert [previous_stage(s) for s in Stage] == [None, Stage.SYNC, Stage.SHADOW, Stage.LIVE]


def test_runs_older_than_since_are_left_out(tmp_path, recorded):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS)
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=2)
    runs = [Comparison("people", "get", "shadow", "old", "match", at=old, control_ms=1, candidate_ms=1)] * 30
    since = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    assert verdict(load_flags(path), recorded(runs), "people", since=since).summary.runs == 0


def test_runs_failing_on_both_sides_are_not_held_against_the_new_path(tmp_path, recorded):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS)
    both = Comparison(
        "people",
        "get",
        "shadow",
        "old",
        "match",
        control_ms=1.0,
        candidate_ms=1.0,
        control_error="E",
        candidate_error="E",
    )
    judged = verdict(load_flags(path), recorded([record()] * 20 + [both] * 5), "people")
    [condition] = [c for c in judged.conditions if c.name == "max_error_rate_increase"]
    assert condition.ok and "new alone 0% (0 of 25)" in condition.text


def test_with_no_runs_the_gate_says_so_instead_of_judging_zero_of_zero(tmp_path, recorded):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS)
    judged = verdict(load_flags(path), recorded([]), "people")
    texts = [c.text for c in judged.failed]
    assert texts[0] == "runs compared 0 < min_runs 20"
    assert "max_mismatch_rate: no runs yet (need 20)" in texts
    assert not any("0 of 0" in text for text in texts)


def test_since_in_another_time_zone_means_the_same_moment(tmp_path, recorded):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS)
    now = dt.datetime.now(dt.UTC)
    runs = [Comparison("people", "get", "shadow", "old", "match", at=now, control_ms=1, candidate_ms=1)] * 30
    west = dt.timezone(dt.timedelta(hours=-5))
    source = recorded(runs)
    assert (
        verdict(load_flags(path), source, "people", since=(now - dt.timedelta(hours=1)).astimezone(west)).summary.runs
        == 30
    )
    assert (
        verdict(load_flags(path), source, "people", since=(now + dt.timedelta(hours=1)).astimezone(west)).summary.runs
        == 0
    )


def test_the_evidence_read_for_a_target_is_its_own_and_its_children_s_exactly(recorded):
    """What the gates read (``runs(targets=[target])``): the same rows on both databases, though
    SQLite's LIKE ignores case, and ``_`` and ``%`` are wildcards to LIKE."""
    names = ["people", "people.admins", "People.staff", "PEOPLE", "people_x.a", "peoplex", "people%.b"]
    runs = [Comparison(n, "get", "shadow", "old", "match", control_ms=1, candidate_ms=1) for n in names]
    source = recorded(runs)
    assert sorted(r.target for r in source.runs(targets=["people"])) == ["people", "people.admins"]
    assert [r.target for r in source.runs(targets=["people_x"])] == ["people_x.a"]


def test_a_mismatch_whose_diff_holds_a_nul_character_is_evidence_on_both_databases(tmp_path, recorded):
    path = tmp_path / "f.yaml"
    path.write_text(FLAGS)
    nul = Comparison(
        "people", "get", "shadow", "old", "mismatch", diff="$.name: 'a\x00' != 'a'", control_ms=1, candidate_ms=1
    )
    failed = Comparison(
        "people", "get", "shadow", "old", "error", control_ms=1, candidate_ms=1, candidate_error="E\x00"
    )
    judged = verdict(load_flags(path), recorded([nul, failed] + [record()] * 20), "people")
    assert judged.summary.runs == 22
    assert "mismatch rate 4.55% (1 of 22)" in [c.text for c in judged.conditions][1]


def test_a_name_too_long_to_store_costs_only_its_own_run_on_both_databases(recorded, caplog):
    """PostgreSQL refuses a target over the column's 200 characters, and with it the whole batch,
    where SQLite stores it: both now refuse that row alone, logged, and keep the runs beside it."""
    long_name = "people." + "x" * 200
    runs = [record(), Comparison(long_name, "get", "shadow", "old", "mismatch", control_ms=1, candidate_ms=1)]
    source = recorded(runs + [record(status="mismatch")])
    assert [r.status for r in source.runs(targets=["people"])] == ["match", "mismatch"]
    assert source.runs(targets=[long_name]) == []
    assert "over the column's 200 (shorten the name)" in caplog.text


def test_a_batch_the_database_refuses_is_written_row_by_row(records_engine, caplog):
    """One row the database refuses for any reason (here a value SQLAlchemy cannot bind) costs only
    itself: the batch beside it is stored."""
    ensure_tables(records_engine, shadow_metadata)
    good = {"at": dt.datetime.now(dt.UTC), "target": "people", "method": "get", "stage": "shadow"}
    good |= {"served": "old", "status": "match", "matched": True, "diff": "", "control_ms": 1.0}
    bad = good | {"control_ms": object()}
    assert write_rows(records_engine, shadow_results, [good, bad, good], "a side-by-side result") == 2
    with records_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(shadow_results)).scalar() == 2
    assert "could not record a side-by-side result for people" in caplog.text
