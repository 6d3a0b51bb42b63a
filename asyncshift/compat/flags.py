"""Feature flags: which stage each target is at, read from ``feature_flags.yaml``.

A stage lookup sits on every call path (every repository call, every request), so it must cost
about a dict lookup. The store therefore caches the resolved stage per target and looks at the
file (a ``stat``, no read) at most once per ``poll_interval`` seconds, from a ``time.monotonic``
check inside the lookup itself. No poller thread: nothing to lose across ``fork``, and a forked
worker simply checks on its next lookup (``os.register_at_fork`` resets the lock it inherited).

A bad edit never takes effect: it is reported once, as one ``file:line: problem; fix`` line, and
the last good flags stay in force. ``rollback`` is kept apart from the targets, so turning it off
restores every stage as it was; ``ASYNCSHIFT_ROLLBACK=1`` forces it when the file can't be edited.

Public API: ``Stage``, ``FlagsError``, ``Flags`` (an immutable snapshot), ``FlagStore`` (the
hot-reloading holder), ``get_store()`` / ``stage(target)`` (the process-wide store),
``parse_flags`` and ``load_flags`` (validate), ``set_stage`` / ``set_rollback`` (edit the file,
keeping its comments).
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import logging
import os
import re
import tempfile
import threading
import time
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from time import monotonic
from types import MappingProxyType
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import CommentMark, MarkedYAMLError, YAMLError
from ruamel.yaml.tokens import CommentToken

__all__ = [
    "DEFAULT_FILE",
    "ENV_FLAGS",
    "ENV_ROLLBACK",
    "Flags",
    "FlagsError",
    "FlagStore",
    "Gate",
    "Problem",
    "ShadowSettings",
    "Stage",
    "default_path",
    "get_store",
    "load_flags",
    "notes",
    "parse_flags",
    "set_rollback",
    "set_stage",
    "stage",
]

log = logging.getLogger(__name__)

ENV_FLAGS = "ASYNCSHIFT_FLAGS"
ENV_ROLLBACK = "ASYNCSHIFT_ROLLBACK"
DEFAULT_FILE = "feature_flags.yaml"
DEFAULT_POLL_INTERVAL = 0.5  # seconds; flagd polls at ~0.5 s too
_MAX_CACHED_TARGETS = 4096  # targets are code names; a bound keeps a misuse from leaking memory


class Stage(StrEnum):
    """Where a target is in its move, from not moved (``sync``) to moved (``async``)."""

    SYNC = "sync"  # old path serves, nothing else runs
    SHADOW = "shadow"  # old path serves, new path runs too and is compared
    LIVE = "live"  # new path serves, old path runs too and is compared
    ASYNC = "async"  # new path serves, nothing else runs

    @property
    def serves_new(self) -> bool:
        """True when callers get the new (async) path's answer."""
        return self in (Stage.LIVE, Stage.ASYNC)

    @property
    def runs_both(self) -> bool:
        """True when both paths run and their answers are compared."""
        return self in (Stage.SHADOW, Stage.LIVE)


STAGE_NAMES = ", ".join(s.value for s in Stage)


# --------------------------------------------------------------------------------------- errors


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a flags file, where it is, and how to fix it."""

    path: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.message}"


class FlagsError(ValueError):
    """A flags file (or an edit to it) that would not validate; ``problems`` lists them all."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = tuple(problems) if isinstance(problems, list) else (problems,)
        first = str(self.problems[0])
        more = len(self.problems) - 1
        super().__init__(first + (f" (and {more} more problem{'s' * (more > 1)})" if more else ""))


# ---------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class ShadowSettings:
    """How the checking side of a ``shadow``/``live`` target runs."""

    sample_rate: float = 1.0  # share of calls that also run the checking side
    timeout: float = 2.0  # seconds before the checking side is abandoned
    ignore_fields: tuple[str, ...] = ()  # fields left out of the comparison
    max_in_flight: int | None = None  # checking runs at once; None: the runner's own limit
    max_share: float | None = None  # share of the process's time checks may take; None: no bound


@dataclass(frozen=True)
class Gate:
    """Promotion thresholds for a target; None means "not set here" (used by ``promote``)."""

    min_runs: int | None = None
    max_mismatch_rate: float | None = None
    max_error_rate_increase: float | None = None
    max_p99_ratio: float | None = None
    # auto-rollback (compat.control.autorollback): a target serving the new path drops back one stage when,
    # over the last ``rollback_window`` seconds and at least ``rollback_min_runs`` runs, the new
    # path's error rate or the mismatch rate exceeds these
    rollback_error_rate: float | None = None
    rollback_mismatch_rate: float | None = None
    rollback_window: float | None = None
    rollback_min_runs: int | None = None


