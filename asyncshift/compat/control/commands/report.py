"""``asyncshift report``: what the side-by-side runs say, per target."""

from __future__ import annotations

import datetime as dt
import json
from typing import TYPE_CHECKING

import asyncclick as click

from compat.control.commands.extras import needs_extra
from compat.control.commands.options import (
    db_option,
    flags_option,
    json_option,
    known_or_fail,
    since_option,
    verb_flags,
)

if TYPE_CHECKING:
    from compat.control.results import Summary


def _ms(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f} ms"


def _pct(rate: float) -> str:
    return f"{rate * 100:.2f}%"


def _ago(when: dt.datetime | None, now: dt.datetime) -> str:
    if when is None:
        return "never"
    seconds = max(0, int((now - when).total_seconds()))
    for size, unit in ((86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{when:%Y-%m-%d %H:%M:%S}Z ({seconds // size} {unit} ago)"
    return f"{when:%Y-%m-%d %H:%M:%S}Z ({seconds} s ago)"


def describe(summary: Summary, now: dt.datetime) -> list[str]:
    """The text block of one target."""
    stages = ", ".join(f"{stage} {n}" for stage, n in sorted(summary.stages.items())) or "-"
    lines = [
        f"{summary.target}    last seen {_ago(summary.last_seen, now)}",
        f"  runs {summary.runs}: {summary.matches} match, {summary.mismatches} mismatch "
        f"({_pct(summary.mismatch_rate)}), {summary.errors} error, {summary.timeouts} timeout   stages: {stages}",
    ]
    for name, side in (("old", summary.old), ("new", summary.new)):
        lines.append(
            f"  {name}: p50 {_ms(side.p50)}  p99 {_ms(side.p99)}  errors {side.errors} ({_pct(side.error_rate)})"
        )
    differences = summary.differences()
    if differences:
        lines.append("  most frequent differences (old != new):")
        lines += [f"    {d.count:>5}x  {d.path}    e.g. {d.method}: {d.example}" for d in differences]
    if summary.noise:
        lines.append("  treated as noise (differ between two runs of the same side, not counted):")
        lines += [f"           {path}  (differed in {_pct(rate)} of re-runs)" for path, rate in summary.noise]
    return lines


@click.command("report", short_help="Mismatches, errors and latency of side-by-side runs, per target.")
@click.argument("targets", nargs=-1, metavar="[TARGET]...")
@since_option
@json_option
@db_option
@flags_option
def report_command(
    targets: tuple[str, ...], since: str | None, as_json: bool, db_url: str | None, flags_file: str | None
) -> None:
    """Sum up the side-by-side runs recorded for each target: runs compared, matches, the most
    frequent differences (each with an example), errors on each side, p50/p99 of each side,
    the fields treated as noise, and when the target was last seen.

    TARGET narrows the report to those targets and the targets under them ('repositories'
    covers 'repositories.users'); a name the flags file's known_targets does not declare is
    refused. Records come from the database every process writes to.

    \b
    Examples:
      asyncshift report
      asyncshift report repositories --since 2h
      asyncshift report services.archive --json | jq '.[0].differences'
      asyncshift report --db postgresql://app@db/app
    """
    with needs_extra("report"):
        from compat.control.commands.records import open_source, since_time
        from compat.control.results import report

    _path, flags = verb_flags(flags_file)
    known_or_fail(flags, targets)
    source = open_source(db_url)
    assert source is not None
    now = dt.datetime.now(dt.UTC)
    summaries = report(source, targets=targets, since=since_time(since, now))
    if as_json:
        click.echo(json.dumps([s.as_dict() for s in summaries.values()], indent=2))
        return
    if not summaries:
        scope = f" for {', '.join(targets)}" if targets else ""
        window = f" in the last {since}" if since else ""
        click.echo(
            f"no side-by-side runs recorded{scope}{window}: put a target at shadow "
            "('asyncshift flags set TARGET shadow') and let it serve"
        )
        return
    blocks = ["\n".join(describe(summary, now)) for summary in summaries.values()]
    click.echo("\n\n".join(blocks))


def register(cli: click.Group) -> None:
    cli.add_command(report_command)
