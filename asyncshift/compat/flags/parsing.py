"""Reading a flags file: round-trip YAML, validated key by key, every problem at its ``file:line``.

A bad file is never half-applied: ``parse_flags`` either returns a whole ``Flags`` or raises one
``FlagsError`` listing every problem in line order, each with the fix (the closest known key, the
stages to use). A missing file is not an error: every target runs at ``default: sync``.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from .environment import DEFAULT_FILE, default_path, env_rollback
from .errors import FlagsError, Problem
from .model import STAGE_NAMES, Flags, Gate, ShadowSettings, Stage

TOP_KEYS = ("version", "rollback", "default", "known_targets", "targets", "shadow", "gates")
SHADOW_KEYS = ("sample_rate", "timeout", "ignore_fields", "max_in_flight", "max_share")
GATE_KEYS = tuple(f.name for f in dataclasses.fields(Gate))
_GATE_RATES = ("max_mismatch_rate", "max_error_rate_increase", "rollback_error_rate", "rollback_mismatch_rate")
_GATE_COUNTS = ("min_runs", "rollback_min_runs")
NAME_LENGTH = 200  # the records' target column: a longer name could never be recorded
# a dotted name of code names, at most NAME_LENGTH characters: ``repositories``, ``web.routes.archive``
TARGET_NAME = re.compile(rf"^(?=.{{1,{NAME_LENGTH}}}$)[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*$")


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

    def number(
        self,
        mapping: Mapping,
        key: str,
        what: str,
        *,
        low: float = 0,
        high: float | None = None,
        integer: bool = False,
        above_low: bool = False,
    ) -> Any:
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


def read_yaml(text: str, path: str) -> Any:
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
    doc = read_yaml(text, path)
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

    known = _parse_known(check, doc)
    targets, lines = {}, {}
    raw_targets = check.mapping(doc.get("targets"), line(doc, "targets"), "targets") or {}
    for name, value in raw_targets.items():
        at = line(raw_targets, name)
        if not isinstance(name, str) or not TARGET_NAME.match(name) or name == "default":
            check.add(
                at,
                f"invalid target name {name!r}; use a dotted name (at most 200 characters) like 'repositories' or "
                "'web.routes.archive' (the fallback stage is the top-level 'default')",
            )
            continue
        if known and not Flags(path=path, known=known).knows(name):
            check.add(at, Flags(path=path, known=known).unknown(name) + "; declare it there or fix the name")
            continue
        stage = check.stage(value, at, f"target '{name}'")
        if stage is not None:
            targets[name], lines[name] = stage, at

    shadow = _parse_shadow(check, doc)
    gates = _parse_gates(check, doc, Flags(path=path, known=known))
    if check.problems:
        raise FlagsError(sorted(check.problems, key=lambda p: p.line or 0))
    return Flags(
        path=path,
        exists=True,
        default=default,
        targets=MappingProxyType(targets),
        rollback_file=rollback,
        rollback_env=env_rollback,
        shadow=shadow,
        gates=MappingProxyType(gates),
        lines=MappingProxyType(lines),
        known=known,
    )


def _parse_known(check: _Checker, doc: Mapping) -> tuple[str, ...]:
    """``known_targets``: a list of dotted names, each maybe ending in ``.*`` (every name under it)."""
    if "known_targets" not in doc:
        return ()
    raw = doc["known_targets"]
    at = check.key_line(doc, "known_targets")
    if not isinstance(raw, list) or not raw:
        check.add(at, "'known_targets' must be a list of target names, like [repositories.users, web.routes.*]")
        return ()
    known = []
    for name in raw:
        if not isinstance(name, str) or not TARGET_NAME.match(name.removesuffix(".*")):
            check.add(
                at,
                f"invalid name {name!r} in 'known_targets'; use a dotted name (at most 200 characters), "
                "or 'prefix.*' for every name under it",
            )
        else:
            known.append(name)
    return tuple(known)


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
        values["max_in_flight"] = check.number(raw, "max_in_flight", "shadow.max_in_flight", integer=True, low=1)
    if "ignore_fields" in raw:
        fields = raw["ignore_fields"] or []
        if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
            check.add(
                check.key_line(raw, "ignore_fields"),
                "'shadow.ignore_fields' must be a list of field names, like [updated_at, etag]",
            )
        else:
            values["ignore_fields"] = tuple(fields)
    return ShadowSettings(**{k: v for k, v in values.items() if v is not None})


def _parse_gates(check: _Checker, doc: Mapping, declared: Flags) -> dict[str, Gate]:
    raw = check.mapping(doc.get("gates"), check.key_line(doc, "gates"), "gates") or {}
    gates = {}
    for name, entry in raw.items():
        at = check.key_line(raw, name)
        if not isinstance(name, str) or not (name == "default" or TARGET_NAME.match(name)):
            check.add(
                at, f"invalid gate name {name!r}; use 'default' or a dotted target name of at most 200 characters"
            )
            continue
        if name != "default" and not declared.knows(name):
            check.add(at, f"gate for {declared.unknown(name)}; declare it there or fix the name")
            continue
        entry = check.mapping(entry, at, f"gates.{name}")
        if entry is None:
            continue
        check.known_keys(entry, GATE_KEYS, f" in 'gates.{name}'")
        values = {}
        for key in GATE_KEYS:
            if key in entry:
                high = 1 if key in _GATE_RATES else None
                values[key] = check.number(
                    entry,
                    key,
                    f"gates.{name}.{key}",
                    high=high,
                    integer=key in _GATE_COUNTS,
                    above_low=key in ("max_p99_ratio", "rollback_window"),
                )
        gates[name] = Gate(**values)
    return gates


def decode_utf8(data: bytes, path: str) -> str:
    """The file's text; bytes that are not UTF-8 are a problem at the line they are on."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FlagsError(
            Problem(path, data[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text; save it as UTF-8")
        ) from None


def load_flags(path: str | os.PathLike | None = None) -> Flags:
    """Read and validate a flags file once; a missing file gives every target ``default: sync``."""
    path = os.fspath(path) if path is not None else default_path()
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except FileNotFoundError:
        return Flags(path=path, rollback_env=env_rollback())
    return parse_flags(decode_utf8(data, path), path, env_rollback=env_rollback())