def _ancestors(target: str) -> list[str]:
    """``web.routes.archive`` -> ``[web.routes.archive, web.routes, web]``: most specific first."""
    parts = target.split(".")
    return [".".join(parts[:n]) for n in range(len(parts), 0, -1)]


@dataclass(frozen=True)
class Flags:
    """One parsed, valid version of the flags; never changes, so its lookups can be cached."""

    path: str = DEFAULT_FILE
    exists: bool = False
    default: Stage = Stage.SYNC
    targets: Mapping[str, Stage] = field(default_factory=lambda: MappingProxyType({}))
    rollback_file: bool = False
    rollback_env: bool = False
    shadow: ShadowSettings = ShadowSettings()
    gates: Mapping[str, Gate] = field(default_factory=lambda: MappingProxyType({}))
    lines: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}), repr=False)
    _stages: dict[str, Stage] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def rollback(self) -> bool:
        """True when every target is sent back to ``sync`` (by the file or by the environment)."""
        return self.rollback_file or self.rollback_env

    def stage(self, target: str) -> Stage:
        """The stage ``target`` runs at now: ``sync`` under rollback, else the most specific key."""
        try:
            return self._stages[target]
        except KeyError:
            stage = Stage.SYNC if self.rollback else self.configured(target)[0]
            if len(self._stages) < _MAX_CACHED_TARGETS:
                self._stages[target] = stage
            return stage

    def configured(self, target: str) -> tuple[Stage, str]:
        """The stage the file gives ``target`` ignoring rollback, and the key that decided it."""
        for name in _ancestors(target):
            if name in self.targets:
                return self.targets[name], name
        return self.default, "default"

    def source(self, target: str) -> str:
        """Which setting decided ``target``'s stage: a target key, ``default`` or the rollback."""
        if self.rollback_env:
            return f"{ENV_ROLLBACK}=1"
        if self.rollback_file:
            return "rollback"
        return self.configured(target)[1]

    def gate(self, target: str) -> Gate:
        """``target``'s promotion gate: each field from the most specific entry that sets it."""
        values: dict[str, Any] = {}
        for name in [*_ancestors(target), "default"]:
            entry = self.gates.get(name)
            if entry is not None:
                for key, value in dataclasses.asdict(entry).items():
                    if value is not None:
                        values.setdefault(key, value)
        return Gate(**values)

    def with_env_rollback(self, on: bool) -> Flags:
        """The same flags with the environment's rollback switch set to ``on`` (fresh cache)."""
        return dataclasses.replace(self, rollback_env=on)


# ---------------------------------------------------------------------------------------- parse

TOP_KEYS = ("version", "rollback", "default", "targets", "shadow", "gates")
SHADOW_KEYS = ("sample_rate", "timeout", "ignore_fields", "max_in_flight", "max_share")
GATE_KEYS = tuple(f.name for f in dataclasses.fields(Gate))
_GATE_RATES = ("max_mismatch_rate", "max_error_rate_increase", "rollback_error_rate", "rollback_mismatch_rate")
_GATE_COUNTS = ("min_runs", "rollback_min_runs")
_TARGET_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _suggest(word: str, choices: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(word), choices, n=1)
    listed = ", ".join(choices)
    return f"did you mean '{close[0]}'? (allowed: {listed})" if close else f"use one of {listed}"


