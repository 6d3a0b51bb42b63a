"""How much a stage lookup costs, side by side in one run: a bare dict, ours, and a naive store.

A flag is checked on every repository call and every request, so the lookup must stay close to a
dict lookup. "naive re-stat" is what a simple hot-reloading store does: ``os.stat`` the file on
every call to notice changes. Run:

    .venv/bin/python bench/bench_flags.py [--number 1000000] [--repeat 5]

Figures are ns per call (best of the repeats), net of the timing loop's own call, and the ratio
of net times to the bare dict; on a shared 2-core machine compare the ratios, not the absolute
times.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import timeit
from pathlib import Path

from compat import flags as flags_module
from compat.flags import FlagStore, Stage, parse_flags

FLAGS_TEXT = """\
version: 1
default: sync
targets:
  repositories: shadow
  repositories.appointments: live
  services: sync
  web: async
  web.routes: live
  cli: sync
  jobs: sync
"""
TARGET = "repositories.appointments"


class NaiveStore:
    """Re-stats the file on every call, re-reads it when the stat changed: the obvious design."""

    def __init__(self, path: str):
        self.path = path
        self.signature = None
        self.stages: dict[str, Stage] = {}

    def stage(self, target: str) -> Stage:
        st = os.stat(self.path)
        signature = (st.st_mtime_ns, st.st_size, st.st_ino)
        if signature != self.signature:
            self.signature = signature
            self.flags = parse_flags(Path(self.path).read_text(), self.path)
            self.stages = {}
        try:
            return self.stages[target]
        except KeyError:
            stage = self.stages[target] = self.flags.stage(target)
            return stage


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--number", type=int, default=1_000_000, help="calls per timing")
    parser.add_argument("--repeat", type=int, default=5, help="timings per case; the best is kept")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "feature_flags.yaml")
        Path(path).write_text(FLAGS_TEXT)
        plain = {TARGET: Stage.LIVE}
        store = FlagStore(path)  # default 0.5 s poll interval
        snapshot = store.snapshot()
        os.environ["ASYNCSHIFT_FLAGS"] = path
        flags_module.get_store()
        naive = NaiveStore(path)
        assert store.stage(TARGET) is snapshot.stage(TARGET) is naive.stage(TARGET) is Stage.LIVE

        cases = {
            "bare dict  d[target]": lambda: plain[TARGET],
            "Flags.stage(target)  (snapshot)": lambda: snapshot.stage(TARGET),
            "FlagStore.stage(target)": lambda: store.stage(TARGET),
            "compat.flags.stage(target)  (module)": lambda: flags_module.stage(TARGET),
            "naive re-stat per call": lambda: naive.stage(TARGET),
        }
        # The lambda call itself costs the same in every case; subtract it so ratios are honest.
        empty = min(timeit.repeat(lambda: None, number=args.number, repeat=args.repeat)) / args.number
        results = {}
        for name, fn in cases.items():
            number = args.number // 20 if name.startswith("naive") else args.number
            results[name] = min(timeit.repeat(fn, number=number, repeat=args.repeat)) / number

    base = max(results["bare dict  d[target]"] - empty, 1e-10)
    print(
        f"python {sys.version.split()[0]}, {args.number:,} calls x {args.repeat} repeats (best kept); "
        f"'net' subtracts the {empty * 1e9:.0f} ns a timeit lambda call costs in every case"
    )
    print(f"{'case':40} {'ns/call':>9} {'net ns':>8} {'x dict':>8}")
    for name, seconds in results.items():
        net = max(seconds - empty, 1e-10)
        print(f"{name:40} {seconds * 1e9:9.1f} {net * 1e9:8.1f} {net / base:8.1f}")


if __name__ == "__main__":
    main()
