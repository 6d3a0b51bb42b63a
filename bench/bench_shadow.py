"""What side-by-side checking costs the caller: the served side's p50 with ``shadow`` on, against
the same repository at ``sync``, side by side in one run, through ``DualUnits`` on SQLite.

Two targets share one table and one pair of repository classes: ``repositories.plain`` at
``sync`` and ``repositories.checked`` at ``shadow`` (the old side serves, the new side runs in the
background and is compared and recorded). Many short rounds alternate between the two (each
round's checks end before the next round); the figure judged is the median of the rounds' own
p50 ratios (each pair of rounds ran back to back, on the same machine: drift cancels out), shown
beside the ratio of the p50s of all calls. An A/A row (a third target, ``repositories.twin``, also
at ``sync``) shows the noise floor of the measurement. Two paces:

- ``back-to-back``: the next call starts as soon as the last returns (the worst case on two
  cores: the background checks compete with the caller for the GIL and the CPU);
- ``paced``: a pause between calls, as requests arrive in a served application.

Each is run at several ``shadow.sample_rate`` values (every call checked, one in ten, one in a
hundred), with ``shadow.max_share`` as ``feature_flags.yaml`` ships it (checks take at most 5% of
the process's time; ``--max-share none`` for no bound). Checks are recorded as the application
records them: ``SqlRecorder``, its writer thread inserting into ``shadow_results`` in the same SQLite
database the reads use (``--recorder memory`` keeps them in a list instead, for comparison). Run:

    .venv/bin/python bench/bench_shadow.py [--calls 50] [--rounds 60] [--gap-ms 2] [--sample-rates 1,0.1,0.01]
                                           [--max-share 0.05|none] [--recorder sql|memory]

Goal (issue 8): served p50 with shadow within 5% of sync.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, String, func, select
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from compat import bridge
from compat.db import Database
from compat.dual import DualUnits
from compat.flags import FlagStore
from compat.shadow import Checker, MemoryRecorder, SqlRecorder, shadow_metadata, shadow_results

FLAGS = """\
version: 1
default: sync
targets:
  repositories.plain: sync
  repositories.twin: sync
  repositories.checked: shadow
