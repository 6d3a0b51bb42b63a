"""Where the application builds a wired class itself, read from the code: what ``asyncshift wire``
lists so that a reader knows which calls no flag moves.

The wiring's adapters route only the calls made through them: a CLI command or a view that builds
``UserService()`` or its own ``APScheduler()`` keeps calling the old code at every stage. Rewriting
those call sites is the application's choice (where a request ends, which session it shares), so
the written module names them, counted per class with the first place each is built, as comments.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from compat.control.discovery.sources import _imports, dotted_name, module_name
from compat.control.wiring import Plan

SCHEDULERS = frozenset(
    {
        "flask_apscheduler.APScheduler",
        "flask_apscheduler.scheduler.APScheduler",
        "apscheduler.schedulers.background.BackgroundScheduler",
        "apscheduler.schedulers.blocking.BlockingScheduler",
    }
)


def built_by_the_application(root: Path, packages: list[str], wired: dict[str, str]) -> dict[str, list[str]]:
    """``wired`` (``module.Class`` -> what it is) -> the places (``path:line``, under ``root``) where
    the code of ``packages`` calls that class, or a scheduler class, itself."""
    found: dict[str, list[str]] = defaultdict(list)
    for package in packages:
        for path in sorted(root.joinpath(*package.split(".")).rglob("*.py")):
            try:
                tree = ast.parse(path.read_bytes())
            except (OSError, SyntaxError, ValueError):
                continue
            module = module_name(root, path)
            imports = _imports(tree, module, module if path.name == "__init__.py" else module.rpartition(".")[0])
            for node in ast.walk(tree):
                if not isinstance(node, ast.Call):
                    continue
                dotted = dotted_name(node.func, imports, module)
                what = wired.get(dotted or "") or (f"its own scheduler ({dotted})" if dotted in SCHEDULERS else None)
                if what is not None:
                    found[what].append(f"{path.relative_to(root)}:{node.lineno}")
    return dict(found)


def with_call_sites(plan: Plan, root: Path, twins: dict[str, str]) -> Plan:
    """``plan.built_by_app``: each wired service (and scheduler) the old packages build themselves."""
    wired = {pair.old.replace(":", "."): f"services.{pair.name}" for pair in plan.services}
    found = built_by_the_application(root, sorted(twins), wired)
    plan.built_by_app = sorted(((what, len(places), places[0]) for what, places in found.items()), key=_order)
    return plan


def _order(row: tuple[str, int, str]) -> tuple[int, str]:
    return -row[1], row[0]
