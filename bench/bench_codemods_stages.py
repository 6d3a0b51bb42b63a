"""CPU time per stage: ``asyncshift codemod run typer-to-asyncclick`` against libcst's CLI running the same transform.

Each stage of our runner (``runner.process``) and of libcst's ``_execute_transform`` (parse, the
``MetadataWrapper`` deep copy, the bench's ``SameTransform`` adapter, the transform, code generation)
is called in turn on the same generated tree, one process, ``time.process_time()`` around each; the
rounds alternate the sides and the best round of each is printed. It shows what each side spends
where, which is what bounds ``bench_codemods.py``'s ratio (issue 20).
Usage: python bench/bench_codemods_stages.py [--files N] [--share 1.0] [--rounds R]
"""

from __future__ import annotations

import argparse
import collections
import sys
import tempfile
import time
import warnings
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent / "asyncshift")]

import libcst as cst  # noqa: E402
from bench_codemods import make_tree  # noqa: E402
from libcst.metadata import MetadataWrapper  # noqa: E402

from codemods.base import Notes  # noqa: E402
from codemods.files import discover  # noqa: E402
from codemods.runner import _decode  # noqa: E402
from codemods.typer_to_asyncclick import CODEMOD, project  # noqa: E402


def _clock(spent: collections.Counter, stage: str, work, *args):
    start = time.process_time()
    result = work(*args)
    spent[stage] += time.process_time() - start
    return result


def _code(module: cst.Module) -> str:
    return module.code


def _bytes(module: cst.Module) -> bytes:
    return module.bytes


def ours(tree: Path, spent: collections.Counter) -> None:
    targets = [t for t in discover([tree]) if t.convert]
    run = _clock(
        spent,
        "first pass over the run (ast)",
        project.discover,
        [(t.relative.as_posix(), str(t.path)) for t in targets],
    )
    for target in targets:
        source, _ = _clock(spent, "read", _decode, target.path)
        if not CODEMOD.may_apply(source, run, target.relative.as_posix()):
            continue
        module = _clock(spent, "libcst parse", cst.parse_module, source)
        notes = Notes(path=target.relative.as_posix(), source=str(target.path), project=run)
        after = _clock(spent, "transform", CODEMOD.transform, module, notes)
        code = _clock(spent, "code generation", _code, after)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            _clock(spent, "compile (the output check)", compile, code, str(target.path), "exec", 0, True)


def libcst_cli(tree: Path, spent: collections.Counter) -> None:
    for path in sorted(tree.rglob("*.py")):
        data = _clock(spent, "read", path.read_bytes)
        module = _clock(spent, "libcst parse", cst.parse_module, data)
        copy = _clock(spent, "deep copy (MetadataWrapper)", MetadataWrapper, module).module
        text = _clock(spent, "adapter: tree.code for the text check", _code, copy)
        if not CODEMOD.may_apply(text):
            continue
        notes = Notes(path=path.name, source=str(path))
        after = _clock(spent, "transform (with its one-file first pass)", CODEMOD.transform, copy, notes)
        _clock(spent, "code generation", _bytes, after)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--share", type=float, default=1.0, help="the share of Typer files (0.2: one in five)")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench_stages_") as folder:
        tree = Path(folder)
        lines = make_tree(tree, args.files, args.share)
        best: dict[str, collections.Counter] = {}
        for _ in range(args.rounds):
            for side, work in (("asyncshift", ours), ("libcst's CLI, same transform", libcst_cli)):
                spent: collections.Counter = collections.Counter()
                work(tree, spent)
                if side not in best or sum(spent.values()) < sum(best[side].values()):
                    best[side] = spent
    for side, spent in best.items():
        total = sum(spent.values())
        print(f"{side}: {total * 1000:,.0f} ms CPU for {args.files} files, {lines:,} lines")
        for stage, seconds in spent.most_common():
            print(f"  {stage:45} {seconds * 1000:7,.0f} ms {seconds / total:6.1%}")


if __name__ == "__main__":
    main()
