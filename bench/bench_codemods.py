"""Lines per second per core: ``asyncshift codemod run typer-to-asyncclick`` vs ``python -m libcst.tool codemod``.

Both run as a user would run them (a fresh process, one job; ours with --check, writing nothing,
libcst's writing in place on a copy) over the same generated tree, on two trees: all Typer files, and a project where
one file in five uses Typer. libcst runs ``EchoToClick`` below: a smaller transform than ours
(typer.echo to click.echo, command functions made async, imports swapped), written the way libcst
codemods usually are. Usage: python bench/bench_codemods.py [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst
from libcst.codemod import VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent


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


def timed(argv: list[str], tree: Path, env: dict, repeat: int) -> float:
    """Best wall time over ``repeat`` runs, each on a fresh copy of the tree (libcst writes in place)."""
    best = float("inf")
    for _ in range(repeat):
        copy = tree.with_name(tree.name + "_run")
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(tree, copy)
        start = time.perf_counter()
        done = subprocess.run(
            [*argv, str(copy)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        best = min(best, time.perf_counter() - start)
        if "Failed to codemod 0 files" not in done.stderr and "would change" not in done.stderr + " ".join(argv):
            print(done.stderr[-500:], file=sys.stderr)
        shutil.rmtree(copy)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT)]))
    asyncshift = [str(VENV_BIN / "asyncshift"), "codemod", "run", "typer-to-asyncclick", "--check", "-j", "1"]
    libcst_cli = [
        sys.executable,
        "-m",
        "libcst.tool",
        "codemod",
        "-x",
        "bench_codemods.EchoToClick",
        "--no-format",
        "-j",
        "1",
        "--hide-progress",
    ]
    print(f"{'tree':<22}{'lines':>8}{'asyncshift l/s':>16}{'libcst l/s':>12}{'ratio':>8}")
    for label, share in (("all Typer", 1.0), ("1 file in 5 Typer", 0.2)):
        folder = Path(tempfile.mkdtemp(prefix="bench_codemods_"))
        try:
            lines = make_tree(folder, args.files, share)
            ours = timed(asyncshift, folder, env, args.repeat)
            theirs = timed(libcst_cli, folder, env, args.repeat)
            print(f"{label:<22}{lines:>8}{lines / ours:>16,.0f}{lines / theirs:>12,.0f}{theirs / ours:>7.1f}x")
        finally:
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
