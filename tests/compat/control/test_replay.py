"""compat.control.replay and ``asyncshift compare``: both sides now, writes rolled back, rows compared."""

from __future__ import annotations

import datetime as dt
import json
import sys
import types

import pytest
from asyncclick.testing import CliRunner
from sqlalchemy import DateTime, Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from support import database_with, rows_in

from compat.control.commands import cli
from compat.control.replay import Comparer
from compat.dual import DualService, DualUnits
from compat.inputs import InputRecorder
from compat.shadow import Checker


class Base(DeclarativeBase):
    pass


class Memo(Base):
    __tablename__ = "compare_test_memos"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def now():
    return dt.datetime.now(dt.UTC)


class OldMemos:
    def __init__(self, session):
        self.session = session

    def add(self, body):
        memo = Memo(body=body, created_at=now())
        self.session.add(memo)
        self.session.flush()
        return {"body": memo.body, "created_at": memo.created_at}

    def count(self):
        return self.session.execute(select(func.count()).select_from(Memo)).scalar_one()


class NewMemos:
    def __init__(self, session):
        self.session = session

    async def add(self, body):
        memo = Memo(body=body.strip(), created_at=now())  # planted: the new side strips the body
        self.session.add(memo)
        await self.session.flush()
        return {"body": body, "created_at": memo.created_at}  # ... but returns what it was given

    async def count(self):
        return (await self.session.execute(select(func.count()).select_from(Memo))).scalar_one()


class OldMemoService:
    def __init__(self, units):
        self.units = units

    def write(self, body):
        with self.units() as repos:
            return repos.memos.add(body)


class NewMemoService:
    def __init__(self, units):
        self.units = units

    async def write(self, body):
        async with self.units() as repos:
            return await repos.memos.add(body)


def build(database, *, store, recorder):
    """What an application's compare hook does: its dual adapters, on the database it is given."""
    checker = Checker(recorder)
    units = DualUnits(database, {"memos": (OldMemos, NewMemos)}, store=store, checker=checker)
    service = DualService(
        "services.memos", OldMemoService(units.sync), NewMemoService(units.aio), store=store, checker=checker
    )
    return types.SimpleNamespace(units=units, services={"memos": service})


@pytest.fixture
async def memo_db(database_url):
    async with database_with(database_url, Memo) as database:
        yield database


def count(database):
    return rows_in(database, Memo)


def test_rows_written_are_compared_timestamps_and_ids_are_noise_and_nothing_is_kept(memo_db):
    comparer = Comparer(build, memo_db)
    result = comparer.compare("services.memos", "write", [" hi "], {})
    assert result.differences == ["$.rows.compare_test_memos.added[0].body: ' hi ' != 'hi'"]
    noisy = {line.split(": ")[0] for line in result.noise}
    assert "$.value.created_at" in noisy and "$.rows.compare_test_memos.added[0].created_at" in noisy
    assert count(memo_db) == 0  # every write was rolled back


def test_the_same_behaviour_matches_on_both_sides(memo_db):
    result = Comparer(build, memo_db).compare("services.memos", "write", ["plain"], {})
    assert result.matched and result.old.rows and result.old.value["body"] == "plain"
    assert count(memo_db) == 0


def test_repositories_are_compared_on_their_own(memo_db):
    with memo_db.unit_of_work() as session:
        session.add_all([Memo(body="kept", created_at=now()), Memo(body="too", created_at=now())])
    comparer = Comparer(build, memo_db)
    counted = comparer.compare("repositories.memos", "count", [], {})
    assert counted.matched and (counted.old.value, counted.new.value) == (2, 2)  # each side read the real table
    added = comparer.compare("repositories.memos", "add", [" hi "], {})
    # each side ran its own repository, no service around it: the new one's planted strip shows in the rows
    assert added.differences == ["$.rows.compare_test_memos.added[0].body: ' hi ' != 'hi'"]
    assert count(memo_db) == 2  # the seeded rows, and nothing the comparisons wrote


def test_an_unknown_target_lists_the_known_ones(memo_db):
    with pytest.raises(LookupError, match="repositories.memos, services.memos"):
        Comparer(build, memo_db).compare("services.nope", "write", [], {})


@pytest.fixture
def hook_module(monkeypatch):
    module = types.ModuleType("compare_test_hook")
    module.build = build
    monkeypatch.setitem(sys.modules, "compare_test_hook", module)
    monkeypatch.delenv("ASYNCSHIFT_DATABASE_URL", raising=False)
    return "compare_test_hook:build"


async def test_the_cli_prints_the_differences_and_exits_1(memo_db, hook_module, tmp_path, monkeypatch):
    url = memo_db.url.render_as_string(hide_password=False)
    (tmp_path / "flags.yaml").write_text("version: 1\nknown_targets: [services.memos]\n")
    monkeypatch.setenv("ASYNCSHIFT_FLAGS", str(tmp_path / "flags.yaml"))  # not the repository's file
    result = await CliRunner().invoke(
        cli,
        [
            "compare",
            "services.memos",
            "--call",
            "write",
            "--args",
            '[" hi "]',
            "--args",
            '["same"]',
            "--hook",
            hook_module,
            "--db",
            url,
        ],
    )
    assert result.exit_code == 1, result.output
    assert 'services.memos.write([" hi "]): 1 difference(s)' in result.stdout
    assert "body: ' hi ' != 'hi'" in result.stdout
    assert 'services.memos.write(["same"]): same' in result.stdout
    assert "2 run(s) compared, 1 with differences; every write was rolled back" in result.stdout
    assert count(memo_db) == 0


async def test_recorded_inputs_are_replayed(memo_db, hook_module):
    recorder = InputRecorder(memo_db.sync_engine)
    recorder.offer("services.memos", "write", ["x"], {})
    recorder.offer("services.memos", "write", [object()], {})  # not JSON-able: never recorded
    recorder.flush()
    url = memo_db.url.render_as_string(hide_password=False)
    result = await CliRunner().invoke(cli, ["compare", "services", "--json", "--hook", hook_module, "--db", url])
    assert result.exit_code == 0, result.output
    [run] = json.loads(result.stdout)
    assert (run["target"], run["method"], run["matched"]) == ("services.memos", "write", True)
