"""Lines per second per core: ``asyncshift codemod run sqlalchemy-to-async`` vs ``python -m libcst.tool codemod``.

Like for like, as ``bench_codemods.py`` does for typer-to-asyncclick: each side a fresh process, one job,
writing in place on a fresh copy of the same generated tree. sqlalchemy-to-async is a whole-program
codemod (a first pass over every file decides which functions become async, then one rewriting pass per
file), so libcst's CLI runs ``SameTransform``: the same first pass, once per process on the first file it
is handed, then the same per-file transform; the output is checked file by file. Two trees of repositories
(``session.query`` chains, commits) and services calling them (``await`` carried up): every file takes
part, or one file in five does (the rest plain code).
Usage: python bench/bench_codemods_sqlalchemy.py [--files N] [--repeat R]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

import libcst as cst
from bench_codemods import _differing, _load, _row, timed
from libcst.codemod import CodemodCommand

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
VENV_BIN = Path(sys.executable).parent
MARKER = "BENCH_TREE"  # a file at the tree's root: libcst's CLI hands a command file names, not the root


class SameTransform(CodemodCommand):
    """sqlalchemy-to-async's own first pass (once per process) and per-file transform in libcst's CLI."""

    DESCRIPTION = __doc__
    _project: dict[str, object] = {}

    def transform_module_impl(self, tree: cst.Module) -> cst.Module:
        from codemods.base import Notes
        from codemods.files import discover as files
        from codemods.sqlalchemy_to_async import CODEMOD

        path = Path(self.context.filename).resolve()
        root = next(p for p in path.parents if (p / MARKER).exists())
        if str(root) not in self._project:
            found = files([root])
            self._project[str(root)] = CODEMOD.discover([(t.relative.as_posix(), str(t.path)) for t in found])
        project = self._project[str(root)]
        relative = path.relative_to(root).as_posix()
        if not CODEMOD.may_apply(tree.code, project, relative):
            return tree
        notes = Notes(path=relative, source=str(path), project=project)
        return CODEMOD.transform(tree, notes)


MODELS = '''\
"""The models every repository reads."""
from sqlalchemy import Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


class Owner(Base):
    __tablename__ = "owners"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)


class Item(Base):
    __tablename__ = "items"
    id = Column(Integer, primary_key=True)
    name = Column(String(80), nullable=False)
    size = Column(Integer, default=0)
    owner_id = Column(Integer, ForeignKey("owners.id"))
    owner = relationship(Owner)
'''

REPOSITORY = '''\
"""Repository {i}: items through the legacy Query API."""
from sqlalchemy.orm import Session

from shop.models import Item


class ItemRepository{i}:
    def __init__(self, session: Session):
        self.session = session

    def get(self, item_id: int):
        return self.session.query(Item).filter(Item.id == item_id).first()

    def list(self, limit: int = 20):
        return self.session.query(Item).order_by(Item.name).limit(limit).all()

    def count(self) -> int:
        return self.session.query(Item).filter(Item.size > 0).count()

    def add(self, name: str, size: int = 0):
        item = Item(name=name, size=size)
        self.session.add(item)
        self.session.commit()
        return item

    def remove(self, item_id: int) -> None:
        item = self.get(item_id)
        if item is not None:
            self.session.delete(item)
            self.session.commit()
'''

SERVICE = '''\
"""Service {i}: rules over repository {i}; awaits once its repository does."""
from shop.pkg{p}.repo_{i} import ItemRepository{i}


class ItemService{i}:
    def __init__(self, repository: ItemRepository{i}):
        self.repository = repository

    def names(self) -> list:
        return [item.name for item in self.repository.list()]

    def create(self, name: str, size: int = 0):
        if not name.strip():
            raise ValueError("a name is needed")
        if self.repository.count() > 10_000:
            raise ValueError("too many items")
        return self.repository.add(name.strip(), size)


def report_{i}(service: ItemService{i}) -> dict:
    sizes = {{}}
    for name in service.names():
        sizes[name] = sizes.get(name, 0) + len(name)
    return sizes
'''

PLAIN = '''\
"""Module {i}: ordinary code, no database."""
import json


def load_{i}(text: str) -> list:
    rows = []
    for line in text.splitlines():
        if line.strip():
            name, _, size = line.partition(",")
            rows.append({{"name": name.strip(), "size": int(size or 0)}})
    return rows


def render_{i}(rows: list) -> str:
    return "\\n".join(json.dumps(row, sort_keys=True) for row in sorted(rows, key=lambda r: r["name"]))
'''


def make_tree(folder: Path, files: int, every: int) -> int:
    """``files`` modules under ``folder/shop``; of each ``every`` pair of slots, one repository and its service
    (every = 1: all of them), the rest plain."""
    (folder / MARKER).write_text("")
    shop = folder / "shop"
    shop.mkdir()
    texts = {shop / "__init__.py": "", shop / "models.py": MODELS}
    for i in range(0, files, 2):
        package = shop / f"pkg{i // 100}"
        texts[package / "__init__.py"] = ""
        if (i // 2) % every == 0:
            texts[package / f"repo_{i}.py"] = REPOSITORY.format(i=i)
            texts[package / f"service_{i}.py"] = SERVICE.format(i=i, p=i // 100)
        else:
            texts[package / f"plain_{i}.py"] = PLAIN.format(i=i)
            texts[package / f"plain_{i + 1}.py"] = PLAIN.format(i=i + 1)
    for path, text in texts.items():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text)
    return sum(text.count("\n") for text in texts.values())


SIDES = {
    "asyncshift": (
        [str(VENV_BIN / "asyncshift"), "codemod", "run", "sqlalchemy-to-async", "-j", "1"],
        "asyncshift codemod run sqlalchemy-to-async -j 1 TREE: the first pass over every file (ast), then per "
        "file a text pre-check, one parse, the transform, output compiled, changed files written in place",
    ),
    "libcst, same transform": (
        [sys.executable, "-m", "libcst.tool", "codemod", "-x", "bench_codemods_sqlalchemy.SameTransform"]
        + ["--no-format", "-j", "1", "--hide-progress"],
        "python -m libcst.tool codemod -x bench_codemods_sqlalchemy.SameTransform --no-format -j 1 TREE: the same "
        "first pass once, libcst parses every file, then the same text check and transform, written in place",
    ),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(HERE), str(ROOT / "asyncshift"), str(ROOT)]))
    print(f"each side: a fresh process, one job, written in place on a fresh copy of the tree; best of {args.repeat}")
    print(f"load average at the start: {_load()}")
    for name, (_, what) in SIDES.items():
        print(f"  {name}: {what}")
    print("lines per second of wall time; in brackets, per second of the process's CPU time (user + system)")
    _row(("tree", "lines", "asyncshift l/s", "libcst same l/s", "ratio", "same output", "", ""))
    for label, every in (("all SQLAlchemy", 1), ("1 file in 5", 5)):
        folder = Path(tempfile.mkdtemp(prefix="bench_codemods_sqlalchemy_"))
        try:
            tree = folder / "tree"
            tree.mkdir()
            lines = make_tree(tree, args.files, every)
            results = {name: timed(argv, tree, env, args.repeat) for name, (argv, _) in SIDES.items()}
            ours, ours_cpu, ours_out = results["asyncshift"]
            same, same_cpu, same_out = results["libcst, same transform"]
            changed = sum(1 for name, text in ours_out.items() if text != (tree / name).read_text())
            identical = "yes" if ours_out == same_out else f"NO ({_differing(ours_out, same_out)})"
            wall = (f"{lines / ours:,.0f}", f"{lines / same:,.0f}", f"{same / ours:.1f}x")
            _row((label, lines, *wall, identical, "", ""))
            cpu = ("", "", f"[{lines / ours_cpu:,.0f}]", f"[{lines / same_cpu:,.0f}]", f"[{same_cpu / ours_cpu:.1f}x]")
            _row((*cpu, f"{changed} changed", "", ""))
        finally:
            shutil.rmtree(folder)
    print(f"load average at the end: {_load()}")


if __name__ == "__main__":
    main()
