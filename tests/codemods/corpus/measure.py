"""Convert every corpus program and run the Typer original and the AsyncClick copy with the same argv.

Prints each mismatch and the share of invocations whose exit code, stdout and stderr agree.
Usage: python tests/codemods/corpus/measure.py [-v]
"""

from __future__ import annotations

import asyncio
import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
sys.path.insert(0, str(HERE.parent))

from codemod_helpers import run_both  # noqa: E402


async def measure(verbose: bool = False) -> tuple[int, int, list[str]]:
    spec = json.loads((HERE / "invocations.json").read_text())
    total = same = 0
    mismatches: list[str] = []
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "a.txt").write_text("x one\ny two\nx three\n")
        (work / "b.txt").write_text("b\n")
        for name, case in sorted(spec.items()):
            source = (HERE / "programs" / name).read_text()
            argvs = [[arg.replace("{dir}", folder) for arg in argv] for argv in case["argvs"]]
            outcomes = await run_both(source, argvs, work, entry=case["entry"], input=case.get("input"))
            for argv, typer_result, click_result in outcomes:
                total += 1
                if typer_result == click_result:
                    same += 1
                else:
                    mismatches.append(f"{name} {argv}: typer={typer_result!r} click={click_result!r}")
                if verbose:
                    print(name, argv, "same" if typer_result == click_result else "DIFFERENT")
    return same, total, mismatches


def main() -> None:
    same, total, mismatches = asyncio.run(measure("-v" in sys.argv))
    for line in mismatches:
        print(line)
    print(f"{same}/{total} invocations give the same exit code, stdout and stderr ({100 * same / total:.1f}%)")


if __name__ == "__main__":
    main()
