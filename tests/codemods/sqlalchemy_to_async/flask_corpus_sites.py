"""Counts on real Flask-SQLAlchemy apps: ``Model.query`` sites converted, kept with a TODO, or left silently.

Not a unit test (it reads the GitHub mirrors). For each app: the pinned commit of the flask corpus's
``github_apps.toml`` exported from ``/work/.mirror/OWNER+NAME``, flask-to-fastapi then sqlalchemy-to-async
over its ``convert`` paths, and in the application's own modules (not the helpers) before and after:
``Model.query`` sites, ``db.session.<I/O>(`` and ``db.<404/paginate>(`` calls, and which of the sites left
have a ``TODO(asyncshift)`` in the comment lines just above their statement.

    .venv/bin/python tests/codemods/sqlalchemy_to_async/flask_corpus_sites.py [NAME...]
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
APPS = ROOT / "tests/codemods/flask_corpus/github_apps.toml"
MODEL_QUERY = re.compile(r"\b[A-Z]\w*\.query\b")
SESSION_IO = re.compile(
    r"\bdb\.(session\.(execute|scalars?|get|commit|rollback|flush|refresh|delete|merge)|"
    r"(get_or_404|first_or_404|one_or_404|paginate))\("
)
HELPERS = ("_flask_compat", "_flask_sqlalchemy", "_flask_wtf")


def _modules(tree: Path, paths: list[str]) -> dict[str, list[str]]:
    found = {}
    for path in paths:
        base = tree / path
        for file in [base] if base.is_file() else sorted(base.rglob("*.py")):
            relative = file.relative_to(tree).as_posix()
            if not any(h in relative for h in HELPERS):
                found[relative] = file.read_text(encoding="utf-8").splitlines()
    return found


def _statement_starts(lines: list[str]) -> dict[int, int]:
    """Line index -> the index of the first line of the simple statement (or compound header) it belongs to."""
    starts: dict[int, int] = {}
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return starts
    for node in ast.walk(tree):
        if isinstance(node, ast.stmt):
            compound = hasattr(node, "body") and isinstance(node.body, list) and node.body
            end = node.body[0].lineno - 1 if compound else node.end_lineno
            for line in range(node.lineno, end + 1):
                starts[line - 1] = max(starts.get(line - 1, -1), node.lineno - 1)
    return starts


def _todo_above(lines: list[str], index: int, starts: dict[int, int]) -> bool:
    """A TODO in the comment block just above the statement holding line ``index`` (or on that line)."""
    if "TODO(asyncshift)" in lines[index]:
        return True
    start = starts.get(index, index)
    while start > 0 and lines[start - 1].lstrip().startswith("#"):
        start -= 1
        if "TODO(asyncshift)" in lines[start]:
            return True
    return False


def _count(modules: dict[str, list[str]]) -> dict[str, int]:
    sites = todo = io = 0
    for lines in modules.values():
        starts = _statement_starts(lines)
        for index, line in enumerate(lines):
            if line.lstrip().startswith("#"):
                continue
            hits = len(MODEL_QUERY.findall(line))
            sites += hits
            todo += hits if hits and _todo_above(lines, index, starts) else 0
            io += len(SESSION_IO.findall(line))
    return {"model_query": sites, "model_query_with_todo": todo, "db_io_calls": io}


def measure(app: dict, work: Path) -> dict:
    tree = work / app["name"]
    tree.mkdir()
    mirror = ROOT.parent / ".mirror" / app["repo"].replace("/", "+") / "repo"
    archive = subprocess.run(["git", f"--git-dir={mirror}", "archive", app["commit"]], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(tree)], input=archive.stdout, check=True)
    command = [str(ROOT / ".venv/bin/asyncshift"), "codemod", "run"]
    subprocess.run([*command, "flask-to-fastapi", *app["convert"]], cwd=tree, capture_output=True)
    before = _count(_modules(tree, app["convert"]))
    done = subprocess.run([*command, "sqlalchemy-to-async", *app["convert"]], cwd=tree, capture_output=True, text=True)
    after = _count(_modules(tree, app["convert"]))
    summary = (done.stdout.strip().splitlines() or [""])[-1]
    return {"before": before, "after": after, "summary": summary}


def main(names: list[str]) -> None:
    apps = [a for a in tomllib.loads(APPS.read_text())["app"] if not names or a["name"] in names]
    with tempfile.TemporaryDirectory() as folder:
        folder = os.environ.get("SITES_KEEP") or folder  # SITES_KEEP=DIR keeps the converted trees there
        for app in apps:
            if "flask_sqlalchemy" not in app.get("about", "").lower().replace("-", "_"):
                continue
            found = measure(app, Path(folder))
            sites, left = found["before"]["model_query"], found["after"]["model_query"]
            with_todo = found["after"]["model_query_with_todo"]
            print(
                f"{app['name']}: Model.query sites {sites}: converted {sites - left}, kept with a TODO {with_todo}, "
                f"kept without one {left - with_todo}; db I/O calls after: {found['after']['db_io_calls']}"
                f"\n    {found['summary']}"
            )


if __name__ == "__main__":
    main(sys.argv[1:])
