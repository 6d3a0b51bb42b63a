"""The twin on disk: what differs from what a run writes (``--check``, httpcore's unasync style), writing it
(stale generated files removed), and ``--diff`` patches for it."""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass
from pathlib import Path

from codemods.runner import _decode, _mode, write_atomic
from codemods.twin import Twin


@dataclass
class Change:
    """One file where the twin on disk differs from what a run writes."""

    path: Path
    kind: str  # "new", "changed", "mode", "removed"
    added: int = 0
    removed: int = 0

    def line(self) -> str:
        where = _shown(self.path)
        if self.kind == "changed":
            return f"{where}: differs (+{self.added} -{self.removed} lines)"
        return {"new": f"{where}: missing", "mode": f"{where}: mode differs", "removed": f"{where}: stale"}[self.kind]


def _shown(path: Path) -> str:
    try:
        shown = os.path.relpath(path)
    except ValueError:  # another drive on Windows
        return str(path)
    return str(path) if shown.startswith("..") else shown


def compare(twin: Twin) -> list[Change]:
    """What differs between the twin on disk and ``twin`` (bytes; of modes, only the executable bit)."""
    changes: list[Change] = []
    for output in twin.outputs:
        if not output.path.exists():
            changes.append(Change(output.path, "new", output.data.count(b"\n")))
            continue
        data = output.path.read_bytes()
        if data != output.data:
            added = removed = 0
            for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(
                None, data.splitlines(), output.data.splitlines(), autojunk=False
            ).get_opcodes():
                if tag != "equal":
                    removed += i2 - i1
                    added += j2 - j1
            changes.append(Change(output.path, "changed", added, removed))
        elif output.mode is not None and bool(_mode(output.path) & 0o111) != bool(output.mode & 0o111):
            changes.append(Change(output.path, "mode"))
    changes.extend(Change(path, "removed") for path in twin.stale)
    return changes


def write(twin: Twin) -> int:
    """Write what differs and remove stale generated files; returns how many files were touched."""
    changes = compare(twin)
    by_path = {o.path: o for o in twin.outputs}
    for change in changes:
        if change.kind == "removed":
            change.path.unlink()
            continue
        output = by_path[change.path]
        if change.kind == "mode":
            os.chmod(output.path, output.mode)
        else:
            write_atomic(output.path, output.data, mode=output.mode)
            if output.mode is not None:
                os.chmod(output.path, output.mode)
    return len(changes)


def _text(data: bytes, encoding: str | None) -> str | None:
    if encoding is None:  # a Python file that cannot be read as text
        return None
    try:
        return data.decode("utf-8" if encoding == "utf-8-sig" else encoding)
    except (UnicodeDecodeError, LookupError):
        return None


def patches(twin: Twin, changes: list[Change], relative) -> list[bytes]:
    """``--diff``: one patch per change, paths as ``relative`` gives them; text files in their encoding,
    other files as binary literals."""
    from codemods.diffing import binary_patch, patch

    by_path = {o.path: o for o in twin.outputs}
    out = []
    for change in changes:
        name = relative(change.path)
        output = by_path.get(change.path)
        before = None if change.kind == "new" else change.path.read_bytes()
        encoding: str | None = output.encoding if output else "utf-8"
        if output is None and change.path.suffix == ".py":
            try:
                encoding = _decode(change.path)[1]
            except (OSError, UnicodeDecodeError, SyntaxError, LookupError):
                encoding = None
        after = None if output is None else output.data
        old_text = None if before is None else _text(before, encoding)
        new_text = None if after is None else _text(after, encoding)
        mode = output.mode if output else _mode(change.path)
        text_ok = (before is None or old_text is not None) and (after is None or new_text is not None)
        if text_ok:
            old_mode = _mode(change.path) if before is not None else None
            out.append(patch(name, old_text, new_text, encoding=encoding or "utf-8", mode=mode, old_mode=old_mode))
        else:
            out.append(binary_patch(name, before, after, mode))
    return out
