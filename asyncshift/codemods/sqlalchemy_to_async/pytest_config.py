"""The pytest-asyncio settings, written into the pytest config pytest would read for the tests made async.

Tests and fixtures that became ``async def`` run under pytest-asyncio in auto mode, on one event loop for the
whole session (an engine a session-scoped fixture made is bound to its loop). The config file is found as pytest
finds it (from the tests' folder upwards, in pytest's order, to the project's root); the three keys are added
to its pytest section, every other line kept. A key set to another value is kept, with a TODO line above it.
An older pytest-asyncio (``pytest_pins.LEGACY``) knows ``asyncio_mode`` alone: only it is written then.
"""

from __future__ import annotations

import configparser
import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from codemods.base import TODO_MARKER
from codemods.sqlalchemy_to_async import fixtures

SETTINGS = {
    "asyncio_mode": "auto",
    "asyncio_default_fixture_loop_scope": "session",
    "asyncio_default_test_loop_scope": "session",
}
REQUIREMENT = "pytest-asyncio>=0.26"  # asyncio_default_test_loop_scope came in 0.26 (the fixture one in 0.24)
# In pytest's order of precedence within one folder: (file name, the section that makes it pytest's, format).
CANDIDATES = (
    ("pytest.toml", "pytest", "toml"),
    (".pytest.toml", "pytest", "toml"),
    ("pytest.ini", "pytest", "ini"),
    (".pytest.ini", "pytest", "ini"),
    ("pyproject.toml", "tool.pytest.ini_options", "toml"),
    ("pyproject.toml", "tool.pytest", "toml"),
    ("tox.ini", "pytest", "ini"),
    ("setup.cfg", "tool:pytest", "ini"),
)
PROJECT_MARKERS = (".git", ".hg", "setup.py", "pyproject.toml", "setup.cfg", "tox.ini")


@dataclass
class Edit:
    """The config file to write (``after``; None: nothing to change), or why it is not written (``notes``)."""

    path: Path
    before: str | None
    after: str | None
    notes: list[str] = field(default_factory=list)


def plan(project: Any, settings: dict[str, str] = SETTINGS) -> Edit | None:
    """The edit for the run's tests made async (None when no test or fixture became async); ``settings``: the keys
    the pytest-asyncio required knows (``asyncio_mode`` alone for an older one)."""
    start = tests_folder(project)
    if start is None:
        return None
    top = _project_root(start, _run_root(project))
    found = locate(start, top)
    if found is None:
        pyproject = top / "pyproject.toml"
        if pyproject.is_file():
            return edit(pyproject, "tool.pytest.ini_options", "toml", settings)
        return edit(top / "pytest.ini", "pytest", "ini", settings)
    return edit(*found, settings)


def tests_folder(project: Any) -> Path | None:
    """The folder holding every test module of the run with a test or fixture made async (None: there is none)."""
    folders = _test_folders(project)
    return Path(os.path.commonpath([str(f) for f in folders])) if folders else None


def _test_folders(project: Any) -> set[Path]:
    paths = {name: path for path, name in project.by_source.items()}
    found = set()
    for module in project.modules.values():
        if module.name not in paths:
            continue
        if any(f.id in project.becoming_async and fixtures.is_test(f) for f in module.functions.values()):
            found.add(Path(paths[module.name]).parent)
    return found


def _run_root(project: Any) -> Path | None:
    """The folder holding every path given to the run (each file's path minus its relative path)."""
    sources = {name: path for path, name in project.by_source.items()}
    roots = set()
    for relative, name in project.by_path.items():
        if name in sources:
            roots.add(Path(sources[name]).parents[len(Path(relative).parts) - 1])
    return Path(os.path.commonpath([str(r) for r in roots])) if roots else None


def _project_root(start: Path, run_root: Path | None) -> Path:
    """The nearest folder at or above ``start`` with a project marker (a VCS folder, a packaging or tox file),
    else the folder holding the run's paths: nothing above it is read or written."""
    for folder in [start, *start.parents]:
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    if run_root is not None and (run_root == start or run_root in start.parents):
        return run_root
    return start


def locate(start: Path, top: Path) -> tuple[Path, str, str] | None:
    """(file, section, format) of the config pytest reads for tests under ``start``, from ``start`` up to ``top``."""
    for folder in [start, *start.parents]:
        for name, section, kind in CANDIDATES:
            path = folder / name
            if path.is_file() and (name.startswith(("pytest", ".pytest")) or _has_section(path, section, kind)):
                return path, section, kind
        if folder == top:
            break
    return None


def _has_section(path: Path, section: str, kind: str) -> bool:
    try:
        text = path.read_text(encoding="utf-8")
        if kind == "toml":
            return _table(tomllib.loads(text), section) is not None
        parser = configparser.RawConfigParser(strict=False)
        parser.read_string(text)
        return parser.has_section(section)
    except (OSError, UnicodeDecodeError, ValueError, configparser.Error):
        return False


def _table(data: dict, section: str) -> dict | None:
    for part in section.split("."):
        data = data.get(part) if isinstance(data, dict) else None
    return data if isinstance(data, dict) else None


