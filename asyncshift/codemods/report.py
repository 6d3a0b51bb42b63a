"""How a run is told: failures as ``path:line: message``, notes per file, one summary line, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from codemods.runner import CHANGED, FAILED, SKIPPED, UNCHANGED, RunResult


def problems(result: RunResult) -> list[str]:
    """One ``path:line: message`` line per failed file (for stderr, and for editors to jump to)."""
    return [f.error for f in result.files if f.status == FAILED and f.error]


def notes(result: RunResult) -> list[str]:
    return [f"{f.path}: note: {message}" for f in result.files for message in f.notes]


def summary(result: RunResult, *, mode: str) -> str:
    """The closing line; says outright when no file was modified."""
    changed = result.count(CHANGED)
    verb = {"write": "changed", "out": "changed", "diff": "would change", "check": "would change"}[mode]
    parts = [
        f"{changed} file{'s' if changed != 1 else ''} {verb}",
        f"{result.count(UNCHANGED)} unchanged",
        f"{result.count(SKIPPED)} skipped",
        f"{result.count(FAILED)} failed",
        f"{result.todos} TODO(asyncshift) left",
    ]
    if result.added:
        verb_added = "written" if mode in ("write", "out") else "would be written"
        parts.insert(1, f"{result.added} extra file{'s' if result.added != 1 else ''} {verb_added}")
    text = f"{result.codemod}: " + ", ".join(parts) + "."
    needs = getattr(result, "requirements", [])
    if needs:
        text += " The converted code needs: " + ", ".join(needs) + "."
    if mode in ("diff", "check") or changed == 0:
        if mode != "out":
            text += " No files were modified."
    return text


def write_json(result: RunResult, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result.as_json(), indent=2) + "\n", encoding="utf-8")


def twin_summary(result: RunResult, twins: list, mode: str | None) -> str:
    """The closing line of a ``--twin`` run: the conversion, then what each twin on disk needs.

    ``twins``: (``twin.Twin``, how many of its files differ from what the run writes) per ``--twin`` pair."""
    text = summary(result, mode="out" if mode is None else mode).removesuffix(" No files were modified.")
    for twin, differences in twins:
        pairs = len(twin.classes)
        where = f"twin {twin.plan.spec.new} ({len(twin.outputs)} files, {pairs} class pair{'s' if pairs != 1 else ''})"
        files = f"{differences} file{'s' if differences != 1 else ''}"
        if mode is None:
            text += f" {where}: {files} written or removed."
        else:
            state = "up to date" if not differences else f"{files} differ{'s' if differences == 1 else ''}"
            text += f" {where}: {state}."
    return text if mode is None else text + " No files were modified."