shadow:
  sample_rate: {rate}
  timeout: 2.0
  max_in_flight: 8
{share}"""


class Base(DeclarativeBase):
    pass


class Note(Base):
    __tablename__ = "bench_notes"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    body: Mapped[str] = mapped_column(String(100))


class OldNotes:
    def __init__(self, session):
        self.session = session

    def list_recent(self, limit):
        return list(self.session.execute(select(Note).order_by(Note.id.desc()).limit(limit)).scalars())


class NewNotes:
    def __init__(self, session):
        self.session = session

    async def list_recent(self, limit):
        return list((await self.session.execute(select(Note).order_by(Note.id.desc()).limit(limit))).scalars())


def sync_caller(units: DualUnits, name: str, calls: int, gap: float) -> list[float]:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        with units.sync() as repos:
            getattr(repos, name).list_recent(20)
        times.append(time.perf_counter() - start)
        if gap:
            time.sleep(gap)
    return times


async def async_caller(units: DualUnits, name: str, calls: int, gap: float) -> list[float]:
    times = []
    for _ in range(calls):
        start = time.perf_counter()
        async with units.aio() as repos:
            await getattr(repos, name).list_recent(20)
        times.append(time.perf_counter() - start)
        if gap:
            await asyncio.sleep(gap)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50, help="calls per target per round")
    parser.add_argument("--rounds", type=int, default=60)
    parser.add_argument("--gap-ms", type=float, default=2.0, help="pause between calls in the paced runs")
    parser.add_argument(
        "--sample-rates", default="1,0.1,0.01", help="shadow.sample_rate values to run, comma-separated"
    )
    parser.add_argument(
        "--max-share", default="0.05", help="shadow.max_share (as feature_flags.yaml ships it), or 'none'"
    )
    parser.add_argument(
        "--recorder",
        choices=("sql", "memory"),
        default="sql",
        help="sql: SqlRecorder's writer thread into shadow_results, as the application records (default); "
        "memory: a list, no database writes",
    )
    args = parser.parse_args()
    share = "" if args.max_share == "none" else f"  max_share: {float(args.max_share)}\n"

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feature_flags.yaml"
        path.write_text(FLAGS.format(rate=1.0, share=share))
        store = FlagStore(path)
        database = Database.from_url(f"sqlite:///{Path(tmp) / 'bench.db'}")
        Base.metadata.create_all(database.sync_engine)
        shadow_metadata.create_all(database.sync_engine)  # as the application's migrations do
        with database.unit_of_work() as session:
            session.add_all(Note(body=f"note {i}") for i in range(200))
        recorder = SqlRecorder(database.sync_engine) if args.recorder == "sql" else MemoryRecorder()
        checker = Checker(recorder, settings=lambda: store.snapshot().shadow)

        def settle() -> None:
            """A round's checks end, and are written, before the next round starts."""
            checker.drain_sync()
            if isinstance(recorder, SqlRecorder):
                recorder.flush()

        def recorded() -> tuple[int, int]:
            """Checks recorded so far, and how many of them did not match (read back from where they went)."""
            if isinstance(recorder, MemoryRecorder):
                return len(recorder.comparisons), sum(not c.matched for c in recorder.comparisons)
            recorder.flush()
            with database.sync_engine.connect() as connection:
                total = connection.execute(select(func.count()).select_from(shadow_results)).scalar_one()
                missed = connection.execute(
                    select(func.count()).select_from(shadow_results).where(shadow_results.c.matched.is_(False))
                ).scalar_one()
            return total, missed

        units = DualUnits(
            database,
            {name: (OldNotes, NewNotes) for name in ("plain", "twin", "checked")},
            store=store,
            checker=checker,
        )

        def sync_round(name: str, gap: float) -> list[float]:
            return sync_caller(units, name, args.calls, gap)

        def async_round(name: str, gap: float) -> list[float]:
            return bridge.run_sync(async_caller(units, name, args.calls, gap))

        print(
            f"served p50 per call, µs (all calls of {args.rounds} alternating rounds x {args.calls} calls; "
            f"paced = {args.gap_ms:g} ms between calls; max_share {args.max_share})"
        )
        print(
            "checks recorded by "
            + (
                "SqlRecorder: its writer thread inserts into shadow_results in the bench's SQLite database "
                "(as the application records)"
                if args.recorder == "sql"
                else "MemoryRecorder: kept in a list, no database writes (not what the application does)"
            )
        )
        print(
            f"{'caller':<7} {'pace':<13} {'sample':>6} {'sync':>9} {'shadow':>9} {'pooled':>7} {'paired':>7}"
            "   checks recorded / dropped"
        )

        def side_by_side(run: Any, gap: float, other: str) -> tuple[float, float, float, float]:
            """p50 of all calls of ``plain`` and of ``other``, their ratio, and the median of the
            rounds' own ratios (each pair of rounds ran back to back, on the same machine)."""
            run("plain", gap)
            run(other, gap)  # warm both paths up
            settle()
            plain: list[float] = []
            checked: list[float] = []
            ratios = []
            for index in range(args.rounds):  # short rounds, alternating: both see the same machine
                order = (("plain", plain), (other, checked))
                got = {}
                for name, sink in order if index % 2 == 0 else reversed(order):
                    got[name] = run(name, gap)
                    sink.extend(got[name])
                    settle()  # a round's checks end before the next round starts
                ratios.append(statistics.median(got[other]) / statistics.median(got["plain"]))
            a, b = statistics.median(plain) * 1e6, statistics.median(checked) * 1e6
            return a, b, b / a, statistics.median(ratios)

        results = []
        for caller, run in (("sync", sync_round), ("async", async_round)):
            for pace, gap in (("back-to-back", 0.0), ("paced", args.gap_ms / 1000)):
                a, b, pooled, paired = side_by_side(run, gap, "twin")
                print(
                    f"{caller:<7} {pace:<13} {'A/A':>6} {a:9.1f} {b:9.1f} {pooled:7.3f} {paired:7.3f}"
                    "   (both at sync: the noise floor)"
                )
        for rate in (float(r) for r in args.sample_rates.split(",")):
            path.write_text(FLAGS.format(rate=rate, share=share))
            store.refresh()
            for caller, run in (("sync", sync_round), ("async", async_round)):
                for pace, gap in (("back-to-back", 0.0), ("paced", args.gap_ms / 1000)):
                    (recorded_before, _), dropped_before = recorded(), checker.dropped
                    a, b, pooled, paired = side_by_side(run, gap, "checked")
                    checks = recorded()[0] - recorded_before
                    dropped = checker.dropped - dropped_before
                    results.append((caller, pace, rate, paired))
                    print(
                        f"{caller:<7} {pace:<13} {rate:6g} {a:9.1f} {b:9.1f} {pooled:7.3f} {paired:7.3f}"
                        f"   {checks} / {dropped}"
                    )
        total, mismatches = recorded()
        print(f"\nmismatches among all {total} checks: {mismatches} (same code on both sides: expect 0)")
        print("goal: shadow/sync <= 1.05 for the served side (paired: the median of the rounds' ratios)")
        for caller, pace, rate, ratio in results:
            verdict = "meets" if ratio <= 1.05 else "misses"
            print(f"  {caller:<6} {pace:<13} sample {rate:<5g} {ratio:6.3f}  {verdict}")
        bridge.run_sync(database.adispose())


if __name__ == "__main__":
    main()
