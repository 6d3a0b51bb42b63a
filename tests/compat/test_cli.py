"""compat.cli on its own, over two small apps (a Typer one and an AsyncClick one) that know
nothing of admin-assistant."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import asyncclick as click
import pytest
import typer

from compat.cli import Dispatcher, asyncclick_runner, command_path, typer_runner
from compat.flags import FlagStore
from compat.shadow import Checker, MemoryRecorder

written: list[tuple[str, str]] = []

old_app = typer.Typer(add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False)
old_items = typer.Typer(rich_markup_mode=None)
old_app.add_typer(old_items, name="items")


@old_app.callback()
def old_root(verbose: bool = typer.Option(False, "--verbose")) -> None:
    """Toy app, old stack."""


@old_items.command("list")
def old_list(color: str = typer.Option("red", "--color")) -> None:
    typer.echo(f"apple {color}")


@old_items.command("add")
def old_add(name: str) -> None:
    written.append(("old", name))
    typer.echo(f"added {name}")


@old_items.command("count")
def old_count() -> None:
    typer.echo("2")


@old_items.command("slow")
def old_slow() -> None:
    typer.echo("quick")


@old_items.command("fail")
def old_fail() -> None:
    typer.echo("Error: nope", err=True)
    raise typer.Exit(1)


@click.group()
@click.option("--verbose", is_flag=True)
async def new_app(verbose: bool) -> None:
    """Toy app, new stack."""


@new_app.group("items")
async def new_items() -> None:
    pass


@new_items.command("list")
@click.option("--color", default="red")
async def new_list(color: str) -> None:
    click.echo(f"apple {color}")


@new_items.command("add")
@click.argument("name")
async def new_add(name: str) -> None:
    written.append(("new", name))
    click.echo(f"added {name}")


@new_items.command("count")
async def new_count() -> None:
    click.echo("3")  # the new side disagrees


@new_items.command("slow")
async def new_slow() -> None:
    await asyncio.sleep(0.6)
    click.echo("quick")


@new_items.command("fail")
async def new_fail() -> None:
    click.echo("Error: nope", err=True)
    raise click.exceptions.Exit(1)


READS = {"items list", "items count", "items slow", "items fail"}


@pytest.fixture(autouse=True)
def _forget_writes():
    written.clear()


@pytest.fixture
def flags(tmp_path: Path):
    path = tmp_path / "flags.yaml"

    def at(stage: str) -> FlagStore:
        path.write_text(f"version: 1\ndefault: sync\ntargets:\n  cli: {stage}\n")
        return FlagStore(path)

    return at


@pytest.fixture
def recorder() -> MemoryRecorder:
    return MemoryRecorder()


def dispatcher(store: FlagStore, recorder: MemoryRecorder, timeout: float = 5.0, **options) -> Dispatcher:
    return Dispatcher(
        old=typer_runner(old_app, "toy"),
        new=asyncclick_runner(new_app, "toy"),
        tree=new_app,
        store=store,
        read_only=READS,
        checker=lambda: Checker(recorder, timeout=timeout),
        **options,
    )


def test_command_path_follows_groups_and_stops_at_arguments():
    assert command_path(new_app, ["items", "add", "list"]) == ("items", "add")
    assert command_path(new_app, ["--verbose", "items", "list", "--color", "items"]) == ("items", "list")
    assert command_path(new_app, ["nothing"]) == ()


@pytest.mark.parametrize(("stage", "served"), [("sync", "old"), ("shadow", "old"), ("live", "new"), ("async", "new")])
def test_writes_run_once_on_the_served_side(flags, recorder, capsys, stage, served):
    assert dispatcher(flags(stage), recorder)(["items", "add", "pear"]) == 0
    assert written == [(served, "pear")]
    assert capsys.readouterr().out == "added pear\n"
    assert recorder.comparisons == []


@pytest.mark.parametrize(("stage", "served"), [("shadow", "old"), ("live", "new")])
def test_reads_run_on_both_sides_and_match(flags, recorder, capsys, stage, served):
    assert dispatcher(flags(stage), recorder)(["items", "list", "--color", "green"]) == 0
    assert capsys.readouterr().out == "apple green\n"  # the served side's output, once
    [comparison] = recorder.comparisons
    assert (comparison.target, comparison.method, comparison.status, comparison.served) == (
        "cli.items.list",
        "items list",
        "match",
        served,
    )


def test_a_different_output_is_recorded_as_a_mismatch(flags, recorder, capsys):
    assert dispatcher(flags("shadow"), recorder)(["items", "count"]) == 0
    assert capsys.readouterr().out == "2\n"
    [comparison] = recorder.comparisons
    assert comparison.status == "mismatch" and "'2\\n' != '3\\n'" in comparison.diff


def test_exit_codes_and_errors_pass_through_and_compare(flags, recorder, capsys):
    assert dispatcher(flags("live"), recorder)(["items", "fail"]) == 1
    assert capsys.readouterr().err == "Error: nope\n"
    assert recorder.comparisons[0].status == "match"


def test_usage_errors_exit_2_on_either_side(flags, recorder):
    for stage in ("sync", "async"):
        assert dispatcher(flags(stage), recorder)(["items", "add"]) == 2


def test_a_slow_checking_side_is_cut_off_and_recorded(flags, recorder, capsys):
    started = time.monotonic()
    assert dispatcher(flags("shadow"), recorder, timeout=0.1)(["items", "slow"]) == 0
    assert time.monotonic() - started < 0.55
    assert capsys.readouterr().out == "quick\n"
    assert recorder.comparisons[0].status == "timeout"
    time.sleep(0.6)  # let the abandoned side finish before the streams are restored


@pytest.mark.parametrize("argv", [["items", "list", "--help"], ["--help"]])
def test_help_is_served_only(flags, recorder, argv):
    assert dispatcher(flags("shadow"), recorder)(argv) == 0
    assert recorder.comparisons == []


def test_writing_options_turn_a_read_into_a_write(flags, recorder):
    run = dispatcher(flags("shadow"), recorder, writing_options={"--color"})
    assert run(["items", "list", "--color=blue"]) == 0
    assert recorder.comparisons == []


def test_no_checker_is_built_when_nothing_is_compared(flags):
    built = []
    run = Dispatcher(
        old=typer_runner(old_app, "toy"),
        new=asyncclick_runner(new_app, "toy"),
        tree=new_app,
        store=flags("sync"),
        read_only=READS,
        checker=lambda: built.append(1) or Checker(MemoryRecorder()),
    )
    assert run(["items", "list"]) == 0
    assert built == []


def test_rollback_serves_the_old_side(tmp_path, recorder):
    path = tmp_path / "flags.yaml"
    path.write_text("version: 1\nrollback: true\ndefault: async\n")
    assert dispatcher(FlagStore(path), recorder)(["items", "add", "fig"]) == 0
    assert written == [("old", "fig")]


@new_items.command("hand")
async def new_hand() -> None:
    from compat.cli import HandOver

    raise HandOver(_say_whether_a_loop_runs, "handed over")


def _say_whether_a_loop_runs(label: str) -> None:
    try:
        asyncio.get_running_loop()
        print(label, "inside a loop")
    except RuntimeError:
        print(label, "with no loop running")


def test_a_hand_over_runs_after_the_loop_has_closed(flags, recorder, capsys):
    assert dispatcher(flags("async"), recorder)(["items", "hand"]) == 0
    assert capsys.readouterr().out == "handed over with no loop running\n"
