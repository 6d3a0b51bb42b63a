"""Lines per second per core: ``asyncshift codemod run typer-to-asyncclick`` vs ``python -m libcst.tool codemod``.

Like for like: every side runs as a user would run it (a fresh process, one job, ``--no-format`` for
libcst), writing the converted files in place on a fresh copy of the same generated tree, on two trees:
all Typer files, and a project where one file in five uses Typer. libcst's CLI runs two codemods:
``SameTransform``, our typer-to-asyncclick transform itself as a libcst command (the same work and the
same output, checked file by file), and ``EchoToClick``, a smaller transform written the way libcst
codemods usually are (a reference only: it does less). The output says what each side did.
Usage: python bench/bench_codemods.py [--files N] [--repeat R] [--count]
"""

from __future__ import annotations

import argparse
import os
import pstats
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst
from libcst.codemod import CodemodCommand, SkipFile, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent


class SameTransform(CodemodCommand):
    """typer-to-asyncclick's own transform in libcst's CLI: the helper modules written beside, as ours does."""

    DESCRIPTION = __doc__

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        from codemods.base import Notes
        from codemods.typer_to_asyncclick import CODEMOD

        path = Path(self.context.filename)
        if not CODEMOD.may_apply(tree.code):  # the same text check, here after libcst has parsed the file
            raise SkipFile("no needle")
        notes = Notes(path=path.name, source=str(path))
        after = CODEMOD.transform(tree, notes)
        for name, text in notes.files.items():
            if not (path.parent / name).exists():
                (path.parent / name).write_text(text, encoding="utf-8")
        return after


class EchoToClick(VisitorBasedCodemodCommand):
    """typer.echo(...) -> click.echo(...), @x.command() functions async, import asyncclick as click."""

    DESCRIPTION = __doc__

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        func = updated.func
        if isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name) and func.value.value == "typer":
            AddImportsVisitor.add_needed_import(self.context, "asyncclick", asname="click")
            RemoveImportsVisitor.remove_unused_import(self.context, "typer")
            return updated.with_changes(func=func.with_changes(value=cst.Name("click")))
        return updated

    def leave_FunctionDef(self, original: cst.FunctionDef, updated: cst.FunctionDef) -> cst.FunctionDef:
        for decorator in updated.decorators:
            d = decorator.decorator
            target = d.func if isinstance(d, cst.Call) else d
            if isinstance(target, cst.Attribute) and target.attr.value == "command":
                return updated.with_changes(asynchronous=cst.Asynchronous())
        return updated


TYPER_FILE = '''\
"""Module {i}: a Typer CLI."""
from enum import Enum
from typing import List, Optional

import typer

app = typer.Typer(help="Tool {i}.")


class Color(str, Enum):
    red = "red"
    blue = "blue"


@app.callback()
def main(ctx: typer.Context, verbose: bool = typer.Option(False, "--verbose", "-v")):
    """Tool {i}."""
    ctx.obj = {{"verbose": verbose}}


@app.command()
def create_item(name: str, count: int = typer.Option(1, min=1, max=9), color: Color = Color.red):
    """Create an item."""
    for n in range(count):
        typer.echo(f"{{name}} {{n}} {{color.value}}")


@app.command()
def delete_item(names: List[str], force: bool = False, reason: Optional[str] = None):
    """Delete items."""
    if not force and not typer.confirm("Sure?"):
        raise typer.Abort()
    for name in names:
        typer.echo(f"deleted {{name}} because {{reason}}")


def helper_{i}(values):
    total = 0
    for value in values:
        if value % 2:
            total += value * 3
        else:
            total -= value
    return total


if __name__ == "__main__":
    app()
'''

PLAIN_FILE = '''\
"""Module {i}: ordinary code, no Typer."""
import dataclasses
import json


@dataclasses.dataclass
class Record{i}:
    name: str
    size: int = 0

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self))


def load_{i}(text: str) -> list:
    records = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, _, size = line.partition(",")
        records.append(Record{i}(name.strip(), int(size or 0)))
    return records


def summarise_{i}(records: list) -> dict:
    out = {{}}
    for record in records:
        out.setdefault(record.name, 0)
        out[record.name] += record.size
    return out


def largest_{i}(records: list):
    best = None
    for record in records:
        if best is None or record.size > best.size:
            best = record
    return best


def render_{i}(records: list) -> str:
    lines = []
    for record in sorted(records, key=lambda r: r.name):
        lines.append(f"{{record.name:20}} {{record.size:8d}}")
    return "\\n".join(lines)
'''


def make_tree(folder: Path, files: int, typer_share: float) -> int:
    every = max(1, round(1 / typer_share))
    lines = 0
    for i in range(files):
        text = (TYPER_FILE if i % every == 0 else PLAIN_FILE).format(i=i)
        (folder / f"pkg{i // 100}").mkdir(exist_ok=True)
        (folder / f"pkg{i // 100}" / f"mod_{i}.py").write_text(text)
        lines += text.count("\n")
    return lines


