"""Unified diffs that ``git apply`` accepts: ``a/``/``b/`` prefixes, the no-newline marker, file modes, and
each file's own bytes (a latin-1 file's patch is latin-1, as ``git diff`` prints it); binary files as
``GIT binary patch`` literals."""

from __future__ import annotations

import base64
import difflib
import hashlib
import zlib
from pathlib import PurePath

NO_NEWLINE = "\\ No newline at end of file\n"


def _lines(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n" + NO_NEWLINE  # difflib keeps the marker attached to its line
    return lines


def _mode(mode: int | None) -> str:
    return "100755" if mode is not None and mode & 0o111 else "100644"


def unified_diff(path: PurePath | str, before: str, after: str) -> str:
    """The patch turning ``before`` into ``after`` for ``path`` (relative, forward slashes)."""
    name = PurePath(path).as_posix()
    out = difflib.unified_diff(_lines(before), _lines(after), f"a/{name}", f"b/{name}")
    header = f"diff --git a/{name} b/{name}\n"
    body = "".join(out)
    return header + body if body else ""


def new_file_diff(path: PurePath | str, text: str, mode: int | None = None) -> str:
    """The patch creating ``path`` with ``text`` (``git apply`` needs ``/dev/null`` and the file mode)."""
    name = PurePath(path).as_posix()
    body = "".join(difflib.unified_diff([], _lines(text), "/dev/null", f"b/{name}"))
    return f"diff --git a/{name} b/{name}\nnew file mode {_mode(mode)}\n{body}"  # no body: an empty file


def deleted_file_diff(path: PurePath | str, text: str, mode: int | None = None) -> str:
    name = PurePath(path).as_posix()
    body = "".join(difflib.unified_diff(_lines(text), [], f"a/{name}", "/dev/null"))
    return f"diff --git a/{name} b/{name}\ndeleted file mode {_mode(mode)}\n{body}"


def _codec(encoding: str) -> str:
    return "utf-8" if encoding == "utf-8-sig" else encoding  # a BOM is already in the text


def patch(
    path: PurePath | str,
    before: str | None,
    after: str | None,
    *,
    encoding: str = "utf-8",
    mode: int | None = None,
    old_mode: int | None = None,
) -> bytes:
    """One file's patch as bytes: its lines in the file's ``encoding``; ``before``/``after`` None for a new or
    deleted file; ``mode``/``old_mode`` for its executable bit (a change of mode alone is a patch too)."""
    if before is None and after is not None:
        text = new_file_diff(path, after, mode)
    elif after is None and before is not None:
        text = deleted_file_diff(path, before, old_mode if old_mode is not None else mode)
    elif before is not None and after is not None:
        text = unified_diff(path, before, after)
        if old_mode is not None and mode is not None and _mode(old_mode) != _mode(mode):
            name = PurePath(path).as_posix()
            header = f"diff --git a/{name} b/{name}\n"
            change = f"old mode {_mode(old_mode)}\nnew mode {_mode(mode)}\n"
            text = header + change + (text[len(header) :] if text else "")
    else:
        return b""
    header, _, body = text.partition("\n")
    return (header + "\n").encode("utf-8", "surrogateescape") + body.encode(_codec(encoding))


def _sha(data: bytes) -> str:
    return hashlib.sha1(b"blob %d\0" % len(data) + data).hexdigest()


def _literal(data: bytes) -> str:
    packed = zlib.compress(data)
    lines = [f"literal {len(data)}"]
    for start in range(0, len(packed), 52):
        chunk = packed[start : start + 52]
        size = chr(ord("A") + len(chunk) - 1) if len(chunk) <= 26 else chr(ord("a") + len(chunk) - 27)
        lines.append(size + base64.b85encode(chunk, pad=True).decode("ascii"))  # git's base85 alphabet
    return "\n".join(lines) + "\n\n"


def binary_patch(path: PurePath | str, before: bytes | None, after: bytes | None, mode: int | None = None) -> bytes:
    """A ``GIT binary patch`` (full index line, as ``git apply`` needs) creating, replacing or deleting a file."""
    name = PurePath(path).as_posix()
    zero = "0" * 40
    lines = [f"diff --git a/{name} b/{name}\n"]
    if before is None:
        lines.append(f"new file mode {_mode(mode)}\n")
    elif after is None:
        lines.append(f"deleted file mode {_mode(mode)}\n")
    old_id = zero if before is None else _sha(before)
    new_id = zero if after is None else _sha(after)
    lines.append(f"index {old_id}..{new_id}\nGIT binary patch\n")
    lines.append(_literal(after or b""))
    lines.append(_literal(before or b""))
    return "".join(lines).encode("utf-8", "surrogateescape")