def edit(path: Path, section: str, kind: str, settings: dict[str, str] = SETTINGS) -> Edit:
    """The settings added to ``section`` of ``path`` (made when it does not exist)."""
    try:
        before = path.read_text(encoding="utf-8") if path.exists() else None
    except (OSError, UnicodeDecodeError) as exc:
        return Edit(path, None, None, [f"{path.name}: cannot read it ({exc}); {_by_hand(section, settings)}"])
    text = before or ""
    if kind == "toml":
        return _checked_toml(path, before, section, with_settings(text, section, kind, settings), settings)
    return _checked_ini(path, before, section, with_settings(text, section, kind, settings), settings)


def with_settings(text: str, section: str, kind: str, settings: dict[str, str] = SETTINGS) -> tuple[str, list[str]]:
    """``text`` with each setting in ``section`` (the section added at the end when missing); the notes."""
    newline = "\r\n" if "\r\n" in text else "\n"
    lines = text.splitlines(keepends=True)
    header = re.compile(r"^\s*\[\s*" + r"\s*\.\s*".join(map(re.escape, section.split("."))) + r"\s*\]\s*([#;].*)?$")
    start = next((i for i, row in enumerate(lines) if header.match(row)), None)
    if start is None:
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        if lines and lines[-1].strip():
            lines.append(newline)
        lines.append(f"[{section}]{newline}")
        start = len(lines) - 1
    end = next((i for i in range(start + 1, len(lines)) if re.match(r"^\s*\[", lines[i])), len(lines))
    notes, missing = [], []
    for key, value in settings.items():
        at = next((i for i in range(start + 1, end) if re.match(rf"^\s*{key}\s*[=:]", lines[i])), None)
        if at is None:
            missing.append(_line(key, value, kind, newline))
            continue
        found = _value(lines[at])
        if found != value:
            message = f"{key} is {found!r} here; the tests made async need {value!r} (pytest-asyncio)"
            comment = f"{TODO_MARKER} {message}{newline}"
            if comment not in lines[:at]:
                lines.insert(at, comment)
                end += 1
            notes.append(f"{key} is {found!r}, kept: the tests made async need {key} = {value}")
    if missing:  # after the section's last line of text, before the blank lines ending it
        last = max((i for i in range(start, end) if lines[i].strip()), default=start)
        if not lines[last].endswith(("\n", "\r")):
            lines[last] += newline
        lines[last + 1 : last + 1] = missing
    return "".join(lines), notes


def _line(key: str, value: str, kind: str, newline: str) -> str:
    return f'{key} = "{value}"{newline}' if kind == "toml" else f"{key} = {value}{newline}"


def _value(line: str) -> str:
    value = re.split(r"[=:]", line, maxsplit=1)[1].strip()
    value = re.sub(r"\s+[#;].*$", "", value).strip()
    return value.strip("\"'")


def _checked_toml(
    path: Path, before: str | None, section: str, done: tuple[str, list[str]], settings: dict[str, str]
) -> Edit:
    text, notes = done
    try:
        old = tomllib.loads(before or "")
        new = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        return Edit(path, before, None, [f"{path.name} is not valid TOML ({exc}); {_by_hand(section, settings)}"])
    expected_table = {**settings, **(_table(old, section) or {})}
    if _table(new, section) != expected_table or _without(new, section) != _without(old, section):
        return Edit(
            path, before, None, [f"{path.name}: the settings could not be added safely; {_by_hand(section, settings)}"]
        )
    return Edit(path, before, text if text != before else None, notes)


def _without(data: dict, section: str) -> dict:
    """``data`` without ``section``, and without the tables above it left empty by that."""
    head, _, rest = section.partition(".")
    copy = dict(data)
    if not rest:
        copy.pop(head, None)
    elif isinstance(copy.get(head), dict):
        inner = _without(copy[head], rest)
        if inner or copy[head] == {}:
            copy[head] = inner
        else:
            copy.pop(head)
    return copy


def _checked_ini(
    path: Path, before: str | None, section: str, done: tuple[str, list[str]], settings: dict[str, str]
) -> Edit:
    text, notes = done
    try:
        old, new = _ini(before or ""), _ini(text)
    except configparser.Error as exc:
        return Edit(path, before, None, [f"{path.name} does not parse as INI ({exc}); {_by_hand(section, settings)}"])
    expected = {**old, section: {**settings, **old.get(section, {})}}
    if new != expected:
        return Edit(
            path, before, None, [f"{path.name}: the settings could not be added safely; {_by_hand(section, settings)}"]
        )
    return Edit(path, before, text if text != before else None, notes)


def _ini(text: str) -> dict[str, dict[str, str]]:
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read_string(text)
    return {name: dict(parser.items(name)) for name in parser.sections()}


def _by_hand(section: str, settings: dict[str, str] = SETTINGS) -> str:
    keys = ", ".join(f"{k} = {v}" for k, v in settings.items())
    return f"set {keys} in [{section}] by hand"