def timed(argv: list[str], tree: Path, env: dict, repeat: int) -> tuple[float, float, dict[str, str]]:
    """Best wall time and best CPU time (user + system) over ``repeat`` runs, each writing in place on a fresh
    copy of the tree; what the run wrote. With ``-j 1`` each side works in its one process, so its CPU time is
    the work itself: on a busy machine the wall time also counts waiting for a core."""
    best, best_cpu, written = float("inf"), float("inf"), {}
    for run in range(repeat):
        copy = tree.with_name(tree.name + "_run")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(tree, copy)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(
            [*argv, str(copy)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        best = min(best, time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best_cpu = min(best_cpu, after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        if done.returncode > 1 or "Traceback" in done.stderr:  # a run that failed is not a figure
            raise SystemExit(f"{' '.join(argv[:6])} failed:\n{done.stderr[-1500:]}")
        if run == 0:
            written = {p.relative_to(copy).as_posix(): p.read_text() for p in sorted(copy.rglob("*.py"))}
        shutil.rmtree(copy)
    return best, best_cpu, written


def counted(argv: list[str], tree: Path, env: dict) -> int:
    """The Python function calls of one whole run (cProfile over the process, start-up included), on a fresh
    copy of the tree: a figure the machine's load does not move."""
    copy = tree.with_name(tree.name + "_run")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(tree, copy)
    with tempfile.TemporaryDirectory() as folder:
        stats = Path(folder) / "run.prof"
        program = ["-m", *argv[2:]] if argv[1] == "-m" else argv  # a module run with -m, or a script
        subprocess.run(
            [sys.executable, "-m", "cProfile", "-o", str(stats), *program, str(copy)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
        calls = pstats.Stats(str(stats)).total_calls
    shutil.rmtree(copy)
    return calls


def libcst_cli(command: str) -> list[str]:
    return [sys.executable, "-m", "libcst.tool", "codemod", "-x", f"bench_codemods.{command}", "--no-format"] + [
        "-j",
        "1",
        "--hide-progress",
    ]


SIDES = {
    "asyncshift": (
        [str(VENV_BIN / "asyncshift"), "codemod", "run", "typer-to-asyncclick", "-j", "1"],
        "asyncshift codemod run typer-to-asyncclick -j 1 TREE: text pre-check, one parse, the transform, "
        "output compiled (invalid output is never written), changed files written in place, helper modules once "
        "per folder",
    ),
    "libcst, same transform": (
        libcst_cli("SameTransform"),
        "python -m libcst.tool codemod -x bench_codemods.SameTransform --no-format -j 1 TREE: libcst parses "
        "every file, then the same transform and text check; changed files and the helpers written in place",
    ),
    "libcst, EchoToClick": (
        libcst_cli("EchoToClick"),
        "the same CLI and write mode with EchoToClick, a smaller transform (a reference, not like for like)",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--count", action="store_true", help="also count each side's Python calls (cProfile)")
    args = parser.parse_args()
    # this checkout's code on both sides, not the checkout the venv may have installed (editable)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT / "asyncshift"), str(ROOT)]))
    print(f"each side: a fresh process, one job, written in place on a fresh copy of the tree; best of {args.repeat}")
    print(f"load average at the start: {_load()}")
    for name, (_, what) in SIDES.items():
        print(f"  {name}: {what}")
    print("lines per second of wall time; in brackets, per second of the process's CPU time (user + system)")
    if args.count:
        print("calls: Python function calls of one whole run of each like-for-like side (cProfile, start-up included)")
    _row(("tree", "lines", "asyncshift l/s", "libcst same l/s", "ratio", "same output", "echo l/s", "ratio"))
    for label, share in (("all Typer", 1.0), ("1 file in 5 Typer", 0.2)):
        folder = Path(tempfile.mkdtemp(prefix="bench_codemods_"))
        try:
            lines = make_tree(folder, args.files, share)
            results = {name: timed(argv, folder, env, args.repeat) for name, (argv, _) in SIDES.items()}
            ours, ours_cpu, ours_out = results["asyncshift"]
            same, same_cpu, same_out = results["libcst, same transform"]
            echo, echo_cpu, _ = results["libcst, EchoToClick"]
            identical = "yes" if ours_out == same_out else f"NO ({_differing(ours_out, same_out)})"
            cells = (label, lines, f"{lines / ours:,.0f}", f"{lines / same:,.0f}", f"{same / ours:.1f}x", identical)
            cells += (f"{lines / echo:,.0f}", f"{echo / ours:.1f}x")
            _row(cells)
            cpu = ("", "", f"[{lines / ours_cpu:,.0f}]", f"[{lines / same_cpu:,.0f}]", f"[{same_cpu / ours_cpu:.1f}x]")
            _row((*cpu, "", f"[{lines / echo_cpu:,.0f}]", f"[{echo_cpu / ours_cpu:.1f}x]"))
            if args.count:  # Python calls of each whole process, in millions (EchoToClick's not: slow to profile)
                ours, same = (
                    counted(SIDES[name][0], folder, env) / 1e6 for name in ("asyncshift", "libcst, same transform")
                )
                _row(("", "calls", f"{ours:.2f}M", f"{same:.2f}M", f"{same / ours:.2f}x", "", "", ""))
        finally:
            shutil.rmtree(folder)
    print(f"load average at the end: {_load()}")


def _load() -> str:
    """The 1, 5 and 15 minute load averages: the figures mean little on a busy machine."""
    return " ".join(f"{value:.2f}" for value in os.getloadavg()) + f" ({os.cpu_count()} cores)"


def _row(cells: tuple) -> None:
    widths = (20, 7, 16, 17, 8, 13, 10, 8)
    print(f"{cells[0]:<{widths[0]}}" + "".join(f"{c!s:>{w}}" for c, w in zip(cells[1:], widths[1:], strict=True)))


def _differing(ours: dict[str, str], theirs: dict[str, str]) -> str:
    names = sorted(n for n in ours.keys() | theirs.keys() if ours.get(n) != theirs.get(n))
    return f"{len(names)} files, e.g. {names[0]}" if names else "none"


if __name__ == "__main__":
    main()