class _Checker:
    """Walks a round-trip-loaded document, collecting problems with their line numbers."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []

    def add(self, line: int | None, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    @staticmethod
    def key_line(mapping: Any, key: Any) -> int | None:
        try:
            return mapping.lc.key(key)[0] + 1
        except (AttributeError, KeyError, TypeError):
            return None

    def mapping(self, value: Any, line: int | None, what: str) -> Mapping | None:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            self.add(line, f"'{what}' must be a mapping of 'name: value' lines, got {value!r}")
            return None
        return value

    def known_keys(self, mapping: Mapping, allowed: tuple[str, ...], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(self.key_line(mapping, key), f"unknown key '{key}'{where}; {_suggest(key, allowed)}")

    def stage(self, value: Any, line: int | None, what: str) -> Stage | None:
        try:
            return Stage(value)
        except ValueError:
            self.add(line, f"unknown stage '{value}' for {what}; use one of {STAGE_NAMES}")
            return None

    def number(self, mapping: Mapping, key: str, what: str, *, low: float = 0, high: float | None = None,
               integer: bool = False, above_low: bool = False) -> Any:
        value = mapping[key]
        line = self.key_line(mapping, key)
        ok = _is_number(value) and (not integer or isinstance(value, int))
        ok = ok and (value > low if above_low else value >= low) and (high is None or value <= high)
        if not ok:
            kind = "a whole number" if integer else "a number"
            bound = f"greater than {low:g}" if above_low else f"at least {low:g}"
            if high is not None:
                bound = f"greater than {low:g} and at most {high:g}" if above_low else f"between {low:g} and {high:g}"
            self.add(line, f"'{what}' must be {kind} {bound}, got {value!r}")
            return None
        return int(value) if integer else float(value)


def _read_yaml(text: str, path: str) -> Any:
    """Round-trip load (so keys keep their line numbers); a syntax error becomes a FlagsError."""
    try:
        return YAML(typ="rt").load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        column = f" at column {mark.column + 1}" if mark else ""
        what = exc.problem or exc.context or "invalid YAML"
        if "duplicate key" in what:
            fix = "keep one of the two keys"
        elif "'\\t'" in what:
            fix = "indent with spaces, not tabs"
        else:
            fix = "check the indentation and quoting there"
        raise FlagsError(Problem(path, line, f"YAML syntax error: {what}{column}; {fix}")) from None
    except YAMLError as exc:
        raise FlagsError(Problem(path, None, f"YAML syntax error: {exc}")) from None


def parse_flags(text: str, path: str = DEFAULT_FILE, *, env_rollback: bool = False) -> Flags:
    """Validate the text of a flags file and return its ``Flags``; raise ``FlagsError`` if bad."""
    doc = _read_yaml(text, path)
    check = _Checker(path)
    if doc is None:
        raise FlagsError(Problem(path, 1, "empty flags file; start it with 'version: 1'"))
    if not isinstance(doc, Mapping):
        raise FlagsError(Problem(path, 1, "a flags file is a mapping of keys, starting with 'version: 1'"))
    check.known_keys(doc, TOP_KEYS, "")
    line = check.key_line
    if "version" not in doc:
        check.add(1, "missing 'version'; add 'version: 1' at the top")
    elif doc["version"] != 1 or isinstance(doc["version"], bool):
        check.add(line(doc, "version"), f"unsupported version {doc['version']!r}; this asyncshift reads 'version: 1'")

    rollback = doc.get("rollback", False)
    if not isinstance(rollback, bool):
        check.add(line(doc, "rollback"), f"'rollback' must be true or false, got {rollback!r}")
        rollback = False

    default = Stage.SYNC
    if "default" in doc:
        default = check.stage(doc["default"], line(doc, "default"), "'default'") or Stage.SYNC

    targets, lines = {}, {}
    raw_targets = check.mapping(doc.get("targets"), line(doc, "targets"), "targets") or {}
    for name, value in raw_targets.items():
        at = line(raw_targets, name)
        if not isinstance(name, str) or not _TARGET_NAME.match(name) or name == "default":
            check.add(at, f"invalid target name {name!r}; use a dotted name like 'repositories' or "
                          "'web.routes.archive' (the fallback stage is the top-level 'default')")
            continue
        stage = check.stage(value, at, f"target '{name}'")
        if stage is not None:
            targets[name], lines[name] = stage, at

    shadow = _parse_shadow(check, doc)
    gates = _parse_gates(check, doc)
    if check.problems:
        raise FlagsError(sorted(check.problems, key=lambda p: p.line or 0))
    return Flags(path=path, exists=True, default=default, targets=MappingProxyType(targets),
                 rollback_file=rollback, rollback_env=env_rollback, shadow=shadow,
                 gates=MappingProxyType(gates), lines=MappingProxyType(lines))


def _parse_shadow(check: _Checker, doc: Mapping) -> ShadowSettings:
    raw = check.mapping(doc.get("shadow"), check.key_line(doc, "shadow"), "shadow")
    if not raw:
        return ShadowSettings()
    check.known_keys(raw, SHADOW_KEYS, " in 'shadow'")
    values: dict[str, Any] = {}
    if "sample_rate" in raw:
        values["sample_rate"] = check.number(raw, "sample_rate", "shadow.sample_rate", high=1)
    if "timeout" in raw:
        values["timeout"] = check.number(raw, "timeout", "shadow.timeout", above_low=True)
    if "max_share" in raw:
        values["max_share"] = check.number(raw, "max_share", "shadow.max_share", above_low=True, high=1)
    if "max_in_flight" in raw:
        values["max_in_flight"] = check.number(raw, "max_in_flight", "shadow.max_in_flight",
                                               integer=True, low=1)
    if "ignore_fields" in raw:
        fields = raw["ignore_fields"] or []
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            check.add(check.key_line(raw, "ignore_fields"),
                      "'shadow.ignore_fields' must be a list of field names, like [updated_at, etag]")
        else:
            values["ignore_fields"] = tuple(fields)
    return ShadowSettings(**{k: v for k, v in values.items() if v is not None})


def _parse_gates(check: _Checker, doc: Mapping) -> dict[str, Gate]:
    raw = check.mapping(doc.get("gates"), check.key_line(doc, "gates"), "gates") or {}
    gates = {}
    for name, entry in raw.items():
        at = check.key_line(raw, name)
        if not isinstance(name, str) or not (name == "default" or _TARGET_NAME.match(name)):
            check.add(at, f"invalid gate name {name!r}; use 'default' or a dotted target name")
            continue
        entry = check.mapping(entry, at, f"gates.{name}")
        if entry is None:
            continue
        check.known_keys(entry, GATE_KEYS, f" in 'gates.{name}'")
        values = {}
        for key in GATE_KEYS:
            if key in entry:
                high = 1 if key in _GATE_RATES else None
                values[key] = check.number(entry, key, f"gates.{name}.{key}", high=high, integer=key in _GATE_COUNTS,
                                           above_low=key in ("max_p99_ratio", "rollback_window"))
        gates[name] = Gate(**values)
    return gates


def env_rollback() -> bool:
    """True when ``ASYNCSHIFT_ROLLBACK`` asks for rollback (``1``, ``true``, ``yes`` or ``on``)."""
    return os.environ.get(ENV_ROLLBACK, "").strip().lower() in ("1", "true", "yes", "on")


def default_path() -> str:
    """``$ASYNCSHIFT_FLAGS`` when set, else ``feature_flags.yaml`` in the working directory."""
    return os.environ.get(ENV_FLAGS) or DEFAULT_FILE


def _decode(data: bytes, path: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FlagsError(Problem(path, data[: exc.start].count(b"\n") + 1,
                                 "the file is not UTF-8 text; save it as UTF-8")) from None


def load_flags(path: str | os.PathLike | None = None) -> Flags:
    """Read and validate a flags file once; a missing file gives every target ``default: sync``."""
    path = os.fspath(path) if path is not None else default_path()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return Flags(path=path, rollback_env=env_rollback())
    return parse_flags(_decode(data, path), path, env_rollback=env_rollback())


# ---------------------------------------------------------------------------------------- store

_STORES: weakref.WeakSet[FlagStore] = weakref.WeakSet()
_NOT_READ = object()


def _file_signature(path: str) -> tuple | None:
    """What changes when the file does (an editor's rename changes the inode); None if missing."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


class FlagStore:
    """Holds the last good flags of one file and swaps in a new version when the file changes.

    ``path=None`` follows ``$ASYNCSHIFT_FLAGS`` (or ``./feature_flags.yaml``) at every check.
    ``stage()`` costs a clock read and a dict lookup; the file is stat'ed at most once per
    ``poll_interval`` seconds, and read only when its inode, size or times changed (or, for a
    second after a write, every time: two same-size writes in one clock tick share an mtime).
    """

    def __init__(self, path: str | os.PathLike | None = None, *, poll_interval: float = DEFAULT_POLL_INTERVAL):
        self._fixed_path = os.fspath(path) if path is not None else None
        self.poll_interval = poll_interval
        self._error: FlagsError | None = None
        self._lock = threading.Lock()
        self._signature: tuple | None = None  # (path, stat signature) last looked at
        self._recent = False  # the file was written less than a second before it was read
        self._text: object = _NOT_READ  # (path, text) last parsed, good or bad: each is parsed once
        self._flags = Flags(path=self.path)
        self._stages = self._flags._stages
        self._next_check = 0.0
        self.refresh()
        _STORES.add(self)

    @property
    def path(self) -> str:
        return self._fixed_path if self._fixed_path is not None else default_path()

    def stage(self, target: str) -> Stage:
        """The stage ``target`` runs at now (see ``Flags.stage``); the hot path of every call."""
        if monotonic() >= self._next_check:
            self._check()
        try:
            return self._stages[target]
        except KeyError:
            return self._flags.stage(target)

    def snapshot(self) -> Flags:
        """The current good ``Flags``, to read several settings from one consistent version."""
        if monotonic() >= self._next_check:
            self._check()
        return self._flags

    @property
    def last_error(self) -> FlagsError | None:
        """Why the file's current version is not in force (None when it is)."""
        if monotonic() >= self._next_check:
            self._check()
        return self._error

    def _check(self) -> None:
        if not self._lock.acquire(blocking=False):
            return  # another thread is checking; use the version in force meanwhile
        try:
            self._next_check = monotonic() + self.poll_interval
            self._refresh_locked()
        except Exception:  # a lookup must never fail because of the file: keep what is in force
            log.exception("checking the flags file %s failed (keeping the last good flags)", self.path)
        finally:
            self._lock.release()

    def refresh(self) -> Flags:
        """Check the file and the environment now, whatever the poll interval."""
        with self._lock:
            self._next_check = monotonic() + self.poll_interval
            self._refresh_locked()
        return self._flags

    def _refresh_locked(self) -> None:
        path = self.path
        signature = (path, _file_signature(path))
        if signature != self._signature or self._recent:
            self._signature = signature
            self._read(path, signature[1])
        rollback = env_rollback()
        if rollback != self._flags.rollback_env:
            self._install(self._flags.with_env_rollback(rollback))

    def _read(self, path: str, stat: tuple | None) -> None:
        text: str | bytes | None = None
        if stat is not None:
            try:
                with open(path, "rb") as fh:
                    text = fh.read()
            except OSError:
                self._signature = None  # replaced or removed meanwhile: look again next time
                return
        self._recent = stat is not None and time.time() - stat[3] / 1e9 < 1.0
        if (path, text) == self._text:
            return  # same content as last time: nothing to install, nothing to report again
        first, self._text = self._text is _NOT_READ, (path, text)
        try:
            flags = Flags(path=path) if text is None else parse_flags(_decode(text, path), path)
        except FlagsError as exc:
            self._error = exc
            kept = "every target runs at sync until it is fixed" if first else "keeping the last good flags"
            log.error("%s (%s)", exc, kept)
            return
        if not first:
            log.info("flags reloaded from %s", path)
        self._error = None
        self._install(flags.with_env_rollback(env_rollback()))

    def _install(self, flags: Flags) -> None:
        # Two plain attribute stores: a concurrent stage() sees the old or the new version, whole.
        self._flags = flags
        self._stages = flags._stages

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()  # the parent's may have been held by a thread that is gone
        self._next_check = 0.0  # look at the file on the child's first lookup


def _reset_stores_after_fork() -> None:
    for store in list(_STORES):
        store._after_fork_in_child()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_stores_after_fork)

_default_store: FlagStore | None = None
_default_lock = threading.Lock()


def get_store() -> FlagStore:
    """The process-wide store, following ``$ASYNCSHIFT_FLAGS`` or ``./feature_flags.yaml``."""
    global _default_store
    if _default_store is None:
        with _default_lock:
            if _default_store is None:
                _default_store = FlagStore()
    return _default_store


def stage(target: str) -> Stage:
    """The stage ``target`` runs at now, from the process-wide store."""
    return (_default_store or get_store()).stage(target)


# ----------------------------------------------------------------------------------------- edit

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
        raise FlagsError(Problem(os.fspath(path or default_path()), None,
                                 f"unknown stage '{stage}'; use one of {STAGE_NAMES}")) from None
    if target != "default" and not _TARGET_NAME.match(target):
        raise FlagsError(Problem(os.fspath(path or default_path()), None,
                                 f"invalid target name {target!r}; use a dotted name like 'web.routes.archive'"))

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
    for name in _ancestors(target)[1:]:
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
            text = _decode(fh.read(), path)
    except FileNotFoundError:
        text = NEW_FILE
    _read_yaml(text, path)  # a file that does not even parse cannot be edited safely
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
