"""Editing the flags file as a person would: one line changed, comments and layout kept.

Every edit is validated before it is written, and the file is replaced atomically, so a running
``FlagStore`` sees the old file or the new one, never half of it, and never an invalid one.
``asyncshift flags set``, ``rollback``, ``promote`` and auto-rollback all edit through here.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark, YAMLError
from ruamel.yaml.tokens import CommentToken

from .environment import default_path, env_rollback
from .errors import FlagsError, Problem
from .model import STAGE_NAMES, Flags, Stage, target_and_parents
from .parsing import TARGET_NAME, decode_utf8, parse_flags, read_yaml

NEW_FILE = """\
# asyncshift feature flags (schema v1). Run 'asyncshift flags show' to see what each target runs.
version: 1
rollback: false
default: sync
targets: {}
"""


def set_stage(path: str | os.PathLike | None, target: str, stage: Stage | str, *, note: str | None = None) -> Flags:
    """Put ``target`` (or ``default``) at ``stage`` in the file, keeping comments and layout.

    ``note`` (why and when: a forced promotion, an auto-rollback) goes in the line's comment as
    ``asyncshift: NOTE``, replacing an earlier note and keeping the rest of the comment."""
    try:
        value = Stage(stage).value
    except ValueError:
        raise FlagsError(
            Problem(os.fspath(path or default_path()), None, f"unknown stage '{stage}'; use one of {STAGE_NAMES}")
        ) from None
    if target != "default" and not TARGET_NAME.match(target):
        raise FlagsError(
            Problem(
                os.fspath(path or default_path()),
                None,
                f"invalid target name {target!r}; use a dotted name (at most 200 characters) like 'web.routes.archive'",
            )
        )

    def change(doc: CommentedMap) -> None:
        if target == "default":
            doc["default"] = value
            if note:
                _set_note(doc, "default", note)
            return
        if not isinstance(doc.get("targets"), CommentedMap):
            doc["targets"] = CommentedMap()
        targets = doc["targets"]
        if target in targets:
            targets[target] = value
        else:
            _insert_near_relatives(targets, target, value)
        if note:
            _set_note(targets, target, note)

    return _edit(path, change)


NOTE_MARK = "asyncshift:"


def _set_note(mapping: CommentedMap, key: str, note: str) -> None:
    """Put ``asyncshift: NOTE`` in ``key``'s end-of-line comment, replacing an earlier note."""
    note = " ".join(note.split())  # one line, whatever the caller gave
    items = mapping.ca.items.get(key)
    token = items[2] if items and len(items) > 2 else None
    if token is None:
        mapping.yaml_add_eol_comment(f"# {NOTE_MARK} {note}", key)
        return
    own, newline, following = token.value.partition("\n")
    kept = own.lstrip().removeprefix("#").split(NOTE_MARK)[0].strip().rstrip(";").strip()
    text = f"# {kept}; {NOTE_MARK} {note}" if kept else f"# {NOTE_MARK} {note}"
    token.value = text + newline + following


def notes(path: str | os.PathLike | None = None) -> dict[str, str]:
    """The ``asyncshift:`` notes on the file's target lines (and ``default``), by target."""
    path = os.fspath(path) if path is not None else default_path()
    try:
        with open(path, "rb") as fh:
            doc = YAML(typ="rt").load(fh.read().decode("utf-8", "replace"))
    except (OSError, YAMLError):
        return {}
    found: dict[str, str] = {}
    if not isinstance(doc, CommentedMap):
        return found
    places = [(doc, ["default"])]
    if isinstance(doc.get("targets"), CommentedMap):
        places.append((doc["targets"], list(doc["targets"])))
    for mapping, keys in places:
        for key in keys:
            items = mapping.ca.items.get(key)
            token = items[2] if items and len(items) > 2 else None
            own = token.value.partition("\n")[0] if token is not None else ""
            if NOTE_MARK in own:
                found[key] = own.split(NOTE_MARK, 1)[1].strip()
    return found


def set_rollback(path: str | os.PathLike | None, on: bool) -> Flags:
    """Turn the file's ``rollback`` switch on or off; the targets' stages are left untouched."""

    def change(doc: CommentedMap) -> None:
        doc["rollback"] = bool(on)

    return _edit(path, change)


def _insert_near_relatives(targets: CommentedMap, target: str, value: str) -> None:
    """Add a new key after its closest relative (``repositories.x`` after ``repositories``)."""
    keys = list(targets)
    if not keys:
        targets[target] = value
        return
    anchor = keys[-1]
    for name in target_and_parents(target)[1:]:
        family = [k for k in keys if k == name or k.startswith(name + ".")]
        if family:
            anchor = family[-1]
            break
    targets.insert(keys.index(anchor) + 1, target, value)
    # ruamel keeps the comment lines that follow a key on that key; lines after its own end-of-line
    # comment belong to what comes next, so hand them to the new key, which now comes before it.
    comments = targets.ca.items.get(anchor)
    token = comments[2] if comments and len(comments) > 2 else None
    if token is not None and "\n" in token.value:
        own, _, following = token.value.partition("\n")
        if following:
            token.value = own + "\n"
            targets.ca.items[target] = [None, None, CommentToken("\n" + following, CommentMark(0), None), None]


def _guess_indent(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file writes them, for a faithful dump."""
    mapping = next((len(m.group(1)) for m in re.finditer(r"^( +)[^\s#-][^\n]*:", text, re.M)), 2)
    dash = re.search(r"^( *)[^\s#-][^\n]*:[ \t]*(?:#[^\n]*)?\n(?:[ \t]*#[^\n]*\n)*( *)- ", text, re.M)
    offset = max(len(dash.group(2)) - len(dash.group(1)), 0) if dash else 0
    return mapping, offset + 2, offset


def _round_trip(text: str) -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long lines
    mapping, sequence, offset = _guess_indent(text)
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _edit(path: str | os.PathLike | None, change: Callable[[CommentedMap], None]) -> Flags:
    """Load, change, validate the result, then replace the file atomically (or raise, writing nothing)."""
    path = os.fspath(path) if path is not None else default_path()
    try:
        with open(path, "rb") as fh:
            text = decode_utf8(fh.read(), path)
    except FileNotFoundError:
        text = NEW_FILE
    read_yaml(text, path)  # a file that does not even parse cannot be edited safely
    yaml = _round_trip(text)
    doc = yaml.load(text)
    if doc is None:
        doc = yaml.load(NEW_FILE)
    if not isinstance(doc, CommentedMap):
        raise FlagsError(Problem(path, 1, "a flags file is a mapping of keys, starting with 'version: 1'"))
    change(doc)
    out = io.StringIO()
    yaml.dump(doc, out)
    new_text = out.getvalue()
    flags = parse_flags(new_text, path, env_rollback=env_rollback())
    if new_text != text or not os.path.exists(path):
        write_atomically(path, new_text)
    return flags


def write_atomically(path: str, text: str) -> None:
    """Write beside the file, then rename over it: readers see the old file or the new, never half."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".flags-", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        except FileNotFoundError:
            os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
