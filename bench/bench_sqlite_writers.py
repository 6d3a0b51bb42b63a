"""SQLite writers in one process: how long a write transaction takes with and without the writer line.

    .venv/bin/python bench/bench_sqlite_writers.py [--threads 50] [--writes 30] [--hold-ms 2] [--rounds 2]

Each of ``--threads`` threads runs ``--writes`` write transactions (one insert, then ``--hold-ms``
of work while holding the write lock) through ``compat.db.Database.unit_of_work`` on one SQLite
file, in alternating rounds with ``compat.sqlite_writers``' first-come, first-served line in use
and with it bypassed (SQLite's busy handler alone). Reported per round: transactions done and
failed, and the time a transaction took from start to commit (median, p99, max). The line's point
is the tail: without it, a waiter that polls while others keep taking the lock can wait seconds.
"""

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import Column, Integer, MetaData, String, Table, insert

from compat import sqlite_writers
from compat.db import Database

metadata = MetaData()
rows = Table("rows", metadata, Column("id", Integer, primary_key=True), Column("body", String(20)))


def run(line: bool, args: argparse.Namespace, folder: Path) -> str:
    wait_turn = sqlite_writers.wait_turn
    if not line:
        sqlite_writers.wait_turn = lambda *_args, **_kwargs: None  # SQLite's busy handler alone
    database = Database.from_url(f"sqlite:///{folder / f'writers-{time.time_ns()}.db'}", pool_size=args.threads + 5)
    metadata.create_all(database.sync_engine)
    took: list[float] = []
    failed: list[str] = []

    def writer() -> None:
        for _ in range(args.writes):
            start = time.perf_counter()
            try:
                with database.unit_of_work() as session:
                    session.execute(insert(rows).values(body="x"))
                    time.sleep(args.hold_ms / 1000)
            except Exception as exc:  # noqa: BLE001 - counted and shown
                failed.append(str(exc).splitlines()[0][:80])
                continue
            took.append(time.perf_counter() - start)

    threads = [threading.Thread(target=writer) for _ in range(args.threads)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    database.dispose()
    sqlite_writers.wait_turn = wait_turn
    p99 = statistics.quantiles(took, n=100)[98] if len(took) > 1 else float("nan")
    return (
        f"line {'on ' if line else 'off'}: {len(took)} done, {len(failed)} failed, transaction "
        f"median {statistics.median(took) * 1000:5.0f} ms, p99 {p99 * 1000:5.0f} ms, "
        f"max {max(took) * 1000:5.0f} ms, {len(took) / elapsed:5.0f}/s" + (f"  e.g. {failed[0]}" if failed else "")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--threads", type=int, default=50)
    parser.add_argument("--writes", type=int, default=30)
    parser.add_argument("--hold-ms", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-sqlite-writers-") as tmp:
        for _ in range(args.rounds):
            for line in (True, False):
                print(run(line, args, Path(tmp)), flush=True)


if __name__ == "__main__":
    main()
